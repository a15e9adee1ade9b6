"""The meeting calendar: a programme expanded into its concrete, dated meetings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from curriculum.inputs.program import Meeting, Program
from curriculum.units import clock_trouble, floor_quarters, later, local_instant


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

    Starts are local clock times in the programme's zone, so an 18:00 meeting stays at 18:00
    across a daylight-saving change (one the change skips starts at the first valid instant
    after it); ends are a real meeting length later.
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
            start = local_instant(day, meeting.start, zone)
            end = later(start, round(meeting.hours * 60))
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

    @property
    def teaching_weeks(self) -> list[int]:
        """The weeks that can teach: a meeting, and an hours cap above 0 (room above 0)."""
        return [week for week in self.weeks if self.room(week) > 0]


def ongoing_dates(program: Program) -> list[date]:
    """Dates of the weekly ongoing (supervision) sessions, holidays included; [] when
    there are none.

    The first is on the ongoing weekday in the week duties start (week 1 without duties),
    not before the programme's start; the last is on or before `Program.ongoing_until`.
    """
    if program.ongoing is None:
        return []
    week = program.limits.duty_start or 1
    first = program.monday_of(week) + timedelta(days=program.ongoing.weekday)
    if first < program.start:
        first += timedelta(weeks=1)
    count = (program.ongoing_until - first).days // 7 + 1
    return [first + timedelta(weeks=i) for i in range(max(count, 0))]


def ongoing_times(program: Program) -> list[tuple[datetime, datetime]]:
    """The weekly ongoing sessions as they are held (holidays left out): start and end
    instants, each starting at its local clock time, as meetings do (`meeting_slots`)."""
    ongoing = program.ongoing
    if ongoing is None:
        return []
    holidays = set(program.holidays)
    found = []
    for day in ongoing_dates(program):
        if day not in holidays:
            start = local_instant(day, ongoing.start, program.zone)
            found.append((start, later(start, round(ongoing.hours * 60))))
    return found


FESTIVE = ((12, 24), (12, 25), (12, 26), (12, 31), (1, 1))  # (month, day): rarely a teaching day


def calendar_warnings(program: Program) -> list[str]:
    """Meetings a coordinator should look at: ones on 24-26 or 31 December or 1 January
    (not holidays in the programme), and ones whose local time a daylight-saving change
    skips (they start at the first valid instant after it) or repeats (the first of the
    two)."""
    found = []
    zone = program.zone
    slots = meeting_slots(program)
    festive = [s for s in slots if (s.day.month, s.day.day) in FESTIVE]
    if festive:
        days = ", ".join(f"{s.day:%a %d %b %Y}" for s in festive)
        found.append(
            f"meetings fall on {days}, when many people are on holiday; add the dates to "
            "`holidays` if the group will not meet"
        )
    for slot in slots:
        day, meeting = slot.day, program.meetings[slot.pattern]
        trouble = clock_trouble(day, meeting.start, zone)
        if trouble == "skipped":
            found.append(
                f"the {meeting} meeting on {day} falls in the hour a daylight-saving change "
                f"skips in {program.timezone}: it starts at "
                f"{local_instant(day, meeting.start, zone):%H:%M} and keeps its length"
            )
        elif trouble == "repeated":
            found.append(
                f"the {meeting} meeting on {day} starts in the hour a daylight-saving change "
                f"repeats in {program.timezone}: it starts at the first {meeting.start:%H:%M}"
            )
    return found
