"""The curriculum solver under measurement: its own model and parameters, and `solve()`."""

from __future__ import annotations

import time

from benchmarks.record import Record, check_plan, checked, gap
from benchmarks.timing import solve_timed
from curriculum import Catalog, Program, solve
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.run import parameters


def run_model(catalog: Catalog, program: Program, *, time_limit: float, workers: int) -> Record:
    """Build `PlanModel` and minimise its objective exactly as `curriculum.cpsat.run.run`
    does (same `parameters`, seed 0), timing the first solution with a callback."""
    started = time.perf_counter()
    plan_model = PlanModel(catalog, program)
    plan_model.model.minimize(plan_model.objective())
    build_s = time.perf_counter() - started
    solver = parameters(time_limit=time_limit, seed=0, workers=workers, log=False)
    timed = solve_timed(plan_model.model, solver, plan_model.assignment, plan_model.scale)
    return checked("curriculum", timed, build_s, catalog, program)


def run_solve(catalog: Catalog, program: Program, *, time_limit: float, workers: int) -> Record:
    """The public `curriculum.solve()`, including the explanation of an infeasible result."""
    started = time.perf_counter()
    result = solve(catalog, program, time_limit=time_limit, seed=0, workers=workers)
    record = Record(
        solver="solve",
        status=str(result.status),
        objective=result.objective,
        bound=result.bound,
        gap=gap(result.objective, result.bound),
        wall_s=time.perf_counter() - started,
        extra={"runtime_s": result.runtime, "conflicts": [str(c) for c in result.conflicts]},
    )
    if result.status.value in ("optimal", "feasible"):
        check_plan(record, result.plan)
    return record
