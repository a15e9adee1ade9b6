"""What `curriculum plan` and `replan` write (cli/outputs.py): the calendar, the CSV, the
report, the trainees' handout and one calendar per facilitator, each read back; a re-plan's
update calendar is the same from the CSV as from the .ics; the report of a programme with
no plan; and two plan files compared."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import icalendar
import pytest
import vobject

from curriculum import read_catalog, read_plan, read_program
from curriculum.cli import main
from tests.builders import TEST_DATA, disk_full_while_writing

IMPOSSIBLE = TEST_DATA / "cli" / "impossible.toml"

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
            "--handout",
            str(folder / "handout.html"),
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
    handout = (published / "handout.html").read_text()
    for title in plan.sessions["title"]:
        assert escape(title) in handout


def test_the_report_of_a_programme_with_no_plan_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, handout = tmp_path / "why.html", tmp_path / "handout.html"
    args = [
        "plan",
        "--program",
        str(IMPOSSIBLE),
        "--report",
        str(report),
        "--handout",
        str(handout),
    ]
    assert main(args) == 1
    _, err = capsys.readouterr()
    assert f"Report (why there is no plan) written to {report}" in err
    text = report.read_text(encoding="utf-8")
    assert "No plan keeps every rule" in text and "Why no plan exists" in text
    assert not handout.exists()  # no plan, no handout


def test_two_plan_files_compared(published: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # the published plan against itself re-planned from week 5 with a holiday on Tue 16 Feb:
    # week 6 of the second can hold 2 h, not 4
    later = published / "later.csv"
    args = ["replan", "--program", str(published / "changed.toml"), "--previous"]
    args += [str(published / "plan.csv"), "--freeze-before", "2027-02-08", "--csv", str(later)]
    assert main(args) == 0
    capsys.readouterr()
    assert main(["compare", str(published / "plan.csv"), str(later)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "plan.csv and later.csv"
    six = next(line for line in out if line.startswith("  Week  6"))
    assert re.fullmatch(r"  Week  6  [\d.]+/4 h \| [\d.]+/2 h \| [+-][\d.]+ h", six)
    first, second = read_plan(published / "plan.csv"), read_plan(later)
    moved = len(second.diff(first))
    assert f"Changes: {moved} module{'s' if moved != 1 else ''}" in out
    assert main(["compare", str(published / "plan.csv"), str(published / "nothing.csv")]) == 2
    # a file against itself: nothing moved (it was a traceback, twice over: the times of
    # no move, and two names the same)
    capsys.readouterr()
    assert main(["compare", str(later), str(later)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{later} (1) and {later} (2)"
    assert "Changes: none; every module stays where it was." in out


def test_a_comparison_shows_its_times_in_the_zone_asked_for(
    published: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # DESIGN: --timezone on every command that reads a programme. The published plan (in
    # Toronto) against itself planned with Paris's clock: 18:00 in Paris is 12:00 in Toronto.
    paris = published / "paris.csv"
    args = ["plan", "--program", str(published / "p.toml"), "--timezone", "Europe/Paris"]
    assert main([*args, "--csv", str(paris)]) == 0
    capsys.readouterr()
    plan = str(published / "plan.csv")
    assert main(["compare", plan, str(paris), "--timezone", "America/Toronto"]) == 0
    out = capsys.readouterr().out.splitlines()
    moved = [line for line in out if line.startswith("  moved")]
    times = [re.findall(r"(\d\d):(\d\d)", line)[-2:] for line in moved]
    # 6 hours apart, 5 in the weeks North America has moved its clocks and Europe not yet
    assert moved and all(int(a[0]) - int(b[0]) in (5, 6) and a[1] == b[1] for a, b in times)
    goals = out[out.index(next(o for o in out if o.startswith("Goals"))) :][:8]
    assert len({line.index(" 0 ") for line in goals[1:]}) == 1  # one column, however long
    assert main(["compare", plan, str(paris), "--timezone", "Mars/Base"]) == 2
    assert "option '--timezone': unknown time zone 'Mars/Base'" in capsys.readouterr().err


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


@pytest.mark.parametrize("previous", ["plan.csv", "plan.ics"])
def test_replan_without_inputs_re_plans_with_the_plan_s_own(
    published: Path, previous: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: with no --program and no --modules, `replan` took the default programme (from
    # next Monday, in this computer's zone) and the bundled catalog, not the plan's own as
    # `check` and `publish` do: it moved every session to other days or found no plan.
    target = published / f"same-from-{previous}.ics"
    args = ["replan", "--previous", str(published / previous), "--freeze-before", "2027-02-08"]
    assert main([*args, "--out", str(target)]) == 0
    assert "Changes: none" in capsys.readouterr().out
    again = read_plan(target)
    assert again.program == read_program(published / "p.toml")
    assert again.check() == []
    old, new = _sessions(published / "plan.ics"), _sessions(target)
    assert new == old  # every event as it was: nothing to send
    # an option still changes the plan's own programme
    longer = published / f"longer-from-{previous}.ics"
    assert main([*args, "--weeks", "14", "--out", str(longer)]) == 0
    capsys.readouterr()
    assert read_plan(longer).program.weeks == 14


@pytest.mark.parametrize("previous", ["plan.csv", "plan.ics"])
def test_replan_of_a_renamed_programme_updates_the_published_events(
    published: Path, previous: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: renamed, with its start written as the Tuesday of week 1, the re-plan said
    # "Changes: ..." but wrote every event under a new UID at SEQUENCE 0, and cancelled none
    # of the old ones: a subscribed calendar showed every session twice.
    renamed = published / "renamed.toml"
    renamed.write_text('name = "Evening cohort"' + CHANGED.replace("2027-01-11", "2027-01-12"))
    target = published / f"renamed-from-{previous}.ics"
    args = ["replan", "--previous", str(published / previous), "--freeze-before", "2027-02-08"]
    assert main([*args, "--program", str(renamed), "--out", str(target)]) == 0
    capsys.readouterr()
    changed = read_program(renamed)
    assert read_plan(target, catalog=read_catalog(), program=changed).check() == []
    old, new = _sessions(published / "plan.ics"), _sessions(target)
    assert set(new) == set(old)  # the same events, the series included
    raised = {uid for uid in new if new[uid][0] > old[uid][0]}
    moved = {uid for uid in new if new[uid][1:] != old[uid][1:]}
    assert raised == moved and moved  # SEQUENCE one up exactly where an event changed
    assert all(new[uid][0] == old[uid][0] + (uid in moved) for uid in new)


def _sessions(path: Path) -> dict[str, tuple[int, str, object, object]]:
    """UID -> (SEQUENCE, STATUS, DTSTART, EXDATE) of each event, read with icalendar."""
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return {
        str(e["UID"]): (
            int(e["SEQUENCE"]),
            str(e.get("STATUS")),
            e.decoded("DTSTART"),
            e.get("EXDATE") and [d.to_ical() for d in e["EXDATE"]],
        )
        for e in calendar.walk("VEVENT")
    }


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
