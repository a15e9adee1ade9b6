"""One solver run as a JSON-ready record, its plan checked by the independent checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from benchmarks.timing import Timed
from curriculum import Catalog, Plan, Program
from curriculum.goals import score, weights_of

SHOWN_PROBLEMS = 5


@dataclass
class Record:
    """Figures of one run and the plan it ended with; times in seconds from the start of
    model building."""

    solver: str
    status: str
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    rescored: float | None = None  # Σ weight × goal, recomputed from the plan's frames
    build_s: float = 0.0
    first_plan_s: float | None = None
    wall_s: float = 0.0
    dtime: float | None = None  # CP-SAT's deterministic time, the same on a busy machine
    solutions: int = 0
    violations: int | None = None  # None when there is no plan to check
    problems: list[str] = field(default_factory=list)
    trace: list[tuple[float, float]] = field(default_factory=list)
    assignment: dict[str, int] = field(default_factory=dict)  # module id -> meeting index
    extra: dict[str, Any] = field(default_factory=dict)


def gap(objective: float | None, bound: float | None) -> float | None:
    """Relative gap as `curriculum.Result.gap` defines it."""
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))


def checked(
    solver: str, timed: Timed, build_s: float, catalog: Catalog, program: Program
) -> Record:
    """A record of a timed run, its plan (if any) checked and re-scored from the frames."""
    record = Record(
        solver=solver,
        status=timed.status,
        objective=timed.objective,
        bound=timed.bound,
        gap=gap(timed.objective, timed.bound),
        build_s=build_s,
        first_plan_s=None if timed.first_s is None else build_s + timed.first_s,
        wall_s=build_s + timed.solve_s,
        dtime=timed.dtime,
        solutions=len(timed.trace),
        trace=[(build_s + t, value) for t, value in timed.trace],
        assignment=timed.assignment,
    )
    if timed.assignment:
        plan = Plan.from_assignment(catalog, program, timed.assignment)
        check_plan(record, plan)
    return record


def check_plan(record: Record, plan: Plan) -> None:
    """Fill in the violation count, the first problems and the re-scored objective."""
    problems = plan.check()
    record.violations = len(problems)
    record.problems = problems[:SHOWN_PROBLEMS]
    weights = weights_of(plan.program)
    values = score(plan.sessions, plan.weekly, plan.program)
    record.rescored = sum(weights[goal] * value for goal, value in values.items())
