"""Compact HTML for Jupyter of several cohorts planned together (`CohortsResult._repr_html_`):
how the search ended, each cohort's plan in a line, each facilitator's load across the
cohorts. Every piece of text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from curriculum.explain import Conflict, Suggestion
from curriculum.html import box, heading, table
from curriculum.render.notebook import conflicts_html, solve_table, warnings_list
from curriculum.render.page import day
from curriculum.units import hours_text

PLAN_HEADERS = ("cohort", "sessions", "hours", "first session", "last session")
LOAD_HEADERS = ("facilitator", "weeks teaching", "hours", "busiest week", "its hours", "cap")

Row = Sequence[object]


def cohorts_result_html(
    title: str,
    facts: Sequence[tuple[str, str]],
    warnings: Sequence[str],
    plans: Sequence[Row],
    load: pd.DataFrame,
    conflicts: Sequence[Conflict],
    fix: Suggestion | None,
) -> str:
    """How the search ended; then each cohort's plan in a line (`PLAN_HEADERS`) and each
    facilitator's load across the cohorts (`load_rows`), or, with no plans, why."""
    parts = [heading(title), solve_table(facts), *warnings_list(warnings)]
    if not plans:
        parts.append(conflicts_html(conflicts, fix, dict(facts).get("status", "")))
        return box(parts)
    parts += [heading("Plans", level=5), table(PLAN_HEADERS, plans)]
    if not load.empty:
        parts.append(heading("Facilitators' load across the cohorts (a joint session once)", 5))
        parts.append(table(LOAD_HEADERS, load_rows(load)))
    return box(parts)


def load_rows(load: pd.DataFrame) -> list[Row]:
    """One row per facilitator of `CohortsResult.facilitator_load`: the weeks they teach,
    their hours in all, their busiest week (the first, on a tie) and its hours, their cap."""
    weeks: dict[str, list[dict[str, Any]]] = {}
    for record in load.sort_values(["facilitator", "week"]).to_dict("records"):
        weeks.setdefault(str(record["facilitator"]), []).append(record)
    rows: list[Row] = []
    for who, records in weeks.items():
        busiest = max(records, key=lambda record: float(record["hours"]))  # the first on a tie
        cap = records[0]["cap"]
        rows.append(
            (
                who,
                len(records),
                f"{hours_text(sum(float(record['hours']) for record in records))} h",
                f"of {day(busiest['week'])} ({str(busiest['cohorts']).replace(';', ', ')})",
                f"{hours_text(float(busiest['hours']))} h",
                "—" if pd.isna(cap) else f"{hours_text(float(cap))} h",
            )
        )
    return rows
