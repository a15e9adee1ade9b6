"""Packing a week's modules into its meetings, once the weeks are chosen.

The weekly model holds what every packing needs (`packing_needs`); `pack` then finds
meetings: longest module first into the emptiest meeting (sessions spread over the week),
else into the fullest (best fit), else by an exact search. A week
proven unpackable gives a minimal unpackable set of modules, which the model then rules
out for that week (exact: no packable plan is lost).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from typing import TypeVar

from ortools.sat.python import cp_model

from curriculum.cpsat.solver import new_solver
from curriculum.inputs.catalog import Module
from curriculum.meetings import Slot

EXACT_SECONDS = 1.0  # per week that best fit cannot pack

Options = Sequence[tuple[Module, Sequence[Slot]]]  # each module with the meetings it may take
LiteralT = TypeVar("LiteralT")


Needs = Iterator[tuple[list[tuple[int, LiteralT]], int]]  # Σ coefficient × literal <= most
Choices = Sequence[tuple[Module, LiteralT, Sequence[Slot]]]  # module, literal, its meetings


def packing_needs(slots: Sequence[Slot], choices: Choices[LiteralT]) -> Needs[LiteralT]:
    """What every packing of a week needs, as sums of coefficient × literal (a module in
    the week) that cannot exceed a number.

    The modules fit in the meetings' total length. With meetings of one length, so do their
    lengths as seen by the dual feasible functions of Fekete and Schepers (for each small
    size s: a module longer than length - s counts as a whole meeting, one shorter than s
    as nothing). A meeting of length L holds at most L // s modules of s or more quarter
    hours. The modules whose possible meetings are among some of the week's meetings fit in
    those (for each set of meetings some module is limited to).
    """
    yield [(m.quarters, var) for m, var, _ in choices], sum(s.quarters for s in slots)
    lengths = {slot.quarters for slot in slots}
    sizes = sorted({m.quarters for m, _, _ in choices})
    if len(lengths) == 1:
        (length,) = lengths
        for small in sorted(q for q in {*sizes, length // 2} if 2 * q <= length):
            if any(q > length - small for q in sizes):
                counted = [(_dual(m.quarters, length, small), var) for m, var, _ in choices]
                yield [(q, var) for q, var in counted if q], length * len(slots)
    room = None
    for size in sizes:  # the shortest size of each count is the strongest
        fitting = sum(slot.quarters // size for slot in slots)
        counted = [(1, var) for m, var, _ in choices if m.quarters >= size]
        if fitting != room and len(counted) > fitting:
            yield counted, fitting
        room = fitting
    holds = {slot.index: slot.quarters for slot in slots}
    meetings = [frozenset(s.index for s in where) for _, _, where in choices]
    for some in sorted(set(meetings) - {frozenset(holds)}, key=sorted):  # the whole: above
        inside = [(m.quarters, var) for (m, var, _), at in zip(choices, meetings) if at <= some]
        most = sum(holds[index] for index in some)
        if sum(q for q, _ in inside) > most:
            yield inside, most


def _dual(size: int, length: int, small: int) -> int:
    """Fekete and Schepers' dual feasible function u^(small) for bins of `length`."""
    if size > length - small:
        return length
    return size if size >= small else 0


class Verdict(Enum):
    """Why a week has no packing."""

    UNPACKABLE = "proven: no packing exists"
    UNPROVEN = "the exact search ran out of time"


def pack(weeks: Mapping[int, Options]) -> dict[str, int] | None:
    """Module id -> meeting index for every week, or None when some week cannot be packed."""
    placed: dict[str, int] = {}
    for week in sorted(weeks):
        packed = pack_week(weeks[week])
        if isinstance(packed, Verdict):
            return None
        placed.update(packed)
    return placed


def pack_week(options: Options, *, exactly: bool = True) -> dict[str, int] | Verdict:
    """Module id -> meeting index for one week's modules, or why there is none (without
    the exact search unless `exactly`: then UNPROVEN where the quick fits fail).

    Final modules go in a meeting no earlier than every other module's: each possible
    last meeting is tried, latest first.
    """
    if not any(module.final for module, _ in options):
        return _pack_week(options, exactly)
    lasts = sorted({s.index for module, slots in options if module.final for s in slots})
    verdict = Verdict.UNPACKABLE
    for last in reversed(lasts):
        limited = [
            (module, [s for s in slots if (s.index >= last) == module.final or s.index == last])
            for module, slots in options
        ]
        packed = _pack_week(limited, exactly) if all(slots for _, slots in limited) else verdict
        if not isinstance(packed, Verdict):
            return packed
        if packed is Verdict.UNPROVEN:
            verdict = Verdict.UNPROVEN
    return verdict


def _pack_week(options: Options, exactly: bool) -> dict[str, int] | Verdict:
    for spread in (True, False):
        packed = fit(options, spread=spread)
        if packed is not None:
            return packed
    return exact(options) if exactly else Verdict.UNPROVEN


def minimal_unpackable(options: Options) -> list[Module]:
    """Modules of a week proven unpackable that still cannot be packed, but can without any
    one of them (found by deletion; a subset whose search runs out of time is kept)."""
    core = list(options)
    for item in list(core):
        trial = [option for option in core if option is not item]
        if pack_week(trial) is Verdict.UNPACKABLE:
            core = trial
    return [module for module, _ in core]


def fit(options: Options, *, spread: bool) -> dict[str, int] | None:
    """Longest module first, into the emptiest meeting it fits (`spread`: shorter sessions
    across the week) or the fullest (best fit: packs tighter); None if one fits none."""
    free = {slot.index: slot.quarters for _, slots in options for slot in slots}
    placed = {}
    for module, slots in sorted(options, key=lambda o: (-o[0].quarters, o[0].id)):
        fitting = [s.index for s in slots if free[s.index] >= module.quarters]
        if not fitting:
            return None
        sign = -1 if spread else 1
        chosen = min(fitting, key=lambda index: (sign * free[index], index))
        free[chosen] -= module.quarters
        placed[module.id] = chosen
    return placed


def exact(options: Options) -> dict[str, int] | Verdict:
    """A packing found by a small complete search, or why there is none."""
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
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return Verdict.UNPACKABLE
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Verdict.UNPROVEN
    return {module_id: index for (module_id, index), var in chosen.items() if solver.value(var)}
