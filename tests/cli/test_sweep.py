"""`curriculum sweep` (cli/commands.py): the same comparison here, in local processes and
on a real Dask cluster started as commands; bad input is exit 2 before any solving, a
failed scenario exit 1, Ctrl-C exit 130 with what finished."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from curriculum import read_catalog, read_program, sweep
from curriculum.cli import main
from tests.builders import SWEEP_STATUSES, SWEEP_VARY
from tests.interrupts import cli_command

# The tiny catalog of the other tests (1 h content 'a', 1 h skill 'b', density 2) and a
# programme of Tue and Thu 2 h meetings, no ramp, no duties, no supervision, in UTC.
MODULES = "id,title,kind,hours,density\na,A,content,1,2\nb,B,skill,1,2\n"
PROGRAM = """start = 2027-01-11
timezone = "UTC"
weeks = 2
duties = false
ongoing = false
[[meetings]]
weekday = "tue"
start = "18:00"
[[meetings]]
weekday = "thu"
start = "18:00"
[ramp]
weeks = 0
"""
# the sweep of tests/builders.py (SWEEP_VARY): weeks 1 x cap 1 is impossible, the others
# plan, weeks 0 is a bad value
VARY = ["--vary", "weeks=1,2,0", "--vary", "load.max_hours_per_week=1,2"]


@pytest.fixture
def inputs(tmp_path: Path) -> list[str]:
    (tmp_path / "modules.csv").write_text(MODULES, encoding="utf-8")
    (tmp_path / "program.toml").write_text(PROGRAM, encoding="utf-8")
    return ["--modules", str(tmp_path / "modules.csv"), "--program", str(tmp_path / "program.toml")]


def scenarios(path: Path) -> pd.DataFrame:
    """The CSV a sweep wrote, without the seconds each scenario took."""
    return pd.read_csv(path).drop(columns="runtime")


def test_a_sweep_prints_the_comparison_and_writes_its_files(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, page = tmp_path / "sweep.csv", tmp_path / "sweep.html"
    code = main(["sweep", *inputs, *VARY, "--csv", str(out), "--report", str(page)])
    assert code == 1  # two scenarios failed: weeks 0 is not a programme
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "Sweep of 6 scenarios: 3 with a plan, 1 proven impossible, 2 failed"
    assert (
        "scenario 4: scenario 4, key 'weeks': weeks must be a whole number from 1 to 520, not 0"
        in printed
    )
    assert printed[-2:] == [f"Scenarios written to {out}", f"Comparison written to {page}"]
    assert scenarios(out)["status"].tolist() == SWEEP_STATUSES
    assert page.read_text(encoding="utf-8").count("<svg") == 3
    # the same as the Python API gives
    catalog, program = read_catalog(inputs[1]), read_program(inputs[3])
    python = sweep(catalog, program, SWEEP_VARY)
    pd.testing.assert_frame_equal(
        scenarios(out), pd.read_csv(io.StringIO(python.to_csv())).drop(columns="runtime")
    )


def test_local_processes_and_a_dask_cluster_give_the_same_comparison(
    inputs: list[str], tmp_path: Path, dask_scheduler: str
) -> None:
    files = {}
    for name, where in (
        ("here", []),
        ("processes", ["--workers", "2"]),
        ("dask", ["--scheduler", dask_scheduler]),
    ):
        files[name] = tmp_path / f"{name}.csv"
        assert main(["sweep", *inputs, *VARY, *where, "--csv", str(files[name])]) == 1
    assert scenarios(files["here"])["status"].tolist() == SWEEP_STATUSES
    pd.testing.assert_frame_equal(scenarios(files["processes"]), scenarios(files["here"]))
    pd.testing.assert_frame_equal(scenarios(files["dask"]), scenarios(files["here"]))


def test_scenarios_from_a_file(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scenarios.toml"
    path.write_text(
        "[[scenario]]\nweeks = 1\n[[scenario]]\nload.max_hours_per_week = 1\n", encoding="utf-8"
    )
    assert main(["sweep", *inputs, "--scenarios", str(path), "--csv", str(tmp_path / "s.csv")]) == 0
    frame = pd.read_csv(tmp_path / "s.csv")
    # 1 week at the 4 h cap: both modules in week 1; 2 weeks at 1 h: one module a week
    assert frame[["weeks", "load.max_hours_per_week", "weeks_used"]].fillna(0).values.tolist() == [
        [1, 0, 1],
        [0, 1, 2],
    ]
    # nothing from the command on stderr (Dask's own log lines may be, from other tests)
    err = capsys.readouterr().err.splitlines()
    assert not [line for line in err if line.startswith(("warning:", "error:"))]


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ([], "say what to compare: --vary KEY=V1,V2,... or --scenarios FILE"),
        (["--vary", "weeks"], "option '--vary': 'weeks' is not KEY=V1,V2,..."),
        (["--vary", "weeks=1", "--vary", "weeks=2"], "--vary weeks is given twice"),
        (["--scenarios", "missing.toml"], "missing.toml: cannot read the file"),
        (["--vary", "weeks=1", "--scheduler", "nowhere"], "option '--scheduler': missing port"),
        (["--vary", "weeks=1", "--csv", "no/such/folder/s.csv"], "folder"),
    ],
)
def test_bad_input_is_exit_2_before_any_solving(
    inputs: list[str], options: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sweep", *inputs, *options]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "options",
    [["--workers", "0"], ["--workers", "2", "--scheduler", "tcp://127.0.0.1:8786"]],
)
def test_bad_options_are_exit_2(options: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["sweep", "--vary", "weeks=1", *options])
    assert exit_.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_without_dask_the_scheduler_option_names_the_extra(inputs: list[str]) -> None:
    # as if Dask were not installed: importing it fails
    script = (
        "import sys; sys.modules['distributed'] = None\n"
        "from curriculum.cli import main\n"
        f"sys.exit(main({['sweep', *inputs, '--vary', 'weeks=1', '--scheduler', 'tcp://127.0.0.1:1']!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert "pip install 'curriculum[distributed]'" in done.stderr
    assert "Traceback" not in done.stderr


def test_ctrl_c_cancels_the_scenarios_left_and_prints_what_finished(tmp_path: Path) -> None:
    # 6 scenarios of about 6 s each (a content share of 0.7 keeps the search busy) on 2
    # worker processes; Ctrl-C as a terminal sends it, to the whole process group
    program = tmp_path / "program.toml"
    program.write_text('timezone = "UTC"\n[balance]\ncontent_share = 0.7\n', encoding="utf-8")
    command = cli_command("sweep", "--program", str(program))
    command += ["--vary", "weeks=12,13,14,15,16,17", "--workers", "2", "--time-limit", "20"]
    sweeping = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    _wait_for_workers(sweeping.pid)
    time.sleep(1.0)  # the workers are solving
    os.killpg(sweeping.pid, signal.SIGINT)
    out, err = sweeping.communicate(timeout=60)
    assert sweeping.returncode == 130, err[-2000:]
    assert "interrupted: scenarios not yet solved were cancelled" in err
    assert "Traceback" not in err
    assert out.startswith("Sweep of 6 scenarios: ")
    rows = out.splitlines()[4:10]  # after the sentence, a blank line and two header lines
    statuses = [line.split()[2] for line in rows]  # scenario, weeks, status
    assert "cancelled" in statuses
    assert set(statuses) <= {"cancelled", "optimal", "feasible"}
    left = _running_in_group(sweeping.pid)  # its worker processes go with it (the
    deadline = time.monotonic() + 10  # resource tracker may take a moment to see it gone)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = _running_in_group(sweeping.pid)
    assert left == []


def _wait_for_workers(pid: int) -> None:
    """Until the process has started its worker processes (it submits scenarios then)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{pid}/task/{pid}/children")
        if children.exists() and len(children.read_text().split()) >= 2:
            return
        time.sleep(0.05)
    raise TimeoutError("the sweep started no worker processes")


def _running_in_group(group: int) -> list[str]:
    """The processes of a process group that still run (exited ones whose parent is gone
    may linger as zombies until the system reaps them: those do not count)."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:  # it exited meanwhile
            continue
        state, process_group = fields[0], int(fields[2])
        if process_group == group and state != "Z":
            running.append(command.decode(errors="replace"))
    return running
