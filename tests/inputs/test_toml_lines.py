"""Lines of TOML keys (inputs/toml_lines.py): programme errors name the line of the
offending key in the TOML file."""

from __future__ import annotations

import pytest

from curriculum.errors import ProgramError
from curriculum.inputs.program_toml import read_program
from curriculum.inputs.toml_lines import key_lines, line_of
from tests.builders import TEST_DATA

DATA = TEST_DATA / "program"

TEXT = """name = "x"   # line 1
start = 2027-01-11

[[meetings]]
weekday = "tue"
start = "18:00"
[[meetings]]
weekday = "thu"

[ramp]
weeks = 3

[facilitators."Peer trainer"]
unavailable = [2027-03-09]
"""


def test_key_lines_follow_tables_and_arrays_of_tables() -> None:
    lines = key_lines(TEXT)
    assert lines["name"] == 1
    assert lines["start"] == 2
    assert lines["meetings[1].start"] == 6
    assert lines["meetings[2].weekday"] == 8
    assert lines["meetings"] == 4
    assert lines["ramp.weeks"] == 11
    assert lines['facilitators."Peer trainer".unavailable'] == 14


def test_a_missing_key_takes_the_line_of_its_table() -> None:
    lines = key_lines(TEXT)
    assert line_of("ramp.max_density", lines) == 10
    assert line_of("weights.balance", lines) is None


@pytest.mark.parametrize(
    ("name", "line", "key"),
    [
        ("bad_time.toml", 5, "meetings[1].start"),
        ("bad_weekday.toml", 8, "meetings[2].weekday"),
        ("duties_outside.toml", 5, "duties.start_week"),
        ("ramp_too_long.toml", 5, "ramp.weeks"),
        ("unknown_key.toml", 2, "weekz"),
        ("overlapping_meetings.toml", None, "meetings"),
    ],
)
def test_program_errors_name_file_line_and_key(name: str, line: int | None, key: str) -> None:
    path = DATA / name
    with pytest.raises(ProgramError) as error:
        read_program(path)
    problem = next(p for p in error.value.problems if p.column == key)
    text = path.read_text().splitlines()
    expected = (
        line
        if line is not None
        else next(n for n, row in enumerate(text, start=1) if row.strip() == "[[meetings]]")
    )
    assert problem.line == expected
    assert f"{path}, line {expected}, key '{key}'" in str(error.value)
