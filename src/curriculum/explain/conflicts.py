"""Why no plan exists: minimal sets of clashing clauses, found by counting and with CP-SAT
assumptions, each with a relaxation verified by re-solving."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator
from dataclasses import dataclass

from curriculum.cpsat import PlanModel, holds, minimal_core
from curriculum.explain.conflict import Conflict
from curriculum.explain.counting import overloaded, unplaceable, without
from curriculum.explain.relax import Relaxation, candidates, longer_meetings
from curriculum.explain.wording import describe, too_long
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import Slot, meeting_slots
from curriculum.replanning import Pins, Replanning
from curriculum.rules import Clause, Rule

CHECK_SECONDS = 2.0  # per feasibility check
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
    plan_model = PlanModel(rest, program, explain=True, slots=slots, pins=pins)
    for _ in range(MAX_SEARCHED - len(cores)):
        if budget.over:
            break
        active = [c for c in plan_model.guards.switches if c not in explained]
        core = minimal_core(plan_model, active, budget.seconds(CHECK_SECONDS))
        if not core:
            break
        cores.append(core)
        explained |= set(core)
    conflicts = []
    for core in cores[:MAX_CONFLICTS]:
        others = explained - set(core)
        base = catalog if core in stuck else rest
        relaxations = candidates(core, base, program, replanning)
        suggestion = _verified_suggestion(relaxations, others, budget)
        summary, lines = describe(core, catalog, program, replanning)
        conflicts.append(Conflict(summary, tuple(lines), suggestion))
    return conflicts


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
    other conflicts switched off, so each conflict is judged on its own)."""
    for relaxation in _limited(relaxations, MAX_SUGGESTION_TRIES):
        if budget.over:
            return None
        if _works(relaxation, others, budget):
            return relaxation.description
    return None


def _works(relaxation: Relaxation, others: set[Clause], budget: _Budget) -> bool:
    """Solve the relaxed problem with every rule on, except those of other conflicts
    (skipped when a counting argument already shows it still clashes)."""
    catalog, slots, pins = _setting(relaxation.catalog, relaxation.program, relaxation.replanning)
    if not pins:  # a clash that counting alone proves needs no search
        counted = [*unplaceable(catalog, relaxation.program, slots)]
        counted += overloaded(catalog, relaxation.program, slots)
        if any(not others.intersection(core) for core in counted):
            return False
    model = PlanModel(
        catalog, relaxation.program, slots=slots, pins=pins, dropped=frozenset(others)
    )
    return holds(model, budget.seconds(CHECK_SECONDS))


def _limited(items: Iterator[Relaxation], limit: int) -> Iterator[Relaxation]:
    for count, item in enumerate(items):
        if count >= limit:
            return
        yield item
