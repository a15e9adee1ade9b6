"""A CP-SAT solver set up the way every search here needs it."""

from __future__ import annotations

from ortools.sat.python import cp_model


def new_solver(*, time_limit: float, workers: int = 1) -> cp_model.CpSolver:
    """A CP-SAT solver that leaves Ctrl-C to us (CP-SAT's own handler swallows it, then
    leaves SIGINT at its default, which kills the interpreter on the next Ctrl-C)."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.catch_sigint_signal = False
    return solver
