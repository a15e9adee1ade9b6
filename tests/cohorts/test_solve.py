"""Planning cohorts together (cohorts/solve.py, cpsat/cohorts.py): tiny two-cohort
instances whose optimum is derived by hand, every plan checked (shared rules and each
cohort's own), and an impossible cap explained with its fix."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import date, timezone
from typing import Any, TypeVar

import icalendar
import pandas as pd
import pytest

import curriculum.cohorts.solve as cohorts_solve
from curriculum import (
    Cohort,
    Cohorts,
    CohortsResult,
    Duties,
    InfeasibleError,
    InputError,
    Meeting,
    Ongoing,
    SharedFacilitator,
    Status,
    Weights,
    solve_cohorts,
)
from curriculum.cohorts.checks import SHARED_CHECKS
from curriculum.cohorts.explain import (
    ANOTHER_ROOM,
    RELAXATIONS,
    WORDING,
    _unused,
    proven_by_counting,
)
from curriculum.cohorts.read import read_cohorts
from curriculum.cohorts.sharing import independent_groups
from curriculum.cpsat import CohortsModel, SearchSettings, cohorts_hold
from curriculum.cpsat.cohort_search import CohortsOutcome
from curriculum.errors import CohortsError
from curriculum.explain import Setting
from curriculum.export.ics.ledger import renumbered
from curriculum.inputs.program_toml import program_from_mapping, program_mapping
from curriculum.rules import Clause, SharedRule
from tests.builders import (
    ROOT,
    THU,
    TUE,
    laid_out,
    make_catalog,
    make_program,
    module,
    moved,
    solve_cohorts_checked,
    tomllib,
    two_versions,
    with_changes,
)

EXAMPLE = ROOT / "data" / "cohorts" / "cohorts.toml"
NO_GOALS = Weights(balance=0, weeks_without_skills=0, uneven_load=0, early_density=0)
FRI = Meeting("fri", "14:00", 2)  # a workshop two cohorts can share
T = TypeVar("T")


def cohort(
    name: str, *rows: dict, location: str, meetings=(TUE,), weeks: int = 1, **program: Any
) -> Cohort:
    """A cohort whose own goals cost nothing, so that only the shared goal is left."""
    program = make_program(weeks, meetings, weights=NO_GOALS, location=location, **program)
    return Cohort(name, make_catalog(*rows), program)


def day_of(result, cohort_name: str, module_id: str) -> str:
    sessions = result.plans[cohort_name].sessions.set_index("module")
    return sessions.loc[module_id, "start"].strftime("%a %Y-%m-%d %H:%M")


def test_a_shared_facilitator_is_split_between_the_cohorts() -> None:
    # One week. Sam leads 'a' in A (Tue or Thu 18:00) and 'b' in B (Tue 18:00 only), at two
    # sites. Apart, both would fit on Tuesday; together Sam cannot be at both, so 'a' moves
    # to Thursday. Sam's 2 h in the one week are their even share: every goal is met.
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("a", facilitator="Sam"), location="Site A", meetings=(TUE, THU)),
            cohort("B", module("b", facilitator="Sam"), location="Site B"),
        )
    )
    result = solve_cohorts_checked(cohorts)
    assert result.status is Status.OPTIMAL
    assert result.objective == pytest.approx(0)
    assert day_of(result, "A", "a") == "Thu 2027-01-14 18:00"
    assert day_of(result, "B", "b") == "Tue 2027-01-12 18:00"


def test_two_cohorts_never_share_a_room_at_once() -> None:
    # Both meet Tuesdays 18:00-20:00 in Room 1 for two weeks. A's module must be in week 1,
    # so the room is A's then: B's two 1-hour modules both go to week 2 (2 h fit in 2 h).
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("a", latest_week=1), location="Room 1", weeks=2),
            cohort("B", module("b1"), module("b2"), location="room  1", weeks=2),
        )
    )
    result = solve_cohorts_checked(cohorts)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(0)
    assert list(result.plans["B"].sessions["week"]) == [2, 2]


def test_a_joint_module_is_one_session_for_both_cohorts() -> None:
    # A meets Tue 18:00 and Fri 14:00, B Thu 18:00 and Fri 14:00, both at the Centre, for
    # two weeks. 'care' (the nurse, 1 h) is joint: taught on one Friday to both at once.
    # That Friday holds nothing else for either cohort; the nurse teaches 1 h that week,
    # counted once (within their even share: every goal is met).
    rows = (module("care", facilitator="Nurse"),)
    cohorts = Cohorts(
        cohorts=(
            cohort(
                "A", *rows, module("a", hours=2), location="Centre", meetings=(TUE, FRI), weeks=2
            ),
            cohort(
                "B", *rows, module("b", hours=2), location="Centre", meetings=(THU, FRI), weeks=2
            ),
        ),
        joint=("care",),
    )
    result = solve_cohorts_checked(cohorts)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(0)
    assert day_of(result, "A", "care") == day_of(result, "B", "care")
    assert day_of(result, "A", "care").startswith("Fri")
    friday = result.sessions[result.sessions["start"].dt.day_name() == "Friday"]
    assert list(friday["module"]) == ["care", "care"]
    load = result.facilitator_load.set_index("facilitator")
    assert load.loc["Nurse", "hours"] == 1.0 and load.loc["Nurse", "cohorts"] == "A;B"


@pytest.mark.parametrize("who", ["Sam", 'Sam "the nurse" Lee'])
def test_a_cap_across_cohorts_that_makes_it_impossible_is_explained_with_its_fix(
    who: str,
) -> None:
    # Sam leads a 1-hour module in each cohort, both in the one week (of 2027-01-11): 2 h
    # across the cohorts against a cap of 1 h. Raising the cap to 2 h fixes it.
    two = (
        cohort("A", module("a", facilitator=who), location="Site A", meetings=(TUE, THU)),
        cohort("B", module("b", facilitator=who), location="Site B"),
    )
    cohorts = Cohorts(cohorts=two, facilitators={who: SharedFacilitator(1)})
    result = solve_cohorts_checked(cohorts)
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0].summary == (
        f"{who} would need 2 h in the week of 2027-01-11 across 'A' and 'B'; the cap is 1 h a week."
    )
    assert result.fix is not None
    fix = str(result.fix)
    assert fix.startswith(
        f"let {who} teach up to 2 h a week across cohorts: set max_hours_per_week = 2 in "
    )
    # the table the fix names is one TOML reads as this facilitator's, quotes and all
    table = fix.rpartition(" in ")[2]
    assert tomllib.loads(f"{table}\nmax_hours_per_week = 2") == {
        "facilitators": {who: {"max_hours_per_week": 2}}
    }
    fixed = Cohorts(cohorts=two, facilitators={who: SharedFacilitator(2)})
    assert solve_cohorts_checked(fixed).status is Status.OPTIMAL


def test_the_facilitator_load_goal_keeps_a_shared_facilitator_s_weeks_even() -> None:
    # Two weeks. Sam leads 1-hour modules: a1, a2 (A, Tue) and b1 (B, Thu) in week 1, and
    # b2 (B) in either week. Sam's even share is 4 h / 2 weeks = 2 h, plus the 1-hour band
    # free: 3 h a week. With b2 in week 1 Sam would teach 4 h there (1 h over); in week 2,
    # 3 h and 1 h. So b2 goes to week 2, and the objective is 0.
    first = {"facilitator": "Sam", "latest_week": 1}
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("a1", **first), module("a2", **first), location="Site A", weeks=2),
            cohort(
                "B",
                module("b1", **first),
                module("b2", facilitator="Sam"),
                location="Site B",
                meetings=(THU,),
                weeks=2,
            ),
        )
    )
    result = solve_cohorts_checked(cohorts)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(0)
    assert result.plans["B"].sessions.set_index("module").loc["b2", "week"] == 2
    load = result.facilitator_load
    assert list(load["hours"]) == [3.0, 1.0]


def test_a_cap_too_low_over_several_weeks_is_counted_over_those_weeks() -> None:
    # Sam leads four 1-hour modules, two in each cohort, over two weeks (any week): 4 h
    # against a cap of 1.5 h a week, 3 h in all. A cap of 2 h fixes it.
    two = (
        cohort(
            "A",
            module("a1", facilitator="Sam"),
            module("a2", facilitator="Sam"),
            location="Site A",
            weeks=2,
        ),
        cohort(
            "B",
            module("b1", facilitator="Sam"),
            module("b2", facilitator="Sam"),
            location="Site B",
            meetings=(THU,),
            weeks=2,
        ),
    )
    result = solve_cohorts_checked(
        Cohorts(cohorts=two, facilitators={"Sam": SharedFacilitator(1.5)})
    )
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0].summary == (
        "Sam would need 4 h in the 2 weeks from 2027-01-11 to 2027-01-24 across 'A' and 'B'; "
        "the cap is 1.5 h a week (3 h in all)."
    )
    assert result.fix is not None and result.fix.settings[0].value == 2
    with pytest.raises(InfeasibleError):
        result.check()


def test_a_shared_facilitator_s_supervision_counts_against_their_cap() -> None:
    # One week: Sam leads A's weekly supervision (Friday, 1 h) and a 1-hour module in each
    # cohort, under a cap of 2 h a week. Counting now includes the supervision, as the model
    # does: 3 h for 2, proven with no search.
    a = cohort("A", module("a", facilitator="Sam"), location="Site A")
    supervised = with_changes(a.program, ongoing=Ongoing(facilitator="Sam"))
    two = (
        dataclasses.replace(a, program=supervised),
        cohort("B", module("b", facilitator="Sam"), location="Site B", meetings=(THU,)),
    )
    result = solve_cohorts_checked(Cohorts(cohorts=two, facilitators={"Sam": SharedFacilitator(2)}))
    assert result.status is Status.INFEASIBLE and result.deterministic_time == 0
    assert result.conflicts[0].summary == (
        "Sam would need 3 h in the week of 2027-01-11 across 'A' and 'B', 1 h of them weekly "
        "ongoing sessions; the cap is 2 h a week."
    )
    assert result.fix is not None and result.fix.settings[0].value == 3


def test_a_clash_counting_cannot_see_is_found_by_the_solver_and_worded() -> None:
    # Both cohorts meet only Tuesdays 18:00 in Room 1, one week, one module each: the room
    # clash leaves no plan (no cap, so counting has nothing to say).
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("a"), location="Room 1"),
            cohort("B", module("b"), location="Room 1"),
        )
    )
    result = solve_cohorts_checked(cohorts)
    assert result.status is Status.INFEASIBLE
    assert "two cohorts never meet at Room 1 at the same time" in result.conflicts[0].rules


def applied(cohort: Cohort, setting: Setting) -> Cohort:
    """The cohort with a suggested setting written in: its module's catalog cell, or its
    programme's key."""
    if setting.module:
        modules = tuple(
            dataclasses.replace(m, **{setting.key: setting.value}) if m.id == setting.module else m
            for m in cohort.catalog.modules
        )
        return dataclasses.replace(
            cohort, catalog=dataclasses.replace(cohort.catalog, modules=modules)
        )
    data = program_mapping(cohort.program)
    *sections, key = setting.key.split(".")
    table = data
    for section in sections:
        table = table.setdefault(section, {})
    table[key] = setting.value
    return dataclasses.replace(cohort, program=program_from_mapping(data, "the fix"))


def published(unplanned: Cohort) -> Cohort:
    """The cohort planned on its own and committed to that plan."""
    plan = solve_cohorts_checked(Cohorts(cohorts=(unplanned,))).plans[unplanned.name]
    return Cohort(unplanned.name, plan.catalog, plan.program, committed=plan)


def room_2_cohorts() -> tuple[Cohort, Cohort]:
    """Two cohorts that meet only on Tuesday 2027-01-12 18:00-20:00, both in Room 2 (spelt
    two ways), each with one 2-hour module: the room holds one of them."""
    return (
        cohort("Day cohort", module("a", hours=2), location="Room 2"),
        cohort("Evening cohort", module("b", hours=2), location="room 2"),
    )


@pytest.mark.parametrize(
    ("day_published", "moved"), [(False, "Day cohort"), (True, "Evening cohort")]
)
def test_a_room_clash_is_explained_with_a_cohort_moved_elsewhere(
    day_published: bool, moved: str
) -> None:
    # Moved to another room, the first cohort in the file that is not published (its plan
    # stays where it is) gets its Tuesday, and so does the other.
    day, evening = room_2_cohorts()
    two = (published(day) if day_published else day, evening)
    result = solve_cohorts_checked(Cohorts(cohorts=two))
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0].rules == ("two cohorts never meet at Room 2 at the same time",)
    assert result.fix is not None
    assert str(result.fix) == (
        f"meet '{moved}' somewhere other than 'Room 2': set location = \"another room\" in the "
        f"programme file of '{moved}' (a room no other cohort uses)"
    )
    (setting,) = result.fix.settings
    fixed = Cohorts(cohorts=tuple(applied(c, setting) if c.name == moved else c for c in two))
    result = solve_cohorts_checked(fixed)
    assert result.status is Status.OPTIMAL
    assert day_of(result, "Day cohort", "a") == day_of(result, "Evening cohort", "b")


def test_a_room_too_small_for_both_cohorts_is_counted_and_fixed_at_once() -> None:
    # A (3 h) and B (1.5 h) meet only on Tuesdays 18:00-20:00, for two weeks, both in
    # Room 1: the room has 4 h of meeting time for 4.5 h of sessions. Counting proves it
    # with no search, and A meeting elsewhere gives both a plan.
    two = (
        cohort("A", module("a1", hours=2), module("a2"), location="Room 1", weeks=2),
        cohort("B", module("b", hours=1.5), location="room 1", weeks=2),
    )
    summary = (
        "'Room 1' would hold 4.5 h of sessions in the 2 weeks from 2027-01-11 to 2027-01-24 "
        "across 'A' and 'B'; their meetings there span 4 h of its time, and two cohorts "
        "never meet there at once."
    )
    assert proven_by_counting(Cohorts(cohorts=two)) == [summary]
    result = solve_cohorts_checked(Cohorts(cohorts=two))
    assert result.status is Status.INFEASIBLE
    assert result.deterministic_time == 0  # no search: counting proves it
    assert result.conflicts[0].summary == summary
    assert result.conflicts[0].rules == ("two cohorts never meet at Room 1 at the same time",)
    assert result.fix is not None
    (setting,) = result.fix.settings
    assert (setting.key, setting.value) == ("location", ANOTHER_ROOM)
    fixed = solve_cohorts_checked(Cohorts(cohorts=(applied(two[0], setting), two[1])))
    assert fixed.status is Status.OPTIMAL


def test_a_room_shared_at_other_times_counts_each_meeting() -> None:
    # The same sessions, but B meets on Thursdays: the room has 8 h for 4.5 h.
    two = (
        cohort("A", module("a1", hours=2), module("a2"), location="Room 1", weeks=2),
        cohort("B", module("b", hours=1.5), location="Room 1", meetings=(THU,), weeks=2),
    )
    assert proven_by_counting(Cohorts(cohorts=two)) == []
    assert solve_cohorts_checked(Cohorts(cohorts=two)).status is Status.OPTIMAL


def test_a_room_is_not_blamed_for_a_cohort_s_own_clash_nor_across_time_zones() -> None:
    # A (Tue) and B (Thu) share Room 1 but never meet at once: A's 3 h due in week 1's
    # 2-hour meeting is A's own clash, not the room's (it used to read "'Room 1' would hold
    # 5 h ... span 4 h", and "meet elsewhere" could not help).
    apart = (
        cohort(
            "A",
            module("a1", hours=1.5, latest_week=1),
            module("a2", hours=1.5, latest_week=1),
            location="Room 1",
            weeks=2,
        ),
        cohort(
            "B", module("b", hours=2, latest_week=1), location="Room 1", meetings=(THU,), weeks=2
        ),
    )
    assert proven_by_counting(Cohorts(cohorts=apart)) == []
    result = solve_cohorts_checked(Cohorts(cohorts=apart))
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0].summary == "These rules cannot all hold across 'A':"
    assert not [rule for c in result.conflicts for rule in c.rules if "Room 1" in rule]
    # Cohorts in two zones at one place (a room online): their local weeks are not the same
    # calendar weeks, so the room's time is not counted by week (it was, and proved a
    # feasible year impossible).
    utc = make_program(2, (Meeting("sun", "22:00", 2),), weights=NO_GOALS, location="Studio")
    tokyo = make_program(1, (Meeting("mon", "08:00", 1),), weights=NO_GOALS, location="Studio")
    zones = (
        Cohort(
            "A",
            make_catalog(module("a", hours=2, earliest_week=2)),
            with_changes(utc, timezone="UTC"),
        ),
        Cohort(
            "B",
            make_catalog(module("b")),
            with_changes(tokyo, timezone="Asia/Tokyo", start=date(2027, 1, 18)),
        ),
    )
    assert proven_by_counting(Cohorts(cohorts=zones)) == []
    assert solve_cohorts_checked(Cohorts(cohorts=zones)).status is Status.OPTIMAL


def test_a_published_cohort_s_supervision_over_its_own_meeting_proves_nothing() -> None:
    # A is published (Tue 18:00-20:00), and its supervision has since moved to Tue 19:00,
    # inside its own meeting; B meets on Thursdays in the same room. Counted as apart, the
    # two made 5 h for 4 h of room time, and a feasible year was called impossible.
    a = published(cohort("A", module("a", hours=2), location="Room 1"))
    supervised = dataclasses.replace(
        a.program, ongoing=Ongoing(weekday="tue", start="19:00", hours=1, facilitator="Sup")
    )
    a = Cohort("A", a.catalog, supervised, committed=a.committed)
    b = cohort("B", module("b", hours=2), location="Room 1", meetings=(THU,))
    assert proven_by_counting(Cohorts(cohorts=(a, b))) == []
    result = solve_cohorts(Cohorts(cohorts=(a, b)), time_limit=20)
    assert result.status is Status.OPTIMAL
    # the checker finds only what the change did to A's published plan (validate says so)
    assert result.check() == [
        "A: module 'a' at Tue 2027-01-12 18:00-20:00 overlaps the weekly 'Supervision and "
        "skills refresher' (19:00-20:00)"
    ]


def test_own_clashes_of_two_cohorts_each_get_a_fix_and_no_whole_fix_is_claimed() -> None:
    # A and B (sharing Sam) each have 3 h for one 2-hour meeting. Each fix is verified with
    # the other cohort left out, and says so; no single change fixes both, and none is
    # claimed (before, neither had a fix).
    two = (
        cohort("A", module("a1", hours=2, facilitator="Sam"), module("a2"), location="Site A"),
        cohort(
            "B",
            module("b1", hours=2, facilitator="Sam"),
            module("b2"),
            location="Site B",
            meetings=(THU,),
        ),
    )
    result = solve_cohorts_checked(Cohorts(cohorts=two))
    assert result.status is Status.INFEASIBLE and result.fix is None
    for conflict, name in zip(result.conflicts, "AB"):
        assert conflict.summary.startswith(f"{name}: The meetings in week 1 last 2 hours")
        (suggestion,) = conflict.suggestions
        assert "(once the other cohorts' own clashes are fixed)" in suggestion.action
        assert suggestion.settings[0].text.endswith(f"in the programme file of '{name}'")


def test_a_cohort_with_no_meeting_left_is_said_so() -> None:
    # A's only meeting is a holiday: said as for one cohort, not as a duty start in week 2
    a = cohort("A", module("a"), location="Room 1", holidays=(date(2027, 1, 12),))
    b = cohort("B", module("b"), location="Room 1", meetings=(THU,))
    result = solve_cohorts_checked(Cohorts(cohorts=(a, b)))
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0].summary == (
        "A: The programme has no meetings left (every meeting falls on a holiday or before "
        "the start date)."
    )


def test_a_fix_leaves_a_shared_facilitator_s_days_to_the_cohorts_file() -> None:
    # Sam's day away comes from the cohorts file: the fix changes A's catalog only (it used
    # to say "remove [facilitators."Sam"] in the programme file of 'A'", a table it lacks).
    a = cohort("A", module("a", facilitator="Sam"), module("a2", facilitator="Kim"), location="R")
    b = cohort("B", module("b", facilitator="Sam"), location="R", meetings=(THU,))
    away = {"Sam": SharedFacilitator(unavailable=(date(2027, 1, 12),))}
    result = solve_cohorts_checked(Cohorts(cohorts=(a, b), facilitators=away))
    assert result.fix is not None
    assert [(s.key, s.module) for s in result.fix.settings] == [("facilitator", "a")]
    fixed = applied(a, result.fix.settings[0])
    assert solve_cohorts_checked(Cohorts(cohorts=(fixed, b), facilitators=away)).plans


def test_a_cohort_s_own_counted_clash_is_fixed_in_its_own_files() -> None:
    # A has 3 h of modules and one week of one 2-hour meeting: no plan even on its own.
    # Counting says so with no search, worded as for one cohort; the fix (a Monday meeting)
    # is written for A's programme file, verified with B planned beside it.
    two = (
        cohort("A", module("a1", hours=2), module("a2"), location="Site A"),
        cohort("B", module("b"), location="Site B"),
    )
    result = solve_cohorts_checked(Cohorts(cohorts=two))
    assert result.status is Status.INFEASIBLE
    conflict = result.conflicts[0]
    assert conflict.summary == (
        "A: The meetings in week 1 last 2 hours in all, but the 2 modules of the catalog need "
        "3 hours."
    )
    assert conflict.rules and all(line.startswith("A: ") for line in conflict.rules)
    assert result.fix is not None
    (setting,) = result.fix.settings
    assert setting.key == "meetings"
    assert setting.text == (
        'add a [[meetings]] entry: weekday = "mon", start = "18:00", hours = 2 in the '
        "programme file of 'A'"
    )
    fixed = solve_cohorts_checked(Cohorts(cohorts=(applied(two[0], setting), two[1])))
    assert fixed.status is Status.OPTIMAL


def test_a_facilitator_clash_is_explained_with_someone_else_for_one_cohort() -> None:
    # Sam leads 'listening' and 'boundaries' (1 h each) in North and 'recovery' (2 h) in
    # South, at two sites, both meeting only on Tuesday 2027-01-12 18:00-20:00: Sam cannot
    # be at both. With someone else leading North's two modules, everyone has Tuesday.
    two = (
        cohort(
            "North",
            module("listening", facilitator="Sam"),
            module("boundaries", facilitator="Sam"),
            location="Site N",
        ),
        cohort("South", module("recovery", hours=2, facilitator="sam"), location="Site S"),
    )
    result = solve_cohorts_checked(Cohorts(cohorts=two))
    assert result.status is Status.INFEASIBLE
    assert result.conflicts[0].rules == (
        "Sam is never in two cohorts' meetings that overlap in time",
    )
    assert result.fix is not None
    assert str(result.fix) == (
        "ask someone other than Sam, teaching in no other cohort, to lead 'Listening' and "
        "'Boundaries' in 'North': "
        "set facilitator = \"another facilitator\" for 'listening' in the catalog of 'North'; "
        "set facilitator = \"another facilitator\" for 'boundaries' in the catalog of 'North'"
    )
    north, south = two
    for setting in result.fix.settings:
        north = applied(north, setting)
    result = solve_cohorts_checked(Cohorts(cohorts=(north, south)))
    assert result.status is Status.OPTIMAL
    assert day_of(result, "North", "listening").startswith("Tue 2027-01-12")
    assert day_of(result, "South", "recovery") == "Tue 2027-01-12 18:00"


def test_new_cohorts_are_planned_around_a_committed_one() -> None:
    # A's plan is published: 'a' (Sam) on Tuesday 18:00. B (Tue or Thu, another site) must
    # leave Sam's Tuesday alone: 'b' goes to Thursday. A's sessions stay exactly as they were.
    first = Cohorts(cohorts=(cohort("A", module("a", facilitator="Sam"), location="Site A"),))
    published = solve_cohorts_checked(first).plans["A"]
    committed = Cohort("A", published.catalog, published.program, committed=published)
    cohorts = Cohorts(
        cohorts=(
            committed,
            cohort("B", module("b", facilitator="Sam"), location="Site B", meetings=(TUE, THU)),
        )
    )
    result = solve_cohorts_checked(cohorts)
    assert day_of(result, "B", "b") == "Thu 2027-01-14 18:00"
    pd.testing.assert_frame_equal(result.plans["A"].sessions, published.sessions)


def test_a_joint_session_keeps_the_committed_cohort_s_time_whatever_the_file_order() -> None:
    # A's plan is published with the joint 'j' (1 h) moved by hand to 15:00 in the Friday
    # 14:00-16:00 workshop (its plan keeps every rule). B, listed first, has 'j' too and
    # joins A's session: at 15:00, not at the meeting's start.
    def with_j(name: str) -> Cohort:
        return cohort(name, module("j", facilitator="Sam"), location="Hall", meetings=(FRI,))

    planned = solve_cohorts_checked(Cohorts(cohorts=(with_j("A"),))).plans["A"]
    published = moved(planned, "j", date(2027, 1, 15), at="15:00")
    assert published.check() == []
    committed = Cohort("A", published.catalog, published.program, committed=published)
    result = solve_cohorts_checked(Cohorts(cohorts=(with_j("B"), committed), joint=("j",)))
    assert list(result.plans) == ["B", "A"]
    assert day_of(result, "B", "j") == day_of(result, "A", "j") == "Fri 2027-01-15 15:00"


def test_a_facilitator_s_calendar_holds_a_joint_session_once_however_each_cohort_writes_it(
    tmp_path,
) -> None:
    # A (Toronto, Friday 14:00) and B (Chicago, Friday 13:00: the same instant) share the
    # joint 'j' in one hall, spelled two ways, under two titles, led by Sam, spelled two
    # ways. The model takes these as one person, one place and one session; so must the
    # facilitators' calendars: one file for Sam, holding one event.
    def joint(name: str, title: str, who: str, hall: str, zone: str, at: str) -> Cohort:
        program = with_changes(
            make_program(1, (Meeting("fri", at, 2),), weights=NO_GOALS, location=hall),
            timezone=zone,
        )
        return Cohort(name, make_catalog(module("j", title=title, facilitator=who)), program)

    cohorts = Cohorts(
        cohorts=(
            joint("A", "Joint", "Sam", "Hall 1", "America/Toronto", "14:00"),
            joint("B", "Joint session", "sam", "hall  1", "America/Chicago", "13:00"),
        ),
        joint=("j",),
    )
    result = solve_cohorts_checked(cohorts)
    files = result.calendars(tmp_path, by="facilitator")
    assert [path.name for path in files] == ["sam.ics"]
    calendar = icalendar.Calendar.from_ical(files[tmp_path / "sam.ics"])
    starts = [e.start for e in calendar.walk("VEVENT")]
    assert len(starts) == 1 and starts[0].astimezone(timezone.utc).hour == 19


WED = Meeting("wed", "18:00", 2)


def supervised(name: str, ongoing: Ongoing, *, weeks: int = 1, duties: int = 1) -> Cohort:
    """A cohort meeting on Wednesdays at its own site, with a weekly ongoing series from
    the week its `duties` start."""
    program = make_program(
        weeks, (WED,), weights=NO_GOALS, location=f"{name} site", duties=Duties(duties)
    )
    return Cohort(name, make_catalog(module(name.lower())), with_changes(program, ongoing=ongoing))


@pytest.mark.parametrize(("leader", "site"), [("Sam", "Site A"), ("", "B site")])
def test_a_module_keeps_clear_of_supervision_in_another_cohort_by_its_leader_or_room(
    leader: str, site: str
) -> None:
    # B's weekly supervision is on Thursday 18:00-19:00, led by Sam (or by no one, at the
    # site A meets at); B shares nothing else with A. Sam's module in A (Tuesday or
    # Thursday 18:00) cannot be in the Thursday meeting: Tuesday.
    series = Ongoing(weekday=3, start="18:00", hours=1, facilitator=leader)
    a = cohort("A", module("a", facilitator="Sam"), location=site, meetings=(TUE, THU))
    result = solve_cohorts_checked(Cohorts(cohorts=(a, supervised("B", series))))
    assert day_of(result, "A", "a") == "Tue 2027-01-12 18:00"


def test_a_facilitator_s_supervision_in_another_cohort_counts_in_their_weekly_cap() -> None:
    # Sam may teach 1 h a week across cohorts; B's supervision (Sam, 1 h, Thursdays) starts
    # in week 2 with B's duties, so Sam's 1-hour module in A (Tuesdays, two weeks) goes to
    # week 1.
    series = Ongoing(weekday=3, start="12:00", hours=1, facilitator="Sam")
    a = cohort("A", module("a", facilitator="Sam"), location="Site A", weeks=2)
    cohorts = Cohorts(
        cohorts=(a, supervised("B", series, weeks=2, duties=2)),
        facilitators={"Sam": SharedFacilitator(max_hours_per_week=1)},
    )
    result = solve_cohorts_checked(cohorts)
    assert day_of(result, "A", "a") == "Tue 2027-01-12 18:00"


def test_the_checker_counts_a_supervision_series_as_its_facilitator_s_sessions() -> None:
    # A's 'a' by hand on Tuesday 18:00, when Sam leads B's supervision elsewhere
    series = Ongoing(weekday=1, start="18:00", hours=1, facilitator="Sam")
    a = cohort("A", module("a", facilitator="Sam"), location="Site A")
    b = supervised("B", series)
    cohorts = Cohorts(cohorts=(a, b))
    plans = {
        "A": laid_out(a.catalog, cohorts["A"].program, {"a": date(2027, 1, 12)}),
        "B": laid_out(b.catalog, cohorts["B"].program, {"b": date(2027, 1, 13)}),
    }
    problems = CohortsResult(Status.FEASIBLE, None, None, 0.0, cohorts, plans).check()
    assert problems == [
        "facilitator 'Sam' is in two sessions at once: 'a' of 'A' (2027-01-12 18:00-19:00) and "
        "the weekly 'Supervision and skills refresher' of 'B' (2027-01-12 18:00-19:00)"
    ]


def test_supervision_held_for_two_cohorts_together_is_one_event_in_its_leader_s_calendar(
    tmp_path,
) -> None:
    # Both cohorts' supervision: Thursdays 12:00, Sam, in the hall both meet in (on other
    # evenings): one session held for both, so one event in Sam's calendar.
    series = Ongoing(weekday=3, start="12:00", hours=1, facilitator="Sam")

    def together(name: str, meeting: Meeting) -> Cohort:
        program = make_program(1, (meeting,), weights=NO_GOALS, location="Hall", duties=Duties(1))
        return Cohort(
            name, make_catalog(module(name.lower())), with_changes(program, ongoing=series)
        )

    result = solve_cohorts_checked(Cohorts(cohorts=(together("A", WED), together("B", TUE))))
    files = result.calendars(tmp_path, by="facilitator")
    calendar = icalendar.Calendar.from_ical(files[tmp_path / "sam.ics"])
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == [
        "Supervision and skills refresher"
    ]


def test_two_cohorts_supervision_series_with_one_facilitator_at_one_time_are_refused() -> None:
    series = Ongoing(weekday=1, start="18:00", hours=1, facilitator="Sam")
    later = Ongoing(weekday=1, start="18:30", hours=1, facilitator=" sam")
    cohorts = Cohorts(cohorts=(supervised("A", series), supervised("B", later)))
    with pytest.raises(CohortsError) as info:
        solve_cohorts(cohorts, time_limit=5)
    (problem,) = info.value.problems
    assert problem.message.startswith(
        "the weekly ongoing sessions of 'A' and 'B' overlap from 2027-01-12 (18:00 and 18:30) "
        "with one facilitator, 'Sam': move one"
    )


def test_a_published_plan_that_no_meeting_holds_now_is_refused_naming_its_sessions() -> None:
    # A's plan was published (Tuesday 18:00); its programme has since moved to Wednesdays:
    # its sessions can neither stay where they are in the model nor be planned around.
    first = Cohorts(cohorts=(cohort("A", module("a", facilitator="Sam"), location="Site A"),))
    published = solve_cohorts_checked(first).plans["A"]
    moved = dataclasses.replace(published.program, meetings=(WED,))
    committed = Cohort("A", published.catalog, moved, committed=published)
    cohorts = Cohorts(cohorts=(committed, cohort("B", module("b"), location="Site B")))
    with pytest.raises(CohortsError) as info:
        solve_cohorts(cohorts, time_limit=5)
    (problem,) = info.value.problems
    assert problem.column == "cohort[1].plan"
    assert problem.message.startswith(
        "cohort 'A' is published with 'a' (Tue 2027-01-12 18:00) in no meeting of its "
        "programme as it is now"
    )


def test_a_committed_cohort_keeps_its_calendar_s_sequence_numbers_and_cancellations() -> None:
    # A's published plan (planned alone, so its programme has no id) is a re-plan: 'b'
    # moved (SEQUENCE 1) and 'd' left the catalog (a cancelled event, SEQUENCE 1). Planned
    # with B, A's plan keeps both, and its events their UIDs, so that its calendar, written
    # or published again, says the same as before and nothing goes back.
    before, after = two_versions()
    published = renumbered(after, renumbered(before, before))
    assert not published.program.id
    committed = Cohort("A", published.catalog, published.program, committed=published)
    other = cohort("B", module("x"), location="Elsewhere")
    result = solve_cohorts_checked(Cohorts(cohorts=(committed, other)))
    plan = result.plans["A"]
    assert list(plan.cancelled["module"]) == ["d"]
    assert dict(zip(plan.sessions["module"], plan.sessions["sequence"])) == {"a": 0, "c": 0, "b": 1}
    assert plan.events is not None
    pd.testing.assert_frame_equal(plan.events, published.events)
    calendar = icalendar.Calendar.from_ical(plan.to_ics())
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(published.to_ics()).walk("VEVENT")}
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == uids
    written = {
        str(e["UID"]).split(".")[1].split("@")[0]: (int(e["SEQUENCE"]), str(e["STATUS"]))
        for e in calendar.walk("VEVENT")
    }
    assert written == {
        "a": (0, "CONFIRMED"),
        "b": (1, "CONFIRMED"),
        "c": (0, "CONFIRMED"),
        "d": (1, "CANCELLED"),
    }


def test_a_broken_shared_rule_is_found_by_the_checker() -> None:
    # Sam leads 'a' in A and 'b' in B, both cohorts meeting Tue and Thu 18:00 at two sites:
    # the plan puts them on different evenings. Moved onto A's evening, 'b' puts Sam in two
    # places at once; judged against a cap of 1 h, the 2 h that week are too many.
    two = (
        cohort("A", module("a", facilitator="Sam"), location="Site A", meetings=(TUE, THU)),
        cohort("B", module("b", facilitator="Sam"), location="Site B", meetings=(TUE, THU)),
    )
    result = solve_cohorts_checked(Cohorts(cohorts=two))
    a, b = result.plans["A"], result.plans["B"]
    moved = b.sessions.assign(start=a.sessions["start"], end=a.sessions["end"])
    broken = dataclasses.replace(
        result,
        cohorts=Cohorts(cohorts=two, facilitators={"Sam": SharedFacilitator(1)}),
        plans={"A": a, "B": dataclasses.replace(b, sessions=moved)},
    )
    problems = broken.check()
    assert any("facilitator 'Sam' is in two sessions at once" in p for p in problems)
    assert any(
        "teaches 2 h in the week of 2027-01-11 across cohorts; the cap is 1 h" in p
        for p in problems
    )
    assert dataclasses.replace(result, cohorts=Cohorts(cohorts=two)).check() == []


def test_the_example_is_planned_and_checked() -> None:
    cohorts = read_cohorts(EXAMPLE)
    result = solve_cohorts_checked(cohorts, time_limit=30)
    assert result.status is Status.OPTIMAL
    load = result.facilitator_load
    supervisor = load[load["facilitator"] == "Clinical supervisor"]
    assert (supervisor["hours"] <= 5).all()


def test_the_example_s_supervisor_capped_too_low_gets_the_least_cap_that_works() -> None:
    # The supervisor capped at 2 h: counting proves it (29.5 h for 24), and the fix tries
    # 2.5 h (ruled out by the model by week at once), then 3 h (a plan by meeting). Each
    # check has a deterministic limit and one worker, so the fix is 3 h on a busy machine
    # too (it was 'the time limit ran out' with no fix while other work ran).
    cohorts = read_cohorts(EXAMPLE)
    limits = cohorts.facilitators["Clinical supervisor"]
    capped = dataclasses.replace(limits, max_hours_per_week=2)
    result = solve_cohorts_checked(
        dataclasses.replace(cohorts, facilitators={"Clinical supervisor": capped}), time_limit=60
    )
    assert result.status is Status.INFEASIBLE and not result.warnings
    assert result.fix is not None and result.fix.settings[0].value == 3
    roomier = dataclasses.replace(limits, max_hours_per_week=3)
    fixed = dataclasses.replace(cohorts, facilitators={"Clinical supervisor": roomier})
    assert solve_cohorts_checked(fixed, time_limit=30).plans


def test_a_check_with_a_clause_dropped_has_no_weekly_stage_to_rule_it_out() -> None:
    # Sam leads 2 h in A (Tue) and 2 h in B (Thu) under a cap of 2 h a week: no plans. With
    # that week's cap dropped, plans exist; the model by week (which keeps every clause)
    # must not say otherwise.
    two = (
        cohort("A", module("a", hours=2, facilitator="Sam"), location="Site A"),
        cohort("B", module("b", hours=2, facilitator="Sam"), location="Site B", meetings=(THU,)),
    )
    cohorts = Cohorts(cohorts=two, facilitators={"Sam": SharedFacilitator(2)})
    week = Clause(SharedRule.SHARED_HOURS, week=date(2027, 1, 11).toordinal(), other="sam")
    assert cohorts_hold(CohortsModel(cohorts, {}), 10) is False
    assert cohorts_hold(CohortsModel(cohorts, {}, dropped=frozenset({week})), 10) is True


def test_every_shared_rule_has_a_constraint_a_checker_twin_wording_and_a_relaxation() -> None:
    cohorts = read_cohorts(EXAMPLE)
    assert set(CohortsModel(cohorts, {}).rules) == set(SharedRule)
    assert set(SHARED_CHECKS) == set(SharedRule)
    assert set(WORDING) == set(SharedRule)
    assert set(RELAXATIONS) == set(SharedRule)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(InputError, match="cohorts must be Cohorts"):
        solve_cohorts("cohorts.toml")  # type: ignore[arg-type]
    cohorts = Cohorts(cohorts=(cohort("A", module("a"), location=""),))
    with pytest.raises(InputError, match="time_limit must be a number of seconds above 0"):
        solve_cohorts(cohorts, time_limit=0)


def test_the_unavailable_day_of_a_shared_facilitator_holds_in_every_cohort() -> None:
    # Sam is away on Tuesday 2027-01-12: A's 'a' goes to Thursday.
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("a", facilitator="Sam"), location="Site A", meetings=(TUE, THU)),
        ),
        facilitators={"Sam": SharedFacilitator(unavailable=(date(2027, 1, 12),))},
    )
    result = solve_cohorts_checked(cohorts)
    assert day_of(result, "A", "a") == "Thu 2027-01-14 18:00"


def test_same_inputs_and_seed_give_the_same_plans_in_any_process() -> None:
    # Python orders sets of names differently in each process (PYTHONHASHSEED); the model,
    # and so the plans, must not depend on it.
    script = (
        "import curriculum as cur, sys\n"
        f"c = cur.read_cohorts({str(EXAMPLE)!r})\n"
        "r = cur.solve_cohorts(c, time_limit=60)\n"
        "sys.stdout.write(r.status.value + r.sessions[['cohort', 'module', 'start']].to_csv())\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert runs[0].startswith("optimal") and runs[0] == runs[1]


def three_cohorts() -> Cohorts:
    """A and B share Sam; C shares nothing with them (its own site and facilitator)."""
    return Cohorts(
        cohorts=(
            cohort("A", module("a", facilitator="Sam"), location="Site A", meetings=(TUE, THU)),
            cohort("B", module("b", facilitator="Sam"), location="Site B"),
            cohort("C", module("c1", facilitator="Lee"), module("c2"), location="Site C", weeks=2),
        )
    )


def test_cohorts_that_share_nothing_form_groups_of_their_own() -> None:
    cohorts = three_cohorts()
    assert independent_groups(cohorts) == [(0, 1), (2,)]
    # one location in common joins them all
    same_room = dataclasses.replace(
        cohorts,
        cohorts=tuple(
            dataclasses.replace(c, program=dataclasses.replace(c.program, location="Hall"))
            for c in cohorts.cohorts
        ),
    )
    assert independent_groups(same_room) == [(0, 1, 2)]


def test_independent_groups_give_the_same_plans_on_any_executor(executor: Executor | None) -> None:
    # A and B are planned together (Sam cannot be at both on Tuesday: 'a' goes to
    # Thursday), C on its own; whatever runs them, with one solver worker each, the plans
    # are those of a run here.
    here = solve_cohorts_checked(three_cohorts(), workers=1)
    there = solve_cohorts_checked(three_cohorts(), workers=1, executor=executor)
    assert there.status is Status.OPTIMAL and day_of(there, "A", "a") == "Thu 2027-01-14 18:00"
    for name in ("A", "B", "C"):
        pd.testing.assert_frame_equal(here.plans[name].sessions, there.plans[name].sessions)
    assert list(there.plans) == ["A", "B", "C"]


def test_a_group_without_a_plan_leaves_the_year_without_plans_and_says_why() -> None:
    cohorts = dataclasses.replace(three_cohorts(), facilitators={"Sam": SharedFacilitator(1)})
    result = solve_cohorts_checked(cohorts)
    assert result.status is Status.INFEASIBLE and not result.plans
    assert "Sam would need 2 h" in result.conflicts[0].summary


def test_an_executor_that_is_not_one_is_named() -> None:
    with pytest.raises(InputError, match=r"executor must be a concurrent\.futures\.Executor"):
        solve_cohorts(three_cohorts(), executor="dask")  # type: ignore[arg-type]


def test_a_stand_in_name_the_inputs_already_use_is_numbered_on() -> None:
    assert _unused(ANOTHER_ROOM, ["Room 2", "Hall"]) == "another room"
    assert _unused(ANOTHER_ROOM, ["Another  Room", "another room 2"]) == "another room 3"


def test_groups_solved_here_go_smallest_first_with_time_by_size_and_pass_on_what_they_leave(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cohorts = dataclasses.replace(
        three_cohorts(),
        cohorts=(*three_cohorts().cohorts[:2], cohort("C", module("c1"), location="Site C")),
    )
    calls: list[tuple[tuple[str, ...], float]] = []
    solve_group = cohorts_solve.solve_group

    def recorded(task: cohorts_solve.GroupTask) -> CohortsResult:
        calls.append((task.cohorts.names, task.time_limit))
        return solve_group(task)

    monkeypatch.setattr(cohorts_solve, "solve_group", recorded)
    result = solve_cohorts_checked(cohorts, time_limit=20)
    assert [names for names, _ in calls] == [("C",), ("A", "B")]  # 1 module-week, then 2
    (_, first), (_, second) = calls
    assert first == pytest.approx(20 / 3, abs=0.5)  # a third of the time: 1 of 3 module-weeks
    assert second > first  # and the rest: what the small group did not use
    assert list(result.plans) == ["A", "B", "C"]


def slowed(function: Callable[..., T], seconds: float) -> Callable[..., T]:
    """`function`, taking `seconds` longer (as it would on a large input)."""

    def slow(*args: Any, **kwargs: Any) -> T:
        result = function(*args, **kwargs)
        time.sleep(seconds)
        return result

    return slow


def test_the_time_checking_and_building_take_comes_out_of_the_search_s_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits: list[float] = []
    optimise = cohorts_solve.optimise_cohorts

    def recorded(cohorts_model: CohortsModel, settings: SearchSettings) -> CohortsOutcome:
        limits.append(settings.time_limit)
        return optimise(cohorts_model, settings)

    monkeypatch.setattr(cohorts_solve, "check_together", slowed(cohorts_solve.check_together, 0.5))
    monkeypatch.setattr(cohorts_solve, "CohortsModel", slowed(cohorts_solve.CohortsModel, 1.0))
    monkeypatch.setattr(cohorts_solve, "optimise_cohorts", recorded)
    a_and_b = dataclasses.replace(three_cohorts(), cohorts=three_cohorts().cohorts[:2])
    result = solve_cohorts_checked(a_and_b, time_limit=5)
    # out of the 5 s: 0.5 s checking each of the two cohorts, which leaves the group 4 s;
    # then 1 s building, and the plans' reserve (5% of the group's 4 s)
    assert len(limits) == 1 and 1.9 < limits[0] <= 4 - 1 - 0.2  # each counted once
    assert result.runtime >= 2.0  # the result's runtime counts them too


def test_groups_on_an_executor_get_the_limit_less_the_checks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    limits: list[float] = []
    solve_group = cohorts_solve.solve_group

    def recorded(task: cohorts_solve.GroupTask) -> CohortsResult:
        limits.append(task.time_limit)
        return solve_group(task)

    monkeypatch.setattr(cohorts_solve, "check_together", slowed(cohorts_solve.check_together, 0.5))
    monkeypatch.setattr(cohorts_solve, "solve_group", recorded)
    with ThreadPoolExecutor(2) as executor:
        result = solve_cohorts_checked(three_cohorts(), time_limit=5, executor=executor)
    # two groups (A and B, and C), side by side; 0.5 s checking each of the three cohorts
    assert len(limits) == 2 and all(3.0 < limit <= 5 - 1.5 for limit in limits)
    assert result.runtime >= 1.5


@pytest.mark.parametrize("interrupted_turn", [0, 1])
def test_ctrl_c_with_groups_still_to_solve_stops_the_call(
    monkeypatch: pytest.MonkeyPatch, interrupted_turn: int
) -> None:
    # A and B's group is solved first (2 module-weeks), then C's (4); Ctrl-C during a
    # group's search stops it with its best plans (`interrupted`): here, the first or last
    solved: list[tuple[str, ...]] = []
    solve_group = cohorts_solve.solve_group

    def interrupted_in_turn(task: cohorts_solve.GroupTask) -> CohortsResult:
        result = solve_group(task)
        solved.append(task.cohorts.names)
        return dataclasses.replace(result, interrupted=len(solved) - 1 == interrupted_turn)

    monkeypatch.setattr(cohorts_solve, "solve_group", interrupted_in_turn)
    if interrupted_turn == 0:
        with pytest.raises(KeyboardInterrupt):
            solve_cohorts(three_cohorts())
        assert solved == [("A", "B")]  # C's group was never started
    else:
        result = solve_cohorts_checked(three_cohorts())
        assert solved == [("A", "B"), ("C",)]
        assert result.interrupted and list(result.plans) == ["A", "B", "C"]
