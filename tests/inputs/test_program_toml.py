"""Reading a programme from TOML: every key, the defaults, and errors that name the file
and the key (the line of each key is tested in test_toml_lines.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from pathlib import Path

import pytest

from curriculum.errors import ProgramError
from curriculum.inputs.catalog import read_catalog
from curriculum.inputs.consistency import check_together
from curriculum.inputs.program import (
    DEFAULT_MEETINGS,
    Balance,
    Duties,
    Load,
    Meeting,
    Ongoing,
    Program,
    Ramp,
    Weights,
)
from curriculum.inputs.program_keys import program_with
from curriculum.inputs.program_toml import program_from_toml, program_to_toml, read_program
from tests.builders import START, TEST_DATA

DATA = TEST_DATA / "program"


def program_error(path: Path) -> ProgramError:
    """The ProgramError that reading `path` raises (fails the test if none)."""
    with pytest.raises(ProgramError) as info:
        read_program(path)
    return info.value


def test_read_full_program() -> None:
    path = DATA / "full.toml"
    program = read_program(path)
    assert program.name == "Peer support worker training"
    assert program.start == START
    assert program.weeks == 12
    assert program.timezone == "America/Toronto"
    assert program.location == "Community Health Centre, Room 2"
    assert program.holidays == (date(2027, 2, 15),)
    assert program.meetings == (Meeting(1, time(18, 0), 2), Meeting(3, time(18, 0), 2))
    assert program.load == Load(4, 10)
    assert program.ramp == Ramp(weeks=4, max_hours_per_week=3, max_intensity_per_week=7)
    assert program.balance == Balance(content_share=0.5, weekly_tolerance=0.25)
    assert program.duties == Duties(start_week=10)
    assert program.ongoing == Ongoing(
        weekday=4,
        start=time(12, 0),
        hours=1,
        title="Supervision and skills refresher",
        until=date(2027, 6, 30),
    )
    assert program.ongoing_until == date(2027, 6, 30)
    assert program.facilitators == {"Peer trainer": (date(2027, 3, 9), date(2027, 3, 11))}
    assert program.weights == Weights(
        balance=5, weeks_without_skills=30, uneven_load=1, early_density=2
    )
    assert program.source == str(path)


def test_minimal_toml_takes_defaults(tmp_path: Path) -> None:
    path = tmp_path / "minimal.toml"
    path.write_text("start = 2027-01-11\n", encoding="utf-8")
    assert read_program(path) == Program(start=START)


def test_the_floors_on_modules_come_back_from_a_file_and_from_a_plans_toml(
    tmp_path: Path,
) -> None:
    # a floor of 2 (at most 5) a week, 1 in the ramp: read from a file, and carried through
    # the one-line TOML a plan file holds, the same programme with the same limits
    path = tmp_path / "floors.toml"
    path.write_text(
        "start = 2027-01-11\n[load]\nmax_modules_per_week = 5\nmin_modules_per_week = 2\n"
        "[ramp]\nmin_modules_per_week = 1\n",
        encoding="utf-8",
    )
    program = read_program(path)
    load = Load(max_modules_per_week=5, min_modules_per_week=2)
    assert program == Program(start=START, load=load, ramp=Ramp(min_modules_per_week=1))
    back = program_from_toml(program_to_toml(program), "<plan>")
    assert back == program and back.limits == program.limits
    assert [back.modules_floor(w) for w in (1, 4, 5, 12)] == [1, 1, 2, 2]


# (file, key, words the message must contain)
BAD_TOML = [
    ("unknown_key.toml", "weekz", ["unknown key 'weekz'", "did you mean 'weeks'"]),
    ("bad_weekday.toml", "meetings[2].weekday", ["'funday' is not a weekday"]),
    ("bad_time.toml", "meetings[1].start", ["'6pm' is not a time of day", "HH:MM"]),
    ("bad_timezone.toml", "timezone", ["unknown time zone 'America/Totonto'", "IANA"]),
    ("weeks_not_positive.toml", "weeks", ["whole number from 1 to 520, not 0"]),
    ("overlapping_meetings.toml", "meetings", ["tue 18:00 (2 h) and tue 19:00 (1 h) overlap"]),
    ("holiday_outside.toml", "holidays", ["holiday 2027-12-25 is outside the programme"]),
    ("ramp_too_long.toml", "ramp.weeks", ["ramp of 8 weeks", "has 6"]),
    ("duties_outside.toml", "duties.start_week", ["duty start week 13 is outside weeks 1-12"]),
]


@pytest.mark.parametrize(("name", "key", "words"), BAD_TOML, ids=[row[0] for row in BAD_TOML])
def test_bad_toml_names_file_and_key(name: str, key: str, words: list[str]) -> None:
    path = DATA / name
    err = program_error(path)
    assert len(err.problems) == 1, str(err)
    problem = err.problems[0]
    assert problem.file == str(path)
    assert problem.column == key
    for word in words:
        assert word in problem.message
    message = str(err)
    assert str(path) in message
    assert f"'{key}'" in message


def test_invalid_toml_syntax() -> None:
    path = DATA / "invalid_syntax.toml"
    err = program_error(path)
    assert len(err.problems) == 1
    message = str(err)
    assert str(path) in message
    assert "not valid TOML" in message
    assert "line 3" in message  # tomllib's own location of the unterminated string


def test_several_toml_problems_are_all_reported() -> None:
    err = program_error(DATA / "several_problems.toml")
    assert [p.column for p in err.problems] == [
        "weekz",
        "timezone",
        "ramp.weeks",
        "duties.start_week",
    ]
    assert str(err).startswith("4 problems found:")


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('start = "2027-01-11"', "start", "TOML date"),
        ("start = 2027-01-11\nweeks = 12.5", "weeks", "whole number"),
        ("start = 2027-01-11\n[ramp]\nweeks = 2\nmax_densty = 2", "ramp.max_densty", "max_density"),
        ("start = 2027-01-11\n[[meetings]]\nday = 'tue'\nstart = '18:00'", "meetings[1].day", ""),
        ("start = 2027-01-11\n[[meetings]]\nweekday = 'tue'", "meetings[1].start", "missing"),
        ("start = 2027-01-11\n[load]\nmax_hours_per_week = 'four'", "load.max_hours_per_week", ""),
        ("start = 2027-01-11\n[facilitators]\nPeer = 3", 'facilitators."Peer"', "table"),
        ("start = 2027-01-11\n[load]\nmax_modules_per_week = 2.5", "load.max_modules_per_week", ""),
        (
            "start = 2027-01-11\n[ramp]\nmax_modules_per_week = 0",
            "ramp.max_modules_per_week",
            "1 to",
        ),
        ("start = 2027-01-11\n[load]\nmin_modules_per_week = 1.5", "load.min_modules_per_week", ""),
        (
            "start = 2027-01-11\n[ramp]\nmin_modules_per_week = 0",
            "ramp.min_modules_per_week",
            "1 to",
        ),
        ("start = 2027-01-11\n[weights]\nbalanse = 2", "weights.balanse", "'balance'"),
    ],
)
def test_toml_key_problems(tmp_path: Path, text: str, key: str, words: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text + "\n", encoding="utf-8")
    err = program_error(path)
    assert key in [p.column for p in err.problems], str(err)
    assert words in str(err)


def test_missing_toml_file(tmp_path: Path) -> None:
    err = program_error(tmp_path / "missing.toml")
    assert "cannot read" in str(err)
    assert "missing.toml" in str(err)


def test_a_boolean_is_not_a_weekday(tmp_path: Path) -> None:
    # True is the int 1, so it once passed as Tuesday
    path = tmp_path / "p.toml"
    path.write_text('start = 2027-01-11\n[[meetings]]\nweekday = true\nstart = "18:00"\n')
    err = program_error(path)
    assert [p.column for p in err.problems] == ["meetings[1].weekday"]


# Hostile values, each written on line 2 under `start` (key, words the message must contain)
HOSTILE = [
    ("name = 0", "name", "name must be text, not 0"),
    ("[load]\nmax_hours_per_week = inf", "load.max_hours_per_week", "from 0 to 168, not inf"),
    ("[load]\nmax_hours_per_week = 1e308", "load.max_hours_per_week", "not 1e+308"),
    (
        "[load]\nmax_intensity_per_week = 9223372036854775807",
        "load.max_intensity_per_week",
        "from 0 to 840, not 9223372036854775807",
    ),
    ("[ramp]\nmax_hours_per_week = -inf", "ramp.max_hours_per_week", "not -inf"),
    ("[balance]\ncontent_share = nan", "balance.content_share", "from 0 to 1, not nan"),
    ("[duties]\nstart_week = 9223372036854775807", "duties.start_week", "from 1 to 520"),
    ("[weights]\nbalance = 9223372036854775807", "weights.balance", "from 0 to 1,000,000"),
    (
        '[[meetings]]\nweekday = "tue"\nstart = "18:00"\nhours = inf',
        "meetings[1].hours",
        "up to 24, not inf",
    ),
    ("[ongoing]\nhours = inf", "ongoing.hours", "up to 24, not inf"),
    (
        "[load]\nmax_modules_per_week = 2\nmin_modules_per_week = 3",
        "load.min_modules_per_week",
        "min_modules_per_week 3 is above max_modules_per_week 2",
    ),
    (
        "[load]\nmax_modules_per_week = 2\n[ramp]\nmin_modules_per_week = 3",
        "ramp.min_modules_per_week",
        "above the ramp's cap, load.max_modules_per_week 2",
    ),
    (
        'timezone = "America/Los_Angeles"\n[ongoing]\nuntil = 9999-12-31',
        "ongoing.until",
        "more than 10 years after the programme ends",
    ),
]


@pytest.mark.parametrize(("text", "key", "words"), HOSTILE, ids=[row[1] for row in HOSTILE])
def test_hostile_values_are_one_located_problem(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = tmp_path / "programme.toml"
    path.write_text(f"start = 2027-01-11\n{text}\n", encoding="utf-8")
    err = program_error(path)
    assert [(p.column, p.file) for p in err.problems] == [(key, str(path))], str(err)
    assert words in err.problems[0].message
    assert err.problems[0].line == len(text.splitlines()) + 1  # the key's own line


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    path = tmp_path / "programme.toml"
    path.write_bytes(b"\xef\xbb\xbfstart = 2027-01-11\nweeks = 6\n")  # as Notepad saves it
    assert read_program(path) == Program(start=START, weeks=6)


@pytest.mark.parametrize(
    ("data", "words", "line"),
    [
        (b"start = 2027-01-11\nname = '\xff'\n", "not UTF-8", 2),
        (b"a = " + b"[" * 100_000 + b"]" * 100_000, "nested too deeply", None),
        (b"[" * 5000, "not valid TOML", None),
    ],
)
def test_unreadable_toml_is_one_problem(
    tmp_path: Path, data: bytes, words: str, line: int | None
) -> None:
    path = tmp_path / "programme.toml"
    path.write_bytes(data)
    err = program_error(path)
    assert len(err.problems) == 1 and words in str(err) and err.problems[0].line == line


def test_a_path_that_is_no_path_or_a_huge_file_is_a_program_error(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match="expected a file path, not int"):
        read_program(5)  # type: ignore[arg-type]
    huge = tmp_path / "huge.toml"
    with huge.open("wb") as stream:
        stream.truncate(2 * 1024 * 1024)  # sparse: 2 MiB of nothing
    with pytest.raises(ProgramError, match=r"the file is 2\.0 MiB; expected at most 1 MiB"):
        read_program(huge)


FRIDAY_LATE_MORNING = """
start = 2027-01-11
[[meetings]]
weekday = "fri"
start = "11:00"
hours = 2
[[meetings]]
weekday = "tue"
start = "18:00"
hours = 2
"""


@pytest.mark.parametrize(
    ("ongoing", "where", "after_move"),
    [
        ("", (4, time(13, 0)), (4, time(12, 0))),
        ('[ongoing]\nweekday = "fri"\n', (4, time(13, 0)), (4, time(12, 0))),
        ("[ongoing]\nhours = 3\n", (4, time(13, 0)), (4, time(16, 0))),
        ('[ongoing]\nstart = "11:30"\n', (3, time(11, 30)), (4, time(11, 30))),
        ('[ongoing]\nweekday = "mon"\nstart = "09:00"\n', (0, time(9, 0)), (0, time(9, 0))),
    ],
)
def test_the_ongoing_sessions_left_out_fit_around_the_meetings(
    tmp_path: Path, ongoing: str, where: tuple[int, time], after_move: tuple[int, time]
) -> None:
    # Before: "key 'ongoing.start': the ongoing sessions (fri 12:00, 1 h) overlap the
    # meeting fri 11:00", of a key the file does not have. Left out, they fit around it:
    # Friday from 13:00, or Thursday at a start written as 11:30. After the meeting moves
    # to 14:00-16:00, Friday noon is free again (but not 3 hours from it).
    path = tmp_path / "p.toml"
    path.write_text(FRIDAY_LATE_MORNING + ongoing, encoding="utf-8")
    program = read_program(path)
    assert program.ongoing is not None
    assert (program.ongoing.weekday, program.ongoing.start) == where
    # the TOML a plan carries leaves out what was fitted, so that it fits again when read
    back = program_from_toml(program_to_toml(program), "plan")
    assert back == program
    moved = program_with(program, {"meetings[1].start": "14:00"})
    assert moved.ongoing is not None
    assert (moved.ongoing.weekday, moved.ongoing.start) == after_move


def test_ongoing_sessions_written_on_top_of_a_meeting_are_still_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "p.toml"
    path.write_text(FRIDAY_LATE_MORNING + '[ongoing]\nweekday = "fri"\nstart = "12:00"\n')
    with pytest.raises(ProgramError, match="overlap the meeting fri 11:00"):
        check_together(read_catalog(), read_program(path))


def test_ongoing_sessions_the_file_placed_stay_where_it_placed_them(tmp_path: Path) -> None:
    # Before: written at the very time fitting would give (Friday 12:00), they were moved
    # to 13:00 by a change that put a meeting on Friday at 11:00, as if left out.
    path = tmp_path / "p.toml"
    path.write_text('start = 2027-01-11\n[ongoing]\nweekday = "fri"\nstart = "12:00"\n')
    written = read_program(path)
    assert written.fitted_keys == ()
    changed = program_with(written, {"meetings[1].weekday": "fri", "meetings[1].start": "11:00"})
    assert changed.ongoing is not None
    assert (changed.ongoing.weekday, changed.ongoing.start) == (4, time(12, 0))
    with pytest.raises(ProgramError, match="overlap the meeting fri 11:00"):
        check_together(read_catalog(), changed)
    path.write_text("start = 2027-01-11\n")  # left out: fitted, and fitted again
    left_out = read_program(path)
    assert left_out.fitted_keys == ("ongoing.weekday", "ongoing.start")
    changed = program_with(left_out, {"meetings[1].weekday": "fri", "meetings[1].start": "11:00"})
    assert changed.ongoing is not None
    assert (changed.ongoing.weekday, changed.ongoing.start) == (4, time(13, 0))


def test_ongoing_sessions_are_fitted_within_the_day(tmp_path: Path) -> None:
    # Friday 12:00-21:30 is a meeting: 3 hours from 21:30 would end after midnight (it was
    # picked, then refused, naming a key the file did not write), so the morning it is
    path = tmp_path / "p.toml"
    meeting = '[[meetings]]\nweekday = "fri"\nstart = "12:00"\nhours = 9.5\n'
    path.write_text(f"start = 2027-01-11\n{meeting}[ongoing]\nhours = 3\n")
    program = read_program(path)
    assert program.ongoing is not None
    assert (program.ongoing.weekday, program.ongoing.start) == (4, time(8, 0))


def test_ongoing_sessions_set_or_fitted_since_reading_are_kept(tmp_path: Path) -> None:
    # Before: the keys a file left out were written left out whatever happened since, so a
    # time set in Python after reading, or fitted to meetings replaced since, was lost.
    path = tmp_path / "p.toml"
    path.write_text(FRIDAY_LATE_MORNING, encoding="utf-8")
    read = read_program(path)
    assert read.ongoing is not None and read.ongoing.start == time(13, 0)
    monday = dataclasses.replace(read, ongoing=Ongoing(weekday="mon", start="09:00"))
    for program in (monday, program_with(monday, {"weeks": 13})):
        assert program.ongoing is not None
        assert (program.ongoing.weekday, program.ongoing.start) == (0, time(9, 0))
    other_meetings = dataclasses.replace(read, meetings=DEFAULT_MEETINGS)  # 13:00 kept
    back = program_from_toml(program_to_toml(other_meetings), "plan")
    assert back.ongoing is not None and back.ongoing.start == time(13, 0)


def test_a_programme_built_in_python_fits_its_default_ongoing_sessions_again() -> None:
    # Before: a sweep putting a meeting on Friday at 12:00 (the default supervision's
    # time) of a programme built in Python failed with an overlap of a key never written
    program = Program(start=START)
    moved = program_with(program, {"meetings[2].weekday": "fri", "meetings[2].start": "12:00"})
    assert moved.ongoing is not None
    assert (moved.ongoing.weekday, moved.ongoing.start) == (4, time(14, 0))


def test_a_programme_read_then_changed_in_python_fits_its_left_out_ongoing_time_again(
    tmp_path: Path,
) -> None:
    # The README's way to change a programme: `dataclasses.replace`. A Friday 11:00-13:00
    # meeting put on a file that leaves the supervision's time out kept it on Friday 12:00,
    # and planning failed on 'ongoing.start', a key the file never wrote.
    path = tmp_path / "p.toml"
    path.write_text('start = 2027-01-11\ntimezone = "America/Toronto"\n', encoding="utf-8")
    program = read_program(path)
    friday = (Meeting("tue", "18:00", 2), Meeting("fri", "11:00", 2))
    changed = dataclasses.replace(program, meetings=friday)
    assert changed.ongoing is not None
    assert (changed.ongoing.weekday, changed.ongoing.start) == (4, time(13, 0))
    assert changed.warnings == (
        "the weekly 'Supervision and skills refresher' is on Friday 13:00, not Friday 12:00 "
        "(fitted, as the file leaves it out), which a meeting takes; give Ongoing another "
        "weekday or start to choose",
    )
    check_together(read_catalog(), changed)
    # a time the file wrote stays as written
    path.write_text(
        'start = 2027-01-11\ntimezone = "America/Toronto"\n[ongoing]\nstart = "12:00"\n',
        encoding="utf-8",
    )
    kept = dataclasses.replace(read_program(path), meetings=friday)
    assert kept.ongoing is not None and kept.ongoing.start == time(12, 0)


def test_ongoing_sessions_where_fitting_finds_no_time_are_written_as_they_are() -> None:
    # every day taken from 08:00 to 23:00, the supervision at 07:00 on Tuesdays: fitting
    # finds no free time, which used to count as "it gives this", so the programme a plan
    # carries left them out, and they came back as Friday 12:00 (on top of a meeting)
    meetings = tuple(Meeting(day, time(8, 0), 15.0) for day in range(7))
    program = Program(start=START, meetings=meetings, ongoing=Ongoing(weekday="tue", start="07:00"))
    back = program_from_toml(program_to_toml(program), "plan")
    assert back.ongoing is not None
    assert (back.ongoing.weekday, back.ongoing.start) == (1, time(7, 0))
    swept = program_with(program, {"weeks": 13})
    assert swept.ongoing is not None and swept.ongoing.start == time(7, 0)


def test_a_programme_built_in_python_fits_its_default_ongoing_sessions_at_once() -> None:
    # Before: Program(meetings=(Friday 11:00-13:00,)) kept the default supervision on Friday
    # 12:00, and planning failed with an overlap naming 'ongoing.start', a key never given.
    # At their defaults they fit as in a file; set otherwise, they stay.
    friday = (Meeting("fri", "11:00", 2),)
    program = Program(start=START, meetings=friday)
    assert program.ongoing is not None
    assert (program.ongoing.weekday, program.ongoing.start) == (4, time(13, 0))
    check_together(read_catalog(), program)
    # Python cannot tell the default from Friday 12:00 given, so the move is said
    assert program.warnings == (
        "the weekly 'Supervision and skills refresher' is on Friday 13:00, not Friday 12:00 "
        "(the default), which a meeting takes; give Ongoing another weekday or start to choose",
    )
    thursday = Program(start=START, meetings=friday, ongoing=Ongoing(weekday="thu"))
    assert thursday.ongoing is not None
    assert (thursday.ongoing.weekday, thursday.ongoing.start) == (3, time(12, 0))
    assert thursday.warnings == ()
    assert Program(start=START).ongoing == Ongoing()  # Friday noon free: as it is
    assert Program(start=START).warnings == ()


def test_long_ongoing_sessions_with_no_start_are_fitted_not_refused(tmp_path: Path) -> None:
    # Before: "key 'ongoing.hours': a 13-hour session at 12:00 ends after midnight", for a
    # start the file never wrote. Fitted, they start in the morning; written back, the same.
    path = tmp_path / "p.toml"
    path.write_text("start = 2027-01-11\n[ongoing]\nhours = 13\n", encoding="utf-8")
    program = read_program(path)
    assert program.ongoing is not None
    assert (program.ongoing.weekday, program.ongoing.start) == (4, time(8, 0))
    assert program_from_toml(program_to_toml(program), "plan") == program
    path.write_text('start = 2027-01-11\n[ongoing]\nhours = 13\nstart = "12:00"\n')
    with pytest.raises(ProgramError, match="a 13-hour session at 12:00 ends after midnight"):
        read_program(path)
