"""Running CP-SAT (cpsat/solver.py): solvers that leave Ctrl-C to us, reproducible search
settings, and feasibility under assumptions with a core when infeasible."""

from __future__ import annotations

from ortools.sat.python import cp_model

from curriculum.cpsat.solver import (
    DEFAULT_WORKERS,
    SearchSettings,
    feasible,
    new_solver,
    search_solver,
)


def test_new_solvers_leave_ctrl_c_to_us() -> None:
    solver = new_solver(time_limit=3, workers=4)
    assert solver.parameters.catch_sigint_signal is False
    assert (solver.parameters.max_time_in_seconds, solver.parameters.num_workers) == (3.0, 4)


def test_search_solvers_are_seeded_with_a_fixed_number_of_workers() -> None:
    solver = search_solver(SearchSettings(time_limit=10, seed=7), time_limit=2.5)
    assert solver.parameters.random_seed == 7
    assert solver.parameters.num_workers == DEFAULT_WORKERS  # the same plan on any machine
    assert solver.parameters.max_time_in_seconds == 2.5
    assert solver.parameters.interleave_search
    assert search_solver(SearchSettings(10, workers=1), 1).parameters.num_workers == 1


def test_feasibility_under_assumptions_names_the_ones_that_clash() -> None:
    # x + y <= 1 when `both` is on; `x_on` forces x, `y_on` forces y, `free` does nothing
    model = cp_model.CpModel()
    x, y = model.new_bool_var("x"), model.new_bool_var("y")
    both, x_on, y_on, free = (model.new_bool_var(n) for n in ("both", "x_on", "y_on", "free"))
    model.add(x + y <= 1).only_enforce_if(both)
    model.add(x == 1).only_enforce_if(x_on)
    model.add(y == 1).only_enforce_if(y_on)
    assert feasible(model, [both, x_on, free], time_limit=5)[:2] == (True, [])
    status, core, _ = feasible(model, [both, x_on, y_on, free], time_limit=5)
    assert status is False
    # any set of assumptions that cannot hold needs all three (each alone can), never `free`
    assert set(core) == {both.index, x_on.index, y_on.index}
