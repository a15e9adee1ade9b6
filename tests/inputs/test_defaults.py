"""Defaults that fit the programme they land in (inputs/program.py, `Program.limits`): no
error about a key the user did not write, and no default that contradicts one they did."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from curriculum import Duties, Load, Program, Ramp, read_catalog, read_program
from curriculum.cli import main
from tests.builders import START, TORONTO, solve_checked


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "programme.toml"
    path.write_text(f'start = 2027-01-11\ntimezone = "{TORONTO}"\n{text}', encoding="utf-8")
    return path


def test_a_three_week_programme_without_duties_is_valid(tmp_path: Path) -> None:
    # Before: "key 'duties.start_week': duty start week 10 is outside weeks 1-3", a key the
    # user never wrote. Now the last sixth runs alongside duties: week 3 of 3 (3 - 3 // 6),
    # and the ramp is a third of the programme: week 1.
    program = read_program(write(tmp_path, "weeks = 3\n"))
    assert (program.limits.duty_start, program.limits.ramp_weeks) == (3, 1)
    assert Program(start=START, weeks=3, timezone=TORONTO).limits == program.limits
    assert main(["validate", "--program", str(write(tmp_path, "weeks = 3\n"))]) == 1  # too small
    assert main(["validate", "--start", "2027-01-11", "--weeks", "3"]) == 1  # not exit 2


@pytest.mark.parametrize(
    ("weeks", "duties", "ramp"),
    [(12, 10, 4), (6, 5, 2), (3, 3, 1), (24, 20, 8), (2, 2, 1), (1, None, 0)],
)
def test_duties_and_ramp_scale_with_the_weeks(weeks: int, duties: int | None, ramp: int) -> None:
    limits = Program(start=START, weeks=weeks, timezone=TORONTO).limits
    assert (limits.duty_start, limits.ramp_weeks) == (duties, ramp)


def test_an_intensity_cap_left_out_follows_the_hours_cap(tmp_path: Path) -> None:
    # Before: 17 h a week kept the default intensity cap of 10, and an 8-week programme of
    # the bundled catalog (36.5 h, intensity 88.25, more than 8 × 10) was "infeasible".
    # Now 17 h × 2.5 = 42.5. Three 2 h meetings a week hold the hours (48 h).
    meetings = "".join(
        f'[[meetings]]\nweekday = "{day}"\nstart = "18:00"\nhours = 2\n'
        for day in ("tue", "thu", "sat")
    )
    path = write(tmp_path, f"weeks = 8\n{meetings}[load]\nmax_hours_per_week = 17\n")
    program = read_program(path)
    assert (program.limits.hours, program.limits.intensity) == (17, 42.5)
    assert Load(17) == program.load  # as written: the intensity stays left out
    result = solve_checked(read_catalog(), program)
    assert result.status.value in ("optimal", "feasible")
    # written, it is kept
    assert Program(start=START, load=Load(17, 10), timezone=TORONTO).limits.intensity == 10


def test_a_default_ramp_is_never_looser_than_the_weeks_after_it() -> None:
    # Before: load caps of 2 h / intensity 6 kept the ramp's 3 h / 7, so the "gentler" weeks
    # were the heaviest. Now the ramp takes the load's caps where its own are looser:
    # 2 h, and intensity min(2 × 7/3 = 4.67 -> 4.5, 6) = 4.5.
    program = Program(start=START, load=Load(2, 6), timezone=TORONTO)
    limits = program.limits
    assert (limits.ramp_hours, limits.ramp_intensity) == (2, 4.5)
    assert all(program.hours_cap(w) <= 2 for w in range(1, 13))
    assert program.warnings == ()


def test_a_looser_ramp_the_user_writes_is_kept_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "[load]\nmax_hours_per_week = 2\nmax_intensity_per_week = 6\n"
    text += "[ramp]\nmax_hours_per_week = 3\n"
    program = read_program(write(tmp_path, text))
    assert program.limits.ramp_hours == 3  # what the user wrote
    (warning,) = program.warnings
    assert "the ramp allows 3 hours a week, more than the 2 of the weeks after it" in warning
    main(["validate", "--program", str(write(tmp_path, text))])
    assert f"warning: {warning}" in capsys.readouterr().err


def test_replacing_the_weeks_refits_what_was_left_out() -> None:
    # `dataclasses.replace(program, weeks=6)` (also `--weeks 6`) moves the defaults with it
    twelve = Program(start=START, timezone=TORONTO)
    six = dataclasses.replace(twelve, weeks=6)
    assert (six.limits.duty_start, six.limits.ramp_weeks) == (5, 2)
    written = dataclasses.replace(twelve, duties=Duties(4), ramp=Ramp(weeks=1))
    assert dataclasses.replace(written, weeks=6).limits.duty_start == 4  # kept
    assert dataclasses.replace(written, weeks=6).limits.ramp_weeks == 1


def test_no_duties_is_written_false(tmp_path: Path) -> None:
    program = read_program(write(tmp_path, "duties = false\nongoing = false\n"))
    assert program.duties is None and program.ongoing is None
    assert program.limits.duty_start is None
