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
from curriculum.rules import Clause


class Switched(Protocol):
    """A model whose clauses have switches: one cohort's (`PlanModel`) or several's."""

    model: cp_model.CpModel
    guards: Guards


def minimal_core(
    plan_model: Switched,
    active: Sequence[Clause],
    seconds: float,
    deadline: float | None = None,
) -> list[Clause]:
    """A minimal set of the active clauses that cannot all hold ([] when they can, or when
    a check runs out of `seconds`); found by CP-SAT, then reduced by deletion (until the
    `time.monotonic()` deadline, when given: then a clash that may not be minimal)."""
    status, core = _check(plan_model, active, seconds)
    if status is not False:
        return []
    for clause in list(core):
        if deadline is not None and time.monotonic() >= deadline:
            break
        if clause not in core:
            continue
        trial = [c for c in core if c != clause]
        status, smaller = _check(plan_model, trial, seconds)
        if status is False:
            core = smaller or trial
    return sorted(core)


def holds(plan_model: PlanModel, seconds: float) -> bool:
    """Whether the model (in a search's form) has a plan, proven within `seconds`."""
    return feasible(plan_model.model, [], time_limit=seconds, workers=0)[0] is True


def _check(
    plan_model: Switched, clauses: Sequence[Clause], seconds: float
) -> tuple[bool | None, list[Clause]]:
    """Feasibility with only these clauses on; when infeasible, a sufficient subset."""
    literals = [plan_model.guards.switches[clause] for clause in clauses]
    by_index = {literal.index: clause for literal, clause in zip(literals, clauses)}
    status, indices = feasible(plan_model.model, literals, time_limit=seconds)
    return status, [by_index[i] for i in indices if i in by_index]
