"""What publishing a plan to one calendar changes: the plan's events against those on the
server, with no request of its own.

An event is recognised as this plan's by its UID alone (`owns_uid`: the cohort's and the
organizer's domain; a facilitator's calendar across cohorts holds several plans' events);
every other event in the calendar is someone else's and is left alone. One of the plan's events is up to date when the server holds the same content
(its X-CURRICULUM-FINGERPRINT), the same status and a SEQUENCE at least the plan's:
publishing the same plan twice then changes nothing. Otherwise:

- create: the plan has it and the server does not (a cancellation the server never had
  is not created);
- update: what it shows changed; it goes up with the plan's SEQUENCE, or one above the
  server's when that is not already higher (calendar clients ignore an update whose
  SEQUENCE is not above what they have);
- cancel: the plan cancels it (a re-plan removed its module, or it left a facilitator's
  calendar), or it is one of this cohort's events that the plan no longer has at all; the
  server's own version is then marked STATUS:CANCELLED, so it stays visible as such.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from icalendar import Component, Event

from curriculum.export.caldav.server import RemoteEvent
from curriculum.export.ics.events import owns_uid
from curriculum.export.ics.write import event_resource
from curriculum.frames import PlanData

ACTIONS = ("create", "update", "cancel")


@dataclass(frozen=True)
class Change:
    """One write to the calendar: a new event, a changed one or a cancellation."""

    action: str  # one of ACTIONS
    uid: str
    summary: str
    start: datetime | None
    sequence: int
    body: bytes  # the calendar object resource to write
    remote: RemoteEvent | None  # the server's version (None: a new event)


@dataclass(frozen=True)
class CalendarChanges:
    """What publishing changes in one calendar."""

    name: str
    changes: tuple[Change, ...]
    unchanged: int  # the plan's events already up to date there
    others: int  # events someone else put there: left alone

    def count(self, action: str) -> int:
        """How many changes of one kind ('create', 'update', 'cancel')."""
        return sum(change.action == action for change in self.changes)


def calendar_changes(
    plans: Sequence[PlanData],
    name: str,
    wanted: list[Event],
    remote: list[RemoteEvent],
    stamp: datetime,
) -> CalendarChanges:
    """The changes that bring the calendar `name` from `remote` (what the server holds) to
    `wanted` (the events of `plans` for it, stamped with DTSTAMP, SEQUENCE and fingerprint);
    `stamp` is the DTSTAMP of a cancellation the plans do not hold."""
    on_server = {event.uid: event for event in remote}
    changes: list[Change] = []
    unchanged = 0
    for event in wanted:
        uid = str(event["UID"])
        found = on_server.get(uid)
        if found is None:
            if _status(event) != "CANCELLED":
                changes.append(_change(_plan_of(plans, uid), "create", event, None))
            continue
        change = _difference(_plan_of(plans, uid), event, found)
        if change is None:
            unchanged += 1
        else:
            changes.append(change)
    planned = {str(event["UID"]) for event in wanted}
    others = 0
    for found in remote:
        if found.uid in planned:
            continue
        if not any(owns_uid(data.program, found.uid) for data in plans):
            others += 1
        elif _status(found.event) == "CANCELLED":
            unchanged += 1
        else:
            changes.append(_withdrawn(found, stamp))
    return CalendarChanges(name, tuple(changes), unchanged, others)


def _plan_of(plans: Sequence[PlanData], uid: str) -> PlanData:
    """The plan whose event this is (its VTIMEZONE goes with it)."""
    return next(data for data in plans if owns_uid(data.program, uid))


def _difference(data: PlanData, event: Event, found: RemoteEvent) -> Change | None:
    """The change that brings the server's version of an event to the plan's, if any."""
    theirs = found.event
    same = str(theirs.get("X-CURRICULUM-FINGERPRINT", "")) == str(
        event["X-CURRICULUM-FINGERPRINT"]
    ) and _status(theirs) == _status(event)
    ours, their_sequence = _sequence(event), _sequence(theirs)
    if same and their_sequence >= ours:
        return None
    sequence = ours if same else max(ours, their_sequence + 1)
    written = event
    if sequence != ours:
        written = copy.deepcopy(event)
        written.pop("SEQUENCE")
        written.add("sequence", sequence)
    cancelling = _status(event) == "CANCELLED" and _status(theirs) != "CANCELLED"
    return _change(data, "cancel" if cancelling else "update", written, found)


def _withdrawn(found: RemoteEvent, stamp: datetime) -> Change:
    """One of the cohort's events the plan no longer has: the server's version, cancelled,
    one SEQUENCE up, alone in its resource with the server's VTIMEZONEs."""
    event = copy.deepcopy(found.event)
    sequence = _sequence(event) + 1
    for name in ("STATUS", "TRANSP", "SEQUENCE", "DTSTAMP"):
        event.pop(name, None)
    event.subcomponents = [c for c in event.subcomponents if c.name != "VALARM"]
    event.add("dtstamp", stamp)
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    event.add("sequence", sequence)
    calendar = copy.deepcopy(found.calendar)
    calendar.subcomponents = [c for c in calendar.subcomponents if c.name != "VEVENT"]
    calendar.add_component(event)
    return _details("cancel", event, calendar.to_ical(), found)


def _change(data: PlanData, action: str, event: Event, remote: RemoteEvent | None) -> Change:
    return _details(action, event, event_resource(data, event), remote)


def _details(action: str, event: Component, body: bytes, remote: RemoteEvent | None) -> Change:
    start = event.get("DTSTART")
    moment = start.dt if start is not None and isinstance(start.dt, datetime) else None
    return Change(
        action,
        str(event["UID"]),
        str(event.get("SUMMARY", "")),
        moment,
        _sequence(event),
        body,
        remote,
    )


def _status(event: Component) -> str:
    return str(event.get("STATUS", "CONFIRMED")).upper()


def _sequence(event: Component) -> int:
    try:
        return int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return 0
