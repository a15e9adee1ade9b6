"""Reading a cohorts file: the cohorts (each a programme file, a catalog and, once
published, its plan file), the facilitators they share and their joint modules."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from curriculum.cells import cell_text, name_key
from curriculum.cohorts.sharing import joint_places, series_clashes
from curriculum.errors import CohortsError, Problem
from curriculum.export.plan_file import read_plan
from curriculum.inputs.catalog import Catalog, read_catalog
from curriculum.inputs.cohorts import Cohort, Cohorts, SharedFacilitator
from curriculum.inputs.files import read_text
from curriculum.inputs.program_toml import read_program, toml_value, unknown_keys
from curriculum.inputs.toml_lines import key_lines, line_of
from curriculum.plan import Plan

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

TOP_KEYS = ("name", "cohort", "facilitators", "joint")
COHORT_KEYS = ("name", "program", "modules", "plan")
FACILITATOR_KEYS = ("max_hours_per_week", "unavailable")
JOINT_KEYS = ("modules",)
MOST_BYTES = 1024 * 1024


def read_cohorts(path: str | Path) -> Cohorts:
    """Read a cohorts file (see the README's "Several cohorts at once").

    Programme, catalog and plan files are named relative to the cohorts file; a cohort
    with a `plan` is committed: its published plan stays as it is and the others are
    planned around it.

    Raises
    ------
    CohortsError
        For the cohorts file itself (file, line and key), and for joint modules whose
        cohorts share no meeting time and place.
    ProgramError, CatalogError, PlanFileError
        For a cohort's own files, naming those files.
    """
    return _read(path)[0]


def read_published(path: str | Path) -> tuple[Cohorts, dict[str, Plan]]:
    """A cohorts file whose every cohort is published: the cohorts, and each one's plan (by
    cohort name) as its `plan` file holds it (with its cancellations and calendar events so
    far) and with the cohort's programme (whose id, the cohort's name by default, makes
    its calendar UIDs), e.g. to publish them.

    Raises
    ------
    CohortsError
        For each cohort without a `plan` file (file, line, key and cohort), and as
        `read_cohorts`; its other errors as `read_cohorts`.
    """
    cohorts, reader = _read(path)
    for number, cohort in enumerate(cohorts.cohorts, start=1):
        if cohort.name not in reader.plans:
            reader.fail(
                f"cohort[{number}].plan",
                f"cohort '{cohort.name}' has no plan file to publish: add plan = \"...\" "
                "naming the plan it published (e.g. its calendar from plan --cohorts --out)",
            )
    if reader.problems:
        raise CohortsError(reader.problems)
    return cohorts, {
        c.name: dataclasses.replace(reader.plans[c.name], program=c.program)
        for c in cohorts.cohorts
    }


def _read(path: str | Path) -> tuple[Cohorts, _Reader]:
    """The cohorts, and the reader that read them (with the plan files it read)."""
    found, text = read_text(path, CohortsError, most=MOST_BYTES)
    source = str(found)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CohortsError([Problem(source, f"not valid TOML: {exc}")]) from None
    lines = key_lines(text)
    reader = _Reader(source, lines, found.parent)
    cohorts = reader.cohorts(data)
    try:
        result = Cohorts(source=source, lines=lines, **cohorts)
    except CohortsError as exc:
        raise CohortsError(
            [dataclasses.replace(p, line=line_of(p.column or "", lines)) for p in exc.problems]
        ) from None
    joint_places(result)  # a CohortsError when a joint module's cohorts never meet together
    series_clashes(result)  # or when fixed weekly series clash
    return result, reader


class _Reader:
    """Turns the parsed TOML into `Cohorts` arguments, collecting every problem."""

    def __init__(self, source: str, lines: Mapping[str, int], folder: Path) -> None:
        self.source, self.lines, self.folder = source, lines, folder
        self.problems: list[Problem] = []
        self.plans: dict[str, Plan] = {}  # the plan files read, by cohort name
        self.files: list[str] = []  # every cohort's programme, catalog and plan file

    def fail(self, key: str, message: str) -> None:
        line = line_of(key, dict(self.lines))
        self.problems.append(Problem(self.source, message, line, key, column_label="key"))

    def cohorts(self, data: Mapping[str, Any]) -> dict[str, Any]:
        self._unknown(data, TOP_KEYS, "")
        found: dict[str, Any] = {}
        if "name" in data:
            found["name"] = self._text(data["name"], "name")
        tables = data.get("cohort", [])
        if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
            self.fail("cohort", "cohorts are [[cohort]] tables")
            tables = []
        if not tables:
            self.fail("cohort", "there are no cohorts; add [[cohort]] tables")
        found["facilitators"] = self._facilitators(data.get("facilitators", {}))
        found["joint"] = self._joint(data.get("joint", {}))
        if self.problems:  # before reading any cohort's files
            raise CohortsError(self.problems)
        found["cohorts"] = tuple(self._cohort(t, f"cohort[{n}]") for n, t in enumerate(tables, 1))
        if self.problems:
            raise CohortsError(self.problems)
        found["files"] = tuple(self.files)
        return found

    def _cohort(self, table: Mapping[str, Any], key: str) -> Cohort:
        self._unknown(table, COHORT_KEYS, f"{key}.")
        name = self._text(table.get("name", ""), f"{key}.name")
        paths = {
            item: path
            for item in ("program", "modules", "plan")
            if item in table and (path := self._path(table[item], f"{key}.{item}"))
        }
        if "program" not in table and "plan" not in table:
            self.fail(f"{key}.program", f"{key} needs a program (or the plan it published)")
        if self.problems:
            raise CohortsError(self.problems)
        self.files += [str(path) for path in paths.values()]
        catalog = read_catalog(paths["modules"]) if "modules" in paths else None
        program = read_program(paths["program"]) if "program" in paths else None
        if "plan" in paths:
            plan = read_plan(paths["plan"], catalog=catalog, program=program)
            if catalog is not None and (drifted := _drifted(plan, catalog)):
                self.fail(
                    f"{key}.plan",
                    f"cohort '{name}': its published plan ({paths['plan'].name}) no longer "
                    f"matches its catalog ({paths['modules'].name}): {'; '.join(drifted)}. "
                    "Leave out its modules to keep the cohort as published, or its plan "
                    "to plan it again",
                )
                raise CohortsError(self.problems)
            self.plans[name] = plan
            return Cohort(name, plan.catalog, plan.program, committed=plan)
        assert program is not None
        return Cohort(name, catalog or read_catalog(), program)

    def _path(self, value: object, key: str) -> Path | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"{key} must be a file name, not {value!r}")
            return None
        path = self.folder / value
        if path.is_dir():
            self.fail(key, f"'{value}' is a folder, not a file ({path})")
            return None
        if not path.is_file():
            self.fail(key, f"no file '{value}' (looked for {path})")
            return None
        return path

    def _facilitators(self, value: object) -> dict[str, SharedFacilitator]:
        if not isinstance(value, dict):
            self.fail("facilitators", 'use [facilitators."Name"] tables')
            return {}
        found = {}
        for who, table in value.items():
            key = f"facilitators.{toml_value(who)}"
            if not isinstance(table, dict):
                self.fail(key, f"{key} must be a table")
                continue
            self._unknown(table, FACILITATOR_KEYS, f"{key}.")
            days = table.get("unavailable", [])
            try:  # every problem of the table at once
                found[who] = SharedFacilitator(table.get("max_hours_per_week"), days)
            except CohortsError as exc:
                for problem in exc.problems:
                    self.fail(f"{key}.{problem.column}", problem.message)
        return found

    def _joint(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, dict):
            self.fail("joint", "[joint] must be a table with modules = [...]")
            return ()
        self._unknown(value, JOINT_KEYS, "joint.")
        modules = value.get("modules", [])
        if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
            self.fail("joint.modules", "joint modules must be a list of module ids")
            return ()
        return tuple(modules)

    def _text(self, value: object, key: str) -> str:
        if isinstance(value, str):
            return value
        self.fail(key, f"{key} must be text, not {value!r}")
        return ""

    def _unknown(self, table: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
        for key, message in unknown_keys(table, known, prefix):
            self.fail(key, message)


def _drifted(plan: Plan, catalog: Catalog) -> list[str]:
    """How a published plan's sessions differ from the catalog now: modules in one and not
    the other, and modules whose hours or facilitator changed (the other cohorts are
    planned around the published sessions, so these must agree)."""
    sessions = plan.sessions.set_index("module")
    found = [
        f"'{m}' is published but not in the catalog" for m in sessions.index if m not in catalog
    ]
    for m in catalog.modules:
        if m.id not in sessions.index:
            found.append(f"'{m.id}' is in the catalog but not in the published plan")
            continue
        hours, who = float(sessions.at[m.id, "hours"]), cell_text(sessions.at[m.id, "facilitator"])
        if hours != m.hours:
            found.append(f"'{m.id}' is published as {hours:g} h, the catalog says {m.hours:g} h")
        if name_key(who) != name_key(m.facilitator):
            found.append(
                f"'{m.id}' is published with facilitator '{who}', the catalog says "
                f"'{m.facilitator}'"
            )
    return found
