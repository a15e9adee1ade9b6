"""Sessions back from a calendar that `curriculum.export.ics.write` wrote, e.g. to re-plan from it.

Only our own files are read: the PRODID must be curriculum's and every single (not
recurring) event must carry X-CURRICULUM-MODULE. Anything else raises a `ValueError` that
lists every problem found, naming the event and the offending value.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import pandas as pd
from icalendar import Calendar, Component, vText

from curriculum.export.ics.events import fingerprint
from curriculum.export.ics.ledger import sequence_problem
from curriculum.export.ics.write import FACILITATOR_PROPERTY, FREEZE_PROPERTY, PRODID
from curriculum.inputs.plan_columns import MODULE_RULES

_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
SESSION_COLUMNS = ("module", "start", "end", "sequence", "uid")
MOST_WHOLE = 1_000_000  # far beyond any week, density, meeting or sequence a plan holds
LAST_YEAR = 2262  # pandas' times end in April 2262
EVENT_COLUMNS = (
    "module",
    "title",
    "start",
    "end",
    "sequence",
    "status",
    "kind",
    "tags",
    "facilitator",
    "evidence",
    "description",
    "location",
    "week",
    *MODULE_RULES,
    "avoid_weeks",
    "uid",
    "fingerprint",
    "calendars",
    "unedited",
)


@dataclass(frozen=True)
class CalendarFile:
    """What `read_plan` needs from one of our calendars: one row per event (sessions
    "confirmed", removed modules "cancelled", the weekly supervision "series"), the
    programme's name, its time zone, the programme it carries (one line of TOML) and, for
    a re-plan, its freeze date as written ('' for none)."""

    rows: pd.DataFrame
    name: str
    zone: str
    settings: str
    freeze_before: str = ""


def sessions_from_ics(data: bytes) -> pd.DataFrame:
    """The scheduled sessions of a calendar written by `plan_to_ics`.

    Parameters
    ----------
    data
        The .ics file's bytes.

    Returns
    -------
    pandas.DataFrame
        One row per confirmed, non-recurring event, in time order: ``module``, ``start``,
        ``end`` (timezone-aware, in the calendar's zone), ``sequence`` (int) and ``uid``.

    Raises
    ------
    ValueError
        When the data is not an iCalendar file, was not written by curriculum, or holds
        events that cannot be read back (each one named).
    """
    frame = calendar_file(data).rows
    confirmed = frame[frame["status"] == "confirmed"]
    result: pd.DataFrame = confirmed[list(SESSION_COLUMNS)].reset_index(drop=True)
    return result


def calendar_file(data: bytes) -> CalendarFile:
    """The events of one of our calendars, for `read_plan`.

    Each row has ``module`` (empty for the series), ``title``, ``start``, ``end``,
    ``sequence``, ``status``, ``kind``, ``tags`` (``;``-joined), ``facilitator``,
    ``location``, ``week`` and ``density`` (nullable integers), ``pre_service``, the
    module's ``prerequisites``, week window and ``final``, and ``uid`` and ``fingerprint``.
    A tag equal to the kind is not told apart from it.
    """
    calendar = _calendar(data)
    if owner := _text(calendar, FACILITATOR_PROPERTY):
        raise ValueError(
            f"it is {owner}'s calendar (written with --by facilitator): it holds their "
            "sessions alone, not the whole plan; give the plan's own .ics or .csv"
        )
    frame = _events(calendar)
    zones = [str(zone.get("TZID", "")) for zone in calendar.walk("VTIMEZONE")]
    zone = zones[0] if len(zones) == 1 and zones[0] else "UTC"
    for column in ("start", "end"):
        frame[column] = frame[column].dt.tz_convert(zone)
    name = _text(calendar, "X-WR-CALNAME") or _text(calendar, "NAME")
    programme = _text(calendar, "X-CURRICULUM-PROGRAMME")
    return CalendarFile(frame, name, zone, programme, _text(calendar, FREEZE_PROPERTY))


def _calendar(data: bytes) -> Calendar:
    """Parse the bytes and make sure curriculum wrote them."""
    what = f"the calendar data ({len(data)} bytes, starting {bytes(data[:24])!r})"
    try:
        parsed = Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        reason = str(exc)  # the parser quotes the whole line it stopped at: kept short
        reason = reason if len(reason) <= 120 else f"{reason[:120]}..."
        raise ValueError(f"{what} is not an iCalendar file: {reason}") from None
    if not isinstance(parsed, Calendar) or parsed.name != "VCALENDAR":
        raise ValueError(f"{what} holds no VCALENDAR")
    prodid = str(parsed.get("PRODID", ""))
    if prodid != PRODID:
        raise ValueError(
            f"{what} was not written by curriculum (PRODID {prodid!r}, expected {PRODID!r})"
        )
    return parsed


def _events(calendar: Calendar) -> pd.DataFrame:
    """Every event as a row (a recurring one as the series); all problems at once."""
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    for number, event in enumerate(calendar.walk("VEVENT"), start=1):
        try:
            series = "RRULE" in event or "X-CURRICULUM-SERIES" in event
            rows.append(_series_row(event) if series else _row(event))
        except ValueError as exc:
            problems.append(f"event {number} ({_label(event)}) {exc}")
    modules = [row for row in rows if row["status"] != "series"]
    problems += _duplicates(modules, "module") + _duplicates(rows, "uid")
    if problems:
        raise ValueError("the calendar cannot be read back as a plan: " + "; ".join(problems))
    return _frame(rows)


def _row(event: Component) -> dict[str, object]:
    """One event's values; ValueError naming what is wrong."""
    module = _text(event, "X-CURRICULUM-MODULE").strip()
    if not module:
        raise ValueError("has no X-CURRICULUM-MODULE, so it is not a curriculum session")
    start, end = _moment(event, "DTSTART"), _moment(event, "DTEND")
    if end <= start:
        raise ValueError(f"ends ({end}) before it starts ({start})")
    kind = _text(event, "X-CURRICULUM-KIND")
    categories = [str(value) for value in _categories(event)]
    return {
        "module": module,
        "title": _text(event, "SUMMARY"),
        "start": start,
        "end": end,
        "sequence": _sequence(event),
        "status": "cancelled" if _cancelled(event) else "confirmed",
        "kind": kind,
        "tags": ";".join(value for value in categories if value != kind),
        "facilitator": _text(event, "X-CURRICULUM-FACILITATOR"),
        "evidence": _text(event, "X-CURRICULUM-EVIDENCE"),
        "description": _text(event, "X-CURRICULUM-DESCRIPTION"),
        "location": _text(event, "LOCATION"),
        "week": _whole(event, "X-CURRICULUM-WEEK"),
        "density": _whole(event, "X-CURRICULUM-DENSITY"),
        "pre_service": _text(event, "X-CURRICULUM-PRE-SERVICE").lower() == "true",
        "prerequisites": _text(event, "X-CURRICULUM-PREREQUISITES"),
        "earliest_week": _whole(event, "X-CURRICULUM-EARLIEST-WEEK"),
        "latest_week": _whole(event, "X-CURRICULUM-LATEST-WEEK"),
        "final": _text(event, "X-CURRICULUM-FINAL").lower() == "true",
        "avoid_weeks": _text(event, "X-CURRICULUM-AVOID-WEEKS"),
        "uid": str(event.get("UID", "")),
        "fingerprint": _text(event, "X-CURRICULUM-FINGERPRINT"),
        "calendars": _text(event, "X-CURRICULUM-CALENDARS"),
        "unedited": _unedited(event),
    }


def _unedited(event: Component) -> bool:
    """Whether the event still says what it said when written: its fingerprint, taken again
    without its reminders (added after it), is the one it carries."""
    content = copy.copy(event)
    content.subcomponents = [c for c in event.subcomponents if c.name != "VALARM"]
    return fingerprint(content) == _text(event, "X-CURRICULUM-FINGERPRINT")


def _cancelled(event: Component) -> bool:
    return str(event.get("STATUS", "")).upper() == "CANCELLED"


def _series_row(event: Component) -> dict[str, object]:
    """The weekly supervision series (or a re-plan's cancellation of it), as far as
    re-planning needs it."""
    start = _moment(event, "DTSTART")
    length = event.get("DURATION")
    if length is not None and not timedelta(0) < length.dt <= timedelta(days=1):
        raise ValueError(f"has DURATION {_raw(length)!r}, not a session of at most a day")
    end = start + length.dt if length is not None else _moment(event, "DTEND")
    return {
        "module": "",
        "title": _text(event, "SUMMARY"),
        "start": start,
        "end": end,
        "sequence": _sequence(event),
        "status": "cancelled" if _cancelled(event) else "series",
        "location": _text(event, "LOCATION"),
        "uid": str(event.get("UID", "")),
        "fingerprint": _text(event, "X-CURRICULUM-FINGERPRINT"),
        "calendars": _text(event, "X-CURRICULUM-CALENDARS"),
    }


def _text(component: Component, name: str) -> str:
    """A TEXT property's value; X- and other properties icalendar does not know come back
    still escaped, so they are unescaped here."""
    value = component.get(name)
    if value is None:
        return ""
    if isinstance(value, vText):
        return str(value)
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), _raw(value))


def _moment(event: Component, name: str) -> pd.Timestamp:
    """DTSTART or DTEND as a timezone-aware Timestamp."""
    prop = event.get(name)
    if prop is None:
        raise ValueError(f"has no {name}")
    value = getattr(prop, "dt", None)
    if not isinstance(value, datetime):
        raise ValueError(f"has {name} {_raw(prop)!r}, which is not a date with a time")
    if value.tzinfo is None:
        tzid = prop.params.get("TZID")
        reason = f"TZID {tzid!r} is not a known time zone" if tzid else "it has no time zone"
        raise ValueError(f"has {name} {_raw(prop)!r}, but {reason}")
    if not 1 < value.year < LAST_YEAR or value.astimezone(timezone.utc).year >= LAST_YEAR:
        raise ValueError(f"has {name} {_raw(prop)!r}, beyond the dates a plan can hold")
    moment: pd.Timestamp = pd.Timestamp(value)
    return moment


def _categories(event: Component) -> list[object]:
    """Every CATEGORIES value, over however many CATEGORIES lines there are."""
    found = event.get("CATEGORIES", [])
    lines = found if isinstance(found, list) else [found]
    return [value for line in lines for value in getattr(line, "cats", [])]


def _sequence(event: Component) -> int:
    text = _raw(event.get("SEQUENCE", 0))
    problem = sequence_problem(text)
    if problem:
        raise ValueError(f"has {problem}")
    return int(text)


def _whole(event: Component, name: str) -> int | None:
    """A whole-number X- property; None when absent."""
    text = _text(event, name)
    if not text:
        return None
    try:
        number = int(text)
    except ValueError:
        number = MOST_WHOLE + 1
    if abs(number) > MOST_WHOLE:
        message = f"has {name} {text!r}, which is not a whole number (of at most {MOST_WHOLE:,})"
        raise ValueError(message)
    return number


def _raw(prop: object) -> str:
    """A property's value as written in the file."""
    to_ical = getattr(prop, "to_ical", None)
    raw = to_ical() if callable(to_ical) else prop
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


def _label(event: Component) -> str:
    uid, summary = event.get("UID"), event.get("SUMMARY")
    return f"UID {str(uid)!r}" if uid else f"SUMMARY {str(summary or '')!r}"


def _duplicates(rows: list[dict[str, object]], column: str) -> list[str]:
    counts = Counter(str(row[column]) for row in rows)
    return [f"{column} {value!r} has {n} events" for value, n in counts.items() if n > 1]


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Rows as a frame in time order, times in UTC."""
    frame = pd.DataFrame(rows, columns=pd.Index(EVENT_COLUMNS))
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    frame["sequence"] = frame["sequence"].astype(int)
    whole = ["week", "density", "earliest_week", "latest_week"]
    frame[whole] = frame[whole].astype("Int64")
    ordered: pd.DataFrame = frame.sort_values(["start", "module"], kind="stable")
    result: pd.DataFrame = ordered.reset_index(drop=True)
    return result
