"""Compact HTML for Jupyter: `Result._repr_html_` and `Plan._repr_html_` call these with
the plan's frames and the result's facts.

Every piece of text from the catalog or the programme is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

import pandas as pd

from curriculum.explain import Conflict, Suggestion
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
    parts = [_heading(f"Result: {status}"), _solve_table(facts)]
    parts += _warnings(warnings)
    if weekly is None or program is None or terms is None:
        parts.append(conflicts_html(conflicts, fix, status))
    else:
        parts.append(_heading("Objective, goal by goal (0 = goal met)", level=5))
        parts.append(table(TERM_HEADERS, term_rows(terms)))
        parts.append(_heading("Weeks", level=5))
        parts.append(table(WEEKLY_HEADERS, weekly_rows(weekly, program)))
    return _wrap(parts)


def plan_html(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> str:
    """The weekly totals next to their caps, then the sessions one per row."""
    head = (
        f"{program.name}: {program.weeks} weeks from {program.first_monday:%a %d %b %Y} "
        f"({program.timezone}), {len(sessions)} sessions, "
        f"{sessions['hours'].sum():g} h"
    )
    parts = [
        _heading(head),
        table(WEEKLY_HEADERS, weekly_rows(weekly, program)),
        _heading("Sessions", level=5),
        table(SESSION_HEADERS, session_rows(sessions)),
    ]
    return _wrap(parts)


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    css_class: str = "",
    foot: Sequence[object] = (),
) -> str:
    """An HTML table (with an optional footer row); every header and cell is escaped."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(_row(row) for row in rows)
    footer = f"<tfoot>{_row(foot)}</tfoot>" if foot else ""
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody>{footer}</table>"


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


def _solve_table(facts: Sequence[tuple[str, str]]) -> str:
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
        _heading("Why no plan exists", level=level),
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


def _warnings(warnings: Sequence[str]) -> list[str]:
    if not warnings:
        return []
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return [_heading("Warnings", level=5), f"<ul>{items}</ul>"]


def _row(cells: Sequence[object]) -> str:
    return "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells) + "</tr>"


def _heading(text: str, level: int = 4) -> str:
    return f"<h{level}>{escape(text)}</h{level}>"


def _wrap(parts: Sequence[str]) -> str:
    return '<div class="curriculum">' + "".join(parts) + "</div>"
