"""A readable week-by-week summary of a result, for the terminal."""

from __future__ import annotations

import pandas as pd

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
    weekly = plan.weekly.set_index("week")
    for week, sessions in plan.sessions.groupby("week"):
        row = weekly.loc[week]
        flags = " ramp" if row["ramp"] else ""
        if program.limits.duty_start == week:
            flags += " | duties start"
        lines.append(
            f"Week {week:>2}  {row['hours']:g}/{row['max_hours']:g} h  "
            f"content {row['content_hours']:g} h, skills {row['skill_hours']:g} h, "
            f"intensity {row['intensity']:g}/{row['max_intensity']:g}{flags}"
        )
        for session in sessions.itertuples():
            marker = "*" if session.pre_service else " "
            lines.append(
                f"   {session.start:%a %d %b %H:%M}{marker} {session.title} "
                f"[{session.kind}, {session.hours:g} h, density {session.density}]"
            )
    lines += ["", "* pre-service", "", "Objective, goal by goal (0 = goal met):"]
    for term in result.objective_terms.itertuples():
        lines.append(
            f"  {term.goal:<22} {term.value:>6g} x {term.weight:<3} = {term.contribution:g}"
            f"   ({term.measures})"
        )
    if previous is not None:
        lines += ["", *change_summary(plan.diff(previous))]
    return "\n".join(lines)


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
    if not result.conflicts:
        return f"No plan found ({result.status}) within {result.runtime:.1f} s; try a longer --time-limit."
    lines = [
        f"No plan: the programme is {result.status}; these rules clash. Each fix was verified "
        "by re-solving; those that keep every evidence-based rule come first."
    ]
    for number, conflict in enumerate(result.conflicts, start=1):
        lines.append(f"{number}. {conflict.summary}")
        lines += [f"   - {rule}" for rule in conflict.rules]
        lines += [f"   Fix: {suggestion}." for suggestion in conflict.suggestions]
    if result.fix is not None and len(result.conflicts) > 1:
        lines.append(f"One change fixes every clash: {result.fix}.")
    return "\n".join(lines)
