"""`python -m benchmarks`: run the suite, print the table, write the JSON.

Exit 0 when every case ran, every plan passed the checker and no status contradicts its
case (a time-out without an answer is reported, not failed); 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

from benchmarks.cases import Case, all_cases
from benchmarks.report import LEGEND, progress, table, write_json
from benchmarks.runner import ROOT, Options, run_case
from benchmarks.targets import judged

DEFAULT_SHARED = ROOT.parent / "shared" / "benchmarks"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; returns the exit code."""
    args = _parser().parse_args(argv)
    options = Options(args.shared.resolve(), args.time_limit, args.workers)
    cases = _selected(all_cases(quick=args.quick), args.cases, options.shared)
    meta = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "quick": args.quick,
        "time_limit": args.time_limit,
        "workers": args.workers,
        "shared": str(options.shared),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "python": platform.python_version(),
        "ortools": version("ortools"),
        "machine": platform.platform(),
    }
    rows = []
    started = time.perf_counter()
    for number, case in enumerate(cases, start=1):
        rows.append(run_case(case, options))
        print(progress(rows[-1], f"{number}/{len(cases)}"), flush=True)
        write_json(args.json, meta, rows)
    meta["total_s"] = round(time.perf_counter() - started, 2)
    meta["load_average_end"] = os.getloadavg()
    write_json(args.json, meta, rows)
    print()
    print(table(rows))
    print(LEGEND)
    print()
    print(judged(rows))
    print(f"{len(rows)} cases in {meta['total_s']:.0f} s; JSON written to {args.json}")
    busy = max(max(row["load_average"]) for row in rows) if rows else 0.0
    if busy > (os.cpu_count() or 1):
        print(
            f"note: the 1-minute load average reached {busy:.1f} on {os.cpu_count()} cores; "
            "wall times are inflated by other processes (see cpu_s in the JSON)"
        )
    failed = [row["case"] for row in rows if row["failures"]]
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small cases, short limits")
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        metavar="PATH",
        help="folder with the public instances (bacp/); default ../shared/benchmarks",
    )
    parser.add_argument(
        "--json",
        type=Path,
        default=Path("bench-results.json"),
        metavar="PATH",
        help="where to write the results (default: bench-results.json)",
    )
    parser.add_argument("--cases", metavar="REGEX", help="only cases whose name matches")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="S",
        help="ceiling on every case's own limit (default 60)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="CP-SAT workers for both solvers (default: one per core)",
    )
    return parser


def _selected(cases: list[Case], pattern: str | None, shared: Path) -> list[Case]:
    """Cases matching the pattern; BACP ones dropped with a note when the data is absent."""
    if pattern:
        cases = [case for case in cases if re.search(pattern, case.name)]
    if not (shared / "bacp").is_dir() and any(case.source == "bacp" for case in cases):
        print(f"note: {shared / 'bacp'} not found; skipping the BACP cases", flush=True)
        cases = [case for case in cases if case.source != "bacp"]
    return cases


if __name__ == "__main__":
    sys.exit(main())
