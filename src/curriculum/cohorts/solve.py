"""`solve_cohorts`: plan several cohorts together, sharing facilitators, rooms and joint
modules, and return a `CohortsResult` explained in plain words."""

from __future__ import annotations

import reprlib
import time
from collections.abc import Mapping
from typing import Any

from curriculum.cohorts.explain import explain_cohorts
from curriculum.cohorts.result import CohortsResult
from curriculum.cohorts.sharing import Place, committed_pins, joint_places, place_of
from curriculum.cpsat import CohortsModel, SearchSettings, optimise_cohorts
from curriculum.errors import InputError, Problem
from curriculum.inputs.cohorts import Cohorts
from curriculum.inputs.consistency import check_together
from curriculum.meetings import MeetingCalendar, calendar_warnings
from curriculum.plan import Plan
from curriculum.result import Status
from curriculum.solve import argument_problems

EXPLANATION_CUT = "the time limit ran out before every clash was explained"


def solve_cohorts(
    cohorts: Cohorts,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
) -> CohortsResult:
    """Plan every cohort at once: each keeps its own rules and goals; facilitators are never
    in two places at once and keep their weekly caps across cohorts; cohorts at one location
    never overlap; joint modules are taught once to all their cohorts; committed cohorts
    stay exactly as published.

    Parameters
    ----------
    cohorts
        From `read_cohorts`, or built in Python.
    time_limit, seed, workers, log
        As for `solve`.

    Returns
    -------
    CohortsResult
        With `plans` by cohort, or `conflicts` explaining why there are none.

    Raises
    ------
    CatalogError, ProgramError
        When a cohort's catalog and programme do not fit together.
    CohortsError
        When a joint module's cohorts share no meeting time and place.
    InputError
        When an argument is of the wrong type or out of range.
    """
    started = time.monotonic()
    if not isinstance(cohorts, Cohorts):
        raise InputError(
            [
                Problem(
                    "solve_cohorts()",
                    f"cohorts must be Cohorts (read_cohorts), not {reprlib.repr(cohorts)}",
                    column="cohorts",
                    column_label="argument",
                )
            ]
        )
    first = cohorts.cohorts[0]
    problems = argument_problems(
        first.catalog,
        first.program,
        time_limit,
        seed,
        workers,
        log,
        None,
        None,
        source="solve_cohorts()",
    )
    if problems:
        raise InputError(problems)
    for cohort in cohorts.cohorts:
        if not cohort.is_committed:
            check_together(cohort.catalog, cohort.program)
    places = joint_places(cohorts)
    warnings = tuple(
        f"{c.name}: {w}"
        for c in cohorts.cohorts
        for w in (*c.program.warnings, *calendar_warnings(c.program))
    )
    settings = SearchSettings(time_limit, seed, workers, log)
    outcome = optimise_cohorts(CohortsModel(cohorts, places), settings)
    status = Status(outcome.status)
    if not outcome.assignments:
        explanation = None
        if status is Status.INFEASIBLE:
            left = time_limit - (time.monotonic() - started)
            explanation = explain_cohorts(cohorts, places, seconds=left)
            if explanation.cut:
                warnings = (*warnings, EXPLANATION_CUT)
        return CohortsResult(
            status,
            None,
            None,
            outcome.runtime,
            cohorts,
            conflicts=explanation.conflicts if explanation else (),
            fix=explanation.fix if explanation else None,
            warnings=warnings,
            interrupted=outcome.interrupted,
        )
    return CohortsResult(
        status,
        outcome.objective,
        outcome.bound,
        outcome.runtime,
        cohorts,
        plans=_plans(cohorts, outcome.assignments),
        warnings=warnings,
        interrupted=outcome.interrupted,
    )


def _plans(cohorts: Cohorts, assignments: Mapping[str, Mapping[str, int]]) -> dict[str, Plan]:
    """Each cohort's plan: committed ones as published; the others laid out in their
    meetings, a joint meeting at the times the first cohort there has it (so that it is
    one session)."""
    plans: dict[str, Plan] = {}
    times: dict[tuple[Place, str], tuple[Any, Any]] = {}
    for cohort in cohorts.cohorts:
        slots = {s.index: s for s in MeetingCalendar.of(cohort.program).slots}
        if cohort.committed is not None:
            plan = Plan(cohort.catalog, cohort.program, cohort.committed)
            placed = dict(committed_pins(cohort, MeetingCalendar.of(cohort.program)).pinned)
        else:
            placed = dict(assignments[cohort.name])
            fixed = {
                m: times[place_of(cohort, slots[i]), m]
                for m, i in placed.items()
                if (place_of(cohort, slots[i]), m) in times
            }
            plan = Plan.from_assignment(cohort.catalog, cohort.program, placed, fixed_times=fixed)
        for row in plan.sessions.itertuples(index=False):
            module = str(row.module)
            if module in cohorts.joint and module in placed:
                key = (place_of(cohort, slots[placed[module]]), module)
                times.setdefault(key, (row.start, row.end))
        plans[cohort.name] = plan
    return plans
