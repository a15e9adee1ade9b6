"""Units of time a programme is written in: quarter hours (the solver's integer unit),
weekdays and clock times."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo

QUARTERS_PER_HOUR = 4
_EPS = 1e-9
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def calendar_monday(day: date) -> date:
    """The Monday of the calendar week a date falls in."""
    return day - timedelta(days=day.weekday())


def to_quarters(hours: float) -> int:
    """Hours as the nearest whole number of quarter hours (1.5 -> 6)."""
    return round(hours * QUARTERS_PER_HOUR)


def exact_quarters(hours: float) -> int | None:
    """Hours as whole quarter hours, or None when not a positive multiple of 0.25."""
    quarters = hours * QUARTERS_PER_HOUR  # infinite for hours near the largest float
    if not math.isfinite(quarters) or hours <= 0:
        return None
    return round(quarters) if abs(quarters - round(quarters)) < _EPS else None


def floor_quarters(hours: float) -> int:
    """A cap in hours as whole quarter hours, rounded down (3.3 -> 13)."""
    return math.floor(hours * QUARTERS_PER_HOUR + _EPS)


def hours_text(hours: float) -> str:
    """Hours (or any number) as short text: 1.5, 3, 2.75."""
    return f"{round(hours, 4):g}"


def parse_weekday(value: int | str) -> int:
    """'tue', 'Tuesday' or 1 -> 1 (Monday is 0); raise ValueError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 7:
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in WEEKDAYS or word in (name.lower() for name in WEEKDAY_NAMES):
            return WEEKDAYS.index(word[:3])
    raise ValueError(f"'{value}' is not a weekday; use mon, tue, wed, thu, fri, sat or sun")


CLOCK = re.compile(
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
)


def parse_time(value: time | str) -> time:
    """'18:00' -> time(18, 0), and as spreadsheets write it back: '18:00:00', '6:00 PM',
    '06:00:00 pm'; raise ValueError otherwise (also for seconds other than 00)."""
    if isinstance(value, time):
        return value
    found = CLOCK.fullmatch(str(value).strip())
    try:
        if found is None or int(found["second"] or 0):
            raise ValueError(value)
        hour, minute, half = int(found["hour"]), int(found["minute"]), found["half"]
        if half:
            if not 1 <= hour <= 12:
                raise ValueError(value)
            hour = hour % 12 + (12 if half[0] in "pP" else 0)
        return time(hour, minute)
    except ValueError:
        raise ValueError(f"'{value}' is not a time of day; use HH:MM, e.g. \"18:00\"") from None


def local_instant(day: date, clock: time, zone: tzinfo) -> datetime:
    """The instant a local clock time on a day names, as an aware datetime in `zone`.

    A time that a daylight-saving change skips (02:30 on a spring-forward night) means the
    first valid instant after the gap (03:00); a time that happens twice (01:30 on a
    fall-back night) means the first of the two.
    """
    wall = datetime.combine(day, clock)
    for minutes in range(24 * 60):
        candidate = (wall + timedelta(minutes=minutes)).replace(tzinfo=zone, fold=0)
        if _exists(candidate):
            return candidate
    raise ValueError(f"{wall} does not exist in {zone}")  # pragma: no cover - no such zone


def later(moment: datetime, minutes: float) -> datetime:
    """`moment` plus real elapsed minutes (not wall-clock ones: a 1-hour session that
    starts at 01:30 on a fall-back night ends at the second 01:30), in moment's zone."""
    zone = moment.tzinfo
    return (moment.astimezone(timezone.utc) + timedelta(minutes=minutes)).astimezone(zone)


def clock_trouble(day: date, clock: time, zone: tzinfo) -> str | None:
    """'skipped' when a daylight-saving change skips this local time, 'repeated' when it
    happens twice, else None."""
    wall = datetime.combine(day, clock).replace(tzinfo=zone)
    if not _exists(wall):
        return "skipped"
    if wall.replace(fold=0).utcoffset() != wall.replace(fold=1).utcoffset():
        return "repeated"
    return None


def _exists(moment: datetime) -> bool:
    """Whether an aware wall time really occurs (it survives a round trip through UTC)."""
    back = moment.astimezone(timezone.utc).astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)
