"""The model of a programme (cpsat/model.py): decisions by week for a fresh plan, by meeting
otherwise; every rule added; switches only when explaining."""

from __future__ import annotations

from curriculum import Catalog, Program
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.variables import MeetingVariables, WeekVariables
from curriculum.rules import Rule


def test_a_fresh_plan_decides_weeks_and_an_explanation_meetings(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    # 2 modules: by meeting, 4 meetings each (8 literals); by week, 2 weeks each (4)
    by_meeting = PlanModel(tiny_catalog, two_week_program)
    by_week = PlanModel(tiny_catalog, two_week_program, weekly=True)
    assert isinstance(by_meeting.variables, MeetingVariables) and by_meeting.size == 8
    assert isinstance(by_week.variables, WeekVariables) and by_week.size == 4
    assert list(by_meeting.constraints.rules) == list(Rule)
    assert by_meeting.guards.switches == {}
    assert not by_meeting.hinted


def test_the_calendar_holds_the_programme_meetings_unless_given_others(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    plan_model = PlanModel(tiny_catalog, two_week_program)
    assert len(plan_model.calendar.slots) == 4
    first_week = PlanModel(tiny_catalog, two_week_program, slots=plan_model.calendar.slots[:2])
    assert [s.week for s in first_week.calendar.slots] == [1, 1]
    assert first_week.size == 4  # 2 modules x the 2 meetings given
