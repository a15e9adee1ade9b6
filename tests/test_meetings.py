"""The meeting calendar (meetings.py): a programme expanded into dated meetings, in local
time across daylight saving changes, and their time week by week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from curriculum.inputs.program import Meeting, Program, Ramp
from curriculum.meetings import MeetingCalendar, Slot, meeting_slots

TUE_THU = (Meeting("tue", "18:00", 2), Meeting("thu", "18:00", 2))


def short(**kwargs: object) -> Program:
    """A programme shorter than the default ramp and duty start, which would not fit."""
    return Program(ramp=Ramp(weeks=1), duties=None, **kwargs)  # type: ignore[arg-type]


def offset_hours(moment: datetime) -> float:
    offset = moment.utcoffset()
    assert offset is not None
    return offset / timedelta(hours=1)


def test_default_programme_has_two_meetings_a_week() -> None:
    program = Program(start=date(2027, 1, 11), timezone="America/Toronto")
    slots = meeting_slots(program)
    assert len(slots) == 24
    assert [s.index for s in slots] == list(range(24))
    assert [s.week for s in slots] == [w for w in range(1, 13) for _ in range(2)]
    assert [s.day.strftime("%a") for s in slots[:4]] == ["Tue", "Thu", "Tue", "Thu"]
    assert slots[0].start == datetime(2027, 1, 12, 18, 0, tzinfo=ZoneInfo("America/Toronto"))
    assert slots[-1].day == date(2027, 4, 1)  # Thursday of week 12
    assert all(s.quarters == 8 for s in slots)
    assert all(s.end - s.start == timedelta(hours=2) for s in slots)


def test_toronto_spring_forward_keeps_local_time() -> None:
    # DST starts in Toronto on Sunday 2027-03-14: EST (-5) -> EDT (-4).
    program = short(start=date(2027, 3, 1), weeks=4, timezone="America/Toronto")
    slots = meeting_slots(program)
    assert [s.day for s in slots] == [
        date(2027, 3, 2),
        date(2027, 3, 4),
        date(2027, 3, 9),
        date(2027, 3, 11),
        date(2027, 3, 16),
        date(2027, 3, 18),
        date(2027, 3, 23),
        date(2027, 3, 25),
    ]
    assert all(s.start.time() == time(18, 0) for s in slots)
    assert all(s.end.time() == time(20, 0) for s in slots)
    assert [offset_hours(s.start) for s in slots] == [-5, -5, -5, -5, -4, -4, -4, -4]
    before, after = slots[3].start, slots[4].start
    assert before.astimezone(timezone.utc).hour == 23
    assert after.astimezone(timezone.utc).hour == 22
    # Real elapsed time between the Thursday and the next Tuesday loses the skipped hour.
    assert after.astimezone(timezone.utc) - before.astimezone(timezone.utc) == timedelta(
        days=5, hours=-1
    )


def test_sydney_autumn_back_keeps_local_time() -> None:
    # DST ends in Sydney on Sunday 2027-04-04: AEDT (+11) -> AEST (+10).
    program = short(start=date(2027, 3, 22), weeks=4, timezone="Australia/Sydney", meetings=TUE_THU)
    slots = meeting_slots(program)
    assert all(s.start.time() == time(18, 0) for s in slots)
    assert [offset_hours(s.start) for s in slots] == [11, 11, 11, 11, 10, 10, 10, 10]
    assert slots[3].day == date(2027, 4, 1)
    assert slots[4].day == date(2027, 4, 6)
    assert slots[4].start.astimezone(timezone.utc) == datetime(2027, 4, 6, 8, tzinfo=timezone.utc)


def test_sydney_spring_forward_keeps_local_time() -> None:
    # DST starts in Sydney on Sunday 2027-10-03: AEST (+10) -> AEDT (+11).
    program = short(start=date(2027, 9, 20), weeks=4, timezone="Australia/Sydney", meetings=TUE_THU)
    slots = meeting_slots(program)
    assert all(s.start.time() == time(18, 0) for s in slots)
    assert [offset_hours(s.start) for s in slots] == [10, 10, 10, 10, 11, 11, 11, 11]


def test_mid_week_start_skips_earlier_meetings_of_week_one() -> None:
    program = short(start=date(2027, 1, 13), weeks=2)  # a Wednesday
    slots = meeting_slots(program)
    assert [s.day for s in slots] == [date(2027, 1, 14), date(2027, 1, 19), date(2027, 1, 21)]
    assert [s.week for s in slots] == [1, 2, 2]
    assert [s.index for s in slots] == [0, 1, 2]


def test_start_on_meeting_day_keeps_that_meeting() -> None:
    slots = meeting_slots(short(start=date(2027, 1, 12), weeks=1))  # a Tuesday
    assert [s.day for s in slots] == [date(2027, 1, 12), date(2027, 1, 14)]


def test_holidays_are_removed() -> None:
    program = short(
        start=date(2027, 1, 11),
        weeks=3,
        holidays=(date(2027, 1, 19), date(2027, 1, 23)),  # a Tuesday, and a Saturday
    )
    slots = meeting_slots(program)
    days = [s.day for s in slots]
    assert date(2027, 1, 19) not in days
    assert len(slots) == 5
    assert [s.week for s in slots] == [1, 1, 2, 3, 3]
    assert [s.index for s in slots] == list(range(5))


def test_slots_are_in_time_order_whatever_the_pattern_order() -> None:
    meetings = (
        Meeting("fri", "09:00", 1),
        Meeting("mon", "18:00", 1.5),
        Meeting("mon", "09:00", 1),
        Meeting("wed", "12:00", 0.75),
    )
    program = short(start=date(2027, 1, 11), weeks=3, meetings=meetings, timezone="Europe/Paris")
    slots = meeting_slots(program)
    assert len(slots) == 12
    starts = [s.start for s in slots]
    assert starts == sorted(starts)
    assert [s.index for s in slots] == list(range(12))
    # `pattern` points back at the meeting it came from
    assert [s.pattern for s in slots[:4]] == [2, 1, 3, 0]
    assert [s.quarters for s in slots[:4]] == [4, 6, 3, 4]
    assert slots[1].end.time() == time(19, 30)
    assert all(s.week == (s.day - date(2027, 1, 11)).days // 7 + 1 for s in slots)


@pytest.mark.parametrize("zone", ["UTC", "America/Toronto", "Australia/Sydney", "Asia/Kolkata"])
def test_slots_are_aware_in_the_programme_zone(zone: str) -> None:
    slots = meeting_slots(short(start=date(2027, 1, 11), weeks=2, timezone=zone))
    assert all(s.start.tzinfo == ZoneInfo(zone) for s in slots)
    assert all(s.start.utcoffset() is not None for s in slots)


# ------------------------------------------------------------------ week by week


def test_the_calendar_holds_each_week_s_meetings_and_its_room() -> None:
    # Tue 2 h and Thu 1.5 h; Thu 2027-01-21 (week 2) is a holiday; week 1 is a ramp week
    # capped at 3 h. Week 1: 2 + 1.5 = 3.5 h of meetings (14 quarters), room min(3 h, 3.5 h)
    # = 12 quarters; week 2: Tuesday alone, 8 quarters, room min(4 h, 2 h) = 8.
    program = Program(
        start=date(2027, 1, 11),
        weeks=2,
        meetings=(Meeting("tue", "18:00", 2), Meeting("thu", "18:00", 1.5)),
        holidays=(date(2027, 1, 21),),
        ramp=Ramp(weeks=1, max_hours_per_week=3),
        duties=None,
    )
    calendar = MeetingCalendar.of(program)
    assert [s.day for s in calendar.in_week(1)] == [date(2027, 1, 12), date(2027, 1, 14)]
    assert [s.day for s in calendar.in_week(2)] == [date(2027, 1, 19)]
    assert calendar.in_week(3) == []
    assert [calendar.meeting_quarters(w) for w in (1, 2)] == [14, 8]
    assert [calendar.room(w) for w in (1, 2)] == [12, 8]
    assert calendar.longest == 8
    assert calendar.weeks == range(1, 3)


def test_given_meetings_replace_the_programme_s_and_may_reach_past_its_weeks() -> None:
    # re-planning may hand over a stand-in meeting (pattern -1) in a week the programme no
    # longer has: the calendar then runs to that week
    program = short(start=date(2027, 1, 11), weeks=1)
    zone = ZoneInfo("UTC")
    stand_in = Slot(
        0, 3, -1, datetime(2027, 1, 26, 18, tzinfo=zone), datetime(2027, 1, 26, 19, tzinfo=zone), 4
    )
    calendar = MeetingCalendar.of(program, [stand_in])
    assert calendar.slots == (stand_in,)
    assert calendar.weeks == range(1, 4)
    assert calendar.meeting_quarters(3) == 4 and calendar.meeting_quarters(1) == 0
    assert MeetingCalendar.of(program, []).longest == 0
