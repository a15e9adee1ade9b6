"""`curriculum check` and `replan` on a plan edited by hand in a spreadsheet: every broken
rule named, exit 1, and the file carries what checking needs (nothing invented)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from curriculum import read_plan
from curriculum.cli import main


def rows_of(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled catalog's plan in Toronto, with the Peer trainer away on Thu 2027-01-21,
    written as CSV by the command line."""
    folder = tmp_path_factory.mktemp("check")
    (folder / "p.toml").write_text(
        'start = 2027-01-11\ntimezone = "America/Toronto"\n'
        '[facilitators."Peer trainer"]\nunavailable = [2027-01-21]\n'
    )
    args = ["plan", "--program", str(folder / "p.toml"), "--csv", str(folder / "plan.csv")]
    assert main(args) == 0
    return folder


def test_the_plan_as_written_checks_clean_without_its_inputs(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["check", str(published / "plan.csv")]) == 0
    assert "every rule holds" in capsys.readouterr().out
    # no programme given: the one the file carries, not a default one (no false alarms)
    assert read_plan(published / "plan.csv").check() == []


def edited(published: Path) -> Path:
    """Four edits a spreadsheet user might make, each breaking one rule."""
    header, rows = rows_of(published / "plan.csv")
    by_module = {row["module"]: row for row in rows}

    def move(module_id: str, day: str, start: str, end: str) -> None:
        row = by_module[module_id]
        row.update({"date": day, "start_time": start, "end_time": end})

    # 1. two modules overlapping: orientation (Tue 12 Jan 18:00-19:00) and week 1's other
    # module, moved to 18:30 that day
    first = by_module["orientation"]
    twin = next(r for r in rows if r["week"] == "1" and r["module"] != "orientation")
    move(twin["module"], first["date"], "18:30", _end(twin, "18:30"))
    # 2. one past the meeting's end (it ends at 20:00)
    late = next(r for r in rows if r["week"] == "11")
    move(late["module"], late["date"], "19:30", _end(late, "19:30"))
    # 3. a prerequisite in the same week: listening-practice beside listening-basics
    basics = by_module["listening-basics"]
    move(
        "listening-practice",
        basics["date"],
        "19:00",
        _end(by_module["listening-practice"], "19:00"),
    )
    # 4. a Peer trainer module on Thu 2027-01-21, when she is away
    trainer = next(
        r for r in rows if r["facilitator"] == "Peer trainer" and r["week"] in ("5", "6", "7")
    )
    move(trainer["module"], "2027-01-21", "18:00", _end(trainer, "18:00"))
    path = published / "edited.csv"
    write_rows(path, header, rows)
    return path


def _end(row: dict[str, str], start: str) -> str:
    hours, minutes = divmod(int(float(row["hours"]) * 60) + int(start[3:]), 60)
    return f"{int(start[:2]) + hours:02d}:{minutes:02d}"


def test_an_edited_plan_is_checked_and_each_broken_rule_named(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: the edited plan went through `replan` as "optimal, Changes: none", exit 0.
    path = edited(published)
    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "overlap on Tue 2027-01-12" in err
    assert "past the end of" in err
    assert "needs 'listening-basics' in an earlier week" in err
    assert "when its facilitator 'Peer trainer' is unavailable" in err


def test_replan_names_what_the_previous_plan_breaks(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = edited(published)
    target = published / "updated.csv"
    capsys.readouterr()
    code = main(
        [
            "replan",
            "--previous",
            str(path),
            "--freeze-before",
            "2027-01-04",  # nothing has happened yet: every session may move
            "--program",
            str(published / "p.toml"),
            "--csv",
            str(target),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0  # repaired: the new plan keeps every rule
    assert "the previous plan" in err and "breaks" in err
    assert "needs 'listening-basics' in an earlier week" in err
    assert "Changes: none" not in out
    assert read_plan(target).check() == []
