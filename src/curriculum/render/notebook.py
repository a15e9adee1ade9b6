"""Compact HTML for Jupyter: `Result._repr_html_` and `Plan._repr_html_` call these with
the plan's frames and the result's facts (the cohorts' display shares the pieces).

Every piece of text from the catalog or the programme is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import pandas as pd

from curriculum.explain import Conflict, Suggestion
from curriculum.html import box, heading, table
from curriculum.inputs.program import Program

WEEKLY_HEADERS = (
    "week",
    "hours",
    "hours cap",
    "content",
    "skill",
    "intensity",
    "intensity cap",
    "modules",
    "notes",
)
SESSION_HEADERS = ("week", "start", "title", "kind", "hours", "density")
TERM_HEADERS = ("goal", "value", "weight", "contribution", "measures")


def result_html(
    facts: Sequence[tuple[str, str]],
    warnings: Sequence[str],
    conflicts: Sequence[Conflict],
    *,
    fix: Suggestion | None = None,
    terms: pd.DataFrame | None = None,
    weekly: pd.DataFrame | None = None,
    program: Program | None = None,
) -> str:
    """Status, objective, and the objective goal by goal (`terms`) with the weekly table,
    or the conflicts when there is no plan (`weekly` None).

    `facts` are (label, value) pairs, the first being ("status", ...).
    """
    status = dict(facts).get("status", "")
    parts = [heading(f"Result: {status}"), solve_table(facts)]
    parts += warnings_list(warnings)
    if weekly is None or program is None or terms is None:
        parts.append(conflicts_html(conflicts, fix, status))
    else:
        parts.append(heading("Objective, goal by goal (0 = goal met)", level=5))
        parts.append(table(TERM_HEADERS, term_rows(terms)))
        parts.append(heading("Weeks", level=5))
        parts.append(table(WEEKLY_HEADERS, weekly_rows(weekly, program)))
    return box(parts)


def plan_html(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> str:
    """The weekly totals next to their caps, then the sessions one per row."""
    head = (
        f"{program.name}: {program.weeks} weeks from {program.first_monday:%a %d %b %Y} "
        f"({program.timezone}), {len(sessions)} sessions, "
        f"{sessions['hours'].sum():g} h"
    )
    parts = [
        heading(head),
        table(WEEKLY_HEADERS, weekly_rows(weekly, program)),
        heading("Sessions", level=5),
        table(SESSION_HEADERS, session_rows(sessions)),
    ]
    return box(parts)


def weekly_rows(weekly: pd.DataFrame, program: Program) -> list[tuple[object, ...]]:
    """One row per week: hours and cap, content and skill hours, intensity and cap, notes."""
    notes = [", ".join(week_notes(int(week), program)) for week in weekly["week"]]
    return [
        (
            row.week,
            f"{row.hours:g}",
            f"{row.max_hours:g}",
            f"{row.content_hours:g}",
            f"{row.skill_hours:g}",
            f"{row.intensity:g}",
            f"{row.max_intensity:g}",
            row.modules,
            note,
        )
        for row, note in zip(weekly.itertuples(), notes)
    ]


def week_notes(week: int, program: Program) -> list[str]:
    """'ramp' in the ramp weeks, 'duties start' in the week they do."""
    notes = ["ramp"] if program.is_ramp_week(week) else []
    if program.limits.duty_start == week:
        notes.append("duties start")
    return notes


def session_rows(sessions: pd.DataFrame) -> list[tuple[object, ...]]:
    """One row per session: week, local start, title, kind, hours and density."""
    return [
        (
            row.week,
            f"{row.start:%a %d %b %H:%M}",
            row.title,
            row.kind,
            f"{row.hours:g}",
            row.density,
        )
        for row in sessions.sort_values("start").itertuples()
    ]


def term_rows(terms: pd.DataFrame) -> list[tuple[object, ...]]:
    """One row per soft goal: value, weight, contribution and what it measures."""
    return [
        (row.goal, f"{row.value:g}", row.weight, f"{row.contribution:g}", row.measures)
        for row in terms.itertuples()
    ]


def solve_table(facts: Sequence[tuple[str, str]]) -> str:
    """The (label, value) facts of a search in one row."""
    cells = "".join(f"<th>{escape(label)}</th><td>{escape(value)}</td>" for label, value in facts)
    return f"<table><tr>{cells}</tr></table>"


def conflicts_html(
    conflicts: Sequence[Conflict], fix: Suggestion | None, status: str, level: int = 5
) -> str:
    """Each clash with its rules and its fixes (verified by re-solving), then the one
    change that fixes them all, when there is one."""
    if not conflicts:
        return f"<p>No plan found ({escape(status)}).</p>"
    items = "".join(_conflict_item(conflict) for conflict in conflicts)
    parts = [
        heading("Why no plan exists", level=level),
        "<p>Each fix was verified by re-solving; those that keep every evidence-based rule "
        "come first.</p>",
        f'<ol class="conflicts">{items}</ol>',
    ]
    if fix is not None and len(conflicts) > 1:
        parts.append(f"<p><strong>One change fixes every clash:</strong> {escape(str(fix))}.</p>")
    return "".join(parts)


def _conflict_item(conflict: Conflict) -> str:
    rules = "".join(f"<li>{escape(rule)}</li>" for rule in conflict.rules)
    fixes = "".join(
        f"<li><em>Fix:</em> {escape(str(suggestion))}</li>" for suggestion in conflict.suggestions
    )
    return f"<li>{escape(conflict.summary)}<ul>{rules}{fixes}</ul></li>"


def warnings_list(warnings: Sequence[str]) -> list[str]:
    """A heading and the warnings as a list; nothing when there are none."""
    if not warnings:
        return []
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return [heading("Warnings", level=5), f"<ul>{items}</ul>"]


def comparison_html(
    names: tuple[str, str], moved: pd.DataFrame, weekly: pd.DataFrame, goals: pd.DataFrame
) -> str:
    """Two plans side by side (`curriculum.compare`): each goal, the weekly hours against
    what each week can hold, and what moved."""
    a, b = names
    goal_rows = [
        (row["label"], f"{row[a]:g}", f"{row[b]:g}", f"{row['change']:+g}")
        for _, row in goals.iterrows()
    ]
    week_rows = [
        (
            week,
            f"{row[('hours', a)]:g} / {row[('usable_hours', a)]:g}",
            f"{row[('hours', b)]:g} / {row[('usable_hours', b)]:g}",
            f"{row[('hours', 'change')]:+g}",
        )
        for week, row in weekly.iterrows()
    ]
    moved_rows = [
        (
            row["title"],
            row["change"],
            _when(row[f"start ({a})"]),
            _when(row[f"start ({b})"]),
            "" if pd.isna(row["week_change"]) else f"{int(row['week_change']):+d}",
        )
        for _, row in moved.iterrows()
    ]
    return box(
        [
            heading(f"{a} and {b}: {len(moved)} module{'s' if len(moved) != 1 else ''} moved"),
            heading("Goals (0 = met)", level=5),
            table(("goal", a, b, "change"), goal_rows),
            heading("Hours each week, of what the week can hold", level=5),
            table(("week", a, b, "change"), week_rows),
            heading("What moved", level=5),
            table(("module", "change", a, b, "weeks"), moved_rows)
            if moved_rows
            else "<p>Nothing moved.</p>",
        ]
    )


def _when(moment: object) -> str:
    return f"{moment:%a %d %b %H:%M}" if isinstance(moment, pd.Timestamp) else "—"
