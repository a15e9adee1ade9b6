"""Clashing clauses found by CP-SAT: a model whose rules are switches, asked which ones
cannot hold together."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

from ortools.sat.python import cp_model

from curriculum.cpsat.guards import Guards
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.solver import feasible
from curriculum.cpsat.warm_start import greedy_assignment, greedy_keeps_every_rule
from curriculum.rules import Clause


class Switched(Protocol):
    """A model whose clauses have switches: one cohort's (`PlanModel`) or several's."""

    model: cp_model.CpModel
    guards: Guards


def minimal_core(
    plan_model: Switched,
    active: Sequence[Clause],
    seconds: float,
    deterministic: float | None = None,
    deadline: float | None = None,
) -> list[Clause] | None:
    """A minimal set of the active clauses that cannot all hold ([] when they can; None
    when the first check runs out of `seconds` or of `deterministic` time, so that no one
    knows); found by CP-SAT, then reduced by deletion (until the `time.monotonic()`
    deadline, when given: then a clash that may not be minimal)."""
    status, core = _check(plan_model, active, seconds, deterministic)
    if status is None:
        return None
    if status is True:
        return []
    for clause in list(core):
        if deadline is not None and time.monotonic() >= deadline:
            break
        if clause not in core:
            continue
        trial = [c for c in core if c != clause]
        status, smaller = _check(plan_model, trial, seconds, deterministic)
        if status is False:
            core = smaller or trial
    return sorted(core)


def has_plan(plan_model: PlanModel, seconds: float, deterministic: float) -> bool | None:
    """Whether the model (in a search's form) has a plan: True or False when proven within
    `seconds` and `deterministic` time (one worker, so the answer is the same on every
    machine whenever the wall clock is not what stopped it), None when not.

    A model of weeks has a plan when one of its solutions packs into meetings, and none
    when it has no solution at all; a solution that does not pack proves neither (None).
    """
    if _greedy_proves(plan_model):
        return True
    found, _, solver = feasible(
        plan_model.model, [], time_limit=seconds, deterministic=deterministic
    )
    if found is not True:
        return found
    packs = plan_model.variables.assignment(solver.boolean_value) is not None
    return True if packs else None


def _greedy_proves(plan_model: PlanModel) -> bool:
    """Whether the greedy pass (its first attempt) places every module, where its plan
    keeps every rule (`greedy_keeps_every_rule`; it keeps even the clauses the model
    drops): a proof that a plan exists."""
    if not greedy_keeps_every_rule(plan_model.program):
        return False
    return len(greedy_assignment(plan_model.domains)) == len(plan_model.catalog.modules)


def _check(
    plan_model: Switched,
    clauses: Sequence[Clause],
    seconds: float,
    deterministic: float | None,
) -> tuple[bool | None, list[Clause]]:
    """Feasibility with only these clauses on; when infeasible, a sufficient subset."""
    literals = [plan_model.guards.switches[clause] for clause in clauses]
    by_index = {literal.index: clause for literal, clause in zip(literals, clauses)}
    status, indices, _ = feasible(
        plan_model.model, literals, time_limit=seconds, deterministic=deterministic
    )
    return status, [by_index[i] for i in indices if i in by_index]
