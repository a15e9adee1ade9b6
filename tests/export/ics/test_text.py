"""iCalendar TEXT: escaped exactly as RFC 5545 says, control characters dropped, line breaks
kept, so that any printable text round-trips and none can inject a property."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from curriculum import Plan
from curriculum.export.ics.text import EscapedText, clean
from tests.export.ics.calendars import icalendar_events


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


def test_clean_keeps_line_breaks_and_tabs_and_drops_other_control_characters() -> None:
    # CR LF and a lone CR become LF; NUL, BEL, ESC and DEL go; a tab is allowed in TEXT
    assert clean("a\r\nb\rc\x00d\x07e\tf\x1bg\x7fh") == "a\nb\ncde\tfgh"
    assert EscapedText("x\x00y\r\nz").to_ical() == b"xy\\nz"
