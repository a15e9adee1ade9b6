"""The independent checker (checks.py) in depth: a hand-made valid plan passes in any time
zone and time format; the integrity checks (each module once, the catalog's data); and the
finer points of each rule's messages (the pair of tests per rule is in test_rules.py).

The programme (America/Toronto, weeks of 2027-01-11, -18 and -25; Tue/Thu 18:00-20:00;
Tue 2027-01-26 is a holiday) has these meetings, by index:

    0 Tue 01-12 (w1)   1 Thu 01-14 (w1)   2 Tue 01-19 (w2)   3 Thu 01-21 (w2)   4 Thu 01-28 (w3)

The valid plan (hours, density -> intensity):

    w1 (ramp: <= 3 h, <= 7, density <= 3): intro 1.5 h d2 (m0), roleplay 1.5 h d2 (m1) = 3 h, 6
    w2 (<= 4 h, <= 10): ethics 2 h d4 (m2), practice 1 h d2 (m3)                       = 3 h, 10
    w3: referrals 1 h d3 + debrief 1 h d1 (both m4, 18:00-19:00 and 19:00-20:00)        = 2 h, 4

Content share per week 50 %, 67 %, 50 %: within 50 % ± 20 %. Ethics is pre-service (duties
start in week 3) and led by the "Peer trainer", who is away on Thu 2027-01-21.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from curriculum.checks import check_plan
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Balance, Duties, Load, Program, Ramp
from curriculum.plan import Plan

MODULES = [
    {"id": "intro", "title": "Introduction", "kind": "content", "hours": 1.5, "density": 2},
    {"id": "roleplay", "title": "Role play", "kind": "skill", "hours": 1.5, "density": 2},
    {
        "id": "ethics",
        "title": "Ethics and boundaries",
        "kind": "content",
        "hours": 2.0,
        "density": 4,
        "prerequisites": "intro",
        "pre_service": True,
        "facilitator": "Peer trainer",
    },
    {
        "id": "practice",
        "title": "Supervised practice",
        "kind": "skill",
        "hours": 1.0,
        "density": 2,
        "prerequisites": "roleplay",
    },
    {
        "id": "referrals",
        "title": "Referrals",
        "kind": "content",
        "hours": 1.0,
        "density": 3,
        "earliest_week": 3,
        "latest_week": 3,
    },
    {
        "id": "debrief",
        "title": "Debrief",
        "kind": "skill",
        "hours": 1.0,
        "density": 1,
        "prerequisites": "practice",
    },
]
VALID = {"intro": 0, "roleplay": 1, "ethics": 2, "practice": 3, "referrals": 4, "debrief": 4}
HOUR = timedelta(hours=1)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_frame(pd.DataFrame(MODULES))


@pytest.fixture(scope="module")
def program() -> Program:
    return Program(
        start=date(2027, 1, 11),
        weeks=3,
        timezone="America/Toronto",
        holidays=(date(2027, 1, 26),),
        load=Load(max_hours_per_week=4, max_intensity_per_week=10),
        ramp=Ramp(weeks=1, max_hours_per_week=3, max_intensity_per_week=7, max_density=3),
        balance=Balance(content_share=0.5, weekly_tolerance=0.2),
        duties=Duties(start_week=3),
        ongoing=None,
        facilitators={"Peer trainer": (date(2027, 1, 21),)},
    )


@pytest.fixture(scope="module")
def plan(catalog: Catalog, program: Program) -> Plan:
    return Plan.from_assignment(catalog, program, VALID)


@pytest.fixture
def sessions(plan: Plan) -> pd.DataFrame:
    """A fresh copy of the valid sessions, to break."""
    fresh: pd.DataFrame = plan.sessions.copy()
    return fresh


def flagged(messages: list[str], *words: str) -> str:
    """The one message that contains every word (fails with all messages otherwise)."""
    hits = [m for m in messages if all(w in m for w in words)]
    assert len(hits) == 1, f"expected one message with {words}, got: {messages}"
    return hits[0]


def row(sessions: pd.DataFrame, module: str) -> int:
    return int(sessions.index[sessions["module"] == module][0])


def shift(sessions: pd.DataFrame, module: str, by: timedelta) -> None:
    mask = sessions["module"] == module
    for column in ("start", "end"):
        sessions.loc[mask, column] = sessions.loc[mask, column] + by


def test_valid_plan_passes(plan: Plan) -> None:
    assert list(plan.sessions["meeting"]) == [0, 1, 2, 3, 4, 4]
    assert list(plan.sessions["week"]) == [1, 1, 2, 2, 3, 3]
    assert plan.check() == []


def test_valid_plan_in_utc_and_with_string_times_passes(
    sessions: pd.DataFrame, catalog: Catalog, program: Program
) -> None:
    sessions["start"] = sessions["start"].dt.tz_convert("UTC")
    sessions["end"] = sessions["end"].dt.tz_convert("UTC")
    assert check_plan(sessions, catalog, program) == []
    sessions["start"] = sessions["start"].astype(str)
    sessions["end"] = sessions["end"].astype(str)
    assert check_plan(sessions, catalog, program) == []


# ------------------------------------------------------------ each module once


def test_missing_module(sessions: pd.DataFrame, catalog: Catalog, program: Program) -> None:
    broken = sessions.drop(index=row(sessions, "practice"))
    messages = check_plan(broken, catalog, program)
    flagged(messages, "'practice'", "missing")


def test_duplicated_module(sessions: pd.DataFrame, catalog: Catalog, program: Program) -> None:
    broken = pd.concat([sessions, sessions.iloc[[0]]], ignore_index=True)
    messages = check_plan(broken, catalog, program)
    flagged(messages, "'intro'", "2 times", "weeks 1, 1")


def test_unknown_module(sessions: pd.DataFrame, catalog: Catalog, program: Program) -> None:
    sessions.loc[row(sessions, "debrief"), "module"] = "ghost"
    messages = check_plan(sessions, catalog, program)
    flagged(messages, "'ghost'", "not in the catalog")
    flagged(messages, "'debrief'", "missing")


def test_missing_column(sessions: pd.DataFrame, catalog: Catalog, program: Program) -> None:
    messages = check_plan(sessions.drop(columns="hours"), catalog, program)
    assert messages == ["the sessions frame has no 'hours' column; cannot check the plan"]


# ------------------------------------------------------------ catalog data


def test_data_differs_from_catalog(
    sessions: pd.DataFrame, catalog: Catalog, program: Program
) -> None:
    i = row(sessions, "roleplay")
    sessions.loc[i, "kind"] = "content"
    sessions.loc[i, "facilitator"] = "Nurse"
    sessions.loc[row(sessions, "intro"), "pre_service"] = True
    messages = check_plan(sessions, catalog, program)
    flagged(messages, "'roleplay'", "kind 'content'", "'skill' in the catalog")
    flagged(messages, "'roleplay'", "facilitator 'Nurse'", "'' in the catalog")
    flagged(messages, "'intro'", "pre_service True", "False in the catalog")


def test_hours_and_length_differ(
    sessions: pd.DataFrame, catalog: Catalog, program: Program
) -> None:
    i = row(sessions, "intro")
    sessions.loc[i, "hours"] = 1.0
    messages = check_plan(sessions, catalog, program)
    flagged(messages, "'intro'", "hours 1.0 in the plan", "1.5 in the catalog")
    flagged(messages, "'intro'", "18:00-19:30 (1.5 h)", "its hours are 1")
    flagged(messages, "'intro'", "intensity 3", "hours times density = 2")


# ------------------------------------------------------------ inside meetings


def test_session_shifted_by_a_day(
    sessions: pd.DataFrame, catalog: Catalog, program: Program
) -> None:
    shift(sessions, "intro", timedelta(days=1))
    messages = check_plan(sessions, catalog, program)
    assert messages == [
        "module 'intro' at Wed 2027-01-13 18:00-19:30 is not inside any meeting "
        "(the meetings are tue 18:00 (2 h), thu 18:00 (2 h))"
    ]


def test_week_column_disagrees_with_date(
    sessions: pd.DataFrame, catalog: Catalog, program: Program
) -> None:
    sessions.loc[row(sessions, "practice"), "week"] = 3
    messages = check_plan(sessions, catalog, program)
    flagged(messages, "'practice'", "2027-01-21", "in week 2", "week column says 3")


def test_session_outside_programme_weeks(
    sessions: pd.DataFrame, catalog: Catalog, program: Program
) -> None:
    shift(sessions, "referrals", timedelta(days=7))
    messages = check_plan(sessions, catalog, program)
    flagged(messages, "'referrals'", "2027-02-04", "outside the programme's weeks 1-3")


def test_session_before_start(catalog: Catalog, program: Program) -> None:
    # Starting on Wednesday drops Tue 2027-01-12; the valid plan's 'intro' sits on it.
    plan = Plan.from_assignment(catalog, program, VALID)
    later = replace(program, start=date(2027, 1, 13))
    messages = check_plan(plan.sessions, catalog, later)
    flagged(messages, "'intro'", "2027-01-12", "before the programme starts on 2027-01-13")


def test_overlapping_sessions(sessions: pd.DataFrame, catalog: Catalog, program: Program) -> None:
    shift(sessions, "debrief", -HOUR / 2)
    messages = check_plan(sessions, catalog, program)
    assert messages == [
        "modules 'referrals' (18:00-19:00) and 'debrief' (18:30-19:30) overlap "
        "on Thu 2027-01-28 in week 3"
    ]


def test_session_past_meeting_end(
    sessions: pd.DataFrame, catalog: Catalog, program: Program
) -> None:
    shift(sessions, "debrief", HOUR / 2)
    messages = check_plan(sessions, catalog, program)
    assert messages == [
        "module 'debrief' runs Thu 2027-01-28 19:30-20:30, past the end of the "
        "thu 18:00 (2 h) meeting on Thu 2027-01-28 at 20:00"
    ]


def test_session_on_holiday(sessions: pd.DataFrame, catalog: Catalog, program: Program) -> None:
    shift(sessions, "debrief", timedelta(days=-2))
    messages = check_plan(sessions, catalog, program)
    assert messages == ["module 'debrief' is on Tue 2027-01-26 in week 3, a holiday"]


# ------------------------------------------------------------ weekly caps


def test_hours_cap_floored_to_quarter_hours(plan: Plan, catalog: Catalog, program: Program) -> None:
    # Week 1 holds 3 h. A ramp cap of 3.1 h floors to 3 h (fine); 2.9 h floors to 2.75 h.
    loose = replace(program, ramp=replace(program.ramp, max_hours_per_week=3.1))
    assert check_plan(plan.sessions, catalog, loose) == []
    tight = replace(program, ramp=replace(program.ramp, max_hours_per_week=2.9))
    assert check_plan(plan.sessions, catalog, tight) == [
        "week 1 has 3 h of modules; the ramp cap is 2.75 h"
    ]


def test_hours_cap_after_ramp(catalog: Catalog, program: Program) -> None:
    # referrals moves to Thu 01-21, practice to week 3: week 2 holds 3 h, over a 2.5 h cap.
    plan = Plan.from_assignment(catalog, program, {**VALID, "practice": 4, "referrals": 3})
    tight = replace(program, load=replace(program.load, max_hours_per_week=2.5))
    messages = check_plan(plan.sessions, catalog, tight)
    flagged(messages, "week 2 has 3 h of modules; the cap is 2.5 h")


def test_intensity_cap_floored(plan: Plan, catalog: Catalog, program: Program) -> None:
    # Week 2 has intensity 2 h * 4 + 1 h * 2 = 10; a cap of 9.9 floors to 39 quarters, 9.75.
    tight = replace(program, load=replace(program.load, max_intensity_per_week=9.9))
    assert check_plan(plan.sessions, catalog, tight) == [
        "week 2 has intensity 10 (hours times density); the cap is 9.75"
    ]


# ------------------------------------------------------------ unary rules


def test_dense_module_in_ramp_week(catalog: Catalog, program: Program) -> None:
    plan = Plan.from_assignment(catalog, program, {**VALID, "ethics": 1, "roleplay": 2})
    messages = check_plan(plan.sessions, catalog, program)
    flagged(messages, "'ethics'", "density 4", "week 1", "ramp weeks allow density up to 3")
    flagged(messages, "'ethics' (week 1) needs 'intro'", "'intro' is in week 1")
    flagged(messages, "week 1 has 3.5 h of modules; the ramp cap is 3 h")
    flagged(messages, "week 1 has intensity 11", "the ramp cap is 7")


def test_prerequisite_in_same_week(catalog: Catalog, program: Program) -> None:
    # debrief joins practice on Thu 01-21 (1 h + 1 h fits the 2 h meeting).
    plan = Plan.from_assignment(catalog, program, {**VALID, "debrief": 3})
    messages = check_plan(plan.sessions, catalog, program)
    flagged(
        messages,
        "module 'debrief' (week 2) needs 'practice' in an earlier week, "
        "but 'practice' is in week 2",
    )
    flagged(messages, "week 2 has intensity 11", "the cap is 10")


def test_outside_week_window(catalog: Catalog, program: Program) -> None:
    plan = Plan.from_assignment(catalog, program, {**VALID, "referrals": 3, "practice": 4})
    messages = check_plan(plan.sessions, catalog, program)
    flagged(messages, "module 'referrals' is in week 2; its window is weeks 3-3")


def test_pre_service_after_duties_start(catalog: Catalog, program: Program) -> None:
    plan = Plan.from_assignment(catalog, program, {**VALID, "ethics": 4, "referrals": 2})
    messages = check_plan(plan.sessions, catalog, program)
    flagged(
        messages,
        "pre-service module 'ethics' is in week 3; duties start in week 3, "
        "so it must come by week 2",
    )
    no_duties = replace(program, duties=None)
    assert not any("pre-service" in m for m in check_plan(plan.sessions, catalog, no_duties))


def test_facilitator_unavailable(catalog: Catalog, program: Program) -> None:
    plan = Plan.from_assignment(catalog, program, {**VALID, "ethics": 3, "practice": 2})
    assert check_plan(plan.sessions, catalog, program) == [
        "module 'ethics' is on Thu 2027-01-21 in week 2, "
        "when its facilitator 'Peer trainer' is unavailable"
    ]


def test_balance_tolerance(catalog: Catalog, program: Program) -> None:
    # Week 2 holds ethics and referrals: 3 h, all content (100 %); allowed 50 % ± 20 %.
    plan = Plan.from_assignment(catalog, program, {**VALID, "practice": 4, "referrals": 3})
    messages = check_plan(plan.sessions, catalog, program)
    flagged(messages, "week 2 has 3 h of content in 3 h (100%)", "50% ± 20%")
    untoleranced = replace(program, balance=Balance(content_share=0.5))
    assert not any("content share" in m for m in check_plan(plan.sessions, catalog, untoleranced))


# ------------------------------------------------------------ daylight saving time


def test_daylight_saving_change() -> None:
    # Toronto springs forward on Sun 2027-03-14: Tue 03-16 18:00 is EDT (22:00 UTC),
    # while the week before 18:00 was EST (23:00 UTC).
    catalog = Catalog.from_frame(
        pd.DataFrame([{"id": "a", "title": "A", "kind": "content", "hours": 2, "density": 1}])
    )
    program = Program(
        start=date(2027, 3, 8),
        weeks=2,
        timezone="America/Toronto",
        ramp=Ramp(weeks=0),
        duties=None,
        ongoing=None,
    )
    plan = Plan.from_assignment(catalog, program, {"a": 2})  # Tue 2027-03-16
    start = pd.Timestamp(plan.sessions["start"].iloc[0])
    assert (start.hour, start.utcoffset()) == (18, timedelta(hours=-4))
    assert plan.check() == []

    # Same UTC instant as 18:00 the week before: 19:00 local, one hour late.
    broken = plan.sessions.copy()
    broken.loc[0, "start"] = pd.Timestamp(datetime(2027, 3, 16, 23), tz="UTC")
    broken.loc[0, "end"] = pd.Timestamp(datetime(2027, 3, 17, 1), tz="UTC")
    assert check_plan(broken, catalog, program) == [
        "module 'a' runs Tue 2027-03-16 19:00-21:00, past the end of the "
        "tue 18:00 (2 h) meeting on Tue 2027-03-16 at 20:00"
    ]
    shift(broken, "a", -2 * HOUR)  # 17:00 local: before the meeting starts
    flagged(check_plan(broken, catalog, program), "at Tue 2027-03-16 17:00-19:00", "not inside")


def test_unreadable_row(sessions: pd.DataFrame, catalog: Catalog, program: Program) -> None:
    sessions.loc[row(sessions, "debrief"), "start"] = pd.NaT
    messages = check_plan(sessions, catalog, program)
    flagged(messages, "'debrief'", "missing or unreadable")


def test_overflowing_meeting_names_the_meeting(catalog: Catalog, program: Program) -> None:
    # ethics (2 h) joins referrals and debrief on Thu 01-28: debrief starts at the 20:00 end.
    plan = Plan.from_assignment(catalog, program, {**VALID, "ethics": 4, "referrals": 2})
    messages = check_plan(plan.sessions, catalog, program)
    flagged(messages, "'debrief' runs Thu 2027-01-28 20:00-21:00, past the end", "at 20:00")
    assert not any("not inside" in m for m in messages)


def test_a_frozen_module_that_is_gone(plan: Plan) -> None:
    # a re-plan whose past is week 1 (intro and roleplay), but intro has been dropped
    past = plan.sessions[plan.sessions["week"] == 1]
    without_intro = plan.sessions[plan.sessions["module"] != "intro"]
    replan = replace(plan, sessions=without_intro, frozen=past)
    messages = replan.check()
    flagged(messages, "module 'intro' is missing from the plan")
    flagged(messages, "module 'intro' took place on Tue 2027-01-12 18:00-19:30 but is gone")
