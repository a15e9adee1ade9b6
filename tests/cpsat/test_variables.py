"""The decisions (cpsat/variables.py): a variable only where a module's own rules allow it in
a search (tight domains, room left for prerequisite chains), every meeting it fits when
explaining; by meeting or by week; read back as an assignment.

The programme: two weeks of Tue and Thu 2 h meetings from Mon 2027-01-11 (UTC), meetings
0 Tue w1, 1 Thu w1, 2 Tue w2, 3 Thu w2; week 1 is a ramp week allowing density up to 3.
"""

from __future__ import annotations

import pytest

from curriculum import Catalog, Program, Ramp
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.variables import MeetingVariables, WeekVariables
from tests.builders import THU, TUE, make_catalog, make_program, module

RAMP = Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=20, max_density=3)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """'early' (by week 1), 'dense' (density 4), 'after' (needs 'early'), 'long' (2.5 h)."""
    return make_catalog(
        module("early", latest_week=1),
        module("dense", density=4),
        module("after", "skill", prerequisites="early"),
        module("long", hours=2.5),
    )


@pytest.fixture(scope="module")
def program() -> Program:
    return make_program(2, (TUE, THU), ramp=RAMP)


def options(plan_model: PlanModel) -> dict[str, list[int]]:
    modules = plan_model.catalog.modules
    return {
        modules[m].id: [slot.index for slot in slots]
        for m, slots in plan_model.variables.options.items()
    }


def test_a_search_offers_each_module_only_the_meetings_its_rules_allow(
    catalog: Catalog, program: Program
) -> None:
    # early: its window ends in week 1; dense: too dense for the ramp week; after: needs
    # 'early' in an earlier week, so not week 1; long: fits no 2 h meeting at all.
    plan_model = PlanModel(catalog, program)
    assert options(plan_model) == {"early": [0, 1], "dense": [2, 3], "after": [2, 3], "long": []}
    variables = plan_model.variables
    assert isinstance(variables, MeetingVariables)
    assert plan_model.size == len(variables.x) == 6


def test_explaining_offers_every_meeting_a_module_fits(catalog: Catalog, program: Program) -> None:
    # the rules then forbid meetings through switches, so a core can name them
    plan_model = PlanModel(catalog, program, explain=True)
    assert options(plan_model) == {
        "early": [0, 1, 2, 3],
        "dense": [0, 1, 2, 3],
        "after": [0, 1, 2, 3],
        "long": [],
    }


def test_weekly_decisions_have_one_variable_per_week_allowed(
    catalog: Catalog, program: Program
) -> None:
    plan_model = PlanModel(catalog, program, weekly=True)
    variables = plan_model.variables
    assert isinstance(variables, WeekVariables)
    # early: week 1; dense: week 2; after: week 2; long: none (module indices 0-3)
    assert sorted(variables.y) == [(0, 1), (1, 2), (2, 2)]
    assert plan_model.size == 3


def test_an_assignment_is_read_back_from_the_decisions(tiny_catalog: Catalog) -> None:
    program = make_program(2, (TUE, THU))
    plan_model = PlanModel(tiny_catalog, program)
    variables = plan_model.variables
    placed = {0: 1, 1: 2}  # 'a' on Thu w1, 'b' on Tue w2
    values = dict(variables.decisions(placed))
    assert sum(values.values()) == 2  # one true literal per module
    assert variables.assignment(lambda var: int(values[var])) == {"a": 1, "b": 2}
    weekly = PlanModel(tiny_catalog, program, weekly=True).variables
    week_values = dict(weekly.decisions(placed))
    # week decisions read back through packing: one module a week, each in its Tuesday
    assert weekly.assignment(lambda var: int(week_values[var])) == {"a": 0, "b": 2}
