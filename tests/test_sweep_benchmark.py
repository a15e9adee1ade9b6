"""The sweep benchmark (benchmarks/sweeps.py) runs end to end in its quick form: frames the
same in one process and on Dask, every plan through the checker. No timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.builders import ROOT


def test_the_quick_sweep_benchmark_runs_and_its_frames_agree(tmp_path: Path) -> None:
    out = tmp_path / "sweeps.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.sweeps", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    record = json.loads(out.read_text(encoding="utf-8"))
    # the quick sweep: weeks 13 and 14 at a 4 h cap; 4 solves from 4 start dates
    assert [(run["name"], run["identical"], run["checked"]) for run in record["runs"]] == [
        ("sweep of 2 scenarios", True, True),
        ("4 independent solves", True, True),
    ]
    assert [run["statuses"] for run in record["runs"]] == [{"optimal": 2}, {"optimal": 4}]
    assert set(record["per_task_ms"]) == {"20 tasks that do nothing", "4 sleeps of 0.25 s (beyond)"}
