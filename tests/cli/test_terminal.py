"""What the command prints is safe for a terminal (cli/terminal.py): a catalog's escape
sequences are shown, not obeyed; a terminal that cannot show a character gets '?', not a
traceback."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from curriculum.cli import main
from curriculum.cli.terminal import SafeStream, unfiltered

CLEAR_SCREEN = "\x1b[2J"
SET_TITLE = "\x1b]0;pwned\x07"
REVERSE = "\u202e"


def test_escape_sequences_from_the_catalog_are_shown_not_obeyed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "modules.csv"
    catalog.write_text(
        "id,title,kind,hours,facilitator\n"
        f"listening,{CLEAR_SCREEN}Listening{SET_TITLE},content,1,Sam{REVERSE}Lee\n"
        "practice,Practice,skill,1,Sam\n",
        encoding="utf-8",
    )
    args = ["--modules", str(catalog), "--start", "2027-01-11", "--weeks", "2"]
    assert main(["plan", *args, "--time-limit", "5"]) == 0  # 0: the plan passed check()
    out, err = capsys.readouterr()
    assert "\\x1b[2JListening\\x1b]0;pwned\\x07" in out
    assert not {"\x1b", "\x07", REVERSE} & set(out + err)


def test_an_error_naming_hostile_text_shows_it_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = tmp_path / "modules.csv"
    catalog.write_text(
        f"id,title,kind,hours\nok,OK,content,1\nbad{CLEAR_SCREEN},Bad,content,1\n", encoding="utf-8"
    )
    assert main(["validate", "--modules", str(catalog)]) == 2
    err = capsys.readouterr().err
    assert "id 'bad\\x1b[2J' may only use letters" in err
    assert "\x1b" not in err


def test_an_ascii_terminal_gets_question_marks_not_a_traceback() -> None:
    # the week table uses '±' and '…'; an ASCII-only terminal cannot show them
    done = subprocess.run(
        [sys.executable, "-m", "curriculum.cli", "plan", "--start", "2027-01-11"],
        capture_output=True,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b"Traceback" not in done.stderr
    assert b"?" in done.stdout
    done.stdout.decode("ascii")  # every byte is ASCII


def test_the_progress_line_writes_its_own_control_codes_beneath_the_filter() -> None:
    screen = io.StringIO()
    safe = SafeStream(screen)  # type: ignore[arg-type]
    safe.write("\r\x1b[K")
    assert screen.getvalue() == "\\x0d\\x1b[K"
    assert unfiltered(safe) is screen  # type: ignore[comparison-overlap]
