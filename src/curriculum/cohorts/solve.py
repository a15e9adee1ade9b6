"""`solve_cohorts`: plan several cohorts together, sharing facilitators, rooms and joint
modules, and return a `CohortsResult` explained in plain words."""

from __future__ import annotations

import dataclasses
import reprlib
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from curriculum.cohorts.explain import explain_cohorts, proven_by_counting
from curriculum.cohorts.result import CohortsResult
from curriculum.cohorts.sharing import (
    Place,
    committed_pins,
    independent_groups,
    joint_places,
    place_of,
    published_outside_meetings,
    series_clashes,
    subset,
)
from curriculum.cpsat import CohortsModel, CohortsOutcome, SearchSettings, optimise_cohorts
from curriculum.errors import InputError, Problem
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.inputs.consistency import check_together
from curriculum.meetings import MeetingCalendar, calendar_warnings
from curriculum.parallel import run_tasks
from curriculum.plan import Plan
from curriculum.result import Status
from curriculum.solve import PLAN_MOST, PLAN_SHARE, argument_problems, refuse_huge

EXPLANATION_CUT = "the time limit ran out before every clash was explained"
EXECUTOR_WORKERS = 1  # solver workers per group on an executor: no oversubscribed cores
MIN_SEARCH = 0.01  # seconds a search gets when the checks or building took the whole limit


def solve_cohorts(
    cohorts: Cohorts,
    *,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int | None = None,
    log: bool = False,
    executor: Executor | None = None,
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
        As for `solve`; cohorts that share nothing (no facilitator, location or joint
        module) are planned apart, each group with its share of the time. Same seed, same
        plans as for `solve`, but for one more case: with more than one worker, a weekly
        search that has not proven its optimum after 1.5 deterministic seconds goes on in
        CP-SAT's parallel portfolio, which does not repeat
        (`curriculum.cpsat.cohort_weeks.REPEATABLE`).
    executor
        Any `concurrent.futures.Executor` (local processes, a Dask cluster): groups of
        cohorts that share nothing are solved on it side by side, each with the time limit
        less the checks before them, counted from when it starts on its worker (a group
        queued behind others finishes later), and `workers` solver workers (default 1).

    Returns
    -------
    CohortsResult
        With `plans` by cohort, or `conflicts` explaining why there are none. Ctrl-C
        during a search stops it and keeps the best plans so far (`interrupted`), when
        the group it stops is the only one, or the last one solved in turn.

    Raises
    ------
    KeyboardInterrupt
        When Ctrl-C comes with groups of cohorts still to solve (in turn or on an
        executor: they would have no plans), or outside a search (the checks, building a
        model, an explanation).
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
    if executor is not None and not isinstance(executor, Executor):
        raise InputError(
            [
                Problem(
                    "solve_cohorts()",
                    "executor must be a concurrent.futures.Executor, not "
                    f"{type(executor).__name__}; for Dask, pass Client(address).get_executor()",
                    column="executor",
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
            refuse_huge(cohort.catalog)
            check_together(cohort.catalog, cohort.program)
    joint_places(cohorts)  # a joint module with no shared meeting is an input error
    series_clashes(cohorts)  # and so are weekly ongoing series that clash
    published_outside_meetings(cohorts)  # and published sessions no meeting holds now
    groups = [subset(cohorts, members) for members in independent_groups(cohorts)]
    limit = max(time_limit - (time.monotonic() - started), MIN_SEARCH)  # the checks count
    if len(groups) == 1:
        result = solve_group(GroupTask(cohorts, limit, seed, workers, log))
        return dataclasses.replace(result, runtime=time.monotonic() - started)
    if executor is None:
        return _joined(cohorts, _in_turn(groups, started, time_limit, seed, workers, log), started)
    each = workers or EXECUTOR_WORKERS
    tasks = [GroupTask(group, limit, seed, each, False) for group in groups]
    finished = run_tasks(solve_group, tasks, executor)
    if finished.errors:
        raise next(iter(finished.errors.values()))
    if finished.interrupted:
        raise KeyboardInterrupt
    return _joined(cohorts, [finished.outputs[n] for n in range(len(groups))], started)


@dataclass(frozen=True)
class GroupTask:
    """Cohorts that share facilitators, locations or joint modules, and how to solve them
    (what a worker receives: a CP-SAT model cannot be pickled, so it builds its own)."""

    cohorts: Cohorts
    time_limit: float
    seed: int
    workers: int | None
    log: bool


def programme_warnings(cohorts: Cohorts) -> tuple[str, ...]:
    """What looks wrong in each cohort's programme (`Program.warnings`, its calendar's),
    each named by its cohort."""
    return tuple(
        f"{c.name}: {w}"
        for c in cohorts.cohorts
        for w in (*c.program.warnings, *calendar_warnings(c.program))
    )


def solve_group(task: GroupTask) -> CohortsResult:
    """Plan one group of cohorts in one model (a module-level function, for executors)."""
    started = time.monotonic()
    cohorts = task.cohorts
    places = joint_places(cohorts)
    warnings = programme_warnings(cohorts)
    if proven_by_counting(cohorts, places):  # no plans, and no search needed to know it
        return _unplanned(task, places, started, warnings, Status.INFEASIBLE)
    cohorts_model = CohortsModel(cohorts, places)
    # building counts, and making the plans keeps a reserve, as in `solve`
    reserve = min(PLAN_SHARE * task.time_limit, PLAN_MOST)
    left = max(task.time_limit - reserve - (time.monotonic() - started), MIN_SEARCH)
    settings = SearchSettings(left, task.seed, task.workers, task.log)
    outcome = optimise_cohorts(cohorts_model, settings)
    status = Status(outcome.status)
    if not outcome.assignments:
        return _unplanned(task, places, started, warnings, status, outcome)
    plans = _plans(cohorts, outcome.assignments)
    return CohortsResult(
        status,
        outcome.objective,
        outcome.bound,
        time.monotonic() - started,
        cohorts,
        plans=plans,
        warnings=warnings,
        interrupted=outcome.interrupted,
        deterministic_time=outcome.deterministic_time,
    )


def _unplanned(
    task: GroupTask,
    places: Mapping[str, Sequence[Place]],
    started: float,
    warnings: tuple[str, ...],
    status: Status,
    outcome: CohortsOutcome | None = None,
) -> CohortsResult:
    """The result with no plans: when they cannot exist, why (within the time left)."""
    cohorts = task.cohorts
    explanation = None
    if status is Status.INFEASIBLE:
        left = task.time_limit - (time.monotonic() - started)
        explanation = explain_cohorts(cohorts, places, seconds=left)
        if explanation.cut:
            warnings = (*warnings, EXPLANATION_CUT)
    return CohortsResult(
        status,
        None,
        None,
        time.monotonic() - started,
        cohorts,
        conflicts=explanation.conflicts if explanation else (),
        fix=explanation.fix if explanation else None,
        warnings=warnings,
        interrupted=outcome.interrupted if outcome else False,
        deterministic_time=outcome.deterministic_time if outcome else 0.0,
    )


def _in_turn(
    groups: list[Cohorts],
    started: float,
    time_limit: float,
    seed: int,
    workers: int | None,
    log: bool,
) -> list[CohortsResult]:
    """Every group solved here, the smallest first, each with a share of the time left in
    proportion to its size (`_size`) among the groups still to solve, so that the time small
    groups do not need goes to the larger ones (measured on GBACP UD2 at 20 s: the largest
    of its three groups first, then the two small ones proven in 1.7 s, left 10 s unused),
    and a large group is not starved by small ones that never prove (GBACP UD3 at 60 s,
    groups of 351, 1,647 and 6,327 module-weeks: 636 with equal shares, 313 in proportion);
    the results in the groups' order. Ctrl-C before the last group raises
    `KeyboardInterrupt`."""
    order = sorted(range(len(groups)), key=lambda n: (_size(groups[n]), n))
    results: dict[int, CohortsResult] = {}
    for turn, n in enumerate(order):
        left = time_limit - (time.monotonic() - started)
        still = sum(_size(groups[m]) for m in order[turn:])
        share = max(left * _size(groups[n]) / still, 0.1)
        results[n] = solve_group(GroupTask(groups[n], share, seed, workers, log))
        if results[n].interrupted and turn < len(order) - 1:
            raise KeyboardInterrupt  # Ctrl-C with groups still to solve, as on an executor
    return [results[n] for n in range(len(groups))]


def _size(group: Cohorts) -> int:
    """Module-weeks: how large a group's model is, roughly."""
    return sum(len(cohort.catalog) * cohort.program.weeks for cohort in group.cohorts)


ORDER = {Status.OPTIMAL: 0, Status.FEASIBLE: 1, Status.UNKNOWN: 2, Status.INFEASIBLE: 3}


def _joined(cohorts: Cohorts, results: list[CohortsResult], started: float) -> CohortsResult:
    """The groups' results as one: the least certain status, summed objectives and
    bounds, every plan (in file order) only when every group has plans."""
    status = max((r.status for r in results), key=ORDER.__getitem__)
    planned = all(r.plans for r in results)
    plans = {name: r.plans[name] for r in results for name in r.plans}
    return CohortsResult(
        status,
        sum(r.objective or 0 for r in results) if planned else None,
        sum(r.bound or 0 for r in results) if planned else None,
        time.monotonic() - started,
        cohorts,
        plans={c.name: plans[c.name] for c in cohorts.cohorts} if planned else {},
        conflicts=tuple(c for r in results for c in r.conflicts),
        fix=next((r.fix for r in results if r.fix), None),
        warnings=tuple(w for r in results for w in r.warnings),
        interrupted=any(r.interrupted for r in results),
        deterministic_time=sum(r.deterministic_time for r in results),
    )


def published_plan(cohort: Cohort) -> Plan:
    """A committed cohort's published plan as it is (its calendar's SEQUENCE numbers and
    cancellations kept), under the cohort's programme (with the shared facilitators' days
    away); the cohort must be committed."""
    published = cohort.committed
    assert published is not None
    return Plan(
        cohort.catalog,
        cohort.program,
        published.sessions,
        published.cancelled,
        published.frozen,
        published.events,
        published.freeze_before,
    )


def _plans(cohorts: Cohorts, assignments: Mapping[str, Mapping[str, int]]) -> dict[str, Plan]:
    """Each cohort's plan (in file order): committed ones as published; the others laid out
    in their meetings, a joint meeting at the times a committed cohort there has it, else
    the first cohort there (so that it is one session)."""
    plans: dict[str, Plan] = {}
    times: dict[tuple[Place, str], tuple[Any, Any]] = {}
    for cohort in sorted(cohorts.cohorts, key=lambda c: not c.is_committed):  # stable
        slots = {s.index: s for s in MeetingCalendar.of(cohort.program).slots}
        if cohort.committed is not None:
            plan = published_plan(cohort)
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
    return {name: plans[name] for name in cohorts.names}
