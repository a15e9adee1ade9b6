"""The .ics export, read back by icalendar, vobject, recurring-ical-events and ical.js.

The main programme (America/Toronto, 12 weeks from Mon 2027-02-15, Tue/Thu 18:00) crosses
the change to daylight time on Sun 2027-03-14: sessions before it are at UTC-5, after it at
UTC-4. Duties start in week 10, so the weekly ongoing sessions (Fri 12:00) run from Fri
2027-04-23 to Fri 2027-12-31 (a Friday, the `until` date) and cross the change back on Sun
2027-11-07; Fri 2027-04-30 is a holiday (an EXDATE), Thu 2027-03-18 one without an ongoing
session. That gives 37 Fridays minus one = 36 ongoing sessions.

The small hostile catalog (Europe/Berlin, 5 weeks from Mon 2027-03-01, DST on 2027-03-28)
puts commas, semicolons, quotes, backslashes, newlines, lines that look like iCalendar
("BEGIN:VEVENT", "UID:evil") and non-ASCII text into every free-text field.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd
import pytest
import recurring_ical_events
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st

from curriculum import Catalog, Duties, Ongoing, Plan, Program, read_catalog, solve
from curriculum.export.ics.read import plan_frames_from_ics, sessions_from_ics
from curriculum.export.ics.vtimezone import vtimezone
from curriculum.export.ics.write import (
    PRODID,
    event_uid,
    ongoing_dates,
    ongoing_uid,
    plan_calendars_by_facilitator,
    write_by_facilitator,
)

UTC = timezone.utc


def frames(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame, Program, Catalog]:
    """What the calendar writers take: the plan's frames and its inputs."""
    return plan.sessions, plan.cancelled, plan.program, plan.catalog


TORONTO_ZONE = ZoneInfo("America/Toronto")
LOCATION = 'Room 2, Centre; "East"'
HOLIDAY_FRIDAY = date(2027, 4, 30)
TITLE = 'Listening, "reflecting"; summarising \\ part 1 in C:\\New\nBEGIN:VEVENT\nUID:evil 😀 é'
DESCRIPTION = 'One; two, "three".\nBEGIN:VEVENT\nUID:evil\nEND:VCALENDAR\n\\n stays — ünï 🌱'
TAGS = 'a,b;c"d;e\\f;BEGIN:VEVENT;x\nUID:evil;ü😀'
FACILITATOR = 'Dr. O\'Neil, "Lead"; trainer \\ 😀\nUID:evil'


TORONTO = Program(
    start=date(2027, 2, 15),
    timezone="America/Toronto",
    holidays=(date(2027, 3, 18), HOLIDAY_FRIDAY),
    location=LOCATION,
    ongoing=Ongoing(until=date(2027, 12, 31)),
)


def solved(catalog: Catalog, program: Program) -> Plan:
    plan = solve(catalog, program, time_limit=10).plan
    assert plan.check() == []
    return plan


@pytest.fixture(scope="module")
def plan() -> Plan:
    return solved(read_catalog(), TORONTO)


@pytest.fixture(scope="module")
def data(plan: Plan) -> bytes:
    return plan.to_ics()


@pytest.fixture(scope="module")
def hostile_catalog() -> Catalog:
    rows = [
        ("hostile", TITLE, "content", 1.0, TAGS, 2, FACILITATOR, DESCRIPTION),
        ("nobody", "Practice, no facilitator", "skill", 1.0, "practice", 2, "", ""),
        ("calm", "Calm module", "content", 1.0, "", 1, "Peer trainer", "Plain."),
        ("hostile-skill", "Skill; with \\ text", "skill", 1.5, "x", 2, FACILITATOR, "Ok"),
    ]
    columns = ["id", "title", "kind", "hours", "tags", "density", "facilitator", "description"]
    return Catalog.from_frame(pd.DataFrame(rows, columns=columns))


HOSTILE = Program(
    name='Pairs-aidants, "Québec"; 2027 \\ 🌱',
    start=date(2027, 3, 1),
    weeks=5,
    timezone="Europe/Berlin",
    location=LOCATION + "\nUID:evil",
    duties=Duties(start_week=3),
)


@pytest.fixture(scope="module")
def hostile_plan(hostile_catalog: Catalog) -> Plan:
    return solved(hostile_catalog, HOSTILE)


# -- helpers ------------------------------------------------------------------------------


def lines(data: bytes) -> list[str]:
    """Unfolded content lines."""
    return data.decode().replace("\r\n ", "").split("\r\n")[:-1]


def session_times(plan: Plan) -> dict[str, tuple[datetime, datetime]]:
    """UID -> (start, end) in UTC, from the plan itself."""
    return {
        event_uid(plan.program.name, row.module): (
            row.start.to_pydatetime().astimezone(UTC),
            row.end.to_pydatetime().astimezone(UTC),
        )
        for row in plan.sessions.itertuples()
    }


def fridays_at_noon() -> list[datetime]:
    """The main programme's ongoing sessions in UTC, by hand (see the module docstring)."""
    days = [date(2027, 4, 23) + timedelta(weeks=i) for i in range(37)]
    assert days[-1] == date(2027, 12, 31)
    return [
        datetime.combine(day, time(12), TORONTO_ZONE).astimezone(UTC)
        for day in days
        if day != HOLIDAY_FRIDAY
    ]


def unescaped(component: icalendar.cal.component.Component, name: str, default: str = "") -> str:
    """A property as text: icalendar leaves X- (and NAME) properties escaped."""
    raw = component[name].to_ical().decode() if name in component else default
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def icalendar_events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


# -- the calendar as a file ---------------------------------------------------------------


def test_header_has_each_property_once(plan: Plan, data: bytes) -> None:
    text = lines(data)
    for line in ("VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"):
        assert text.count(line) == 1
    assert sum(line.startswith(("VERSION:", "PRODID:")) for line in text) == 2
    assert f"NAME:{plan.program.name}" in text
    assert f"X-WR-CALNAME:{plan.program.name}" in text


def test_lines_end_in_crlf_and_fold_at_75_octets(data: bytes) -> None:
    assert data.endswith(b"\r\n")
    for line in data.split(b"\r\n"):
        assert b"\n" not in line and b"\r" not in line
        assert len(line) <= 75


def test_same_plan_gives_same_bytes_and_unique_uids(plan: Plan, data: bytes) -> None:
    assert plan.to_ics() == data
    uids = [str(event["UID"]) for event in icalendar_events(data)]
    assert len(uids) == len(set(uids)) == len(plan.sessions) + 1
    assert set(uids) == {*session_times(plan), ongoing_uid(plan.program.name)}
    assert all(line.endswith("Z") for line in lines(data) if line.startswith("DTSTAMP"))


def test_a_module_keeps_its_uid_when_it_moves(plan: Plan, data: bytes) -> None:
    # Tue 2027-02-16 becomes a holiday too, so the modules taught then must move.
    program = replace(TORONTO, holidays=(date(2027, 2, 16), date(2027, 3, 18), HOLIDAY_FRIDAY))
    moved_plan = solved(read_catalog(), program)
    before, after = session_times(plan), session_times(moved_plan)
    assert before.keys() == after.keys()
    assert any(before[uid] != after[uid] for uid in before)
    assert module_uids(moved_plan.to_ics()) == module_uids(data)


def module_uids(data: bytes) -> dict[str, str]:
    return {str(e.get("X-CURRICULUM-MODULE")): str(e["UID"]) for e in icalendar_events(data)}


def test_to_ics_writes_the_bytes_atomically(plan: Plan, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    assert plan.to_ics(path) == data
    assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["plan.ics"]


# -- times ---------------------------------------------------------------------------------


def test_icalendar_reads_every_session_at_its_instant(plan: Plan, data: bytes) -> None:
    found = {
        str(e["UID"]): (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in icalendar_events(data)
        if "RRULE" not in e
    }
    assert found == session_times(plan)
    offsets = {row.start.utcoffset() for row in plan.sessions.itertuples()}
    assert offsets == {timedelta(hours=-5), timedelta(hours=-4)}  # both sides of the change


def test_vobject_reads_every_session_with_our_vtimezone(plan: Plan, data: bytes) -> None:
    calendar = vobject.readOne(data.decode())
    found = {}
    for event in calendar.vevent_list:
        start = event.dtstart.value
        assert type(start.tzinfo).__name__ == "_tzicalvtz"  # built from our VTIMEZONE
        if not hasattr(event, "rrule"):
            found[event.uid.value] = (start.astimezone(UTC), event.dtend.value.astimezone(UTC))
    assert found == session_times(plan)


def test_recurring_ical_events_expands_sessions_and_ongoing(plan: Plan, data: bytes) -> None:
    program = plan.program
    occurrences = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(
        program.first_monday, program.ongoing_until + timedelta(days=1)
    )
    ongoing = ongoing_uid(program.name)
    found = {
        str(e["UID"]): (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in occurrences
        if str(e["UID"]) != ongoing
    }
    assert found == session_times(plan)
    starts = sorted(e.start for e in occurrences if str(e["UID"]) == ongoing)
    assert [s.astimezone(UTC) for s in starts] == fridays_at_noon()
    assert {s.astimezone(TORONTO_ZONE).time() for s in starts} == {time(12, 0)}
    assert {s.astimezone(TORONTO_ZONE).weekday() for s in starts} == {4}
    assert len(starts) == 36 and HOLIDAY_FRIDAY not in {s.date() for s in starts}


def test_vobject_expands_the_ongoing_rule(plan: Plan, data: bytes) -> None:
    calendar = vobject.readOne(data.decode())
    (event,) = [e for e in calendar.vevent_list if hasattr(e, "rrule")]
    assert [s.astimezone(UTC) for s in event.getrruleset()] == fridays_at_noon()


def test_ongoing_rule_ends_in_utc_and_skips_holidays_in_local_time(data: bytes) -> None:
    text = lines(data)
    assert "RRULE:FREQ=WEEKLY;UNTIL=20271231T170000Z" in text  # 12:00 EST
    assert "DTSTART;TZID=America/Toronto:20270423T120000" in text
    assert [line for line in text if line.startswith("EXDATE")] == [
        "EXDATE;TZID=America/Toronto:20270430T120000"
    ]


def test_ongoing_dates_start_on_or_after_the_programme() -> None:
    # Starts Wed 2027-03-03 with no duty week: Tue of week 1 (03-02) is before the start,
    # so the first is Tue 03-09; `until` Mon 03-29 makes Tue 03-23 the last.
    program = Program(
        start=date(2027, 3, 3),
        duties=Duties(start_week=None),
        ongoing=Ongoing(weekday="tue", until=date(2027, 3, 29)),
    )
    assert ongoing_dates(program) == [date(2027, 3, 9), date(2027, 3, 16), date(2027, 3, 23)]
    assert ongoing_dates(replace(program, ongoing=None)) == []


def test_no_ongoing_event_without_ongoing(hostile_catalog: Catalog) -> None:
    plan = solved(hostile_catalog, replace(HOSTILE, ongoing=None))
    assert not [e for e in icalendar_events(plan.to_ics()) if "RRULE" in e]


# -- VTIMEZONE -----------------------------------------------------------------------------


def test_vtimezone_uses_rrules_not_multi_valued_rdates(data: bytes) -> None:
    calendar = icalendar.Calendar.from_ical(data)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Toronto"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert all("RRULE" in c for c in zone.subcomponents)
    assert not [line for line in lines(data) if line.startswith("RDATE") and "," in line]
    assert calendar.get_missing_tzids() == set()


ZONE_CASES = [
    ("America/Toronto", date(2027, 2, 15), date(2027, 12, 31)),
    ("Europe/Berlin", date(2027, 3, 1), date(2027, 4, 4)),
    ("Australia/Sydney", date(2026, 12, 1), date(2028, 2, 1)),
    ("Asia/Tokyo", date(2027, 1, 1), date(2027, 6, 1)),
    ("America/Sao_Paulo", date(2018, 6, 1), date(2020, 3, 1)),  # DST abolished in 2019
    ("Europe/Dublin", date(2026, 6, 1), date(2027, 6, 1)),  # negative DST in tzdata
    ("Africa/Casablanca", date(2026, 1, 1), date(2027, 12, 31)),  # Ramadan changes
]


@pytest.mark.parametrize(("tzid", "first", "last"), ZONE_CASES)
def test_vtimezone_matches_zoneinfo_in_vobject(tzid: str, first: date, last: date) -> None:
    component = vtimezone(tzid, first, last)
    wrapped = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{}END:VCALENDAR\r\n"
    theirs = vobject.readOne(wrapped.format(component.to_ical().decode())).vtimezone.gettzinfo()
    for local in unambiguous_times(tzid, first, last):
        assert (
            local.replace(tzinfo=theirs).utcoffset()
            == local.replace(tzinfo=ZoneInfo(tzid)).utcoffset()
        ), local
    assert not [c for c in component.subcomponents if "RDATE" in c]


def unambiguous_times(tzid: str, first: date, last: date) -> list[datetime]:
    """Local wall times every 6 hours (at :30) that exist once in the zone."""
    zone, times = ZoneInfo(tzid), []
    moment = datetime.combine(first, time(0, 30))
    while moment.date() <= last:
        if (
            moment.replace(tzinfo=zone).utcoffset()
            == moment.replace(tzinfo=zone, fold=1).utcoffset()
        ):
            times.append(moment)
        moment += timedelta(hours=6)
    return times


def test_utc_programme_writes_z_times_and_no_vtimezone(hostile_catalog: Catalog) -> None:
    plan = solved(hostile_catalog, replace(HOSTILE, timezone="UTC"))
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


def test_control_characters_are_dropped_and_line_breaks_kept(hostile_plan: Plan) -> None:
    sessions = hostile_plan.sessions.assign(description="a\r\nb\rc\x00d\x07e\tf")
    plan = Plan(hostile_plan.catalog, hostile_plan.program, sessions)
    assert plan.check() == []
    descriptions = [str(e["DESCRIPTION"]) for e in icalendar_events(plan.to_ics())]
    assert all(d.startswith("a\nb\ncde\tf\n\n") for d in descriptions[:-1])


@settings(max_examples=40, deadline=None)
@example(title="C:\\New \\N \\n", description="\\\\N;, \\")  # icalendar alone breaks these
@given(
    title=st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1),
    description=st.text(st.characters(exclude_categories=("Cc", "Cs"))),
)
def test_any_printable_text_round_trips(hostile_plan: Plan, title: str, description: str) -> None:
    sessions = hostile_plan.sessions.assign(title=title, description=description)
    plan = Plan(hostile_plan.catalog, hostile_plan.program, sessions)
    assert plan.check() == []
    events = [e for e in icalendar_events(plan.to_ics()) if "RRULE" not in e]
    assert len(events) == len(sessions)
    assert {str(e["SUMMARY"]) for e in events} == {title}
    for event in events:
        assert str(event["DESCRIPTION"]).startswith(f"{description}\n\n" if description else "Kind")


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


def with_cancellation(plan: Plan) -> Plan:
    """The plan plus a module dropped from the catalog (sequence 3), and a stale
    cancellation of a module that is still scheduled (superseded, so not exported)."""
    first = plan.sessions.iloc[0]
    cancelled = pd.DataFrame(
        {
            "module": ["retired", first["module"]],
            "title": ["Retired module", first["title"]],
            "start": [first["start"] + timedelta(days=7), first["start"]],
            "end": [first["end"] + timedelta(days=7), first["end"]],
            "sequence": [3, 1],
        }
    )
    changed = Plan(plan.catalog, plan.program, plan.sessions, cancelled)
    assert changed.check() == []
    return changed


def test_cancelled_rows_become_cancelled_events(hostile_plan: Plan) -> None:
    plan = with_cancellation(hostile_plan)
    events = icalendar_events(plan.to_ics())
    cancelled = [e for e in events if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["UID"]) for e in cancelled] == [event_uid(plan.program.name, "retired")]
    assert cancelled[0]["SEQUENCE"] == 3
    assert len({str(e["UID"]) for e in events}) == len(events)
    assert {str(e["STATUS"]) for e in events if e not in cancelled} == {"CONFIRMED"}


def test_calendars_by_facilitator_partition_the_sessions(hostile_plan: Plan) -> None:
    calendars = plan_calendars_by_facilitator(*frames(hostile_plan))
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
    paths = write_by_facilitator(*frames(hostile_plan), tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    assert all(re.fullmatch(r"[a-z0-9-]+\.ics", p.name) for p in paths)
    assert len(paths) == 3
    assert {p.read_bytes() for p in paths} == set(
        plan_calendars_by_facilitator(*frames(hostile_plan)).values()
    )


# -- reading back ----------------------------------------------------------------------------


def test_sessions_from_ics_round_trips(plan: Plan) -> None:
    sessions = plan.sessions.assign(sequence=range(len(plan.sessions)))
    renumbered = Plan(plan.catalog, plan.program, sessions)
    assert renumbered.check() == []
    back = sessions_from_ics(renumbered.to_ics())
    assert list(back.columns) == ["module", "start", "end", "sequence", "uid"]
    assert str(back["start"].dt.tz) == "America/Toronto"
    expected = sessions.sort_values("start")[["module", "start", "end", "sequence"]]
    pd.testing.assert_frame_equal(
        back.drop(columns="uid"), expected.reset_index(drop=True), check_dtype=False
    )
    assert list(back["uid"]) == [event_uid(plan.program.name, m) for m in back["module"]]


def test_plan_frames_from_ics_keeps_cancellations(hostile_plan: Plan) -> None:
    plan = with_cancellation(hostile_plan)
    frame, name, zone = plan_frames_from_ics(plan.to_ics())
    assert (name, zone) == (plan.program.name, "Europe/Berlin")
    assert list(frame.loc[frame["status"] == "cancelled", "module"]) == ["retired"]
    hostile = frame[frame["module"] == "hostile"].iloc[0]
    assert (hostile["title"], hostile["kind"]) == (TITLE, "content")
    assert (hostile["tags"], hostile["facilitator"]) == (TAGS, FACILITATOR)
    assert len(sessions_from_ics(plan.to_ics())) == len(plan.sessions)


def test_plan_frames_from_ics_carries_what_check_needs(plan: Plan, data: bytes) -> None:
    frame, _, _ = plan_frames_from_ics(data)
    columns = ["module", "start", "end", "week", "density", "pre_service", "kind", "facilitator"]
    expected = plan.sessions.sort_values("start")[columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(frame[columns], expected, check_dtype=False)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: b"hello", "not an iCalendar file"),
        (lambda d: b"", "not an iCalendar file"),
        (lambda d: d.replace(PRODID.encode(), b"-//Google Inc//EN"), "not written by curriculum"),
        (lambda d: d.split(b"BEGIN:VEVENT")[0], "not an iCalendar file"),
        (lambda d: re.sub(rb"X-CURRICULUM-MODULE:[^\r]*\r\n", b"", d), "no X-CURRICULUM-MODULE"),
        (lambda d: d.replace(b"TZID=America/Toronto:", b"TZID=Mars/Base:"), "'Mars/Base' is not"),
        (lambda d: d.replace(b"SEQUENCE:0", b"SEQUENCE:x", 1), "SEQUENCE 'x'"),
    ],
)
def test_sessions_from_ics_rejects_foreign_or_broken_data(
    data: bytes, change: object, message: str
) -> None:
    assert callable(change)
    with pytest.raises(ValueError, match=message):
        sessions_from_ics(change(data))


def test_sessions_from_ics_names_duplicated_modules(data: bytes) -> None:
    events = data.split(b"BEGIN:VEVENT")
    doubled = b"BEGIN:VEVENT".join([*events[:2], *events[1:]])
    with pytest.raises(ValueError, match="has 2 events"):
        sessions_from_ics(doubled)


# -- ical.js (the parser inside Thunderbird), when installed ---------------------------------

ICALJS_ZONE_SCRIPT = """
import ICAL from %s;
import { readFileSync } from "node:fs";
const input = JSON.parse(readFileSync(0, "utf8"));
const zone = new ICAL.Timezone(new ICAL.Component(ICAL.parse(input.vtimezone)));
console.log(JSON.stringify(input.times.map((text) => {
  const local = ICAL.Time.fromDateTimeString(text);
  local.zone = zone;
  return local.toUnixTime();
})));
"""

ICALJS_SCRIPT = """
import ICAL from %s;
import { readFileSync } from "node:fs";
const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const tz of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
const out = {};
for (const comp of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(comp);
  const starts = [];
  const it = event.iterator();
  for (let next = it.next(); next && starts.length < 1000; next = it.next())
    starts.push(next.toUnixTime());
  out[event.uid] = {
    starts, end: event.endDate.toUnixTime(), zone: event.startDate.zone.tzid,
    summary: event.summary, description: event.description,
    categories: comp.getAllProperties("categories").flatMap((p) => p.getValues()),
  };
}
console.log(JSON.stringify(out));
"""


def icaljs_module() -> Path:
    """ical.js's entry point; skip when node or the package is missing."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed, so ical.js cannot run")
    folder = Path(os.environ.get("ICALJS", "/tmp/icaljs/node_modules/ical.js"))
    entry = folder / "dist" / "ical.js"
    if not entry.is_file():
        pytest.skip(
            f"ical.js not found at {folder}: run `npm install --prefix /tmp/icaljs ical.js` "
            "or set ICALJS to the package folder"
        )
    return entry


def run_node(script: str, stdin: str, folder: Path) -> object:
    """Run an ES module that imports ical.js (its path in for %s); its JSON output."""
    path = folder / "script.mjs"
    path.write_text(script % json.dumps(icaljs_module().as_uri()))
    result = subprocess.run(
        ["node", str(path)], input=stdin, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def icaljs(data: bytes, folder: Path) -> dict[str, dict[str, object]]:
    """What ical.js makes of a calendar: per UID, starts (expanded), end, zone and text."""
    found = run_node(ICALJS_SCRIPT, data.decode(), folder)
    assert isinstance(found, dict)
    return found


@pytest.mark.parametrize(("tzid", "first", "last"), ZONE_CASES)
def test_icaljs_reads_our_vtimezones(tzid: str, first: date, last: date, tmp_path: Path) -> None:
    times = unambiguous_times(tzid, first, last)
    request = {
        "vtimezone": vtimezone(tzid, first, last).to_ical().decode(),
        "times": [moment.strftime("%Y-%m-%dT%H:%M:%S") for moment in times],
    }
    found = run_node(ICALJS_ZONE_SCRIPT, json.dumps(request), tmp_path)
    assert found == [moment.replace(tzinfo=ZoneInfo(tzid)).timestamp() for moment in times]


def test_icaljs_reads_sessions_and_ongoing(plan: Plan, data: bytes, tmp_path: Path) -> None:
    found = icaljs(data, tmp_path)
    assert {found[uid]["zone"] for uid in found} == {"America/Toronto"}
    for uid, (start, end) in session_times(plan).items():
        assert found[uid]["starts"] == [start.timestamp()]
        assert found[uid]["end"] == end.timestamp()
    ongoing = found[ongoing_uid(plan.program.name)]["starts"]
    assert ongoing == [moment.timestamp() for moment in fridays_at_noon()]


def test_icaljs_reads_hostile_text(hostile_plan: Plan, tmp_path: Path) -> None:
    found = icaljs(hostile_plan.to_ics(), tmp_path)
    event = found[event_uid(hostile_plan.program.name, "hostile")]
    assert event["summary"] == TITLE
    assert str(event["description"]).startswith(DESCRIPTION + "\n\n")
    assert event["categories"] == [*TAGS.split(";"), "content"]
    assert len(found) == len(hostile_plan.sessions) + 1
