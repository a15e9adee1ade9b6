"""What cohorts share, in meetings: where a joint module can be taught to all its cohorts at
once (the meeting times and places they all have), and which meetings of different
cohorts overlap in time (for a shared facilitator) or in time and place (for a room)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from curriculum.cells import name_key
from curriculum.errors import CohortsError, Problem
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.meetings import MeetingCalendar, Slot, meeting_slots, ongoing_times
from curriculum.replanning import Pins
from curriculum.units import floor_quarters

Place = tuple[datetime, datetime, str]  # start, end, location (as names are matched)
NAMED_MOST = 5  # sessions a message names; the rest are counted


def place_of(cohort: Cohort, slot: Slot) -> Place:
    """A meeting's time and place: start and end instants and the programme's location."""
    return slot.start, slot.end, name_key(cohort.program.location)


def joint_places(cohorts: Cohorts) -> dict[str, tuple[Place, ...]]:
    """Each joint module's possible places: the meeting times and places every cohort that
    has it holds, long enough for it (in time order).

    Raises
    ------
    CohortsError
        Naming each joint module whose cohorts share no meeting time and place long enough.
    """
    found: dict[str, tuple[Place, ...]] = {}
    problems = []
    for module_id in cohorts.joint:
        having = cohorts.having(module_id)
        shared = set.intersection(
            *({place_of(c, s) for s in meeting_slots(c.program)} for c in having)
        )
        hours = max(c.catalog[module_id].hours for c in having)
        places = {p for p in shared if (p[1] - p[0]).total_seconds() >= hours * 3600}
        found[module_id] = tuple(sorted(places))
        if not places:
            names = ", ".join(f"'{c.name}'" for c in having)
            why = (
                f"it lasts {hours:g} h, longer than every meeting they share"
                if shared
                else "they share no meeting at the same time and place (same day, start, "
                "length and location)"
            )
            problems.append(
                Problem(
                    cohorts.source,
                    f"joint module '{module_id}' cannot be taught to {names} together: {why}",
                    cohorts.lines.get("joint.modules"),
                    "joint.modules",
                    column_label="key",
                )
            )
    if problems:
        raise CohortsError(problems)
    return found


@dataclass(frozen=True)
class Held:
    """One session of a cohort's weekly ongoing series: time the others are planned around,
    its facilitator's (a name key) and its programme's location's (a name key)."""

    position: int
    start: datetime
    end: datetime
    facilitator: str
    location: str
    quarters: int

    def during(self, slot: Slot) -> bool:
        """Whether it overlaps the meeting in time."""
        return self.start < slot.end and slot.start < self.end

    @property
    def session(self) -> tuple[datetime, datetime, str, str]:
        """What makes two cohorts' ongoing sessions one, held together: the same instants,
        facilitator and location."""
        return self.start, self.end, self.facilitator, self.location


def held_series(cohorts: Cohorts) -> list[Held]:
    """Every cohort's weekly ongoing sessions (by position in the file)."""
    return [
        Held(
            n,
            start,
            end,
            name_key(ongoing.facilitator),
            name_key(cohort.program.location),
            floor_quarters(ongoing.hours),
        )
        for n, cohort in enumerate(cohorts.cohorts)
        if (ongoing := cohort.program.ongoing) is not None
        for start, end in ongoing_times(cohort.program)
    ]


def series_clashes(cohorts: Cohorts) -> None:
    """Refuse cohorts whose weekly ongoing series (fixed by their programmes, so no plan
    can move them) overlap with one facilitator or at one location; two at the very same
    time and place, with the same facilitator, are one session held for both cohorts.

    Raises
    ------
    CohortsError
        Naming each pair of cohorts, what they share, and the first day they clash.
    """
    problems = []
    named: set[tuple[int, int]] = set()
    held = sorted(held_series(cohorts), key=lambda h: h.start)
    for i, first in enumerate(held):
        for second in held[i + 1 :]:
            if second.start >= first.end:
                break
            pair = (first.position, second.position)
            together = first.session == second.session  # one session for both cohorts
            if together or first.position == second.position or pair in named:
                continue
            one, other = cohorts.cohorts[first.position], cohorts.cohorts[second.position]
            shared = _shared_by(first, second, one)
            if not shared:
                continue
            named.add(pair)
            problems.append(
                Problem(
                    cohorts.source,
                    f"the weekly ongoing sessions of '{one.name}' and '{other.name}' overlap "
                    f"from {first.start:%Y-%m-%d} ({first.start:%H:%M} and "
                    f"{second.start:%H:%M}) with {shared}: move one "
                    "([ongoing] start or weekday in its programme)",
                    cohorts.lines.get(f"cohort[{second.position + 1}].program"),
                    f"cohort[{second.position + 1}].program",
                    column_label="key",
                )
            )
    if problems:
        raise CohortsError(problems)


def _shared_by(first: Held, second: Held, cohort: Cohort) -> str:
    """What two ongoing sessions share, as `cohort` (the first's) spells it: one
    facilitator, one location, both ("" for neither)."""
    assert cohort.program.ongoing is not None
    found = []
    if first.facilitator and first.facilitator == second.facilitator:
        found.append(f"one facilitator, '{cohort.program.ongoing.facilitator.strip()}'")
    if first.location and first.location == second.location:
        found.append(f"one location, '{cohort.program.location.strip()}'")
    return " and ".join(found)


def overlapping_pairs(
    cohorts: Cohorts,
) -> Iterator[tuple[tuple[int, Slot], tuple[int, Slot]]]:
    """Every pair of meetings of two different cohorts (by position) that overlap in time,
    found by sweeping the meetings in time order."""
    meetings = sorted(
        ((c, s) for c, cohort in enumerate(cohorts.cohorts) for s in meeting_slots(cohort.program)),
        key=lambda pair: pair[1].start,
    )
    open_: list[tuple[int, Slot]] = []
    for cohort, slot in meetings:
        open_ = [(c, s) for c, s in open_ if s.end > slot.start]
        for other, earlier in open_:
            if other != cohort:
                yield (other, earlier), (cohort, slot)
        open_.append((cohort, slot))


def committed_pins(cohort: Cohort, calendar: MeetingCalendar) -> Pins:
    """A committed cohort's modules pinned to the meetings its published sessions are in
    (the meeting whose time holds the session's start), every meeting closed; none for a
    cohort still to plan."""
    if cohort.committed is None:
        return Pins()
    pinned = {}
    frame = cohort.committed.sessions
    for module_id, start in zip(frame["module"], frame["start"]):
        instant = pd.Timestamp(start).to_pydatetime()
        for slot in calendar.slots:
            if slot.start <= instant < slot.end:
                pinned[str(module_id)] = slot.index
                break
    return Pins(pinned, open_from=len(calendar.slots))


def published_outside_meetings(cohorts: Cohorts) -> None:
    """Refuse committed cohorts with published sessions in no meeting of their programme as
    it is now (its meetings changed since): such a plan can neither stay as published in
    the model nor be planned around.

    Raises
    ------
    CohortsError
        Naming each such cohort and its sessions.
    """
    problems = []
    for number, cohort in enumerate(cohorts.cohorts, start=1):
        if cohort.committed is None:
            continue
        pinned = committed_pins(cohort, MeetingCalendar.of(cohort.program)).pinned
        sessions = cohort.committed.sessions
        outside = [
            f"'{module}' ({pd.Timestamp(start):%a %Y-%m-%d %H:%M})"
            for module, start in zip(sessions["module"], sessions["start"])
            if str(module) not in pinned
        ]
        if outside:
            key = f"cohort[{number}].plan"
            more = f" and {len(outside) - NAMED_MOST} more" if len(outside) > NAMED_MOST else ""
            named = ", ".join(outside[:NAMED_MOST]) + more
            problems.append(
                Problem(
                    cohorts.source,
                    f"cohort '{cohort.name}' is published with {named} in no "
                    "meeting of its programme as it is now: restore its meetings, or leave out "
                    "its plan to plan it again",
                    cohorts.lines.get(key),
                    key,
                    column_label="key",
                )
            )
    if problems:
        raise CohortsError(problems)


def independent_groups(cohorts: Cohorts) -> list[tuple[int, ...]]:
    """The cohorts (by position) in groups that share nothing with each other: no
    facilitator, no location, no joint module; each group can be planned on its own."""
    group = list(range(len(cohorts)))

    def root(n: int) -> int:
        while group[n] != n:
            group[n] = group[group[n]]
            n = group[n]
        return n

    first: dict[tuple[str, str], int] = {}
    for n, cohort in enumerate(cohorts.cohorts):
        leaders = [m.facilitator for m in cohort.catalog.modules]
        if cohort.program.ongoing is not None:  # who leads its weekly series
            leaders.append(cohort.program.ongoing.facilitator)
        keys = {("facilitator", name_key(who)) for who in leaders}
        keys.discard(("facilitator", ""))
        if cohort.program.location.strip():
            keys.add(("location", name_key(cohort.program.location)))
        keys |= {("joint", j) for j in cohorts.joint if j in cohort.catalog}
        for key in sorted(keys):
            other = first.setdefault(key, n)
            group[root(n)] = root(other)
    found: dict[int, list[int]] = {}
    for n in range(len(cohorts)):
        found.setdefault(root(n), []).append(n)
    return [tuple(members) for members in found.values()]


def subset(cohorts: Cohorts, members: tuple[int, ...]) -> Cohorts:
    """The cohorts at these positions, with the facilitators and joint modules they have."""
    chosen = tuple(cohorts.cohorts[n] for n in members)
    return dataclasses.replace(
        cohorts,
        cohorts=chosen,
        facilitators={
            who: limits
            for who, limits in cohorts.facilitators.items()
            if any(
                name_key(m.facilitator) == name_key(who) for c in chosen for m in c.catalog.modules
            )
        },
        joint=tuple(j for j in cohorts.joint if any(j in c.catalog for c in chosen)),
    )
