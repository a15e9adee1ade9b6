"""The terminal summary (render/text.py): every week (holidays too) with its modules, their
end times and facilitators, against what the week can hold; the objective goal by goal,
what changed since the last plan, and why there is no plan."""

from __future__ import annotations

from curriculum import Conflict, Duties, Plan, Ramp, Result, Status
from curriculum.explain import Setting, Suggestion
from curriculum.goals import score, weights_of
from curriculum.render.text import change_summary, no_plan_text, plan_summary
from tests.builders import make_catalog, make_program, module, tuesday, two_versions


def test_plan_summary_week_by_week_then_the_objective() -> None:
    # Two weeks of one 2 h Tuesday meeting; week 1 a ramp week (3 h, 7), duties from week 2.
    # 'a' (content, 1 h) on Tue w1, 'b' (skill, 1 h, pre-service) on Tue w2. Each week can
    # hold 2 h (its meeting, under its cap). Goals: only week 1 lacks a skill (the rest on
    # target), so the objective is 20.
    catalog = make_catalog(module("a"), module("b", "skill", pre_service=True, facilitator="Nurse"))
    program = make_program(
        2,
        ramp=Ramp(weeks=1, max_hours_per_week=3, max_intensity_per_week=7),
        duties=Duties(start_week=2),
    )
    plan = Plan.from_assignment(catalog, program, {"a": 0, "b": 1})
    goals = score(plan.sessions, plan.weekly, program)
    result = Result(
        Status.OPTIMAL, 20.0, 20.0, 0.5, goals=goals, weights=weights_of(program), _plan=plan
    )
    lines = plan_summary(result).splitlines()
    assert lines[:9] == [
        "Peer support worker training: 2 weeks from 2027-01-11",
        "Times are local to UTC.",
        "Status: optimal, objective 20 (bound 20) in 0.50 s",
        "",
        "Week  1  1/2 h  content 1 h, skills 0 h, intensity 2/7 | ramp",
        "   Tue 12 Jan 18:00-19:00  A [content, 1 h, density 2]",
        "Week  2  1/2 h  content 0 h, skills 1 h, intensity 2/10 | duties start",
        "   Tue 19 Jan 18:00-19:00* B (Nurse) [skill, 1 h, density 2]",
        "",
    ]
    assert (
        "* pre-service. Hours are out of what the week can hold: its cap, or its meetings where shorter."
        in lines
    )
    assert (
        "  weeks_without_skills        1 x 20  = 20   (teaching weeks with no skills practice)"
        in lines
    )


def test_a_holiday_week_is_shown_with_its_holiday() -> None:
    # three weeks of one Tuesday meeting; Tue of week 2 is a holiday, so week 2 holds nothing
    catalog = make_catalog(module("a"), module("b", "skill"))
    program = make_program(3, holidays=(tuesday(2),))
    plan = Plan.from_assignment(catalog, program, {"a": 0, "b": 1})  # meeting 1: week 3
    result = Result(Status.OPTIMAL, 0.0, 0.0, 0.1, goals={}, _plan=plan)
    weeks = [line for line in plan_summary(result).splitlines() if line.startswith("Week")]
    assert weeks == [
        "Week  1  1/2 h  content 1 h, skills 0 h, intensity 2/10",
        "Week  2  0/0 h | holiday Tue 19 Jan | no meeting",
        "Week  3  1/2 h  content 0 h, skills 1 h, intensity 2/10",
    ]


def test_change_summary_one_line_per_module() -> None:
    before, after = two_versions()
    assert change_summary(after.diff(before)) == [
        "Changes: 3 modules",
        "  added    C: Tue 19 Jan 18:00",
        "  moved    B: Thu 14 Jan 18:00 -> Thu 21 Jan 18:00, +1 week",
        "  removed  D (was Tue 19 Jan 18:00)",
    ]
    assert change_summary(after.diff(after)) == ["Changes: none; every module stays where it was."]


def test_no_plan_text_lists_each_clash_with_its_rules_and_fixes() -> None:
    weeks = Suggestion("add 1 week (3 in all)", (Setting("weeks", 3, "set weeks = 3 (--weeks 3)"),))
    cap = Suggestion(
        "raise the weekly cap to 3 hours",
        (Setting("load.max_hours_per_week", 3, "set max_hours_per_week = 3 in [load]"),),
        relaxes="the weekly load cap [17]",
    )
    first = Conflict(
        "Weeks 1-2 allow 4 hours.", ("weeks 1-2 allow at most 2 hours each",), (weeks, cap)
    )
    second = Conflict("No meeting is open to 'A':", ("'A' must be taught in week 5",), (weeks,))
    text = no_plan_text(Result(Status.INFEASIBLE, None, None, 1.0, (first,), fix=weeks))
    assert text.splitlines() == [
        "No plan: the programme is infeasible; these rules clash. Each fix was verified by "
        "re-solving; those that keep every evidence-based rule come first.",
        "1. Weeks 1-2 allow 4 hours.",
        "   - weeks 1-2 allow at most 2 hours each",
        "   Fix: add 1 week (3 in all): set weeks = 3 (--weeks 3).",
        "   Fix: raise the weekly cap to 3 hours: set max_hours_per_week = 3 in [load] "
        "(relaxes the weekly load cap [17]).",
    ]
    both = no_plan_text(Result(Status.INFEASIBLE, None, None, 1.0, (first, second), fix=weeks))
    assert both.splitlines()[-1] == (
        "One change fixes every clash: add 1 week (3 in all): set weeks = 3 (--weeks 3)."
    )
    # a clash with no fix found says so (it used to end after its rules)
    alone = Conflict("No meeting is open to 'A':", ("'A' must be taught in week 5",), ())
    lonely = no_plan_text(Result(Status.INFEASIBLE, None, None, 1.0, (alone,)))
    assert lonely.splitlines()[-1] == (
        "   No single change that fixes this clash was found among the changes tried; change "
        "one of the rules above."
    )
    unknown = no_plan_text(Result(Status.UNKNOWN, None, None, 10.0))
    assert unknown == "No plan found (unknown) within 10.0 s; try a longer --time-limit."
    # proven infeasible with no clash named: no search would find a plan, so no advice to
    # search longer
    unexplained = no_plan_text(Result(Status.INFEASIBLE, None, None, 6.7))
    assert unexplained.startswith(
        "No plan: the programme is infeasible (proven: no plan keeps every rule), but no "
        "clash of its rules was named within 6.7 s"
    )
    assert "longer" not in unexplained
