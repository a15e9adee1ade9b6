"""Candidate relaxations of a clash (explain/relax.py): aimed at the clashing rules, those
that keep every evidence-based rule first (more weeks among them), then those that loosen
one, least disruptive first, each once, each a valid programme. (That each suggestion
really resolves its clash is tested in test_conflicts.py.)"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from curriculum import Duties, Load, Meeting, Plan, Ramp
from curriculum.explain.relax import candidates, longer_meetings
from curriculum.replanning import Replanning
from curriculum.rules import Clause, Rule
from tests.builders import THU, TUE, make_catalog, make_program, meeting_on, module, tuesday


def more_weeks(weeks: int) -> list[str]:
    """More weeks keep every rule: 1 to 12 of them, after the other relaxations that do."""
    return [
        f"add {extra} week{'s' if extra > 1 else ''} ({weeks + extra} in all)"
        for extra in range(1, 13)
    ]


def test_more_weeks_first_then_a_denser_ramp_then_a_shorter_ramp() -> None:
    # ramp of 2 weeks allowing density 3: more weeks keep the ramp; then allow density 4,
    # then 5 (the most), then 1 ramp week, then 0, each loosening the ramp
    catalog = make_catalog(module("dense", density=5))
    program = make_program(3, ramp=Ramp(weeks=2, max_density=3))
    relaxations = list(candidates([Clause(Rule.RAMP_DENSITY, module="dense")], catalog, program))
    texts = [r.description for r in relaxations]
    assert texts[:12] == more_weeks(3)
    assert all(r.keeps_evidence for r in relaxations[:12])
    assert texts[12:14] == [
        "allow density up to 4 in the ramp weeks",
        "allow density up to 5 in the ramp weeks",
    ]
    assert [r.program.ramp.weeks for r in relaxations[14:]] == [1, 0]
    assert {r.relaxes for r in relaxations[12:]} == {"the gentler first weeks [17]"}
    assert relaxations[12].program.ramp.max_density == 4
    assert relaxations[12].catalog is catalog
    assert relaxations[11].program.weeks == 15


def test_each_suggestion_once_though_two_rules_make_it() -> None:
    # A 2.5 h module and a 2 h weekly cap; the longest week holds 3 h of meetings. The
    # weekly cap in steps of 0.5 h up to 3 h, then the cap the module alone needs (2.5 h:
    # already suggested, so not again), after the more weeks that keep the cap.
    catalog = make_catalog(module("big", hours=2.5))
    program = make_program(3, (Meeting("tue", "18:00", 3),), load=Load(2, 10))
    core = [Clause(Rule.WEEKLY_HOURS, week=2), Clause(Rule.WEEKLY_HOURS, module="big")]
    texts = [r.description for r in candidates(core, catalog, program)]
    assert texts == [
        *more_weeks(3),
        "raise the weekly cap to 2.5 hours",
        "raise the weekly cap to 3 hours",
    ]


def test_another_meeting_keeps_the_evidence() -> None:
    # meetings on Tuesday and Thursday: the first weekday without one is Monday, at the
    # first meeting's time and length
    catalog = make_catalog(module("a"))
    program = make_program(1, (TUE, THU))
    (first, *_) = candidates([Clause(Rule.MEETINGS)], catalog, program)
    assert first.description == "add a weekly meeting on Monday at 18:00"
    assert first.keeps_evidence
    assert first.program.meetings[2] == Meeting("mon", "18:00", 2)
    suggestion = first.suggestion(catalog, program)
    assert [s.text for s in suggestion.settings] == [
        'add a [[meetings]] entry: weekday = "mon", start = "18:00", hours = 2'
    ]


def test_a_longer_meeting_for_a_module_that_fits_none() -> None:
    # A 3 h module; Tue 22:00 (1 h) cannot run to 01:00, so only Thursday's may lengthen.
    catalog = make_catalog(module("big", hours=3.0))
    program = make_program(1, (Meeting("tue", "22:00", 1), THU))
    relaxations = list(longer_meetings([Clause(Rule.MEETINGS)], catalog, program, None))
    assert [r.description for r in relaxations] == ["lengthen the Thursday meeting to 3 hours"]
    assert relaxations[0].program.meetings[1].hours == 3
    capped = make_program(1, (TUE, THU), load=Load(2, 10))
    assert [r.description for r in longer_meetings([], catalog, capped, None)] == [
        "lengthen the Tuesday meeting to 3 hours and raise the weekly cap to 3 hours",
        "lengthen the Thursday meeting to 3 hours and raise the weekly cap to 3 hours",
    ]
    fits = make_catalog(module("small"))
    assert list(longer_meetings([], fits, program, None)) == []


def test_an_earlier_freeze_thaws_the_past_that_clashes() -> None:
    # 'theory' took place on Tue 2027-01-12, frozen before 2027-01-13: thaw from its day
    catalog = make_catalog(module("theory"))
    program = make_program(2, (TUE, THU))
    plan = Plan.from_assignment(catalog, program, {"theory": meeting_on(program, tuesday(1))})
    replanning = Replanning(plan.sessions, catalog, date(2027, 1, 13))
    (first, *_) = candidates([Clause(Rule.FROZEN, module="theory")], catalog, program, replanning)
    assert first.description == (
        "freeze only what happened before 2027-01-12 (not 2027-01-13), "
        "so 'Theory' can be re-scheduled"
    )
    assert first.replanning is not None and first.replanning.freeze_before == date(2027, 1, 12)
    suggestion = first.suggestion(catalog, program, replanning)
    assert [s.text for s in suggestion.settings] == [
        "use --freeze-before 2027-01-12 (not 2027-01-13)"
    ]


def test_someone_else_leads_the_module_of_an_absent_facilitator() -> None:
    catalog = make_catalog(module("meds", facilitator="Nurse"))
    program = make_program(1, facilitators={"Nurse": (tuesday(1),)})
    core = [Clause(Rule.FACILITATOR_AVAILABLE, module="meds")]
    (first, *_) = candidates(core, catalog, program)
    assert first.description == "ask someone other than Nurse to lead 'Meds'"
    assert first.catalog["meds"].facilitator == ""
    suggestion = first.suggestion(catalog, program)
    assert [s.text for s in suggestion.settings] == [
        'remove [facilitators."Nurse"]',
        "set facilitator = someone else for 'meds' in the catalog",
    ]


def test_a_window_dropped_says_to_clear_the_cell_not_to_write_empty() -> None:
    # Before: "set latest_week = empty for 'a' in the catalog"; the word typed in was refused
    catalog = make_catalog(module("a", latest_week=1))
    program = make_program(2)
    core = [Clause(Rule.WEEK_WINDOW, module="a")]
    first = next(c for c in candidates(core, catalog, program) if "latest week" in c.description)
    suggestion = first.suggestion(catalog, program)
    assert [s.text for s in suggestion.settings] == [
        "clear latest_week for 'a' in the catalog (leave its cell empty)"
    ]


def test_a_replan_past_the_duty_start_keeps_it_and_the_ramp_when_adding_weeks() -> None:
    # Twelve weeks, duties from week 10 and a ramp of weeks 1-4 (both defaults, which follow
    # the programme's length), frozen in week 11. Adding weeks must not move either into or
    # out of the past: the duty start stays 10 (it would become 11 at 13 weeks) and the ramp
    # 4 weeks (it would become 5 at 14), written out; nor are duties moved later.
    catalog = make_catalog(module("a", pre_service=True))
    program = dataclasses.replace(make_program(12, (TUE,)), ramp=Ramp(), duties=Duties())
    assert (program.limits.duty_start, program.limits.ramp_weeks) == (10, 4)
    plan = Plan.from_assignment(catalog, program, {"a": meeting_on(program, tuesday(1))})
    replanning = Replanning(plan.sessions, catalog, tuesday(11))
    core = [Clause(Rule.PRE_SERVICE, module="a")]
    found = {r.description: r for r in candidates(core, catalog, program, replanning)}
    assert not [d for d in found if d.startswith("start duties in week")]
    for weeks in (13, 14):
        longer = found[f"add {weeks - 12} week{'s' if weeks > 13 else ''} ({weeks} in all)"]
        assert (longer.program.limits.duty_start, longer.program.limits.ramp_weeks) == (10, 4)
        settings = longer.suggestion(catalog, program, replanning).settings
        assert ("duties.start_week", 10) in [(s.key, s.value) for s in settings]
    # Not re-planning, or frozen before week 4, the defaults follow the length as before
    for replan in (None, Replanning(plan.sessions, catalog, tuesday(3))):
        found = {r.description: r for r in candidates(core, catalog, program, replan)}
        assert found["add 2 weeks (14 in all)"].program.limits.duty_start == 12
        assert found["add 2 weeks (14 in all)"].program.limits.ramp_weeks == 5
        assert "start duties in week 11 instead of week 10" in found


def test_a_chain_in_a_programme_with_weeks_closed_may_take_another_meeting() -> None:
    # Holidays close week 2's only meeting: another weekly meeting may open it for a chain
    # that needs more weeks; with every week open, only more weeks can help.
    catalog = make_catalog(module("a"), module("b", prerequisites="a"))
    core = [Clause(Rule.PREREQUISITES, module="b", other="a")]
    closed = make_program(2, (TUE,), holidays=(tuesday(2),))
    found = [r.description for r in candidates(core, catalog, closed)]
    assert "add a weekly meeting on Monday at 18:00" in found
    found = [r.description for r in candidates(core, catalog, make_program(2, (TUE,)))]
    assert not [d for d in found if "meeting" in d]


def test_a_replan_frozen_on_the_monday_duties_start_may_still_move_them() -> None:
    # Frozen on Mon 2027-03-15, nothing of week 10 has happened: duties (from week 10) may
    # still start later. A freeze on the Wednesday is past their start: they may not.
    catalog = make_catalog(module("a", pre_service=True))
    program = dataclasses.replace(make_program(12, (TUE,)), ramp=Ramp(), duties=Duties())
    plan = Plan.from_assignment(catalog, program, {"a": meeting_on(program, tuesday(1))})
    core = [Clause(Rule.PRE_SERVICE, module="a")]
    for freeze, offered in ((program.monday_of(10), True), (tuesday(10) + timedelta(1), False)):
        replanning = Replanning(plan.sessions, catalog, freeze)
        found = [r.description for r in candidates(core, catalog, program, replanning)]
        assert ("start duties in week 11 instead of week 10" in found) is offered
