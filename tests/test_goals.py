"""The soft goals (goals.py): each on a tiny instance whose optimum is derived by hand, the
weeks that count as teaching weeks, and the scorers on hand-made plans.

Reminders for the derivations (see goals.py; default weights balance 4, weeks without
skills 20, uneven load 2, early density 1):

* a *teaching week* has room > 0, room = min(hours cap, hours of its meetings) (the
  weekly frame's `usable_hours`);
* balance: per teaching week, max(0, |content h - share × hours| - 0.5);
* weeks without skills: teaching weeks with no skill hours;
* uneven load: target_w = demand × room_w / Σ room, rounded to the quarter hour (Python's
  round, half to even), then per teaching week max(0, |hours_w - target_w| - 1);
* early density: Σ over ramp-week sessions of hours × max(0, density - 2).

Unless a test says otherwise: one 2-hour meeting on Tuesdays at 18:00, caps of 4 h and
intensity 10 a week, no ramp, no duties, modules of density 2 (see tests/builders.py).
"""

from __future__ import annotations

import dataclasses

import pytest

from curriculum import Balance, Load, Meeting, Plan, Ramp, Status, Weights
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.search import run
from curriculum.cpsat.solver import SearchSettings
from curriculum.goals import Goal, fair_shares, score, unavoidable, weights_of
from tests.builders import (
    THU,
    TUE,
    ZERO_GOALS,
    goal_values,
    make_catalog,
    make_program,
    meeting_on,
    module,
    solve_checked,
    solve_optimal,
    thursday,
    together,
    tuesday,
    weeks_of,
)


def test_balance_goal() -> None:
    # Two 2 h content blocks and a 1 h skill in 2 weeks of Tue+Thu (cap 4 h, so 5 h need both
    # weeks). The skill joins one content block (3 h, 2 h content vs 1.5: inside the band);
    # the other content block is alone: 2 h content vs target 1, 0.5 beyond the band (balance
    # 0.5 × 4 = 2) and no skill (20). Targets 5 × 4/8 = 2.5 h: loads 3 and 2 are within 1 h.
    # Objective 22. (Both content blocks together: balance 0.5 × 4 + 20 + load 2 × (0.5 +
    # 0.5) = 24.)
    catalog = make_catalog(
        module("c1", "content", 2.0), module("c2", "content", 2.0), module("s", "skill", 1.0)
    )
    result, plan = solve_optimal(catalog, make_program(2, (TUE, THU)))
    assert result.goals == goal_values(balance=0.5, weeks_without_skills=1)
    assert result.objective == 22 == 4 * 0.5 + 20 * 1
    assert together(plan) in (
        {frozenset({"c1", "s"}), frozenset({"c2"})},
        {frozenset({"c2", "s"}), frozenset({"c1"})},
    )


def test_weeks_without_skills_goal() -> None:
    # Two content blocks and one skill block of 1 h in 2 weeks of one 2 h meeting: 2 + 1.
    # The skill joins a content block; the lone content week has no skill: 20 (its 1 h content
    # vs target 0.5 is inside the band). Pairing the two content blocks instead also leaves a
    # week without skills and costs 0.5 × 4 of balance. Objective 20.
    catalog = make_catalog(module("c1", "content"), module("c2", "content"), module("s", "skill"))
    result, plan = solve_optimal(catalog, make_program(2))
    assert result.goals == goal_values(weeks_without_skills=1)
    assert result.objective == 20
    assert any("s" in group and len(group) == 2 for group in together(plan))


def test_uneven_load_goal() -> None:
    # A 3 h content block and a 0.5 h skill block; each week has a 3 h Tuesday and a 1 h
    # Thursday meeting (room 4 h). Demand 3.5 h, targets 1.75 h a week.
    #   apart:    loads 3 and 0.5 are 1.25 h off, 0.25 beyond the band each: 0.5 × 2 = 1;
    #             the content week has no skill (20) and 3 h content vs 1.5, 1 beyond: 4;
    #             total 25.
    #   together: load 3.5 and 0, 0.75 beyond each: 1.5 × 2 = 3; the empty week has no
    #             skill: 20; 3 h content of 3.5 vs 1.75, 0.75 beyond: 3; total 26.
    # So apart, objective 25.
    catalog = make_catalog(module("long", "content", 3.0), module("short", "skill", 0.5))
    meetings = (Meeting("tue", "18:00", 3), Meeting("thu", "18:00", 1))
    result, plan = solve_optimal(catalog, make_program(2, meetings))
    expected = {"balance": 1.0, "weeks_without_skills": 1, "uneven_load": 0.5}
    # squared week by week (measured even when not weighted): 0.25² × 2 = 0.125 h²
    assert result.goals == goal_values(**expected, uneven_load_squared=0.125)
    assert result.objective == 25 == 4 * 1.0 + 20 * 1 + 2 * 0.5
    assert weeks_of(plan)["long"] != weeks_of(plan)["short"]


def test_uneven_load_squared_goal() -> None:
    # The instance above, the squared goal weighted 8: apart, 0.25² × 2 = 0.125 h² (8 × 0.125
    # = 1): 26; together, 0.75² × 2 = 1.125 h² (9): 26 + 9 = 35. Apart, objective 26. With the
    # linear goal off and the squared one on its own (weight 16), only its 2 and the rest: 24.
    catalog = make_catalog(module("long", "content", 3.0), module("short", "skill", 0.5))
    meetings = (Meeting("tue", "18:00", 3), Meeting("thu", "18:00", 1))
    squared = make_program(2, meetings, weights=Weights(uneven_load_squared=8))
    result, plan = solve_optimal(catalog, squared)
    assert result.goals["uneven_load_squared"] == 0.125
    assert result.objective == 26 == 4 * 1.0 + 20 * 1 + 2 * 0.5 + 8 * 0.125
    assert weeks_of(plan)["long"] != weeks_of(plan)["short"]
    alone = make_program(2, meetings, weights=Weights(uneven_load=0, uneven_load_squared=16))
    result, _ = solve_optimal(catalog, alone)
    assert result.objective == 26 == 4 * 1.0 + 20 * 1 + 16 * 0.125


def test_early_density_goal() -> None:
    # Two 2 h content blocks, densities 4 and 3; 2 weeks of one 2 h meeting, cap 2 h, week 1
    # a ramp week allowing any density. One block per week. Early density: 2 h × (3 - 2) = 2
    # with the density-3 block in week 1, 2 h × 2 = 4 with the other. Both placements have
    # balance 0.5 + 0.5 (2 h content vs target 1 each week) and two weeks without skills;
    # loads equal the 2 h targets. Weights: balance 1, skills 0, load 2, early density 3:
    # objective 1 × 1.0 + 3 × 2 = 7.
    catalog = make_catalog(
        module("dense", "content", 2.0, density=4), module("medium", "content", 2.0, density=3)
    )
    ramp = Ramp(weeks=1, max_hours_per_week=2, max_intensity_per_week=10, max_density=5)
    weights = Weights(balance=1, weeks_without_skills=0, uneven_load=2, early_density=3)
    program = make_program(2, load=Load(2, 10), ramp=ramp, weights=weights)
    result, plan = solve_optimal(catalog, program)
    assert result.goals == goal_values(balance=1.0, weeks_without_skills=2, early_density=2)
    assert result.objective == 7
    assert weeks_of(plan) == {"medium": 1, "dense": 2}
    terms = result.objective_terms.set_index("goal")["contribution"].to_dict()
    assert terms == {
        "balance": 1.0,
        "weeks_without_skills": 0.0,
        "uneven_load": 0.0,
        "uneven_load_squared": 0.0,
        "early_density": 6.0,
        "avoided_weeks": 0.0,
    }


def test_content_share_other_than_a_half() -> None:
    # Share 1/4: one week, a 2 h content block alone: 2 h content vs target 0.5, 1 h beyond
    # the band (1.5 - 0.5). No skill: 20. Load = room. Objective 4 × 1 + 20 = 24.
    catalog = make_catalog(module("talk", "content", 2.0))
    program = make_program(1, balance=Balance(content_share=0.25))
    result, _ = solve_optimal(catalog, program)
    assert result.goals == goal_values(balance=1.0, weeks_without_skills=1)
    assert result.objective == 24


def test_weeks_with_a_zero_hours_cap_are_not_teaching_weeks() -> None:
    # Week 1 is a ramp week with a 0 h cap: no room, so not a teaching week (goals.py).
    # Both blocks go to week 2: content + skill, load = room: every goal is 0, objective 0.
    catalog = make_catalog(module("talk", "content"), module("drill", "skill"))
    ramp = Ramp(weeks=1, max_hours_per_week=0, max_intensity_per_week=7, max_density=3)
    result = solve_checked(catalog, make_program(2, ramp=ramp))
    assert result.status is Status.OPTIMAL
    assert result.goals == ZERO_GOALS
    assert result.objective == 0  # (the model once counted week 1 as "without skills")


def test_a_week_whose_only_meeting_is_a_holiday_is_not_a_teaching_week() -> None:
    # Week 1's only meeting falls on a holiday: both blocks go to week 2, and week 1 costs
    # nothing (no room, so neither a missing skill nor a load target). Objective 0.
    catalog = make_catalog(module("talk", "content"), module("drill", "skill"))
    result, plan = solve_optimal(catalog, make_program(2, holidays=(tuesday(1),)))
    assert result.objective == 0
    assert weeks_of(plan) == {"talk": 2, "drill": 2}
    assert plan.weekly.set_index("week").loc[1, "usable_hours"] == 0


# ------------------------------------------------------------------ scorers, by hand


def test_scores_of_a_hand_made_plan() -> None:
    # Two weeks of Tue and Thu 2 h meetings; week 1 a ramp week (caps 4 h and 10, any
    # density). 'talk' (content, 2 h, density 4) on Tue w1, 'notes' (content, 1 h) on Thu w1,
    # 'drill' (skill, 1 h) on Tue w2:
    #   balance: week 1 has 3 h of content in 3 h against 1.5, 1 h beyond the band; week 2 has
    #            0 of 1 h against 0.5, inside it: 1.0;
    #   weeks without skills: week 1: 1;
    #   uneven load: rooms 4 and 4 share the 4 h: 2 h each; 3 and 1 are within 1 h: 0;
    #   early density: 2 h x (4 - 2) + 1 h x 0 in the ramp week: 4.
    catalog = make_catalog(
        module("talk", hours=2.0, density=4), module("notes"), module("drill", "skill")
    )
    ramp = Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=10, max_density=5)
    program = make_program(2, (TUE, THU), ramp=ramp)
    placed = {"talk": tuesday(1), "notes": thursday(1), "drill": tuesday(2)}
    plan = Plan.from_assignment(
        catalog, program, {m: meeting_on(program, day) for m, day in placed.items()}
    )
    assert plan.check() == []
    assert score(plan.sessions, plan.weekly, program) == {
        Goal.BALANCE: 1.0,
        Goal.WEEKS_WITHOUT_SKILLS: 1.0,
        Goal.UNEVEN_LOAD: 0.0,
        Goal.UNEVEN_LOAD_SQUARED: 0.0,
        Goal.EARLY_DENSITY: 4.0,
        Goal.AVOIDED_WEEKS: 0.0,
    }


def test_fair_shares_follow_each_week_s_room_to_the_quarter_hour() -> None:
    # 3.5 h over rooms of 3 h and 4 h: 1.5 h and 2 h; a week with no room has no share
    assert fair_shares({1: 3.0, 2: 4.0, 3: 0.0}, 3.5) == {1: 1.5, 2: 2.0}
    # 2.25 h over two equal rooms: 1.125 h is 4.5 quarters, rounded half to even: 1 h each
    assert fair_shares({1: 2.0, 2: 2.0}, 2.25) == {1: 1.0, 2: 1.0}


def test_each_goal_has_its_weight_and_words() -> None:
    weights = Weights(
        balance=5,
        weeks_without_skills=30,
        uneven_load=1,
        uneven_load_squared=3,
        early_density=2,
        avoided_weeks=7,
    )
    assert [goal.weight(weights) for goal in Goal] == [5, 30, 1, 3, 2, 7]
    assert weights_of(make_program(1, weights=weights)) == dict(zip(Goal, [5, 30, 1, 3, 2, 7]))
    assert Weights().uneven_load_squared == 0  # off unless asked for
    assert Goal.AVOIDED_WEEKS.shortfall(1) == "not met: 1 module in a week it should avoid"
    assert all(goal.measures for goal in Goal)
    assert str(Goal.UNEVEN_LOAD) == "uneven_load"
    assert Goal.WEEKS_WITHOUT_SKILLS.label == "skills practice every teaching week [4][5]"
    assert Goal.WEEKS_WITHOUT_SKILLS.shortfall(0) == "met"
    assert Goal.WEEKS_WITHOUT_SKILLS.shortfall(2) == "not met: 2 weeks without skills practice"
    assert Goal.WEEKS_WITHOUT_SKILLS.shortfall(1) == "not met: 1 week without skills practice"


def test_eight_skill_modules_over_ten_weeks_leave_two_without_skills() -> None:
    # 8 skill and 8 content modules of 1 h over 10 weeks of two 2 h meetings: each skill
    # module fills one week, so at least 10 - 8 = 2 weeks go without; the catalog is half
    # content (no balance bound), no ramp (no density bound). The best plan reaches it.
    catalog = make_catalog(
        *(module(f"s{i}", "skill") for i in range(8)), *(module(f"c{i}") for i in range(8))
    )
    program = make_program(10, (TUE, THU))
    assert unavoidable(catalog, program) == {
        Goal.WEEKS_WITHOUT_SKILLS: (
            2,
            "8 skill modules for 10 teaching weeks leave at least 2 weeks without skills practice",
        )
    }
    result, _ = solve_optimal(catalog, program)
    assert result.goals[Goal.WEEKS_WITHOUT_SKILLS] == 2


def test_a_catalog_off_the_target_share_cannot_balance_every_week() -> None:
    # 3 h of content, 1 h of skills, target 50%: 1 h off in all; two teaching weeks take
    # 0.5 h each within the band, so at least 1 - 2 × 0.5 = 0 - no bound; with 5 h of
    # content and 1 h of skills over two weeks: |5 - 3| - 1 = 1 h at least.
    fits = make_catalog(*(module(f"c{i}") for i in range(3)), module("s", "skill"))
    assert Goal.BALANCE not in unavoidable(fits, make_program(2, (TUE, THU)))
    heavy = make_catalog(*(module(f"c{i}") for i in range(5)), module("s", "skill"))
    value, _ = unavoidable(heavy, make_program(2, (TUE, THU)))[Goal.BALANCE]
    assert value == 1
    result, _ = solve_optimal(heavy, make_program(2, (TUE, THU)))
    assert result.goals[Goal.BALANCE] >= value


AVOIDING = Weights(balance=1, weeks_without_skills=0, uneven_load=0, early_density=0)


@pytest.mark.parametrize("weekly", [True, False])
def test_avoided_weeks_goal_in_both_models(weekly: bool) -> None:
    # Two 2 h content blocks, 2 weeks of one 2 h Tuesday meeting: one block a week. 'a'
    # avoids week 1, 'b' weeks 1 and 2 (so 'b' always costs 1). Balance costs 0.5 + 0.5
    # either way (2 h of content against a 1 h target each week). With 'a' in week 2 the
    # goal is 1, else 2: the optimum is balance 1 × 1.0 + avoided weeks 5 × 1 = 6, the same
    # in the weekly model and in the meeting model (re-planning, explanations).
    catalog = make_catalog(
        module("a", hours=2.0, avoid_weeks="1"), module("b", hours=2.0, avoid_weeks="1;2")
    )
    program = make_program(2, load=Load(2, 10), weights=AVOIDING)
    plan_model = PlanModel(catalog, program, weekly=weekly)
    objective = plan_model.objective
    outcome = run(plan_model, objective.expression(), objective.scale, SearchSettings(10))
    assert (outcome.status, outcome.objective) == ("optimal", 6)
    assert outcome.assignment is not None
    plan = Plan.from_assignment(catalog, program, outcome.assignment)
    assert weeks_of(plan) == {"b": 1, "a": 2}
    assert score(plan.sessions, plan.weekly, program)[Goal.AVOIDED_WEEKS] == 1
    swapped = Plan.from_assignment(
        catalog,
        program,
        {"a": meeting_on(program, tuesday(1)), "b": meeting_on(program, tuesday(2))},
    )
    assert score(swapped.sessions, swapped.weekly, program)[Goal.AVOIDED_WEEKS] == 2


def test_avoided_weeks_goal_through_solve_and_its_weight() -> None:
    # as above through `solve`: objective 6 (weight 5, the default); with the weight at 0,
    # only balance is left: objective 1 in either order
    catalog = make_catalog(
        module("a", hours=2.0, avoid_weeks="1"), module("b", hours=2.0, avoid_weeks="1;2")
    )
    program = make_program(2, load=Load(2, 10), weights=AVOIDING)
    assert AVOIDING.avoided_weeks == 5
    result, plan = solve_optimal(catalog, program)
    assert result.goals == goal_values(balance=1.0, weeks_without_skills=2, avoided_weeks=1)
    assert result.objective == 6
    assert plan.sessions["avoid_weeks"].tolist() == ["1;2", "1"]  # b (week 1), then a
    free = dataclasses.replace(AVOIDING, avoided_weeks=0)
    result, _ = solve_optimal(catalog, make_program(2, load=Load(2, 10), weights=free))
    assert result.objective == 1
