"""The `curriculum` command: `validate` checks inputs, `plan` builds a plan, `replan` updates
one after a change, keeping the past.

Exit codes: 0 success, 1 no plan exists (reasons on stderr), 2 bad input (no traceback).
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import os
import re
import sys
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from curriculum.cli.outputs import write_outputs
from curriculum.cli.progress import Progress
from curriculum.errors import InputError, Problem
from curriculum.explain import assess
from curriculum.export.plan_file import read_plan
from curriculum.inputs.catalog import Catalog, read_catalog
from curriculum.inputs.program import Program
from curriculum.inputs.program_toml import read_program
from curriculum.render.text import no_plan_text, plan_summary
from curriculum.solve import solve

DURATION = re.compile(r"(\d+)\s*([mhd]?)")
UNITS = {"": "minutes", "m": "minutes", "h": "hours", "d": "days"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    if getattr(args, "by", None) and not args.out:
        parser.error("--by facilitator needs --out FOLDER")
    if getattr(args, "remind", None) and not args.out:
        parser.error("--remind needs --out")
    try:
        catalog, program = _inputs(args)
        if args.command == "validate":
            return _validate(catalog, program)
        return _plan(catalog, program, args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `curriculum plan | head`: the files are already written
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="curriculum", description="Evidence-based training programme scheduling."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("validate", "check the catalog and programme and report what they demand"),
        ("plan", "build the best plan and print it week by week"),
        ("replan", "re-plan after a change: keep what happened, move as little as possible"),
    ):
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("--modules", metavar="CSV", help="catalog (default: bundled)")
        command.add_argument("--program", metavar="TOML", help="programme (default: defaults)")
        command.add_argument("--start", type=_date, help="any date in week 1 (YYYY-MM-DD)")
        command.add_argument("--weeks", type=int, help="number of weeks")
    for name in ("plan", "replan"):
        _add_plan_options(commands.choices[name])
    replan = commands.choices["replan"]
    replan.add_argument("--previous", required=True, metavar="PLAN", help="plan .csv or .ics")
    replan.add_argument("--freeze-before", required=True, type=_date, metavar="DATE")
    return parser


def _add_plan_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--out", metavar="ICS", help="write the calendar (.ics) here")
    command.add_argument(
        "--by",
        choices=["facilitator"],
        help="with --out FOLDER: one calendar per facilitator in that folder",
    )
    command.add_argument("--remind", type=_duration, metavar="30m", help="calendar reminders")
    command.add_argument("--csv", metavar="CSV", help="write the sessions to this CSV file")
    command.add_argument("--report", metavar="HTML", help="write a printable HTML report")
    command.add_argument("--time-limit", type=_seconds, default=10.0, metavar="S", help="seconds")
    command.add_argument("--seed", type=_seed, default=0, help="random seed (same seed, same plan)")
    command.add_argument("--log", action="store_true", help="show the solver's progress")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2027-01-11") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of seconds")
    return value


def _seed(text: str) -> int:
    if not text.isdigit() or int(text) >= 2**31:
        raise argparse.ArgumentTypeError(f"'{text}' is not a seed from 0 to 2147483647")
    return int(text)


def _duration(text: str) -> timedelta:
    match = DURATION.fullmatch(text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"'{text}' is not a duration like 30m, 1h or 2d")
    return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


def _inputs(args: argparse.Namespace) -> tuple[Catalog, Program]:
    catalog = read_catalog(args.modules)
    program = read_program(args.program) if args.program else Program()
    changes = {
        key: value
        for key, value in (("start", args.start), ("weeks", args.weeks))
        if value is not None
    }
    return catalog, dataclasses.replace(program, **changes) if changes else program


def _validate(catalog: Catalog, program: Program) -> int:
    readiness = assess(catalog, program)
    print(f"Catalog: {len(catalog)} modules, {catalog.total_hours:g} h ({catalog.source})")
    print(f"Programme: {program.name}, {program.weeks} weeks from {program.first_monday}")
    for line in readiness.lines:
        print(f"  {line}")
    for blocker in readiness.blockers:
        print(f"problem: {blocker}", file=sys.stderr)
    if readiness.blockers:
        return 1
    print("No problems found: a plan can be attempted.")
    return 0


def _plan(catalog: Catalog, program: Program, args: argparse.Namespace) -> int:
    _check_outputs(args)
    previous = read_plan(args.previous) if args.command == "replan" else None
    with Progress(args.time_limit, enabled=not args.log):
        result = solve(
            catalog,
            program,
            time_limit=args.time_limit,
            seed=args.seed,
            log=args.log,
            previous=previous,
            freeze_before=getattr(args, "freeze_before", None),
        )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.conflicts or result.status.value not in ("optimal", "feasible"):
        print(no_plan_text(result), file=sys.stderr)
        return 1
    written = list(write_outputs(result, args))  # files first: a closed pipe loses no file
    print(plan_summary(result, previous))
    for line in written:
        print(line)
    return 0


def _check_outputs(args: argparse.Namespace) -> None:
    """Fail before solving when an output cannot go where the user asked."""
    for option in ("out", "csv", "report"):
        value = getattr(args, option)
        if not value:
            continue
        path, a_folder = Path(value), option == "out" and bool(args.by)
        problem = (
            f"folder '{path.parent}' does not exist"
            if not path.parent.resolve().is_dir()
            else "is a folder, not a file"
            if path.is_dir() and not a_folder
            else None
        )
        if problem:
            where = Problem(value, problem, column=f"--{option}", column_label="option")
            raise InputError([where])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
