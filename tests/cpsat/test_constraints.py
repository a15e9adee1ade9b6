"""The hard rules as the model enforces them (cpsat/constraints.py), beyond the one case per
rule in tests/test_rules.py: floors of the caps, ramp weeks only, holidays, windows,
chains, facilitators, packing blocks into meetings, and the switches an explanation gets.

Reminders for the derivations (see goals.py; default weights balance 4, weeks without
skills 20, uneven load 2, early density 1):

* a *teaching week* has room > 0, room = min(hours cap, hours of its meetings);
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
from datetime import date

import pytest

from curriculum import Balance, Duties, Load, Plan, Ramp, Status, Weights
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.search import run
from curriculum.cpsat.solver import SearchSettings
from curriculum.rules import Clause, Rule
from tests.builders import (
    NO_WEIGHTS,
    THU,
    TUE,
    ZERO_GOALS,
    goal_values,
    hours_by_week,
    laid_out,
    make_catalog,
    make_program,
    meeting_on,
    module,
    slots_of,
    solve_checked,
    solve_optimal,
    thursday,
    together,
    tuesday,
    weeks_of,
)


def test_each_module_is_taught_once_in_a_single_meeting() -> None:
    # One week, Tue and Thu meetings of 2 h; a 1.5 h content, a 1.5 h skill, a 0.5 h content.
    # The two 1.5 h blocks cannot share a 2 h meeting, so one goes to each meeting and the
    # 0.5 h block fills up either of them (1.5 + 0.5 = 2 h). Week: 3.5 h, 2 h content (target
    # 1.75, off by 0.25 <= 0.5), a skill, target load 3.5 = room 4 × 3.5 / 4: objective 0.
    catalog = make_catalog(
        module("theory", "content", 1.5),
        module("practice", "skill", 1.5),
        module("recap", "content", 0.5),
    )
    result, plan = solve_optimal(catalog, make_program(1, (TUE, THU)))
    assert result.objective == 0
    assert result.goals == ZERO_GOALS
    assert len(plan.sessions) == 3
    meetings = plan.sessions.groupby("meeting")["module"].apply(set).tolist()
    assert sorted(map(sorted, meetings)) in (
        [["practice"], ["recap", "theory"]],
        [["practice", "recap"], ["theory"]],
    )


def test_no_meeting_holds_more_than_its_length_even_when_the_week_has_room() -> None:
    # Same week, but the third block is 1 h: 4 h of modules in 4 h of meetings, yet no packing
    # exists (1.5 + 1 > 2 and modules are never split), so there is no plan.
    catalog = make_catalog(
        module("theory", "content", 1.5),
        module("practice", "skill", 1.5),
        module("recap", "content", 1.0),
    )
    result = solve_checked(catalog, make_program(1, (TUE, THU)))
    assert result.status is Status.INFEASIBLE
    assert result.conflicts


def test_a_meeting_never_runs_over_so_blocks_too_long_together_take_two_weeks() -> None:
    # 1.25 h content + 1 h skill = 2.25 h > one 2 h meeting: one block per week.
    # Week with the content: no skill (20) and 1.25 h content vs target 0.625, off by 0.625,
    # 0.125 beyond the band (× 4 = 0.5). Week with the skill: 0 content vs 0.5, inside.
    # Load targets: 2.25 × 2/4 = 1.125 -> 4.5 quarters -> round half to even -> 1.0 h each;
    # 1.25 and 1 are within 1 h of it. Objective 20 + 0.5 = 20.5, whichever week is which.
    catalog = make_catalog(module("long", "content", 1.25), module("short", "skill", 1.0))
    result, plan = solve_optimal(catalog, make_program(2))
    assert result.objective == 20.5
    assert result.goals == goal_values(balance=0.125, weeks_without_skills=1)
    assert weeks_of(plan)["long"] != weeks_of(plan)["short"]
    assert (plan.sessions["end"].dt.strftime("%H:%M") <= "20:00").all()


def test_weekly_hours_cap_is_floored_to_quarter_hours_and_never_exceeded() -> None:
    # 4 blocks of 1 h (2 content, 2 skill), 2 weeks of Tue+Thu, cap 2.2 h -> 2 h (quarters,
    # rounded down). 4 h in 2 weeks of 2 h: each week holds exactly 2 h. One content + one
    # skill per week gives objective 0; pairing like with like would cost 2 + 2 (balance: 2 h
    # content vs target 1, 0.5 beyond the band, × 4, twice) + 20 (a week without skills).
    rows = [
        module("c1", "content"),
        module("c2", "content"),
        module("s1", "skill"),
        module("s2", "skill"),
    ]
    program = make_program(2, (TUE, THU), load=Load(max_hours_per_week=2.2))
    result, plan = solve_optimal(make_catalog(*rows), program)
    assert result.objective == 0
    assert hours_by_week(plan) == {1: 2.0, 2: 2.0}
    for group in together(plan):
        assert sorted(m[0] for m in group) == ["c", "s"]
    # a fifth hour has no room: 5 h > 2 × 2 h
    fifth = make_catalog(*rows, module("c3", "content"))
    assert solve_checked(fifth, program).status is Status.INFEASIBLE


def test_weekly_intensity_cap() -> None:
    # Two dense blocks (1 h × density 4 = 4) and two light ones (1 h × 1 = 1); 2 weeks,
    # intensity cap 5. The dense ones cannot share a week (8 > 5), and neither can a week
    # hold a dense block and both light ones (6 > 5): each week is one dense + one light.
    # Objective 0 only if each week also has a content and a skill, so dense content pairs
    # with light skill and dense skill with light content.
    rows = [
        module("dense-c", "content", density=4),
        module("dense-s", "skill", density=4),
        module("light-c", "content", density=1),
        module("light-s", "skill", density=1),
    ]
    program = make_program(2, (TUE, THU), load=Load(4, max_intensity_per_week=5))
    result, plan = solve_optimal(make_catalog(*rows), program)
    assert result.objective == 0
    assert together(plan) == {
        frozenset({"dense-c", "light-s"}),
        frozenset({"dense-s", "light-c"}),
    }
    assert plan.weekly["intensity"].tolist() == [5.0, 5.0]
    # cap 4.75: a dense block (4) with any light one (1) is over it, so there is no plan
    tighter = make_program(2, (TUE, THU), load=Load(4, max_intensity_per_week=4.75))
    assert solve_checked(make_catalog(*rows), tighter).status is Status.INFEASIBLE


def test_ramp_hours_cap() -> None:
    # Week 1 is a ramp week capped at 1 h; week 2 allows 4 h. Blocks of 1 h: c-dense
    # (density 3), c-light, s1, s2 (skills). Rooms 1 and 4, demand 4: targets
    # 4 × 1/5 = 0.8 -> 0.75 h and 4 × 4/5 = 3.2 -> 3.25 h.
    # Week 1 holds at most one block. One skill there, the other three in week 2: week 1 has
    # a skill, 0 content vs target 0.5; week 2 has 2 h content of 3 (target 1.5) and a skill;
    # loads 1 vs 0.75 and 3 vs 3.25: objective 0. (An empty week 1 costs 20; c-dense there
    # costs 20 + 1 of early density.)
    rows = [
        module("c-dense", "content", density=3),
        module("c-light", "content"),
        module("s1", "skill"),
        module("s2", "skill"),
    ]
    ramp = Ramp(weeks=1, max_hours_per_week=1, max_intensity_per_week=7, max_density=3)
    result, plan = solve_optimal(make_catalog(*rows), make_program(2, (TUE, THU), ramp=ramp))
    assert result.objective == 0
    assert hours_by_week(plan) == {1: 1.0, 2: 3.0}
    first = plan.sessions[plan.sessions["week"] == 1]
    assert first["kind"].tolist() == ["skill"]


def test_ramp_intensity_cap_applies_in_ramp_weeks_only() -> None:
    # Four 1 h blocks of density 2 (2 content, 2 skill); week 1 is a ramp week with 4 h but
    # intensity 3, so it holds one block (two would be 4 > 3); week 2 holds the other three
    # (intensity 6: over the ramp's 3 but within the normal cap of 10). Targets 2 h and 2 h:
    # loads 1 and 3 are within 1 h. A skill in week 1 and one in week 2: objective 0.
    # (Nothing in week 1 would cost 20 for its missing skill + 2 × (1 + 1) for the load.)
    rows = [
        module("c1", "content"),
        module("c2", "content"),
        module("s1", "skill"),
        module("s2", "skill"),
    ]
    ramp = Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=3, max_density=3)
    result, plan = solve_optimal(make_catalog(*rows), make_program(2, (TUE, THU), ramp=ramp))
    assert result.objective == 0
    assert hours_by_week(plan) == {1: 1.0, 2: 3.0}
    assert plan.weekly["intensity"].tolist() == [2.0, 6.0]
    first = plan.sessions[plan.sessions["week"] == 1]
    assert first["kind"].tolist() == ["skill"]


def test_ramp_max_density() -> None:
    # A density-4 content block and a skill block; week 1 is a ramp week allowing density 3.
    # Early density is weighted 0, so only the rule keeps the dense block out of week 1.
    # It goes to week 2; the skill goes to either week: each way one teaching week has no
    # skill (20), balance 0 (1 h content vs 0.5 is within the band) and loads within 1 h of
    # the targets of 1 h: objective 20.
    catalog = make_catalog(module("dense", "content", density=4), module("practice", "skill"))
    ramp = Ramp(weeks=1, max_hours_per_week=2, max_intensity_per_week=10, max_density=3)
    weights = Weights(early_density=0)
    result, plan = solve_optimal(catalog, make_program(2, ramp=ramp, weights=weights))
    assert result.objective == 20
    assert weeks_of(plan)["dense"] == 2
    # In a one-week programme that is all ramp, the dense block has nowhere to go ...
    one_week = make_program(1, ramp=Ramp(1, 2, 10, max_density=3))
    blocked = solve_checked(catalog, one_week)
    assert blocked.status is Status.INFEASIBLE
    assert "density" in str(blocked.conflicts[0])
    # ... until the ramp allows density 4: then it costs 1 h × (4 - 2) of early density.
    allowed = make_program(1, ramp=Ramp(1, 2, 10, max_density=4))
    result, _ = solve_optimal(catalog, allowed)
    assert result.objective == 2
    assert result.goals == goal_values(early_density=2)


def test_prerequisites_come_in_an_earlier_week() -> None:
    # A chain basics -> practice -> review (listed in reverse) in 3 weeks of one meeting:
    # weeks 1, 2, 3 exactly, although practice and review would fit one meeting together.
    # Week 1 holds only content: 20. Balance 0 (1 h content vs 0.5). Targets 3 × 2/6 = 1 h
    # each, loads 1 h: objective 20.
    catalog = make_catalog(
        module("review", "skill", prerequisites="practice"),
        module("practice", "skill", prerequisites="basics"),
        module("basics", "content"),
    )
    result, plan = solve_optimal(catalog, make_program(3))
    assert result.objective == 20
    assert weeks_of(plan) == {"basics": 1, "practice": 2, "review": 3}


def test_earliest_and_latest_week() -> None:
    # 'late' may not come before week 2 and 'early' not after week 1, in 2 weeks: one place
    # each. Week 2 has no skill: 20; everything else is on target: objective 20.
    catalog = make_catalog(
        module("late", "content", earliest_week=2),
        module("early", "skill", latest_week=1),
    )
    result, plan = solve_optimal(catalog, make_program(2))
    assert result.objective == 20
    assert weeks_of(plan) == {"late": 2, "early": 1}
    # a window of one middle week
    catalog = make_catalog(
        module("middle", "content", earliest_week=2, latest_week=2), module("s", "skill")
    )
    _, plan = solve_optimal(catalog, make_program(3))
    assert weeks_of(plan)["middle"] == 2


def test_pre_service_modules_end_before_duties_start() -> None:
    # Duties start in week 2, so the pre-service content block must be in week 1. Two skill
    # blocks: one joins it in week 1 (balanced), the other is alone in week 2 (0 content vs
    # target 0.5, within the band). Targets 3 × 2/4 = 1.5 h; loads 2 and 1. Objective 0.
    # Without the rule, the content block could just as well go to week 2.
    catalog = make_catalog(
        module("standards", "content", pre_service=True),
        module("s1", "skill"),
        module("s2", "skill"),
    )
    program = make_program(2, duties=Duties(start_week=2))
    result, plan = solve_optimal(catalog, program)
    assert result.objective == 0
    assert weeks_of(plan)["standards"] == 1
    assert hours_by_week(plan) == {1: 2.0, 2: 1.0}
    assert plan.sessions.set_index("module").loc["standards", "pre_service"]


def test_no_meeting_on_a_holiday() -> None:
    # Tue 2027-01-12 is a holiday, so the week has only its Thursday meeting (room 2 h): both
    # blocks go there, content first. Content 1 of 2 h, a skill, load = room: objective 0.
    catalog = make_catalog(module("talk", "content"), module("drill", "skill"))
    program = make_program(1, (TUE, THU), holidays=(tuesday(1),))
    result, plan = solve_optimal(catalog, program)
    assert result.objective == 0
    assert slots_of(plan) == {"talk": "Thu 2027-01-14 18:00", "drill": "Thu 2027-01-14 19:00"}


def test_facilitator_unavailability() -> None:
    # The nurse is away on Thursday, the peer trainer on Tuesday: the nurse's block goes to
    # Tuesday and the peer trainer's to Thursday, both at 18:00. One content, one skill in
    # the week, load 2 h = target (2 h × 4/4): objective 0.
    catalog = make_catalog(
        module("medicines", "content", facilitator="Nurse"),
        module("role-play", "skill", facilitator="Peer trainer"),
    )
    program = make_program(
        1,
        (TUE, THU),
        facilitators={"Nurse": (thursday(1),), "Peer trainer": (tuesday(1),)},
    )
    result, plan = solve_optimal(catalog, program)
    assert result.objective == 0
    assert slots_of(plan) == {
        "medicines": "Tue 2027-01-12 18:00",
        "role-play": "Thu 2027-01-14 18:00",
    }
    assert plan.sessions.set_index("module").loc["medicines", "facilitator"] == "Nurse"


WEEKLY_RULES = (Rule.WEEKLY_HOURS, Rule.WEEKLY_INTENSITY, Rule.BALANCE_TOLERANCE)


def test_explaining_gives_a_switch_to_each_clause_that_can_bind() -> None:
    # Two weeks of one Tuesday meeting; week 1 a ramp week (density up to 3); a weekly
    # balance tolerance. 'a' must come by week 1; 'b' (density 5) needs 'a' first. Switches:
    # the meetings; hours, intensity and balance for each week; b's density (week 1 breaks
    # it), a's window (week 2 breaks it) and b's prerequisite. Nothing else can bind.
    catalog = make_catalog(
        module("a", latest_week=1), module("b", "skill", density=5, prerequisites="a")
    )
    program = make_program(
        2,
        ramp=Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=10, max_density=3),
        balance=Balance(content_share=0.5, weekly_tolerance=0.5),
    )
    plan_model = PlanModel(catalog, program, explain=True)
    assert set(plan_model.guards.switches) == {
        Clause(Rule.MEETINGS),
        *(Clause(rule, week=week) for week in (1, 2) for rule in WEEKLY_RULES),
        Clause(Rule.RAMP_DENSITY, module="b"),
        Clause(Rule.WEEK_WINDOW, module="a"),
        Clause(Rule.PREREQUISITES, module="b", other="a"),
    }


@pytest.mark.parametrize("weekly", [True, False])
def test_the_modules_cap_holds_in_both_models_the_ramps_in_ramp_weeks(weekly: bool) -> None:
    # Four 0.5 h modules over 2 weeks of Tue and Thu 2 h meetings: hours and meetings would
    # take all four in week 1. The ramp (week 1) allows 1 module, the load 3: 1 + 3 = 4, so
    # exactly one module in week 1 and three in week 2, in the weekly model and in the
    # meeting model alike (no goal weighted: any such plan is optimal at 0).
    catalog = make_catalog(*(module(f"m{i}", hours=0.5) for i in range(4)))
    ramp = Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=10, max_modules_per_week=1)
    program = make_program(
        2, (TUE, THU), load=Load(4, 10, max_modules_per_week=3), ramp=ramp, weights=NO_WEIGHTS
    )
    plan_model = PlanModel(catalog, program, weekly=weekly)
    objective = plan_model.objective
    outcome = run(plan_model, objective.expression(), objective.scale, SearchSettings(10))
    assert outcome.status == "optimal" and outcome.assignment is not None
    plan = Plan.from_assignment(catalog, program, outcome.assignment)
    assert plan.check() == []
    assert sorted(weeks_of(plan).values()) == [1, 2, 2, 2]
    tight = make_program(2, (TUE, THU), load=Load(4, 10, max_modules_per_week=1), ramp=ramp)
    assert solve_checked(catalog, tight).status is Status.INFEASIBLE  # 1 + 1 < 4


def test_a_re_plan_counts_the_pinned_past_against_the_modules_cap() -> None:
    # Published: a, b and c in week 1 (a and b on Tuesday, c on Thursday), d in week 2, with
    # no cap. Now 2 modules a week. Frozen before Wed 2027-01-13: a and b stay, filling week
    # 1, so c must move to week 2 (with d). Frozen before Fri 2027-01-15: a, b and c stay,
    # 3 over a cap of 2, which the past may be (the model and the checker both allow it).
    catalog = make_catalog(*(module(m, hours=1.0) for m in "abcd"))
    free = make_program(2, (TUE, THU), weights=NO_WEIGHTS)
    days = {"a": tuesday(1), "b": tuesday(1), "c": thursday(1), "d": tuesday(2)}
    published = laid_out(catalog, free, days)
    capped = make_program(
        2, (TUE, THU), load=Load(4, 10, max_modules_per_week=2), weights=NO_WEIGHTS
    )
    result = solve_checked(catalog, capped, previous=published, freeze_before=date(2027, 1, 13))
    assert weeks_of(result.plan) == {"a": 1, "b": 1, "c": 2, "d": 2}
    result = solve_checked(catalog, capped, previous=published, freeze_before=date(2027, 1, 15))
    assert weeks_of(result.plan) == {"a": 1, "b": 1, "c": 1, "d": 2}


ONLY_BALANCE = Weights(
    balance=4, weeks_without_skills=0, uneven_load=0, early_density=0, avoided_weeks=0
)


@pytest.mark.parametrize("weekly", [True, False])
def test_the_modules_floor_holds_in_both_models(weekly: bool) -> None:
    # Three 2 h modules, content 'a' and 'c' and skill 'b', over 3 weeks of Tue and Thu 2 h
    # meetings, only balance weighted (4 per hour beyond ±0.5 h of half the week's hours).
    # A 2 h block alone is 1 h off its target, 0.5 h beyond the band: 2; 'a' or 'c' with
    # 'b' is on target: 0. Without a floor, 'b' shares a week with one of them and the other
    # is alone: 2. A floor of 1 a week leaves one module to each week: 3 × 2 = 6.
    catalog = make_catalog(
        module("a", "content", 2.0), module("b", "skill", 2.0), module("c", "content", 2.0)
    )
    free = make_program(3, (TUE, THU), weights=ONLY_BALANCE)
    floored = make_program(
        3, (TUE, THU), load=Load(4, 10, min_modules_per_week=1), weights=ONLY_BALANCE
    )
    for program, optimum, weeks in ((free, 2, [1, 2]), (floored, 6, [1, 1, 1])):
        plan_model = PlanModel(catalog, program, weekly=weekly)
        objective = plan_model.objective
        outcome = run(plan_model, objective.expression(), objective.scale, SearchSettings(10))
        assert (outcome.status, outcome.objective) == ("optimal", optimum)
        plan = Plan.from_assignment(catalog, program, outcome.assignment)
        assert plan.check() == []
        assert sorted(plan.sessions.groupby("week").size()) == weeks  # modules a week


def test_the_modules_floor_judges_only_weeks_that_can_teach() -> None:
    # Four weeks of Tue and Thu 2 h meetings, a floor of 1 a week, only balance weighted.
    # Week 1 is a ramp week with a 0 h cap and week 3 is all holidays: neither can teach,
    # so neither is judged. 'b' (skill) must come by week 2, so it takes week 2 and 'a'
    # (content) week 4: apart, 2 + 2 = 4, where together in week 2 they would cost 0.
    catalog = make_catalog(module("a", "content", 2.0), module("b", "skill", 2.0, latest_week=2))
    ramp = Ramp(weeks=1, max_hours_per_week=0, max_intensity_per_week=0)
    program = make_program(
        4,
        (TUE, THU),
        load=Load(4, 10, min_modules_per_week=1),
        ramp=ramp,
        holidays=(tuesday(3), thursday(3)),
        weights=ONLY_BALANCE,
    )
    result, plan = solve_optimal(catalog, program)
    assert result.objective == 4
    assert weeks_of(plan) == {"b": 2, "a": 4}
    both = Plan.from_assignment(
        catalog,
        program,
        {"b": meeting_on(program, tuesday(2)), "a": meeting_on(program, thursday(2))},
    )
    assert both.check() == ["week 4 has 0 modules; the floor is 1 a week"]


def test_a_re_plan_judges_only_the_weeks_with_a_meeting_after_the_freeze() -> None:
    # Published with no floor over 3 weeks of Tue and Thu: 'a' on Tue of week 1, 'b' and
    # 'c' in week 2, 'd', 'e' and 'f' in week 3. Now 2 modules a week at least.
    catalog = make_catalog(*(module(m) for m in "abcdef"))
    free = make_program(3, (TUE, THU), weights=NO_WEIGHTS)
    days = {
        "a": tuesday(1),
        "b": tuesday(2),
        "c": thursday(2),
        "d": tuesday(3),
        "e": thursday(3),
        "f": thursday(3),
    }
    published = laid_out(catalog, free, days)
    floored = make_program(
        3, (TUE, THU), load=Load(4, 10, min_modules_per_week=2), weights=NO_WEIGHTS
    )

    def counts(plan: Plan) -> list[int]:
        return [list(weeks_of(plan).values()).count(week) for week in (1, 2, 3)]

    # Frozen before Fri 2027-01-15: week 1 is past, 'a' alone in it, and not judged; the
    # rest stays where it was.
    result = solve_checked(catalog, floored, previous=published, freeze_before=date(2027, 1, 15))
    assert weeks_of(result.plan) == {m: floored.week_of(day) for m, day in days.items()}
    assert result.plan.frozen is not None and list(result.plan.frozen["module"]) == ["a"]
    assert result.plan.freeze_before == date(2027, 1, 15)
    # Frozen before Wed 2027-01-13: week 1 still has its Thursday, so it is judged: one
    # module (of week 3's three) moves to it, the others stay in their meetings at their
    # times: one calendar event changes.
    result = solve_checked(catalog, floored, previous=published, freeze_before=date(2027, 1, 13))
    assert counts(result.plan) == [2, 2, 2]
    assert len(result.plan.diff(published)) == 1
    # Unfrozen, week 1 holds one module: the checker says so.
    fresh = laid_out(catalog, floored, days)
    assert fresh.check() == ["week 1 has 1 module; the floor is 2 a week"]


def test_a_week_the_past_left_empty_is_not_judged_against_the_floor() -> None:
    # Published with no floor: nothing in week 1, 'a' and 'b' in week 2, 'c' and 'd' in
    # week 3. Re-planned with a floor of 2 a week, frozen before Fri 2027-01-15: week 1 is
    # past, empty, and stays so; the plan keeps every rule (judged without week 1).
    catalog = make_catalog(*(module(m) for m in "abcd"))
    free = make_program(3, (TUE, THU), weights=NO_WEIGHTS)
    days = {"a": tuesday(2), "b": thursday(2), "c": tuesday(3), "d": thursday(3)}
    published = laid_out(catalog, free, days)
    floored = make_program(
        3, (TUE, THU), load=Load(4, 10, min_modules_per_week=2), weights=NO_WEIGHTS
    )
    result = solve_checked(catalog, floored, previous=published, freeze_before=date(2027, 1, 15))
    assert weeks_of(result.plan) == {"a": 2, "b": 2, "c": 3, "d": 3}
    unfrozen = dataclasses.replace(result.plan, freeze_before=None)
    assert unfrozen.check() == ["week 1 has 0 modules; the floor is 2 a week"]
