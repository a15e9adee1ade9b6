"""The `curriculum` command (cli/main.py): exit codes 0 (plan), 1 (no plan, reasons on stderr) and 2 (bad
input, the error on stderr and never a traceback); mostly in-process, and a few times as a
real process."""

from __future__ import annotations

import csv
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import curriculum.cli.commands as commands
from curriculum import Program, Status, read_catalog, read_plan
from curriculum.cli import main
from curriculum.cli.progress import INTERRUPTED_EXIT, STOPPED_BEFORE_A_PLAN, STOPPED_EARLY
from curriculum.explain import Explanation
from tests.builders import ROOT, START, TEST_DATA
from tests.interrupts import stopped_by_ctrl_c

DATA = TEST_DATA / "cli"
BAD_CSV = DATA / "bad_hours.csv"
BAD_SYNTAX = DATA / "bad_syntax.toml"
BAD_KEYS = DATA / "bad_keys.toml"
IMPOSSIBLE = DATA / "impossible.toml"
FORMULAS = DATA / "formulas.csv"
SOLVE_MODULE = importlib.import_module("curriculum.solve")  # the package re-exports solve()


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command as a separate process (`python -m curriculum.cli`)."""
    return subprocess.run(
        [sys.executable, "-m", "curriculum.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


# ------------------------------------------------------------------ validate


def test_validate_the_bundled_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--start", "2027-01-11"]) == 0
    out, err = capsys.readouterr()
    assert f"{len(read_catalog())} modules" in out
    assert "No problems found" in out
    assert err == ""


def test_bad_csv_is_reported_with_file_line_and_column(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["validate", "--modules", str(BAD_CSV)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert f"{BAD_CSV}, line 3, column 'hours'" in err
    assert "'two' is not a number" in err
    # every problem, not just the first
    assert f"{BAD_CSV}, line 4, column 'hours'" in err
    assert f"{BAD_CSV}, line 4, column 'density'" in err
    assert "Traceback" not in err


def test_bad_toml_syntax(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", "--program", str(BAD_SYNTAX)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(BAD_SYNTAX) in err
    assert "not valid TOML" in err and "line 3" in err
    assert "Traceback" not in err


def test_bad_toml_keys_are_all_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--program", str(BAD_KEYS)]) == 2
    _, err = capsys.readouterr()
    assert "weeks_total" in err and "did you mean 'weeks'" in err
    assert "load.max_hours_per_week" in err and "'four'" in err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["plan", "--start", "2027-13-45"])
    assert exited.value.code == 2
    assert "'2027-13-45' is not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["validate", "--start", "2027-01-11", "--weeks", "0"])
    assert exited.value.code == 2
    assert "'0' is not a number of weeks from 1 to 520" in capsys.readouterr().err


def test_an_option_that_overrides_a_programme_file_is_named_for_its_mistake(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # the file's own time zone is fine: the mistake is the option's, not the file's
    program = ROOT / "data" / "cohorts" / "evening.toml"
    assert main(["validate", "--program", str(program), "--timezone", "Europe/Lond"]) == 2
    err = capsys.readouterr().err
    assert "command line, option '--timezone': unknown time zone 'Europe/Lond'" in err
    assert "evening.toml" not in err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    assert main(["validate", "--modules", str(missing)]) == 2
    assert str(missing) in capsys.readouterr().err


# ------------------------------------------------------------------ plan


def test_plan_prints_the_weeks_and_writes_one_csv_row_per_module(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_csv = tmp_path / "out.csv"
    assert main(["plan", "--start", "2027-01-11", "--csv", str(out_csv)]) == 0
    out, err = capsys.readouterr()
    assert "Week  1" in out and "Week 12" in out
    assert "Objective" in out
    assert "optimal" in out
    assert err == ""
    rows = [row for row in read_rows(out_csv) if row["status"] != "series"]
    catalog = read_catalog()
    assert read_plan(out_csv, catalog=catalog, program=Program(start=START)).check() == []
    assert read_plan(out_csv).check() == []  # the file carries its programme and catalog
    assert len(rows) == len(catalog)
    assert sorted(r["module"] for r in rows) == sorted(m.id for m in catalog.modules)
    assert rows[0]["start"].startswith("2027-01-1")


def test_plan_on_an_impossible_programme_exits_1_with_reasons(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_csv = tmp_path / "out.csv"
    assert main(["plan", "--program", str(IMPOSSIBLE), "--csv", str(out_csv)]) == 1
    out, err = capsys.readouterr()
    assert "Week  1" not in out
    assert "No plan" in err and "infeasible" in err
    reasons = [line for line in err.splitlines() if line[:1].isdigit() and line[1:3] == ". "]
    assert reasons
    assert any("Weeks 1-6" in line or "week 3" in line for line in reasons)
    assert "Traceback" not in err
    assert not out_csv.exists()


def test_six_weeks_explained_then_fixed_as_the_explanation_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # `--weeks 6`: the defaults fit 6 weeks (a 2-week ramp of 3 h, 4 weeks of 4 h: 22 h;
    # duties from week 5, so 14 h before them), far too little for the bundled catalog.
    # The one change that fixes every clash is the number of weeks, named as its option;
    # running again with it gives a plan.
    args = ["plan", "--start", "2027-01-11", "--timezone", "UTC", "--time-limit", "60"]
    assert main([*args, "--weeks", "6"]) == 1
    err = capsys.readouterr().err
    assert "Weeks 1-6 allow 22 hours under their caps" in err
    assert "Weeks 1-4 allow 14 hours under their caps" in err
    fix = re.search(r"One change fixes every clash: .*: set weeks = (\d+) \(--weeks (\d+)\)\.", err)
    assert fix is not None and fix[1] == fix[2]
    assert main([*args, "--weeks", fix[1]]) == 0
    assert "Week  1" in capsys.readouterr().out


def test_csv_is_safe_to_open_in_a_spreadsheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_csv = tmp_path / "out.csv"
    args = ["plan", "--modules", str(FORMULAS), "--start", "2027-01-11", "--csv", str(out_csv)]
    assert main(args) == 0
    capsys.readouterr()
    plan = read_plan(out_csv, catalog=read_catalog(FORMULAS), program=Program(start=START))
    assert plan.check() == []
    rows = {r["module"]: r for r in read_rows(out_csv)}
    assert rows["sum"]["title"] == "'=SUM(A1:A9)"
    assert rows["sum"]["description"] == '\'=HYPERLINK("http://example.com")'
    assert rows["plus"]["title"] == "'+1 for listening"
    assert rows["plus"]["facilitator"] == "'@trainer"
    assert rows["minus"]["title"] == "'-5 ways to rephrase"
    assert rows["at"]["title"] == "'@mention etiquette"
    assert rows["at"]["description"] == "safe"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), value


def test_plan_without_explanation_still_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # an infeasible result whose explainer found nothing in its time: "infeasible" ends with
    # "feasible", which once let it through to result.plan and a traceback
    nothing = Explanation((), None, cut=True)
    monkeypatch.setattr(SOLVE_MODULE, "explain_infeasibility", lambda *args, **kwargs: nothing)
    assert main(["plan", "--program", str(IMPOSSIBLE)]) == 1
    err = capsys.readouterr().err
    assert "No plan" in err and "infeasible" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ usage mistakes


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
    try:  # argparse's own checks exit; those that need two options together return 2
        code = main(["plan", *options])
    except SystemExit as exit_:
        code = int(str(exit_.code))
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments",
    [
        ["plan", "--csv", ""],
        ["plan", "--modules", " "],
        ["plan", "--out", ""],
        ["plan", "--cohorts", ""],
        ["check", ""],
        ["sweep", "--vary", "weeks=10,12", "--scheduler", ""],
        ["publish", "plan.ics", "--caldav", "http://127.0.0.1:1/", "--calendar", ""],
    ],
)
def test_an_empty_path_or_name_is_named_not_taken_for_the_default(
    arguments: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    # an unset shell variable ("--csv $OUT") used to drop the CSV, or plan the bundled
    # catalog, or sweep in this process, and say nothing
    with pytest.raises(SystemExit) as exit_:
        main(arguments)
    assert exit_.value.code == 2
    assert list(tmp_path.iterdir()) == []
    option = next((a for a in reversed(arguments) if a.startswith("-")), "PLAN")
    option = "PLAN" if arguments[0] == "check" else option
    assert f"argument {option}: is empty" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--out", "missing/plan.ics", "folder 'missing' does not exist"),
        ("--csv", ".", "is a folder, not a file"),
        # it said "folder '.../plan.csv' does not exist" of a file that does
        ("--out", "plan.csv/plan.ics", "'plan.csv' is a file, so it cannot hold 'plan.ics'"),
    ],
)
def test_unwritable_outputs_are_refused_before_solving(
    option: str, value: str, words: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "plan.csv").write_text("sessions", encoding="utf-8")
    target = value if value == "." else str(tmp_path / value)
    assert main(["plan", "--start", "2027-01-11", option, target]) == 2
    err = capsys.readouterr().err
    for name in ("missing", "plan.csv"):
        words = words.replace(f"'{name}'", f"'{tmp_path / name}'")
    assert words in err
    assert f"option '{option}'" in err


def test_an_output_that_is_not_a_regular_file_is_refused_before_solving(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Before: a pipe given as --out (or /dev/null, run as root) was replaced by a file.
    pipe = tmp_path / "plan.ics"
    os.mkfifo(pipe)
    assert main(["plan", "--start", "2027-01-11", "--out", str(pipe)]) == 2
    assert "is not a regular file (a device, pipe or socket)" in capsys.readouterr().err
    assert pipe.is_fifo()


def test_a_read_only_output_is_refused_before_solving(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    kept = tmp_path / "plan.ics"
    kept.write_bytes(b"published")
    kept.chmod(0o444)
    assert main(["plan", "--start", "2027-01-11", "--out", str(kept)]) == 2
    assert "is read-only (no one may write it)" in capsys.readouterr().err
    assert kept.read_bytes() == b"published"


def test_a_calendar_of_the_out_folder_that_is_an_input_is_refused_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Before: re-planned by facilitator into the folder that held the previous plan, named
    # as one facilitator's calendar would be, the plan was overwritten by that calendar.
    folder = tmp_path / "calendars"
    folder.mkdir()
    previous = folder / "peer-trainer.ics"
    assert main(["plan", "--start", "2027-01-11", "--out", str(previous)]) == 0
    before = previous.read_bytes()
    capsys.readouterr()
    args = ["replan", "--previous", str(previous), "--freeze-before", "2027-02-01"]
    assert main([*args, "--by", "facilitator", "--out", str(folder)]) == 2
    assert f"{previous}, option '--out': is an input of this run" in capsys.readouterr().err
    assert previous.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["peer-trainer.ics"]  # nothing else either


@pytest.mark.parametrize(("name", "option"), [("feed.ics", "--out"), ("plan.csv", "--csv")])
def test_a_replan_updates_the_previous_plans_own_file_in_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, option: str
) -> None:
    # The README's subscription feed: each re-plan written over the same file. It was
    # refused as "an input of this run". Now the previous plan's own file takes the re-plan
    # in its own format; another format there, or a re-plan with no plan, leaves it as it was.
    feed = tmp_path / name
    assert main(["plan", "--start", "2027-01-11", "--timezone", "UTC", option, str(feed)]) == 0
    before = feed.read_bytes()
    assert read_plan(feed).program.weeks == 12
    capsys.readouterr()
    replan = ["replan", "--previous", str(feed), "--freeze-before", "2027-02-01"]
    other = "--csv" if option == "--out" else "--out"
    assert main([*replan, other, str(feed)]) == 2
    assert "is an input of this run" in capsys.readouterr().err
    assert main([*replan, "--weeks", "3"]) == 1  # no plan in 3 weeks
    assert feed.read_bytes() == before
    assert main([*replan, "--weeks", "13", option, str(feed)]) == 0
    after = read_plan(feed)
    assert after.program.weeks == 13 and after.check() == []
    assert after.freeze_before is not None and str(after.freeze_before) == "2027-02-01"


def test_a_calendar_of_the_out_folder_where_another_output_goes_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Before: both were "written" to out/peer-trainer.ics, and the CSV won.
    folder = tmp_path / "out"
    folder.mkdir()
    clash = folder / "peer-trainer.ics"
    args = ["plan", "--start", "2027-01-11", "--by", "facilitator", "--out", str(folder)]
    assert main([*args, "--csv", str(clash)]) == 2
    assert f"{clash}, option '--out': is also where --csv writes" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_validate_refuses_a_catalog_too_large_to_plan_as_plan_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Before: "No problems found: a plan can be attempted", then `plan` refused it (exit 2)
    huge = tmp_path / "huge.csv"
    rows = "".join(f"m{n},Module {n},content,0.25\n" for n in range(5001))
    huge.write_text("id,title,kind,hours\n" + rows, encoding="utf-8")
    for command in ("validate", "plan"):
        assert main([command, "--modules", str(huge), "--weeks", "520"]) == 2
        assert "the catalog has 5,001 modules; curriculum plans" in capsys.readouterr().err
    # and as a cohort's catalog (`plan --cohorts` searched, then said "try a longer limit")
    (tmp_path / "p.toml").write_text("start = 2027-01-11\nweeks = 520\n", encoding="utf-8")
    cohorts = tmp_path / "cohorts.toml"
    cohorts.write_text(
        '[[cohort]]\nname = "A"\nprogram = "p.toml"\nmodules = "huge.csv"\n', encoding="utf-8"
    )
    for command in ("validate", "plan"):
        assert main([command, "--cohorts", str(cohorts)]) == 2
        assert "the catalog has 5,001 modules; curriculum plans" in capsys.readouterr().err


def test_a_broken_plan_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "plan.csv"
    broken.write_text("module,title,start,end\nx,X,notadate,2027-01-01\n")
    code = main(["replan", "--previous", str(broken), "--freeze-before", "2027-02-08"])
    assert code == 2
    err = capsys.readouterr().err
    assert f"{broken}, line 2, column 'start': module 'x': start 'notadate' is not a date" in err


# The hostile inputs of issue 12, each once through the command: exit 2 and a message that
# names the file, its line and the key or column; never a traceback.
CATALOG_ROW = "listen,Active listening,content,1,{description}\n"
HOSTILE_PROGRAMMES = [
    ("name = 0", 2, "name"),
    ("[load]\nmax_hours_per_week = inf", 3, "load.max_hours_per_week"),
    ("[load]\nmax_hours_per_week = 1e308", 3, "load.max_hours_per_week"),
    ("[ramp]\nmax_intensity_per_week = 9223372036854775807", 3, "ramp.max_intensity_per_week"),
    ('[[meetings]]\nweekday = "tue"\nstart = "18:00"\nhours = inf', 5, "meetings[1].hours"),
    ("[ongoing]\nhours = inf", 3, "ongoing.hours"),
    ('timezone = "America/Los_Angeles"\n[ongoing]\nuntil = 9999-12-31', 4, "ongoing.until"),
    ("[weights]\nbalance = 9223372036854775807", 3, "weights.balance"),
]


@pytest.mark.parametrize(("text", "line", "key"), HOSTILE_PROGRAMMES)
def test_hostile_programmes_exit_2_naming_file_line_and_key(
    text: str, line: int, key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "programme.toml"
    path.write_text(f"start = 2027-01-11\n{text}\n", encoding="utf-8")
    assert main(["plan", "--program", str(path), "--out", str(tmp_path / "x.ics")]) == 2
    err = capsys.readouterr().err
    assert f"{path}, line {line}, key '{key}'" in err
    assert not (tmp_path / "x.ics").exists()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (CATALOG_ROW.format(description="x" * 140_000), ", line 2: a field is longer than"),
        (CATALOG_ROW.format(description='"open') + CATALOG_ROW, ", line 2, column 'description'"),
        ("utf-16", ": the file is UTF-16 text"),
    ],
)
def test_hostile_catalogs_exit_2_naming_file_and_line(
    content: str, words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "modules.csv"
    text = "id,title,kind,hours,description\n" + (
        CATALOG_ROW.format(description="") if content == "utf-16" else content
    )
    path.write_bytes(text.encode("utf-16-le" if content == "utf-16" else "utf-8"))
    assert main(["validate", "--modules", str(path)]) == 2
    assert f"{path}{words}" in capsys.readouterr().err


def test_a_chain_longer_than_the_programme_is_no_plan_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 400 modules, each the prerequisite of the next, need 400 weeks; a programme has 12
    path = tmp_path / "modules.csv"
    rows = [f"m{i},M{i},content,0.25,{f'm{i - 1}' if i else ''}" for i in range(400)]
    path.write_text("id,title,kind,hours,prerequisites\n" + "\n".join(rows), encoding="utf-8")
    assert main(["validate", "--modules", str(path), "--start", "2027-01-11"]) == 1
    assert "prerequisite chain" in capsys.readouterr().err


def test_start_in_year_one_is_refused_before_any_calendar_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "programme.toml"
    path.write_text("start = 0001-01-01\n", encoding="utf-8")
    assert main(["plan", "--program", str(path), "--out", str(tmp_path / "x.ics")]) == 2
    assert "key 'start': start 0001-01-01 is not a date from 1900-01-01" in capsys.readouterr().err


# ------------------------------------------------------------------ as a real process


def test_process_validate_bundled_catalog_exits_0() -> None:
    done = run("validate", "--start", "2027-01-11")
    assert done.returncode == 0, done.stderr
    assert "No problems found" in done.stdout


def test_process_bad_csv_exits_2_without_traceback() -> None:
    done = run("plan", "--modules", str(BAD_CSV), "--start", "2027-01-11")
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"{BAD_CSV}, line 3, column 'hours'" in done.stderr
    assert "Traceback" not in done.stderr


def test_process_bad_toml_exits_2_without_traceback() -> None:
    done = run("validate", "--program", str(BAD_SYNTAX))
    assert done.returncode == 2
    assert str(BAD_SYNTAX) in done.stderr and "not valid TOML" in done.stderr
    assert "Traceback" not in done.stderr


def test_process_plan_prints_every_week_and_writes_its_files_before_it_exits(
    tmp_path: Path,
) -> None:
    # the executable leaves without tearing the interpreter down: what it printed to a pipe
    # (block-buffered, as it is unless PYTHONUNBUFFERED is set) and the files it wrote are
    # all there, and so is the exit code
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    calendar, sessions = tmp_path / "plan.ics", tmp_path / "plan.csv"
    outputs = ("--out", str(calendar), "--csv", str(sessions))
    done = run("plan", "--start", "2027-01-11", *outputs, env=buffered)
    assert done.returncode == 0, done.stderr
    assert "Week 12" in done.stdout
    assert done.stdout.endswith(f"Sessions written to {sessions}\n")
    plan = read_plan(sessions)
    assert len(plan.sessions) == len(read_catalog().modules) and plan.check() == []
    assert read_plan(calendar).sessions["module"].tolist() == plan.sessions["module"].tolist()
    impossible = run("plan", "--program", str(IMPOSSIBLE), env=buffered)
    assert impossible.returncode == 1 and "No plan" in impossible.stderr


def test_ctrl_c_is_said_with_a_plan_and_is_exit_130_before_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # as `solve` returns when Ctrl-C stopped its search (tests/test_solve.py has the real
    # thing): with the best plan so far, with none yet, or with a proof that none exists
    stopped = stopped_by_ctrl_c(monkeypatch, commands, "solve")
    out = tmp_path / "plan.ics"
    assert main(["plan", "--start", "2027-01-11", "--out", str(out), "--time-limit", "5"]) == 0
    assert out.exists()
    assert capsys.readouterr().err.endswith(STOPPED_EARLY + "\n")  # after the files
    # proven infeasible, then Ctrl-C: no plan exists, explained (exit 1)
    assert main(["plan", "--start", "2027-01-11", "--weeks", "2", "--time-limit", "5"]) == 1
    assert "interrupted" not in capsys.readouterr().err
    # no plan yet
    stopped.update(status=Status.UNKNOWN, objective=None, bound=None, _plan=None)
    assert main(["plan", "--start", "2027-01-11", "--time-limit", "5"]) == INTERRUPTED_EXIT
    assert capsys.readouterr().err.strip().endswith(STOPPED_BEFORE_A_PLAN)


def test_python_dash_m_curriculum_is_the_command(tmp_path: Path) -> None:
    # where the venv's scripts are not on PATH, `python -m curriculum` runs the same command
    plan = tmp_path / "plan.ics"
    done = _as_module("curriculum", "plan", "--start", "2027-01-11", "--out", str(plan))
    assert done.returncode == 0, done.stderr
    assert "optimal" in done.stdout and "BEGIN:VEVENT" in plan.read_text(encoding="utf-8")
    bad = ("validate", "--modules", str(BAD_CSV), "--start", "2027-01-11")
    direct, usual = _as_module("curriculum", *bad), run(*bad)
    assert direct.returncode == usual.returncode == 2
    assert direct.stderr == usual.stderr


def _as_module(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m NAME ARGS`."""
    command = [sys.executable, "-m", name, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)
