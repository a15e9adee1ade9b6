"""The report and the handout of several cohorts planned together, as one printable HTML
file each: a summary of every cohort and the facilitators' weekly load across them, then
each cohort's own report (or handout) from a new page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

import pandas as pd

from curriculum.explain import Conflict, Suggestion
from curriculum.frames import PlanData
from curriculum.render import handout, report
from curriculum.render.notebook import conflicts_html
from curriculum.render.page import day, document, references_section
from curriculum.render.report import ReportData, report_body
from curriculum.units import hours_text

CSS = """
section.cohort { break-before: page; page-break-before: always; }
table.load td.over { color: #a00; font-weight: bold; }
"""


@dataclass(frozen=True)
class CohortsReportData:
    """What the cohorts' report shows: the training year's name, how the search ended,
    each cohort's report (by name), the facilitators' weekly load
    (`CohortsResult.facilitator_load`), and without plans why and the fix."""

    name: str
    status: str
    cohorts: Sequence[tuple[str, ReportData]]
    load: pd.DataFrame
    conflicts: Sequence[Conflict] = ()
    fix: Suggestion | None = None
    generated: datetime | None = None


def cohorts_report_html(data: CohortsReportData) -> str:
    """The whole report as one HTML document."""
    prepared = f" · prepared on {day(data.generated)}" if data.generated else ""
    parts = [
        f"<h1>{escape(data.name)}</h1>",
        f'<p class="lede">{len(data.cohorts)} cohorts planned together{escape(prepared)}</p>',
    ]
    if data.conflicts or not any(r.plan is not None for _, r in data.cohorts):
        parts += [
            f"<p>{escape(_why_none(data))}</p>",
            conflicts_html(data.conflicts, data.fix, data.status, level=2),
        ]
    else:
        parts += [_summary(data), _load_section(data.load)]
        parts += [f'<section class="cohort">{report_body(r)}</section>' for _, r in data.cohorts]
    body = "".join(parts)
    body += references_section(body) + "<footer>Prepared with curriculum.</footer>"
    return document(f"{data.name}: training plans", body, report.CSS + CSS)


def _why_none(data: CohortsReportData) -> str:
    """What the report says of cohorts with no plans: whether none can exist, and whether a
    change that lets them was found."""
    if data.status != "infeasible":
        return (
            "No plans were found in the time given, nor shown impossible: a longer time "
            "limit may find them."
        )
    broken = "No plans keep every rule of every cohort and the rules they share."
    if not data.conflicts:
        return f"{broken} The time ran out before the clashes were found."
    if data.fix is None:
        return f"{broken} Below: why. No single change that lets them was found among the changes tried."
    return f"{broken} Below: why, and the change (verified by re-solving) that would let them."


def cohorts_handout_html(name: str, plans: Sequence[PlanData]) -> str:
    """Every cohort's handout, each from a new page."""
    body = "".join(
        f'<section class="cohort">{handout.handout_body(plan)}</section>' for plan in plans
    )
    body += "<footer>Please keep your pages; if a date changes, you will get new ones.</footer>"
    return document(f"{name}: programmes for trainees", body, handout.CSS + CSS)


def _summary(data: CohortsReportData) -> str:
    rows = []
    for name, cohort in data.cohorts:
        assert cohort.plan is not None
        sessions, program = cohort.plan.sessions, cohort.program
        where = program.location or "not set"
        rows.append(
            f"<tr><td>{escape(name)}</td><td>{day(program.first_monday)} to "
            f"{day(program.last_day)}</td><td>{escape(where)}</td>"
            f"<td>{len(sessions)}</td><td>{hours_text(float(sessions['hours'].sum()))}</td></tr>"
        )
    return (
        "<h2>Cohorts</h2><table class='keep'><thead><tr><th>Cohort</th><th>Dates</th>"
        "<th>Location</th><th>Sessions</th><th>Hours</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _load_section(load: pd.DataFrame) -> str:
    """Each facilitator's hours per calendar week across the cohorts, against their cap."""
    if load.empty:
        return ""
    rows = []
    for row in load.to_dict("records"):
        cap = row["cap"]
        capped = cap is not None and not pd.isna(cap)
        over = ' class="over"' if capped and row["hours"] > cap else ""
        rows.append(
            f"<tr><td>{escape(str(row['facilitator']))}</td><td>{day(row['week'])}</td>"
            f"<td{over}>{hours_text(float(row['hours']))} h</td>"
            f"<td>{hours_text(float(cap)) + ' h' if capped else '—'}</td>"
            f"<td>{escape(str(row['cohorts']).replace(';', ', '))}</td></tr>"
        )
    return (
        "<h2>Facilitators' weekly load across cohorts</h2><p>Hours each facilitator teaches "
        "in each calendar week (from its Monday), a session taught to several cohorts at "
        "once counted once.</p><table><thead><tr><th>Facilitator</th><th>Week of</th>"
        "<th>Hours</th><th>Cap</th><th>Cohorts</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
