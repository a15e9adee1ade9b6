"""`solve`: build the CP-SAT model, run it, and return a `Result` explained in plain words."""

from __future__ import annotations

from datetime import date

from curriculum import goals
from curriculum.catalog import Catalog
from curriculum.cpsat import Pins, explain_infeasibility, optimise
from curriculum.freezing import Replanning
from curriculum.plan import Plan
from curriculum.program import Program
from curriculum.replan import number_changes
from curriculum.result import Result, Status


def solve(
    catalog: Catalog,
    program: Program,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
    previous: Plan | None = None,
    freeze_before: date | None = None,
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
        Search workers (default 2 on every machine: the same plan everywhere; another
        number searches differently and may pick another plan of equal value).
    log
        Print the solver's progress.
    previous, freeze_before
        Re-plan: every block of `previous` that started before `freeze_before` stays exactly
        where it was; the rest moves as little as possible (fewest modules, then fewest
        weeks), then the usual objective decides. Calendar sequence numbers carry over.

    Returns
    -------
    Result
        With the plan, or with `conflicts` explaining why no plan exists.
    """
    replanning = (
        Replanning(previous.sessions, previous.catalog, freeze_before or date.min)
        if previous is not None
        else None
    )
    frozen = replanning.freeze(catalog, program) if replanning else None
    if frozen is not None:
        catalog = frozen.catalog
    outcome = optimise(
        catalog,
        program,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        log=log,
        slots=frozen.slots if frozen else None,
        pins=Pins(frozen.pinned, frozen.open_from, frozen.previous) if frozen else None,
    )
    weights = {name: getattr(program.weights, name) for name in goals.GOALS}
    warnings = frozen.warnings if frozen else ()
    status = Status(outcome.status)
    if not outcome.assignment:
        conflicts = (
            tuple(explain_infeasibility(catalog, program, replanning))
            if status is Status.INFEASIBLE
            else ()
        )
        return Result(
            status,
            None,
            None,
            outcome.runtime,
            conflicts,
            weights=weights,
            warnings=warnings,
            interrupted=outcome.interrupted,
        )
    plan = Plan.from_assignment(
        catalog,
        program,
        outcome.assignment,
        slots=frozen.slots if frozen else None,
        fixed_times=frozen.times if frozen else None,
    )
    if previous is not None:
        plan = number_changes(plan, previous)
    return Result(
        status=status,
        objective=outcome.objective,
        bound=outcome.bound,
        runtime=outcome.runtime,
        goals=goals.score(plan.sessions, plan.weekly, program),
        weights=weights,
        warnings=warnings,
        interrupted=outcome.interrupted,
        _plan=plan,
    )
