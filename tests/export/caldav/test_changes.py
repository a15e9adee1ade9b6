"""What publishing changes (export/caldav/changes.py), worked out from a plan and what a
server holds, with no server: the server's events are made here as calendar object
resources, as a server would return them.

The plans are `two_versions()` (tests/builders.py): version 1 has a (Tue w1), b (Thu w1)
and d (Tue w2); version 2 keeps a, moves b to Thu w2, drops d and adds c.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone

from icalendar import Calendar, Event

from curriculum import Plan
from curriculum.export.caldav.changes import calendar_changes
from curriculum.export.caldav.server import RemoteEvent
from curriculum.export.ics.events import event_uid
from curriculum.export.ics.ledger import renumbered
from curriculum.export.ics.write import event_resource, stamped
from tests.builders import two_versions

STAMP = datetime(2027, 1, 1, tzinfo=timezone.utc)


def wanted(plan: Plan) -> list[Event]:
    return [e.event for e in stamped(plan, None, STAMP)]


def on_server(plan: Plan, events: list[Event] | None = None) -> list[RemoteEvent]:
    """The plan's events as a server holds them after a publish (one resource each)."""
    return [
        RemoteEvent(f"/cal/{i}.ics", f'"etag-{i}"', Calendar.from_ical(event_resource(plan, e)))
        for i, e in enumerate(events if events is not None else wanted(plan))
    ]


def with_sequence(event: Event, sequence: int) -> Event:
    changed = copy.deepcopy(event)
    changed.pop("SEQUENCE")
    changed.add("sequence", sequence)
    return changed


def test_what_the_server_already_holds_is_unchanged() -> None:
    first, _ = two_versions()
    found = calendar_changes([first], "T", wanted(first), on_server(first), STAMP)
    assert (found.changes, found.unchanged, found.others) == ((), 3, 0)


def test_a_re_plan_updates_the_moved_cancels_the_dropped_and_creates_the_new() -> None:
    first, second = two_versions()
    published = renumbered(first, first)
    second = renumbered(second, published)
    found = calendar_changes([second], "T", wanted(second), on_server(published), STAMP)
    actions = {change.uid: (change.action, change.sequence) for change in found.changes}
    uid = {m: event_uid(second.program, m) for m in "abcd"}
    # b moved and d was dropped: one SEQUENCE up each (0 -> 1); c is new (0); a unchanged
    assert actions == {uid["b"]: ("update", 1), uid["d"]: ("cancel", 1), uid["c"]: ("create", 0)}
    assert found.unchanged == 1
    assert all(change.remote is not None for change in found.changes if change.action != "create")


def test_sequence_never_goes_below_the_servers() -> None:
    first, _ = two_versions()
    events = wanted(first)
    a_event, b_event, d_event = events
    server = on_server(
        first,
        [
            with_sequence(a_event, 4),  # same content, server ahead: nothing to do
            with_sequence(b_event, -1),  # same content, server behind: catch up to 0
            with_sequence(d_event, 0),
        ],
    )
    moved = copy.deepcopy(d_event)  # the plan changed d, but the server already has 0
    moved.pop("SUMMARY")
    moved.add("summary", "Renamed")
    moved.pop("X-CURRICULUM-FINGERPRINT")
    moved.add("x-curriculum-fingerprint", "0123456789abcdef")
    found = calendar_changes([first], "T", [a_event, b_event, moved], server, STAMP)
    assert [(c.uid, c.action, c.sequence) for c in found.changes] == [
        (str(b_event["UID"]), "update", 0),
        (str(d_event["UID"]), "update", 1),  # one above the server's 0, not the plan's 0
    ]
    assert found.unchanged == 1


def test_other_events_are_counted_and_the_cohorts_own_leftovers_cancelled() -> None:
    first, _ = two_versions()
    events = wanted(first)
    foreign = copy.deepcopy(events[0])
    foreign.pop("UID")
    foreign.add("uid", "dentist-1@example.org")
    gone = with_sequence(events[2], 2)  # d: the cohort's, absent from the plan below
    already = copy.deepcopy(events[1])  # b: the cohort's, absent, already cancelled
    already.pop("STATUS")
    already.add("status", "CANCELLED")
    server = on_server(first, [events[0], foreign, gone, already])
    found = calendar_changes([first], "T", events[:1], server, STAMP)
    assert found.others == 1
    assert found.unchanged == 2  # a, and b already cancelled
    (change,) = found.changes
    assert (change.uid, change.action, change.sequence) == (str(gone["UID"]), "cancel", 3)
    written = Calendar.from_ical(change.body)
    (event,) = written.walk("VEVENT")
    assert (str(event["STATUS"]), int(event["SEQUENCE"])) == ("CANCELLED", 3)
    assert event.decoded("DTSTAMP") == STAMP
    assert event.decoded("DTSTART") == gone.decoded("DTSTART")  # still where it was


def test_a_cancellation_the_server_never_had_is_not_created() -> None:
    first, second = two_versions()
    second = renumbered(second, renumbered(first, first))
    found = calendar_changes([second], "T", wanted(second), [], STAMP)
    assert sorted(c.uid for c in found.changes) == sorted(
        event_uid(second.program, m) for m in "abc"
    )
    assert {c.action for c in found.changes} == {"create"}
