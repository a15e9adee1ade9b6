"""The soft goals in the CP-SAT model (cpsat/objective.py): one term per goal, each equal to
what the goal's scorer gives the same plan, and the movement a re-plan minimises first.

Derivation reminders are in tests/test_goals.py."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import pytest
from ortools.sat.python import cp_model

from curriculum import Balance, Catalog, Meeting, Plan, Program, Ramp, Status, Weights
from curriculum.cpsat.domains import Domains
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.solver import new_solver
from curriculum.cpsat.variables import MeetingVariables
from curriculum.goals import Goal, score
from curriculum.meetings import MeetingCalendar
from curriculum.replanning import Pins
from tests.builders import make_catalog, make_program, module, solve_checked


def fixed(plan_model: PlanModel, placed: Mapping[str, int]) -> cp_model.CpSolver:
    """A solver holding the model's one solution with each module in the given meeting."""
    variables = plan_model.variables
    assert isinstance(variables, MeetingVariables)
    modules = plan_model.catalog.modules
    for (m, s), var in variables.x.items():
        plan_model.model.add(var == int(placed[modules[m].id] == s))
    solver = new_solver(time_limit=10)
    assert solver.solve(plan_model.model) == cp_model.OPTIMAL
    return solver


def test_the_objective_is_a_function_of_the_plan() -> None:
    catalog = make_catalog(module("a"), module("b", "skill"), module("c"), module("d", "skill"))
    program = make_program(2)
    result = solve_checked(catalog, program)
    assert result.objective == 0
    weeks = dict(zip(result.plan.sessions["module"], result.plan.sessions["meeting"]))
    # the same plan, fixed, with the objective pushed up instead of down
    plan_model = PlanModel(catalog, program)
    variables = plan_model.variables
    assert isinstance(variables, MeetingVariables)
    for (m, s), var in variables.x.items():
        plan_model.model.add(var == int(weeks[catalog.modules[m].id] == s))
    plan_model.model.maximize(plan_model.objective.expression())
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = 1
    assert solver.solve(plan_model.model) == cp_model.OPTIMAL
    assert solver.objective_value / plan_model.objective.scale == result.objective


def test_each_term_equals_its_goal_on_a_fixed_plan() -> None:
    # Two weeks, a 2 h Tuesday meeting each; week 1 is a ramp week (cap 2 h, any density).
    # 'talk' (content, 2 h, density 3) on Tue w1 and 'drill' (skill, 1 h) on Tue w2:
    #   balance: week 1 has 2 h content of 2 h against a 1 h target, 0.5 h beyond the band;
    #            week 2 has 0 of 1 h against 0.5 h, inside it: 0.5;
    #   weeks without skills: week 1: 1;
    #   uneven load: rooms 2 h and 2 h share the 3 h: 1.5 h each; 2 and 1 are within 1 h: 0;
    #   early density: 2 h x (3 - 2) in the ramp week: 2;
    #   avoided weeks: 'drill' avoids week 2, where it is: 1.
    # With the default weights 4, 20, 2, 1, 5: 2 + 20 + 0 + 2 + 5 = 29.
    catalog = make_catalog(
        module("talk", hours=2.0, density=3), module("drill", "skill", avoid_weeks="2")
    )
    ramp = Ramp(weeks=1, max_hours_per_week=2, max_intensity_per_week=10, max_density=5)
    program = make_program(2, ramp=ramp)
    plan_model = PlanModel(catalog, program)
    objective = plan_model.objective
    solver = fixed(plan_model, {"talk": 0, "drill": 1})
    values = {goal: solver.value(term.expr) / term.scale for goal, term in objective.terms.items()}
    expected = {
        Goal.BALANCE: 0.5,
        Goal.WEEKS_WITHOUT_SKILLS: 1.0,
        Goal.UNEVEN_LOAD: 0.0,
        Goal.UNEVEN_LOAD_SQUARED: 0.0,
        Goal.EARLY_DENSITY: 2.0,
        Goal.AVOIDED_WEEKS: 1.0,
    }
    assert values == expected
    assert solver.value(objective.expression()) / objective.scale == 29
    plan = Plan.from_assignment(catalog, program, {"talk": 0, "drill": 1})
    assert plan.check() == []
    assert score(plan.sessions, plan.weekly, program) == expected  # the scorer agrees


@pytest.mark.parametrize(("share", "scale"), [(0.5, 8), (0.25, 16), (0.7, 40)])
def test_model_units_are_quarter_hours_times_the_share_denominator(
    share: float, scale: int, tiny_catalog: Catalog
) -> None:
    # a content share a/b is kept exact by counting hours in quarters times b: 1/2 -> 4 x 2,
    # 1/4 -> 4 x 4, 7/10 -> 4 x 10
    program = make_program(1, balance=Balance(content_share=share))
    assert PlanModel(tiny_catalog, program).objective.scale == scale


@pytest.mark.parametrize(("share", "scale"), [(0.5, 16), (0.25, 16), (0.7, 80)])
def test_a_weighted_squared_load_makes_the_units_a_multiple_of_16(
    share: float, scale: int, tiny_catalog: Catalog
) -> None:
    # quarter hours squared are 1/16 h²: the objective's units per hour take them whole
    program = make_program(
        1, balance=Balance(content_share=share), weights=Weights(uneven_load_squared=1)
    )
    assert PlanModel(tiny_catalog, program).objective.scale == scale


def test_the_squared_load_term_equals_its_goal_on_a_fixed_plan() -> None:
    # A 3 h content block and a 0.5 h skill block, a 3 h Tuesday and a 1 h Thursday meeting
    # a week for two weeks; the blocks in weeks 1 and 2: loads 3 and 0.5 against 1.75 h
    # each, 0.25 h beyond the ±1 h band each: 0.5 h, squared 0.0625 + 0.0625 = 0.125 h².
    catalog = make_catalog(module("long", "content", 3.0), module("short", "skill", 0.5))
    meetings = (Meeting("tue", "18:00", 3), Meeting("thu", "18:00", 1))
    program = make_program(2, meetings, weights=Weights(uneven_load_squared=8))
    plan_model = PlanModel(catalog, program)
    solver = fixed(plan_model, {"long": 0, "short": 2})
    terms = plan_model.objective.terms
    value = solver.value(terms[Goal.UNEVEN_LOAD_SQUARED].expr)
    assert value / terms[Goal.UNEVEN_LOAD_SQUARED].scale == 0.125
    assert solver.value(terms[Goal.UNEVEN_LOAD].expr) / terms[Goal.UNEVEN_LOAD].scale == 0.5
    plan = Plan.from_assignment(catalog, program, {"long": 0, "short": 2})
    assert plan.check() == []
    assert score(plan.sessions, plan.weekly, program)[Goal.UNEVEN_LOAD_SQUARED] == 0.125


def test_movement_counts_moved_modules_before_weeks_moved(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    # Both modules were on Tue w1 (meeting 0). 'a' stays, 'b' moves to Tue w2 (meeting 2):
    # 1 module moved, 1 week in all. Each move counts more than every week any move could
    # shift (2 weeks x 2 modules = 4): 1 x (4 + 1) + 1 = 6.
    pins = Pins(previous={"a": (0, 1), "b": (0, 1)})
    plan_model = PlanModel(tiny_catalog, two_week_program, pins=pins)
    movement = plan_model.objective.movement()  # adds its own variables: before solving
    solver = fixed(plan_model, {"a": 0, "b": 2})
    assert solver.value(movement) == 6


def _floor(catalog: Catalog, program: Program) -> float:
    """The objective's floor in hours, on the domains a search has."""
    domains = Domains(catalog, MeetingCalendar.of(program), Pins())
    plan_model = PlanModel(catalog, program, weekly=True, domains=domains)
    return plan_model.objective.floor(domains) / plan_model.objective.scale


NONE = Weights(0, 0, 0, 0, 0, 0)
FOUR_HOURS = (Meeting("tue", "18:00", 4),)


@pytest.mark.parametrize(("share", "floor"), [(0.5, 2.0), (0.6, 0.4)])
def test_the_floor_holds_the_catalogs_own_balance_gap_less_the_band(
    share: float, floor: float
) -> None:
    # one week: 3 h of content in 4 h, against a target of 2 h (0.5) or 2.4 h (0.6): 1 h or
    # 0.6 h off, 0.5 h of it inside the band; weight 4: 2.0 or 0.4, the only plan's value
    catalog = make_catalog(*(module(f"c{i}") for i in range(3)), module("s", "skill"))
    weights = dataclasses.replace(NONE, balance=4)
    program = make_program(1, FOUR_HOURS, balance=Balance(share), weights=weights)
    assert _floor(catalog, program) == pytest.approx(floor)
    result = solve_checked(catalog, program)
    assert (result.status, result.objective) == (Status.OPTIMAL, pytest.approx(floor))


def test_the_floor_counts_weeks_no_skill_module_may_take() -> None:
    # three weeks, both skill modules due by week 1: weeks 2 and 3 go without, though two
    # skill modules could cover two of three weeks; weight 20: 40
    skills = [module(f"s{i}", "skill", latest_week=1) for i in range(2)]
    catalog = make_catalog(*skills, module("c1"), module("c2"))
    program = make_program(3, weights=dataclasses.replace(NONE, weeks_without_skills=20))
    assert _floor(catalog, program) == 40
    result = solve_checked(catalog, program)
    assert (result.status, result.objective) == (Status.OPTIMAL, 40)


def test_the_floor_counts_dense_material_held_to_the_ramp_and_weeks_to_avoid() -> None:
    # week 1 is the ramp: 'dense' (2 h, density 4) is due by then, 2 h x 2 points above 2;
    # 'free' (density 5) may wait; 'shunned' avoids both weeks, 'picky' only week 1: 1 x 5
    catalog = make_catalog(
        module("dense", hours=2.0, density=4, latest_week=1),
        module("free", density=5),
        module("shunned", avoid_weeks="1;2"),
        module("picky", avoid_weeks="1"),
    )
    ramp = Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=20, max_density=5)
    weights = dataclasses.replace(NONE, early_density=1, avoided_weeks=5)
    program = make_program(2, FOUR_HOURS, ramp=ramp, weights=weights)
    assert _floor(catalog, program) == 4 + 5
    result = solve_checked(catalog, program)
    assert (result.status, result.objective) == (Status.OPTIMAL, 9)
