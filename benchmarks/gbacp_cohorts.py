"""GBACP as cohorts for `solve_cohorts`: each curriculum a cohort, each precedence no
curriculum holds whole a link cohort, each course in several cohorts a joint module.

What maps, and how:

- periods are weeks; one credit is one hour (the uneven-load goal's ±1 h band around the
  fair share T/P then lets through exactly GBACP's [floor, ceil] loads, unless T/P is a
  whole number), or 0.75 h where a course would not fit in a day (UD5); every course is a
  `content` module of density 1; only `uneven_load_squared` (GBACP's balance term is
  squared) and `avoided_weeks` are weighted;
- a course in several curricula is a joint module: the same week for all of them;
- ``precedes`` pairs are prerequisites in each cohort that has both courses; a
  prerequisite names a module of its own catalog, so for a pair that no curriculum holds
  whole a *link* cohort is added: it has just the two courses, the earlier a prerequisite
  of the later, both joint with their curricula (so the same week everywhere), and no
  caps or goals of its own (`link_weights`), so the rule is exact and no curriculum takes
  a course GBACP does not give it (the two courses do join the link's meeting group,
  below, whose meetings then hold them);
- GBACP's courses-per-period maximum and minimum are each curriculum's `[load]
  max_modules_per_week` and `min_modules_per_week` (none for a minimum of 0), exactly;
- GBACP's undesirable (course, period) rows are the course's `avoid_weeks`, in the
  catalog of its first curriculum only, or of its first link for a course in no
  curriculum (a joint module avoided in every cohort's catalog would count once per
  cohort). A row given twice counts once: the goal counts a module
  in a week it avoids. The weights keep GBACP's w2 : w1: `avoided_weeks` per course
  against `uneven_load_squared` per credit² off the band (`weights`). The band is not
  GBACP's [floor, ceil]: a period one credit below a fractional T/P is 0.5 or 0.75 h
  beyond the ±1 h band (0.25 or 0.56 h², against 1). Enumerating the toy instance's 116
  plans: over GBACP's own curricula the squared goal's optimum is GBACP's (191, where the
  linear goal's scores 218);
- no weekly hours cap (GBACP has none), no ramp, duties, ongoing sessions or location.

Meetings. A joint module needs a meeting that all its cohorts hold at the very same time
and place, and such a meeting, once it holds a joint module, holds only modules that
those cohorts share (`curriculum.cpsat.cohorts`). One meeting a week for everyone would
therefore forbid a curriculum to take a joint course and one of its own in the same week.
So the courses are grouped by the set of cohorts that have them (a curriculum's own
courses are a group of one) and each group gets its own weekly meetings, at one time for
every cohort of the group, never overlapping another meeting of the same cohort,
at no location (so the room rule, which needs a named location, does not apply). A
group's meetings hold up to its fair weekly share plus a slack of three times its longest
course (``ceil(load / P) + 3 longest``), at most about what GBACP lets a period hold (its
largest courses up to the courses-per-period maximum; meetings round up to whole quarter
hours), split into meetings of at most a day; where first fit cannot lay out every group's
meetings in every cohort's week at that slack, the whole instance gets less (2.5, 2, 1.5, 1
times). Whatever is left under GBACP's own most is a restriction GBACP does not have: at
slack 1, a 20 s plain CP-SAT plan of UD3 loaded 20 group-weeks beyond it, of UD5 12, of UD8
12; at the slack each now gets (3, 3, 2), 0, 0 and 1.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, time

from benchmarks.gbacp_data import Instance
from curriculum import (
    Balance,
    Catalog,
    Cohort,
    Cohorts,
    Load,
    Meeting,
    Module,
    Plan,
    Program,
    Ramp,
    Weights,
)

START = date(2027, 1, 4)  # a Monday
DAY = 96  # quarter hours: the layout's unit
WEEK = 7 * DAY
HOURS_IN_WEEK = 168
NO_INTENSITY_CAP = HOURS_IN_WEEK * 5
# How far a group's weekly meetings may hold more than its share, in its longest courses:
# the most at which every cohort's week still holds them all (`lay_out`).
SLACKS = (3.0, 2.5, 2.0, 1.5, 1.0)
NO_GOALS = Weights(
    balance=0,
    weeks_without_skills=0,
    uneven_load=0,
    uneven_load_squared=0,
    early_density=0,
    avoided_weeks=0,
)
WEIGHTS = dataclasses.replace(NO_GOALS, uneven_load_squared=1, avoided_weeks=1)

Group = tuple[int, ...]  # cohorts (curricula, then links), sorted
When = tuple[int, int, int]  # weekday, start and length in quarter hours


def course_id(course: int) -> str:
    """The module id of a 0-based course: ``c1`` for the file's course 1."""
    return f"c{course + 1}"


def links(instance: Instance) -> list[tuple[int, int]]:
    """The ``precedes`` pairs no curriculum holds whole, each the courses of a link cohort
    (numbered after the curricula)."""
    having = _curricula_of(instance)
    pairs = dict.fromkeys(instance.precedences)  # a pair given twice is one link
    return [(a, b) for a, b in pairs if not having[a] & having[b]]


def members(instance: Instance) -> list[tuple[int, ...]]:
    """The cohorts of each course, sorted: the curricula that have it, and the link cohorts
    of the precedences it is in (`links`)."""
    having = _curricula_of(instance)
    for n, pair in enumerate(links(instance)):
        for c in pair:
            having[c].add(instance.n_curricula + n)
    return [tuple(sorted(found)) for found in having]


def _curricula_of(instance: Instance) -> list[set[int]]:
    having: list[set[int]] = [set() for _ in range(instance.n_courses)]
    for k, courses in enumerate(instance.curricula):
        for c in courses:
            having[c].add(k)
    return having


def groups(instance: Instance) -> dict[Group, list[int]]:
    """The courses by the set of cohorts that have them (`members`)."""
    found: dict[Group, list[int]] = defaultdict(list)
    for c, group in enumerate(members(instance)):
        found[group].append(c)
    return dict(found)


def quarters_per_credit(instance: Instance) -> int:
    """Quarter hours per credit: 4 (an hour), fewer when the longest course would not fit
    in a day (UD5: 31 credits at 3 quarters, 23.25 h)."""
    return min(4, DAY // max(instance.course_load))


def capacities(instance: Instance, courses: list[int], slack: float) -> list[int]:
    """The lengths of a group's weekly meetings, in quarter hours: each at most a day and
    at least the group's longest course, together its weekly share plus `slack` times its
    longest course, at most (but for rounding up to whole quarters) what GBACP lets a week
    hold: its largest courses up to the courses-per-period maximum (also for a group of
    link cohorts alone, which GBACP does not cap)."""
    scale = quarters_per_credit(instance)
    loads = sorted((scale * instance.course_load[c] for c in courses), reverse=True)
    most = sum(loads[: max_modules(instance) or len(loads)])
    length = min(most, -(-sum(loads) // instance.n_periods) + round(slack * loads[0]))
    count = -(-length // DAY)
    return [max(loads[0], -(-length // count))] * count


def lay_out(instance: Instance) -> dict[Group, list[When]]:
    """Each group's weekly meetings, as long as every cohort's week holds them
    (`SLACKS`, most first; a GBACP plan may load a group's week beyond its share), first
    fit: larger groups first, each meeting at the first quarter hour free for every cohort
    of the group, no two groups at one exact time.

    Raises
    ------
    ValueError
        When a cohort's meetings do not fit in one week even at the least slack.
    """
    for slack in SLACKS[:-1]:
        try:
            return _lay_out(instance, slack)
        except ValueError:
            continue
    return _lay_out(instance, SLACKS[-1])


def _lay_out(instance: Instance, slack: float) -> dict[Group, list[When]]:
    busy = [bytearray(WEEK) for _ in range(instance.n_curricula + len(links(instance)))]
    taken: set[When] = set()
    found: dict[Group, list[When]] = {}
    by_group = groups(instance)
    for group in sorted(by_group, key=lambda g: (-len(g), g)):
        found[group] = []
        for length in capacities(instance, by_group[group], slack):
            when = _first_free(busy, group, length, taken)
            if when is None:
                raise ValueError(f"{instance.name}: cohorts {group} have no {length / 4} h free")
            day, start, _ = when
            for k in group:
                busy[k][day * DAY + start : day * DAY + start + length] = b"\1" * length
            taken.add(when)
            found[group].append(when)
    return found


def _first_free(busy: list[bytearray], group: Group, length: int, taken: set[When]) -> When | None:
    """The first weekday and quarter hour where `length` quarters are free for every
    cohort of the group."""
    for day in range(7):
        for start in range(DAY - length + 1):
            first = day * DAY + start
            if (day, start, length) not in taken and not any(
                any(busy[k][first : first + length]) for k in group
            ):
                return day, start, length
    return None


def weights(instance: Instance) -> Weights:
    """`uneven_load_squared` per hour² and `avoided_weeks` per course in GBACP's w1 : w2,
    per credit² off the band: a credit is q / 4 h (`quarters_per_credit`), a credit² q² / 16
    h², so the weights are 16 w1 and q² w2, divided by their greatest common divisor (w1
    and w2 themselves at 1 h a credit)."""
    quarters = quarters_per_credit(instance)
    load, avoided = 16 * instance.w1, quarters * quarters * instance.w2
    common = math.gcd(load, avoided) or 1
    return dataclasses.replace(
        WEIGHTS, uneven_load_squared=load // common, avoided_weeks=avoided // common
    )


def max_modules(instance: Instance) -> int | None:
    """Each curriculum's cap on modules a week: GBACP's maximum; None when it is no limit."""
    return instance.max_courses if instance.max_courses < instance.n_courses else None


def min_modules(instance: Instance) -> int | None:
    """Each curriculum's floor on modules a week: GBACP's minimum; None when it is 0."""
    return instance.min_courses or None


def avoided(instance: Instance, k: int) -> dict[int, tuple[int, ...]]:
    """The weeks (1-based) each course avoids in cohort `k`'s catalog: the undesirable
    periods of the courses whose first cohort is `k` (their first curriculum, or their
    first link for a course in no curriculum)."""
    first = {c: group[0] for c, group in enumerate(members(instance)) if group}
    found: dict[int, set[int]] = defaultdict(set)
    for c, p in instance.undesirable:
        if first.get(c) == k:
            found[c].add(p + 1)
    return {c: tuple(sorted(weeks)) for c, weeks in found.items()}


def modules(instance: Instance, courses: tuple[int, ...], k: int) -> tuple[Module, ...]:
    """A cohort's courses as modules, with the prerequisites the cohort holds and the weeks
    to avoid it carries (`avoided`)."""
    avoid = avoided(instance, k)
    inside = set(courses)
    needs: dict[int, list[str]] = defaultdict(list)
    for a, b in instance.precedences:
        if a in inside and b in inside:
            needs[b].append(course_id(a))
    return tuple(
        Module(
            id=course_id(c),
            title=f"course {c + 1}",
            kind="content",
            hours=instance.course_load[c] * quarters_per_credit(instance) / 4,
            density=1,
            prerequisites=tuple(needs[c]),
            avoid_weeks=avoid.get(c, ()),
        )
        for c in courses
    )


def link_weights(instance: Instance) -> Weights:
    """A link cohort's goals: only the weeks to avoid of a course in no curriculum (the
    link's catalog holds them, `avoided`), weighted as in the curricula."""
    return dataclasses.replace(NO_GOALS, avoided_weeks=weights(instance).avoided_weeks)


def program(instance: Instance, k: int, meetings: list[When]) -> Program:
    """Cohort `k`'s programme: the instance's periods as weeks, its groups' meetings; a
    link cohort (`links`) has no caps and no goals but `link_weights`."""
    curriculum = k < instance.n_curricula
    return Program(
        name=f"{instance.name} {cohort_name(instance, k)}",
        start=START,
        weeks=instance.n_periods,
        timezone="UTC",
        meetings=tuple(
            Meeting(day, time(start // 4, start % 4 * 15), length / 4)
            for day, start, length in meetings
        ),
        load=Load(
            HOURS_IN_WEEK,
            NO_INTENSITY_CAP,
            max_modules(instance) if curriculum else None,
            min_modules(instance) if curriculum else None,
        ),
        ramp=Ramp(0, HOURS_IN_WEEK, NO_INTENSITY_CAP, 5),
        balance=Balance(0.5, None),
        duties=None,
        ongoing=None,
        weights=weights(instance) if curriculum else link_weights(instance),
    )


def cohorts(instance: Instance) -> Cohorts:
    """The instance as cohorts: one per curriculum, then one per link (`links`); a course in
    several cohorts is joint."""
    meetings: dict[int, list[When]] = defaultdict(list)
    for group, times in lay_out(instance).items():
        for k in group:
            meetings[k].extend(times)
    courses: dict[int, list[int]] = defaultdict(list)
    for c, group in enumerate(members(instance)):
        for k in group:
            courses[k].append(c)
    return Cohorts(
        name=instance.name,
        cohorts=tuple(
            Cohort(
                cohort_name(instance, k),
                Catalog(modules(instance, tuple(courses[k]), k), source=f"{instance.name}#{k + 1}"),
                program(instance, k, sorted(meetings[k])),
            )
            for k in range(instance.n_curricula + len(links(instance)))
        ),
        joint=tuple(course_id(c) for g, cs in groups(instance).items() if len(g) > 1 for c in cs),
    )


def cohort_name(instance: Instance, k: int) -> str:
    """``curriculum 3`` for a curriculum, ``link c4 -> c5`` for a link cohort."""
    if k < instance.n_curricula:
        return f"curriculum {k + 1}"
    a, b = links(instance)[k - instance.n_curricula]
    return f"link {course_id(a)} -> {course_id(b)}"


def period_of(instance: Instance, plans: Mapping[str, Plan]) -> tuple[int, ...]:
    """The 0-based period of each course, read from the plans' sessions (week, module).

    Raises
    ------
    ValueError
        When a course is missing, or two curricula teach a joint course in different weeks.
    """
    weeks: dict[str, set[int]] = defaultdict(set)
    for plan in plans.values():
        for week, module in zip(plan.sessions["week"], plan.sessions["module"]):
            weeks[str(module)].add(int(week))
    out = []
    for c in range(instance.n_courses):
        found = weeks.get(course_id(c), set())
        if len(found) != 1:
            raise ValueError(f"{instance.name}: course {c + 1} is in weeks {sorted(found)}")
        out.append(found.pop() - 1)
    return tuple(out)
