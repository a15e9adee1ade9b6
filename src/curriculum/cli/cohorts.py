"""`curriculum validate|plan|publish --cohorts FILE`: several cohorts at once, each with its
own files named in the cohorts file."""

from __future__ import annotations

import argparse
import sys

import pandas as pd

from curriculum.cli.outputs import Outputs, check_outputs, publish_to_server, write_outputs
from curriculum.cli.progress import Progress, interrupted_exit, say_if_stopped_early, time_left
from curriculum.cohorts.checks import check_shared
from curriculum.cohorts.counting import overloads, who_teaches
from curriculum.cohorts.read import read_cohorts, read_published
from curriculum.cohorts.result import CohortsResult
from curriculum.cohorts.solve import programme_warnings, published_plan, solve_cohorts
from curriculum.errors import InputError, Problem
from curriculum.explain import assess
from curriculum.inputs.cohorts import Cohorts
from curriculum.inputs.consistency import check_together
from curriculum.render.text import conflicts_text
from curriculum.result import Status
from curriculum.solve import refuse_huge
from curriculum.units import hours_text

# Options that name one cohort's inputs: with --cohorts, the cohorts file names them.
ONE_COHORT = ("modules", "program", "start", "weeks", "timezone")


def cohorts_of(args: argparse.Namespace) -> Cohorts:
    """The cohorts file the options name (refusing options that name one cohort's files)."""
    _refuse_one_cohort_options(args)
    return read_cohorts(args.cohorts)


def _refuse_one_cohort_options(args: argparse.Namespace) -> None:
    given = [f"--{name}" for name in ONE_COHORT if getattr(args, name, None)]
    if given:
        raise InputError(
            [
                Problem(
                    "command line",
                    f"{', '.join(given)} cannot be used with --cohorts: the cohorts file names "
                    "each cohort's catalog and programme",
                    column=given[0],
                    column_label="option",
                )
            ]
        )


def validate_cohorts(args: argparse.Namespace) -> int:
    """Report each cohort's demands and what they share; 1 when some cannot be met."""
    cohorts = cohorts_of(args)
    blockers = []
    print(f"Cohorts: {cohorts.name}, {len(cohorts)} cohorts ({cohorts.source})")
    for cohort in cohorts.cohorts:
        catalog, program = cohort.catalog, cohort.program
        refuse_huge(catalog)  # as `plan --cohorts` would
        state = "committed: its published plan stays" if cohort.is_committed else "to plan"
        print(
            f"- {cohort.name}: {len(catalog)} modules, {catalog.total_hours:g} h; "
            f"{program.weeks} weeks from {program.first_monday}; {state}"
        )
        if cohort.committed is not None:
            # its published plan, checked against its own rules and the shared days away
            broken = published_plan(cohort).check()
            blockers += [f"{cohort.name} (published, it stays): {b}" for b in broken]
            continue
        check_together(catalog, program)
        readiness = assess(catalog, program)
        for line in readiness.lines:
            print(f"    {line}")
        blockers += [f"{cohort.name}: {b}" for b in readiness.blockers]
    for line in programme_warnings(cohorts):  # as `plan --cohorts` says them
        print(f"warning: {line}", file=sys.stderr)
    blockers += _published_together(cohorts) + [o.summary for o in overloads(cohorts)]
    for who, limits in cohorts.facilitators.items():
        having = [c.name for c in cohorts.cohorts if who_teaches(c.catalog, who)]
        cap = limits.max_hours_per_week
        capped = f"at most {hours_text(cap)} h a week" if cap is not None else "no weekly cap"
        away = f", away {len(limits.unavailable)} days" if limits.unavailable else ""
        print(f"Shared facilitator {who}: {capped} across {', '.join(having)}{away}")
    for module_id in cohorts.joint:
        names = ", ".join(c.name for c in cohorts.having(module_id))
        print(f"Joint module {module_id}: taught once to {names}")
    for blocker in blockers:
        print(f"problem: {blocker}", file=sys.stderr)
    if blockers:
        return 1
    print("No problems found: plans can be attempted.")
    return 0


def _published_together(cohorts: Cohorts) -> list[str]:
    """The shared rules the published plans break, between them or with any cohort's weekly
    ongoing sessions (all fixed, so no plan for the other cohorts can mend that)."""
    published = [
        published_plan(c).sessions.assign(cohort=c.name) for c in cohorts.cohorts if c.is_committed
    ]
    if not published:
        return []
    sessions = pd.concat(published, ignore_index=True)
    return [f"published plans together: {problem}" for problem in check_shared(sessions, cohorts)]


def plan_cohorts(args: argparse.Namespace) -> int:
    """Plan every cohort at once, print a summary, write the files asked for."""
    cohorts = cohorts_of(args)
    read = [args.cohorts, *cohorts.files]
    check_outputs(args, read)
    limit = time_left(args.time_limit, args.started)
    with Progress(limit, enabled=not args.log):
        result = solve_cohorts(cohorts, time_limit=limit, seed=args.seed, log=args.log)
    for line in result.warnings:
        print(f"warning: {line}", file=sys.stderr)
    if not result.plans:
        if (code := interrupted_exit(result)) is not None:
            return code
        text = conflicts_text(
            result.conflicts, result.fix, str(result.status), result.runtime, "the cohorts' year"
        )
        print(text, file=sys.stderr)
        if args.report:
            result.to_html(args.report)
            print(f"Report (why there are no plans) written to {args.report}", file=sys.stderr)
        return 1
    broken = result.check()
    outputs = Outputs(
        lambda: result.calendars(args.out, by=args.by, remind=args.remind),
        result.to_csv,
        result.to_html,
        result.to_handout,
    )
    written = write_outputs(outputs, args, read)
    print(summary(result))
    for line in written:
        print(line)
    say_if_stopped_early(result)
    if broken:
        print("The plans break these rules:", file=sys.stderr)
        for problem in broken:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    return 0


def publish_cohorts(args: argparse.Namespace) -> int:
    """Publish the plans the cohorts file holds as published (each cohort's `plan` file) to
    a CalDAV server; a warning for every rule they break (a failure raises `PublishError`:
    exit 2)."""
    _refuse_one_cohort_options(args)
    cohorts, plans = read_published(args.cohorts)
    # the published plans, as a result: checked together and published together
    result = CohortsResult(Status.FEASIBLE, None, None, 0.0, cohorts, plans)
    for problem in result.check():
        print(f"warning: {problem}", file=sys.stderr)
    return publish_to_server(result.publish, args)


def summary(result: CohortsResult) -> str:
    """The status, each cohort's sessions and dates, and each shared facilitator's
    busiest week against their cap."""
    lines = [
        f"{result.cohorts.name}: {len(result.plans)} cohorts planned together",
        f"Status: {result.status}, objective {result.objective:g} (bound {result.bound:g}), "
        f"{result.runtime:.1f} s",
    ]
    for name, plan in result.plans.items():
        sessions = plan.sessions
        first, last = sessions["start"].min(), sessions["end"].max()
        lines.append(
            f"  {name}: {len(sessions)} sessions, {sessions['hours'].sum():g} h, "
            f"{first:%a %Y-%m-%d} to {last:%a %Y-%m-%d} ({plan.program.timezone})"
        )
    load = result.facilitator_load
    for who, rows in load.groupby("facilitator", sort=True):
        if rows["cohorts"].str.contains(";").any() or result.cohorts.shared(str(who)):
            peak = rows.iloc[int(rows["hours"].to_numpy().argmax())]
            cap = result.cohorts.shared(str(who))
            limit = cap.max_hours_per_week if cap else None
            capped = f" (cap {hours_text(limit)} h)" if limit is not None else ""
            lines.append(
                f"  {who}: busiest week {hours_text(float(peak['hours']))} h, week of "
                f"{peak['week']}{capped}"
            )
    return "\n".join(lines)
