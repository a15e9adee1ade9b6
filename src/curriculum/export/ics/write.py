"""The plan as an RFC 5545 calendar that Google, Outlook, Apple and Thunderbird import.

Choices that keep the file stable and portable:

- Identical plans give identical bytes. Nothing is random or read from the clock: DTSTAMP
  defaults to midnight of the programme's start date in its time zone, as UTC (no session
  is earlier); pass ``stamp`` for another value, e.g. the time of export.
- A UID names the programme and the module (``<programme-slug>.<module>@curriculum``), so
  an event keeps its UID when its module moves; SEQUENCE comes from the plan. The weekly
  ongoing sessions are ``<programme-slug>-ongoing@curriculum`` (no dot: never a module's).
- Local times carry TZID and the calendar holds a VTIMEZONE from
  `curriculum.export.ics.vtimezone` (RRULEs, never multi-valued RDATEs). UTC programmes use
  ``Z`` times.
- Catalog text is escaped by `curriculum.export.ics.text`, never trusted to icalendar's
  defaults; control characters are dropped. The session's data also rides along in
  X-CURRICULUM-* properties (module, kind, facilitator, week, density, pre-service) for
  `curriculum.export.ics.read`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
from icalendar import Alarm, Calendar, Event, vCategory

from curriculum.cells import cell_text
from curriculum.export.atomic import write_atomically
from curriculum.export.ics.text import EscapedText, clean
from curriculum.export.ics.vtimezone import vtimezone
from curriculum.frames import SESSION_COLUMNS
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.units import WEEKDAY_NAMES

PRODID = "-//curriculum//Training plan//EN"
UID_DOMAIN = "curriculum"
UNASSIGNED = "unassigned"
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu"})
_RESERVED_FILE_NAMES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


@dataclass(frozen=True)
class _Context:
    """What every event of one export shares."""

    program: Program
    zone: tzinfo
    stamp: datetime
    remind: timedelta | None


def plan_to_ics(
    sessions: pd.DataFrame,
    cancelled: pd.DataFrame,
    program: Program,
    catalog: Catalog,
    path: str | Path | None = None,
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> bytes:
    """A plan as an iCalendar file: its sessions, cancellations and ongoing sessions.

    Parameters
    ----------
    sessions, cancelled, program, catalog
        The plan's frames (`Plan.sessions`, `Plan.cancelled`) and its inputs.
    path
        Where to write the file (atomically); nothing is written when None.
    remind
        How long before each event a reminder (VALARM) pops up; none when None.
    stamp
        DTSTAMP of every event (timezone-aware); by default midnight of the programme's
        start date, so that the same plan always gives the same bytes.

    Returns
    -------
    bytes
        The calendar, CRLF line ends, lines folded at 75 octets.
    """
    context = _context(program, remind, stamp)
    sessions, cancelled = _frames(sessions, cancelled)
    events = [
        *_session_events(sessions, context),
        *_cancelled_events(cancelled, context),
        *_optional(_ongoing_event(context)),
    ]
    data = _calendar(program.name, events, context)
    if path is not None:
        write_atomically(path, data)
    return data


def plan_calendars_by_facilitator(
    sessions: pd.DataFrame,
    cancelled: pd.DataFrame,
    program: Program,
    catalog: Catalog,
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> dict[str, bytes]:
    """One calendar per facilitator (sessions without one under ``"unassigned"``).

    Each holds that facilitator's sessions and the cancellations of their modules, with the
    same UIDs as `plan_to_ics`; the programme-wide ongoing sessions are left out.
    """
    context = _context(program, remind, stamp)
    sessions, cancelled = _frames(sessions, cancelled)
    session_owner = sessions["facilitator"].map(_facilitator)
    cancelled_owner = pd.Series(
        [_catalog_facilitator(catalog, module) for module in cancelled["module"]],
        index=cancelled.index,
        dtype=object,
    )
    calendars = {}
    for who in sorted(set(session_owner) | set(cancelled_owner)):
        events = [
            *_session_events(sessions[session_owner == who], context),
            *_cancelled_events(cancelled[cancelled_owner == who], context),
        ]
        calendars[who] = _calendar(f"{program.name} — {who}", events, context)
    return calendars


def write_by_facilitator(
    sessions: pd.DataFrame,
    cancelled: pd.DataFrame,
    program: Program,
    catalog: Catalog,
    folder: str | Path,
    *,
    remind: timedelta | None = None,
    stamp: datetime | None = None,
) -> list[Path]:
    """Write `plan_calendars_by_facilitator` to ``folder/<facilitator>.ics``, atomically.

    File names are `slug`s of the names (lower-case ASCII letters, digits and ``-``); two
    facilitators whose names give the same file name get ``-2``, ``-3``, ... appended.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    calendars = plan_calendars_by_facilitator(
        sessions, cancelled, program, catalog, remind=remind, stamp=stamp
    )
    paths = []
    for stem, data in zip(_unique_stems(calendars), calendars.values()):
        path = target / f"{stem}.ics"
        write_atomically(path, data)
        paths.append(path)
    return paths


def event_uid(program_name: str, module: str) -> str:
    """The UID of a module's event: stable for a programme, whenever the module is taught."""
    return f"{slug(program_name)}.{module}@{UID_DOMAIN}"


def ongoing_uid(program_name: str) -> str:
    """The UID of the programme's weekly ongoing sessions."""
    return f"{slug(program_name)}-ongoing@{UID_DOMAIN}"


def slug(text: str, *, fallback: str = "programme") -> str:
    """Lower-case ASCII letters, digits and ``-`` ('Peer Training (2027)' -> 'peer-training-2027').

    Text with no ASCII letter or digit gives `fallback` and a short hash of the text.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")
    if words:
        return words
    return f"{fallback}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def _frames(sessions: pd.DataFrame, cancelled: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sessions, one per module, and cancellations of modules no longer scheduled.

    A module that is scheduled again supersedes its cancellation (they share a UID).
    """
    counts = sessions["module"].value_counts()
    if (counts > 1).any():
        module = counts.index[0]
        raise ValueError(
            f"module '{module}' has {counts.iloc[0]} sessions; the calendar gives each "
            "module one event, so the plan must schedule it once"
        )
    live = cancelled[~cancelled["module"].isin(sessions["module"])]
    latest = live.sort_values("sequence", kind="stable").drop_duplicates("module", keep="last")
    return sessions, latest


# -- events -----------------------------------------------------------------------------


def _context(program: Program, remind: timedelta | None, stamp: datetime | None) -> _Context:
    if remind is not None and remind < timedelta(0):
        raise ValueError(f"remind must be a duration of 0 or more before the start, not {remind}")
    zone = _zone(program.timezone)
    if stamp is None:
        stamp = datetime.combine(program.start, time(0), tzinfo=zone)
    elif stamp.tzinfo is None or stamp.utcoffset() is None:
        raise ValueError(f"stamp {stamp} has no time zone; give e.g. datetime.now(timezone.utc)")
    return _Context(program, zone, stamp.astimezone(timezone.utc), remind)


def _zone(name: str) -> tzinfo:
    """The programme's zone; UTC ones as `timezone.utc`, which writes ``Z`` times."""
    return timezone.utc if name in UTC_NAMES else ZoneInfo(name)


def _session_events(sessions: pd.DataFrame, context: _Context) -> Iterator[Event]:
    for row in _records(sessions):
        event = _event(event_uid(context.program.name, str(row["module"])), row, context)
        event.add("description", EscapedText(_description(row)))
        event.add("categories", _categories(row))
        _add_location(event, cell_text(row.get("location")) or context.program.location)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        _add_facts(event, row)
        _add_alarm(event, context)
        yield event


def _add_facts(event: Event, row: Mapping[str, object]) -> None:
    """The session's data as X-CURRICULUM-* properties, so that `ics_read` gets it back."""
    event.add("x-curriculum-module", EscapedText(str(row["module"])))
    for column in (
        "kind",
        "facilitator",
        "week",
        "density",
        "pre_service",
        "evidence",
        "description",
    ):
        value = row.get(column)
        if cell_text(value):
            text = str(value).lower() if isinstance(value, bool) else cell_text(value)
            event.add(f"x-curriculum-{column.replace('_', '-')}", EscapedText(text))


def _cancelled_events(cancelled: pd.DataFrame, context: _Context) -> Iterator[Event]:
    for row in _records(cancelled):
        event = _event(event_uid(context.program.name, str(row["module"])), row, context)
        _add_location(event, context.program.location)
        event.add("status", "CANCELLED")
        event.add("transp", "TRANSPARENT")
        event.add("x-curriculum-module", EscapedText(str(row["module"])))
        yield event


def _event(uid: str, row: Mapping[str, object], context: _Context) -> Event:
    """UID, DTSTAMP, SEQUENCE, DTSTART, DTEND and SUMMARY of a session row."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", context.stamp)
    event.add("sequence", int(_number(row.get("sequence"))))
    event.add("dtstart", _local(row["start"], context.zone))
    event.add("dtend", _local(row["end"], context.zone))
    event.add("summary", EscapedText(cell_text(row.get("title"))))
    return event


def _ongoing_event(context: _Context) -> Event | None:
    """The weekly ongoing sessions as one event with RRULE, holidays as EXDATE."""
    program, ongoing = context.program, context.program.ongoing
    dates = ongoing_dates(program)
    skipped = [day for day in dates if day in set(program.holidays)]
    if ongoing is None or len(skipped) == len(dates):
        return None
    start = datetime.combine(dates[0], ongoing.start, tzinfo=context.zone)
    end = start + timedelta(minutes=round(ongoing.hours * 60))
    row = {"start": start, "end": end, "title": ongoing.title}
    event = _event(ongoing_uid(program.name), row, context)
    _add_recurrence(event, dates[-1], skipped, ongoing.start, context.zone)
    description = _ongoing_description(dates[0], dates[-1], skipped, ongoing.start)
    event.add("description", EscapedText(description))
    event.add("categories", _category_list(["ongoing"]))
    _add_location(event, program.location)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    _add_alarm(event, context)
    return event


def _add_recurrence(event: Event, last: date, skipped: list[date], at: time, zone: tzinfo) -> None:
    """Weekly until the last start (in UTC, as RFC 5545 wants with a TZID start); one
    EXDATE per skipped date, at the local start time in the same zone as DTSTART."""
    until = datetime.combine(last, at, tzinfo=zone).astimezone(timezone.utc)
    event.add("rrule", {"FREQ": "WEEKLY", "UNTIL": until})
    for day in skipped:
        event.add("exdate", datetime.combine(day, at, tzinfo=zone))


def ongoing_dates(program: Program) -> list[date]:
    """Dates of the weekly ongoing sessions, holidays included; [] when there are none.

    The first is on the ongoing weekday in the week duties start (week 1 when unset), not
    before the programme's start; the last is on or before `Program.ongoing_until`.
    """
    if program.ongoing is None:
        return []
    week = program.duties.start_week or 1
    first = program.first_monday + timedelta(weeks=week - 1, days=program.ongoing.weekday)
    if first < program.start:
        first += timedelta(weeks=1)
    count = (program.ongoing_until - first).days // 7 + 1
    return [first + timedelta(weeks=i) for i in range(max(count, 0))]


def _ongoing_description(first: date, last: date, skipped: list[date], start: time) -> str:
    weekday = WEEKDAY_NAMES[first.weekday()]
    lines = [f"Every {weekday} at {start:%H:%M}, from {first} to {last}."]
    if skipped:
        lines.append("No session on " + ", ".join(str(day) for day in skipped) + " (holiday).")
    return "\n".join(lines)


def _description(row: Mapping[str, object]) -> str:
    """The module's description, then one readable line per fact."""
    facts = [
        ("Kind", cell_text(row.get("kind"))),
        ("Tags", ", ".join(_tags(row))),
        ("Week", cell_text(row.get("week"))),
        ("Facilitator", cell_text(row.get("facilitator"))),
        ("Evidence", cell_text(row.get("evidence"))),
        *((str(name), cell_text(row[name])) for name in row if name not in SESSION_COLUMNS),
    ]
    lines = "\n".join(f"{label}: {value}" for label, value in facts if value)
    text = cell_text(row.get("description"))
    return f"{text}\n\n{lines}" if text else lines


def _categories(row: Mapping[str, object]) -> vCategory:
    """Tags, then the kind, each once (a comma inside a tag is escaped, not split)."""
    values = [*_tags(row), cell_text(row.get("kind"))]
    return _category_list(list(dict.fromkeys(clean(value) for value in values if value)))


def _category_list(values: list[str]) -> vCategory:
    categories = vCategory(values)
    categories.cats = [EscapedText(value) for value in values]
    return categories


def _tags(row: Mapping[str, object]) -> list[str]:
    return [tag.strip() for tag in cell_text(row.get("tags")).split(";") if tag.strip()]


def _add_location(event: Event, location: str) -> None:
    if location:
        event.add("location", EscapedText(location))


def _add_alarm(event: Event, context: _Context) -> None:
    """A display reminder `context.remind` before the start."""
    if context.remind is None:
        return
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -context.remind)
    alarm.add("description", EscapedText(str(event["summary"]) or "Training session"))
    event.add_component(alarm)


# -- calendar ---------------------------------------------------------------------------


def _calendar(name: str, events: list[Event], context: _Context) -> bytes:
    """VCALENDAR with the header properties, the zone's VTIMEZONE and the events."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", EscapedText(name))
    calendar.add("x-wr-calname", EscapedText(name))
    days = sorted(day for event in events for day in _days(event, context.zone))
    if days and isinstance(context.zone, ZoneInfo):
        calendar.add_component(vtimezone(context.zone.key, days[0], days[-1]))
    for event in events:
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def _days(event: Event, zone: tzinfo) -> list[date]:
    """Local dates an event touches at its ends (and its recurrence's last start)."""
    moments: list[object] = [event.start, event.end, *(rule.get("UNTIL") for rule in event.rrules)]
    return [moment.astimezone(zone).date() for moment in moments if isinstance(moment, datetime)]


# -- small helpers ------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as dicts, in time order (then module), so the output is deterministic."""
    if frame.empty:
        return []
    ordered = frame.sort_values(["start", "module"], kind="stable")
    return [{str(k): v for k, v in row.items()} for row in ordered.to_dict("records")]


def _local(value: object, zone: tzinfo) -> datetime:
    """A timezone-aware time (Timestamp or datetime) in the programme's zone."""
    moment = pd.Timestamp(value)  # type: ignore[arg-type]
    if moment.tzinfo is None:
        raise ValueError(f"session time {moment} has no time zone")
    utc: datetime = moment.tz_convert("UTC").to_pydatetime()
    return utc.astimezone(zone)


def _number(value: object) -> float:
    text = cell_text(value)
    return float(text) if text else 0.0


def _facilitator(value: object) -> str:
    return cell_text(value).strip() or UNASSIGNED


def _catalog_facilitator(catalog: Catalog, module: object) -> str:
    name = str(module)
    return _facilitator(catalog[name].facilitator) if name in catalog else UNASSIGNED


def _unique_stems(names: Iterable[str]) -> list[str]:
    """Safe, distinct file names (without .ics) for facilitators."""
    stems: list[str] = []
    for name in names:
        stem = slug(name, fallback="facilitator")
        if stem in _RESERVED_FILE_NAMES:
            stem = f"{stem}-calendar"
        candidate, n = stem, 1
        while candidate in stems:
            n += 1
            candidate = f"{stem}-{n}"
        stems.append(candidate)
    return stems


def _optional(event: Event | None) -> list[Event]:
    return [] if event is None else [event]
