"""A greedy start for cohorts planned together (a CP-SAT hint): each cohort in turn by the
one-cohort greedy pass, around what the cohorts before it hold, judged as the model judges
it (by meeting): a facilitator's and a room's meetings, shared weekly caps, and joint
modules in the meeting where the first cohort that has them put them (a joint meeting
holding joint modules only, the same ones for every cohort), on a day that leaves room for
the prerequisite chains of every cohort that has them (`joint_days`)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from curriculum.cells import name_key
from curriculum.cohorts.sharing import Place
from curriculum.cpsat.cohorts import CohortsModel, Part
from curriculum.cpsat.warm_start import GREEDY_ATTEMPTS, complete_hint, greedy_assignment
from curriculum.inputs.catalog import Module
from curriculum.meetings import Slot
from curriculum.rules import depths
from curriculum.units import calendar_monday, floor_quarters


@dataclass
class _Held:
    """What the cohorts placed so far hold, by meeting."""

    teaching: dict[str, list[Place]] = field(default_factory=dict)  # facilitator -> meetings
    rooms: dict[str, list[Place]] = field(default_factory=dict)  # location -> meetings
    load: dict[tuple[str, date], int] = field(default_factory=dict)  # quarter hours
    joint_at: dict[str, Place] = field(default_factory=dict)  # joint module -> its meeting
    joint_meetings: dict[Place, set[str]] = field(default_factory=dict)
    days: dict[str, tuple[date, date]] = field(default_factory=dict)  # joint module -> days


def joint_days(cohorts_model: CohortsModel) -> dict[str, tuple[date, date]]:
    """The first and last day each joint module can be taught on and leave room for its
    prerequisite chains (a week a step) in every cohort that has it: without them, the
    first cohort may put it where another cohort's chain cannot follow (GBACP's toy
    instance: the first cohort's greedy pass put c3 in the last week, before c6 of the
    second, which must come after it)."""
    days: dict[str, tuple[date, date]] = {}
    for part in cohorts_model.parts:
        program = part.cohort.program
        before, after = depths(part.cohort.catalog)
        for module_id in cohorts_model.cohorts.joint:
            if module_id not in before:
                continue
            first = program.first_monday + timedelta(weeks=before[module_id])
            last = program.first_monday + timedelta(weeks=program.weeks - after[module_id], days=-1)
            earliest, latest = days.get(module_id, (first, last))
            days[module_id] = (max(earliest, first), min(latest, last))
    return days


def add_cohorts_warm_start(cohorts_model: CohortsModel) -> bool:
    """Hint a complete plan of every cohort when the greedy passes find one that keeps
    every rule (the search then starts from a solution); whether they did."""
    held = _Held(days=joint_days(cohorts_model))
    decisions = []
    for part in cohorts_model.parts:
        placed = _placed(cohorts_model, part, held)
        if placed is None:
            return False
        _hold(cohorts_model, part, placed, held)
        decisions += part.variables.decisions(placed)
    return complete_hint(cohorts_model.model, decisions) is not None


def _placed(cohorts_model: CohortsModel, part: Part, held: _Held) -> dict[int, int] | None:
    """A committed cohort's pins, or the greedy pass around what is held (None when no
    attempt places every module)."""
    modules = part.cohort.catalog.modules
    index = {m.id: n for n, m in enumerate(modules)}
    slots = {s.index: s for s in part.variables.calendar.slots}
    if part.variables.pins.pinned:
        return {index[k]: s for k, s in part.variables.pins.pinned.items() if k in index}
    location = name_key(part.cohort.program.location)
    joint = set(cohorts_model.cohorts.joint)
    having = {j: frozenset(c.name for c in cohorts_model.cohorts.having(j)) for j in joint}

    def blocked(module: Module, slot: Slot, placed: Mapping[int, int]) -> bool:
        place = (slot.start, slot.end, location)
        here = {modules[m].id for m, s in placed.items() if s == slot.index}
        if module.id in joint:
            if _joint_blocked(module.id, slot, place, here, held, having):
                return True
            if place not in cohorts_model.places.get(module.id, ()):
                return True
        elif here & joint or place in held.joint_meetings:
            return True
        together = module.id in held.joint_meetings.get(place, set())
        who = name_key(module.facilitator)
        if who and not together and _overlaps(place, held.teaching.get(who, [])):
            return True
        if location and not together and _overlaps(place, held.rooms.get(location, [])):
            return True
        cap = cohorts_model.caps.get(who)
        if cap is not None and cohorts_model.counted(part, module):
            week = calendar_monday(slot.day)
            mine = sum(
                modules[m].quarters
                for m, s in placed.items()
                if name_key(modules[m].facilitator) == who
                and calendar_monday(slots[s].day) == week
                and cohorts_model.counted(part, modules[m])
            )
            total = held.load.get((who, week), 0) + mine + module.quarters
            return total > floor_quarters(cap)
        return False

    for attempt in range(GREEDY_ATTEMPTS):
        shuffle = random.Random(attempt) if attempt else None
        placed = greedy_assignment(part.variables.domains, shuffle, blocked)
        if len(placed) == len(modules):
            return placed
    return None


def _joint_blocked(
    module_id: str,
    slot: Slot,
    place: Place,
    here: set[str],
    held: _Held,
    having: Mapping[str, frozenset[str]],
) -> bool:
    """Whether a joint module may not take this meeting: outside its days, away from where
    the first cohort put it, or with modules another set of cohorts shares (a joint meeting
    holds the joint modules of one set of cohorts, so that it is one session)."""
    earliest, latest = held.days.get(module_id, (slot.day, slot.day))
    wanted = held.joint_at.get(module_id)
    sharing = having[module_id]
    return (
        not earliest <= slot.day <= latest
        or (wanted is not None and wanted != place)
        or any(having.get(other) != sharing for other in here)
        or any(  # a cohort of both would need two meetings at once
            having[other] != sharing and having[other] & sharing
            for other in held.joint_meetings.get(place, ())
        )
    )


def _hold(cohorts_model: CohortsModel, part: Part, placed: Mapping[int, int], held: _Held) -> None:
    """Record what a cohort's placed modules hold."""
    modules = part.cohort.catalog.modules
    location = name_key(part.cohort.program.location)
    slots = {s.index: s for s in part.variables.calendar.slots}
    for m, s in placed.items():
        module, slot = modules[m], slots[s]
        place = (slot.start, slot.end, location)
        who = name_key(module.facilitator)
        if who:
            held.teaching.setdefault(who, []).append(place)
            if cohorts_model.counted(part, module):
                key = (who, calendar_monday(slot.day))
                held.load[key] = held.load.get(key, 0) + module.quarters
        if location:
            held.rooms.setdefault(location, []).append(place)
        if module.id in cohorts_model.cohorts.joint:
            held.joint_at.setdefault(module.id, place)
            held.joint_meetings.setdefault(place, set()).add(module.id)


def _overlaps(place: Place, others: list[Place]) -> bool:
    start, end, _ = place
    return any(start < other_end and other_start < end for other_start, other_end, _ in others)
