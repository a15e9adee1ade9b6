"""Publishing cohorts planned together to a real Radicale server (CohortsResult.publish):
one calendar per cohort, each holding only its cohort's events, or one per facilitator
across cohorts, a joint session once; the same plans again change nothing, and a re-plan
of one cohort updates only its events that changed."""

from __future__ import annotations

import dataclasses

import icalendar

from curriculum import Cohort, Cohorts, CohortsResult, Meeting, Weights
from curriculum.export.ics.events import event_uid
from tests.builders import THU, TUE, make_catalog, make_program, module, solve_cohorts_checked
from tests.export.caldav.radicale import USER, Radicale

NO_GOALS = Weights(balance=0, weeks_without_skills=0, uneven_load=0, early_density=0)
FRI = Meeting("fri", "14:00", 2)  # a workshop both cohorts hold at the Centre


def two_cohorts() -> Cohorts:
    """Sam leads 'a' in A and 'b' in B (no supervision series: one event a module)."""
    return Cohorts(
        cohorts=tuple(
            Cohort(
                name,
                make_catalog(module(m, facilitator="Sam"), module(f"{m}2")),
                make_program(1, (TUE, THU), weights=NO_GOALS, location=f"{name} site"),
            )
            for name, m in (("Spring", "a"), ("Autumn", "b"))
        )
    )


def sharing_cohorts() -> Cohorts:
    """Spring (Tue, Fri) and Autumn (Thu, Fri), two weeks at the Centre: Sam leads 'care'
    (joint, taught to both at once on a Friday) and 'a' in Spring, 'b' in Autumn; Lee
    leads 'a2' and 'b2'."""
    return Cohorts(
        name="Tiny year",
        cohorts=tuple(
            Cohort(
                name,
                make_catalog(
                    module("care", facilitator="Sam"),
                    module(m, facilitator="Sam"),
                    module(f"{m}2", facilitator="Lee"),
                ),
                make_program(2, (day, FRI), weights=NO_GOALS, location="Centre"),
            )
            for name, m, day in (("Spring", "a", TUE), ("Autumn", "b", THU))
        ),
        joint=("care",),
    )


def replanned(result: CohortsResult, cohort: str, module_id: str) -> CohortsResult:
    """`cohort` re-planned with a holiday on the day of its `module_id` (the other cohort
    committed: its published plan stays), checked."""
    plan = result.plans[cohort]
    day = plan.sessions.set_index("module").loc[module_id, "start"].date()
    cohorts = result.cohorts
    changed = [
        dataclasses.replace(c, program=dataclasses.replace(c.program, holidays=(day,)))
        if c.name == cohort
        else dataclasses.replace(c, committed=result.plans[c.name])
        for c in cohorts.cohorts
    ]
    return solve_cohorts_checked(dataclasses.replace(cohorts, cohorts=tuple(changed)))


def events(server: Radicale, calendar: str) -> dict[str, str]:
    """UID -> summary of every event stored in one of alice's calendars."""
    found = {}
    for body in server.stored(USER, calendar).values():
        for event in icalendar.Calendar.from_ical(body).walk("VEVENT"):
            found[str(event["UID"])] = str(event["SUMMARY"])
    return found


def test_each_cohort_gets_its_own_calendar_and_a_second_publish_writes_nothing(
    server: Radicale,
) -> None:
    result = solve_cohorts_checked(two_cohorts())
    done = result.publish(url=server.url, user=USER, create=True)
    assert {t.name: t.changes.count("create") for t in done.targets} == {"Spring": 2, "Autumn": 2}
    spring = server.stored(USER, "spring")
    autumn = server.stored(USER, "autumn")
    assert len(spring) == 2 and len(autumn) == 2
    assert not set(spring) & set(autumn)  # UIDs differ across cohorts
    writes = len(server.writes())
    again = result.publish(url=server.url, user=USER)
    assert sum(again.count(action) for action in ("create", "update", "cancel")) == 0
    assert len(server.writes()) == writes


def test_a_calendar_prefix_names_each_cohort_s_calendar(server: Radicale) -> None:
    result = solve_cohorts_checked(two_cohorts())
    done = result.publish("Year", url=server.url, user=USER, create=True)
    assert [t.name for t in done.targets] == ["Year — Spring", "Year — Autumn"]
    assert len(server.stored(USER, "year-spring")) == 2


def test_by_facilitator_a_calendar_holds_every_cohort_and_a_joint_session_once(
    server: Radicale,
) -> None:
    result = solve_cohorts_checked(sharing_cohorts())
    spring, autumn = (result.plans[name].program for name in ("Spring", "Autumn"))
    done = result.publish(url=server.url, user=USER, by="facilitator", create=True)
    assert [t.name for t in done.targets] == ["Tiny year — Lee", "Tiny year — Sam"]
    assert (done.count("create"), done.count("update"), done.count("cancel")) == (5, 0, 0)
    sam = events(server, "tiny-year-sam")
    # both cohorts' sessions; 'care' once, as the first cohort's (Spring's) event
    assert set(sam) == {
        event_uid(spring, "care"),
        event_uid(spring, "a"),
        event_uid(autumn, "b"),
    }
    assert list(sam.values()).count("Care") == 1
    assert set(events(server, "tiny-year-lee")) == {
        event_uid(spring, "a2"),
        event_uid(autumn, "b2"),
    }

    writes = len(server.writes())
    again = result.publish(url=server.url, user=USER, by="facilitator")
    assert sum(again.count(action) for action in ("create", "update", "cancel")) == 0
    assert again.unchanged == 5
    assert len(server.writes()) == writes


def test_a_re_plan_of_one_cohort_updates_only_its_events_that_changed(
    server: Radicale,
) -> None:
    result = solve_cohorts_checked(sharing_cohorts())
    result.publish(url=server.url, user=USER, by="facilitator", create=True)
    writes = len(server.writes())
    after = replanned(result, "Autumn", "b")
    before, now = (r.plans["Autumn"].sessions.set_index("module")["start"] for r in (result, after))
    moved = {event_uid(after.plans["Autumn"].program, m) for m in now.index if now[m] != before[m]}
    assert event_uid(after.plans["Autumn"].program, "b") in moved

    done = after.publish(url=server.url, user=USER, by="facilitator")
    updated = {c.uid: c.sequence for t in done.targets for c in t.changes.changes}
    assert updated == dict.fromkeys(moved, 1)  # updates only, one SEQUENCE up
    assert done.count("create") == done.count("cancel") == 0
    assert done.unchanged == 5 - len(moved)
    assert len(server.writes()) == writes + len(moved)
