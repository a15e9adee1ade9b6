"""`solve`: build the CP-SAT model, run it, and return a `Result` explained in plain words."""

from __future__ import annotations

from curriculum import goals
from curriculum.catalog import Catalog
from curriculum.cpsat import explain_infeasibility, optimise
from curriculum.plan import Plan
from curriculum.program import Program
from curriculum.result import Result, Status


def solve(
    catalog: Catalog,
    program: Program,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
) -> Result:
    """Spread the catalog's modules over the programme's meetings.

    Parameters
    ----------
    catalog, program
        What to teach, and when and under which caps.
    time_limit
        Seconds of search; when it runs out the best plan so far comes back as "feasible".
    seed
        Same inputs and seed give the same plan.
    workers
        Search threads (default: one per core).
    log
        Print the solver's progress.

    Returns
    -------
    Result
        With the plan, or with `conflicts` explaining why no plan exists.
    """
    outcome = optimise(catalog, program, time_limit=time_limit, seed=seed, workers=workers, log=log)
    weights = {name: getattr(program.weights, name) for name in goals.GOALS}
    status = Status(outcome.status)
    if not outcome.assignment:
        conflicts = explain_infeasibility(catalog, program) if status is Status.INFEASIBLE else ()
        return Result(status, None, None, outcome.runtime, tuple(conflicts), weights=weights)
    plan = Plan.from_assignment(catalog, program, outcome.assignment)
    values = goals.score(plan.sessions, plan.weekly, program)
    return Result(
        status=status,
        objective=outcome.objective,
        bound=outcome.bound,
        runtime=outcome.runtime,
        goals=values,
        weights=weights,
        interrupted=outcome.interrupted,
        _plan=plan,
    )
