"""The meeting calendar: a programme expanded into its concrete, dated meetings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from curriculum.program import Meeting, Program


@dataclass(frozen=True)
class Slot:
    """One concrete meeting; the solver only sees `index`, `week` and `quarters`."""

    index: int
    week: int
    pattern: int
    start: datetime
    end: datetime
    quarters: int

    @property
    def day(self) -> date:
        """Local date of the meeting."""
        return self.start.date()


def meeting_slots(program: Program) -> tuple[Slot, ...]:
    """Every meeting of the programme in time order, holidays and pre-start days removed.

    Times are local wall-clock times made aware in the programme's zone, so an 18:00 meeting
    stays at 18:00 across a daylight-saving change.
    """
    zone = program.zone
    holidays = set(program.holidays)
    order = sorted(range(len(program.meetings)), key=lambda i: _sort_key(program.meetings[i]))
    slots: list[Slot] = []
    for week in range(1, program.weeks + 1):
        monday = program.first_monday + timedelta(weeks=week - 1)
        for pattern in order:
            meeting = program.meetings[pattern]
            day = monday + timedelta(days=meeting.weekday)
            if day < program.start or day in holidays:
                continue
            start = datetime.combine(day, meeting.start, tzinfo=zone)
            end = start + timedelta(minutes=round(meeting.hours * 60))
            slots.append(Slot(len(slots), week, pattern, start, end, meeting.quarters))
    return tuple(slots)


def _sort_key(meeting: Meeting) -> tuple[int, int]:
    return meeting.weekday, meeting.start_minutes
