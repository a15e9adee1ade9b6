"""Reading a calendar we wrote back into sessions (to re-plan from an .ics), and refusing
anything else."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from curriculum import Plan
from curriculum.export.ics.events import event_uid
from curriculum.export.ics.read import calendar_file, sessions_from_ics
from curriculum.export.ics.write import PRODID
from tests.export.ics.calendars import FACILITATOR, TAGS, TITLE, with_cancellation


def test_sessions_from_ics_round_trips(toronto_plan: Plan) -> None:
    sessions = toronto_plan.sessions.assign(sequence=range(len(toronto_plan.sessions)))
    renumbered = Plan(toronto_plan.catalog, toronto_plan.program, sessions)
    assert renumbered.check() == []
    back = sessions_from_ics(renumbered.to_ics())
    assert list(back.columns) == ["module", "start", "end", "sequence", "uid"]
    assert str(back["start"].dt.tz) == "America/Toronto"
    expected = sessions.sort_values("start")[["module", "start", "end", "sequence"]]
    pd.testing.assert_frame_equal(
        back.drop(columns="uid"), expected.reset_index(drop=True), check_dtype=False
    )
    assert list(back["uid"]) == [event_uid(toronto_plan.program, m) for m in back["module"]]


def test_calendar_file_keeps_cancellations_and_the_programme(hostile_plan: Plan) -> None:
    plan = with_cancellation(hostile_plan)
    file = calendar_file(plan.to_ics())
    frame = file.rows
    assert (file.name, file.zone) == (plan.program.name, "Europe/Berlin")
    assert '"timezone" = "Europe/Berlin"' in file.settings
    assert '"start" = 2027-03-01' in file.settings
    assert list(frame.loc[frame["status"] == "cancelled", "module"]) == ["retired"]
    hostile = frame[frame["module"] == "hostile"].iloc[0]
    assert (hostile["title"], hostile["kind"]) == (TITLE, "content")
    assert (hostile["tags"], hostile["facilitator"]) == (TAGS, FACILITATOR)
    assert len(sessions_from_ics(plan.to_ics())) == len(plan.sessions)


def test_calendar_file_carries_what_check_needs(toronto_plan: Plan, toronto_ics: bytes) -> None:
    rows = calendar_file(toronto_ics).rows
    frame = rows[rows["status"] == "confirmed"].reset_index(drop=True)
    columns = [
        "module",
        "start",
        "end",
        "week",
        "density",
        "pre_service",
        "kind",
        "facilitator",
        "prerequisites",
        "earliest_week",
        "latest_week",
        "final",
    ]
    expected = toronto_plan.sessions.sort_values("start")[columns].reset_index(drop=True)
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
        (lambda d: d.replace(b"SEQUENCE:0", b"SEQUENCE:x", 1), "SEQUENCE 'x', not a whole"),
        (lambda d: d.replace(b"SEQUENCE:0", b"SEQUENCE:-3", 1), "SEQUENCE '-3', not a whole"),
        # 2^31 - 1 is the most an iCalendar INTEGER holds: no room for the next update
        (lambda d: d.replace(b"SEQUENCE:0", b"SEQUENCE:2147483647", 1), "too large to go up"),
        (lambda d: d.replace(b"SEQUENCE:0", b"SEQUENCE:99999999999999999999", 1), "too large"),
        # numbers and times past what a plan holds used to end in a traceback
        (
            lambda d: re.sub(rb"X-CURRICULUM-DENSITY:\d+", b"X-CURRICULUM-DENSITY:" + b"9" * 21, d),
            r"X-CURRICULUM-DENSITY '9{21}', which is not a whole number \(of at most 1,000,000\)",
        ),
        (
            lambda d: re.sub(
                rb"DTEND;TZID=America/Toronto:\d{8}",
                b"DTEND;TZID=America/Toronto:99991231",
                d,
                count=1,
            ),
            "DTEND '99991231T.*', beyond the dates a plan can hold",
        ),
        (
            lambda d: re.sub(rb"DURATION:[A-Z0-9]+", b"DURATION:P99999999D", d),
            "DURATION 'P99999999D', not a session of at most a day",
        ),
    ],
)
def test_sessions_from_ics_rejects_foreign_or_broken_data(
    toronto_ics: bytes, change: object, message: str
) -> None:
    assert callable(change)
    with pytest.raises(ValueError, match=message):
        sessions_from_ics(change(toronto_ics))


def test_a_csv_named_ics_is_named_so_in_a_short_message(toronto_plan: Plan) -> None:
    # Before: the parser's message quoted the CSV's whole header line, twice.
    with pytest.raises(ValueError) as error:
        sessions_from_ics(toronto_plan.to_csv().encode())
    message = str(error.value)
    assert message.startswith("the calendar data (") and "is not an iCalendar file" in message
    assert len(message) < 300 and message.endswith("...")


def test_sessions_from_ics_names_duplicated_modules(toronto_ics: bytes) -> None:
    events = toronto_ics.split(b"BEGIN:VEVENT")
    doubled = b"BEGIN:VEVENT".join([*events[:2], *events[1:]])
    with pytest.raises(ValueError, match="has 2 events"):
        sessions_from_ics(doubled)
