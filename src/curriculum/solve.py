"""`solve`: build the CP-SAT model, run it, and return a `Result` explained in plain words."""

from __future__ import annotations

import dataclasses
import math
import reprlib
import time
from datetime import date, datetime

from curriculum.cells import is_number, is_whole, plain
from curriculum.cpsat import Outcome, SearchSettings, optimise
from curriculum.cpsat.windows import SHARE
from curriculum.errors import CatalogError, InputError, Problem
from curriculum.explain import Conflict, Suggestion, explain_infeasibility
from curriculum.explain.counting import overloaded, too_few
from curriculum.export.ics.ledger import renumbered
from curriculum.goals import score, unavoidable, weights_of
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.consistency import check_together
from curriculum.inputs.program import Program
from curriculum.meetings import calendar_warnings, meeting_slots
from curriculum.plan import Plan
from curriculum.replanning import Replanning, kept_from_previous
from curriculum.result import Inputs, Result, Status

EXPLANATION_CUT = (
    "the time limit ran out before every clash was explained; a longer time limit finds "
    "more of them, and the fixes"
)
ROUNDS_CUT = (
    f"the time limit cut the first search short (its rounds of windows have {SHARE:.0%} of "
    "the limit): another run, or another machine, may give another plan; with a longer "
    "time limit the same inputs and seed give the same plan"
)
# A catalog this large is refused up front: far beyond any training programme, and beyond
# what a plan can be found for in a usual time limit (the README's performance section).
MOST_MODULES = 5_000
# Of the time limit, what is kept back for turning the search's answer into a Plan.
PLAN_SHARE, PLAN_MOST = 0.05, 0.5


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
        Seconds for the whole call, from the first look at the inputs to the returned
        result: working out the modules' options, the greedy first plan, building the
        model, the search, packing and the explanation. When it runs out the best plan so
        far comes back as "feasible" (the greedy plan itself, scored as it is, when the
        search had not started: for a fresh plan, "optimal" when it meets what the catalog
        leaves unavoidable, its bound), or with no plan the explanation found so far;
        `warnings` says what was cut short.
    seed
        Same inputs and seed give the same plan whenever the search ends before the time
        limit (every phase but the last is bounded in CP-SAT's deterministic time); a
        search cut by the wall clock may end on another plan on a faster or busier machine.
        A large catalog's first rounds (in windows) stop at 60% of the limit: `warnings`
        says when that cut them short.
    workers
        Search workers (default 2 on every machine: the same plan everywhere; another
        number searches differently and may pick another plan of equal value). A small
        catalog's complete search from the greedy plan runs on one worker whatever the
        number (it proves sooner there; `curriculum.cpsat.search.SMALL_COMPLETE`).
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
        meeting, or a facilitator in the programme that no module names; or a catalog of
        more than `MOST_MODULES` modules, refused before any work.
    InputError
        When an argument is of the wrong type or out of range (each one named).
    """
    started = time.monotonic()
    time_limit, seed, workers = plain(time_limit), plain(seed), plain(workers)
    problems = argument_problems(
        catalog, program, time_limit, seed, workers, log, previous, freeze_before
    )
    if problems:
        raise InputError(problems)
    deadline = started + time_limit
    refuse_huge(catalog)
    check_together(catalog, program)
    held_with: list[str] = []  # the previous plan's defaults the past was held with
    if previous is not None and freeze_before is not None:
        program, held_with = kept_from_previous(program, previous.program, freeze_before)
    replanning = (
        Replanning(
            previous.sessions,
            previous.catalog,
            freeze_before or date.min,
            held_before=previous.freeze_before,
        )
        if previous is not None
        else None
    )
    inputs = Inputs(catalog, program, previous, freeze_before)
    frozen = replanning.freeze(catalog, program) if replanning else None
    if frozen is not None:
        catalog = frozen.catalog
    weights = weights_of(program)
    warnings = (
        *program.warnings,
        *calendar_warnings(program),
        *held_with,
        *(frozen.warnings if frozen else ()),
    )
    slots = frozen.slots if frozen else meeting_slots(program)
    pins = frozen.pins if frozen else None
    # a clash counting proves needs no search
    if overloaded(catalog, program, slots, pins) or too_few(catalog, program, slots, pins):
        outcome = Outcome("infeasible", None, None, time.monotonic() - started, {})
    else:
        reserve = min(PLAN_SHARE * time_limit, PLAN_MOST)
        settings = SearchSettings(
            max(deadline - reserve - time.monotonic(), 0.0), seed, workers, log
        )
        outcome = optimise(
            catalog,
            program,
            settings,
            slots=frozen.slots if frozen else None,
            pins=pins,
        )
    status = Status(outcome.status)
    if not outcome.assignment:
        conflicts: tuple[Conflict, ...] = ()
        fix: Suggestion | None = None
        if status is Status.INFEASIBLE:
            explanation = explain_infeasibility(
                catalog, program, replanning, seconds=deadline - time.monotonic()
            )
            conflicts, fix = explanation.conflicts, explanation.fix
            if explanation.cut:
                warnings = (*warnings, EXPLANATION_CUT)
        elif outcome.cut:
            warnings = (*warnings, _no_plan_in_time(time_limit, outcome.cut))
        return Result(
            status,
            None,
            None,
            time.monotonic() - started,
            conflicts,
            weights=weights,
            warnings=warnings,
            interrupted=outcome.interrupted,
            deterministic_time=outcome.dtime,
            fix=fix,
            inputs=inputs,
        )
    plan = Plan.from_assignment(
        catalog,
        program,
        outcome.assignment,
        slots=frozen.slots if frozen else None,
        fixed_times=frozen.times if frozen else None,
        kept_times=frozen.stayed(outcome.assignment) if frozen else None,
    )
    if previous is not None and replanning is not None:
        past = previous.sessions[previous.sessions["start"] < replanning.cutoff(program)]
        kept = dataclasses.replace(plan, frozen=past, freeze_before=replanning.freeze_before)
        plan = renumbered(kept, previous)
    goals = score(plan.sessions, plan.weekly, program)
    objective, bound = outcome.objective, outcome.bound
    if outcome.rounds_cut:
        warnings = (*warnings, ROUNDS_CUT)
    if objective is None:  # a plan the search did not score (the greedy one, or a
        # re-plan's plan of fewest moves when Ctrl-C came first): scored here
        if plan.check():  # the greedy plan broke the weekly balance tolerance or the
            # floor on modules a week, which it does not know
            if outcome.cut:  # else Ctrl-C stopped it, which `interrupted` says
                warnings = (*warnings, _no_plan_in_time(time_limit, outcome.cut))
            return Result(
                Status.UNKNOWN,
                None,
                None,
                time.monotonic() - started,
                weights=weights,
                warnings=warnings,
                interrupted=outcome.interrupted,
                deterministic_time=outcome.dtime,
                inputs=inputs,
            )
        objective = sum(weights[goal] * value for goal, value in goals.items())
        # no fresh plan is below what the catalog and calendar leave unavoidable (0 where
        # nothing); a re-plan's past need not keep the catalog's rules or teaching weeks,
        # and its plan of fewest moves comes first
        least = unavoidable(catalog, program) if previous is None else {}
        bound = float(sum(weights[goal] * value for goal, (value, _) in least.items()))
        if previous is None and (objective <= bound or math.isclose(objective, bound)):
            status = Status.OPTIMAL  # as good as any plan: a longer search finds no better
            bound = objective  # the same sum, added in another order
        elif outcome.cut:  # else Ctrl-C stopped it, which `interrupted` says
            warnings = (*warnings, _greedy_only(time_limit, outcome.cut))
    return Result(
        status=status,
        objective=objective,
        bound=bound,
        runtime=time.monotonic() - started,
        goals=goals,
        weights=weights,
        warnings=warnings,
        interrupted=outcome.interrupted,
        deterministic_time=outcome.dtime,
        inputs=inputs,
        _plan=plan,
    )


def refuse_huge(catalog: Catalog) -> None:
    """A catalog beyond `MOST_MODULES` is refused before any work, naming its size."""
    if len(catalog.modules) > MOST_MODULES:
        message = (
            f"the catalog has {len(catalog.modules):,} modules; curriculum plans catalogs of up "
            f"to {MOST_MODULES:,} (split it into programmes, or merge modules)"
        )
        raise CatalogError([Problem(catalog.source, message)])


def _no_plan_in_time(time_limit: float, cut: str) -> str:
    """What the time limit cut short, when no plan came of it."""
    return (
        f"no plan in {time_limit:g} s: the time limit ran out during {cut}; a longer time "
        "limit may find one"
    )


def _greedy_only(time_limit: float, cut: str) -> str:
    """What the time limit cut short, when the plan is the greedy one, unimproved."""
    return (
        f"the time limit of {time_limit:g} s ran out during {cut}: this is the first (greedy) "
        "plan, not improved by the search; a longer time limit finds better plans"
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
