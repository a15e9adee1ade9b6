"""Clashes proven by counting, without search (explain/counting.py): a module its own rules
shut out of every meeting, and more hours than the caps (or meetings) allow; and the
catalog without the modules that cannot go anywhere."""

from __future__ import annotations

from curriculum import Duties, Load, Ramp
from curriculum.explain.counting import overloaded, unplaceable, without
from curriculum.meetings import meeting_slots
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
    # holds 2 h. The meetings of week 1 clash with the pre-service rule of the modules that
    # overflow them (the heaviest first, until they exceed the room: all three).
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


def test_without_drops_modules_and_the_prerequisites_on_them() -> None:
    catalog = make_catalog(module("a"), module("b", prerequisites="a"), module("c"))
    rest = without(catalog, {"a"})
    assert [m.id for m in rest.modules] == ["b", "c"]
    assert rest["b"].prerequisites == ()
    assert without(catalog, set()) is catalog
