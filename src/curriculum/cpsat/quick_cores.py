"""Clashes found without search: a module its own rules shut out of every meeting, and
more hours due by a week than the weeks before it allow; and the catalog without the
modules that cannot go anywhere, for the search for further clashes."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from itertools import combinations

from curriculum.catalog import Catalog, Module
from curriculum.cpsat.model import quarters_cap
from curriculum.meetings import Slot
from curriculum.program import Program
from curriculum.rules import Rule, forbidding_rules


def unplaceable(catalog: Catalog, program: Program, slots: Sequence[Slot]) -> list[list[Rule]]:
    """Modules whose own rules leave them no meeting: the smallest set of those rules."""
    cores = []
    for module in catalog.modules:
        blocked = [
            set(forbidding_rules(module, slot, program))
            for slot in slots
            if module.quarters <= slot.quarters
        ]
        if all(blocked):
            families = sorted(set().union(*blocked))
            for size in range(1, len(families) + 1):
                found = next(
                    (c for c in combinations(families, size) if all(b & set(c) for b in blocked)),
                    None,
                )
                if found:
                    cores.append([Rule(family, module=module.id) for family in found])
                    break
    return cores


def overloaded(catalog: Catalog, program: Program, slots: Sequence[Slot]) -> list[list[Rule]]:
    """All modules, or all pre-service ones, need more hours than their weeks allow."""
    start_week = program.duties.start_week
    cores = []
    for pre_service_only in (False, True):
        last = (
            (start_week - 1 if start_week else program.weeks) if pre_service_only else program.weeks
        )
        due = [m for m in catalog.modules if m.pre_service or not pre_service_only]
        weeks = range(1, last + 1)
        room = {w: _room(w, program, slots) for w in weeks}
        needed = _fewest_overflowing(due, sum(room.values()))
        if needed:
            rules = [Rule("hours", week=w) for w in weeks if room[w]]
            if pre_service_only:
                rules += [Rule("pre_service", module=m.id) for m in needed]
            cores.append(rules)
    return cores


def _room(week: int, program: Program, slots: Sequence[Slot]) -> int:
    meetings = sum(s.quarters for s in slots if s.week == week)
    return min(meetings, quarters_cap(program.hours_cap(week)))


def _fewest_overflowing(modules: Sequence[Module], room: int) -> list[Module]:
    """The largest modules whose hours alone exceed the room ([] if all of them fit)."""
    chosen: list[Module] = []
    for module in sorted(modules, key=lambda m: -m.quarters):
        if sum(m.quarters for m in chosen) > room:
            break
        chosen.append(module)
    return chosen if sum(m.quarters for m in chosen) > room else []


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
