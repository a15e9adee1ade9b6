"""Packing a week's modules into its meetings, once the weeks are chosen.

The weekly model only knows that a week's modules fit in its meetings' total length; this
finds meetings for them: best fit, longest module first, and an exact search for the rare
week where that fails.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from curriculum.catalog import Module
from curriculum.cpsat.solver import new_solver
from curriculum.meetings import Slot

EXACT_SECONDS = 1.0  # per week that best fit cannot pack

Options = Sequence[tuple[Module, Sequence[Slot]]]  # each module with the meetings it may take


def pack(weeks: Mapping[int, Options]) -> dict[str, int] | None:
    """Module id -> meeting index for every week, or None when some week cannot be packed."""
    placed: dict[str, int] = {}
    for week in sorted(weeks):
        packed = best_fit(weeks[week]) or exact(weeks[week])
        if packed is None:
            return None
        placed.update(packed)
    return placed


def best_fit(options: Options) -> dict[str, int] | None:
    """Longest module first, into the fullest meeting it still fits (None if one fits none)."""
    free = {slot.index: slot.quarters for _, slots in options for slot in slots}
    placed = {}
    for module, slots in sorted(options, key=lambda o: (-o[0].quarters, o[0].id)):
        fitting = [s.index for s in slots if free[s.index] >= module.quarters]
        if not fitting:
            return None
        best = min(fitting, key=lambda index: (free[index], index))
        free[best] -= module.quarters
        placed[module.id] = best
    return placed


def exact(options: Options) -> dict[str, int] | None:
    """A packing found by a small complete search (None when there is none, or no time)."""
    model = cp_model.CpModel()
    chosen: dict[tuple[str, int], cp_model.IntVar] = {}
    load: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    capacity = {}
    for module, slots in options:
        for slot in slots:
            var = model.new_bool_var(f"{module.id}@{slot.index}")
            chosen[module.id, slot.index] = var
            load.setdefault(slot.index, []).append((module.quarters, var))
            capacity[slot.index] = slot.quarters
        model.add_exactly_one(chosen[module.id, slot.index] for slot in slots)
    for index, terms in load.items():
        model.add(sum(q * var for q, var in terms) <= capacity[index])
    solver = new_solver(time_limit=EXACT_SECONDS)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {module_id: index for (module_id, index), var in chosen.items() if solver.value(var)}
