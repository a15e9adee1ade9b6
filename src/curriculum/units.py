"""Units of time a programme is written in: quarter hours (the solver's integer unit),
weekdays and clock times."""

from __future__ import annotations

import math
from datetime import time

QUARTERS_PER_HOUR = 4
_EPS = 1e-9
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def to_quarters(hours: float) -> int:
    """Hours as the nearest whole number of quarter hours (1.5 -> 6)."""
    return round(hours * QUARTERS_PER_HOUR)


def exact_quarters(hours: float) -> int | None:
    """Hours as whole quarter hours, or None when not a positive multiple of 0.25."""
    quarters = hours * QUARTERS_PER_HOUR
    return round(quarters) if hours > 0 and abs(quarters - round(quarters)) < _EPS else None


def floor_quarters(hours: float) -> int:
    """A cap in hours as whole quarter hours, rounded down (3.3 -> 13)."""
    return math.floor(hours * QUARTERS_PER_HOUR + _EPS)


def hours_text(hours: float) -> str:
    """Hours (or any number) as short text: 1.5, 3, 2.75."""
    return f"{round(hours, 4):g}"


def parse_weekday(value: int | str) -> int:
    """'tue', 'Tuesday' or 1 -> 1 (Monday is 0); raise ValueError otherwise."""
    if isinstance(value, int) and 0 <= value < 7:
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in WEEKDAYS or word in (name.lower() for name in WEEKDAY_NAMES):
            return WEEKDAYS.index(word[:3])
    raise ValueError(f"'{value}' is not a weekday; use mon, tue, wed, thu, fri, sat or sun")


def parse_time(value: time | str) -> time:
    """'18:00' -> time(18, 0); raise ValueError otherwise."""
    if isinstance(value, time):
        return value
    try:
        hour, minute = (int(part) for part in str(value).strip().split(":"))
        return time(hour, minute)
    except ValueError:
        raise ValueError(f"'{value}' is not a time of day; use HH:MM, e.g. \"18:00\"") from None
