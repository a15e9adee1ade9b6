"""Plain builders for the tests: tiny catalogs and programmes, and a `solve` that always
runs the independent checker on the plan it returns (`solve_checked`, `checked`).

Import them as `from tests.builders import make_catalog, ...`; the shared instances built
from them are named fixtures in `tests/conftest.py`.

Every tiny programme starts on Monday 2027-01-11 in UTC, so week w runs from Monday
2027-01-11 + 7 (w - 1) days, its Tuesday is 2027-01-12 + 7 (w - 1) days, and a meeting at
18:00 stays at 18:00.
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from curriculum import (
    Balance,
    Catalog,
    Cohorts,
    CohortsResult,
    Duties,
    Load,
    Meeting,
    Plan,
    Program,
    Ramp,
    Result,
    Status,
    Weights,
    solve,
    solve_cohorts,
)
from curriculum.errors import CatalogError
from curriculum.explain import Suggestion
from curriculum.export import atomic
from curriculum.goals import Goal
from curriculum.inputs.catalog import read_catalog
from curriculum.inputs.program_toml import program_from_mapping, program_to_toml, toml_value
from curriculum.meetings import meeting_slots

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]  # the repository
TEST_DATA = ROOT / "tests" / "data"  # input files, one folder per kind

START = date(2027, 1, 11)  # a Monday
TORONTO = "America/Toronto"  # daylight saving time from Sun 2027-03-14
TUE = Meeting("tue", "18:00", 2)
THU = Meeting("thu", "18:00", 2)
NO_RAMP = Ramp(weeks=0)
NO_DUTIES = None
PLANNED = (Status.OPTIMAL, Status.FEASIBLE)
NO_WEIGHTS = Weights(  # every goal off: only the hard rules decide
    balance=0, weeks_without_skills=0, uneven_load=0, early_density=0, avoided_weeks=0
)
# The evidence-based defaults over 12 weeks from Mon 2027-01-11, in Toronto.
DEFAULT_PROGRAM = Program(start=START, timezone=TORONTO)

# The re-planning scenario (fixtures `published_plan`, `changed_program`, `replanned_result`):
# the default plan, published; then a holiday and a trainer away, re-planned from week 5.
FREEZE = date(2027, 2, 8)  # Monday of week 5
HOLIDAY = date(2027, 2, 16)  # Tuesday of week 6
AWAY = (date(2027, 2, 23), date(2027, 2, 25))  # week 7
TRAINER = "Peer trainer"


# The sweep the sweep tests share (`tiny_sweep`): the tiny catalog (1 h content 'a', 1 h
# skill 'b', density 2) over the two-week programme (Tue and Thu 2 h meetings, no ramp, no
# duties) with 1, 2 or 0 weeks and a weekly cap of 1 or 2 hours. Its 6 scenarios:
# 0 (1 week, cap 1): 1 h of room for 2 h of modules: infeasible.
# 1 (1 week, cap 2): both in week 1, 1 h content of 2 (the target share): every goal met.
# 2 (2 weeks, cap 1): one module a week; the week with 'a' has no skills: objective 20.
# 3 (2 weeks, cap 2): together, the empty week has no skills; apart, the week with 'a'
#   has none: 1 week without skills either way, objective 20.
# 4, 5 (0 weeks): not a programme.
SWEEP_VARY = {"weeks": [1, 2, 0], "load.max_hours_per_week": [1, 2]}
SWEEP_STATUSES = ["infeasible", "optimal", "optimal", "optimal", "error", "error"]

ZERO_GOALS = {goal.value: 0.0 for goal in Goal}  # every goal met


def goal_values(**values: float) -> dict[str, float]:
    """Each goal's value: those given, 0 for the others (compare with `Result.goals`)."""
    return {**ZERO_GOALS, **values}


def tuesday(week: int) -> date:
    """The Tuesday of a programme week (week 1 is the week of 2027-01-11)."""
    return START + timedelta(days=1, weeks=week - 1)


def thursday(week: int) -> date:
    """The Thursday of a programme week."""
    return START + timedelta(days=3, weeks=week - 1)


def module(
    module_id: str, kind: str = "content", hours: float = 1.0, density: int = 2, **fields: Any
) -> dict[str, Any]:
    """One catalog row; density 2 by default (dense enough to cost nothing in the ramp)."""
    row: dict[str, Any] = {
        "id": module_id,
        "title": fields.pop("title", module_id.replace("-", " ").title()),
        "kind": kind,
        "hours": hours,
        "density": density,
    }
    row.update(fields)
    return row


def make_catalog(*rows: Mapping[str, Any]) -> Catalog:
    """A validated catalog from rows, through `Catalog.from_frame` as a user would."""
    return Catalog.from_frame(pd.DataFrame([dict(r) for r in rows]))


def make_program(
    weeks: int = 1,
    meetings: tuple[Meeting, ...] = (TUE,),
    *,
    load: Load | None = None,
    ramp: Ramp = NO_RAMP,
    duties: Duties | None = NO_DUTIES,
    balance: Balance | None = None,
    weights: Weights | None = None,
    **changes: Any,
) -> Program:
    """A small programme from 2027-01-11 in UTC; no ramp, no duties, default weights."""
    return Program(
        start=START,
        weeks=weeks,
        meetings=meetings,
        load=load or Load(max_hours_per_week=4, max_intensity_per_week=10),
        ramp=ramp,
        duties=duties,
        balance=balance or Balance(),
        weights=weights or Weights(),
        ongoing=None,
        timezone="UTC",
        **changes,
    )


def with_changes(program: Program, **changes: Any) -> Program:
    """`dataclasses.replace` with nested sections given as dicts: ramp={"weeks": 2}."""
    resolved = {
        key: dataclasses.replace(getattr(program, key), **value)
        if isinstance(value, dict)
        else value
        for key, value in changes.items()
    }
    return dataclasses.replace(program, **resolved)


def checked(result: Result) -> Plan:
    """The plan of a result, after the independent checker and the contract's basics."""
    assert result.status in PLANNED, f"no plan: {result}"
    plan = result.plan
    assert plan.check() == []
    catalog = plan.catalog
    assert sorted(plan.sessions["module"]) == sorted(m.id for m in catalog.modules)
    assert result.objective is not None and result.bound is not None
    assert result.bound <= result.objective + 1e-9
    if result.status is Status.OPTIMAL:
        assert math.isclose(result.objective, result.bound, abs_tol=1e-9)
        assert_objective_consistent(result)
    else:
        # Short of the optimum the solver's objective may still carry slack above the plan's
        # own score (see test_solve.py::test_the_objective_is_a_function_of_the_plan), but
        # the plan's score lies between the bound and the objective.
        score = sum(result.weights[name] * value for name, value in result.goals.items())
        assert result.bound - 1e-6 <= score <= result.objective + 1e-6
    return plan


def solve_checked(catalog: Catalog, program: Program, **options: Any) -> Result:
    """`solve`, and when a plan comes back, `checked` on it."""
    options.setdefault("time_limit", 10.0)
    result = solve(catalog, program, **options)
    if result.status in PLANNED:
        checked(result)
    else:
        assert result.objective is None
    return result


def solve_optimal(catalog: Catalog, program: Program, **options: Any) -> tuple[Result, Plan]:
    """Solve a tiny instance that must be proven optimal; the result and its checked plan."""
    result = solve_checked(catalog, program, **options)
    assert result.status is Status.OPTIMAL, str(result)
    return result, result.plan


def assert_objective_consistent(result: Result) -> None:
    """The objective is Σ weight × goal value, and `objective_terms` says the same."""
    assert set(result.goals) == set(Goal)
    total = sum(result.weights[name] * value for name, value in result.goals.items())
    assert result.objective is not None
    assert math.isclose(result.objective, total, abs_tol=1e-6), (
        f"objective {result.objective} but Σ weight × goal = {total} ({result.goals})"
    )
    terms = result.objective_terms.set_index("goal")
    assert set(terms.index) == set(Goal)
    for name, value in result.goals.items():
        assert terms.loc[name, "value"] == value
        assert terms.loc[name, "weight"] == result.weights[name]
        assert math.isclose(terms.loc[name, "contribution"], result.weights[name] * value)
    assert math.isclose(terms["contribution"].sum(), result.objective, abs_tol=1e-6)


def meeting_on(program: Program, day: date) -> int:
    """The index of the (first) meeting on a day, for `Plan.from_assignment`."""
    return next(slot.index for slot in meeting_slots(program) if slot.day == day)


def laid_out(catalog: Catalog, program: Program, days: Mapping[str, date]) -> Plan:
    """A plan by hand: each module in the (first) meeting on its day."""
    return Plan.from_assignment(
        catalog, program, {module_id: meeting_on(program, day) for module_id, day in days.items()}
    )


def moved(plan: Plan, module_id: str, day: date, at: str = "18:00") -> Plan:
    """The plan with one session's row edited: it starts on `day` at `at` (local time),
    lasts its hours, and its week column follows the date; nothing else changes."""
    sessions = plan.sessions.copy()
    row = sessions.index[sessions["module"] == module_id][0]
    start = pd.Timestamp(f"{day} {at}").tz_localize(plan.program.timezone)
    sessions.loc[row, "start"] = start
    sessions.loc[row, "end"] = start + pd.Timedelta(hours=float(sessions.loc[row, "hours"]))
    sessions.loc[row, "week"] = plan.program.week_of(day)
    return dataclasses.replace(plan, sessions=sessions)


def weeks_of(plan: Plan) -> dict[str, int]:
    """Module id -> week."""
    return dict(zip(plan.sessions["module"], plan.sessions["week"].astype(int)))


def slots_of(plan: Plan) -> dict[str, str]:
    """Module id -> local start, e.g. 'Tue 2027-01-12 18:00'."""
    return {row.module: f"{row.start:%a %Y-%m-%d %H:%M}" for row in plan.sessions.itertuples()}


def together(plan: Plan) -> set[frozenset[str]]:
    """The groups of modules that share a week."""
    groups = plan.sessions.groupby("week")["module"].apply(frozenset)
    return set(groups)


def hours_by_week(plan: Plan) -> dict[int, float]:
    """Week -> hours taught, for every week of the programme."""
    weekly = plan.weekly
    return dict(zip(weekly["week"].astype(int), weekly["hours"].astype(float)))


# ------------------------------------------------------------------ bad input files


def catalog_error(path: Path) -> CatalogError:
    """The CatalogError that reading `path` raises (fails the test if none)."""
    with pytest.raises(CatalogError) as info:
        read_catalog(path)
    return info.value


def assert_located(
    error: CatalogError, path: Path, line: int | None, column: str | None, words: list[str]
) -> None:
    """One of the error's problems carries every word, at this line and column of the file,
    and says where it is in its text."""
    message = str(error)
    assert str(path) in message
    assert isinstance(error, ValueError)
    matching = [p for p in error.problems if all(w in p.message for w in words)]
    assert matching, message
    problem = matching[0]
    assert problem.line == line
    assert problem.column == column
    text = str(problem)
    assert text.startswith(str(path))
    if line is not None:
        assert f"line {line}" in text
    if column is not None:
        assert f"column '{column}'" in text


# ------------------------------------------------------------------ hand-made plans


def two_versions() -> tuple[Plan, Plan]:
    """Two versions of a plan over two weeks of Tue and Thu meetings (1 h modules, checked).
    Version 1: a Tue w1, b Thu w1, d Tue w2. Version 2 (d left the catalog, c joined): a
    unchanged, b moved to Thu w2, c on Tue w2."""
    first = make_catalog(module("a"), module("b", "skill"), module("d"))
    second = make_catalog(module("a"), module("b", "skill"), module("c"))
    program = make_program(2, (TUE, THU))
    before = Plan.from_assignment(first, program, {"a": 0, "b": 1, "d": 2})
    after = Plan.from_assignment(second, program, {"a": 0, "b": 3, "c": 2})
    assert before.check() == [] and after.check() == []
    return before, after


def applied(
    suggestion: Suggestion, catalog: Catalog, program: Program, freeze: date | None = None
) -> tuple[Catalog, Program, date | None]:
    """The change a suggestion names, made as a coordinator would: each programme key
    written into the programme's TOML (read back with the library's own reader), each
    catalog cell into the catalog's frame, a new freeze date as given to --freeze-before.

    A facilitator cell left empty ("someone else") gets a new name, as a coordinator would
    write one.
    """
    data = tomllib.loads(f"programme = {program_to_toml(program)}")["programme"]
    frame = catalog.frame
    for setting in suggestion.settings:
        assert setting.text.startswith(
            ("set ", "add a [[meetings]] entry", "remove ", "use --", "clear ")
        )
        if setting.module:
            row = frame.index[frame["id"] == setting.module]
            assert len(row) == 1, f"the suggestion names unknown module {setting.module}"
            value = setting.value
            if setting.key == "facilitator" and not value:
                value = "Someone else"
            frame.loc[row, setting.key] = value
        elif setting.key == "freeze_before":
            assert isinstance(setting.value, date)
            freeze = setting.value
        else:
            *sections, name = setting.key.split(".")
            table = data
            for section in sections:
                table = table.setdefault(section, {})
            if setting.value is None:
                table.pop(name, None)
            else:  # through TOML text, as a file holds it
                table[name] = tomllib.loads(f"v = {toml_value(setting.value)}")["v"]
    return Catalog.from_frame(frame), program_from_mapping(data), freeze


# ------------------------------------------------------------------ failing disks


def disk_full_while_writing(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The disk fills up while the temporary file written for `name` is flushed (the
    atomic writer's temporary files are named ``.<name>.<random>``)."""
    real = os.fsync

    def fsync(fd: int) -> None:
        if Path(f"/proc/self/fd/{fd}").readlink().name.startswith(f".{name}."):
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


def solve_cohorts_checked(cohorts: Cohorts, **options: Any) -> CohortsResult:
    """`solve_cohorts`, and when plans come back, every check: the shared rules and each
    cohort's own (`Plan.check`), every module once, committed cohorts as published."""
    options.setdefault("time_limit", 20.0)
    result = solve_cohorts(cohorts, **options)
    if result.status not in PLANNED:
        assert not result.plans and result.objective is None
        return result
    assert result.check() == []
    assert set(result.plans) == set(cohorts.names)
    for cohort in cohorts.cohorts:
        plan = result.plans[cohort.name]
        assert plan.check() == []
        assert sorted(plan.sessions["module"]) == sorted(m.id for m in cohort.catalog.modules)
        if cohort.committed is not None:
            pd.testing.assert_frame_equal(plan.sessions, cohort.committed.sessions)
            pd.testing.assert_frame_equal(plan.cancelled, cohort.committed.cancelled)
    assert result.objective is not None and result.bound is not None
    assert result.bound <= result.objective + 1e-9
    return result


# Two tiny cohorts' files in UTC, one week, Tue and Thu 18:00: Sam leads each cohort's one
# module (1 h, its id the cohort's file stem).
TINY_MODULES = "id,title,kind,hours,density,facilitator\n{id},{id},content,1,2,Sam\n"
TINY_PROGRAM = """name = "{name}"
start = 2027-01-11
timezone = "UTC"
weeks = 1
duties = false
ongoing = false
location = "{name} site"
[[meetings]]
weekday = "tue"
start = "18:00"
[[meetings]]
weekday = "thu"
start = "18:00"
[ramp]
weeks = 0
"""


def tiny_cohort_files(folder: Path, cohorts: tuple[tuple[str, str], ...]) -> None:
    """Each (name, stem) cohort's programme `<stem>.toml` and catalog `<stem>.csv`."""
    for name, stem in cohorts:
        (folder / f"{stem}.toml").write_text(TINY_PROGRAM.format(name=name), encoding="utf-8")
        (folder / f"{stem}.csv").write_text(TINY_MODULES.format(id=stem), encoding="utf-8")
