"""The search (cpsat/search.py): Ctrl-C keeps the best plan found (or the greedy one), a
module longer than every meeting needs no search, and the tiny instance's optimum."""

from __future__ import annotations

from typing import Any

import pytest
from ortools.sat.python import cp_model

import curriculum.cpsat.search as cpsat_search
from curriculum import Catalog, Plan, Program, Status
from curriculum.cpsat.search import optimise
from curriculum.cpsat.solver import SearchSettings
from tests.builders import make_catalog, module, solve_checked


def _fake_interrupt(solved: bool) -> Any:
    """`solve_interruptibly` as if Ctrl-C came (after a plan was found, or before any)."""
    original = cpsat_search.solve_interruptibly

    def solve_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
        outcome = list(original(solver, model))  # (status, interrupted, ...)
        if not solved:
            outcome[0] = cp_model.UNKNOWN
        outcome[1] = True
        return tuple(outcome)

    return solve_interruptibly


def test_the_interrupted_flag_reaches_the_result(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, one_week_program: Program
) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=True))
    result = solve_checked(tiny_catalog, one_week_program)
    assert result.interrupted


def test_interrupted_before_any_plan_says_so(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, one_week_program: Program
) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    monkeypatch.setattr(cpsat_search, "greedy_plan", lambda domains, deadline: None)
    result = solve_checked(tiny_catalog, one_week_program)
    assert result.status is Status.UNKNOWN
    assert result.interrupted
    assert result.conflicts == ()


def test_interrupted_search_still_returns_the_greedy_plan(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, one_week_program: Program
) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    result = solve_checked(tiny_catalog, one_week_program)
    assert result.status is Status.FEASIBLE
    assert result.interrupted


def test_a_module_longer_than_every_meeting_ends_the_search_at_once(
    one_week_program: Program,
) -> None:
    # a 3 h module and one 2 h meeting: no placement exists, so no model is built
    catalog = make_catalog(module("long", hours=3.0))
    outcome = optimise(catalog, one_week_program, SearchSettings(10))
    assert (outcome.status, outcome.assignment, outcome.objective) == ("infeasible", {}, None)


def test_the_tiny_instance_is_solved_to_its_optimum(
    tiny_catalog: Catalog, one_week_program: Program
) -> None:
    # 'a' (content) and 'b' (skill), 1 h each, share the one 2 h meeting: 1 h of content in
    # 2 h is on target, the week has a skill, and its load equals its room (2 h): 0.
    outcome = optimise(tiny_catalog, one_week_program, SearchSettings(10))
    assert (outcome.status, outcome.objective, outcome.bound) == ("optimal", 0.0, 0.0)
    assert outcome.assignment == {"a": 0, "b": 0}
    plan = Plan.from_assignment(tiny_catalog, one_week_program, outcome.assignment)
    assert plan.check() == []
