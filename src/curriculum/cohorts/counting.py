"""Clashes across cohorts proven by counting, with no search: in some run of calendar weeks,
more hours must fall than a shared facilitator's weekly cap, or a shared location's time,
allows.

A module counts in a run when its own rules keep it inside those weeks (a committed
cohort's where it is), a joint module once. A location's time in a week is the time its
cohorts' meetings and weekly ongoing sessions there span, overlaps counted once, since two
cohorts never meet there at the same time; the ongoing sessions take their share of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from curriculum.cells import name_key
from curriculum.cohorts.sharing import held_series
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.meetings import meeting_slots
from curriculum.rules import SharedRule, forbidding
from curriculum.units import calendar_monday, hours_text

TOLERANCE = 1e-9  # hours

Takes = Callable[[Cohort, Module], bool]  # whether a cohort's module counts
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

    def cap_needed(self) -> float:
        """The least weekly cap, in quarter hours, that lets these weeks hold these hours."""
        return math.ceil(self.hours * 4 / self.weeks) / 4


def overloads(cohorts: Cohorts) -> list[Overload]:
    """Every shared facilitator whose cap, and every location shared by cohorts whose time,
    counting alone shows too small, each for its worst run of weeks."""
    return [*_facilitators(cohorts), *_locations(cohorts)]


def who_teaches(catalog: Catalog, who: str) -> bool:
    """Whether a catalog has a module led by `who` (any case or spacing)."""
    return any(name_key(m.facilitator) == name_key(who) for m in catalog.modules)


def listed(names: Sequence[str]) -> str:
    """'A', 'A' and 'B', 'A', 'B' and 'C'."""
    quoted = [f"'{n}'" for n in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


# ------------------------------------------------------------------ facilitators


def _facilitators(cohorts: Cohorts) -> Iterator[Overload]:
    mondays = {
        calendar_monday(slot.day)
        for cohort in cohorts.cohorts
        for slot in meeting_slots(cohort.program)
    }
    for who, limits in cohorts.facilitators.items():
        cap = limits.max_hours_per_week
        if cap is None:
            continue
        key = name_key(who)
        spans = _spans(cohorts, _led_by(key))
        worst = _worst(spans, dict.fromkeys(mondays, cap), {})
        if worst is None:
            continue
        hours, available, first, last, weeks = worst
        having = [c.name for c in cohorts.cohorts if who_teaches(c.catalog, who)]
        allows = "" if weeks == 1 else f" ({hours_text(available)} h in all)"
        summary = (
            f"{who} would need {hours_text(hours)} h {_when(first, last, weeks)} across "
            f"{listed(having)}; the cap is {hours_text(cap)} h a week{allows}."
        )
        yield Overload(SharedRule.SHARED_HOURS, key, hours, available, first, last, weeks, summary)


def _led_by(key: str) -> Takes:
    """The modules this facilitator (a name key) leads."""
    return lambda _, module: name_key(module.facilitator) == key


# ------------------------------------------------------------------ locations


def _locations(cohorts: Cohorts) -> Iterator[Overload]:
    at: dict[str, list[Cohort]] = {}
    for cohort in cohorts.cohorts:
        if cohort.program.location.strip():
            at.setdefault(name_key(cohort.program.location), []).append(cohort)
    for key, there in at.items():
        if len(there) < 2:
            continue  # one cohort's own meetings are its own rules' matter
        spans = _spans(cohorts, _held_at(key))
        times: list[tuple[datetime, datetime]] = [
            (slot.start, slot.end) for cohort in there for slot in meeting_slots(cohort.program)
        ]
        series: dict[date, float] = {}
        for held in {h.session: h for h in held_series(cohorts) if h.location == key}.values():
            times.append((held.start, held.end))
            monday = calendar_monday(held.start.date())
            series[monday] = series.get(monday, 0) + held.quarters / 4
        worst = _worst(spans, _spanned(times), series)
        if worst is None:
            continue
        hours, available, first, last, weeks = worst
        place = there[0].program.location.strip()
        weekly = sum(h for monday, h in series.items() if first <= monday <= last)
        ongoing = f" ({hours_text(weekly)} h of them weekly ongoing sessions)" if weekly else ""
        spanning = "meetings and ongoing sessions" if weekly else "meetings"
        summary = (
            f"'{place}' would hold {hours_text(hours)} h of sessions {_when(first, last, weeks)} "
            f"across {listed([c.name for c in there])}{ongoing}; their {spanning} there span "
            f"{hours_text(available)} h of its time, and two cohorts never meet there at once."
        )
        yield Overload(SharedRule.ROOM_CLASH, key, hours, available, first, last, weeks, summary)


def _held_at(key: str) -> Takes:
    """Every module of the cohorts at this location (a name key)."""
    return lambda cohort, _: name_key(cohort.program.location) == key


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


def _spans(cohorts: Cohorts, takes: Takes) -> list[Span]:
    """Each module `takes` counts (a joint module once), as its hours and the first and
    last calendar week its own rules allow (a committed cohort's: where it is)."""
    found = []
    counted: set[str] = set()
    for cohort in cohorts.cohorts:
        held = _held(cohort)
        for module in cohort.catalog.modules:
            if not takes(cohort, module) or module.id in counted:
                continue
            if module.id in cohorts.joint:
                counted.add(module.id)
            if module.id in held:
                weeks = {calendar_monday(held[module.id])}
            else:
                weeks = {
                    calendar_monday(slot.day)
                    for slot in meeting_slots(cohort.program)
                    if module.quarters <= slot.quarters
                    and not forbidding(module, slot, cohort.program)
                }
            if weeks:
                found.append((module.hours, min(weeks), max(weeks)))
    return found


def _held(cohort: Cohort) -> dict[str, date]:
    """A committed cohort's modules and the days they are held on (none to plan)."""
    if cohort.committed is None:
        return {}
    sessions = cohort.committed.sessions
    return {
        str(m): pd.Timestamp(start).date()
        for m, start in zip(sessions["module"], sessions["start"])
    }


def _worst(
    spans: Sequence[Span], supply: Mapping[date, float], fixed: Mapping[date, float]
) -> tuple[float, float, date, date, int] | None:
    """The run of the weeks in `supply` whose modules (those that cannot leave it) and
    `fixed` hours need the most beyond what `supply` gives there: the hours needed and
    given, its first and last Monday, and its length in weeks; None when no run does."""
    mondays = sorted(supply)
    index = {monday: n for n, monday in enumerate(mondays)}
    # inside[j][i]: the hours of the modules whose last week is mondays[j] and whose first
    # is mondays[i] or later
    inside = [[0.0] * (len(mondays) + 1) for _ in mondays]
    for hours, first, last in spans:
        if first in index and last in index:
            inside[index[last]][index[first]] += hours
    for row in inside:
        for i in range(len(mondays) - 1, -1, -1):
            row[i] += row[i + 1]
    worst: tuple[float, float, date, date, int] | None = None
    for i, first in enumerate(mondays):
        needed = given = 0.0
        for j in range(i, len(mondays)):
            needed += inside[j][i] + fixed.get(mondays[j], 0)
            given += supply[mondays[j]]
            beyond = needed - given
            if beyond > TOLERANCE and (worst is None or beyond > worst[0] - worst[1]):
                worst = (needed, given, first, mondays[j], j - i + 1)
    return worst


def _when(first: date, last: date, weeks: int) -> str:
    if weeks == 1:
        return f"in the week of {first}"
    return f"in the {weeks} weeks from {first} to {last + timedelta(days=6)}"
