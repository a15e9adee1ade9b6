"""Running CP-SAT: parameters, Ctrl-C, and reading back the status and solution."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from curriculum.catalog import Catalog
from curriculum.cpsat.model import PlanModel
from curriculum.meetings import meeting_slots
from curriculum.program import Program

STATUS_NAMES: dict[Any, str] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "unknown",
}


@dataclass(frozen=True)
class Outcome:
    """What one CP-SAT run found, in plain values."""

    status: str
    objective: float | None
    bound: float | None
    runtime: float
    assignment: dict[str, int]
    goal_values: dict[str, float]
    interrupted: bool = False


def parameters(
    *, time_limit: float, seed: int, workers: int | None, log: bool
) -> cp_model.CpSolver:
    """A solver set up for reproducible runs: same inputs and seed, same plan."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.random_seed = int(seed)
    solver.parameters.num_workers = workers or 0
    solver.parameters.interleave_search = True
    solver.parameters.log_search_progress = bool(log)
    return solver


def optimise(
    catalog: Catalog,
    program: Program,
    *,
    time_limit: float,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
) -> Outcome:
    """Build the model and search for the best plan (an empty assignment when none)."""
    slots = meeting_slots(program)
    longest = max((s.quarters for s in slots), default=0)
    if any(m.quarters > longest for m in catalog.modules):
        return Outcome("infeasible", None, None, 0.0, {}, {})
    plan_model = PlanModel(catalog, program, slots=slots)
    return run(plan_model, time_limit=time_limit, seed=seed, workers=workers, log=log)


def run(
    plan_model: PlanModel,
    *,
    time_limit: float,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
    hint: dict[str, int] | None = None,
) -> Outcome:
    """Minimise the plan model's objective; Ctrl-C stops early and keeps the best plan."""
    model = plan_model.model
    model.minimize(plan_model.objective())
    if hint:
        _add_hint(plan_model, hint)
    solver = parameters(time_limit=time_limit, seed=seed, workers=workers, log=log)
    status, interrupted, runtime = solve_interruptibly(solver, model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(STATUS_NAMES.get(status, "unknown"), None, None, runtime, {}, {})
    scale = plan_model.scale
    goal_values = {
        name: solver.value(goal.expr) / goal.scale for name, goal in plan_model.goals.items()
    }
    return Outcome(
        status=STATUS_NAMES[status],
        objective=solver.objective_value / scale,
        bound=solver.best_objective_bound / scale,
        runtime=runtime,
        assignment=plan_model.assignment(solver.boolean_value),
        goal_values=goal_values,
        interrupted=interrupted,
    )


def solve_interruptibly(
    solver: cp_model.CpSolver, model: cp_model.CpModel
) -> tuple[Any, bool, float]:
    """Solve in a worker thread so Ctrl-C (also a notebook's interrupt) stops the search."""
    box: dict[str, Any] = {}
    started = time.perf_counter()
    worker = threading.Thread(target=lambda: box.update(status=solver.solve(model)), daemon=True)
    worker.start()
    interrupted = False
    while worker.is_alive():
        try:
            worker.join(0.05)
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()
    return box["status"], interrupted, time.perf_counter() - started


def feasible(
    plan_model: PlanModel,
    assumptions: Sequence[cp_model.IntVar],
    *,
    time_limit: float,
    workers: int = 1,
) -> tuple[bool | None, list[int]]:
    """Whether the model is feasible under assumptions; when not, a sufficient core (indices).

    Returns None for "unknown" when the time limit ran out first.
    """
    model = plan_model.model
    model.clear_objective()  # type: ignore[no-untyped-call]
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True, []
    if status == cp_model.INFEASIBLE:
        return False, list(solver.sufficient_assumptions_for_infeasibility())
    return None, []


def _add_hint(plan_model: PlanModel, hint: dict[str, int]) -> None:
    index = {module.id: m for m, module in enumerate(plan_model.catalog.modules)}
    for (m, s), var in plan_model.x.items():
        module_id = plan_model.catalog.modules[m].id
        if module_id in hint and index[module_id] == m:
            plan_model.model.add_hint(var, int(hint[module_id] == s))
