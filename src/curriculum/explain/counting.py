"""Clashes found without search: a module its own rules shut out of every meeting, and
more hours (or intensity) due by a week than the caps or meetings before it allow; and the
catalog without the modules that cannot go anywhere, for the search for further clashes."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import combinations

from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar, Slot
from curriculum.rules import Clause, Rule, forbidding, unary_key
from curriculum.units import floor_quarters


def unplaceable(catalog: Catalog, program: Program, slots: Sequence[Slot]) -> list[list[Clause]]:
    """Modules whose own rules leave them no meeting: the smallest set of those rules."""
    cores = []
    for module in catalog.modules:
        away = frozenset(program.unavailable(module.facilitator))
        judged: dict[tuple[int, bool], set[Rule]] = {}  # the rules by `unary_key`
        for slot in slots:
            key = unary_key(slot, away)
            if module.quarters <= slot.quarters and key not in judged:
                judged[key] = set(forbidding(module, slot, program))
        blocked = list(judged.values())
        if all(blocked):
            families = sorted(set().union(*blocked))
            for size in range(1, len(families) + 1):
                found = next(
                    (c for c in combinations(families, size) if all(b & set(c) for b in blocked)),
                    None,
                )
                if found:
                    cores.append([Clause(rule, module=module.id) for rule in found])
                    break
    return cores


def overloaded(catalog: Catalog, program: Program, slots: Sequence[Slot]) -> list[list[Clause]]:
    """All modules, or all pre-service ones, need more hours (or intensity) than their
    weeks' caps, or their meetings, can hold: a clash proven by counting alone."""
    start_week = program.limits.duty_start
    calendar = MeetingCalendar.of(program, slots)
    cores = []
    for pre_service_only in (False, True):
        last = (
            (start_week - 1 if start_week else program.weeks) if pre_service_only else program.weeks
        )
        due = [m for m in catalog.modules if m.pre_service or not pre_service_only]
        meeting_room = {w: calendar.meeting_quarters(w) for w in range(1, last + 1)}
        teaching = [w for w, room in meeting_room.items() if room]
        found: set[Rule] = set()
        for clauses, room, weight in _counts(program, teaching, meeting_room):
            rules = {clause.rule for clause in clauses}
            needed = [] if found & rules else _fewest_overflowing(due, room, weight)
            if needed:
                found |= rules
                extra = [Clause(Rule.PRE_SERVICE, module=m.id) for m in needed if pre_service_only]
                cores.append([*clauses, *extra])
    return cores


def _counts(
    program: Program, teaching: Sequence[int], meeting_room: Mapping[int, int]
) -> Iterator[tuple[list[Clause], int, Callable[[Module], int]]]:
    """Counting arguments as (rules, room, weight), in quarter hours or density points:
    the hours caps, the meetings' lengths, both together (looked at only when neither
    alone is short), and the intensity caps."""
    hours = {w: floor_quarters(program.hours_cap(w)) for w in teaching}
    intensity = sum(floor_quarters(program.intensity_cap(w)) for w in teaching)
    by_intensity: Callable[[Module], int] = lambda m: m.quarters * m.density  # noqa: E731
    by_hours: Callable[[Module], int] = lambda m: m.quarters  # noqa: E731
    caps = [Clause(Rule.WEEKLY_HOURS, week=w) for w in teaching]
    meetings = Clause(Rule.MEETINGS)
    yield caps, sum(hours.values()), by_hours
    yield [meetings], sum(meeting_room[w] for w in teaching), by_hours
    both = sum(min(hours[w], meeting_room[w]) for w in teaching)
    yield [*caps, meetings], both, by_hours
    yield [Clause(Rule.WEEKLY_INTENSITY, week=w) for w in teaching], intensity, by_intensity


def _fewest_overflowing(
    modules: Sequence[Module], room: int, weight: Callable[[Module], int]
) -> list[Module]:
    """The heaviest modules whose weight alone exceeds the room ([] if all of them fit)."""
    chosen: list[Module] = []
    total = 0
    for module in sorted(modules, key=lambda m: -weight(m)):
        if total > room:
            break
        chosen.append(module)
        total += weight(module)
    return chosen if total > room else []


def without(catalog: Catalog, module_ids: set[str]) -> Catalog:
    """The catalog less some modules (and prerequisites on them)."""
    if not module_ids:
        return catalog
    modules = tuple(
        dataclasses.replace(
            m, prerequisites=tuple(p for p in m.prerequisites if p not in module_ids)
        )
        for m in catalog.modules
        if m.id not in module_ids
    )
    return dataclasses.replace(catalog, modules=modules)
