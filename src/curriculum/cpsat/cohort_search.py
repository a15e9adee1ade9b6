"""The search for the cohorts' best plans: one CP-SAT run over the shared model, from each
cohort's own greedy start."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from curriculum.cpsat.cohort_start import add_cohorts_warm_start
from curriculum.cpsat.cohorts import CohortsModel
from curriculum.cpsat.solver import (
    STATUS_NAMES,
    SearchSettings,
    feasible,
    search_solver,
    solve_interruptibly,
)


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


def optimise_cohorts(cohorts_model: CohortsModel, settings: SearchSettings) -> CohortsOutcome:
    """Minimise every cohort's goals and the facilitator-load goal together; Ctrl-C keeps
    the best plans so far. Same inputs and seed, same plans (a fixed number of workers)."""
    started = time.perf_counter()
    model = cohorts_model.model
    model.minimize(cohorts_model.expression())
    add_cohorts_warm_start(cohorts_model)
    solver = search_solver(settings, settings.time_limit)
    status, interrupted = solve_interruptibly(solver, model)
    runtime = time.perf_counter() - started
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return CohortsOutcome(
            STATUS_NAMES.get(status, "unknown"), None, None, runtime, {}, interrupted
        )
    scale = cohorts_model.scale
    assignments = {}
    for part in cohorts_model.parts:
        placed = part.variables.assignment(solver.boolean_value)
        assert placed is not None  # meeting decisions always place
        assignments[part.cohort.name] = placed
    return CohortsOutcome(
        STATUS_NAMES[status],
        solver.objective_value / scale,
        max(solver.best_objective_bound, 0) / scale,
        runtime,
        assignments,
        interrupted,
    )


def cohorts_hold(cohorts_model: CohortsModel, seconds: float) -> bool | None:
    """Whether the cohorts' model has plans (None when undecided within `seconds`): yes at
    once when the greedy start finds them."""
    if add_cohorts_warm_start(cohorts_model):
        return True
    return feasible(cohorts_model.model, [], time_limit=seconds, workers=0)[0]
