"""A lenient reader of CSPLib BACP data files (prob030), and their curriculum translation.

The files are OPL-like but not strictly valid, so the reader forgives:

- a `/*` comment that is never closed (bacp10, bacp12): when no `*/` comes before the next
  `/*` or the next line that starts an assignment (`name =`), the comment ends at the end
  of its line;
- missing commas between `<a, b>` pairs (bacp12): pairs are found wherever they are;
- repeated pairs (bacp8): kept once, in first-seen order.

`//` and `%` start line comments.

Translation (`instance`): each course is a `content` module (BACP has no kinds; one kind
keeps the balance goal inert, and all weights are 0 anyway) whose hours are its credits,
density 1; periods are weeks with one meeting long enough for a period's maximum load `b`;
prerequisites stay; no ramp, duties, holidays, balance tolerance or ongoing sessions. The
weekly hours and intensity caps are the given `cap`, so the problem is pure feasibility:
cap = optimum must have a plan, cap = optimum − 1 must not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time
from pathlib import Path

from curriculum import Balance, Catalog, Load, Meeting, Module, Program, Ramp, Weights

OPTIMA = {"bacp8": 17, "bacp10": 14, "bacp12": 17}
START = date(2027, 1, 4)
_ASSIGNMENT = re.compile(r"^[ \t]*\w+\s*=", re.MULTILINE)
_MARKER = re.compile(r"/\*|//|%")
_PAIR = re.compile(r"<\s*(\w+)\s*,\s*(\w+)\s*>")
_NAME = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Bacp:
    """One BACP instance: periods, load and course-count bounds, courses and prerequisites."""

    name: str
    periods: int
    min_load: int | None
    max_load: int | None
    min_courses: int | None
    max_courses: int | None
    courses: tuple[str, ...]
    credits: tuple[int, ...]
    prerequisites: tuple[tuple[str, str], ...]  # (course, its prerequisite)

    @property
    def lower_bound(self) -> int:
        """ceil(total credits / periods): no plan has a lighter heaviest period."""
        return -(-sum(self.credits) // self.periods)


def read(path: str | Path) -> Bacp:
    """Read a `.dat` file; the instance is named after the file's stem."""
    path = Path(path)
    return parse(path.read_text(encoding="utf-8"), name=path.stem)


def parse(text: str, name: str = "<bacp>") -> Bacp:
    """Parse BACP data text (see the module docstring for what is forgiven).

    Raises
    ------
    ValueError
        When `p`, `courses` or `credit` is missing, the counts differ, or a pair names an
        unknown course.
    """
    clean = strip_comments(text)
    courses = tuple(_NAME.findall(_block(clean, "courses", "{", "}")))
    credits = tuple(int(v) for v in re.findall(r"-?\d+", _block(clean, "credit", "[", "]")))
    if len(courses) != len(credits):
        raise ValueError(f"{name}: {len(courses)} courses but {len(credits)} credits")
    if len(set(courses)) != len(courses):
        raise ValueError(f"{name}: a course is listed twice")
    pairs = tuple(dict.fromkeys(_PAIR.findall(_block(clean, "prereq", "{", "}", required=False))))
    unknown = sorted({c for pair in pairs for c in pair} - set(courses))
    if unknown:
        raise ValueError(f"{name}: prerequisite pairs name unknown courses {unknown}")
    periods = _scalar(clean, "p", name)
    if periods is None:
        raise ValueError(f"{name}: no period count 'p = ...;'")
    return Bacp(
        name=name,
        periods=periods,
        min_load=_scalar(clean, "a", name),
        max_load=_scalar(clean, "b", name),
        min_courses=_scalar(clean, "c", name),
        max_courses=_scalar(clean, "d", name),
        courses=courses,
        credits=credits,
        prerequisites=pairs,
    )


def strip_comments(text: str) -> str:
    """Text without `//`, `%` and `/* */` comments (unclosed ones end with their line)."""
    parts = []
    position = 0
    while match := _MARKER.search(text, position):
        parts.append(text[position : match.start()])
        line_end = text.find("\n", match.start())
        line_end = len(text) if line_end < 0 else line_end
        position = _comment_end(text, match.start(), line_end) if match[0] == "/*" else line_end
        parts.append(" ")
    parts.append(text[position:])
    return "".join(parts)


def _comment_end(text: str, start: int, line_end: int) -> int:
    """Where a `/*` comment ends: after its `*/`, or at its line end when left open."""
    close = text.find("*/", start + 2)
    reopened = text.find("/*", start + 2)
    assignment = _ASSIGNMENT.search(text, line_end)
    limits = [p for p in (reopened, assignment.start() if assignment else -1) if p >= 0]
    if close >= 0 and close < min(limits, default=len(text)):
        return close + 2
    return line_end


def _block(text: str, key: str, opening: str, closing: str, *, required: bool = True) -> str:
    """The text between `key = <opening>` and the next `<closing>` (or the end)."""
    match = re.search(rf"\b{key}\s*=\s*{re.escape(opening)}", text)
    if match is None:
        if required:
            raise ValueError(f"no '{key} = {opening} ... {closing}' block")
        return ""
    end = text.find(closing, match.end())
    return text[match.end() : end if end >= 0 else len(text)]


def _scalar(text: str, key: str, name: str) -> int | None:
    values = re.findall(rf"(?<![\w.]){key}\s*=\s*(-?\d+)", text)
    if len(set(values)) > 1:
        raise ValueError(f"{name}: '{key}' is given different values {values}")
    return int(values[0]) if values else None


def instance(bacp: Bacp, cap: int) -> tuple[Catalog, Program]:
    """The BACP instance as a catalog and a programme whose weekly caps are `cap` hours."""
    needs: dict[str, list[str]] = {course: [] for course in bacp.courses}
    for course, prerequisite in bacp.prerequisites:
        needs[course].append(prerequisite)
    modules = tuple(
        Module(
            id=course,
            title=course,
            kind="content",
            hours=float(credit),
            density=1,
            prerequisites=tuple(needs[course]),
        )
        for course, credit in zip(bacp.courses, bacp.credits)
    )
    meeting_hours = max(bacp.max_load or 0, cap, *bacp.credits)
    program = Program(
        name=f"BACP {bacp.name} at {cap} credits",
        start=START,
        weeks=bacp.periods,
        meetings=(Meeting(0, time(0, 0), float(min(meeting_hours, 24))),),
        load=Load(cap, cap),
        ramp=Ramp(0, cap, cap, 5),
        balance=Balance(0.5, None),
        duties=None,
        ongoing=None,
        weights=Weights(0, 0, 0, 0),
    )
    return Catalog(modules, source=bacp.name), program


def user_instance(bacp: Bacp, cap: int) -> tuple[Catalog, Program]:
    """The instance as a coordinator would write it: courses alternate content and skill
    modules (density 1: credits are their only measure), six 5-hour meetings a week
    (Monday to Saturday, 09:00), the default goals and weights on, and only the weekly hours
    cap set (no ramp, duties or ongoing sessions: BACP has none); the intensity cap follows
    the hours cap as the defaults say. Feasible exactly when the plain instance is."""
    catalog, _ = instance(bacp, cap)
    modules = tuple(
        replace(m, kind="content" if i % 2 == 0 else "skill") for i, m in enumerate(catalog.modules)
    )
    program = Program(
        name=f"BACP {bacp.name} as a user catalog, cap {cap}",
        start=START,
        weeks=bacp.periods,
        timezone="UTC",
        meetings=tuple(Meeting(day, time(9, 0), 5.0) for day in range(6)),
        load=Load(cap),
        ramp=Ramp(weeks=0),
        duties=None,
        ongoing=None,
    )
    return Catalog(modules, source=f"{bacp.name} (user)"), program
