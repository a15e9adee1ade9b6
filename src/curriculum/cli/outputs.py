"""The files `curriculum plan` and `replan` write: calendar(s), CSV, report, handout; and
the checks that they can be written, made before any solving."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from curriculum.errors import InputError, Problem
from curriculum.export.atomic import write_all_atomically
from curriculum.export.ics.write import facilitator_files
from curriculum.result import Result

OUTPUTS = {"out": "--out", "csv": "--csv", "report": "--report", "handout": "--handout"}


def check_outputs(args: argparse.Namespace, inputs: Sequence[str | None]) -> None:
    """Raise InputError before solving when an output cannot go where the user asked: a
    missing or read-only folder, a folder where a file is wanted (or the reverse), an
    output on top of an input, two outputs on one path."""
    problems = []
    seen: dict[Path, str] = {}
    read = {Path(path).resolve(): path for path in inputs if path}
    for option, flag in OUTPUTS.items():
        value = getattr(args, option, None)  # a command without this output
        if not value:
            continue
        path = Path(value)
        folder = option == "out" and bool(getattr(args, "by", None))
        problem = _unwritable(path, folder=folder)
        if problem is None and path.resolve() in read:
            problem = f"is an input of this run ({read[path.resolve()]}); it would be overwritten"
        if problem is None and path.resolve() in seen:
            problem = f"is also where {seen[path.resolve()]} writes"
        if problem:
            problems.append(Problem(value, problem, column=flag, column_label="option"))
        seen[path.resolve()] = flag
    if getattr(args, "by", None) and not args.out:
        problems.append(
            Problem(
                "--by", "--by facilitator needs --out FOLDER", column="--by", column_label="option"
            )
        )
    if getattr(args, "remind", None) and not args.out:
        problems.append(
            Problem("--remind", "--remind needs --out", column="--remind", column_label="option")
        )
    if problems:
        raise InputError(problems)


def _unwritable(path: Path, *, folder: bool) -> str | None:
    """Why `path` cannot be written (as a file, or with `folder` as a folder of files)."""
    if folder and path.suffix.lower() == ".ics":
        return (
            "--by facilitator writes one calendar per facilitator, so --out names a folder, "
            "not a .ics file"
        )
    if folder and path.exists() and not path.is_dir():
        return "is a file; --by facilitator needs a folder"
    if not folder and path.is_dir():
        return "is a folder, not a file"
    parent = path.resolve().parent
    if not parent.is_dir():
        return f"folder '{parent}' does not exist"
    target = path if folder and path.is_dir() else parent
    if not os.access(target, os.W_OK | os.X_OK):
        return f"folder '{target}' cannot be written to"
    return None


def write_outputs(result: Result, args: argparse.Namespace) -> list[str]:
    """Write what the options ask for as one set (all files, or none when one cannot be
    written); one line per file written."""
    plan = result.plan
    files: dict[Path, bytes] = {}
    lines = []
    if args.out and args.by == "facilitator":
        Path(args.out).mkdir(exist_ok=True)
        files.update(facilitator_files(plan, args.out, remind=args.remind))
        lines += [f"Calendar written to {path}" for path in files]
    elif args.out:
        files[Path(args.out)] = plan.to_ics(remind=args.remind)
        lines.append(f"Calendar written to {args.out}")
    if args.csv:
        files[Path(args.csv)] = plan.to_csv().encode("utf-8")
        lines.append(f"Sessions written to {args.csv}")
    if args.report:
        files[Path(args.report)] = result.to_html().encode("utf-8")
        lines.append(f"Report written to {args.report}")
    if args.handout:
        files[Path(args.handout)] = plan.to_handout().encode("utf-8")
        lines.append(f"Handout written to {args.handout}")
    write_all_atomically(files)
    return lines
