"""Running CP-SAT: solvers set up the way every search here needs them, Ctrl-C, and
feasibility under assumptions."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

# Interleaved search is deterministic for a given number of workers, not across numbers:
# a fixed default gives the same plan on every machine (for a search that ends before the
# wall-clock limit: one cut by the clock ends wherever the machine's speed got it).
DEFAULT_WORKERS = 2

STATUS_NAMES: dict[Any, str] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
    cp_model.MODEL_INVALID: "unknown",
}


@dataclass(frozen=True)
class SearchSettings:
    """How to search: the time limit (seconds), seed, workers and whether to log."""

    time_limit: float
    seed: int = 0
    workers: int | None = None
    log: bool = False


def new_solver(*, time_limit: float, workers: int = 1) -> cp_model.CpSolver:
    """A CP-SAT solver that leaves Ctrl-C to us (CP-SAT's own handler swallows it, then
    leaves SIGINT at its default, which kills the interpreter on the next Ctrl-C)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.catch_sigint_signal = False
    return solver


def search_solver(settings: SearchSettings, time_limit: float) -> cp_model.CpSolver:
    """A solver set up for reproducible runs: same inputs and seed, same plan (unless the
    wall-clock `time_limit` is what stops it)."""
    solver = new_solver(time_limit=time_limit, workers=settings.workers or DEFAULT_WORKERS)
    solver.parameters.random_seed = int(settings.seed)
    solver.parameters.interleave_search = True
    solver.parameters.log_search_progress = bool(settings.log)
    return solver


def solve_interruptibly(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    callback: cp_model.CpSolverSolutionCallback | None = None,
) -> tuple[Any, bool]:
    """Solve in a worker thread so Ctrl-C (also a notebook's interrupt) stops the search;
    `callback` sees each solution found."""
    box: dict[str, Any] = {}
    done = threading.Event()

    def search() -> None:
        try:
            box["status"] = solver.solve(model, callback)
        finally:
            done.set()

    threading.Thread(target=search, daemon=True).start()
    interrupted = False
    while not done.is_set():
        try:
            done.wait(0.05)  # an Event, not Thread.join: an interrupted join breaks the thread
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()
    return box["status"], interrupted


def feasible(
    model: cp_model.CpModel,
    assumptions: Sequence[cp_model.IntVar],
    *,
    time_limit: float,
    workers: int = 1,
    deterministic: float | None = None,
) -> tuple[bool | None, list[int], cp_model.CpSolver]:
    """Whether the model is feasible under assumptions; when not, a sufficient core
    (indices); and the solver, holding the solution when there is one.

    Returns None for "unknown" when the time limit (or the `deterministic` one, the same
    on every machine) ran out first; Ctrl-C stops the search and raises
    `KeyboardInterrupt`.
    """
    model.clear_objective()  # type: ignore[no-untyped-call]
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    solver = new_solver(time_limit=time_limit, workers=workers)
    if deterministic is not None:
        solver.parameters.max_deterministic_time = deterministic
    status, interrupted = solve_interruptibly(solver, model)
    if interrupted:
        raise KeyboardInterrupt
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True, [], solver
    if status == cp_model.INFEASIBLE:
        return False, list(solver.sufficient_assumptions_for_infeasibility()), solver
    return None, [], solver
