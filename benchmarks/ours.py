"""The curriculum solver under measurement: its own model and parameters, and `solve()`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from benchmarks.record import Record, check_plan, checked, gap
from benchmarks.timing import solve_timed
from curriculum import Catalog, Program, solve
from curriculum.cpsat.domains import Domains
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.solver import SearchSettings, search_solver
from curriculum.cpsat.warm_start import greedy_plan
from curriculum.errors import InputError
from curriculum.meetings import MeetingCalendar
from curriculum.replanning import Pins


def run_model(catalog: Catalog, program: Program, *, time_limit: float, workers: int) -> Record:
    """Build `PlanModel` as `solve()` does (weekly, packed into meetings afterwards) and
    minimise its objective with `curriculum.cpsat.solver.search_solver` (seed 0), without the
    warm start or the phases; the first solution is timed with a callback."""
    started = time.perf_counter()
    plan_model = PlanModel(catalog, program, weekly=True)
    plan_model.model.minimize(plan_model.objective.expression())
    build_s = time.perf_counter() - started
    solver = search_solver(SearchSettings(time_limit, seed=0, workers=workers), time_limit)

    def read(value: Callable[[Any], bool]) -> dict[str, int]:
        return plan_model.variables.assignment(value) or {}  # {}: a week that cannot be packed

    timed = solve_timed(plan_model.model, solver, read, plan_model.objective.scale)
    return checked("curriculum", timed, build_s, catalog, program)


def run_solve(catalog: Catalog, program: Program, *, time_limit: float, workers: int) -> Record:
    """The public `curriculum.solve()`, including the explanation of an infeasible result
    (a catalog it refuses up front is recorded as "refused", with the message)."""
    started = time.perf_counter()
    try:
        result = solve(catalog, program, time_limit=time_limit, seed=0, workers=workers)
    except InputError as error:
        wall_s = time.perf_counter() - started
        return Record(solver="solve", status="refused", wall_s=wall_s, extra={"error": str(error)})
    record = Record(
        solver="solve",
        status=str(result.status),
        objective=result.objective,
        bound=result.bound,
        gap=gap(result.objective, result.bound),
        wall_s=time.perf_counter() - started,
        dtime=result.deterministic_time,
        extra={
            "runtime_s": result.runtime,
            "conflicts": [str(c) for c in result.conflicts],
            "suggestions": [c.suggestion for c in result.conflicts],
            "warnings": list(result.warnings),
        },
    )
    if result.status.value in ("optimal", "feasible"):
        check_plan(record, result.plan)
        record.first_plan_s = first_plan(catalog, program)
    return record


def first_plan(catalog: Catalog, program: Program) -> float | None:
    """Seconds until `solve()` holds its first plan: the modules' domains and the greedy plan
    (which `solve()` returns as it is when the time runs out before the search improves it);
    None when the greedy pass places not every module and the search must find one."""
    started = time.perf_counter()
    domains = Domains(catalog, MeetingCalendar.of(program), Pins())
    found = greedy_plan(domains) is not None
    return time.perf_counter() - started if found else None
