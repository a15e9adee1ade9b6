"""The plan as CSV (export/csv.py): safe to open in a spreadsheet, with ISO times, the
cancelled modules, and the programme's name and time zone to re-plan from."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pandas as pd
import pytest

from curriculum import Plan, read_plan
from curriculum.characters import plain
from curriculum.export.csv import FORMULA_STARTS, sessions_csv, spreadsheet_safe, spreadsheet_text
from curriculum.frames import SESSION_COLUMNS
from curriculum.inputs.program_toml import program_to_toml
from tests.builders import make_catalog, make_program, module, solve_checked


# OWASP's advice: a cell starting with =, +, -, @, tab or carriage return is a formula to a
# spreadsheet, unless it starts with an apostrophe.
@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+1 for listening", "'+1 for listening"),
        ("-5 ways", "'-5 ways"),
        ("@trainer", "'@trainer"),
        ("\tindented", "'\tindented"),
        ("plain words", "plain words"),
        ("'quoted", "'quoted"),
        ("'=already escaped", "''=already escaped"),  # an apostrophe that was there stays
        ("a = b", "a = b"),
    ],
)
def test_formula_starts_get_an_apostrophe_that_reading_removes(text: str, safe: str) -> None:
    assert spreadsheet_safe(text) == safe
    assert spreadsheet_text(safe) == text


def test_only_text_is_touched() -> None:
    assert spreadsheet_safe(-5) == -5
    assert spreadsheet_safe(None) is None


def test_sessions_then_cancelled_modules_with_the_programme() -> None:
    catalog = make_catalog(module("sum", title="=SUM(A1)"), module("drill", "skill"))
    program = make_program(1)
    plan = Plan.from_assignment(catalog, program, {"sum": 0, "drill": 0})
    cancelled = pd.DataFrame(
        {
            "module": ["gone"],
            "title": ["Gone"],
            "start": [pd.Timestamp("2027-01-12 18:00", tz="UTC")],
            "end": [pd.Timestamp("2027-01-12 19:00", tz="UTC")],
            "sequence": [2],
        }
    )
    text = sessions_csv(dataclasses.replace(plan, cancelled=cancelled))
    rows = list(csv.DictReader(io.StringIO(text)))
    local = ["date", "start_time", "end_time"]
    carried = ["status", "uid", "fingerprint", "calendars", "programme", "timezone", "settings"]
    assert list(rows[0]) == ["week", *local, *SESSION_COLUMNS[1:], *carried]
    assert [(r["module"], r["status"]) for r in rows] == [
        ("sum", "confirmed"),
        ("drill", "confirmed"),
        ("gone", "cancelled"),
    ]
    assert rows[0]["title"] == "'=SUM(A1)"
    assert (rows[0]["start"], rows[0]["end"]) == (
        "2027-01-12T18:00:00+00:00",
        "2027-01-12T19:00:00+00:00",
    )
    # what a spreadsheet reads as a date and times: local to the programme (UTC here)
    assert (rows[0]["date"], rows[0]["start_time"], rows[0]["end_time"]) == (
        "2027-01-12",
        "18:00",
        "19:00",
    )
    assert {(r["programme"], r["timezone"]) for r in rows} == {
        ("Peer support worker training", "UTC")
    }
    assert rows[2]["sequence"] == "2" and rows[2]["week"] == ""
    # whole numbers stay whole where the cancelled row lacks them ("1", not "1.0")
    assert [(r["week"], r["density"], r["meeting"]) for r in rows] == [
        ("1", "2", "0"),
        ("1", "2", "0"),
        ("", "", ""),
    ]
    assert {r["settings"] for r in rows} == {program_to_toml(program)}
    assert rows[0]["uid"] == "peer-support-worker-training-20270111.sum@curriculum.invalid"


# Every line break a reader might split rows on (CR, VT, FF, the separators, NEL, U+2028,
# U+2029), each followed by a formula, and a column whose name is a formula.
BREAKS = ["\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


def test_no_reader_finds_a_formula_or_a_stray_line_break(tmp_path: Path) -> None:
    titles = {f"m{i}": f"Listening{br}=cmd|' /C calc'!A0" for i, br in enumerate(BREAKS)}
    extra = {"@SUM(1+1)": "-2+3"}
    rows = [module(m, hours=0.25, title=title, **extra) for m, title in titles.items()]
    plan = solve_checked(make_catalog(*rows), make_program(2)).plan
    path = tmp_path / "plan.csv"
    plan.to_csv(path)
    text = path.read_text(encoding="utf-8")
    # the only line break left is LF (CR, CRLF and the rest are LF inside the quoted cell):
    # a reader that splits rows on any other one finds no new row
    assert text.splitlines() == text.split("\n")[:-1]
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'@SUM(1+1)" in cells and "'-2+3" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    # and it reads back: every title as written, its line breaks as LF
    back = read_plan(path)
    assert back.check() == []
    assert dict(zip(back.sessions["module"], back.sessions["title"])) == {
        m: plain(title) for m, title in titles.items()
    }
    assert set(back.sessions["@SUM(1+1)"]) == {"-2+3"}
