"""`solve`: build the CP-SAT model, run it, and return a `Result` explained in plain words."""

from __future__ import annotations

import dataclasses
import math
import reprlib
import time
from datetime import date, datetime

from curriculum.cells import is_number, is_whole
from curriculum.cpsat import SearchSettings, optimise
from curriculum.errors import InputError, Problem
from curriculum.explain import Conflict, Suggestion, explain_infeasibility
from curriculum.export.ics.ledger import renumbered
from curriculum.goals import score, weights_of
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.consistency import check_together
from curriculum.inputs.program import Program
from curriculum.meetings import calendar_warnings
from curriculum.plan import Plan
from curriculum.replanning import Replanning
from curriculum.result import Inputs, Result, Status

EXPLANATION_CUT = (
    "the time limit ran out before every clash was explained; a longer time limit finds "
    "more of them, and the fixes"
)


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
        Seconds for the whole call; when it runs out the best plan so far comes back as
        "feasible" (or, with no plan, the explanation found so far).
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

    Raises
    ------
    CatalogError, ProgramError
        When the catalog and programme do not fit together: a module longer than every
        meeting, or a facilitator in the programme that no module names.
    InputError
        When an argument is of the wrong type or out of range (each one named).
    """
    started = time.monotonic()
    problems = argument_problems(
        catalog, program, time_limit, seed, workers, log, previous, freeze_before
    )
    if problems:
        raise InputError(problems)
    check_together(catalog, program)
    replanning = (
        Replanning(previous.sessions, previous.catalog, freeze_before or date.min)
        if previous is not None
        else None
    )
    inputs = Inputs(catalog, program, previous, freeze_before)
    frozen = replanning.freeze(catalog, program) if replanning else None
    if frozen is not None:
        catalog = frozen.catalog
    settings = SearchSettings(time_limit, seed, workers, log)
    outcome = optimise(
        catalog,
        program,
        settings,
        slots=frozen.slots if frozen else None,
        pins=frozen.pins if frozen else None,
    )
    weights = weights_of(program)
    warnings = (
        *program.warnings,
        *calendar_warnings(program),
        *(frozen.warnings if frozen else ()),
    )
    status = Status(outcome.status)
    if not outcome.assignment:
        conflicts: tuple[Conflict, ...] = ()
        fix: Suggestion | None = None
        if status is Status.INFEASIBLE:
            left = time_limit - (time.monotonic() - started)
            explanation = explain_infeasibility(catalog, program, replanning, seconds=left)
            conflicts, fix = explanation.conflicts, explanation.fix
            if explanation.cut:
                warnings = (*warnings, EXPLANATION_CUT)
        return Result(
            status,
            None,
            None,
            outcome.runtime,
            conflicts,
            weights=weights,
            warnings=warnings,
            interrupted=outcome.interrupted,
            fix=fix,
            inputs=inputs,
        )
    plan = Plan.from_assignment(
        catalog,
        program,
        outcome.assignment,
        slots=frozen.slots if frozen else None,
        fixed_times=frozen.times if frozen else None,
    )
    if previous is not None and replanning is not None:
        past = previous.sessions[previous.sessions["start"] < replanning.cutoff(program)]
        plan = renumbered(dataclasses.replace(plan, frozen=past), previous)
    return Result(
        status=status,
        objective=outcome.objective,
        bound=outcome.bound,
        runtime=outcome.runtime,
        goals=score(plan.sessions, plan.weekly, program),
        weights=weights,
        warnings=warnings,
        interrupted=outcome.interrupted,
        inputs=inputs,
        _plan=plan,
    )


MOST_SEED = 2**31 - 1  # CP-SAT's seed is a 32-bit integer
MOST_WORKERS = 1024


def argument_problems(
    catalog: object,
    program: object,
    time_limit: object,
    seed: object,
    workers: object,
    log: object,
    previous: object,
    freeze_before: object,
    *,
    source: str = "solve()",
) -> list[Problem]:
    """Each argument of `solve` (or of `source`) of the wrong type or out of range, as a
    problem naming it."""
    given = {
        "catalog": catalog,
        "program": program,
        "time_limit": time_limit,
        "seed": seed,
        "workers": workers,
        "log": log,
        "previous": previous,
        "freeze_before": freeze_before,
    }
    found: dict[str, str] = {}
    if not isinstance(catalog, Catalog):
        found["catalog"] = "must be a Catalog (read_catalog, Catalog.from_frame)"
    if not isinstance(program, Program):
        found["program"] = "must be a Program (read_program, Program(...))"
    if not is_number(time_limit) or not 0 < time_limit < math.inf:
        found["time_limit"] = "must be a number of seconds above 0"
    if not is_whole(seed) or not 0 <= seed <= MOST_SEED:
        found["seed"] = f"must be a whole number from 0 to {MOST_SEED:,}"
    if workers is not None and (not is_whole(workers) or not 1 <= workers <= MOST_WORKERS):
        found["workers"] = f"must be None or a whole number from 1 to {MOST_WORKERS:,}"
    if not isinstance(log, bool):
        found["log"] = "must be True or False"
    if previous is not None and not isinstance(previous, Plan):
        found["previous"] = "must be a Plan (read_plan, or a result's plan)"
    if freeze_before is not None and (
        not isinstance(freeze_before, date) or isinstance(freeze_before, datetime)
    ):
        found["freeze_before"] = "must be a date"
    elif freeze_before is not None and previous is None:
        found["freeze_before"] = "needs previous (the plan whose sessions before it stay)"
    return [
        Problem(
            source,
            f"{name} {why}"
            if why.startswith("needs")
            else f"{name} {why}, not {reprlib.repr(given[name])}",
            column=name,
            column_label="argument",
        )
        for name, why in found.items()
    ]
