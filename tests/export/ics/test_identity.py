"""Which calendar event is which, and when it was written (export/ics/events.py, write.py):
UIDs unique per cohort and stable across re-exports, with a real domain part; DTSTAMP the
time of export in UTC (SOURCE_DATE_EPOCH for reproducible files); each facilitator's
calendar told when a module leaves it; holidays anywhere in the supervision's range."""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime, timezone
from pathlib import Path

import icalendar
import pytest

from curriculum import Ongoing, Plan, ProgramError, read_plan
from curriculum.export.ics.events import event_uid, ongoing_uid, owns_uid
from curriculum.export.ics.ledger import renumbered
from tests.builders import solve_checked


def uids(data: bytes) -> set[str]:
    return {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}


def test_two_cohorts_of_one_programme_have_distinct_uids(toronto_plan: Plan) -> None:
    # Before: UIDs were 'programme-name.module@curriculum', so the autumn cohort's calendar
    # overwrote the spring cohort's on import.
    spring = toronto_plan
    autumn_program = dataclasses.replace(spring.program, start=date(2027, 9, 6), holidays=())
    autumn = dataclasses.replace(spring, program=autumn_program)
    assert uids(spring.to_ics()).isdisjoint(uids(autumn.to_ics()))
    assert uids(spring.to_ics()) == uids(spring.to_ics())  # stable across re-exports
    assert event_uid(spring.program, "orientation") == (
        f"peer-support-worker-training-{spring.program.start:%Y%m%d}.orientation@curriculum.invalid"
    )
    named = dataclasses.replace(spring.program, id="Spring 2027")
    assert event_uid(named, "orientation") == "spring-2027.orientation@curriculum.invalid"
    assert ongoing_uid(named) == "spring-2027-ongoing@curriculum.invalid"


def test_names_told_apart_only_outside_ascii_give_distinct_uids(toronto_plan: Plan) -> None:
    # Before: the slug left the Cyrillic letters out, so 'Группа А' and 'Группа Б' from one
    # day shared every UID ('20270215.<module>@...'): one calendar overwrote the other.
    group_a, group_b = (
        dataclasses.replace(toronto_plan, program=dataclasses.replace(toronto_plan.program, name=n))
        for n in ("Группа А", "Группа Б")
    )
    assert group_a.check() == [] and group_b.check() == []
    assert uids(group_a.to_ics()).isdisjoint(uids(group_b.to_ics()))
    # a short hash of the name (sha256, the same in every process) and the date, whole
    assert event_uid(group_a.program, "c1") == "programme-fad1e1df-20270215.c1@curriculum.invalid"
    # accents have an ASCII form: such a name keeps the UIDs it had
    french = dataclasses.replace(toronto_plan.program, name="Formation à Montréal")
    assert event_uid(french, "c1") == "formation-a-montreal-20270215.c1@curriculum.invalid"


def test_a_long_name_keeps_its_start_date_in_its_uids(toronto_plan: Plan) -> None:
    # Before: the slug stopped at 60 characters, before the date: the spring and autumn
    # intakes of a programme with a long name shared every UID.
    name = "Peer support worker training programme, Northern Health Region mental health service"
    spring = dataclasses.replace(toronto_plan.program, name=name)
    autumn = dataclasses.replace(spring, start=date(2027, 9, 6), holidays=())
    modules = list(toronto_plan.sessions["module"])
    spring_uids = {ongoing_uid(spring), *(event_uid(spring, m) for m in modules)}
    autumn_uids = {ongoing_uid(autumn), *(event_uid(autumn, m) for m in modules)}
    assert spring_uids.isdisjoint(autumn_uids)
    assert event_uid(spring, "orientation") == (
        "peer-support-worker-training-programme-nor-ea97e17b-20270215.orientation"
        "@curriculum.invalid"
    )


def test_the_uid_domain_is_the_organizers(toronto_plan: Plan) -> None:
    program = dataclasses.replace(toronto_plan.program, organizer="Office <a@Train.Example.ORG>")
    assert event_uid(program, "x").endswith("@train.example.org")
    with pytest.raises(ProgramError, match="has no e-mail address"):
        dataclasses.replace(toronto_plan.program, organizer="Training Office")


def test_a_cohort_owns_its_uids_and_no_others(toronto_plan: Plan) -> None:
    program = toronto_plan.program  # slug 'peer-support-worker-training-20270215'
    other = dataclasses.replace(program, name="Peer support worker training 2")
    series = ongoing_uid(program)
    assert series == "peer-support-worker-training-20270215-ongoing@curriculum.invalid"
    mine = [
        event_uid(program, "a.b-c_d"),
        series,
        series.replace("-ongoing@", "-ongoing-20271107@"),
    ]
    assert all(owns_uid(program, uid) for uid in mine)
    theirs = [
        event_uid(other, "a"),  # another cohort
        ongoing_uid(other),
        "peer-support-worker-training-20270215.a@example.org",  # another domain
        "peer-support-worker-training-20270215-ongoing-x.a@curriculum.invalid",
        "dentist-1@example.org",
    ]
    assert not any(owns_uid(program, uid) for uid in theirs)


def test_dtstamp_is_the_time_of_export_in_utc(
    toronto_plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: midnight of the programme's start (in the future), never changing.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    data = toronto_plan.to_ics()
    after = datetime.now(timezone.utc)
    stamps = {e["DTSTAMP"].dt for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    (stamp,) = stamps
    assert stamp.tzinfo is not None and stamp.utcoffset().total_seconds() == 0
    assert before <= stamp <= after
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert re.search(rb"DTSTAMP:20270115T080000Z", toronto_plan.to_ics())


def test_a_module_that_moves_to_another_facilitator_is_cancelled_in_the_first_calendar(
    bundled_catalog: object, default_program: object, tmp_path: Path
) -> None:
    # Before: the module simply vanished from the first facilitator's file, and a client
    # that had imported it kept it.
    from curriculum import Catalog, Program

    assert isinstance(bundled_catalog, Catalog) and isinstance(default_program, Program)
    plan = solve_checked(bundled_catalog, default_program).plan
    plan.to_csv(tmp_path / "v1.csv")
    frame = bundled_catalog.frame
    frame.loc[frame["id"] == "hiv-basics", "facilitator"] = "Community partner"
    changed = Catalog.from_frame(frame)
    freeze = date(2027, 1, 18)
    later = solve_checked(
        changed, default_program, previous=read_plan(tmp_path / "v1.csv"), freeze_before=freeze
    ).plan
    calendars = {who: icalendar.Calendar.from_ical(data) for who, data in _calendars(later).items()}
    uid = event_uid(later.program, "hiv-basics")
    old_owner = bundled_catalog["hiv-basics"].facilitator
    gone = [e for e in calendars[old_owner].walk("VEVENT") if str(e["UID"]) == uid]
    assert [str(e["STATUS"]) for e in gone] == ["CANCELLED"]
    new = [e for e in calendars["Community partner"].walk("VEVENT") if str(e["UID"]) == uid]
    assert [str(e["STATUS"]) for e in new] == ["CONFIRMED"]
    assert int(new[0]["SEQUENCE"]) == int(gone[0]["SEQUENCE"]) == 1


def _calendars(plan: Plan) -> dict[str, bytes]:
    from curriculum.export.ics.write import calendars_by_facilitator

    return calendars_by_facilitator(plan)


def test_the_series_is_in_its_facilitators_calendar(toronto_plan: Plan) -> None:
    # Before: the supervision series was in no facilitator's file.
    series = ongoing_uid(toronto_plan.program)
    assert all(series not in uids(data) for data in _calendars(toronto_plan).values())
    ongoing = dataclasses.replace(
        toronto_plan.program.ongoing or Ongoing(), facilitator="Clinical supervisor"
    )
    program = dataclasses.replace(toronto_plan.program, ongoing=ongoing)
    led = dataclasses.replace(toronto_plan, program=program)
    holders = [who for who, data in _calendars(led).items() if series in uids(data)]
    assert holders == ["Clinical supervisor"]


def test_a_series_handed_over_is_cancelled_in_the_old_calendar_as_an_update(
    toronto_plan: Plan,
) -> None:
    # Before: its leader was not part of what the event says, so the re-plan cancelled it
    # in the clinical supervisor's calendar at the SEQUENCE it had, which a calendar that
    # imported it ignores, keeping the series there.
    def led_by(who: str) -> Plan:
        ongoing = dataclasses.replace(toronto_plan.program.ongoing or Ongoing(), facilitator=who)
        program = dataclasses.replace(toronto_plan.program, ongoing=ongoing)
        return dataclasses.replace(toronto_plan, program=program)

    before = renumbered(led_by("Clinical supervisor"), toronto_plan)
    after = renumbered(led_by("Peer trainer"), before)
    series = ongoing_uid(toronto_plan.program)

    def seen(plan: Plan) -> dict[str, tuple[str, int]]:
        found = {}
        for who, data in _calendars(plan).items():
            for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
                if str(event["UID"]) == series:
                    found[who] = (str(event["STATUS"]), int(event["SEQUENCE"]))
        return found

    assert seen(before) == {"Clinical supervisor": ("CONFIRMED", 1)}
    assert seen(after) == {
        "Clinical supervisor": ("CANCELLED", 2),
        "Peer trainer": ("CONFIRMED", 2),
    }


def test_a_holiday_after_the_programme_but_in_the_supervision_is_honoured(
    toronto_plan: Plan,
) -> None:
    # Before: refused as "outside the programme", though the weekly supervision runs on.
    last = toronto_plan.program.last_day
    ongoing = Ongoing(until=date(2027, 6, 30))
    friday = date(2027, 5, 28)
    assert friday > last
    program = dataclasses.replace(toronto_plan.program, ongoing=ongoing, holidays=(friday,))
    text = dataclasses.replace(toronto_plan, program=program).to_ics().decode()
    assert "EXDATE;TZID=America/Toronto:20270528T120000" in text
    with pytest.raises(ProgramError, match="holiday 2027-07-02 is outside"):
        dataclasses.replace(program, holidays=(date(2027, 7, 2),))
