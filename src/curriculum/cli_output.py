"""The files `curriculum plan` and `replan` write: calendar(s), CSV, report."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from curriculum.result import Result


def write_outputs(result: Result, args: argparse.Namespace) -> Iterator[str]:
    """Write what the options ask for; yield one line per file written."""
    plan = result.plan
    if args.out and args.by == "facilitator":
        from curriculum.export.ics import write_by_facilitator

        for path in write_by_facilitator(plan, args.out, remind=args.remind):
            yield f"Calendar written to {path}"
    elif args.out:
        plan.to_ics(args.out, remind=args.remind)
        yield f"Calendar written to {args.out}"
    if args.csv:
        plan.to_csv(args.csv)
        yield f"Sessions written to {args.csv}"
    if args.report:
        from curriculum.export.report import write_report

        write_report(result, args.report)
        yield f"Report written to {args.report}"
