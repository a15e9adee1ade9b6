"""Clashing rules in a coordinator's words (explain/wording.py): week ranges, one line per
rule with its numbers, and a headline of what the modules need against what the weeks
allow."""

from __future__ import annotations

from datetime import date

import pytest

from curriculum import Load, Meeting, Ramp
from curriculum.explain.wording import describe, too_long, week_ranges
from curriculum.replanning import Replanning
from curriculum.rules import Clause, Rule
from tests.builders import THU, TUE, laid_out, make_catalog, make_program, module, tuesday


@pytest.mark.parametrize(
    ("weeks", "text"),
    [
        ([4], "week 4"),
        ([2, 3], "weeks 2-3"),
        ([1, 2, 3, 5], "weeks 1-3 and 5"),
        ([1, 3, 5], "weeks 1, 3 and 5"),
        ([3, 1, 2, 2], "weeks 1-3"),  # any order, repeats once
    ],
)
def test_week_ranges(weeks: list[int], text: str) -> None:
    assert week_ranges(weeks) == text


def test_capped_weeks_are_grouped_by_cap_with_the_headline_numbers() -> None:
    # Week 1 is a ramp week capped at 3 h, week 2 at 4 h: 7 h in all, for 2 h + 1.5 h +
    # 4 h = 7.5 h of modules.
    catalog = make_catalog(
        module("a", hours=2.0), module("b", "skill", hours=1.5), module("c", hours=4.0)
    )
    program = make_program(2, (TUE, THU), ramp=Ramp(weeks=1, max_hours_per_week=3))
    core = [Clause(Rule.WEEKLY_HOURS, week=1), Clause(Rule.WEEKLY_HOURS, week=2)]
    summary, lines = describe(core, catalog, program)
    assert lines == ["week 1 (ramp) allows at most 3 hours", "week 2 allows at most 4 hours"]
    assert (
        summary
        == "Weeks 1-2 allow 7 hours in all, but the 3 modules of the catalog need 7.5 hours."
    )


def test_a_clash_of_module_rules_lists_each_rule_once_by_title() -> None:
    # the nurse is away on the only meeting, and 'b' needs 'meds' first: no headline numbers
    catalog = make_catalog(module("meds", facilitator="Nurse"), module("b", prerequisites="meds"))
    program = make_program(2, facilitators={"Nurse": (tuesday(1),)})
    core = [
        Clause(Rule.FACILITATOR_AVAILABLE, module="meds"),
        Clause(Rule.PREREQUISITES, module="b", other="meds"),
    ]
    summary, lines = describe(core, catalog, program)
    assert lines == [
        "'Meds' is led by Nurse, who is unavailable on 2027-01-12",
        "'Meds' must come in a week before 'B'",
    ]
    assert summary == "These rules cannot all hold together:"  # the rules follow, once


def test_meetings_that_cannot_pack_the_modules_say_so() -> None:
    # two weeks of one 1.5 h meeting hold 3 h, for three 1 h modules
    catalog = make_catalog(*(module(f"m{i}") for i in range(3)))
    program = make_program(2, (Meeting("tue", "18:00", 1.5),), load=Load(4, 10))
    summary, lines = describe([Clause(Rule.MEETINGS)], catalog, program)
    assert lines == ["modules sharing a meeting must fit within its length"]
    # 3 h of meetings for 3 h of modules: no count falls short, the packing does (one 1 h
    # module per 1.5 h meeting)
    assert summary == (
        "The 3 modules of the catalog do not fit whole into the meetings (each is taught in one):"
    )


def test_too_long_names_the_modules_longer_than_every_meeting() -> None:
    catalog = make_catalog(module("big", hours=3.0), module("huge", hours=5.0))
    program = make_program(1)
    conflict = too_long(list(catalog.modules), program, longest=8)  # 8 quarters: 2 h
    assert conflict.summary == (
        "'Big' (3 h), 'Huge' (5 h) are longer than the longest meeting (2 h); "
        "a module is taught in one meeting."
    )
    assert "no meetings left" in too_long([], program, longest=0).summary


def test_similar_modules_are_said_together() -> None:
    # two modules with one window, two with one absent facilitator: a line each
    catalog = make_catalog(
        module("a", latest_week=1),
        module("b", latest_week=1),
        module("c", facilitator="Nurse"),
        module("d", facilitator="Nurse"),
    )
    program = make_program(2, facilitators={"Nurse": (tuesday(1), tuesday(2))})
    core = [
        Clause(Rule.WEEK_WINDOW, module="a"),
        Clause(Rule.WEEK_WINDOW, module="b"),
        Clause(Rule.FACILITATOR_AVAILABLE, module="c"),
        Clause(Rule.FACILITATOR_AVAILABLE, module="d"),
    ]
    summary, lines = describe(core, catalog, program)
    assert lines == [
        "'A' and 'B' must be taught in week 1",
        "'C' and 'D' are led by Nurse, who is unavailable on 2027-01-12, 2027-01-19",
    ]
    assert summary == "No meeting is open to 'A', 'B', 'C' and 'D':"


def test_the_intensity_count_in_a_headline() -> None:
    # one week capped at intensity 10 (hours × density) for 2 h × density 4 + 1 h × density 3
    catalog = make_catalog(module("a", hours=2.0, density=4), module("b", "skill", density=3))
    program = make_program(1, (TUE, THU), load=Load(4, 10))
    summary, lines = describe([Clause(Rule.WEEKLY_INTENSITY, week=1)], catalog, program)
    assert lines == ["week 1 allows at most 10 intensity (hours × density)"]
    assert (
        summary
        == "Week 1 allows 10 intensity in all, but the 2 modules of the catalog need 11 intensity."
    )


@pytest.mark.parametrize(
    ("freeze", "open_weeks"),
    [
        (date(2027, 1, 15), "weeks 2-3 remain open"),  # Friday of week 1: its meetings past
        (date(2027, 1, 14), "weeks 1-3 remain open"),  # Thursday of week 1: its meeting open
        (date(2027, 1, 22), "week 3 remains open"),
        (date(2027, 1, 29), "no meeting remains open"),  # after the last meeting (Thu 28)
    ],
)
def test_a_freeze_leaves_open_the_weeks_with_a_meeting_on_or_after_it(
    freeze: date, open_weeks: str
) -> None:
    catalog = make_catalog(module("a"))
    program = make_program(3, (TUE, THU))
    published = laid_out(catalog, program, {"a": tuesday(1)})
    replanning = Replanning(published.sessions, catalog, freeze)
    core = [Clause(Rule.WEEKLY_HOURS, week=3)]
    _, lines = describe(core, catalog, program, replanning)
    assert lines[-1] == f"what happened before {freeze} stays where it was; {open_weeks}"


@pytest.mark.parametrize(
    ("holidays", "headline"),
    [
        ((), "The prerequisite chain needs more weeks than the programme has:"),
        (
            (tuesday(2),),
            "The prerequisite chain needs more weeks than the 2 with meetings open (weeks 1 "
            "and 3):",
        ),
    ],
)
def test_a_chain_too_long_blames_the_weeks_with_meetings_not_the_length(
    holidays: tuple[date, ...], headline: str
) -> None:
    # Before, with holidays closing weeks, it still said "than the programme has"
    catalog = make_catalog(
        module("a"), module("b", prerequisites="a"), module("c", prerequisites="b")
    )
    program = make_program(3 if holidays else 2, holidays=holidays)
    core = [
        Clause(Rule.PREREQUISITES, module="b", other="a"),
        Clause(Rule.PREREQUISITES, module="c", other="b"),
    ]
    summary, _ = describe(core, catalog, program)
    assert summary == headline
