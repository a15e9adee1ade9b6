"""A plain CP-SAT model of GBACP: the kind a competent user writes in an hour, as a reference.

Booleans ``x[c, p]`` (exactly one per course), an integer period per course linked to them,
each curriculum's period load, its distance from the ``[floor, ceil]`` band through
`add_max_equality`, the square through `add_multiplication_equality`, and one Boolean per
undesirable row. No tuning, hints or redundant constraints.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ortools.sat.python import cp_model

from benchmarks.gbacp_data import Instance


class Result(NamedTuple):
    """CP-SAT's status name, objective and bound, and the 0-based period of each course
    (objective and plan None without a plan)."""

    status: str
    objective: int | None
    bound: int
    period_of: tuple[int, ...] | None


def plain_cpsat(instance: Instance, time_limit: float, workers: int = 2, seed: int = 0) -> Result:
    """Solve the instance with the plain model, within `time_limit` wall-clock seconds."""
    model = cp_model.CpModel()
    periods = range(instance.n_periods)
    x = [[model.new_bool_var(f"x{c}_{p}") for p in periods] for c in range(instance.n_courses)]
    period = [model.new_int_var(0, instance.n_periods - 1, f"p{c}") for c in range(len(x))]
    for c, row in enumerate(x):
        model.add_exactly_one(row)
        model.add(period[c] == sum(p * row[p] for p in periods))
    for a, b in instance.precedences:
        model.add(period[a] < period[b])
    squares = [sq for k in range(instance.n_curricula) for sq in _squares(model, instance, x, k)]
    bad = [x[c][p] for c, p in instance.undesirable]
    model.minimize(instance.w1 * sum(squares) + instance.w2 * sum(bad))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    code = solver.solve(model)
    bound = round(solver.best_objective_bound)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Result(solver.status_name(code), None, bound, None)
    plan = tuple(solver.value(v) for v in period)
    return Result(solver.status_name(code), round(solver.objective_value), bound, plan)


def _squares(model: cp_model.CpModel, instance: Instance, x: list[list[Any]], k: int) -> list[Any]:
    """Curriculum `k`'s course-count bounds, and the squared band distance of each period."""
    courses, total = instance.curricula[k], instance.total_load[k]
    low, high = instance.band[k]
    worst = max(total - high, low)
    out = []
    for p in range(instance.n_periods):
        model.add_linear_constraint(
            sum(x[c][p] for c in courses), instance.min_courses, instance.max_courses
        )
        load = sum(instance.course_load[c] * x[c][p] for c in courses)
        distance = model.new_int_var(0, worst, f"d{k}_{p}")
        model.add_max_equality(distance, [load - high, low - load, 0])
        square = model.new_int_var(0, worst * worst, f"s{k}_{p}")
        model.add_multiplication_equality(square, [distance, distance])
        out.append(square)
    return out
