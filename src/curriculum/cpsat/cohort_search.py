"""The search for the cohorts' best plans over the shared model: from the weekly stage's
plan (`cohort_weeks`) or each cohort's own greedy start, neighbourhood search, then a
complete search."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from curriculum.cpsat.cohort_start import add_cohorts_warm_start
from curriculum.cpsat.cohort_weeks import LAYOUT_SHARE, weekly_applies, weekly_start
from curriculum.cpsat.cohorts import CohortsModel
from curriculum.cpsat.solver import (
    STATUS_NAMES,
    SearchSettings,
    feasible,
    search_solver,
    solve_interruptibly,
)
from curriculum.cpsat.warm_start import hint_all

# Deterministic time for the first, neighbourhood phase, per decision literal (least, most).
LNS_PER_DECISION = 4e-4
LNS_BUDGET = (0.5, 5.0)
# The weekly stage (`cohort_weeks`) has a group's time limit less a reserve, for laying out
# its plan in meetings (at most `LAYOUT_SHARE` of the limit) and the search by meeting from
# there: MEETING_SECONDS or that layout share, whichever is more, but never more than half
# the limit. Measured with `python -m benchmarks.gbacp`, GBACP objective: at 20 s, the
# weekly stage's shares 0.3 / 0.5 / 0.7 / 0.9 gave UD3 2507 / 973 / 1126 / 1181 and UD5
# 1816 / 1911 / 2040 / 2725; at 60 s, half (30 s left) gave UD5 362-765 in six runs and UD3
# 209-1839 in five, 12 s left UD5 235-573 in ten (235-290 in seven) and UD3 180-234 in
# six (plain CP-SAT: 247-435 and 221-406 in nine), UD2 147-155 and UD4 396 as before,
# UD8 41-55 in six (41-53 before). The layouts took under 1 s; one that took its whole
# share would leave the search by meeting (or the greedy start, when the layout fails) no
# time at 60 s.
MEETING_SECONDS = 12.0


@dataclass(frozen=True)
class CohortsOutcome:
    """What the run found: each cohort's modules in their meetings (module id -> meeting
    index, by cohort name; empty when there is no plan)."""

    status: str
    objective: float | None
    bound: float | None
    runtime: float
    assignments: Mapping[str, Mapping[str, int]]
    interrupted: bool = False
    deterministic_time: float = 0.0  # CP-SAT's own measure of the work done


def optimise_cohorts(cohorts_model: CohortsModel, settings: SearchSettings) -> CohortsOutcome:
    """Minimise every cohort's goals and the facilitator-load goal together; Ctrl-C keeps
    the best plans so far. Same inputs and seed, same plans (a fixed number of workers),
    unless the wall clock cuts the weekly stage or the last phase short, or the weekly
    search runs past its repeatable part (`cohort_weeks.REPEATABLE`) with more than one
    worker.

    Cohorts still to plan start from the weekly stage (`cohort_weeks`), whose proven
    optimum ends the search; else (or when it lays out no plan) from the greedy start.
    From there, neighbourhood search runs first, bounded in deterministic time (measured
    with `python -m benchmarks.cohorts`: ten cohorts over a year go from the greedy plan's
    224 to 0 in 2.2; a complete search from the greedy plan stalled at 223 after 17), then
    a complete search from its best plan with the time left, to prove it.
    """
    started = time.perf_counter()
    model = cohorts_model.model
    model.minimize(cohorts_model.expression())
    best: cp_model.CpSolver | None = None
    status, interrupted, dtime, bound = cp_model.UNKNOWN, False, 0.0, 0.0
    lowest, highest = LNS_BUDGET
    size = sum(part.variables.size for part in cohorts_model.parts)
    budget = min(highest, max(lowest, size * LNS_PER_DECISION))
    phases: list[dict[str, object]] = [{"use_lns_only": True, "max_deterministic_time": budget}]
    if weekly_applies(cohorts_model):
        limit = settings.time_limit
        start = weekly_start(cohorts_model, settings, weekly_seconds(limit), limit)
        dtime, bound, interrupted = start.dtime, start.bound, start.interrupted
        best = start.solver
        if start.infeasible:
            status = cp_model.INFEASIBLE
        elif start.proven:
            status = cp_model.OPTIMAL
    finished = interrupted or status == cp_model.INFEASIBLE  # Ctrl-C: no greedy start to make
    if finished or (best is None and not add_cohorts_warm_start(cohorts_model)):
        phases = []
    phases.append({})
    for overrides in phases:
        left = settings.time_limit - (time.perf_counter() - started)
        if left <= 0 or interrupted or status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            break
        solver = search_solver(settings, left)
        for name, value in overrides.items():
            setattr(solver.parameters, name, value)
        status, interrupted = solve_interruptibly(solver, model)
        dtime += solver.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = solver
            bound = max(bound, solver.best_objective_bound)
            hint_all(model, solver)
    runtime = time.perf_counter() - started
    if best is None:
        name = STATUS_NAMES.get(status, "unknown")
        return CohortsOutcome(name, None, None, runtime, {}, interrupted, dtime)
    scale = cohorts_model.scale
    assignments = {}
    for part in cohorts_model.parts:
        placed = part.variables.assignment(best.boolean_value)
        assert placed is not None  # meeting decisions always place
        assignments[part.cohort.name] = placed
    proven = status == cp_model.OPTIMAL or best.objective_value <= bound
    return CohortsOutcome(
        "optimal" if proven else "feasible",
        best.objective_value / scale,
        (best.objective_value if proven else max(bound, 0)) / scale,
        runtime,
        assignments,
        interrupted,
        dtime,
    )


# CP-SAT's deterministic time for one check that the cohorts have plans (by week, then by
# meeting): the example's supervisor cap raised to 2.5 h is ruled out by week in 0.07, and
# 3 and 3.5 h are decided by meeting in 0.73-0.79 (one worker)
HOLD_DTIME = 2.0


def weekly_seconds(limit: float) -> float:
    """The weekly stage's share of a group's time limit: all but `MEETING_SECONDS` or the
    layout's share, whichever is more, and at least half."""
    return limit - min(limit / 2, max(MEETING_SECONDS, LAYOUT_SHARE * limit))


def cohorts_hold(cohorts_model: CohortsModel, seconds: float) -> bool | None:
    """Whether the cohorts' model has plans (None when undecided within `seconds`, or
    within `HOLD_DTIME`): yes at once when the greedy start finds them. One worker and a
    deterministic limit, so that the verdict, and the fix an explanation offers, is the
    same on a busy machine as on an idle one (unless the wall clock runs out first)."""
    started = time.perf_counter()
    # its relaxation by week rules out most at once (a model with clauses dropped has no
    # such twin: the model by week keeps them)
    if weekly_applies(cohorts_model) and not cohorts_model.guards.dropped:
        weekly = CohortsModel(
            cohorts_model.cohorts, cohorts_model.places, caps=cohorts_model.caps, weekly=True
        )
        by_week = feasible(
            weekly.model, [], time_limit=seconds, workers=1, deterministic=HOLD_DTIME
        )[0]
        if by_week is False:
            return False
    if add_cohorts_warm_start(cohorts_model):
        return True
    left = max(seconds - (time.perf_counter() - started), 0.01)
    model = cohorts_model.model
    return feasible(model, [], time_limit=left, workers=1, deterministic=HOLD_DTIME)[0]
