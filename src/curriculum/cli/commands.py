"""What each command does: read the inputs, solve or check, print, write the files.

Each returns the exit code: 0 success, 1 no plan that keeps every rule (reasons on
stderr), 2 bad input (raised as `InputError`, printed by `main`).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from curriculum.cli.cohorts import plan_cohorts, publish_cohorts, validate_cohorts
from curriculum.cli.outputs import (
    check_outputs,
    plan_outputs,
    publish_to_server,
    write_outputs,
)
from curriculum.cli.progress import (
    INTERRUPTED_EXIT,
    Progress,
    interrupted_exit,
    say_if_stopped_early,
    time_left,
)
from curriculum.compare import compare
from curriculum.errors import InputError, PlanWithoutProgramError, Problem, ProgramError
from curriculum.explain import assess
from curriculum.export.plan_file import read_plan
from curriculum.inputs.catalog import Catalog, read_catalog
from curriculum.inputs.consistency import check_together
from curriculum.inputs.program import Program
from curriculum.inputs.program_toml import read_program
from curriculum.inputs.scenarios import parse_vary, read_scenarios
from curriculum.meetings import calendar_warnings
from curriculum.parallel import dask_executor, local_processes
from curriculum.plan import Plan
from curriculum.render.sweeps import sweep_text
from curriculum.render.text import comparison_text, no_plan_text, plan_summary, times_line
from curriculum.solve import refuse_huge, solve
from curriculum.sweep import sweep as run_sweep

OPTIONS = {"start": "--start", "weeks": "--weeks", "timezone": "--timezone"}


def validate(args: argparse.Namespace) -> int:
    """Report what the inputs demand against what the programme allows."""
    if args.cohorts:
        return validate_cohorts(args)
    catalog, program = inputs(args)
    refuse_huge(catalog)  # as `plan` would
    check_together(catalog, program)
    readiness = assess(catalog, program)
    print(f"Catalog: {len(catalog)} modules, {catalog.total_hours:g} h ({catalog.source})")
    print(f"Programme: {program.name}, {program.weeks} weeks from {program.first_monday}")
    print(times_line(program))
    for line in readiness.lines:
        print(f"  {line}")
    warn([*program.warnings, *calendar_warnings(program)])
    for blocker in readiness.blockers:
        print(f"problem: {blocker}", file=sys.stderr)
    if readiness.blockers:
        return 1
    print("No problems found: a plan can be attempted.")
    return 0


def plan(args: argparse.Namespace) -> int:
    """Solve (or re-plan), print the plan, write the files asked for."""
    if getattr(args, "cohorts", None):
        return plan_cohorts(args)
    if args.command == "replan":
        previous = _previous(args)
        catalog, program = _replan_inputs(args, previous)
    else:
        previous = None
        catalog, program = inputs(args)
    read = [args.modules, args.program, args.previous if previous else None]
    check_outputs(args, read)
    limit = time_left(args.time_limit, args.started)
    with Progress(limit, enabled=not args.log):
        result = solve(
            catalog,
            program,
            time_limit=limit,
            seed=args.seed,
            log=args.log,
            previous=previous,
            freeze_before=getattr(args, "freeze_before", None),
        )
    warn(result.warnings)
    if result.conflicts or result.status.value not in ("optimal", "feasible"):
        if (code := interrupted_exit(result)) is not None:
            return code
        print(no_plan_text(result), file=sys.stderr)
        if args.report:
            result.to_html(args.report)
            print(f"Report (why there is no plan) written to {args.report}", file=sys.stderr)
        return 1
    broken = result.plan.check()
    # files first: a closed pipe loses no file
    written = write_outputs(plan_outputs(result, args), args, read)
    print(plan_summary(result, previous))
    for line in written:
        print(line)
    say_if_stopped_early(result)
    if broken:
        _print_broken("The plan breaks these rules:", broken)
        return 1
    return 0


def check(args: argparse.Namespace) -> int:
    """Check a plan file against every rule: 0 when all hold, 1 listing each broken one."""
    found = _plan_file(args)
    problems = found.check()
    what = f"{len(found.sessions)} sessions of {found.program.name}"
    if not problems:
        print(f"{args.plan_file}: {what}; every rule holds.")
        return 0
    _print_broken(f"{args.plan_file}: {what}; {len(problems)} broken:", problems)
    return 1


def publish(args: argparse.Namespace) -> int:
    """Publish a plan file (or with --cohorts every cohort's) to a CalDAV server (a failure
    raises `PublishError`: exit 2)."""
    if args.cohorts:
        return publish_cohorts(args)
    if args.calendar is None:
        raise InputError(
            [
                Problem(
                    "command line",
                    "publishing a plan file needs --calendar NAME: the calendar to publish to",
                    column="--calendar",
                    column_label="option",
                )
            ]
        )
    found = _plan_file(args)
    problems = found.check()
    if problems:
        _print_broken(f"warning: {args.plan_file} breaks {len(problems)} rules:", problems)
    return publish_to_server(found.publish, args)


def _plan_file(args: argparse.Namespace) -> Plan:
    """The plan file the command names, read with the catalog, programme or options given
    (by default those it carries)."""
    catalog = read_catalog(args.modules) if args.modules else None
    overrides = _overrides(args)
    program = _program(args.program, overrides) if args.program else None
    found = read_plan(args.plan_file, catalog=catalog, program=program)
    if overrides and program is None:
        program = _with_options(found.program, overrides)
        found = read_plan(args.plan_file, catalog=catalog, program=program)
    check_together(found.catalog, found.program, planning=False)
    return found


def compare_plans(args: argparse.Namespace) -> int:
    """Compare two plan files: what moved, each week's hours, each goal."""
    first, second = read_plan(args.first), read_plan(args.second)
    names = (Path(args.first).name, Path(args.second).name)
    if names[0] == names[1]:
        names = (str(args.first), str(args.second))
    if names[0] == names[1]:  # a file compared with itself
        names = (f"{names[0]} (1)", f"{names[1]} (2)")
    zone = {"timezone": args.timezone} if args.timezone else {}
    shown = _with_options(second.program, zone).timezone  # a bad zone: exit 2
    print(comparison_text(compare(first, second, names=names, timezone=shown)))
    return 0


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
        return INTERRUPTED_EXIT
    return 1 if (found.frame["status"] == "error").any() else 0


def inputs(args: argparse.Namespace) -> tuple[Catalog, Program]:
    """The catalog and programme the options name (bundled ones and defaults otherwise)."""
    catalog = read_catalog(args.modules)
    return catalog, _program(args.program, _overrides(args))


def warn(lines: list[str] | tuple[str, ...]) -> None:
    """Print each as a `warning:` line on stderr."""
    for line in lines:
        print(f"warning: {line}", file=sys.stderr)


def _program(path: str | None, overrides: dict[str, Any]) -> Program:
    try:
        return read_program(path, overrides=overrides) if path else Program(**overrides)
    except ProgramError as exc:  # a key an option overrides is the option's problem
        raise InputError(_as_options(exc, overrides)) from None


def _with_options(program: Program, overrides: dict[str, Any]) -> Program:
    """A plan file's own programme with the options' --start, --weeks and --timezone."""
    try:
        return dataclasses.replace(program, **overrides)
    except ProgramError as exc:
        raise InputError(_as_options(exc, overrides)) from None


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    return {key: getattr(args, key) for key in OPTIONS if getattr(args, key) is not None}


def _as_options(error: ProgramError, overrides: dict[str, Any]) -> list[Problem]:
    """A programme's problems, those about a command-line option named as that option."""
    return [
        Problem("command line", p.message, column=OPTIONS[p.column], column_label="option")
        if p.column in overrides
        else p
        for p in error.problems
    ]


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


def _previous(args: argparse.Namespace) -> Plan:
    """The plan to re-plan from, with a warning for every rule it breaks as its file says
    it was planned (a file that does not say: read with the programme the options give,
    unchecked)."""
    try:
        previous = read_plan(args.previous)
    except PlanWithoutProgramError:
        warn([f"{args.previous} does not say its programme, so it is not checked"])
        return read_plan(args.previous, program=inputs(args)[1])
    problems = previous.check()
    if problems:
        _print_broken(
            f"warning: the previous plan ({args.previous}) breaks {len(problems)} rules:",
            problems,
        )
        print(
            f"warning: sessions before {args.freeze_before} stay as they were (they happened);"
            " the rest are re-planned to keep every rule",
            file=sys.stderr,
        )
    return previous


def _replan_inputs(args: argparse.Namespace, previous: Plan) -> tuple[Catalog, Program]:
    """The catalog and programme to re-plan with: those the options name, else the
    previous plan's own (as `check` and `publish` read a plan file), with the options'
    --start, --weeks and --timezone."""
    catalog = read_catalog(args.modules) if args.modules else previous.catalog
    overrides = _overrides(args)
    if args.program:
        return catalog, _program(args.program, overrides)
    return catalog, _with_options(previous.program, overrides)


def _print_broken(head: str, problems: list[str]) -> None:
    print(head, file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
