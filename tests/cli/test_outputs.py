"""The command line's outputs and re-planning, end to end, and its usage errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from curriculum import read_catalog, read_plan
from curriculum.cli import main

PROGRAM = """
start = 2027-01-11
timezone = "America/Toronto"
"""
CHANGED = (
    PROGRAM
    + """
holidays = [2027-02-16]
[facilitators."Peer trainer"]
unavailable = [2027-02-23, 2027-02-25]
"""
)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("published")
    (folder / "p.toml").write_text(PROGRAM)
    (folder / "changed.toml").write_text(CHANGED)
    code = main(
        [
            "plan",
            "--program",
            str(folder / "p.toml"),
            "--out",
            str(folder / "plan.ics"),
            "--csv",
            str(folder / "plan.csv"),
            "--report",
            str(folder / "plan.html"),
            "--remind",
            "30m",
        ]
    )
    assert code == 0
    return folder


def test_plan_writes_calendar_csv_and_report(published: Path) -> None:
    calendar = vobject.readOne((published / "plan.ics").read_text())
    events = [e for e in calendar.vevent_list if not hasattr(e, "rrule")]
    assert len(events) == len(read_catalog())
    assert all(hasattr(e, "valarm") for e in events)
    plan = read_plan(published / "plan.csv", catalog=read_catalog())
    assert len(plan.sessions) == len(read_catalog())
    assert "<svg" in (published / "plan.html").read_text()


def test_replan_from_the_csv_and_from_the_ics_write_the_same_update(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for previous in ("plan.csv", "plan.ics"):
        target = published / f"updated-from-{previous}.ics"
        code = main(
            [
                "replan",
                "--previous",
                str(published / previous),
                "--freeze-before",
                "2027-02-08",
                "--program",
                str(published / "changed.toml"),
                "--out",
                str(target),
            ]
        )
        assert code == 0
        out = capsys.readouterr().out
        assert "Changes:" in out and "moved" in out
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    calendar = vobject.readOne(outputs[0].decode())
    sequences = [int(e.sequence.value) for e in calendar.vevent_list if not hasattr(e, "rrule")]
    assert 0 < sum(1 for s in sequences if s > 0) < len(sequences)


def test_by_facilitator_writes_one_calendar_each(tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    assert main(["plan", "--start", "2027-01-11", "--out", str(folder), "--by", "facilitator"]) == 0
    names = sorted(p.name for p in folder.iterdir())
    facilitators = {m.facilitator for m in read_catalog().modules}
    assert len(names) == len(facilitators)


@pytest.mark.parametrize(
    "options",
    [
        ["--seed", "9999999999"],
        ["--time-limit", "-1"],
        ["--time-limit", "nan"],
        ["--remind", "30m"],
        ["--by", "facilitator"],
        ["--remind", "soon", "--out", "x.ics"],
        ["--start", "2027-02-30"],
    ],
)
def test_usage_mistakes_exit_2_without_a_traceback(
    options: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["plan", *options])
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--out", "missing/plan.ics", "folder 'missing' does not exist"),
        ("--csv", ".", "is a folder, not a file"),
    ],
)
def test_unwritable_outputs_are_refused_before_solving(
    option: str, value: str, words: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = value if value == "." else str(tmp_path / value)
    assert main(["plan", "--start", "2027-01-11", option, target]) == 2
    err = capsys.readouterr().err
    assert words.replace("missing", str(tmp_path / "missing")) in err or words in err
    assert f"option '{option}'" in err


def test_a_broken_plan_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "plan.csv"
    broken.write_text("module,title,start,end\nx,X,notadate,2027-01-01\n")
    code = main(["replan", "--previous", str(broken), "--freeze-before", "2027-02-08"])
    assert code == 2
    err = capsys.readouterr().err
    assert str(broken) in err and "not a plan written by curriculum" in err
