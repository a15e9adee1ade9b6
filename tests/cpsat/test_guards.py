"""Switches for the hard rules (cpsat/guards.py): none in a search, one per clause when
explaining, and a false literal for a clause left out."""

from __future__ import annotations

from ortools.sat.python import cp_model

from curriculum.cpsat.guards import Guards
from curriculum.rules import Clause, Rule

HOURS_1 = Clause(Rule.WEEKLY_HOURS, week=1)
WINDOW_A = Clause(Rule.WEEK_WINDOW, module="a")


def test_in_a_search_every_rule_simply_holds() -> None:
    guards = Guards(cp_model.CpModel(), explain=False, dropped=frozenset())
    assert guards(HOURS_1) == []
    assert guards.switches == {}


def test_explaining_gives_each_clause_one_switch() -> None:
    guards = Guards(cp_model.CpModel(), explain=True, dropped=frozenset())
    (first,) = guards(HOURS_1)
    assert guards(HOURS_1) == [first]  # the same switch every time it is asked for
    (other,) = guards(WINDOW_A)
    assert other is not first
    assert guards.switches == {HOURS_1: first, WINDOW_A: other}


def test_a_dropped_clause_is_enforced_by_false_so_never_enforced() -> None:
    model = cp_model.CpModel()
    guards = Guards(model, explain=True, dropped=frozenset({HOURS_1}))
    (literal,) = guards(HOURS_1)
    x = model.new_int_var(0, 10, "x")
    model.add(x <= 3).only_enforce_if(literal)
    model.maximize(x)
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.value(x) == 10  # the constraint never applied
    assert HOURS_1 not in guards.switches
