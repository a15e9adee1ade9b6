"""Sessions across daylight-saving changes (units.local_instant, meetings, the .ics): real
lengths, and every instant read alike by icalendar, vobject, recurring-ical-events and
ical.js. The cases: 02:30 on each zone's spring-forward day and 01:30 on its fall-back day,
and the times each change really skips or repeats where those are not (London skips 01:30,
Melbourne repeats 02:30; there 02:30 in spring exists, and 01:30 in autumn happens once,
though a 2 h meeting from then ends in the repeated hour).

Each case is one week with a Sunday meeting at that time (2 h) holding two 1 h modules, and
four weeks of Sunday supervision (1 h) from that day, so both a single event and the
recurring series cross the change.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject

from curriculum import Meeting, Ongoing, Plan, Program, Ramp
from curriculum.cli import main
from curriculum.meetings import ongoing_dates
from curriculum.units import later, local_instant
from tests.builders import make_catalog, module, solve_checked
from tests.external import ToolMissingError, icaljs_occurrences, require

UTC = timezone.utc
CASES = [
    # zone, Sunday of the change, local time, what the change does to that time
    ("America/Toronto", date(2027, 3, 14), "02:30", "skips"),
    ("America/Toronto", date(2027, 11, 7), "01:30", "repeats"),
    ("Europe/London", date(2027, 3, 28), "02:30", None),
    ("Europe/London", date(2027, 3, 28), "01:30", "skips"),
    ("Europe/London", date(2027, 10, 31), "01:30", "repeats"),
    ("Australia/Melbourne", date(2027, 10, 3), "02:30", "skips"),
    ("Australia/Melbourne", date(2027, 4, 4), "01:30", None),
    ("Australia/Melbourne", date(2027, 4, 4), "02:30", "repeats"),
]
IDS = [f"{zone.split('/')[1]}-{day}-{at}" for zone, day, at, _ in CASES]
Change = tuple[str, date, str, "str | None"]


def programme(zone: str, day: date, at: str, *, series: bool = False) -> Program:
    """A week whose Sunday meeting is at `at` on the night of the change; with `series`,
    the weekly supervision is there instead, from that night (the meeting moves to the
    Saturday: the trainees cannot be at both)."""
    weekly = Ongoing(weekday="sun", start=at, hours=1, until=day + timedelta(weeks=3))
    return Program(
        start=day - timedelta(days=6),
        weeks=1,
        timezone=zone,
        meetings=(Meeting("sat" if series else "sun", at, 2),),
        ramp=Ramp(weeks=0),
        duties=None,
        ongoing=weekly if series else None,
    )


def planned(change: Change, folder: Path, *, series: bool) -> tuple[Plan, Path]:
    zone, day, at, _ = change
    catalog = make_catalog(module("a"), module("b", "skill"))
    plan = solve_checked(catalog, programme(zone, day, at, series=series)).plan
    plan.to_ics(folder / "plan.ics")
    return plan, folder / "plan.ics"


@pytest.fixture(scope="module", params=CASES, ids=IDS)
def change(request: pytest.FixtureRequest) -> Change:
    """One of the `CASES`."""
    found: Change = request.param
    return found


@pytest.fixture(scope="module")
def case(change: Change, tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Path]:
    """Two sessions in the meeting of the night of the change."""
    return planned(change, tmp_path_factory.mktemp("dst"), series=False)


@pytest.fixture(scope="module")
def series_case(change: Change, tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Path]:
    """The weekly supervision from the night of the change."""
    return planned(change, tmp_path_factory.mktemp("dst-series"), series=True)


def sessions(plan: Plan) -> list[tuple[datetime, datetime]]:
    return sorted(
        (row.start.to_pydatetime().astimezone(UTC), row.end.to_pydatetime().astimezone(UTC))
        for row in plan.sessions.itertuples()
    )


def supervision(plan: Plan) -> list[tuple[datetime, datetime]]:
    """The series as it should be, by hand: each Sunday at the local time (a skipped time
    at the first valid instant after it, a repeated one the first), one real hour long."""
    program = plan.program
    assert program.ongoing is not None
    found = []
    for day in ongoing_dates(program):
        start = local_instant(day, program.ongoing.start, ZoneInfo(program.timezone))
        found.append((start.astimezone(UTC), later(start, 60).astimezone(UTC)))
    return found


def test_every_session_lasts_its_real_length(case: tuple[Plan, Path]) -> None:
    plan, _ = case
    assert [(end - start) for start, end in sessions(plan)] == [timedelta(hours=1)] * 2
    first, second = sessions(plan)
    assert first[1] == second[0]  # back to back: the second starts as the first ends


def test_a_skipped_time_starts_at_the_first_valid_instant(case: tuple[Plan, Path]) -> None:
    plan, _ = case
    zone = ZoneInfo(plan.program.timezone)
    start = sessions(plan)[0][0].astimezone(zone)
    if start.date() in {day for _, day, _, what in CASES if what == "skipped"}:
        assert start.time() in {
            datetime.min.time().replace(hour=3),
            datetime.min.time().replace(hour=2),
        }
        assert start.minute == 0  # 02:30 does not exist: 03:00 (London: 01:30 -> 02:00)


def test_icalendar_and_vobject_read_the_sessions_alike(case: tuple[Plan, Path]) -> None:
    plan, path = case
    data = path.read_bytes()
    modules = [
        e for e in icalendar.Calendar.from_ical(data).walk("VEVENT") if "X-CURRICULUM-MODULE" in e
    ]
    assert sorted((e.start.astimezone(UTC), e.end.astimezone(UTC)) for e in modules) == sessions(
        plan
    )
    calendar = vobject.readOne(data.decode())
    read = [
        (e.dtstart.value.astimezone(UTC), e.dtend.value.astimezone(UTC))
        for e in calendar.vevent_list
        if "ongoing" not in e.uid.value
    ]
    assert sorted(read) == sessions(plan)


def test_recurring_ical_events_expands_the_supervision_exactly(
    series_case: tuple[Plan, Path],
) -> None:
    plan, path = series_case
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    between = recurring_ical_events.of(calendar).between(datetime(2027, 1, 1), datetime(2028, 1, 1))
    series = sorted(
        (e.start.astimezone(UTC), e.end.astimezone(UTC))
        for e in between
        if "ongoing" in str(e["UID"])
    )
    assert series == supervision(plan)


def test_vobject_expands_the_supervision_starts(series_case: tuple[Plan, Path]) -> None:
    plan, path = series_case
    calendar = vobject.readOne(path.read_bytes().decode())
    starts = []
    for event in calendar.vevent_list:
        if hasattr(event, "rrule"):
            starts += [moment.astimezone(UTC) for moment in event.getrruleset(addRDate=True)]
        elif "ongoing" in event.uid.value:
            starts.append(event.dtstart.value.astimezone(UTC))
    assert sorted(starts) == [start for start, _ in supervision(plan)]


def test_ical_js_reads_every_instant_alike(
    case: tuple[Plan, Path], series_case: tuple[Plan, Path]
) -> None:
    (plan, path), (weekly, series_path) = case, series_case
    try:
        found = icaljs_occurrences(path)
        held = icaljs_occurrences(series_path)
    except ToolMissingError as missing:
        require(missing)
        return

    def instants(rows: list[dict[str, object]]) -> list[tuple[datetime, datetime]]:
        return sorted(
            (
                datetime.fromtimestamp(int(row["start"]["epoch"]), UTC),  # type: ignore[index]
                datetime.fromtimestamp(int(row["end"]["epoch"]), UTC),  # type: ignore[index]
            )
            for row in rows
        )

    assert instants(found) == sessions(plan)
    assert instants([o for o in held if "ongoing" in o["uid"]]) == supervision(weekly)


@pytest.mark.parametrize(("zone", "day", "at", "what"), CASES, ids=IDS)
def test_validate_warns_about_a_meeting_the_change_skips_or_repeats(
    zone: str,
    day: date,
    at: str,
    what: str | None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    program = programme(zone, day, at)
    toml = tmp_path / "p.toml"
    toml.write_text(
        f'start = {program.start}\nweeks = 1\ntimezone = "{zone}"\nduties = false\n'
        f'[[meetings]]\nweekday = "sun"\nstart = "{at}"\nhours = 2\n'
    )
    (tmp_path / "m.csv").write_text("id,title,kind,hours\na,A,content,1\nb,B,skill,1\n")
    main(["validate", "--program", str(toml), "--modules", str(tmp_path / "m.csv")])
    err = capsys.readouterr().err
    if what is None:
        assert "daylight-saving" not in err
    else:
        assert f"the sun {at} (2 h) meeting on {day}" in err
        assert f"a daylight-saving change {what} in {zone}" in err


def test_a_plan_with_a_dst_session_reads_back_from_its_calendar(case: tuple[Plan, Path]) -> None:
    plan, path = case
    from curriculum import read_plan

    back = read_plan(path)
    assert sessions(back) == sessions(plan)
    assert back.check() == []
    assert dataclasses.replace(back, frozen=None).check() == []
