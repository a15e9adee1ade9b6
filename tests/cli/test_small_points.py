"""The command line's smaller promises: --version, reminders like 1h30m, --by facilitator
with a folder, warnings about festive days, and one error for a semicolon CSV."""

from __future__ import annotations

from datetime import timedelta
from importlib import metadata
from pathlib import Path

import pytest

from curriculum.cli import main
from curriculum.cli.options import duration


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    # the installed package's version, though the command no longer asks the metadata
    assert capsys.readouterr().out.strip() == f"curriculum {metadata.version('curriculum')}"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30m", timedelta(minutes=30)),
        ("1h30m", timedelta(hours=1, minutes=30)),  # refused before
        ("2d", timedelta(days=2)),
        ("1d 2h", timedelta(days=1, hours=2)),
        ("45", timedelta(minutes=45)),
    ],
)
def test_reminders_take_days_hours_and_minutes(text: str, value: timedelta) -> None:
    assert duration(text) == value


@pytest.mark.parametrize("text", ["soon", "", "1000000000d", "30 days", "h"])
def test_a_reminder_that_is_no_duration_or_too_long_is_refused(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["plan", "--remind", text, "--out", "x.ics"])
    assert exited.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_by_facilitator_needs_a_folder_not_an_ics_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: `--by facilitator --out cal.ics` made a folder called cal.ics.
    out = tmp_path / "cal.ics"
    assert main(["plan", "--by", "facilitator", "--out", str(out), "--timezone", "UTC"]) == 2
    assert "names a folder, not a .ics file" in capsys.readouterr().err
    assert not out.exists()
    folder = tmp_path / "calendars"
    assert main(["plan", "--by", "facilitator", "--out", str(folder), "--timezone", "UTC"]) == 0
    assert sorted(p.suffix for p in folder.iterdir()) == [".ics"] * len(list(folder.iterdir()))


def test_festive_days_are_warned_about(capsys: pytest.CaptureFixture[str]) -> None:
    # Before: a plan landed on 24 and 31 December without a word.
    # Tue and Thu meetings from Mon 2027-12-20: 21, 23, 28, 30 December: none festive
    main(["validate", "--start", "2027-12-20", "--weeks", "2", "--timezone", "UTC"])
    assert "meetings fall on" not in capsys.readouterr().err
    # from Mon 2026-12-21: Tue 22, Thu 24, Tue 29, Thu 31 December 2026
    main(["validate", "--start", "2026-12-21", "--weeks", "2", "--timezone", "UTC"])
    err = capsys.readouterr().err
    assert "warning: meetings fall on Thu 24 Dec 2026, Thu 31 Dec 2026" in err
    assert "add the dates to `holidays`" in err


def test_a_semicolon_csv_gives_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: one good error and eleven lines of noise about every row.
    rows = "".join(f"m{i};M{i};content;1\n" for i in range(11))
    (tmp_path / "m.csv").write_text("id;title;kind;hours\n" + rows)
    assert main(["validate", "--modules", str(tmp_path / "m.csv")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: 1 problem found:")
    assert "semicolon-delimited" in err
