"""iCalendar TEXT: escaped exactly as RFC 5545 says, control characters dropped, line breaks
of every kind kept as line breaks, so that any printable text round-trips and none can
inject a property."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from curriculum import Plan
from curriculum.characters import plain
from curriculum.export.ics.text import EscapedText
from tests.export.ics.calendars import icalendar_events


def test_control_characters_are_dropped_and_line_breaks_kept(hostile_plan: Plan) -> None:
    sessions = hostile_plan.sessions.assign(description="a\r\nb\rc\x00d\x07e\tf")
    plan = Plan(hostile_plan.catalog, hostile_plan.program, sessions)
    assert plan.check() == []
    descriptions = [str(e["DESCRIPTION"]) for e in icalendar_events(plan.to_ics())]
    assert all(d.startswith("a\nb\ncde\tf\n\n") for d in descriptions[:-1])


@settings(max_examples=40, deadline=None)
@example(title="C:\\New \\N \\n", description="\\\\N;, \\")  # icalendar alone breaks these
@example(title="a\u2028b", description="c\u2029d\x85e")
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
    # U+2028, U+2029 and the like come back as the line breaks they are
    assert {str(e["SUMMARY"]) for e in events} == {plain(title)}
    for event in events:
        written = plain(description)
        assert str(event["DESCRIPTION"]).startswith(f"{written}\n\n" if written else "Kind")


# By RFC 5545 (3.3.11), TEXT escapes a backslash as "\\", ";" as "\;", "," as "\," and a
# line break as "\n"; the backslash first, or the others' backslashes would double.
@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("plain words", b"plain words"),
        ("C:\\New", b"C:\\\\New"),  # a literal backslash-N stays two characters
        ("a;b,c", b"a\\;b\\,c"),
        ("one\ntwo", b"one\\ntwo"),
        ("café 🌱", "café 🌱".encode()),
        ("BEGIN:VEVENT\nUID:evil", b"BEGIN:VEVENT\\nUID:evil"),  # stays on one line
    ],
)
def test_text_is_escaped_as_rfc_5545_says(text: str, escaped: bytes) -> None:
    assert EscapedText(text).to_ical() == escaped


def test_unicode_line_separators_are_escaped_not_written_raw(hostile_plan: Plan) -> None:
    # a reader that splits lines on U+2028, U+2029 or NEL would start a new property
    sessions = hostile_plan.sessions.assign(title="A\u2028B", description="C\u2029D\x85E")
    plan = Plan(hostile_plan.catalog, hostile_plan.program, sessions)
    assert plan.check() == []
    data = plan.to_ics()
    assert not {"\u2028", "\u2029", "\x85"} & set(data.decode("utf-8"))
    assert b"SUMMARY:A\\nB" in data and b"C\\nD\\nE" in data
    assert EscapedText("x\x00y\r\nz\u2028w").to_ical() == b"xy\\nz\\nw"
