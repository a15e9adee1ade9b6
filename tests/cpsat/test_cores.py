"""Clauses that cannot hold together, found by CP-SAT (cpsat/cores.py): a minimal core, and
whether a model in a search's form has a plan."""

from __future__ import annotations

from curriculum import Catalog, Load, Program
from curriculum.cpsat import PlanModel, has_plan, minimal_core
from curriculum.cpsat.warm_start import greedy_keeps_every_rule
from curriculum.rules import Clause, Rule
from tests.builders import make_catalog, make_program, module

# Three 1 h modules that must all come in week 1, whose only meeting lasts 2 h.
CROWDED = make_catalog(*(module(f"m{i}", latest_week=1) for i in range(3)))
TWO_WEEKS = make_program(2)


def test_a_minimal_core_names_every_clause_of_the_clash_and_no_other() -> None:
    # Without any one window, that module goes to week 2; without the meeting rule, all
    # three share the meeting. The caps (3 h of 4, intensity 6 of 10) play no part.
    plan_model = PlanModel(CROWDED, TWO_WEEKS, explain=True)
    core = minimal_core(plan_model, list(plan_model.guards.switches), seconds=5)
    assert core == [
        Clause(Rule.MEETINGS),
        Clause(Rule.WEEK_WINDOW, module="m0"),
        Clause(Rule.WEEK_WINDOW, module="m1"),
        Clause(Rule.WEEK_WINDOW, module="m2"),
    ]


def test_no_core_when_the_active_clauses_can_hold() -> None:
    plan_model = PlanModel(CROWDED, TWO_WEEKS, explain=True)
    windows = [c for c in plan_model.guards.switches if c.rule is Rule.WEEK_WINDOW]
    assert minimal_core(plan_model, windows, seconds=5) == []


def test_has_plan_says_whether_a_plan_exists(
    tiny_catalog: Catalog, one_week_program: Program
) -> None:
    # the tiny pair shares the one 2 h meeting; CROWDED needs 3 h of week 1's 2 h meeting
    for weekly in (False, True):
        assert has_plan(PlanModel(tiny_catalog, one_week_program, weekly=weekly), 5, 5) is True
        assert has_plan(PlanModel(CROWDED, TWO_WEEKS, weekly=weekly), 5, 5) is False


def test_a_greedy_plan_that_breaks_the_floor_proves_nothing() -> None:
    # One module, two weeks, at least one module a week: the greedy pass places it (it does
    # not know the floor), but no plan exists.
    floored = make_program(2, load=Load(4, 10, min_modules_per_week=1))
    assert not greedy_keeps_every_rule(floored) and greedy_keeps_every_rule(TWO_WEEKS)
    for weekly in (False, True):
        assert has_plan(PlanModel(make_catalog(module("a")), floored, weekly=weekly), 5, 5) is False
