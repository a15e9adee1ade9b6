"""A plan as an RFC 5545 calendar that Google, Outlook, Apple and Thunderbird import.

The events come from `events` (what each one shows) and their SEQUENCE from `ledger`; this
module adds what belongs to one export: DTSTAMP (the time of export in UTC, or
`SOURCE_DATE_EPOCH` for reproducible files), reminders, the VTIMEZONE (from `vtimezone`:
RRULEs, never multi-valued RDATEs) and, when the programme names an organizer, ORGANIZER
on every event and METHOD:PUBLISH (without one, a plain calendar with no METHOD, as iTIP
requires an organizer).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from curriculum.cells import name_key, slug
from curriculum.export.atomic import write_all_atomically, write_atomically
from curriculum.export.ics.events import (
    PlanEvent,
    calendar_span,
    calendar_zone,
    plan_events,
)
from curriculum.export.ics.ledger import ledger, names_of
from curriculum.export.ics.text import EscapedText
from curriculum.export.ics.vtimezone import vtimezone
from curriculum.frames import PlanData
from curriculum.inputs.program_toml import program_to_toml

PRODID = "-//curriculum//Training plan//EN"
FREEZE_PROPERTY = "X-CURRICULUM-FREEZE-BEFORE"  # a re-plan's freeze date (`PlanData`)
# whose calendar (`--by facilitator`) this is: their sessions alone, so not a whole plan
FACILITATOR_PROPERTY = "X-CURRICULUM-FACILITATOR-CALENDAR"
_RESERVED_FILE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def plan_to_ics(
    data: PlanData,
    path: str | Path | None = None,
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """A plan as an iCalendar file: its sessions, cancellations and weekly series.

    Parameters
    ----------
    data
        The plan (`Plan` or its `PlanData`).
    path
        Where to write the file (atomically); nothing is written when None.
    remind
        How long before each event a reminder (VALARM) pops up; none when None.
    stamp
        DTSTAMP of every event (timezone-aware); by default `SOURCE_DATE_EPOCH` when set,
        else now.

    Returns
    -------
    bytes
        The calendar, CRLF line ends, lines folded at 75 octets.
    """
    events = stamped(data, remind, stamp)
    payload = _calendar(data, data.program.name, events)
    if path is not None:
        write_atomically(path, payload)
    return payload


def calendars_by_facilitator(
    data: PlanData, *, remind: timedelta | None = None, stamp: datetime | None = None
) -> dict[str, bytes]:
    """One calendar per facilitator (sessions nobody leads under ``"unassigned"``).

    Each holds that facilitator's sessions, the weekly series when `[ongoing] facilitator`
    names them, and a
    cancellation for every event that was in their calendar and is no longer theirs (a
    module that moved to someone else, or was removed); UIDs and SEQUENCE as `plan_to_ics`.
    """
    events = stamped(data, remind, stamp)
    return {
        who: _calendar(data, f"{data.program.name} — {who}", mine, facilitator=who)
        for who, mine in facilitator_events(data, events).items()
    }


def facilitator_events(data: PlanData, events: list[PlanEvent]) -> dict[str, list[Event]]:
    """Each facilitator's events (by name, sorted): theirs, and a cancelled copy of every
    event that was in their calendar (the ledger says so) and is no longer theirs."""
    events_so_far = ledger(data, events)
    calendars_of = {
        uid: names_of(text) for uid, text in zip(events_so_far["uid"], events_so_far["calendars"])
    }
    owners = {event.owner for event in events} | {
        who for names in calendars_of.values() for who in names
    }
    found = {}
    for who in sorted(owners - {""}):
        mine = []
        for event in events:
            had = who in calendars_of.get(event.uid, [])
            if event.owner == who:
                mine.append(event.event)
            elif had:
                mine.append(cancelled_copy(event.event))
        if mine:
            found[who] = mine
    return found


def event_resource(data: PlanData, event: Event) -> bytes:
    """One event as a CalDAV calendar object resource (RFC 4791, section 4.1): a calendar
    holding that event's UID only, with its VTIMEZONE and no METHOD."""
    return _calendar(data, "", [event], resource=True)


def write_by_facilitator(
    data: PlanData,
    folder: str | Path,
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> list[Path]:
    """Write `calendars_by_facilitator` to ``folder/<facilitator>.ics``, as a set (all or
    none, each atomically); the paths."""
    files = facilitator_files(data, folder, remind=remind, stamp=stamp)
    Path(folder).mkdir(parents=True, exist_ok=True)
    write_all_atomically(files)
    return list(files)


def facilitator_files(
    data: PlanData,
    folder: str | Path,
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> dict[Path, bytes]:
    """`calendars_by_facilitator` as ``folder/<facilitator>.ics`` paths and their bytes.

    File names are `slug`s of the names (lower-case ASCII letters, digits and ``-``); two
    facilitators whose names give the same file name get ``-2``, ``-3``, ... appended.
    """
    calendars = calendars_by_facilitator(data, remind=remind, stamp=stamp)
    return named_files(calendars, folder, "facilitator")


def export_stamp(stamp: datetime | None = None) -> datetime:
    """DTSTAMP: `stamp`, else `SOURCE_DATE_EPOCH` (reproducible builds), else now; in UTC."""
    if stamp is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
        if epoch.isdigit():
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        return datetime.now(timezone.utc).replace(microsecond=0)
    if not isinstance(stamp, datetime) or stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError(f"stamp {stamp} has no time zone; give e.g. datetime.now(timezone.utc)")
    return stamp.astimezone(timezone.utc)


def stamped(data: PlanData, remind: timedelta | None, stamp: datetime | None) -> list[PlanEvent]:
    """The plan's events (`plan_events`) with DTSTAMP, SEQUENCE, fingerprint and reminder."""
    if remind is not None and (not isinstance(remind, timedelta) or remind < timedelta(0)):
        raise ValueError(
            "remind must be a duration of 0 or more before the start, such as "
            f"timedelta(minutes=30), not {remind!r}"
        )
    moment = export_stamp(stamp)
    events = plan_events(data)
    events_so_far = ledger(data, events)
    sequence = dict(zip(events_so_far["uid"], events_so_far["sequence"]))
    calendars = dict(zip(events_so_far["uid"], events_so_far["calendars"]))
    for plan_event in events:  # made just now, for this export alone: stamped in place
        event = plan_event.event
        event.add("dtstamp", moment)
        event.add("sequence", int(sequence.get(plan_event.uid, 0)))
        event.add("x-curriculum-fingerprint", plan_event.fingerprint)
        # the facilitators' calendars it went into, so that a re-plan read from this file
        # still cancels it in each of them
        event.add("x-curriculum-calendars", calendars.get(plan_event.uid, "[]"))
        if remind is not None and plan_event.status == "confirmed":
            _add_alarm(event, remind)
    return events


def cancelled_copy(event: Event) -> Event:
    """The same event, cancelled (for a calendar it has left)."""
    gone = copy.deepcopy(event)
    for name in ("STATUS", "TRANSP"):
        gone.pop(name, None)
    gone.subcomponents = [c for c in gone.subcomponents if c.name != "VALARM"]
    gone.add("status", "CANCELLED")
    gone.add("transp", "TRANSPARENT")
    return gone


def _add_alarm(event: Event, remind: timedelta) -> None:
    """A display reminder `remind` before the start."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -remind)
    alarm.add("description", EscapedText(str(event["summary"]) or "Training session"))
    event.add_component(alarm)


def _calendar(
    data: PlanData,
    name: str,
    events: Iterable[PlanEvent | Event],
    *,
    resource: bool = False,
    facilitator: str = "",
) -> bytes:
    """VCALENDAR with the header properties, the zone's VTIMEZONE and the events (for a
    server's `resource`, only what RFC 4791 allows there: no METHOD, no calendar name);
    `facilitator`: the one whose calendar it is, if it is one person's."""
    header: list[tuple[str, object]] = []
    if not resource:
        if data.program.organizer_address is not None:
            header.append(("method", "PUBLISH"))
        header += _names(name, facilitator)
        header.append(("x-curriculum-programme", EscapedText(program_to_toml(data.program))))
        if data.freeze_before is not None:
            header.append((FREEZE_PROPERTY, EscapedText(data.freeze_before.isoformat())))
    return _assembled(events, [calendar_zone(data.program)], header)


def _names(name: str, facilitator: str = "") -> list[tuple[str, object]]:
    names: list[tuple[str, object]] = [
        ("name", EscapedText(name)),
        ("x-wr-calname", EscapedText(name)),
    ]
    return [*names, (FACILITATOR_PROPERTY, EscapedText(facilitator))] if facilitator else names


def _assembled(
    events: Iterable[PlanEvent | Event], zones: Iterable[tzinfo], header: list[tuple[str, object]]
) -> bytes:
    """A VCALENDAR: the header properties, a VTIMEZONE per zone and the events."""
    components = [e.event if isinstance(e, PlanEvent) else e for e in events]
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for key, value in header:
        calendar.add(key, value)
    for zone in zones:
        span = calendar_span(components, zone)
        if span and isinstance(zone, ZoneInfo):
            calendar.add_component(vtimezone(zone.key, *span))
    for event in components:
        calendar.add_component(event)
    payload: bytes = calendar.to_ical()
    return payload


def facilitators_across(
    plans: Sequence[PlanData],
    title: str,
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> dict[str, bytes]:
    """One calendar per facilitator with their events from every plan (cohorts planned
    together), each named 'TITLE — NAME', a joint session once (`facilitator_events_across`)."""
    zones: list[tzinfo] = []
    for data in plans:
        zone = calendar_zone(data.program)
        zones += [] if zone in zones else [zone]
    publish = all(data.program.organizer_address is not None for data in plans)
    method: list[tuple[str, object]] = [("method", "PUBLISH")] if publish else []
    mine = facilitator_events_across(plans, remind=remind, stamp=stamp)
    return {
        who: _assembled(events, zones, [*method, *_names(f"{title} — {who}", who)])
        for who, events in mine.items()
    }


def facilitator_events_across(
    plans: Sequence[PlanData],
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> dict[str, list[Event]]:
    """Each facilitator's events from every plan (by name as first spelled, sorted; one
    person whatever the case or spacing of their name, as the model and the checks match
    names), stamped as `stamped`. A session taught to several cohorts at once (the same
    module at the same instants and place, whatever each cohort's title for it or time
    zone), or their weekly ongoing sessions at the same times and place, appear once, as
    the first cohort's event; every other event stays as it is."""
    mine: dict[str, list[Event]] = {}
    spelled: dict[str, str] = {}  # name_key -> the name as first spelled
    seen: set[tuple[object, ...]] = set()
    for data in plans:
        events = stamped(data, remind, stamp)
        module_of = {id(e.event): e.module for e in events}
        for who, found in facilitator_events(data, events).items():
            name = spelled.setdefault(name_key(who), who)
            for event in found:
                key = _joint_session_key(name, module_of.get(id(event)), event)
                if key is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                mine.setdefault(name, []).append(event)
    return dict(sorted(mine.items()))


RECURRENCE = ("RRULE", "EXDATE")  # what makes a repeating event's dates


def _joint_session_key(who: str, module: str | None, event: Event) -> tuple[object, ...] | None:
    """What a session held for several cohorts at once has alike in each cohort's plan: the
    facilitator, the module ('' for the weekly ongoing sessions, whose recurrence must be
    the same too), its status, place and instants; None for an event no other cohort can
    share (a cancelled copy, `module` None)."""
    if module is None:
        return None
    place = name_key(str(event.get("location", "")))
    status = str(event.get("status", ""))
    recurrence = [str(line) for line in event.content_lines() if line.startswith(RECURRENCE)]
    return (who, module, status, place, _in_utc(event.start), _in_utc(event.end), *recurrence)


def _in_utc(moment: object) -> object:
    """An event's start or end as an instant in UTC (as it is when it has no time zone)."""
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment.astimezone(timezone.utc)
    return moment


def named_files(
    calendars: Mapping[str, bytes], folder: str | Path, fallback: str
) -> dict[Path, bytes]:
    """Calendars by name as ``folder/<name>.ics`` paths: `slug`s of the names, distinct
    (``-2``, ``-3``, ... appended), never a reserved device name."""
    stems = _unique_stems(calendars, fallback)
    return {
        Path(folder) / f"{stem}.ics": payload for stem, payload in zip(stems, calendars.values())
    }


def _unique_stems(names: Iterable[str], fallback: str) -> list[str]:
    """Safe, distinct file names (without .ics)."""
    stems: list[str] = []
    for name in names:
        stem = slug(name, fallback=fallback)
        if stem in _RESERVED_FILE_NAMES:
            stem = f"{stem}-calendar"
        candidate, n = stem, 1
        while candidate in stems:
            n += 1
            candidate = f"{stem}-{n}"
        stems.append(candidate)
    return stems
