"""The greedy plan the search starts from (cpsat/warm_start.py): earliest deadline first,
each module into the earliest week still under its fair share and short of its kind."""

from __future__ import annotations

import dataclasses

from curriculum import Catalog, Load, Meeting, Plan, Program, read_catalog
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.warm_start import add_warm_start, greedy_assignment, greedy_plan
from curriculum.meetings import meeting_slots
from tests.builders import DEFAULT_PROGRAM, THU, TUE, make_catalog, make_program, module

FOUR = make_catalog(
    module("c1", "content"), module("c2", "content"), module("s1", "skill"), module("s2", "skill")
)
TWO_WEEKS = make_program(2, (TUE, THU))


def test_the_greedy_plan_shares_the_load_and_mixes_the_kinds() -> None:
    # Four 1 h modules, two weeks of Tue and Thu 2 h meetings: each week's fair share is 2 h.
    # In order c1, c2, s1, s2 (same deadline, same length): c1 takes week 1; c2 would make
    # week 1 all content, so it takes week 2; s1 joins week 1 (now at its 2 h share); s2
    # goes to week 2. Each week: one content, one skill, 2 h.
    plan_model = PlanModel(FOUR, TWO_WEEKS)
    placed = greedy_assignment(plan_model.domains)
    week = {slot.index: slot.week for slot in meeting_slots(TWO_WEEKS)}
    ids = [m.id for m in FOUR.modules]
    assert {ids[m]: week[index] for m, index in placed.items()} == {
        "c1": 1,
        "c2": 2,
        "s1": 1,
        "s2": 2,
    }


def test_prerequisites_wait_for_their_week(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    # practice needs basics in an earlier week: weeks 1 and 2, though both fit week 1
    catalog = make_catalog(module("basics"), module("practice", "skill", prerequisites="basics"))
    placed = greedy_assignment(PlanModel(catalog, two_week_program).domains)
    week = {slot.index: slot.week for slot in meeting_slots(two_week_program)}
    assert [week[placed[m]] for m in (0, 1)] == [1, 2]


def test_a_complete_greedy_plan_hints_every_variable(two_week_program: Program) -> None:
    plan_model = PlanModel(FOUR, two_week_program)
    placed = greedy_plan(plan_model.domains)
    assert placed is not None and len(placed) == 4
    solver = add_warm_start(plan_model, placed)
    assert solver is not None and plan_model.hinted
    assert len(plan_model.model.proto.solution_hint.vars) == len(plan_model.model.proto.variables)


def test_the_greedy_pass_fills_weeks_under_their_floor_first() -> None:
    # One 4 h Tuesday meeting a week over 2 weeks, at least 2 modules a week: a 3 h module
    # and three 1 h ones. By the fair shares alone the 3 h module sits alone in week 1 and
    # the three 1 h ones in week 2; filling weeks under their floor first, the last 1 h
    # module, week 2 at its floor, joins the 3 h one (4 h, the meeting full).
    catalog = make_catalog(module("big", hours=3.0), *(module(f"s{i}", "skill") for i in range(3)))
    free = make_program(2, (Meeting("tue", "18:00", 4),))
    floored = make_program(
        2, (Meeting("tue", "18:00", 4),), load=Load(4, 10, min_modules_per_week=2)
    )
    for program, weeks in ((free, [1, 2, 2, 2]), (floored, [1, 2, 2, 1])):
        placed = greedy_plan(PlanModel(catalog, program).domains)
        assert placed is not None
        plan = Plan.from_assignment(
            catalog, program, {catalog.modules[m].id: i for m, i in placed.items()}
        )
        assert list(plan.sessions.sort_values("module")["week"]) == weeks
        assert plan.check() == []


def _floored(weeks: int, floor: int) -> Program:
    """The bundled catalog's default programme over `weeks`, at least `floor` modules a week."""
    program = dataclasses.replace(DEFAULT_PROGRAM, weeks=weeks)
    load = dataclasses.replace(program.load, min_modules_per_week=floor)
    ramp = dataclasses.replace(program.ramp, min_modules_per_week=floor)
    return dataclasses.replace(program, load=load, ramp=ramp)


def test_when_filling_floors_first_leaves_a_module_out_the_greedy_pass_runs_as_without() -> None:
    # The bundled catalog over 12 weeks, a module a week at least: filling each empty week
    # first spreads the first modules one a week, and the final assessment finds no place
    # in any attempt; as without a floor, every module has one, and the floor holds.
    catalog = read_catalog()
    domains = PlanModel(catalog, _floored(12, 1)).domains
    assert len(greedy_assignment(domains)) < len(catalog)
    placed = greedy_plan(domains)
    assert placed is not None and len(placed) == len(catalog)


def test_a_greedy_plan_that_breaks_the_floor_is_mended_into_a_warm_start() -> None:
    # Over 16 weeks the greedy plan leaves week 16 empty, below its floor of one: fixed to
    # it, the completion fails; guided by it, CP-SAT finds a plan nearby, which keeps
    # every rule.
    catalog, program = read_catalog(), _floored(16, 1)
    plan_model = PlanModel(catalog, program)
    placed = greedy_plan(plan_model.domains)
    assert placed is not None
    week = {slot.index: slot.week for slot in meeting_slots(program)}
    assert 16 not in {week[index] for index in placed.values()}
    solver = add_warm_start(plan_model, placed)
    assert solver is not None and plan_model.hinted
    assignment = plan_model.variables.assignment(solver.boolean_value)
    assert assignment is not None
    assert Plan.from_assignment(catalog, program, assignment).check() == []
