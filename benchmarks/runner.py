"""Run one case: each solver in a fresh subprocess, then ratios and a verdict."""

from __future__ import annotations

import compileall
import importlib.util
import json
import os
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.cases import DEFAULT_START, Case, instance
from benchmarks.files import write_catalog, write_program
from benchmarks.process import Finished, run_measured

ROOT = Path(__file__).resolve().parents[1]
FLOOR_IMPORTS = "import ortools.sat.python.cp_model, pandas, icalendar"
CLI_RUNS = 3  # the command and the floor each run this often, in turns; the fastest counts


@dataclass(frozen=True)
class Options:
    """Suite-wide settings: shared folder, time-limit ceiling, CP-SAT workers."""

    shared: Path
    time_limit: float
    workers: int


def run_case(case: Case, options: Options) -> dict[str, Any]:
    """Solve a case with the curriculum model, the baseline (again in CP-SAT's repeatable
    mode where it proves its answer) and the public `solve()` (which adds what
    `curriculum.cpsat.search` does around the model, and explains infeasibility), and for
    `default` time the CLI against the import floor."""
    limit = min(case.time_limit, options.time_limit)
    if case.expect == "limit":
        return _limit_case(case, limit, options)
    load = os.getloadavg()[0]
    ours = _child(case, "curriculum", limit, options)
    base = _child(case, "baseline", limit, options)
    row: dict[str, Any] = {"case": case.name, "expect": case.expect, "time_limit": limit}
    row["load_average"] = [load, os.getloadavg()[0]]  # 1-minute, before and after the runs
    row.update(ours.pop("instance", {}))
    base.pop("instance", None)
    row.update(ours)
    row["baseline"] = base
    row["repeatable"] = _repeatable(case, base, limit, options)
    row["ratio"] = {
        "first_plan": _ratio(ours.get("first_plan_s"), base.get("first_plan_s")),
        "wall": _ratio(ours.get("wall_s"), base.get("wall_s")),
    }
    full = _child(case, "solve", limit, options)
    full.pop("instance", None)
    row["solve"] = full
    row["ratio"]["solve_wall"] = _ratio(full.get("wall_s"), base.get("wall_s"))
    row["ratio"]["solve_first_plan"] = _ratio(full.get("first_plan_s"), base.get("first_plan_s"))
    row["ratio"]["solve_repeatable"] = _ratio(full.get("wall_s"), row["repeatable"].get("wall_s"))
    if case.source == "default":
        row.update(_cli_against_floor(limit))
    row["failures"] = _failures(case, row)
    return row


def _limit_case(case: Case, limit: float, options: Options) -> dict[str, Any]:
    """Time-limit adherence: the wall time until `solve()` returns (in its process, from
    the call) and until the `curriculum plan` process exits (reading the files included)."""
    load = os.getloadavg()[0]
    full = _child(case, "solve", limit, options)
    instance_size = full.pop("instance", {})
    skipped = {"solver": "-", "status": "skipped"}
    row: dict[str, Any] = {"case": case.name, "expect": case.expect, "time_limit": limit}
    row.update(instance_size)
    row.update({"solver": "-", "status": "skipped", "baseline": dict(skipped), "solve": full})
    row["repeatable"] = dict(skipped)
    row["ratio"] = {"first_plan": None, "wall": None}
    with tempfile.TemporaryDirectory() as folder:
        catalog, program = instance(case, options.shared)
        modules, settings = Path(folder) / "modules.csv", Path(folder) / "program.toml"
        write_catalog(catalog, modules)
        write_program(program, settings)
        argv = [sys.executable, "-m", "curriculum.cli", "plan", "--modules", str(modules)]
        argv += ["--program", str(settings), "--time-limit", f"{limit:g}"]
        cli = run_measured(argv, timeout=limit + 300, cwd=ROOT)
    row["cli"] = {"command": "curriculum plan --modules ... --program ...", **_process(cli)}
    row["cli"]["stderr"] = _tail(cli, 3)
    row["load_average"] = [load, os.getloadavg()[0]]
    row["failures"] = _failures(case, row)
    return row


def _repeatable(case: Case, base: dict[str, Any], limit: float, options: Options) -> dict[str, Any]:
    """The baseline again in CP-SAT's repeatable mode, where the plain one proved its
    answer: there its speed is what `solve()` is judged against, and this run shows how much
    of any difference is the repeatability `solve()` keeps (elsewhere it is skipped, to keep
    the suite's time down)."""
    if base["status"] not in ("optimal", "infeasible"):
        return {"solver": "repeatable baseline", "status": "skipped"}
    run = _child(case, "repeatable", limit, options)
    run.pop("instance", None)
    return run


def _child(case: Case, solver: str, limit: float, options: Options) -> dict[str, Any]:
    """One solver run in a fresh process: its record, plus process time and peak memory."""
    request = {
        "case": asdict(case),
        "solver": solver,
        "time_limit": limit,
        "workers": options.workers,
        "shared": str(options.shared),
    }
    argv = [sys.executable, "-m", "benchmarks.child", json.dumps(request)]
    finished = run_measured(argv, timeout=3 * limit + 300, cwd=ROOT)
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        return {"solver": solver, "status": "error", **_process(finished), "error": _tail(finished)}
    record: dict[str, Any] = json.loads(lines[-1])
    return {**record, **_process(finished)}


def _cli_against_floor(limit: float) -> dict[str, Any]:
    """The whole `curriculum plan` process next to the bare imports it cannot avoid, each the
    fastest of `CLI_RUNS` (or the command's first failed run), run in turns so that a busy spell
    slows both alike."""
    command = [sys.executable, "-m", "curriculum.cli", "plan", "--start", str(DEFAULT_START)]
    # as installed: pip compiles a package's bytecode, which ortools, pandas and icalendar
    # have; an editable install's is written at first import, unless PYTHONDONTWRITEBYTECODE
    # (set on these machines) stops that, and then every run compiled all our modules again
    # (measured: 1.84x the floor against 1.44-1.47x, 0.12 s)
    spec = importlib.util.find_spec("curriculum")
    package = Path(spec.origin).parent if spec is not None and spec.origin else None
    if package is None or not compileall.compile_dir(package, quiet=1):
        raise RuntimeError(
            "could not compile curriculum's bytecode, so the command would not be timed as installed"
        )
    clis, floors = [], []
    for _ in range(CLI_RUNS):
        clis.append(
            run_measured([*command, "--time-limit", f"{limit:g}"], timeout=limit + 120, cwd=ROOT)
        )
        floors.append(run_measured([sys.executable, "-c", FLOOR_IMPORTS], timeout=120, cwd=ROOT))
    failed = [f for f in clis if f.returncode != 0]
    cli = failed[0] if failed else min(clis, key=lambda f: f.wall_s)  # a failure is the news
    floor = min(floors, key=lambda f: f.wall_s)
    return {
        "cli": {
            "command": " ".join(command[1:]),
            "runs_s": [f.wall_s for f in clis],
            **_process(cli),
            "timed_out": any(f.timed_out for f in clis),
        },
        "floor": {
            "imports": FLOOR_IMPORTS,
            "runs_s": [f.wall_s for f in floors],
            **_process(floor),
        },
        "cli_over_floor": _ratio(cli.wall_s, floor.wall_s),
    }


def _process(finished: Finished) -> dict[str, Any]:
    return {
        "process_s": finished.wall_s,
        "cpu_s": finished.cpu_s,
        "peak_mib": finished.peak_mib,
        "exit": finished.returncode,
        "timed_out": finished.timed_out,
    }


def _tail(finished: Finished, lines: int = 15) -> str:
    return "\n".join(finished.stderr.strip().splitlines()[-lines:])


def _headline(stderr: str) -> str:
    """The line that says what went wrong: the last one that is not a banner."""
    lines = [line.strip() for line in stderr.splitlines()]
    meaningful = [line for line in lines if line and not line.startswith("***")]
    return meaningful[-1][:160] if meaningful else "no error output"


def _ratio(ours: float | None, base: float | None) -> float | None:
    if ours is None or base is None or base <= 0:
        return None
    return ours / base


def _failures(case: Case, row: dict[str, Any]) -> list[str]:
    """What went wrong: crashes, checker violations, or a status contradicting the case."""
    found = []
    runs = [row, row["baseline"], row["repeatable"], row["solve"]]
    for run in runs:
        who = run["solver"]
        if run["status"] == "skipped":
            continue
        if run["status"] == "error":
            found.append(f"{who} crashed (exit {run['exit']}): {_headline(run.get('error', ''))}")
        if run.get("violations"):
            found.append(f"{who}: {run['violations']} checker violations")
        if case.expect == "plan" and run["status"] == "infeasible":
            found.append(f"{who} calls a feasible instance infeasible")
        if case.expect == "infeasible" and run["status"] in ("optimal", "feasible"):
            found.append(f"{who} found a plan where none exists")
    if case.expect == "limit":
        refused = row["solve"]["status"] == "refused"
        if refused != (row["cli"]["exit"] == 2):
            found.append(
                f"solve() {row['solve']['status']} but the CLI exited {row['cli']['exit']}"
            )
    elif "cli" in row and row["cli"]["exit"] != 0:
        found.append(f"the CLI exited with {row['cli']['exit']}")
    return found
