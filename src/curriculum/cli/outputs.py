"""Where the commands' plans go: the files `curriculum plan` and `replan` write (calendar(s),
CSV, report, handout) and the checks that they can be written, made before any solving; and
`publish`'s calendar server."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from curriculum.errors import InputError, Problem
from curriculum.export.atomic import kept_in_place, write_all_atomically
from curriculum.export.caldav.publish import Publication
from curriculum.export.ics.write import facilitator_files
from curriculum.result import Result

OUTPUTS = {"out": "--out", "csv": "--csv", "report": "--report", "handout": "--handout"}


def check_outputs(args: argparse.Namespace, inputs: Sequence[str | None]) -> None:
    """Raise InputError before solving when an output cannot go where the user asked: a
    missing or read-only folder, a folder where a file is wanted (or the reverse), an
    output on top of an input, two outputs on one path."""
    problems = []
    seen: dict[Path, str] = {}
    read = _read(inputs)
    for option, flag in OUTPUTS.items():
        value = getattr(args, option, None)  # a command without this output
        if not value:
            continue
        path = Path(value)
        folder = option == "out" and bool(getattr(args, "by", None) or _cohorts(args))
        problem = _unwritable(path, folder=folder)
        if problem is None:
            problem = _lost(args, option, path, read, folder=folder)
        if problem is None:
            problem = _also_written(path, seen)
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


def _read(inputs: Sequence[str | None]) -> dict[Path, str]:
    """The input files of a run, by where they really are."""
    return {Path(path).resolve(): path for path in inputs if path}


def _lost(
    args: argparse.Namespace, option: str, path: Path, read: Mapping[Path, str], *, folder: bool
) -> str | None:
    """Why writing `path` would lose an input of the run, if it would: unless it is the
    previous plan's own file, which a re-plan updates (`_updated`)."""
    if path.resolve() not in read or (not folder and _updated(args, option, path)):
        return None
    return f"is an input of this run ({read[path.resolve()]}); it would be overwritten"


def _updated(args: argparse.Namespace, option: str, path: Path) -> bool:
    """Whether the output is a re-plan written over the previous plan's own file, in its
    own format (`--out` over an .ics, `--csv` over a CSV): a subscription feed updated in
    place. The previous plan is read whole before solving, and the file is replaced only
    with a plan, at once (`write_all_atomically`)."""
    previous = getattr(args, "previous", None)
    if args.command != "replan" or not previous or Path(previous).resolve() != path.resolve():
        return False
    calendar = Path(previous).suffix.lower() == ".ics"
    return option == ("out" if calendar else "csv")


def _also_written(path: Path, others: Mapping[Path, str]) -> str | None:
    """Why `path` cannot be written: another output of the run goes there too."""
    if path.resolve() in others:
        return f"is also where {others[path.resolve()]} writes"
    return None


def _cohorts(args: argparse.Namespace) -> bool:
    """Whether the command plans several cohorts (one calendar each: --out is a folder)."""
    return bool(getattr(args, "cohorts", None))


def _unwritable(path: Path, *, folder: bool) -> str | None:
    """Why `path` cannot be written (as a file, or with `folder` as a folder of files)."""
    if folder and path.suffix.lower() == ".ics":
        return (
            "--by facilitator and --cohorts write several calendars, so --out names a "
            "folder, not a .ics file"
        )
    if folder and path.exists() and not path.is_dir():
        return "is a file; --by facilitator and --cohorts need a folder"
    if not folder and path.is_dir():
        return "is a folder, not a file"
    if not folder and (problem := kept_in_place(path)):
        return problem
    parent = path.resolve().parent
    if not parent.is_dir():
        nearest = next((p for p in (parent, *parent.parents) if p.exists()), None)
        if nearest is not None and not nearest.is_dir():
            return f"'{nearest}' is a file, so it cannot hold '{path.name}'"
        return f"folder '{parent}' does not exist"
    target = path if folder and path.is_dir() else parent
    if not os.access(target, os.W_OK | os.X_OK):
        return f"folder '{target}' cannot be written to"
    return None


@dataclass(frozen=True)
class Outputs:
    """How to make each output a command can write (made only when asked for)."""

    calendars: Callable[[], Mapping[Path, bytes]]
    csv: Callable[[], str]
    report: Callable[[], str]
    handout: Callable[[], str]


def plan_outputs(result: Result, args: argparse.Namespace) -> Outputs:
    """The outputs of one plan: its calendar (or one per facilitator), CSV, report, handout."""
    plan = result.plan

    def calendars() -> Mapping[Path, bytes]:
        if args.by == "facilitator":
            return facilitator_files(plan, args.out, remind=args.remind)
        return {Path(args.out): plan.to_ics(remind=args.remind)}

    return Outputs(calendars, plan.to_csv, result.to_html, plan.to_handout)


def write_outputs(
    outputs: Outputs, args: argparse.Namespace, inputs: Sequence[str | None]
) -> list[str]:
    """Write what the options ask for as one set (all files, or none when one cannot be
    written); one line per file written. A calendar in the --out folder (one per
    facilitator or cohort, named only now) that is one of the run's `inputs` is an
    InputError, and nothing is written; so is one where another output goes."""
    files: dict[Path, bytes] = {}
    lines = []
    if args.out:
        calendars = outputs.calendars()
        read = _read(inputs)
        others = {
            Path(getattr(args, option)).resolve(): flag
            for option, flag in OUTPUTS.items()
            if option != "out" and getattr(args, option)
        }
        folder = bool(args.by or _cohorts(args))
        problems = [
            Problem(str(path), problem, column="--out", column_label="option")
            for path in calendars
            if (problem := _lost(args, "out", path, read, folder=folder))
            or (problem := _also_written(path, others))
        ]
        if problems:
            raise InputError(problems)
        files.update(calendars)
        lines += [f"Calendar written to {path}" for path in calendars]
        if folder:
            Path(args.out).mkdir(exist_ok=True)
    for option, make, what in (
        ("csv", outputs.csv, "Sessions"),
        ("report", outputs.report, "Report"),
        ("handout", outputs.handout, "Handout"),
    ):
        if getattr(args, option):
            files[Path(getattr(args, option))] = make().encode("utf-8")
            lines.append(f"{what} written to {getattr(args, option)}")
    write_all_atomically(files)
    return lines


def publish_to_server(publish: Callable[..., Publication], args: argparse.Namespace) -> int:
    """Publish with `publish` (`Plan.publish` or `CohortsResult.publish`) where the options
    say; print what changed."""
    done = publish(
        args.calendar,
        url=args.caldav,
        user=args.user,
        by=args.by,
        create=args.create,
        dry_run=args.dry_run,
    )
    for line in done.lines():
        print(line)
    return 0
