"""A greedy start for cohorts planned together (a CP-SAT hint): each cohort in turn by the
one-cohort greedy pass, around what the cohorts before it hold, judged as the model judges
it (by meeting): a facilitator's and a room's meetings, shared weekly caps, and joint
modules in the meeting where the first cohort that has them put them (a joint meeting
holding joint modules only, the same ones for every cohort)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from curriculum.cells import name_key
from curriculum.cohorts.sharing import Place
from curriculum.cpsat.cohorts import CohortsModel, Part
from curriculum.cpsat.warm_start import GREEDY_ATTEMPTS, complete_hint, greedy_assignment
from curriculum.inputs.catalog import Module
from curriculum.meetings import Slot
from curriculum.units import calendar_monday, floor_quarters


@dataclass
class _Held:
    """What the cohorts placed so far hold, by meeting."""

    teaching: dict[str, list[Place]] = field(default_factory=dict)  # facilitator -> meetings
    rooms: dict[str, list[Place]] = field(default_factory=dict)  # location -> meetings
    load: dict[tuple[str, date], int] = field(default_factory=dict)  # quarter hours
    joint_at: dict[str, Place] = field(default_factory=dict)  # joint module -> its meeting
    joint_meetings: dict[Place, set[str]] = field(default_factory=dict)


def add_cohorts_warm_start(cohorts_model: CohortsModel) -> bool:
    """Hint a complete plan of every cohort when the greedy passes find one that keeps
    every rule (the search then starts from a solution); whether they did."""
    held = _Held()
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

    def blocked(module: Module, slot: Slot, placed: Mapping[int, int]) -> bool:
        place = (slot.start, slot.end, location)
        here = {modules[m].id for m, s in placed.items() if s == slot.index}
        if module.id in joint:
            wanted = held.joint_at.get(module.id)
            if wanted is not None and wanted != place:
                return True
            if place not in cohorts_model.places.get(module.id, ()) or here - joint:
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
