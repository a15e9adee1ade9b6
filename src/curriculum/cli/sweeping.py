"""`curriculum sweep`: solve variants of the programme (here, in local processes or on a
Dask cluster) and compare them."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any

from curriculum.cli.commands import inputs
from curriculum.cli.outputs import check_outputs
from curriculum.errors import InputError, Problem
from curriculum.inputs.scenarios import parse_vary, read_scenarios
from curriculum.parallel import dask_executor, local_processes
from curriculum.render.sweeps import sweep_text
from curriculum.sweep import sweep as run_sweep


def sweep(args: argparse.Namespace) -> int:
    """Solve every scenario (here, in local processes or on a Dask cluster), print the
    comparison, write the files asked for: 0 when every scenario was solved, 1 when some
    failed (a bad value, a lost worker), 130 when interrupted (what finished is kept)."""
    catalog, program = inputs(args)
    check_outputs(args, [args.modules, args.program, args.scenarios])
    vary = _vary(args.vary)
    scenarios = read_scenarios(args.scenarios) if args.scenarios else None
    if not vary and scenarios is None:
        raise InputError(
            [
                Problem(
                    "command line", "say what to compare: --vary KEY=V1,V2,... or --scenarios FILE"
                )
            ]
        )
    with _executor(args) as executor:
        found = run_sweep(
            catalog,
            program,
            vary,
            scenarios,
            executor=executor,
            time_limit=args.time_limit,
            seed=args.seed,
        )
    if args.csv:
        found.to_csv(args.csv)
    if args.report:
        found.to_html(args.report)
    print(sweep_text(found.frame, found.summary))
    for option, what in (("csv", "Scenarios"), ("report", "Comparison")):
        if getattr(args, option):
            print(f"{what} written to {getattr(args, option)}")
    if found.interrupted:
        print("interrupted: scenarios not yet solved were cancelled", file=sys.stderr)
        return 130
    return 1 if (found.frame["status"] == "error").any() else 0


def _vary(texts: list[str]) -> dict[str, list[Any]]:
    """The --vary options as key -> values; a key given twice is an error."""
    vary: dict[str, list[Any]] = {}
    for text in texts:
        key, values = parse_vary(text)
        if key in vary:
            raise InputError(
                [
                    Problem(
                        "command line",
                        f"--vary {key} is given twice",
                        column="--vary",
                        column_label="option",
                    )
                ]
            )
        vary[key] = values
    return vary


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[Executor | None]:
    """Local processes (--workers), a Dask cluster (--scheduler), or None: this process."""
    if args.workers:
        with local_processes(args.workers) as pool:
            yield pool
        return
    if not args.scheduler:
        yield None
        return
    with contextlib.ExitStack() as stack:
        try:
            executor = stack.enter_context(dask_executor(args.scheduler))
        except (ImportError, OSError, ValueError) as exc:
            where = Problem(args.scheduler, str(exc), column="--scheduler", column_label="option")
            raise InputError([where]) from None
        yield executor
