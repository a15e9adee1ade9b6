"""Clashes proven by counting, without search (explain/counting.py): a module its own rules
shut out of every meeting, and more hours than the caps (or meetings) allow; and the
catalog without the modules that cannot go anywhere."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from curriculum import Duties, Load, Plan, Ramp
from curriculum.explain.counting import Room, overloaded, rooms, unchained, unplaceable
from curriculum.meetings import meeting_slots
from curriculum.replanning import Pins, Replanning
from curriculum.rules import Clause, Rule
from tests.builders import THU, TUE, make_catalog, make_program, module, tuesday


def test_a_module_too_dense_for_an_all_ramp_programme_has_nowhere_to_go() -> None:
    # one week, all ramp (density up to 3): the density-5 module is shut out by that rule alone
    catalog = make_catalog(module("dense", density=5), module("light"))
    program = make_program(1, ramp=Ramp(weeks=1, max_density=3))
    assert unplaceable(catalog, program, meeting_slots(program)) == [
        [Clause(Rule.RAMP_DENSITY, module="dense")]
    ]


def test_the_smallest_set_of_rules_that_shuts_a_module_out() -> None:
    # Two weeks of one Tuesday meeting. 'meds' must end by week 1 and its nurse is away on
    # Tue 2027-01-12: week 1 is shut by the facilitator, week 2 by the window; neither rule
    # alone closes both, so both are the core (in the rules' order of values).
    catalog = make_catalog(module("meds", latest_week=1, facilitator="Nurse"))
    program = make_program(2, facilitators={"Nurse": (tuesday(1),)})
    assert unplaceable(catalog, program, meeting_slots(program)) == [
        [
            Clause(Rule.FACILITATOR_AVAILABLE, module="meds"),
            Clause(Rule.WEEK_WINDOW, module="meds"),
        ]
    ]


def test_a_module_with_a_meeting_left_is_not_a_clash() -> None:
    catalog = make_catalog(module("late", earliest_week=2))
    program = make_program(2)
    assert unplaceable(catalog, program, meeting_slots(program)) == []


def test_more_hours_than_the_weekly_caps_allow() -> None:
    # Three 1.5 h modules (4.5 h) in two weeks capped at 2 h (4 h), though the meetings hold
    # 4 h a week: the hours caps of both weeks clash, the meetings do not, and intensity
    # (3 per module, 9 of 20) neither.
    catalog = make_catalog(*(module(f"m{i}", hours=1.5) for i in range(3)))
    program = make_program(
        2, (TUE, THU), load=Load(max_hours_per_week=2, max_intensity_per_week=10)
    )
    assert overloaded(catalog, program, meeting_slots(program)) == [
        [Clause(Rule.WEEKLY_HOURS, week=1), Clause(Rule.WEEKLY_HOURS, week=2)]
    ]


def test_more_pre_service_hours_than_the_weeks_before_duties_hold() -> None:
    # Duties start in week 2: the three 1 h pre-service modules need week 1, whose 2 h meeting
    # holds 2 h. The meetings of week 1 clash with the pre-service rule of every pre-service
    # module.
    catalog = make_catalog(*(module(f"p{i}", pre_service=True) for i in range(3)))
    program = make_program(3, duties=Duties(start_week=2))
    assert overloaded(catalog, program, meeting_slots(program)) == [
        [
            Clause(Rule.MEETINGS),
            Clause(Rule.PRE_SERVICE, module="p0"),
            Clause(Rule.PRE_SERVICE, module="p1"),
            Clause(Rule.PRE_SERVICE, module="p2"),
        ]
    ]


def test_a_replan_counts_what_is_left_against_the_meetings_left() -> None:
    # Three weeks of one 2 h Tuesday meeting; 'a' (1 h) was taught on Tue of week 1, frozen
    # before week 2. Then Tue of week 3 becomes a holiday: 'b', 'c' and 'd' (3 h) are left
    # for week 2's 2 h meeting. The meetings left clash; the caps (4 h a week, 4 h left)
    # do not, and the pinned past leaves week 1 out of the count.
    catalog = make_catalog(module("a"), module("b"), module("c", "skill"), module("d", "skill"))
    program = make_program(3)
    plan = Plan.from_assignment(catalog, program, {"a": 0, "b": 1, "c": 1, "d": 2})
    changed = dataclasses.replace(program, holidays=(tuesday(3),))
    frozen = Replanning(plan.sessions, catalog, tuesday(2) - timedelta(days=1)).freeze(
        catalog, changed
    )
    room = rooms(frozen.catalog, changed, frozen.slots, frozen.pins)
    assert room == {2: Room(hours=16, meetings=8, intensity=40)}  # quarter hours, points
    assert overloaded(frozen.catalog, changed, frozen.slots, frozen.pins) == [
        [Clause(Rule.MEETINGS)]
    ]
    assert unplaceable(frozen.catalog, changed, frozen.slots, frozen.pins) == []


def test_the_caps_left_in_a_week_the_past_already_filled() -> None:
    # frozen on the Wednesday of week 1: Tuesday's 'a' and 'b' (2 h) stay, and week 1's cap
    # of 3 h leaves 1 h for Thursday's open meeting
    catalog = make_catalog(module("a"), module("b", "skill"), module("c"))
    program = make_program(1, (TUE, THU), load=Load(3, 10))
    plan = Plan.from_assignment(catalog, program, {"a": 0, "b": 0, "c": 1})
    frozen = Replanning(plan.sessions, catalog, tuesday(1) + timedelta(days=1)).freeze(
        catalog, program
    )
    # in quarter hours: the 3 h cap (12) less 2 h (8) is 4; Thursday's meeting is 8; the
    # intensity cap of 10 (40 quarter-hour points) less 2 × 4 quarters × density 2 is 24
    assert rooms(catalog, program, frozen.slots, frozen.pins) == {
        1: Room(hours=4, meetings=8, intensity=24)
    }


def test_a_chain_that_needs_more_weeks_with_meetings_than_its_window_has() -> None:
    # Four weeks of one Tuesday meeting, week 2 a holiday. 'a', then 'b', then 'c' each in a
    # later week, 'c' by week 3: weeks 1 and 3 have meetings by then, the chain needs three.
    # Counting finds it with the chain's links and the window; 'd' after 'c' adds nothing
    # (its clash is the same chain, longer), and 'e', after 'a' only, finds week 3.
    catalog = make_catalog(
        module("a"),
        module("b", prerequisites="a"),
        module("c", prerequisites="b", latest_week=3),
        module("d", prerequisites="c"),
        module("e", prerequisites="a"),
    )
    program = make_program(4, holidays=(tuesday(2),))
    clash = [
        Clause(Rule.PREREQUISITES, module="b", other="a"),
        Clause(Rule.PREREQUISITES, module="c", other="b"),
        Clause(Rule.WEEK_WINDOW, module="c"),
    ]
    assert unchained(catalog, program, meeting_slots(program)) == [clash]
    # with week 2 open, the chain fits
    assert unchained(catalog, make_program(4), meeting_slots(make_program(4))) == []
    # and with no window, the chain fits weeks 1, 3 and 4, but 'd' has no week after them
    free = dataclasses.replace(catalog["c"], latest_week=None)
    loose = dataclasses.replace(
        catalog, modules=tuple(free if m.id == "c" else m for m in catalog.modules)
    )
    assert unchained(loose, program, meeting_slots(program)) == [
        [
            Clause(Rule.PREREQUISITES, module="b", other="a"),
            Clause(Rule.PREREQUISITES, module="c", other="b"),
            Clause(Rule.PREREQUISITES, module="d", other="c"),
        ]
    ]


def test_rules_that_each_shut_a_module_out_are_all_named() -> None:
    # 'check' is pre-service (duties from week 2) and must end by week 1: either rule alone
    # keeps it out of week 2, so a fix must loosen both, and both are named.
    catalog = make_catalog(
        module("a"), module("check", prerequisites="a", latest_week=1, pre_service=True)
    )
    program = make_program(2, duties=Duties(start_week=2))
    (core,) = unchained(catalog, program, meeting_slots(program))
    assert set(core) == {
        Clause(Rule.PREREQUISITES, module="check", other="a"),
        Clause(Rule.PRE_SERVICE, module="check"),
        Clause(Rule.WEEK_WINDOW, module="check"),
    }


def test_a_chain_is_still_counted_past_a_prerequisite_with_no_week() -> None:
    # 'u' has no week at all (its window starts after the programme): unplaceable says so.
    # 'b' needs 'a' and 'u', and must come before duties in week 2: 'a' then 'b' need two
    # weeks before it. The chain used to be skipped because of 'u'.
    catalog = make_catalog(
        module("a", pre_service=True),
        module("u", earliest_week=3),
        module("b", prerequisites="a;u", pre_service=True),
    )
    program = make_program(2, duties=Duties(start_week=2))
    assert unplaceable(catalog, program, meeting_slots(program)) == [
        [Clause(Rule.WEEK_WINDOW, module="u")]
    ]
    assert unchained(catalog, program, meeting_slots(program)) == [
        [Clause(Rule.PREREQUISITES, module="b", other="a"), Clause(Rule.PRE_SERVICE, module="b")]
    ]


def test_a_taught_module_s_new_prerequisite_is_no_chain_clash() -> None:
    # 'b' was taught in week 1 (pinned); the catalog now gives it a prerequisite 'a', still
    # to teach. The model does not judge the past again, so neither does counting (it
    # reported "'b' already took place ... 'a' must come in a week before 'b'").
    catalog = make_catalog(module("a"), module("b", prerequisites="a"))
    program = make_program(3)
    slots = meeting_slots(program)
    pins = Pins(pinned={"b": slots[0].index}, open_from=slots[1].index)
    assert unchained(catalog, program, slots, pins) == []
    # a chain after a taught module counts from the weeks left: 'c' then 'd' in weeks 2-3
    after = make_catalog(
        module("b"), module("c", prerequisites="b"), module("d", prerequisites="c")
    )
    assert unchained(after, program, slots, pins) == []
    longer = make_catalog(
        module("b"),
        module("c", prerequisites="b"),
        module("d", prerequisites="c"),
        module("e", prerequisites="d"),
    )
    assert unchained(longer, program, slots, pins) == [
        [
            Clause(Rule.PREREQUISITES, module="d", other="c"),
            Clause(Rule.PREREQUISITES, module="e", other="d"),
        ]
    ]


def test_a_chain_after_a_clash_is_still_its_own_when_another_prerequisite_pushes_it() -> None:
    # 'p' (after 'a', pre-service, duties from week 2) has no week: a clash. 'z' needs 'p'
    # and 'x', whose leader is away in weeks 1-2: 'z' has no week either, pushed by 'x',
    # not by 'p': a clash of its own (it was skipped as "p's, only longer").
    catalog = make_catalog(
        module("a"),
        module("p", prerequisites="a", pre_service=True),
        module("x", facilitator="Ann"),
        module("z", prerequisites="p;x"),
    )
    away = {"Ann": (tuesday(1), tuesday(2))}
    program = make_program(3, duties=Duties(start_week=2), facilitators=away)
    assert unchained(catalog, program, meeting_slots(program)) == [
        [Clause(Rule.PREREQUISITES, module="p", other="a"), Clause(Rule.PRE_SERVICE, module="p")],
        [
            Clause(Rule.PREREQUISITES, module="z", other="x"),
            Clause(Rule.FACILITATOR_AVAILABLE, module="x"),
        ],
    ]
