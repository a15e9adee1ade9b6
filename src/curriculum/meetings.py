"""The meeting calendar: a programme expanded into its concrete, dated meetings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from curriculum.inputs.program import Meeting, Program
from curriculum.units import floor_quarters


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
        monday = program.monday_of(week)
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


@dataclass(frozen=True)
class MeetingCalendar:
    """The dated meetings of a programme (or stand-ins given by re-planning), week by week:
    how much time each week's meetings hold, and how much of it its cap lets a plan use."""

    program: Program
    slots: tuple[Slot, ...]
    _by_week: dict[int, list[Slot]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_week: dict[int, list[Slot]] = {}
        for slot in self.slots:
            by_week.setdefault(slot.week, []).append(slot)
        object.__setattr__(self, "_by_week", by_week)

    @classmethod
    def of(cls, program: Program, slots: Sequence[Slot] | None = None) -> MeetingCalendar:
        """The calendar of `slots`, or of the programme's own meetings when None."""
        return cls(program, tuple(slots) if slots is not None else meeting_slots(program))

    @property
    def weeks(self) -> range:
        """Weeks 1 to the programme's last, or to the last meeting's week if later."""
        return range(1, max([self.program.weeks, *(s.week for s in self.slots)]) + 1)

    @property
    def longest(self) -> int:
        """The longest meeting, in quarter hours (0 when there are none)."""
        return max((s.quarters for s in self.slots), default=0)

    def in_week(self, week: int) -> list[Slot]:
        """The meetings of one week, in time order."""
        return self._by_week.get(week, [])

    def meeting_quarters(self, week: int) -> int:
        """Quarter hours of meeting time in a week."""
        return sum(s.quarters for s in self.in_week(week))

    def room(self, week: int) -> int:
        """Quarter hours a week can teach: its meetings, or its hours cap where lower."""
        return min(floor_quarters(self.program.hours_cap(week)), self.meeting_quarters(week))
