"""`python -m benchmarks.sweeps`: sweeps on a Dask LocalCluster against one process.

Three measurements, each run both ways with the same seed and 1 solver worker per
scenario, the frames compared (all but `runtime`) and every plan checked:

- a 24-scenario sweep of the bundled catalog (weeks x weekly cap x content share);
- 40 independent solves of the bundled catalog (the default programme, 40 start dates);
- Dask's cost per task: 200 tasks that do nothing, and 40 tasks that sleep 0.25 s (2
  workers: 5 s if scheduling cost nothing), against local processes and this process.

The cluster's start, and the first task on each worker (which imports the package), are
timed apart, before the runs compared. Exit 0 when every frame is identical and every
plan passes the checker, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

import distributed

from curriculum import Program, Sweep, read_catalog, sweep
from curriculum.parallel import local_processes, run_tasks
from curriculum.scenario import Task, solve_scenario

START = date(2027, 1, 11)  # a Monday
ZONE = "America/Toronto"
WORKERS = 2
# 6 x 2 x 2 = 24 scenarios, each proven optimal well inside the time limit (measured: 0.4 to
# 4 s alone on this 2-core machine), so the same plan comes back whatever runs it
SWEEP = {
    "weeks": [13, 14, 15, 16, 17, 18],
    "load.max_hours_per_week": [3.5, 4],
    "balance.content_share": [0.5, 0.6],
}
QUICK_SWEEP = {"weeks": [13, 14], "load.max_hours_per_week": [4]}
COHORTS, QUICK_COHORTS = 40, 4
TRIVIAL, QUICK_TRIVIAL = 200, 20
SLEEPS, QUICK_SLEEPS, NAP = 40, 4, 0.25


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurements and print them; returns the exit code."""
    args = _parser().parse_args(argv)
    quick = args.quick
    catalog = read_catalog()
    base = Program(start=START, timezone=ZONE)
    starts = [START + timedelta(weeks=k) for k in range(QUICK_COHORTS if quick else COHORTS)]
    loads = [os.getloadavg()]
    print(f"{os.cpu_count()} cores; 1-minute load average {loads[0][0]:.1f} at the start")

    started = time.perf_counter()
    with (
        distributed.LocalCluster(
            processes=True,
            n_workers=WORKERS,
            threads_per_worker=1,
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        cluster_start = time.perf_counter() - started
        dask = client.get_executor(pure=False)
        first = [Task(catalog, base, args.time_limit, 0, 1)] * WORKERS * 2
        warm = _timed(run_tasks, solve_scenario, first, dask)[0]
        print(
            f"LocalCluster of {WORKERS} processes up in {cluster_start:.2f} s; "
            f"first tasks (the workers import curriculum) {warm:.2f} s"
        )
        runs = [
            _compare(
                f"sweep of {_count(QUICK_SWEEP if quick else SWEEP)} scenarios",
                lambda executor: sweep(
                    catalog,
                    base,
                    QUICK_SWEEP if quick else SWEEP,
                    executor=executor,
                    time_limit=args.time_limit,
                    progress=False,
                ),
                client,
            ),
            _compare(
                f"{len(starts)} independent solves",
                lambda executor: sweep(
                    catalog,
                    base,
                    {"start": starts},
                    executor=executor,
                    time_limit=args.time_limit,
                    progress=False,
                ),
                client,
            ),
        ]
        overhead = _overhead(dask, quick)
        started = time.perf_counter()
    closed = time.perf_counter() - started
    loads.append(os.getloadavg())

    print()
    print(
        f"{'':26} {'one process':>11} {'Dask':>8} {'speed-up':>8} {'cores had':>11}  "
        "same frame, checked"
    )
    for run in runs:
        print(
            f"{run['name']:26} {run['here_s']:>9.2f} s {run['dask_s']:>6.2f} s "
            f"{run['speedup']:>7.2f}x {run['here_cores']:>5.2f}/{run['dask_cores']:<5.2f}  "
            f"{'yes' if run['identical'] else 'NO'}, "
            f"{'every plan passes' if run['checked'] else 'A PLAN FAILS THE CHECKER'}"
        )
    print()
    print(f"{'cost per task':28} {'one process':>12} {'processes':>10} {'Dask':>8}")
    for name, row in overhead.items():
        cells = ["—" if math.isnan(ms) else f"{ms:.2f} ms" for ms in row.values()]
        print(f"{name:28} {cells[0]:>12} {cells[1]:>10} {cells[2]:>8}")
    print(
        f"\nLocalCluster closed in {closed:.2f} s; 1-minute load average "
        f"{loads[-1][0]:.1f} at the end"
    )
    if max(load[0] for load in loads) > (os.cpu_count() or 1):
        print("note: the machine was busier than its cores; ratios are lower than on a quiet one")
    if args.json:
        _write(args.json, runs, overhead, cluster_start, warm, closed, loads, quick)
    ok = all(run["identical"] and run["checked"] for run in runs)
    return 0 if ok else 1


def _compare(
    name: str, run: Callable[[Executor | None], Sweep], client: distributed.Client
) -> dict[str, Any]:
    """The same sweep in this process and on Dask: seconds, speed-up, the cores each way
    had (CPU seconds over wall seconds: on a busy machine fewer than asked for), same
    frame, every plan checked."""
    cpu = time.process_time()
    here_s, here = _timed(run, None)
    here_cores = (time.process_time() - cpu) / here_s
    cpu = _workers_cpu(client)
    dask_s, there = _timed(run, client.get_executor(pure=False))
    dask_cores = (_workers_cpu(client) - cpu) / dask_s
    identical = here.frame.drop(columns="runtime").equals(there.frame.drop(columns="runtime"))
    checked = all(_passes(found) for found in (here, there))
    print(
        f"{name}: {here_s:.2f} s in one process, {dask_s:.2f} s on Dask ({here.summary})",
        flush=True,
    )
    return {
        "name": name,
        "here_s": round(here_s, 3),
        "dask_s": round(dask_s, 3),
        "speedup": round(here_s / dask_s, 3),
        "here_cores": round(here_cores, 2),
        "dask_cores": round(dask_cores, 2),
        "identical": bool(identical),
        "checked": checked,
        "statuses": here.frame["status"].value_counts().to_dict(),
    }


def _workers_cpu(client: distributed.Client) -> float:
    """CPU seconds the cluster's worker processes have used so far."""
    return float(sum(client.run(time.process_time).values()))


def _passes(found: Sweep) -> bool:
    """Every plan of the sweep passes the independent checker (and none is missing)."""
    planned = found.frame.index[found.frame["status"].isin(["optimal", "feasible"])]
    return len(planned) == len(found) and all(found.plan(i).check() == [] for i in planned)


def _overhead(dask: Executor, quick: bool) -> dict[str, dict[str, float]]:
    """Milliseconds per task: throughput (tasks that do nothing) and latency (sleeps)."""
    trivial = QUICK_TRIVIAL if quick else TRIVIAL
    sleeps = QUICK_SLEEPS if quick else SLEEPS
    rows: dict[str, dict[str, float]] = {
        f"{trivial} tasks that do nothing": {},
        f"{sleeps} sleeps of {NAP} s (beyond)": {},
    }
    with local_processes(WORKERS) as processes:
        run_tasks(abs, range(WORKERS * 2), processes)  # the processes are up
        for where, executor in (("here", None), ("processes", processes), ("dask", dask)):
            seconds, _ = _timed(run_tasks, abs, range(trivial), executor)
            rows[f"{trivial} tasks that do nothing"][f"{where}_ms"] = 1000 * seconds / trivial
            if executor is None:  # one after another: nothing to schedule
                rows[f"{sleeps} sleeps of {NAP} s (beyond)"][f"{where}_ms"] = math.nan
                continue
            seconds, _ = _timed(run_tasks, time.sleep, [NAP] * sleeps, executor)
            each = sleeps / WORKERS  # the sleeps each worker takes, one after another
            rows[f"{sleeps} sleeps of {NAP} s (beyond)"][f"{where}_ms"] = (
                1000 * (seconds - NAP * each) / each
            )
    return rows


def _timed(call: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Seconds `call(*args)` took, and what it returned."""
    started = time.perf_counter()
    value = call(*args)
    return time.perf_counter() - started, value


def _count(vary: dict[str, list[Any]]) -> int:
    count = 1
    for values in vary.values():
        count *= len(values)
    return count


def _write(path: Path, runs: list[dict[str, Any]], overhead: dict[str, Any], *facts: Any) -> None:
    cluster_start, warm, closed, loads, quick = facts
    record = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "quick": quick,
        "cores": os.cpu_count(),
        "load_average": loads,
        "python": platform.python_version(),
        "ortools": version("ortools"),
        "distributed": version("distributed"),
        "cluster_start_s": round(cluster_start, 3),
        "first_tasks_s": round(warm, 3),
        "cluster_close_s": round(closed, 3),
        "runs": runs,
        "per_task_ms": {
            name: {k: None if math.isnan(v) else round(v, 3) for k, v in row.items()}
            for name, row in overhead.items()
        },
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(f"JSON written to {path}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.sweeps", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few scenarios and tasks")
    parser.add_argument(
        "--time-limit", type=float, default=60.0, metavar="S", help="per scenario (default 60)"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    return parser


if __name__ == "__main__":  # the cluster's worker processes start fresh and import this
    sys.exit(main())
