"""curriculum.inputs.program_keys: a programme with dotted keys changed, the way its TOML
file would be read: defaults keep fitting, a bad value names its key."""

from __future__ import annotations

from datetime import date, time

import pytest

from curriculum.errors import ProgramError
from curriculum.inputs.program import Duties, Load, Meeting, Program, Ramp
from curriculum.inputs.program_keys import key_part, program_with
from curriculum.inputs.program_toml import read_program
from tests.builders import DEFAULT_PROGRAM, START, TEST_DATA, THU, TORONTO, TUE, make_program


def test_no_changes_give_the_same_programme() -> None:
    full = read_program(TEST_DATA / "program" / "full.toml")
    assert program_with(full, {}) == full
    assert program_with(DEFAULT_PROGRAM, {}) == DEFAULT_PROGRAM


def test_top_level_and_section_keys() -> None:
    changed = program_with(DEFAULT_PROGRAM, {"weeks": 14, "load.max_hours_per_week": 3})
    assert changed.weeks == 14
    assert changed.load == Load(max_hours_per_week=3)
    assert changed.meetings == DEFAULT_PROGRAM.meetings  # nothing else changes
    # what was left out fits the changed programme: the ramp is a third of 14 weeks (5),
    # at most the 3 h cap; duties run alongside the last sixth (from week 14 - 2 = 12)
    assert (changed.limits.ramp_weeks, changed.limits.ramp_hours) == (5, 3)
    assert changed.limits.duty_start == 12
    assert changed.limits.intensity == 7.5  # 2.5 per hour of the 3 h cap


def test_a_key_of_a_section_the_programme_has_none_of() -> None:
    none = make_program(4)  # duties=None, ongoing=None
    changed = program_with(none, {"duties.start_week": 3, "ongoing.weekday": "sat"})
    assert changed.duties == Duties(start_week=3)
    assert changed.ongoing is not None and changed.ongoing.weekday == 5


def test_none_leaves_a_key_out_and_means_no_duties() -> None:
    written = make_program(4, ramp=Ramp(weeks=2), duties=Duties(start_week=3))
    changed = program_with(written, {"ramp.weeks": None, "duties": None})
    assert changed.ramp == Ramp()  # left out: a third of 4 weeks
    assert changed.limits.ramp_weeks == 1
    assert changed.duties is None


def test_the_programme_s_own_dataclasses_as_values() -> None:
    saturday = Meeting("sat", "10:00", 3)
    changed = program_with(DEFAULT_PROGRAM, {"ramp": Ramp(weeks=2), "meetings": (TUE, saturday)})
    assert changed.ramp == Ramp(weeks=2)
    assert changed.meetings == (Meeting(1, time(18), 2), Meeting(5, time(10), 3))


def test_one_past_the_last_meeting_adds_one() -> None:
    changed = program_with(
        make_program(1, (TUE, THU)),
        {"meetings[3]": {"weekday": "sat", "start": "10:00", "hours": 3}, "meetings[1].hours": 1},
    )
    assert changed.meetings == (
        Meeting(1, time(18), 1),
        Meeting(3, time(18), 2),
        Meeting(5, time(10), 3),
    )


def test_dates_and_lists_as_values() -> None:
    changed = program_with(
        DEFAULT_PROGRAM, {"start": date(2027, 3, 1), "holidays": [date(2027, 3, 9)]}
    )
    assert changed.start == date(2027, 3, 1)
    assert changed.holidays == (date(2027, 3, 9),)


AWAY_TWICE = (date(2027, 1, 12), date(2027, 1, 14))
TWO_AWAY = Program(
    start=START,
    timezone=TORONTO,
    facilitators={"Peer trainer": AWAY_TWICE, "Nurse": (date(2027, 1, 19),)},
)


@pytest.mark.parametrize(
    "key",
    [
        'facilitators."Peer trainer".unavailable',
        "facilitators.'Peer trainer'.unavailable",  # a literal name
        'facilitators."Peer\\u0020trainer".unavailable',  # TOML's escapes
        'facilitators . "peer  TRAINER" . unavailable',  # case and spacing do not count
    ],
)
def test_a_quoted_key_part_names_a_facilitator_and_keeps_the_others(key: str) -> None:
    changed = program_with(TWO_AWAY, {key: [date(2027, 1, 26)]})
    # Peer trainer's days replaced, not added to; Nurse's kept
    assert changed.facilitators == {
        "Peer trainer": (date(2027, 1, 26),),
        "Nurse": (date(2027, 1, 19),),
    }


def test_a_quoted_name_the_programme_lacks_adds_a_facilitator() -> None:
    changed = program_with(TWO_AWAY, {'facilitators."Dr. A. Ng".unavailable': []})
    assert changed.facilitators == {**TWO_AWAY.facilitators, "Dr. A. Ng": ()}
    # and a first day for them, by its place in the list (it said "'unavailable' has 0
    # entries ... so 'unavailable[1]' is neither one nor the next")
    day = date(2027, 2, 16)
    first = program_with(TWO_AWAY, {'facilitators."Dr. A. Ng".unavailable[1]': day})
    assert first.facilitators == {**TWO_AWAY.facilitators, "Dr. A. Ng": (day,)}


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("load", "load"),
        ("dr-ng_2", "dr-ng_2"),  # a bare TOML key
        ("Peer trainer", '"Peer trainer"'),
        ('Amara "Ama" O\'Kafor. Jr', '"Amara \\"Ama\\" O\'Kafor. Jr"'),
    ],
)
def test_a_name_as_a_key_part_reads_back_as_the_same_name(name: str, part: str) -> None:
    assert key_part(name) == part
    changed = program_with(DEFAULT_PROGRAM, {f"facilitators.{part}.unavailable": AWAY_TWICE})
    assert changed.facilitators == {name: AWAY_TWICE}


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"weeks": 0}, "weeks", "weeks must be a whole number from 1 to 520, not 0"),
        ({"weeks": "twelve"}, "weeks", "weeks must be a whole number, not 'twelve'"),
        ({"load.max_hour": 3}, "load.max_hour", "did you mean 'max_hours_per_week'?"),
        (
            {"ramp.max_density": 9},
            "ramp.max_density",
            "max_density must be a whole number from 1 to 5, not 9",
        ),
        ({"weeks.first": 1}, "weeks.first", "'weeks' is not a table, so it has no key 'first'"),
        (
            {"meetings[4]": {}},
            "meetings[4]",
            "'meetings' has 2 entries, counted from 1 ('meetings[1]' is the first), "
            "so 'meetings[4]' is neither one nor the next",
        ),
        (
            {"meetings[0].weekday": "wed"},
            "meetings[0].weekday",
            "'meetings' has 2 entries, counted from 1 ('meetings[1]' is the first), "
            "so 'meetings[0]' is neither one nor the next",
        ),
        ({"load max": 1}, "load max", "is not a programme key"),
        ({"weeks.": 1}, "weeks.", "is not a programme key"),
        ({'facilitators."Peer trainer.unavailable': []}, None, "is not a programme key"),
        ({'facilitators."Peer\\q".unavailable': []}, None, "is not a programme key"),
        # a programme the key makes inconsistent: duties after the last week
        ({"weeks": 8, "duties.start_week": 10}, "duties.start_week", "outside weeks 1-8"),
    ],
)
def test_a_bad_value_names_its_key_and_where(changes: dict, key: str | None, words: str) -> None:
    key = key or next(iter(changes))
    with pytest.raises(ProgramError) as info:
        program_with(DEFAULT_PROGRAM, changes, source="scenario 3")
    problem = next(p for p in info.value.problems if words in p.message)
    assert (problem.file, problem.column) == ("scenario 3", key)
    assert f"scenario 3, key '{key}'" in str(info.value)


def test_a_key_the_user_wrote_is_never_contradicted_by_a_default() -> None:
    # the programme says duties start in week 10; fewer weeks make that an error, not a
    # silent move to another week
    written = read_program(TEST_DATA / "program" / "full.toml")
    with pytest.raises(ProgramError, match="duty start week 10 is outside weeks 1-8"):
        program_with(written, {"weeks": 8})
    assert isinstance(program_with(DEFAULT_PROGRAM, {"weeks": 8}), Program)  # left out: fits
