"""The module catalog: read a CSV (or DataFrame), validate it, and hold it frozen."""

from __future__ import annotations

import dataclasses
import numbers
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import InitVar, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

import pandas as pd

from curriculum.cells import name_key, parse_bool
from curriculum.errors import CatalogError, Problem
from curriculum.html import box, heading, table
from curriculum.inputs import catalog_rows
from curriculum.inputs.bundled import bundled_path
from curriculum.inputs.catalog_csv import (
    REQUIRED,
    column_name_problems,
    plan_own_problems,
    split_records,
)
from curriculum.inputs.files import MiB, read_input
from curriculum.units import to_quarters

Kind = Literal["content", "skill"]

COLUMNS = (
    "id",
    "title",
    "kind",
    "hours",
    "tags",
    "density",
    "prerequisites",
    "earliest_week",
    "latest_week",
    "pre_service",
    "facilitator",
    "evidence",
    "description",
    "final",
    "avoid_weeks",
)
DEFAULT_DENSITY = 3
MOST_BYTES = 64 * MiB  # 10,000 modules with a page of description each take 30 MiB


@dataclass(frozen=True)
class Module:
    """One training module: a block of `hours` taught in a single meeting."""

    id: str
    title: str
    kind: Kind
    hours: float
    tags: tuple[str, ...] = ()
    density: int = DEFAULT_DENSITY
    prerequisites: tuple[str, ...] = ()
    earliest_week: int | None = None
    latest_week: int | None = None
    pre_service: bool = False
    facilitator: str = ""
    evidence: str = ""
    description: str = ""
    final: bool = False
    avoid_weeks: tuple[int, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()

    @cached_property
    def quarters(self) -> int:
        """Length in quarter hours, the solver's integer unit of time (worked out once: a
        model of a large catalog asks for it millions of times)."""
        return to_quarters(self.hours)

    @property
    def intensity(self) -> float:
        """Hours times density: how much this module weighs on a week."""
        return self.hours * self.density


@dataclass(frozen=True)
class Catalog:
    """A validated, immutable set of modules; `frame` shows it as a DataFrame.

    Facilitator names that differ only in case or spacing are one facilitator: every
    module takes the first spelling the catalog uses. `lines` says where each module was
    read (file line, or DataFrame row), for messages that name it.
    """

    modules: tuple[Module, ...]
    extra_columns: tuple[str, ...] = ()
    source: str = field(default="<catalog>", compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    line_label: str = field(default="row", compare=False, repr=False)
    _by_id: Mapping[str, Module] = field(init=False, repr=False, compare=False)

    checked: InitVar[bool] = False  # True when the rows were validated on the way in

    def __post_init__(self, checked: bool) -> None:
        if not checked:  # built in Python: validated as a CSV would be, and rebuilt from that
            _check_shape(self)
            frame = text_frame(self)
            problems = plan_own_problems(self.extra_columns, self.source)
            problems += catalog_rows.find_problems(frame, self.source, "row")
            if problems:
                raise CatalogError(problems)
            extra = tuple(self.extra_columns)
            object.__setattr__(self, "modules", _modules(frame, extra))
            object.__setattr__(self, "extra_columns", extra)
        object.__setattr__(self, "modules", _one_spelling(tuple(self.modules)))
        if not self.lines:
            lines = {m.id: row for row, m in enumerate(self.modules, start=1)}
            object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "_by_id", {m.id: m for m in self.modules})

    def problem(self, module_id: str, column: str | None, message: str) -> Problem:
        """A problem with a module, located at its line (and column)."""
        return Problem(
            self.source, message, self.lines.get(module_id), column, line_label=self.line_label
        )

    @property
    def facilitators(self) -> tuple[str, ...]:
        """Every facilitator named, once each, in catalog order."""
        return tuple(dict.fromkeys(m.facilitator for m in self.modules if m.facilitator))

    def __len__(self) -> int:
        return len(self.modules)

    def __getitem__(self, module_id: str) -> Module:
        return self._by_id[module_id]

    def __contains__(self, module_id: object) -> bool:
        return module_id in self._by_id

    @property
    def frame(self) -> pd.DataFrame:
        """The modules as a DataFrame, one row each; lists are `;`-joined strings."""
        rows = [_module_row(m) for m in self.modules]
        frame = pd.DataFrame(rows, columns=[*COLUMNS, *self.extra_columns])
        typed: pd.DataFrame = frame.astype(
            {"hours": float, "density": int, "earliest_week": "Int64", "latest_week": "Int64"}
        )
        return typed

    @property
    def total_hours(self) -> float:
        """Hours of all modules together."""
        return sum(m.hours for m in self.modules)

    def _repr_html_(self) -> str:
        content = sum(m.hours for m in self.modules if m.kind == "content")
        head = (
            f"Catalog: {len(self.modules)} modules, {self.total_hours:g} h ({content:g} h "
            f"content, {self.total_hours - content:g} h skills), "
            f"{sum(m.pre_service for m in self.modules)} pre-service; {Path(self.source).name}"
        )
        rows = [
            (
                m.id,
                m.title,
                m.kind,
                f"{m.hours:g}",
                m.density,
                "yes" if m.pre_service else "",
                m.facilitator,
            )
            for m in self.modules
        ]
        headers = ("id", "title", "kind", "hours", "density", "pre-service", "facilitator")
        return box(
            [
                heading(head),
                f"<details><summary>the {len(rows)} modules (catalog.frame holds every "
                f"column)</summary>{table(headers, rows)}</details>",
            ]
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "<DataFrame>") -> Catalog:
        """Validate a DataFrame (for example `catalog.frame` edited with pandas)."""
        if not isinstance(frame, pd.DataFrame):
            raise CatalogError(
                [Problem(source, f"expected a DataFrame, not {type(frame).__name__}")]
            )
        header = [str(col) for col in frame.columns]
        named = column_name_problems(header, source) + plan_own_problems(header, source)
        if named:
            raise CatalogError(named)
        # each row named by its label in the frame (df.loc[label]), where the labels are
        # distinct whole numbers; else by its place from 1
        labels = list(frame.index)
        by_label = frame.index.is_unique and all(_is_label(label) for label in labels)
        frame = frame.reset_index(drop=True)
        text = frame.astype(object).where(frame.notna(), "")
        records = [
            {str(col): _cell_text(value) for col, value in row.items()}
            for _, row in text.iterrows()
        ]
        if by_label:
            return _build(header, records, [int(x) for x in labels], source, line_label="index")
        lines = list(range(1, len(records) + 1))
        return _build(header, records, lines, source, line_label="row")


def read_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate a catalog CSV; with no path, the bundled evidence-based one.

    Raises
    ------
    CatalogError
        Listing every problem found, each with file, line and column.
    """
    found_path, raw = read_input(
        bundled_catalog_path() if path is None else path, CatalogError, most=MOST_BYTES
    )
    source = str(found_path)
    found = split_records(raw, source)
    return _build(found.header, found.records, found.lines, source, line_label="line")


def bundled_catalog_path() -> Path:
    """Where the bundled `modules.csv` lives: in the wheel, or in a source checkout."""
    return bundled_path("modules.csv")


def _build(
    header: list[str],
    records: list[dict[str, str]],
    lines: list[int],
    source: str,
    *,
    line_label: str,
) -> Catalog:
    """Validate records (all problems at once) and turn them into a Catalog."""
    if not records:
        raise CatalogError([Problem(source, "the catalog has a header but no modules")])
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CatalogError(
            [Problem(source, f"required column '{n}' is missing", column=n) for n in missing]
        )
    frame = pd.DataFrame(records, columns=header).fillna("")
    for name in COLUMNS:
        if name not in frame:
            frame[name] = ""
    frame = frame.apply(lambda col: col.astype(str).str.strip())
    frame.index = pd.Index(lines)
    problems = catalog_rows.find_problems(frame, source, line_label)
    if problems:
        raise CatalogError(problems)
    extra = tuple(name for name in header if name not in COLUMNS)
    modules = _modules(frame, extra)
    where = {m.id: line for m, line in zip(modules, lines)}
    return Catalog(
        modules=modules,
        extra_columns=extra,
        source=source,
        lines=where,
        line_label=line_label,
        checked=True,
    )


def _is_label(label: object) -> bool:
    """A frame's row label that is a whole number (a numpy one too), not True or False."""
    return isinstance(label, numbers.Integral) and not isinstance(label, bool)


def _modules(frame: pd.DataFrame, extra: Iterable[str]) -> tuple[Module, ...]:
    """The modules of a validated text frame, one per row."""
    rows = frame.to_dict("records")
    return tuple(_module({str(key): str(text) for key, text in row.items()}, extra) for row in rows)


def _module(row: Mapping[str, str], extra: Iterable[str]) -> Module:
    return Module(
        id=row["id"],
        title=row["title"],
        kind=catalog_rows.KINDS[row["kind"].lower()],
        hours=float(row["hours"]),
        tags=catalog_rows.split_list(row["tags"]),
        density=int(float(row["density"])) if row["density"] else DEFAULT_DENSITY,
        prerequisites=catalog_rows.split_list(row["prerequisites"]),
        earliest_week=int(float(row["earliest_week"])) if row["earliest_week"] else None,
        latest_week=int(float(row["latest_week"])) if row["latest_week"] else None,
        pre_service=parse_bool(row["pre_service"]) or False,
        final=parse_bool(row["final"]) or False,
        avoid_weeks=catalog_rows.week_list(row["avoid_weeks"]),
        facilitator=row["facilitator"],
        evidence=row["evidence"],
        description=row["description"],
        extra=tuple((name, row[name]) for name in extra),
    )


def _module_row(module: Module) -> dict[str, object]:
    return {
        "id": module.id,
        "title": module.title,
        "kind": module.kind,
        "hours": module.hours,
        "tags": _cell_text(module.tags),
        "density": module.density,
        "prerequisites": _cell_text(module.prerequisites),
        "earliest_week": module.earliest_week,
        "latest_week": module.latest_week,
        "pre_service": module.pre_service,
        "facilitator": module.facilitator,
        "evidence": module.evidence,
        "description": module.description,
        "final": module.final,
        "avoid_weeks": _cell_text(module.avoid_weeks),
        **dict(module.extra),
    }


def _check_shape(catalog: Catalog) -> None:
    """A CatalogError unless `modules` is a collection of `Module`s and `extra_columns` of
    names."""
    modules: object = catalog.modules
    columns: object = catalog.extra_columns
    problem = None
    if not isinstance(modules, (list, tuple)) or not all(isinstance(m, Module) for m in modules):
        problem = f"modules must be a list of Module values, not {reprlib.repr(modules)}"
    elif not isinstance(columns, (list, tuple)) or not all(isinstance(c, str) for c in columns):
        problem = f"extra_columns must be a list of names, not {reprlib.repr(columns)}"
    elif not all(_pairs(m.extra) for m in modules):
        problem = "each module's extra must be (column, text) pairs"
    if problem:
        raise CatalogError([Problem(catalog.source, problem)])


def _pairs(extra: object) -> bool:
    return isinstance(extra, (list, tuple)) and all(
        isinstance(pair, tuple) and len(pair) == 2 for pair in extra
    )


def text_frame(catalog: Catalog) -> pd.DataFrame:
    """The catalog as the validation rules read it (and as a catalog CSV holds it): text
    cells, rows numbered from 1."""
    rows = [{k: _cell_text(v).strip() for k, v in _module_row(m).items()} for m in catalog.modules]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=[*COLUMNS, *catalog.extra_columns])
    frame = frame.fillna("")
    frame.index = pd.Index(range(1, len(rows) + 1))
    return frame


def _cell_text(value: object) -> str:
    """A DataFrame cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _one_spelling(modules: tuple[Module, ...]) -> tuple[Module, ...]:
    """Modules whose facilitator is spelt like an earlier module's, but for case or spacing,
    take the earlier spelling (one person, one calendar)."""
    first: dict[str, str] = {}
    for module in modules:
        if module.facilitator:
            first.setdefault(name_key(module.facilitator), module.facilitator)
    return tuple(
        dataclasses.replace(m, facilitator=first[name_key(m.facilitator)])
        if m.facilitator and m.facilitator != first[name_key(m.facilitator)]
        else m
        for m in modules
    )
