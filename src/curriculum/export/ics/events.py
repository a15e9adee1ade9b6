"""What each calendar event of a plan shows: its UID, times, text and status, built once
here so that the calendar file, the SEQUENCE numbering and publishing all use the same
content (`fingerprint` hashes it).

Choices that keep events stable and portable:

- A UID names the cohort (`Program.calendar_id`: the programme's name and start, or its
  `id`; a re-plan keeps the previous plan's, `ledger.keeping_uids`) and the module:
  ``<cohort-slug>.<module>@<domain>``, so an event keeps its UID when its module moves,
  and two cohorts never share one. The weekly supervision series is
  ``<cohort-slug>-ongoing@<domain>`` (no dot: never a module's). The domain is the
  organizer's, or ``curriculum.invalid`` (a reserved name: a domain no one owns).
- Local times carry the programme's zone. A time in the hour a fall-back night repeats is
  written in UTC: clients do not agree on which of the two a local time there means.
- The weekly series repeats at its local clock time; a week whose time a daylight-saving
  change skips or repeats is taken out of the rule and added back at its exact instant.
- Catalog text is escaped by `curriculum.export.ics.text`, never trusted to icalendar's
  defaults. The session's data also rides along in X-CURRICULUM-* properties for
  `curriculum.export.ics.read`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pandas as pd
from icalendar import Component, Event, vCalAddress, vCategory

from curriculum.cells import cell_text, slug
from curriculum.characters import plain
from curriculum.export.ics.text import EscapedText
from curriculum.frames import SESSION_COLUMNS, PlanData
from curriculum.inputs.program import UID_DOMAIN, Program
from curriculum.meetings import ongoing_dates
from curriculum.units import WEEKDAY_NAMES, clock_trouble, later, local_instant

DEFAULT_DOMAIN = "curriculum.invalid"
UNASSIGNED = "unassigned"
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu"})
# The session columns an event carries as X-CURRICULUM-* (besides the module), so that
# `read` can give the plan back with what checking it needs.
FACTS = (
    "kind",
    "facilitator",
    "week",
    "density",
    "pre_service",
    "evidence",
    "description",
    "prerequisites",
    "earliest_week",
    "latest_week",
    "final",
    "avoid_weeks",
)
# Shown by a client but not part of what an event says: left out of the fingerprint.
NOT_CONTENT = ("DTSTAMP", "SEQUENCE", "X-CURRICULUM-FINGERPRINT", "X-CURRICULUM-CALENDARS")


@dataclass(frozen=True)
class PlanEvent:
    """One calendar event of a plan: its content (no DTSTAMP, SEQUENCE or reminder yet),
    and the `fingerprint` of that content, taken once when the event is made (stamping
    the event for an export leaves it as it was)."""

    uid: str
    module: str  # '' for the weekly series
    owner: str  # the facilitator whose calendar it belongs in ('' for none)
    event: Event
    fingerprint: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", fingerprint(self.event))

    @property
    def status(self) -> str:
        """'confirmed' or 'cancelled'."""
        return str(self.event.get("STATUS", "CONFIRMED")).lower()


def fingerprint(event: Component) -> str:
    """A short hash of an event's properties as written (unfolded), without the ones that
    only say when and in which version it was written."""
    lines = [
        str(line)
        for line in event.content_lines()
        if line and line.split(":", 1)[0].split(";", 1)[0].upper() not in NOT_CONTENT
    ]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def plan_events(data: PlanData) -> list[PlanEvent]:
    """Every event of a plan: its sessions, its cancelled modules, its weekly series.

    A module that is scheduled again supersedes its cancellation (they share a UID), as a
    weekly series does a dropped one's.
    """
    counts = data.sessions["module"].value_counts()
    if (counts > 1).any():
        raise ValueError(
            f"module '{counts.index[0]}' has {counts.iloc[0]} sessions; the calendar gives "
            "each module one event, so the plan must schedule it once"
        )
    context = _Context(data.program, calendar_zone(data.program))
    events = [_session_event(row, context) for row in _records(data.sessions)]
    series = _series_events(context)
    scheduled = [*data.sessions["module"], *([""] if series else [])]
    live = data.cancelled[~data.cancelled["module"].isin(scheduled)]
    live = live.sort_values("sequence", kind="stable").drop_duplicates("module", keep="last")
    owners = {m.id: _owner(m.facilitator) for m in data.catalog.modules}
    for row in _records(live):
        # a module dropped from the catalog (or the series) has no owner of its own: its
        # cancellation goes to the calendars the ledger says it was in
        events.append(_cancelled_event(row, owners.get(str(row["module"]), ""), context))
    return [*events, *series]


# -- UIDs ---------------------------------------------------------------------------------


def event_uid(program: Program, module: str) -> str:
    """The UID of a module's event: stable for a cohort, whenever the module is taught."""
    return f"{slug(program.calendar_id)}.{module}@{uid_domain(program)}"


def row_uid(program: Program, module: str) -> str:
    """The UID of a plan row's event: its module's, or the weekly series' for module ''."""
    return event_uid(program, module) if module else ongoing_uid(program)


def ongoing_uid(program: Program) -> str:
    """The UID of the cohort's weekly ongoing sessions."""
    return f"{slug(program.calendar_id)}-ongoing@{uid_domain(program)}"


def owns_uid(program: Program, uid: str) -> bool:
    """Whether `uid` is one this cohort's calendar gives: a module's (`event_uid`), the weekly
    series' (`ongoing_uid`) or one of its weeks set apart (``-ongoing-YYYYMMDD``)."""
    cohort, domain = re.escape(slug(program.calendar_id)), re.escape(uid_domain(program))
    pattern = rf"{cohort}(\.[A-Za-z0-9._-]+|-ongoing(-\d{{8}})?)@{domain}"
    return re.fullmatch(pattern, uid) is not None


def carried_calendar_id(events: pd.DataFrame) -> str | None:
    """The calendar id a ledger's UIDs carry, as its slug: what comes before
    ``.<module>@`` in a module's UID (`event_uid`); None when no module's UID has one."""
    for uid, module in zip(events["uid"], events["module"]):
        local = str(uid).rpartition("@")[0]
        calendar = local.removesuffix(f".{module}")
        if module and calendar and calendar != local:
            return calendar
    return None


def carried_domain(events: pd.DataFrame) -> str | None:
    """The domain a ledger's UIDs end in (after their ``@``); None when none has one that
    a UID we write may end in (`UID_DOMAIN`)."""
    for uid in events["uid"]:
        local, at, domain = str(uid).rpartition("@")
        if local and at and UID_DOMAIN.fullmatch(domain):
            return domain
    return None


def uid_domain(program: Program) -> str:
    """The domain kept from published events (`Program.uid_domain`), else the organizer's
    e-mail domain, else `DEFAULT_DOMAIN`."""
    if program.uid_domain.strip():
        return program.uid_domain.strip()
    address = program.organizer_address
    domain = address[1].rpartition("@")[2].strip().lower() if address else ""
    return domain or DEFAULT_DOMAIN


# -- the events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    """What every event of a plan shares."""

    program: Program
    zone: tzinfo


def calendar_zone(program: Program) -> tzinfo:
    """The programme's zone; UTC ones as `timezone.utc`, which writes ``Z`` times."""
    return timezone.utc if program.timezone in UTC_NAMES else ZoneInfo(program.timezone)


def session_fingerprint(row: Mapping[str, object], program: Program) -> str:
    """The fingerprint of a session's event, as `plan_events` makes it (to tell whether a
    session read back from a plan file is still the one its ledger records)."""
    return _session_event(row, _Context(program, calendar_zone(program))).fingerprint


def _session_event(row: Mapping[str, object], context: _Context) -> PlanEvent:
    module = str(row["module"])
    uid = event_uid(context.program, module)
    event = _event(uid, row, context)
    event.add("description", EscapedText(_description(row)))
    event.add("categories", _categories(row))
    _add_location(event, cell_text(row.get("location")) or context.program.location)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    _add_facts(event, row)
    return PlanEvent(uid, module, _owner(row.get("facilitator")), event)


def _cancelled_event(row: Mapping[str, object], owner: str, context: _Context) -> PlanEvent:
    """A removed module's event, or the dropped weekly series' (module ''): cancelled as a
    whole, at its first session, with no RRULE (a client drops every occurrence of a UID
    cancelled with no RECURRENCE-ID)."""
    module = str(row["module"])
    uid = row_uid(context.program, module)
    event = _event(uid, row, context)
    _add_location(event, context.program.location)
    event.add("status", "CANCELLED")
    event.add("transp", "TRANSPARENT")
    if module:
        event.add("x-curriculum-module", EscapedText(module))
    else:
        event.add("x-curriculum-series", "weekly")
    return PlanEvent(uid, module, owner, event)


def _event(uid: str, row: Mapping[str, object], context: _Context) -> Event:
    """UID, DTSTART, DTEND, SUMMARY and ORGANIZER of a session row."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstart", written_time(row["start"], context.zone))
    event.add("dtend", written_time(row["end"], context.zone))
    event.add("summary", EscapedText(cell_text(row.get("title"))))
    _add_organizer(event, context.program)
    return event


def _add_organizer(event: Event, program: Program) -> None:
    address = program.organizer_address
    if address is None:
        return
    name, email = address
    organizer = vCalAddress(f"mailto:{email}")
    if name:
        organizer.params["CN"] = " ".join(plain(name).split())  # a parameter is one line
    event.add("organizer", organizer)


def _series_events(context: _Context) -> list[PlanEvent]:
    """The weekly ongoing sessions: one event repeating at the local clock time (RRULE,
    holidays as EXDATE), and, apart, each week whose start or end a daylight-saving change
    skips or repeats (calendar clients read such local times differently), as an event of
    its own at its exact instants."""
    program, ongoing = context.program, context.program.ongoing
    dates = ongoing_dates(program)
    holidays = set(program.holidays)
    held = [day for day in dates if day not in holidays]
    if ongoing is None or not held:
        return []
    at, minutes = ongoing.start, round(ongoing.hours * 60)

    def times(day: date) -> tuple[datetime, datetime]:
        start = local_instant(day, at, context.zone)
        return start, later(start, minutes)

    apart = [
        day
        for day in held
        if _trouble(day, at, context.zone) is not None or _troubled(times(day)[1], context.zone)
    ]
    regular = [day for day in held if day not in apart]
    owner = ongoing.facilitator.strip()  # none: the series is in no facilitator's calendar
    events = [_one_session(day, times(day), context, owner) for day in apart]
    if not regular:
        return events
    first = regular[0]
    start, end = times(first)
    uid = ongoing_uid(program)
    event = _event(uid, {"start": start, "end": end, "title": ongoing.title}, context)
    event.pop("DTEND")  # an exact length for every occurrence, whatever its clock does
    event.add("duration", timedelta(minutes=minutes))
    until = datetime.combine(dates[-1], time(23, 59, 59)).replace(tzinfo=context.zone)
    event.add("rrule", {"FREQ": "WEEKLY", "UNTIL": until.astimezone(timezone.utc)})
    for day in sorted({*holidays.intersection(dates), *apart}):
        if day > first:
            event.add("exdate", datetime.combine(day, at).replace(tzinfo=context.zone))
    description = _series_description(dates, sorted(holidays.intersection(dates)), at)
    _add_series_text(event, description, program)
    return [PlanEvent(uid, "", owner, event), *events]


def _one_session(
    day: date, times: tuple[datetime, datetime], context: _Context, owner: str
) -> PlanEvent:
    """One week of the series, as an event of its own."""
    program = context.program
    assert program.ongoing is not None
    uid = ongoing_uid(program).replace("-ongoing@", f"-ongoing-{day:%Y%m%d}@")
    row = {"start": times[0], "end": times[1], "title": program.ongoing.title}
    event = _event(uid, row, context)
    text = (
        f"Weekly supervision: the session of {day:%A %d %B %Y} (its clock time changes that day)."
    )
    _add_series_text(event, text, program)
    return PlanEvent(uid, "", owner, event)


def _add_series_text(event: Event, description: str, program: Program) -> None:
    event.add("x-curriculum-series", "weekly")
    owner = program.ongoing.facilitator.strip() if program.ongoing else ""
    if owner:  # in its content, so that handing the series over is an update (SEQUENCE + 1)
        event.add("x-curriculum-facilitator", EscapedText(owner))
    event.add("description", EscapedText(description))
    event.add("categories", _category_list(["ongoing"]))
    _add_location(event, program.location)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")


def _troubled(moment: datetime, zone: tzinfo) -> bool:
    """Whether a moment's local clock time is one a daylight-saving change skips or repeats."""
    local = moment.astimezone(zone)
    return _trouble(local.date(), local.time(), zone) is not None


def _trouble(day: date, at: time, zone: tzinfo) -> str | None:
    return clock_trouble(day, at, zone) if isinstance(zone, ZoneInfo) else None


def _series_description(dates: list[date], holidays: list[date], at: time) -> str:
    weekday = WEEKDAY_NAMES[dates[0].weekday()]
    lines = [f"Every {weekday} at {at:%H:%M}, from {dates[0]} to {dates[-1]}."]
    if holidays:
        lines.append("No session on " + ", ".join(str(day) for day in holidays) + " (holiday).")
    return "\n".join(lines)


def _add_facts(event: Event, row: Mapping[str, object]) -> None:
    """The session's data as X-CURRICULUM-* properties, so that `read` gets it back."""
    event.add("x-curriculum-module", EscapedText(str(row["module"])))
    for column in FACTS:
        value = row.get(column)
        if cell_text(value):
            text = str(value).lower() if isinstance(value, bool) else cell_text(value)
            event.add(f"x-curriculum-{column.replace('_', '-')}", EscapedText(text))


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
    return _category_list(list(dict.fromkeys(plain(value) for value in values if value)))


def _category_list(values: list[str]) -> vCategory:
    categories = vCategory(values)
    categories.cats = [EscapedText(value) for value in values]
    return categories


def _tags(row: Mapping[str, object]) -> list[str]:
    return [tag.strip() for tag in cell_text(row.get("tags")).split(";") if tag.strip()]


def _add_location(event: Event, location: str) -> None:
    if location:
        event.add("location", EscapedText(location))


# -- small helpers ------------------------------------------------------------------------


def _records(frame: pd.DataFrame) -> Iterator[dict[str, object]]:
    """Rows as dicts, in time order (then module), so the output is deterministic."""
    if frame.empty:
        return
    ordered = frame.sort_values(["start", "module"], kind="stable")
    for row in ordered.to_dict("records"):
        yield {str(k): v for k, v in row.items()}


def written_time(value: object, zone: tzinfo) -> datetime:
    """A moment as the calendar writes it: local to the programme's zone, except in an hour
    that a fall-back night repeats, which UTC says without doubt (calendar clients do not
    agree on which of the two a local time there means)."""
    moment = pd.Timestamp(value)  # type: ignore[arg-type]
    if moment.tzinfo is None:
        raise ValueError(f"session time {moment} has no time zone")
    utc: datetime = moment.tz_convert("UTC").to_pydatetime()
    local = utc.astimezone(zone)
    return utc if _trouble(local.date(), local.time(), zone) == "repeated" else local


def _owner(value: object) -> str:
    """Whose calendar an event goes into (`UNASSIGNED` when nobody leads it)."""
    return cell_text(value).strip() or UNASSIGNED


def calendar_span(events: list[Event], zone: tzinfo) -> tuple[date, date] | None:
    """The first and last local dates the events touch, for the VTIMEZONE."""
    days = [
        moment.astimezone(zone).date()
        for event in events
        for moment in (event.start, event.end, *(r.get("UNTIL") for r in event.rrules))
        if isinstance(moment, datetime)
    ]
    return (min(days), max(days) + timedelta(days=1)) if days else None
