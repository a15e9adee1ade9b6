"""The hard rules by name, and the per-module rules that need no solver to evaluate."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from curriculum.catalog import Catalog, Module
from curriculum.meetings import Slot
from curriculum.program import Program


@dataclass(frozen=True, order=True)
class Rule:
    """One switchable hard rule: a family, and the week or module(s) it is about."""

    family: str
    week: int = 0
    module: str = ""
    other: str = ""


# ------------------------------------------------------------------ unary rules


def _ramp_density(module: Module, slot: Slot, program: Program) -> bool:
    """Ramp weeks admit no module denser than the ramp's maximum."""
    return module.density > program.density_cap(slot.week)


def _week_window(module: Module, slot: Slot, program: Program) -> bool:
    """A module stays within its earliest/latest week."""
    return not (module.earliest_week or 1) <= slot.week <= (module.latest_week or program.weeks)


def _pre_service(module: Module, slot: Slot, program: Program) -> bool:
    """Pre-service modules end in a week before duties start."""
    start_week = program.duties.start_week
    return module.pre_service and start_week is not None and slot.week >= start_week


def _facilitator(module: Module, slot: Slot, program: Program) -> bool:
    """No module on a day its facilitator is unavailable."""
    return slot.day in program.facilitators.get(module.facilitator, ())


def _weekly_length(module: Module, slot: Slot, program: Program) -> bool:
    """No module longer than its week's hours cap (implied by the cap; named for clarity)."""
    return module.quarters > math.floor(program.hours_cap(slot.week) * 4 + 1e-9)


UNARY_RULES: dict[str, Callable[[Module, Slot, Program], bool]] = {
    "weekly_length": _weekly_length,
    "ramp_density": _ramp_density,
    "window": _week_window,
    "pre_service": _pre_service,
    "facilitator": _facilitator,
}


def forbidding_rules(module: Module, slot: Slot, program: Program) -> list[str]:
    """The unary rule families that keep a module out of a meeting."""
    return [name for name, forbids in UNARY_RULES.items() if forbids(module, slot, program)]


def depths(catalog: Catalog) -> tuple[dict[str, int], dict[str, int]]:
    """Longest prerequisite chain below (before) and above (after) each module, in weeks."""
    before: dict[str, int] = {}
    after: dict[str, int] = {}
    dependants: dict[str, list[str]] = {m.id: [] for m in catalog.modules}
    for module in catalog.modules:
        for prerequisite in module.prerequisites:
            dependants[prerequisite].append(module.id)

    def down(module_id: str) -> int:
        if module_id not in before:
            before[module_id] = max(
                (down(p) + 1 for p in catalog[module_id].prerequisites), default=0
            )
        return before[module_id]

    def up(module_id: str) -> int:
        if module_id not in after:
            after[module_id] = max((up(d) + 1 for d in dependants[module_id]), default=0)
        return after[module_id]

    for module in catalog.modules:
        down(module.id)
        up(module.id)
    return before, after
