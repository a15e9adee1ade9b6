"""Clashes across cohorts proven by counting, with no search: in some run of calendar weeks,
more hours must fall than a shared facilitator's weekly cap, or a shared location's time,
allows.

A module counts in a run when its own rules keep it inside those weeks (a committed
cohort's where it is), a joint module once. A location's time in a week is the time its
cohorts' meetings and weekly ongoing sessions there span, overlaps counted once, since two
cohorts never meet there at the same time; the ongoing sessions take their share of it. A
location is judged only where its cohorts keep one time zone (their weeks are the same
calendar weeks), and a run of weeks only where each cohort's own modules there fit its own
meetings there: else the clash is that cohort's own, not the room's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from curriculum.cells import name_key
from curriculum.cohorts.sharing import Held, Place, held_series, joint_places
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.inputs.program import Program
from curriculum.meetings import Slot, meeting_slots
from curriculum.rules import SharedRule, forbidding
from curriculum.units import calendar_monday, hours_text

TOLERANCE = 1e-9  # hours

Span = tuple[float, date, date]  # a module's hours, first and last calendar week (Mondays)


@dataclass(frozen=True)
class Overload:
    """More hours than a shared facilitator's cap (`SHARED_HOURS`) or a shared location's
    time (`ROOM_CLASH`) allows in a run of calendar weeks: `key` is the name key of the
    facilitator or location, `summary` says it in words."""

    rule: SharedRule
    key: str
    hours: float
    available: float
    first: date
    last: date
    weeks: int
    summary: str
    unused: float = 0.0  # hours a joint meeting leaves unused (it holds joint modules only)


@dataclass(frozen=True)
class _Run:
    """A run of calendar weeks: the hours needed and given there, its first and last
    Monday, its length, and the hours a joint meeting leaves unused there."""

    needed: float
    given: float
    first: date
    last: date
    weeks: int
    unused: float

    @property
    def span(self) -> tuple[date, date, int]:
        """Its first and last Monday, and its length in weeks."""
        return self.first, self.last, self.weeks

    @property
    def beyond(self) -> float:
        """The hours needed beyond those given."""
        return self.needed + self.unused - self.given


@dataclass(frozen=True)
class _Counted:
    """A module of a cohort (by position) as counting sees it: its leader (a name key),
    hours and weeks; `again` for a joint module in a cohort after its first."""

    cohort: int
    facilitator: str
    span: Span
    again: bool
    joint: bool = False


def overloads(
    cohorts: Cohorts, places: Mapping[str, Sequence[Place]] | None = None
) -> list[Overload]:
    """Every shared facilitator whose cap, and every location shared by cohorts whose time,
    counting alone shows too small, each for its worst run of weeks; `places` are the joint
    modules' (`joint_places`, worked out when not given).

    Raises
    ------
    CohortsError
        When a joint module's cohorts share no meeting time and place.
    """
    slots = [meeting_slots(cohort.program) for cohort in cohorts.cohorts]
    modules = _modules(cohorts, slots)
    joint = [p for found in (places or joint_places(cohorts)).values() for p in found]
    return [
        *_facilitators(cohorts, slots, modules),
        *_locations(cohorts, slots, modules, joint),
    ]


def who_teaches(catalog: Catalog, who: str) -> bool:
    """Whether a catalog has a module led by `who` (any case or spacing)."""
    return any(name_key(m.facilitator) == name_key(who) for m in catalog.modules)


def listed(names: Sequence[str]) -> str:
    """'A', 'A' and 'B', 'A', 'B' and 'C'."""
    quoted = [f"'{n}'" for n in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


# ------------------------------------------------------------------ facilitators


def _facilitators(
    cohorts: Cohorts, slots: Sequence[Sequence[Slot]], modules: Sequence[_Counted]
) -> Iterator[Overload]:
    mondays = {calendar_monday(slot.day) for mine in slots for slot in mine}
    series = held_series(cohorts)
    for who, limits in cohorts.facilitators.items():
        cap = limits.max_hours_per_week
        if cap is None:
            continue
        key = name_key(who)
        spans = [m.span for m in modules if m.facilitator == key and not m.again]
        leads = {h.session: h for h in series if h.facilitator == key}.values()  # held once
        fixed = _hours_by_week(leads)
        worst = _worst(_Counts(spans, dict.fromkeys([*mondays, *fixed], cap), fixed))
        if worst is None:
            continue
        hours, available, first, last, weeks = worst.needed, worst.given, *worst.span
        having = [c.name for c in cohorts.cohorts if who_teaches(c.catalog, who)]
        allows = "" if weeks == 1 else f" ({hours_text(available)} h in all)"
        weekly = sum(h for monday, h in fixed.items() if first <= monday <= last)
        ongoing = f", {hours_text(weekly)} h of them weekly ongoing sessions" if weekly else ""
        summary = (
            f"{who} would need {hours_text(hours)} h {_when(first, last, weeks)} across "
            f"{listed(having)}{ongoing}; the cap is {hours_text(cap)} h a week{allows}."
        )
        yield Overload(SharedRule.SHARED_HOURS, key, hours, available, first, last, weeks, summary)


# ------------------------------------------------------------------ locations


def _locations(
    cohorts: Cohorts,
    slots: Sequence[Sequence[Slot]],
    modules: Sequence[_Counted],
    places: Sequence[Place],
) -> Iterator[Overload]:
    at: dict[str, list[int]] = {}
    for n, cohort in enumerate(cohorts.cohorts):
        if cohort.program.location.strip():
            at.setdefault(name_key(cohort.program.location), []).append(n)
    series = _series_apart(cohorts, slots)
    for key, there in at.items():
        if len(there) < 2 or len({cohorts.cohorts[n].program.timezone for n in there}) > 1:
            continue  # one cohort's own meetings are its own rules' matter; zones differ
        held = [h for h in series if h.location == key]
        shortest = min(
            (
                (end - start).total_seconds() / 3600
                for start, end, at_key in places
                if at_key == key
            ),
            default=0.0,
        )
        whole = _Counts(
            [m.span for m in modules if m.cohort in there and not m.again],
            _spanned([*((s.start, s.end) for n in there for s in slots[n]), *_times(held)]),
            _hours_by_week({h.session: h for h in held}.values()),
            [m.span for m in modules if m.cohort in there and m.joint and not m.again],
            shortest,
        )
        each = [
            _Counts(
                [m.span for m in modules if m.cohort == n],
                _spanned([*((s.start, s.end) for s in slots[n]), *_times(_of(held, n))]),
                _hours_by_week(_of(held, n)),
                [m.span for m in modules if m.cohort == n and m.joint],
                shortest,
            )
            for n in there
        ]
        worst = _worst(whole, each)
        if worst is None:
            continue
        hours, available, unused, (first, last, weeks) = (
            worst.needed,
            worst.given,
            worst.unused,
            worst.span,
        )
        place = cohorts.cohorts[there[0]].program.location.strip()
        weekly = sum(h for monday, h in whole.fixed.items() if first <= monday <= last)
        ongoing = f" ({hours_text(weekly)} h of them weekly ongoing sessions)" if weekly else ""
        spanning = "meetings and ongoing sessions" if weekly else "meetings"
        names = [cohorts.cohorts[n].name for n in there]
        left = (
            f"; a meeting that holds a joint module holds joint modules only, which leaves at "
            f"least {hours_text(unused)} h of it unused ({hours_text(hours + unused)} h in all)"
            if unused
            else ""
        )
        summary = (
            f"'{place}' would hold {hours_text(hours)} h of sessions {_when(first, last, weeks)} "
            f"across {listed(names)}{ongoing}{left}; their {spanning} there span "
            f"{hours_text(available)} h of its time, and two cohorts never meet there at once."
        )
        yield Overload(
            SharedRule.ROOM_CLASH, key, hours, available, first, last, weeks, summary, unused
        )


def _series_apart(cohorts: Cohorts, slots: Sequence[Sequence[Slot]]) -> list[Held]:
    """Every cohort's weekly ongoing sessions that none of its own meetings overlaps (a
    published cohort's may: its sessions could then share that time with them)."""
    return [h for h in held_series(cohorts) if not any(h.during(s) for s in slots[h.position])]


def _of(held: Sequence[Held], position: int) -> list[Held]:
    return [h for h in held if h.position == position]


def _times(held: Iterable[Held]) -> list[tuple[datetime, datetime]]:
    return [(h.start, h.end) for h in held]


def _hours_by_week(held: Iterable[Held]) -> dict[date, float]:
    found: dict[date, float] = {}
    for h in held:
        monday = calendar_monday(h.start.date())
        found[monday] = found.get(monday, 0) + h.quarters / 4
    return found


def _spanned(times: Iterable[tuple[datetime, datetime]]) -> dict[date, float]:
    """The hours these intervals span in each calendar week (of their starts), overlaps
    once."""
    found: dict[date, float] = {}
    end: datetime | None = None
    for start, finish in sorted(times):
        if end is not None and start < end:
            start = end  # the overlap is counted already
        if finish > start:
            monday = calendar_monday(start.date())
            found[monday] = found.get(monday, 0) + (finish - start).total_seconds() / 3600
            end = finish
    return found


# ------------------------------------------------------------------ both


def _modules(cohorts: Cohorts, slots: Sequence[Sequence[Slot]]) -> list[_Counted]:
    """Every module of every cohort with the first and last calendar week its own rules
    allow (a committed cohort's: where it is); a module with no week is left out."""
    found = []
    seen: set[str] = set()
    for n, cohort in enumerate(cohorts.cohorts):
        held = _held(cohort)
        for module in cohort.catalog.modules:
            again = module.id in seen
            if module.id in cohorts.joint:
                seen.add(module.id)
            if module.id in held:
                weeks: tuple[date, date] | None = (held[module.id], held[module.id])
            else:
                weeks = _allowed(module, cohort.program, slots[n])
            if weeks is not None:
                span = (module.hours, calendar_monday(weeks[0]), calendar_monday(weeks[1]))
                joint = module.id in cohorts.joint
                found.append(_Counted(n, name_key(module.facilitator), span, again, joint))
    return found


def _allowed(module: Module, program: Program, slots: Sequence[Slot]) -> tuple[date, date] | None:
    """The days of the first and last meetings the module's own rules allow it (looked for
    from each end, so a module allowed early and late is judged in a few meetings)."""

    def fits(slot: Slot) -> bool:
        return module.quarters <= slot.quarters and not forbidding(module, slot, program)

    first = next((slot for slot in slots if fits(slot)), None)
    if first is None:
        return None
    last = next(slot for slot in reversed(slots) if fits(slot))
    return first.day, last.day


def _held(cohort: Cohort) -> dict[str, date]:
    """A committed cohort's modules and the days they are held on (none to plan)."""
    if cohort.committed is None:
        return {}
    sessions = cohort.committed.sessions
    return {
        str(m): pd.Timestamp(start).date()
        for m, start in zip(sessions["module"], sessions["start"])
    }


class _Counts:
    """Hours needed and given in runs of calendar weeks: `spans` of modules, `supply` and
    `fixed` hours by week (Monday); and of those spans, `joint` ones (joint modules), whose
    meeting holds joint modules only: when a run has some, at least its shortest place
    (`shortest` hours) is taken by them, whatever they need."""

    def __init__(
        self,
        spans: Sequence[Span],
        supply: Mapping[date, float],
        fixed: Mapping[date, float],
        joint: Sequence[Span] = (),
        shortest: float = 0.0,
    ) -> None:
        self.mondays = sorted(supply)
        self.supply = supply
        self.fixed = fixed
        self.shortest = shortest
        self.index = {monday: n for n, monday in enumerate(self.mondays)}
        self.inside = self._inside(spans)
        self.joint = self._inside(joint) if joint else None

    def _inside(self, spans: Sequence[Span]) -> list[list[float]]:
        """[j][i]: the hours of the spans whose last week is mondays[j] and whose first is
        mondays[i] or later."""
        found = [[0.0] * (len(self.mondays) + 1) for _ in self.mondays]
        for hours, first, last in spans:
            if first in self.index and last in self.index:
                found[self.index[last]][self.index[first]] += hours
        for row in found:
            for i in range(len(self.mondays) - 1, -1, -1):
                row[i] += row[i + 1]
        return found

    def runs(self, mondays: Sequence[date]) -> Iterator[tuple[int, int, float, float, float]]:
        """For each run of `mondays` (a superset of this one's, in order), its first and
        last index, the hours needed and given in it, and those a joint meeting leaves
        unused."""
        index = self.index
        for i in range(len(mondays)):
            needed = given = jointly = 0.0
            start = next((index[m] for m in mondays[i:] if m in index), len(self.mondays))
            for j in range(i, len(mondays)):
                monday = mondays[j]
                if monday in index:
                    needed += self.inside[index[monday]][start] + self.fixed.get(monday, 0)
                    given += self.supply[monday]
                    jointly += self.joint[index[monday]][start] if self.joint else 0.0
                unused = max(self.shortest - jointly, 0.0) if jointly > TOLERANCE else 0.0
                yield i, j, needed, given, unused


def _worst(whole: _Counts, apart: Sequence[_Counts] = ()) -> _Run | None:
    """The run of weeks whose modules (those that cannot leave it) and fixed hours need
    the most beyond what `whole` gives there, among the runs where each of `apart` has
    what it needs; None when no run does."""
    mondays = whole.mondays
    fits = [[True] * len(mondays) for _ in mondays]
    for part in apart:
        for i, j, needed, given, unused in part.runs(mondays):
            if needed + unused - given > TOLERANCE:
                fits[i][j] = False
    worst: _Run | None = None
    for i, j, needed, given, unused in whole.runs(mondays):
        run = _Run(needed, given, mondays[i], mondays[j], j - i + 1, unused)
        if run.beyond > TOLERANCE and fits[i][j] and (worst is None or run.beyond > worst.beyond):
            worst = run
    return worst


def _when(first: date, last: date, weeks: int) -> str:
    if weeks == 1:
        return f"in the week of {first}"
    return f"in the {weeks} weeks from {first} to {last + timedelta(days=6)}"
