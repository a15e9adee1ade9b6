"""Timed CP-SAT runs: when the first solution came, and what the run ended with."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "invalid",
}


class Improvements(cp_model.CpSolverSolutionCallback):
    """Records the wall time (since the solve began) and objective of every solution."""

    def __init__(self) -> None:
        super().__init__()
        self.started = time.perf_counter()
        self.trace: list[tuple[float, float]] = []

    def on_solution_callback(self) -> None:
        """Called by CP-SAT on each improving solution."""
        self.trace.append((time.perf_counter() - self.started, self.objective_value))


@dataclass
class Timed:
    """A finished run: status, objective and bound, timings in seconds, and the plan."""

    status: str
    objective: float | None
    bound: float | None
    solve_s: float
    first_s: float | None
    trace: list[tuple[float, float]] = field(default_factory=list)
    assignment: dict[str, int] = field(default_factory=dict)
    dtime: float = 0.0  # CP-SAT's deterministic time: comparable across busy machines


def solve_timed(
    model: cp_model.CpModel,
    solver: cp_model.CpSolver,
    read: Callable[[Callable[[Any], bool]], dict[str, int]],
    scale: float = 1.0,
) -> Timed:
    """Solve with an `Improvements` callback.

    Parameters
    ----------
    model, solver
        The model, and the solver with its parameters already set.
    read
        Turns `solver.boolean_value` into the plan (module id -> meeting index).
    scale
        Model units per objective unit; objective, bound and trace are divided by it.
    """
    callback = Improvements()
    status = solver.solve(model, callback)
    solve_s = time.perf_counter() - callback.started
    name = STATUS.get(status, "unknown")
    found = name in ("optimal", "feasible")
    return Timed(
        status=name,
        objective=solver.objective_value / scale if found else None,
        bound=solver.best_objective_bound / scale if found else None,
        solve_s=solve_s,
        first_s=callback.trace[0][0] if callback.trace else (solve_s if found else None),
        trace=[(round(t, 4), value / scale) for t, value in callback.trace],
        assignment=read(solver.boolean_value) if found else {},
        dtime=solver.deterministic_time,
    )
