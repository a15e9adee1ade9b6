"""The trainees' handout: one printable HTML page of the programme in their words.

Where and when the group meets, then week by week each session's date, time, title,
description and who leads it, holidays and the supervision sessions; no solver or
scheduling terms. Self-contained (inline CSS), every piece of text escaped.
"""

from __future__ import annotations

from html import escape

from curriculum.frames import PlanData
from curriculum.render.page import (
    Entry,
    agenda,
    agenda_table,
    day,
    description_html,
    document,
    holiday_row,
    supervision_text,
    week_heading,
    when_html,
)

CSS = """
header.handout { border-bottom: 2px solid #d8dce6; margin-bottom: .6rem; }
table.facts th { width: 7rem; }
"""


def handout_html(data: PlanData) -> str:
    """The handout as one HTML document."""
    body = handout_body(data) + (
        "<footer>Please keep this page; if a date changes, you will get a new one.</footer>"
    )
    return document(f"{data.program.name}: programme for trainees", body, CSS)


def handout_body(data: PlanData) -> str:
    """The handout's heading, facts and weeks, as HTML."""
    program = data.program
    facts = [
        ("When", f"{day(program.first_monday)} to {day(program.last_day)}"),
        ("Where", program.location or "to be announced"),
        ("Times", f"local time ({program.timezone})"),
    ]
    if program.holidays:
        facts.append(("No meeting", ", ".join(day(d) for d in program.holidays)))
    support = supervision_text(program)
    if support:
        facts.append(("Support", support))
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>" for label, value in facts
    )
    weeks = []
    for week, entries in agenda(data.sessions, program).items():
        lines = "".join(_row(entry) for entry in entries) or (
            '<tr><td class="when"></td><td colspan="2">No sessions this week.</td></tr>'
        )
        weeks.append(
            f'<section class="week"><h3>{escape(week_heading(week, program))}</h3>'
            f"{agenda_table(lines)}</section>"
        )
    return (
        f'<header class="handout"><h1>{escape(program.name)}</h1>'
        f'<p class="lede">Your training programme: {len(data.sessions)} sessions over '
        f"{program.weeks} weeks.</p></header>"
        f'<table class="facts keep"><tbody>{rows}</tbody></table>' + "".join(weeks)
    )


def _row(entry: Entry) -> str:
    if entry.kind == "holiday":
        return holiday_row(entry)
    when, description = when_html(entry), description_html(entry)
    css = ' class="supervision"' if entry.kind == "supervision" else ""
    return (
        f'<tr{css}><td class="when">{when}</td><td><strong>{escape(entry.title)}</strong>'
        f'{description}</td><td class="who">{escape(entry.facilitator)}</td></tr>'
    )
