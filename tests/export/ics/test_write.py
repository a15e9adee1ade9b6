"""Writing a plan as an RFC 5545 calendar, read back by icalendar, vobject,
recurring-ical-events and ical.js: the file, the times across daylight saving time, the
ongoing sessions, alarms, cancellations and one calendar per facilitator (the programmes
are described in `calendars.py`)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events
import vobject

from curriculum import Catalog, Ongoing, Plan, Program
from curriculum.export.ics.events import event_uid, ongoing_uid
from curriculum.export.ics.write import (
    PRODID,
    calendars_by_facilitator,
    event_resource,
    write_by_facilitator,
)
from curriculum.meetings import ongoing_dates
from tests.builders import solve_checked
from tests.export.ics.calendars import (
    DESCRIPTION,
    FACILITATOR,
    HOLIDAY_FRIDAY,
    HOSTILE,
    TAGS,
    TITLE,
    TORONTO,
    TORONTO_ZONE,
    UTC,
    fridays_at_noon,
    icalendar_events,
    icaljs,
    lines,
    module_uids,
    session_times,
    unescaped,
    with_cancellation,
)

# -- the calendar as a file ---------------------------------------------------------------


def test_header_has_each_property_once(toronto_plan: Plan, toronto_ics: bytes) -> None:
    text = lines(toronto_ics)
    for line in ("VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"):
        assert text.count(line) == 1
    assert sum(line.startswith(("VERSION:", "PRODID:")) for line in text) == 2
    assert f"NAME:{toronto_plan.program.name}" in text
    assert f"X-WR-CALNAME:{toronto_plan.program.name}" in text
    # no organizer: a plain calendar (iTIP's METHOD:PUBLISH needs an ORGANIZER)
    assert not any(line.startswith(("METHOD", "ORGANIZER")) for line in text)


def test_an_organizer_makes_a_published_calendar(toronto_plan: Plan) -> None:
    program = replace(toronto_plan.program, organizer="Training Office <training@example.org>")
    text = lines(replace(toronto_plan, program=program).to_ics())
    assert text.count("METHOD:PUBLISH") == 1
    organizers = [line for line in text if line.startswith("ORGANIZER")]
    assert len(organizers) == text.count("BEGIN:VEVENT")
    assert set(organizers) == {'ORGANIZER;CN="Training Office":mailto:training@example.org'}
    uids = [line for line in text if line.startswith("UID:")]
    assert all(uid.endswith("@example.org") for uid in uids)  # the organizer's domain


def test_an_event_alone_is_a_calendar_object_resource(toronto_plan: Plan) -> None:
    # RFC 4791, 4.1: one UID per resource, no METHOD (even with an organizer), and the
    # VTIMEZONE its times need
    program = replace(toronto_plan.program, organizer="Training Office <training@example.org>")
    plan = replace(toronto_plan, program=program)
    event = icalendar.Calendar.from_ical(plan.to_ics()).walk("VEVENT")[0]
    text = lines(event_resource(plan, event))
    assert text.count("BEGIN:VEVENT") == 1
    assert text.count("BEGIN:VTIMEZONE") == 1 and "TZID:America/Toronto" in text
    assert not [line for line in text if line.startswith(("METHOD", "X-WR-CALNAME", "NAME"))]
    assert f"PRODID:{PRODID}" in text


def test_lines_end_in_crlf_and_fold_at_75_octets(toronto_ics: bytes) -> None:
    assert toronto_ics.endswith(b"\r\n")
    for line in toronto_ics.split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75


def test_same_plan_gives_same_bytes_and_unique_uids(
    toronto_plan: Plan, toronto_ics: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # reproducible: a fixed DTSTAMP
    assert toronto_plan.to_ics() == toronto_plan.to_ics()
    assert "DTSTAMP:20270115T080000Z" in lines(toronto_plan.to_ics())
    uids = [str(event["UID"]) for event in icalendar_events(toronto_ics)]
    assert len(uids) == len(set(uids)) == len(toronto_plan.sessions) + 1
    assert set(uids) == {*session_times(toronto_plan), ongoing_uid(toronto_plan.program)}
    assert all(line.endswith("Z") for line in lines(toronto_ics) if line.startswith("DTSTAMP"))


def test_a_module_keeps_its_uid_when_it_moves(
    bundled_catalog: Catalog, toronto_plan: Plan, toronto_ics: bytes
) -> None:
    # Tue 2027-02-16 becomes a holiday too, so the modules taught then must move.
    program = replace(TORONTO, holidays=(date(2027, 2, 16), date(2027, 3, 18), HOLIDAY_FRIDAY))
    moved_plan = solve_checked(bundled_catalog, program).plan
    before, after = session_times(toronto_plan), session_times(moved_plan)
    assert before.keys() == after.keys()
    assert any(before[uid] != after[uid] for uid in before)
    assert module_uids(moved_plan.to_ics()) == module_uids(toronto_ics)


def test_to_ics_writes_the_bytes_atomically(
    toronto_plan: Plan, toronto_ics: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "plan.ics"
    data = toronto_plan.to_ics(path)
    assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


# -- times ---------------------------------------------------------------------------------


def test_icalendar_reads_every_session_at_its_instant(
    toronto_plan: Plan, toronto_ics: bytes
) -> None:
    found = {
        str(e["UID"]): (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in icalendar_events(toronto_ics)
        if "RRULE" not in e
    }
    assert found == session_times(toronto_plan)
    offsets = {row.start.utcoffset() for row in toronto_plan.sessions.itertuples()}
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}  # both sides of the change


def test_vobject_reads_every_session_with_our_vtimezone(
    toronto_plan: Plan, toronto_ics: bytes
) -> None:
    calendar = vobject.readOne(toronto_ics.decode())
    found = {}
    for event in calendar.vevent_list:
        start = event.dtstart.value
        assert type(start.tzinfo).__name__ == "_tzicalvtz"  # built from our VTIMEZONE
        if not hasattr(event, "rrule"):
            found[event.uid.value] = (start.astimezone(UTC), event.dtend.value.astimezone(UTC))
    assert found == session_times(toronto_plan)


def test_recurring_ical_events_expands_sessions_and_ongoing(
    toronto_plan: Plan, toronto_ics: bytes
) -> None:
    program = toronto_plan.program
    occurrences = recurring_ical_events.of(icalendar.Calendar.from_ical(toronto_ics)).between(
        program.first_monday, program.ongoing_until + timedelta(days=1)
    )
    ongoing = ongoing_uid(program)
    found = {
        str(e["UID"]): (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in occurrences
        if str(e["UID"]) != ongoing
    }
    assert found == session_times(toronto_plan)
    starts = sorted(e.start for e in occurrences if str(e["UID"]) == ongoing)
    assert [s.astimezone(UTC) for s in starts] == fridays_at_noon()
    assert {s.astimezone(TORONTO_ZONE).time() for s in starts} == {time(12, 0)}
    assert {s.astimezone(TORONTO_ZONE).weekday() for s in starts} == {4}
    assert len(starts) == 36 and HOLIDAY_FRIDAY not in {s.date() for s in starts}


def test_vobject_expands_the_ongoing_rule(toronto_plan: Plan, toronto_ics: bytes) -> None:
    calendar = vobject.readOne(toronto_ics.decode())
    (event,) = [e for e in calendar.vevent_list if hasattr(e, "rrule")]
    assert [s.astimezone(UTC) for s in event.getrruleset()] == fridays_at_noon()


def test_ongoing_rule_ends_in_utc_and_skips_holidays_in_local_time(toronto_ics: bytes) -> None:
    text = lines(toronto_ics)
    # until the end of the last Friday (Fri 2027-12-31 23:59:59 EST), whatever time it is
    assert "RRULE:FREQ=WEEKLY;UNTIL=20280101T045959Z" in text
    assert "DTSTART;TZID=America/Toronto:20270423T120000" in text
    assert [line for line in text if line.startswith("EXDATE")] == [
        "EXDATE;TZID=America/Toronto:20270430T120000"
    ]


def test_ongoing_dates_start_on_or_after_the_programme() -> None:
    # Starts Wed 2027-03-03 with no duty week: Tue of week 1 (03-02) is before the start,
    # so the first is Tue 03-09; `until` Mon 03-29 makes Tue 03-23 the last.
    program = Program(
        start=date(2027, 3, 3),
        duties=None,
        ongoing=Ongoing(weekday="tue", until=date(2027, 3, 29)),
    )
    assert ongoing_dates(program) == [date(2027, 3, 9), date(2027, 3, 16), date(2027, 3, 23)]
    assert ongoing_dates(replace(program, ongoing=None)) == []


def test_no_ongoing_event_without_ongoing(hostile_catalog: Catalog) -> None:
    plan = solve_checked(hostile_catalog, replace(HOSTILE, ongoing=None)).plan
    assert not [e for e in icalendar_events(plan.to_ics()) if "RRULE" in e]


# -- UTC: no VTIMEZONE -----------------------------------------------------------------------


def test_utc_programme_writes_z_times_and_no_vtimezone(hostile_catalog: Catalog) -> None:
    plan = solve_checked(hostile_catalog, replace(HOSTILE, timezone="UTC")).plan
    data = plan.to_ics()
    assert b"VTIMEZONE" not in data and b"TZID" not in data
    starts = [line for line in lines(data) if line.startswith("DTSTART")]
    assert starts and all(line.endswith("Z") for line in starts)
    assert session_times(plan) == {
        str(e["UID"]): (e.start, e.end) for e in icalendar_events(data) if "RRULE" not in e
    }


# -- text ----------------------------------------------------------------------------------


def test_hostile_text_round_trips_without_injecting_properties(hostile_plan: Plan) -> None:
    data = hostile_plan.to_ics()
    events = icalendar_events(data)
    assert len(events) == len(hostile_plan.sessions) + 1
    text = lines(data)
    assert sum(line == "BEGIN:VEVENT" for line in text) == len(events)
    assert sum(line.startswith("UID:") for line in text) == len(events)
    assert not [line for line in text if line.startswith(("UID:evil", "END:VCALENDAR "))]
    (event,) = [e for e in events if str(e.get("X-CURRICULUM-MODULE")) == "hostile"]
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["DESCRIPTION"]).startswith(DESCRIPTION + "\n\n")
    assert [str(c) for c in event.categories] == [*TAGS.split(";"), "content"]
    assert unescaped(event, "X-CURRICULUM-FACILITATOR") == FACILITATOR
    assert str(event["LOCATION"]) == hostile_plan.program.location
    calendar = icalendar.Calendar.from_ical(data)
    assert unescaped(calendar, "X-WR-CALNAME") == hostile_plan.program.name
    assert unescaped(calendar, "NAME") == hostile_plan.program.name


def test_vobject_reads_hostile_text_back(hostile_plan: Plan) -> None:
    calendar = vobject.readOne(hostile_plan.to_ics().decode())
    (event,) = [e for e in calendar.vevent_list if e.summary.value == TITLE]
    assert event.description.value.startswith(DESCRIPTION)
    assert event.categories.value == [*TAGS.split(";"), "content"]
    assert event.location.value == hostile_plan.program.location


# -- alarms, cancellations, facilitators -----------------------------------------------------


def test_remind_adds_a_display_alarm_to_each_event(hostile_plan: Plan) -> None:
    data = hostile_plan.to_ics(remind=timedelta(minutes=30))
    events = icalendar_events(data)
    assert all(len(e.walk("VALARM")) == 1 for e in events)
    for alarm in (a for e in events for a in e.walk("VALARM")):
        assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"])
    assert sum(line == "TRIGGER:-PT30M" for line in lines(data)) == len(events)
    assert b"VALARM" not in hostile_plan.to_ics()
    with pytest.raises(ValueError, match="remind"):
        hostile_plan.to_ics(remind=timedelta(minutes=-5))
    # a notebook's "30m" or 30 (as on the command line): a TypeError from inside it was
    for given in ("30m", 30):
        with pytest.raises(ValueError, match=r"such as timedelta\(minutes=30\), not"):
            hostile_plan.to_ics(remind=given)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="has no time zone"):  # a date: AttributeError
        hostile_plan.to_ics(stamp=date(2027, 1, 1))  # type: ignore[arg-type]


def test_cancelled_rows_become_cancelled_events(hostile_plan: Plan) -> None:
    plan = with_cancellation(hostile_plan)
    events = icalendar_events(plan.to_ics())
    cancelled = [e for e in events if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["UID"]) for e in cancelled] == [event_uid(plan.program, "retired")]
    assert cancelled[0]["SEQUENCE"] == 3
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert {str(e["STATUS"]) for e in events if e not in cancelled} == {"CONFIRMED"}


def test_calendars_by_facilitator_partition_the_sessions(hostile_plan: Plan) -> None:
    calendars = calendars_by_facilitator(hostile_plan)
    assert set(calendars) == {FACILITATOR, "Peer trainer", "unassigned"}
    seen: list[str] = []
    for who, data in calendars.items():
        calendar = icalendar.Calendar.from_ical(data)
        assert unescaped(calendar, "X-WR-CALNAME").endswith(who)
        for event in calendar.walk("VEVENT"):
            assert unescaped(event, "X-CURRICULUM-FACILITATOR", "unassigned") == who
            seen.append(str(event["UID"]))
    assert sorted(seen) == sorted(session_times(hostile_plan))


def test_write_by_facilitator_uses_safe_names(hostile_plan: Plan, tmp_path: Path) -> None:
    stamp = datetime(2027, 1, 4, 9, 0, tzinfo=timezone.utc)  # both calls: one DTSTAMP
    paths = write_by_facilitator(hostile_plan, tmp_path / "out", stamp=stamp)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    assert all(re.fullmatch(r"[a-z0-9-]+\.ics", p.name) for p in paths)
    assert len(paths) == 3
    calendars = calendars_by_facilitator(hostile_plan, stamp=stamp)
    assert {p.read_bytes() for p in paths} == set(calendars.values())


# -- ical.js (the parser inside Thunderbird), when installed ---------------------------------


def test_icaljs_reads_sessions_and_ongoing(
    toronto_plan: Plan, toronto_ics: bytes, tmp_path: Path
) -> None:
    found = icaljs(toronto_ics, tmp_path)
    assert {found[uid]["zone"] for uid in found} == {"America/Toronto"}
    for uid, (start, end) in session_times(toronto_plan).items():
        assert found[uid]["starts"] == [start.timestamp()]
        assert found[uid]["end"] == end.timestamp()
    ongoing = found[ongoing_uid(toronto_plan.program)]["starts"]
    assert ongoing == [moment.timestamp() for moment in fridays_at_noon()]


def test_icaljs_reads_hostile_text(hostile_plan: Plan, tmp_path: Path) -> None:
    found = icaljs(hostile_plan.to_ics(), tmp_path)
    event = found[event_uid(hostile_plan.program, "hostile")]
    assert event["summary"] == TITLE
    assert str(event["description"]).startswith(DESCRIPTION + "\n\n")
    assert event["categories"] == [*TAGS.split(";"), "content"]
    assert len(found) == len(hostile_plan.sessions) + 1
