"""Checks of catalog rows, vectorised with pandas; each yields located problems."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from typing import Any, Literal

import pandas as pd

from curriculum.cells import parse_bool
from curriculum.errors import Problem

KINDS: dict[str, Literal["content", "skill"]] = {"content": "content", "skill": "skill"}
ID_PATTERN = r"[A-Za-z0-9._-]+"
MAX_HOURS = 24  # a module fits one meeting, and meetings end by midnight
MAX_WEEK = 1000  # far beyond any programme; keeps week numbers in range of an int64


def split_list(text: str) -> tuple[str, ...]:
    """`a; b;;c` -> ('a', 'b', 'c')."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def week_list(text: str) -> tuple[int, ...]:
    """`6; 7` -> (6, 7), from a validated cell (`_avoid_weeks`)."""
    return tuple(sorted({int(float(part)) for part in split_list(text)}))


def find_problems(frame: pd.DataFrame, source: str, line_label: str) -> list[Problem]:
    """Every problem in the frame (index = line numbers, all cells stripped strings)."""
    problems: list[Problem] = []
    for check in ROW_CHECKS:
        for line, column, message in check(frame):
            problems.append(Problem(source, message, int(line), column, line_label))
    return sorted(problems, key=lambda p: (p.line or 0, _column_order(frame, p.column)))


Finding = tuple[Any, str, str]  # (line number, column, message)
RowCheck = Callable[[pd.DataFrame], Iterator[Finding]]


def _column_order(frame: pd.DataFrame, column: str | None) -> int:
    return (
        list(frame.columns).index(column) if column is not None and column in frame.columns else -1
    )


def _ids(frame: pd.DataFrame) -> Iterator[Finding]:
    ids = frame["id"]
    for line in ids.index[ids == ""]:
        yield line, "id", "id is empty"
    bad = (ids != "") & ~ids.str.fullmatch(ID_PATTERN)
    for line, value in ids[bad].items():
        yield line, "id", f"id '{value}' may only use letters, digits, '.', '_' and '-'"
    dupes = ids[(ids != "") & ids.duplicated(keep=False)]
    first_line: dict[str, Any] = {}
    for line, value in dupes.items():
        first_line.setdefault(value, line)
    for line, value in dupes.items():
        if line != first_line[value]:
            yield line, "id", f"duplicate id '{value}' (first used on line {first_line[value]})"


def _titles(frame: pd.DataFrame) -> Iterator[Finding]:
    for line in frame.index[frame["title"] == ""]:
        yield line, "title", "title is empty"


def _kinds(frame: pd.DataFrame) -> Iterator[Finding]:
    kinds = frame["kind"].str.lower()
    for line, value in frame["kind"][~kinds.isin(list(KINDS))].items():
        shown = f"'{value}'" if value else "empty"
        yield line, "kind", f"kind is {shown}; expected 'content' or 'skill'"


def _hours(frame: pd.DataFrame) -> Iterator[Finding]:
    raw = frame["hours"]
    hours = pd.to_numeric(raw, errors="coerce")
    hours = hours.where(hours.abs() != float("inf"))  # 'inf' and '1e400' are not hours
    for line, value in raw[hours.isna()].items():
        yield line, "hours", f"hours '{value}' is not a number" if value else "hours is empty"
    for line, value in raw[hours.notna() & (hours <= 0)].items():
        yield line, "hours", f"hours {value} must be positive"
    for line, value in raw[hours > MAX_HOURS].items():
        yield line, "hours", f"hours {value} is more than a day; a module must fit one meeting"
    quarters = hours * 4
    on_grid = ((quarters - quarters.round()).abs() <= 1e-9) & (quarters.round() >= 1)
    off_grid = hours.notna() & (hours > 0) & (hours <= MAX_HOURS) & ~on_grid
    for line, value in raw[off_grid].items():
        yield line, "hours", f"hours {value} is not a multiple of 0.25 (a quarter hour)"


def _density(frame: pd.DataFrame) -> Iterator[Finding]:
    raw = frame["density"]
    density = pd.to_numeric(raw, errors="coerce")
    given = raw != ""
    bad = given & (density.isna() | (density % 1 != 0) | (density < 1) | (density > 5))
    for line, value in raw[bad].items():
        yield line, "density", f"density '{value}' must be a whole number from 1 to 5"


def _weeks(frame: pd.DataFrame) -> Iterator[Finding]:
    parsed = {}
    for column in ("earliest_week", "latest_week"):
        raw = frame[column]
        week = pd.to_numeric(raw, errors="coerce")
        bad = (raw != "") & (week.isna() | (week % 1 != 0) | (week < 1) | (week > MAX_WEEK))
        for line, value in raw[bad].items():
            yield line, column, f"{column} '{value}' must be a week number from 1 to {MAX_WEEK}"
        parsed[column] = week.where(~bad)
    crossed = parsed["earliest_week"] > parsed["latest_week"]
    for line in frame.index[crossed.fillna(False)]:
        yield (
            line,
            "latest_week",
            f"earliest_week {frame.at[line, 'earliest_week']!s} is after "
            f"latest_week {frame.at[line, 'latest_week']!s}",
        )


def _avoid_weeks(frame: pd.DataFrame) -> Iterator[Finding]:
    for line, value in frame["avoid_weeks"].items():
        for item in split_list(value):
            week = _number(item)
            if week is None or not week.is_integer() or not 1 <= week <= MAX_WEEK:
                yield (
                    line,
                    "avoid_weeks",
                    f"avoid_weeks '{item}' must be a week number from 1 to {MAX_WEEK} "
                    "(weeks separated by ';', like 6;7)",
                )


def _number(text: str) -> float | None:
    """A cell's number ('inf' and 'nan' included, which no check accepts), or None."""
    try:
        return float(text)
    except ValueError:
        return None


def _booleans(frame: pd.DataFrame) -> Iterator[Finding]:
    for column in ("pre_service", "final"):
        raw = frame[column]
        for line, value in raw[raw.map(parse_bool).isna()].items():
            yield line, column, f"{column} '{value}' must be true or false"


def _prerequisites(frame: pd.DataFrame) -> Iterator[Finding]:
    known = set(frame["id"])
    line_of = {value: line for line, value in frame["id"].items()}
    for line, value in frame["prerequisites"].items():
        for item in split_list(value):
            if item not in known:
                close = difflib.get_close_matches(item, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                yield line, "prerequisites", f"unknown prerequisite '{item}'{hint}"
    graph = {
        module: [p for p in split_list(value) if p in known]
        for module, value in zip(frame["id"], frame["prerequisites"])
    }
    for cycle in _cycles(graph):
        path = " -> ".join([*cycle, cycle[0]])
        yield line_of[cycle[0]], "prerequisites", f"prerequisite cycle: {path}"


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """One representative cycle per strongly connected loop, found by depth-first search."""
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    for root in graph:
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(graph[root]))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
            elif state.get(child) == 1:
                cycles.append(path[path.index(child) :])
            elif child not in state:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(graph[child])))
    return cycles


ROW_CHECKS: tuple[RowCheck, ...] = (
    _ids,
    _titles,
    _kinds,
    _hours,
    _density,
    _weeks,
    _avoid_weeks,
    _booleans,
    _prerequisites,
)
