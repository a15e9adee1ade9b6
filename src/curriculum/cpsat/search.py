"""The search for the best plan: a warm start, a neighbourhood phase, then a complete
search; re-planning first minimises movement."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.solver import (
    STATUS_NAMES,
    SearchSettings,
    search_solver,
    solve_interruptibly,
)
from curriculum.cpsat.variables import WeekVariables
from curriculum.cpsat.warm_start import add_warm_start, hint_solution
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import Slot, meeting_slots
from curriculum.replanning import Pins

# From a warm start, a deterministic neighbourhood search runs first, with a budget in
# deterministic time that grows with the decision literals (measured with `python -m
# benchmarks` on the weekly model from the greedy start: the bundled catalog needs ~0.02,
# 400 modules x 52 weeks ~0.43; 200 x 52 reaches its optimum early and needs the complete
# search to prove it, so a larger budget only delays the proof: 17 s at 5e-5, 37 s at 2e-4).
LNS_PER_DECISION = 5e-5
LNS_BUDGET = (0.05, 5.0)  # least and most
QUICK_LNS = {"use_lns_only": True, "num_workers": 1, "cp_model_presolve": False}
# Above this many decision literals the last phase is neighbourhood search too: there a
# complete search spends its time presolving and on huge LPs (measured on 800 modules x
# 104 weeks, 71,713 literals, at 60 s: objective 306 and 1.7 GiB, against 12 and 0.8 GiB).
LNS_ONLY_ABOVE = 20_000
MAX_REPACKS = 100  # searches again after ruling out a week that cannot be packed


@dataclass(frozen=True)
class Outcome:
    """What one CP-SAT run found, in plain values."""

    status: str
    objective: float | None
    bound: float | None
    runtime: float
    assignment: dict[str, int]
    interrupted: bool = False
    unpacked: bool = False  # weekly mode: plans were found, but none packed into meetings


def optimise(
    catalog: Catalog,
    program: Program,
    settings: SearchSettings,
    *,
    slots: Sequence[Slot] | None = None,
    pins: Pins | None = None,
) -> Outcome:
    """Search for the best plan (an empty assignment when none).

    When re-planning (`pins.previous`), first move as few modules as possible, as little as
    possible; then, keeping that, minimise the usual objective.
    """
    started = time.perf_counter()
    slots = tuple(slots) if slots is not None else meeting_slots(program)
    longest = max((s.quarters for s in slots), default=0)
    if any(m.quarters > longest for m in catalog.modules):
        return Outcome("infeasible", None, None, 0.0, {})

    def left(share: float = 1.0) -> SearchSettings:
        """The settings with the time still free (building the model counts too)."""
        free = max(share * settings.time_limit - (time.perf_counter() - started), 0.01)
        return dataclasses.replace(settings, time_limit=free)

    # A fresh plan chooses weeks, then packs them into meetings; re-planning keeps meetings.
    plan_model = PlanModel(catalog, program, slots=slots, pins=pins, weekly=pins is None)
    objective, scale = plan_model.objective.expression(), plan_model.objective.scale
    if pins is None or not pins.previous:
        outcome = run(plan_model, objective, scale, left())
        if outcome.unpacked and not outcome.interrupted:  # rare: hours fit, meetings not
            plan_model = PlanModel(catalog, program, slots=slots, pins=pins)
            objective, scale = plan_model.objective.expression(), plan_model.objective.scale
            outcome = run(plan_model, objective, scale, left())
    else:
        movement = plan_model.objective.movement()
        first = run(plan_model, movement, 1, left(0.5))
        if not first.assignment:
            return first
        plan_model.model.add(movement <= round(first.objective or 0))
        second = run(plan_model, objective, scale, left())
        proven = first.status == "optimal" and second.status == "optimal"
        outcome = dataclasses.replace(second, status="optimal" if proven else second.status)
    return dataclasses.replace(outcome, runtime=time.perf_counter() - started)


def run(
    plan_model: PlanModel,
    objective: cp_model.LinearExprT,
    scale: int,
    settings: SearchSettings,
) -> Outcome:
    """Minimise an objective (reported divided by `scale`); Ctrl-C keeps the best plan.

    From a complete warm start, a quick large-neighbourhood search runs first (measured: it
    reaches a zero objective fast, which proves optimality), then a complete search from
    the best plan with the time left (neighbourhood search again for big models). The
    first budget is in deterministic time, so the same inputs and seed give the same plan
    whenever the search ends before the wall-clock limit. In weekly mode only plans that
    pack into meetings count; a week proven unpackable is ruled out and the phase runs
    again from that near plan.
    """
    model = plan_model.model
    model.minimize(objective)
    started = time.perf_counter()
    time_limit = settings.time_limit
    start = None if plan_model.hinted else add_warm_start(plan_model, time_limit)
    warm = plan_model.hinted or start is not None
    lowest, highest = LNS_BUDGET
    budget = min(highest, max(lowest, plan_model.size * LNS_PER_DECISION))
    phases: list[dict[str, Any]] = [{**QUICK_LNS, "max_deterministic_time": budget}] if warm else []
    phases.append({"use_lns_only": plan_model.size > LNS_ONLY_ABOVE})
    best: cp_model.CpSolver | None = None  # the best solution that packs into meetings
    assignment: dict[str, int] = {}
    variables = plan_model.variables
    if start is not None and (placed := variables.assignment(start.boolean_value)) is not None:
        best, assignment = start, placed  # the greedy plan packs: it is a plan already
    solver: cp_model.CpSolver | None = None
    status, interrupted, bound, repacks = cp_model.UNKNOWN, False, -math.inf, 0
    unpacked = False  # a solution was found that did not pack
    while phases and not interrupted and status not in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
        overrides = phases.pop(0)
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0:
            break
        solver = search_solver(settings, remaining)
        for name, value in overrides.items():
            setattr(solver.parameters, name, value)
        status, interrupted = solve_interruptibly(solver, model)
        if settings.log:
            print(
                f"phase {overrides}: {solver.status_name(status)} "
                f"dtime {solver.deterministic_time:.2f} wall {solver.wall_time:.2f}"
            )
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        bound = max(bound, solver.best_objective_bound)
        placed = variables.assignment(solver.boolean_value)
        if placed is None:  # weekly decisions: a week that no packing into its meetings fits
            assert isinstance(variables, WeekVariables)
            unpacked = True
            if repacks < MAX_REPACKS and not interrupted:
                repacks += 1
                if variables.exclude_unpackable(solver.boolean_value):
                    phases = phases or [overrides]  # search again, from this near plan
                    status = cp_model.UNKNOWN
                    hint_solution(plan_model, solver)
            continue
        if best is None or solver.objective_value <= best.objective_value:
            best, assignment = solver, placed
            hint_solution(plan_model, solver)
    runtime = time.perf_counter() - started
    if best is None:
        name = "unknown" if unpacked else STATUS_NAMES.get(status, "unknown")
        return Outcome(name, None, None, runtime, {}, interrupted, unpacked)
    proven = (status == cp_model.OPTIMAL and best is solver) or best.objective_value <= bound
    return Outcome(
        status="optimal" if proven else "feasible",
        objective=best.objective_value / scale,
        bound=(best.objective_value if proven else max(bound, 0)) / scale,
        runtime=runtime,
        assignment=assignment,
        interrupted=interrupted,
    )
