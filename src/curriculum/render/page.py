"""What the printed pages (the committee report and the trainee handout) share: the HTML
document with its screen and print CSS, dates as people write them, each week's agenda
(sessions, holidays and supervision, in time order), and the reference list.

Every piece of catalog and programme text is escaped. The print CSS sets margins but no
paper size, so each page prints on the paper the printer has (A4 or US Letter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from html import escape
from pathlib import Path

import pandas as pd

from curriculum.export.atomic import write_atomically
from curriculum.inputs.evidence import Evidence, citations, read_evidence
from curriculum.inputs.program import Program
from curriculum.meetings import ongoing_dates
from curriculum.units import later, local_instant

BASE_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; color: #1d1d1f; margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid #d8dce6;
  padding-bottom: .2rem; }
h3 { font-size: 1rem; margin: 1rem 0 .2rem; }
p { margin: .3rem 0 .6rem; }
.lede { color: #333; margin: .2rem 0 1rem; }
.meta { color: #666; font-size: .85em; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .8rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .45rem;
  border-bottom: 1px solid #e3e5ea; }
thead th { background: #f3f4f7; font-weight: 600; }
table.facts th { width: 11rem; font-weight: 600; background: none; }
table.agenda { table-layout: fixed; margin: 0 0 .4rem; }
table.agenda col.when { width: 8.5rem; }
table.agenda col.who { width: 10rem; }
table.agenda td.when { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.agenda tr.holiday td { color: #7a3a12; background: #fdf3ec; }
table.agenda tr.supervision td { background: #f4f6fa; }
.desc { color: #444; font-size: .9em; }
section.week { break-inside: avoid; page-break-inside: avoid; }
section.week h3 { border-bottom: 1px solid #d8dce6; padding-bottom: .1rem; }
ol.references { padding-left: 0; list-style: none; }
ol.references li { margin: 0 0 .3rem; display: grid; grid-template-columns: 7.5rem 1fr; }
footer { margin-top: 1.2rem; color: #777; font-size: .85em; }
@page { margin: 13mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9.5pt; }
  th, td { padding: .2rem .4rem; }
  table.agenda col.when { width: 6.5rem; }
  table.agenda col.who { width: 8rem; }
  figure svg { max-width: 165mm; }
  h2 { break-after: avoid; page-break-after: avoid; }
  h3 { break-after: avoid; page-break-after: avoid; }
  tr, figure, .keep { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""


def document(title: str, body: str, css: str = "") -> str:
    """A whole HTML page: `title` (escaped here), `body` (HTML) and extra CSS."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{BASE_CSS}{css}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def write_page(text: str, path: str | Path | None) -> str:
    """`text`, written atomically to `path` when one is given (UTF-8)."""
    if path is not None:
        write_atomically(path, text.encode("utf-8"))
    return text


def day(moment: date) -> str:
    """'Tue 12 Jan 2027'."""
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def short(moment: date) -> str:
    """'Tue 12 Jan'."""
    return f"{moment:%a} {moment.day} {moment:%b}"


def clock(start: datetime, end: datetime) -> str:
    """'18:00–19:30'."""
    return f"{start:%H:%M}–{end:%H:%M}"


@dataclass(frozen=True)
class Entry:
    """One line of a week's agenda: a session, a holiday, or a supervision session."""

    kind: str  # "session", "holiday" or "supervision"
    day: date
    start: datetime | None = None
    end: datetime | None = None
    title: str = ""
    description: str = ""
    facilitator: str = ""
    session: pd.Series | None = None  # the session's row, for what only the report shows


def agenda(sessions: pd.DataFrame, program: Program) -> dict[int, list[Entry]]:
    """Week by week (every week of the programme), its sessions, holidays and supervision
    sessions in time order."""
    weeks: dict[int, list[Entry]] = {week: [] for week in range(1, program.weeks + 1)}
    for _, row in sessions.sort_values("start").iterrows():
        start, end = row["start"].to_pydatetime(), row["end"].to_pydatetime()
        weeks.setdefault(int(row["week"]), []).append(
            Entry(
                "session",
                start.date(),
                start,
                end,
                str(row["title"]),
                _text(row["description"]),
                _text(row["facilitator"]),
                row,
            )
        )
    for holiday in program.holidays:
        if program.week_of(holiday) in weeks:
            weeks[program.week_of(holiday)].append(Entry("holiday", holiday, title="Holiday"))
    for entry in supervision(program):
        if program.week_of(entry.day) in weeks:
            weeks[program.week_of(entry.day)].append(entry)
    for entries in weeks.values():
        entries.sort(key=lambda e: (e.day, e.start.time() if e.start else datetime.min.time()))
    return weeks


def supervision(program: Program) -> list[Entry]:
    """The weekly supervision and refresher sessions, holidays left out."""
    ongoing = program.ongoing
    if ongoing is None:
        return []
    found = []
    for when in ongoing_dates(program):
        if when in program.holidays:
            continue
        start = local_instant(when, ongoing.start, program.zone)
        end = later(start, round(ongoing.hours * 60))
        found.append(
            Entry("supervision", when, start, end, ongoing.title, facilitator=ongoing.facilitator)
        )
    return found


def supervision_text(program: Program) -> str:
    """'Supervision and skills refresher: every Friday 12:00–13:00 from Fri 19 Mar 2027 to
    Fri 2 Apr 2027 (3 sessions), led by …; none on a holiday.' ('' when there is none)."""
    sessions = supervision(program)
    ongoing = program.ongoing
    if ongoing is None or not sessions:
        return ""
    first, last = sessions[0], sessions[-1]
    assert first.start and first.end
    text = (
        f"{ongoing.title}: every {first.day:%A} {clock(first.start, first.end)} from "
        f"{day(first.day)} to {day(last.day)} ({len(sessions)} session"
        f"{'s' if len(sessions) != 1 else ''})"
    )
    if ongoing.facilitator:
        text += f", led by {ongoing.facilitator}"
    skipped = [d for d in ongoing_dates(program) if d in program.holidays]
    if skipped:
        text += f"; none on {', '.join(short(d) for d in skipped)} (holiday)"
    return text + "."


def week_heading(week: int, program: Program) -> str:
    """'Week 3 · Mon 25 Jan – Sun 31 Jan'."""
    monday = program.monday_of(week)
    return f"Week {week} · {short(monday)} – {short(monday + timedelta(days=6))}"


def references_section(text: str, evidence: Evidence | None = None, heading: str = "") -> str:
    """The review, and each reference `text` cites as [n], as the review names it."""
    evidence = evidence or read_evidence()
    cited = evidence.cited(citations(text))
    items = "".join(
        f"<li><span>{escape(ref.label)}</span><span>{escape(ref.text)}</span></li>" for ref in cited
    )
    review = (
        f"{evidence.series}, {evidence.date}: “{evidence.title}”. It asked: "
        f"{evidence.question} It searched {evidence.searched}. The numbers in brackets are "
        "the review's own references; each is listed here as far as the review names it."
    )
    return (
        f"<h2>{escape(heading or 'Where the evidence comes from')}</h2>"
        f"<p>{escape(review)}</p>"
        f'<ol class="references">{items}</ol>'
    )


AGENDA_COLUMNS = '<colgroup><col class="when"><col><col class="who"></colgroup>'


def holiday_row(entry: Entry) -> str:
    """An agenda row for a holiday: its date, and no meeting."""
    return (
        f'<tr class="holiday"><td class="when">{escape(short(entry.day))}</td>'
        '<td colspan="2">Holiday: no meeting</td></tr>'
    )


def when_html(entry: Entry) -> str:
    """A session's (or supervision's) date and times, for an agenda row's first cell."""
    assert entry.start is not None and entry.end is not None
    return f"{escape(short(entry.day))}<br>{clock(entry.start, entry.end)}"


def description_html(entry: Entry) -> str:
    """An entry's description on a line of its own ('' when it has none)."""
    if not entry.description:
        return ""
    return f'<br><span class="desc">{escape(entry.description)}</span>'


def agenda_table(rows: str) -> str:
    """A week's agenda: when, what, who (the widths set by the columns, not the first row,
    which may be a holiday across two of them)."""
    return f'<table class="agenda">{AGENDA_COLUMNS}<tbody>{rows}</tbody></table>'


def _text(value: object) -> str:
    """A text cell ('' for an empty or missing one)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def joined(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
