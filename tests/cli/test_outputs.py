"""What `curriculum plan` and `replan` write (cli/outputs.py): the calendar, the CSV, the
report and one calendar per facilitator, each read back; a re-plan's update calendar is
the same from the CSV as from the .ics."""

from __future__ import annotations

from pathlib import Path

import pytest
import vobject

from curriculum import read_catalog, read_plan, read_program
from curriculum.cli import main
from tests.builders import disk_full_while_writing

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
    program = read_program(published / "p.toml")
    plan = read_plan(published / "plan.csv", catalog=read_catalog(), program=program)
    assert plan.check() == []
    assert len(plan.sessions) == len(read_catalog())
    assert "<svg" in (published / "plan.html").read_text()


def test_replan_from_the_csv_and_from_the_ics_write_the_same_update(
    published: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # one DTSTAMP for both exports
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
    changed = read_program(published / "changed.toml")
    update = published / "updated-from-plan.csv.ics"
    assert read_plan(update, catalog=read_catalog(), program=changed).check() == []
    calendar = vobject.readOne(outputs[0].decode())
    sequences = [int(e.sequence.value) for e in calendar.vevent_list if not hasattr(e, "rrule")]
    assert 0 < sum(1 for s in sequences if s > 0) < len(sequences)


def test_by_facilitator_writes_one_calendar_each(tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    assert main(["plan", "--start", "2027-01-11", "--out", str(folder), "--by", "facilitator"]) == 0
    names = sorted(p.name for p in folder.iterdir())
    facilitators = {m.facilitator for m in read_catalog().modules}
    assert len(names) == len(facilitators)


def test_outputs_are_written_as_a_set_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # last week's calendar, CSV and report; the disk fills up while the new CSV is written
    outputs = {"--out": "plan.ics", "--csv": "plan.csv", "--report": "plan.html"}
    for name in outputs.values():
        (tmp_path / name).write_text("last week")
    disk_full_while_writing(monkeypatch, "plan.csv")
    options = [part for flag, name in outputs.items() for part in (flag, str(tmp_path / name))]
    assert main(["plan", "--start", "2027-01-11", *options]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'plan.csv'}: No space left on device" in err
    assert ".plan.csv." not in err  # never the temporary file's name
    # no new calendar beside an old CSV: every file is last week's, and nothing else is there
    assert {(tmp_path / name).read_text() for name in outputs.values()} == {"last week"}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(outputs.values())
