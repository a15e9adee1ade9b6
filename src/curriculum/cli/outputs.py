"""The files `curriculum plan` and `replan` write: calendar(s), CSV, report."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from curriculum.export.ics.write import write_by_facilitator
from curriculum.result import Result


def write_outputs(result: Result, args: argparse.Namespace) -> Iterator[str]:
    """Write what the options ask for; yield one line per file written."""
    plan = result.plan
    if args.out and args.by == "facilitator":
        folder = args.out
        for path in write_by_facilitator(
            plan.sessions, plan.cancelled, plan.program, plan.catalog, folder, remind=args.remind
        ):
            yield f"Calendar written to {path}"
    elif args.out:
        plan.to_ics(args.out, remind=args.remind)
        yield f"Calendar written to {args.out}"
    if args.csv:
        plan.to_csv(args.csv)
        yield f"Sessions written to {args.csv}"
    if args.report:
        result.to_html(args.report)
        yield f"Report written to {args.report}"
