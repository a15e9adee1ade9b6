"""Why no plan exists: minimal sets of clashing clauses, found by counting and with CP-SAT
assumptions, each with a relaxation verified by re-solving."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from dataclasses import dataclass

from curriculum.cpsat import OutOfTimeError, PlanModel, has_plan, minimal_core
from curriculum.explain.conflict import Conflict
from curriculum.explain.counting import overloaded, unplaceable, without
from curriculum.explain.relax import Relaxation, candidates, longer_meetings
from curriculum.explain.wording import describe, too_long
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import Slot, meeting_slots
from curriculum.replanning import Pins, Replanning
from curriculum.rules import Clause, Rule

CHECK_SECONDS = 10.0  # per feasibility check, on the wall clock (also bounded by the limit)
# Per feasibility check, in CP-SAT's deterministic time: what decides a check, so that the
# same inputs give the same explanation on a busy machine as on an idle one (unless the
# wall clock runs out first, which the result then says).
CHECK_DTIME = 2.0
SUGGESTION_SECONDS = 15.0  # for all suggestions together
MAX_CONFLICTS = 3  # reported
MAX_SEARCHED = 6  # found, so that each reported clash is judged apart from the others
MAX_SUGGESTION_TRIES = 30


@dataclass
class _Budget:
    """The time an explanation may take; `cut` records that it ran out."""

    deadline: float
    cut: bool = False

    def seconds(self, most: float) -> float:
        """Seconds for the next check: at most `most`, never past the deadline."""
        left = self.deadline - time.monotonic()
        if left <= 0.05:
            self.cut = True
        return max(min(most, left), 0.01)

    @property
    def over(self) -> bool:
        if time.monotonic() >= self.deadline:
            self.cut = True
        return self.cut


def explain_infeasibility(
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None = None,
    *,
    seconds: float = CHECK_SECONDS * MAX_SEARCHED + SUGGESTION_SECONDS,
) -> tuple[list[Conflict], bool]:
    """Up to three minimal sets of rules that cannot all hold together, each with a
    relaxation verified by re-solving (with the other clashes found switched off); and
    whether `seconds` ran out before the explanation was complete.

    When re-planning, what already happened is a rule too ("stays where it was").
    """
    budget = _Budget(time.monotonic() + seconds)
    conflicts = _explain(catalog, program, replanning, budget)
    return conflicts, budget.cut


def _explain(
    catalog: Catalog, program: Program, replanning: Replanning | None, budget: _Budget
) -> list[Conflict]:
    catalog, slots, pins = _setting(catalog, program, replanning)
    longest = max((s.quarters for s in slots), default=0)
    oversized = [m for m in catalog.modules if m.quarters > longest]
    if oversized or not slots:
        conflict = too_long(oversized, program, longest)
        relaxations = longer_meetings([Clause(Rule.MEETINGS)], catalog, program, replanning)
        suggestion = _verified_suggestion(relaxations, set(), budget)
        return [dataclasses.replace(conflict, suggestion=suggestion)]
    stuck = [] if pins else unplaceable(catalog, program, slots)
    # A module longer than its weeks' caps would clash again with the caps themselves.
    too_heavy = {c.module for core in stuck for c in core if c.rule is Rule.WEEKLY_HOURS}
    rest = without(catalog, too_heavy)
    cores = [*stuck, *([] if pins else overloaded(rest, program, slots))]
    explained = {clause for core in cores for clause in core}
    if not (cores and not pins and _plan_without(rest, program, slots, explained, budget)):
        # counting did not find every clash: CP-SAT searches for the others
        _search_cores(rest, program, slots, pins, cores, budget)
    explained = {clause for core in cores for clause in core}
    conflicts = []
    for core in cores[:MAX_CONFLICTS]:
        others = explained - set(core)
        base = catalog if core in stuck else rest
        relaxations = candidates(core, base, program, replanning)
        suggestion = _verified_suggestion(relaxations, others, budget)
        summary, lines = describe(core, catalog, program, replanning)
        conflicts.append(Conflict(summary, tuple(lines), suggestion))
    return conflicts


def _search_cores(
    catalog: Catalog,
    program: Program,
    slots: tuple[Slot, ...],
    pins: Pins | None,
    cores: list[list[Clause]],
    budget: _Budget,
) -> None:
    """Add to `cores` minimal sets of clashing clauses found by CP-SAT, each apart from
    those already there, up to `MAX_SEARCHED` in all."""
    if budget.over or len(cores) >= MAX_SEARCHED:
        return
    try:
        plan_model = PlanModel(
            catalog, program, explain=True, slots=slots, pins=pins, deadline=budget.deadline
        )
    except OutOfTimeError:
        budget.cut = True
        return
    explained = {clause for core in cores for clause in core}
    while len(cores) < MAX_SEARCHED and not budget.over:
        active = [c for c in plan_model.guards.switches if c not in explained]
        core = minimal_core(plan_model, active, budget.seconds(CHECK_SECONDS), CHECK_DTIME)
        if not core:
            return
        cores.append(core)
        explained |= set(core)


def _plan_without(
    catalog: Catalog,
    program: Program,
    slots: tuple[Slot, ...],
    clauses: set[Clause],
    budget: _Budget,
) -> bool:
    """Whether a plan exists once these clauses are off, proven on the model of weeks (then
    there is no other clash to search for)."""
    try:
        model = PlanModel(
            catalog,
            program,
            slots=slots,
            dropped=frozenset(clauses),
            weekly=True,
            deadline=budget.deadline,
        )
    except OutOfTimeError:
        return False
    return has_plan(model, budget.seconds(CHECK_SECONDS), CHECK_DTIME) is True


def _setting(
    catalog: Catalog, program: Program, replanning: Replanning | None
) -> tuple[Catalog, tuple[Slot, ...], Pins | None]:
    """The catalog, meetings and pins the model sees (re-planning adds the frozen past)."""
    if replanning is None:
        return catalog, meeting_slots(program), None
    frozen = replanning.freeze(catalog, program)
    return frozen.catalog, frozen.slots, Pins(frozen.pinned, frozen.open_from)


def _verified_suggestion(
    relaxations: Iterator[Relaxation], others: set[Clause], budget: _Budget
) -> str | None:
    """The first candidate relaxation under which the problem solves again (rules of the
    other conflicts switched off, so each conflict is judged on its own); None when none
    does, or when a check is left undecided (rather than suggest a later candidate)."""
    for relaxation in _limited(relaxations, MAX_SUGGESTION_TRIES):
        if budget.over:
            return None
        works = _works(relaxation, others, budget)
        if works is None:
            return None
        if works:
            return relaxation.description
    return None


def _works(relaxation: Relaxation, others: set[Clause], budget: _Budget) -> bool | None:
    """Whether the relaxed problem has a plan with every rule on, except those of other
    conflicts (None when undecided in time): no when counting alone shows it still clashes;
    else on the model of weeks, and on the model of meetings only when a plan of weeks was
    found that does not pack into meetings."""
    catalog, slots, pins = _setting(relaxation.catalog, relaxation.program, relaxation.replanning)
    if not pins:  # a clash that counting alone proves needs no search
        counted = [*unplaceable(catalog, relaxation.program, slots)]
        counted += overloaded(catalog, relaxation.program, slots)
        if any(not others.intersection(core) for core in counted):
            return False
    verdict = None
    for weekly in (True, False) if not pins else (False,):
        try:
            model = PlanModel(
                catalog,
                relaxation.program,
                slots=slots,
                pins=pins,
                dropped=frozenset(others),
                weekly=weekly,
                deadline=budget.deadline,
            )
        except OutOfTimeError:
            budget.cut = True
            return None
        seconds, began = budget.seconds(CHECK_SECONDS), time.monotonic()
        verdict = has_plan(model, seconds, CHECK_DTIME)
        if verdict is not None:
            return verdict
        if time.monotonic() - began >= 0.95 * seconds:
            budget.cut = True  # the wall clock, not the check's own time, stopped it
            return None
    return verdict


def _limited(items: Iterator[Relaxation], limit: int) -> Iterator[Relaxation]:
    for count, item in enumerate(items):
        if count >= limit:
            return
        yield item
