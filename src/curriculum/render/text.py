"""A readable week-by-week summary of a result, for the terminal."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import pandas as pd

from curriculum.compare import Comparison
from curriculum.explain import Conflict, Suggestion
from curriculum.export.ics.ledger import CHANGES, updated_events
from curriculum.inputs.program import Program
from curriculum.inputs.zones import machine_zone_quietly
from curriculum.plan import Plan
from curriculum.result import Result


def plan_summary(result: Result, previous: Plan | None = None) -> str:
    """The programme, each week's modules and totals, the objective goal by goal, and what
    changed since `previous` when re-planning."""
    plan = result.plan
    program = plan.program
    lines = [
        f"{program.name}: {program.weeks} weeks from {program.first_monday}",
        times_line(program),
        f"Status: {result}",
        "",
    ]
    by_week: dict[int, list[dict[Hashable, Any]]] = {}
    for session in plan.sessions.sort_values("start").to_dict("records"):
        by_week.setdefault(int(session["week"]), []).append(session)
    for row in plan.weekly.to_dict("records"):
        lines.append(week_line(row, program))
        for session in by_week.get(int(row["week"]), ()):
            marker = "*" if session["pre_service"] else " "
            who = f" ({session['facilitator']})" if session["facilitator"] else ""
            lines.append(
                f"   {session['start']:%a %d %b %H:%M}-{session['end']:%H:%M}{marker} "
                f"{session['title']}{who} [{session['kind']}, {session['hours']:g} h, "
                f"density {session['density']}]"
            )
    lines += [
        "",
        "* pre-service. Hours are out of what the week can hold: its cap, or its meetings "
        "where shorter.",
        "",
        "Objective, goal by goal (0 = goal met):",
    ]
    for term in result.objective_terms.itertuples():
        lines.append(
            f"  {term.goal:<22} {term.value:>6g} x {term.weight:<3} = {term.contribution:g}"
            f"   ({term.measures})"
        )
    if previous is not None:
        diff = plan.diff(previous)
        updated = [
            f"  {how:<8} {title}: {CHANGES[how]}"
            for title, how in updated_events(plan, previous, set(diff["module"]))
        ]
        if diff.empty and updated:
            lines += ["", "Changes: no module moves; the calendar updates these events:"]
        else:
            lines += ["", *change_summary(diff)]
        lines += updated
    return "\n".join(lines)


def week_line(row: Mapping[Hashable, Any], program: Program) -> str:
    """'Week  6  3/3 h  content ..., intensity 7/10 | holiday Tue 16 Feb': the hours out of
    what the week can really hold (its cap, or its meetings where shorter)."""
    week = int(row["week"])
    notes = ["ramp"] if row["ramp"] else []
    if program.limits.duty_start == week:
        notes.append("duties start")
    holidays = [day for day in program.holidays if program.week_of(day) == week]
    notes += [f"holiday {day:%a %d %b}" for day in holidays]
    if not row["meeting_hours"]:
        notes.append("no meeting")
    head = f"Week {week:>2}  {row['hours']:g}/{row['usable_hours']:g} h"
    if row["modules"]:
        head += (
            f"  content {row['content_hours']:g} h, skills {row['skill_hours']:g} h, "
            f"intensity {row['intensity']:g}/{row['max_intensity']:g}"
        )
    return head + (f" | {' | '.join(notes)}" if notes else "")


def times_line(program: Program) -> str:
    """Which time zone every time is in, and whether it is this computer's."""
    here = " (this computer's time zone)" if program.timezone == machine_zone_quietly() else ""
    return f"Times are local to {program.timezone}{here}."


def change_summary(diff: pd.DataFrame) -> list[str]:
    """What moved, appeared and disappeared, one line each."""
    if diff.empty:
        return ["Changes: none; every module stays where it was."]
    lines = [f"Changes: {len(diff)} module{'s' if len(diff) != 1 else ''}"]
    for row in diff.itertuples():
        if row.change == "moved":
            weeks = int(str(row.week_change))
            shift = f", {weeks:+d} week{'s' if abs(weeks) != 1 else ''}"
            lines.append(
                f"  moved    {row.title}: {row.old_start:%a %d %b %H:%M} -> "
                f"{row.new_start:%a %d %b %H:%M}{shift if weeks else ''}"
            )
        elif row.change == "added":
            lines.append(f"  added    {row.title}: {row.new_start:%a %d %b %H:%M}")
        else:
            lines.append(f"  removed  {row.title} (was {row.old_start:%a %d %b %H:%M})")
    return lines


def no_plan_text(result: Result) -> str:
    """Why there is no plan: each clash, the rules in it, the fixes verified by re-solving
    (those that keep every evidence-based rule first), and one change that fixes all."""
    return conflicts_text(result.conflicts, result.fix, str(result.status), result.runtime)


def conflicts_text(
    conflicts: Sequence[Conflict],
    fix: Suggestion | None,
    status: str,
    runtime: float,
    what: str = "the programme",
) -> str:
    """Each clash, the rules in it, the fixes verified by re-solving, and one change that
    fixes all (`what` has no plan: the programme, or the cohorts)."""
    if not conflicts and status == "infeasible":
        return (
            f"No plan: {what} is infeasible (proven: no plan keeps every rule), but no clash "
            f"of its rules was named within {runtime:.1f} s; `curriculum validate` shows how "
            "close each demand comes to what the programme allows."
        )
    if not conflicts:
        return f"No plan found ({status}) within {runtime:.1f} s; try a longer --time-limit."
    lines = [
        f"No plan: {what} is {status}; these rules clash. Each fix was verified "
        "by re-solving; those that keep every evidence-based rule come first."
    ]
    for number, conflict in enumerate(conflicts, start=1):
        lines.append(f"{number}. {conflict.summary}")
        lines += [f"   - {rule}" for rule in conflict.rules]
        lines += [f"   Fix: {suggestion}." for suggestion in conflict.suggestions]
        if not conflict.suggestions:  # said, so that its absence is not read as an oversight
            lines.append(
                "   No single change that fixes this clash was found among the changes "
                "tried; change one of the rules above."
            )
    if fix is not None and len(conflicts) > 1:
        lines.append(f"One change fixes every clash: {fix}.")
    return "\n".join(lines)


def comparison_text(compared: Comparison) -> str:
    """Two plans side by side: each goal, each week's hours of what it can hold, and what
    moved, one line each."""
    a, b = compared.names
    goals = compared.goals
    width = max(len(a), len(b), 6)
    label = max([44, *(len(str(text)) for text in goals["label"])])
    head = "Goals (0 = met):"
    lines = [f"{a} and {b}", "", f"{head:<{label + 2}} {a:>{width}} {b:>{width}}  change"]
    for _, row in goals.iterrows():
        lines.append(
            f"  {row['label']:<{label}} {row[a]:>{width}g} {row[b]:>{width}g}  {row['change']:+g}"
        )
    lines += ["", f"Hours each week, of what the week can hold:  {a} | {b} | change"]
    for week, row in compared.weekly.iterrows():
        lines.append(
            f"  Week {week:>2}  {row[('hours', a)]:g}/{row[('usable_hours', a)]:g} h | "
            f"{row[('hours', b)]:g}/{row[('usable_hours', b)]:g} h | "
            f"{row[('hours', 'change')]:+g} h"
        )
    moved = compared.moved.rename(
        columns={f"start ({a})": "old_start", f"start ({b})": "new_start"}
    )
    return "\n".join([*lines, "", *change_summary(moved)])
