"""`python -m benchmarks.gbacp`: the Generalised BACP instances, plain CP-SAT against
`solve_cohorts`.

For each instance of ``SHARED/gbacp/*.dzn`` (MiniZinc Challenge 2016/17 `gbac`), one after
the other in this process, with the same time limit and workers: the plain CP-SAT model
(`benchmarks.gbacp_plain`), then the instance as cohorts (`benchmarks.gbacp_cohorts`)
solved by `solve_cohorts`, its plans checked by `CohortsResult.check` and, read back as one
period per course, scored by the challenge's objective and hard constraints
(`benchmarks.gbacp_data`), independently of either solver. Prints a Markdown table.

Exit 0 when every plan passes `check()` and every plain CP-SAT plan keeps GBACP's hard
constraints, 1 otherwise (a cohorts plan that breaks a GBACP rule is reported, not failed:
the adapter says every one, so none should).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.gbacp_cohorts import cohorts, links, period_of
from benchmarks.gbacp_data import Instance, objective, read, violations
from benchmarks.gbacp_plain import plain_cpsat
from benchmarks.runner import ROOT
from curriculum import solve_cohorts

DEFAULT_SHARED = ROOT.parent / "shared" / "benchmarks"
HEADER = (
    "| instance | courses | curricula | periods | plain status | plain objective | plain bound "
    "| plain s | ours status | ours (GBACP objective) | ours s (build) | GBACP hard rules "
    "| check() |\n|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---|---|"
)


@dataclass
class Row:
    """One instance's figures."""

    instance: Instance
    plain: str  # status, objective, bound, seconds: Markdown cells
    ours: str
    ok: bool

    def line(self) -> str:
        """The Markdown table row."""
        i = self.instance
        return f"| {i.name} | {i.n_courses} | {i.n_curricula} | {i.n_periods} | {self.plain} | {self.ours} |"


def main(argv: Sequence[str] | None = None) -> int:
    """Run every instance (or those named); returns the exit code."""
    args = _parser().parse_args(argv)
    folder = args.shared / "gbacp"
    if not folder.is_dir():
        print(f"note: {folder} not found; no GBACP instances to run")
        return 0
    files = sorted(folder.glob("*.dzn"))
    if args.names:
        files = [f for f in files if f.stem in args.names]
    print(
        f"{len(files)} instances, {args.time_limit:g} s each, {args.workers} workers, seed "
        f"{args.seed}; {os.cpu_count()} cores, 1-minute load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    rows = []
    for path in files:
        rows.append(run(read(path), args.time_limit, args.workers, args.seed))
        print(rows[-1].line(), flush=True)
    print()
    print(HEADER)
    print("\n".join(row.line() for row in rows))
    print(f"1-minute load average at the end: {os.getloadavg()[0]:.1f}")
    return 0 if all(row.ok for row in rows) else 1


def run(instance: Instance, time_limit: float, workers: int, seed: int) -> Row:
    """Solve one instance both ways and score both plans."""
    started = time.perf_counter()
    plain = plain_cpsat(instance, time_limit, workers, seed)
    plain_s = time.perf_counter() - started
    plain_ok = plain.period_of is None or not violations(instance, plain.period_of)
    if plain.period_of is not None:
        assert objective(instance, plain.period_of) == plain.objective
    cells = [plain.status.lower(), _text(plain.objective), str(plain.bound), f"{plain_s:.1f}"]
    ours, ours_ok = _ours(instance, time_limit, workers, seed)
    return Row(instance, " | ".join(cells), ours, plain_ok and ours_ok)


def _ours(instance: Instance, time_limit: float, workers: int, seed: int) -> tuple[str, bool]:
    """`solve_cohorts` on the adapted instance: its cells and whether `check()` passed."""
    started = time.perf_counter()
    try:
        result = solve_cohorts(cohorts(instance), time_limit=time_limit, seed=seed, workers=workers)
    except ValueError as error:  # the layout does not fit, or an input the library refuses
        return f"error: {error} | – | {time.perf_counter() - started:.1f} | – | –", False
    wall = time.perf_counter() - started
    seconds = f"{wall:.1f} ({wall - result.runtime:.1f})"
    if not result.plans:
        return f"{result.status} | – | {seconds} | – | –", True
    problems = result.check()
    plan = period_of(instance, result.plans)
    broken = violations(instance, plan)
    rules = "hold" if not broken else f"{len(broken)} broken, e.g. {broken[0]}"
    linked = len(links(instance))
    status = f"{result.status}" + (f" ({linked} links)" if linked else "")
    checked = "[]" if not problems else f"{len(problems)} problems"
    cells = [status, str(objective(instance, plan)), seconds, rules, checked]
    return " | ".join(cells), not problems


def _text(value: int | None) -> str:
    return "–" if value is None else str(value)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.gbacp", description=__doc__)
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        metavar="PATH",
        help="folder with the public instances (gbacp/); default ../shared/benchmarks",
    )
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="per solver")
    parser.add_argument("--workers", type=int, default=2, metavar="N", help="CP-SAT workers")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("names", nargs="*", help="only these instances (file stems)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
