"""A self-contained, printable HTML report of a plan.

One file with inline CSS and an inline SVG chart drawn here (no matplotlib, no external
assets), so it opens anywhere and prints cleanly. Every piece of catalog and programme
text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from curriculum.export.atomic import write_atomically
from curriculum.inputs.program import Meeting, Program
from curriculum.meetings import meeting_slots
from curriculum.render.colours import CAP_COLOUR, CONTENT_COLOUR, DUTIES_COLOUR, SKILL_COLOUR
from curriculum.render.notebook import table, week_notes
from curriculum.units import WEEKDAY_NAMES

Row = Mapping[Hashable, Any]  # one row of a frame, as `to_dict("records")` gives it
RAMP_FILL = "#e6eaf4"

CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; color: #1d1d1f; margin: 2rem auto; max-width: 60rem; padding: 0 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 2px solid #d8dce6;
  padding-bottom: .2rem; }
.lede { color: #555; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem;
  border-bottom: 1px solid #e3e5ea; }
thead th { background: #f3f4f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
table.facts th { width: 12rem; font-weight: 600; background: none; }
ul.modules { list-style: none; margin: 0; padding: 0; }
ul.modules li { display: grid; grid-template-columns: 5.4rem 1fr; margin: 0 0 .35rem; }
.when { font-variant-numeric: tabular-nums; color: #555; white-space: nowrap; }
table.weeks { table-layout: fixed; }
table.weeks th:nth-child(1) { width: 15%; }
table.weeks th:nth-child(2) { width: 46%; }
table.objective th { white-space: nowrap; }
.meta { color: #666; font-size: .85em; }
.kind { display: inline-block; width: .7em; height: .7em; border-radius: 2px;
  margin-right: .35rem; }
.badge { display: inline-block; font-size: .75em; padding: 0 .4em; border-radius: .6em;
  background: #eef0f5; color: #333; margin: .15rem .2rem 0 0; }
.badge.pre { background: #fdeee4; color: #7a3a12; }
.badge.duties { background: #333; color: #fff; }
figure { margin: .5rem 0 1rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: .9em; margin-top: .3rem; }
tfoot td { font-weight: 600; border-top: 2px solid #d8dce6; }
table.objective :is(td, th):is(:nth-child(3), :nth-child(4), :nth-child(5)) {
  text-align: right; font-variant-numeric: tabular-nums; }
.warnings { background: #fff6e5; border-left: 4px solid #e0a100;
  padding: .5rem 1rem .5rem 2rem; }
.warnings li { margin-bottom: .3rem; }
footer { margin-top: 2rem; color: #777; font-size: .85em; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table.keep, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""
KIND_CSS = (
    f".kind.content {{ background: {CONTENT_COLOUR}; }}\n"
    f".kind.skill {{ background: {SKILL_COLOUR}; }}\n"
)


@dataclass(frozen=True)
class ReportData:
    """What the report shows: a plan's frames and programme, and how the solve went."""

    sessions: pd.DataFrame
    weekly: pd.DataFrame
    program: Program
    facts: Sequence[tuple[str, str]]  # (label, value): status, objective, bound, gap, runtime
    terms: pd.DataFrame  # the objective goal by goal (`Result.objective_terms`)
    objective: float | None
    warnings: Sequence[str] = ()


def write_report(data: ReportData, path: str | Path) -> str:
    """Write the report to `path` (atomically) and return its HTML.

    Parameters
    ----------
    data
        The plan and the facts of its solve.
    path
        Where to write the HTML file.

    Returns
    -------
    str
        The HTML text written.
    """
    text = report_html(data)
    write_atomically(path, text.encode("utf-8"))
    return text


def report_html(data: ReportData) -> str:
    """The whole report as one HTML document."""
    title = escape(data.program.name)
    body = "".join(
        [
            f"<h1>{title}</h1>",
            f'<p class="lede">{escape(_lede(data))}</p>',
            _warnings_section(data.warnings),
            _programme_section(data),
            _chart_section(data),
            _weeks_section(data),
            _objective_section(data),
            "<footer>Made with curriculum. Pre-service modules end before duties start.</footer>",
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}: training plan</title>\n<style>{CSS}{KIND_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _lede(data: ReportData) -> str:
    program = data.program
    return (
        f"A {program.weeks}-week training plan: {len(data.sessions)} sessions, "
        f"{data.sessions['hours'].sum():g} hours, from {_day(program.first_monday)} "
        f"to {_day(program.last_day)}."
    )


# --- programme summary -------------------------------------------------------------------


def _programme_section(data: ReportData) -> str:
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in [*programme_facts(data.program), ("solver", _solver_text(data))]
    )
    return f'<h2>Programme</h2><table class="facts keep"><tbody>{rows}</tbody></table>'


def programme_facts(program: Program) -> list[tuple[str, str]]:
    """(label, value) pairs describing the programme, in plain words."""
    held = len(meeting_slots(program))
    holidays = ", ".join(_day(day) for day in program.holidays) or "none"
    return [
        ("name", program.name),
        ("dates", f"{_day(program.first_monday)} to {_day(program.last_day)}"),
        ("weeks", str(program.weeks)),
        ("meetings", f"{', '.join(map(_meeting_text, program.meetings))}; {held} held"),
        ("time zone", program.timezone),
        ("location", program.location or "not set"),
        ("holidays", holidays),
        (
            "weekly caps",
            _caps_text(program.limits.hours, program.limits.intensity),
        ),
        ("ramp", _ramp_text(program)),
        ("content balance", _balance_text(program)),
        ("duties start", _duties_text(program)),
        ("ongoing training", _ongoing_text(program)),
    ]


def _meeting_text(meeting: Meeting) -> str:
    return f"{WEEKDAY_NAMES[meeting.weekday]} {meeting.start:%H:%M} ({meeting.hours:g} h)"


def _caps_text(hours: float, intensity: float) -> str:
    return f"{hours:g} h and intensity {intensity:g} (hours × density) a week"


def _ramp_text(program: Program) -> str:
    limits = program.limits
    if limits.ramp_weeks == 0:
        return "none"
    weeks = "week 1" if limits.ramp_weeks == 1 else f"weeks 1-{limits.ramp_weeks}"
    return (
        f"{weeks}: {_caps_text(limits.ramp_hours, limits.ramp_intensity)}; "
        f"no module denser than {limits.ramp_density}"
    )


def _balance_text(program: Program) -> str:
    balance = program.balance
    text = f"{balance.content_share:.0%} of each week's hours as content"
    if balance.weekly_tolerance is not None:
        text += f" (within ±{balance.weekly_tolerance:.0%})"
    return text


def _duties_text(program: Program) -> str:
    week = program.limits.duty_start
    if week is None:
        return "not set"
    monday = program.first_monday + timedelta(weeks=week - 1)
    return f"week {week} ({_day(monday)}); pre-service modules end before"


def _ongoing_text(program: Program) -> str:
    ongoing = program.ongoing
    if ongoing is None:
        return "none"
    return (
        f"{ongoing.title}: {WEEKDAY_NAMES[ongoing.weekday]} {ongoing.start:%H:%M} "
        f"({ongoing.hours:g} h) weekly once duties start, until {_day(program.ongoing_until)}"
    )


def _solver_text(data: ReportData) -> str:
    facts = dict(data.facts)
    return (
        f"{facts['status']}, objective {facts['objective']} (bound {facts['bound']}, "
        f"gap {facts['gap']}) in {facts['runtime']}"
    )


# --- week by week ------------------------------------------------------------------------


def _weeks_section(data: ReportData) -> str:
    numbers = ("Hours / cap", "Content / skill", "Intensity / cap")
    head = "<th>Week</th><th>Modules</th>" + "".join(f'<th class="num">{h}</th>' for h in numbers)
    by_week = dict(tuple(data.sessions.sort_values("start").groupby("week")))
    rows = "".join(
        _week_row(row, by_week.get(row["week"]), data.program)
        for row in data.weekly.to_dict("records")
    )
    return (
        "<h2>Week by week</h2>"
        f'<table class="weeks"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _week_row(row: Row, sessions: pd.DataFrame | None, program: Program) -> str:
    week = int(row["week"])
    monday = program.first_monday + timedelta(weeks=week - 1)
    notes = "".join(
        f'<span class="badge{" duties" if note == "duties start" else ""}">{escape(note)}</span>'
        for note in week_notes(week, program)
    )
    holidays = [day for day in program.holidays if program.week_of(day) == week]
    notes += "".join(f'<span class="badge">holiday {_short(day)}</span>' for day in holidays)
    modules = _module_list(sessions) if sessions is not None else '<span class="meta">—</span>'
    return (
        f'<tr><td class="week"><strong>Week {week}</strong><br>'
        f'<span class="meta">from {_short(monday)}</span><br>{notes}</td>'
        f"<td>{modules}</td>"
        f'<td class="num">{row["hours"]:g} / {row["max_hours"]:g} h</td>'
        f'<td class="num">{row["content_hours"]:g} / {row["skill_hours"]:g} h</td>'
        f'<td class="num">{row["intensity"]:g} / {row["max_intensity"]:g}</td></tr>'
    )


def _module_list(sessions: pd.DataFrame) -> str:
    items = "".join(_module_item(session) for session in sessions.to_dict("records"))
    return f'<ul class="modules">{items}</ul>'


def _module_item(session: Row) -> str:
    kind = escape(str(session["kind"]))
    badge = ' <span class="badge pre">pre-service</span>' if session["pre_service"] else ""
    return (
        f'<li><span class="when">{session["start"]:%a %H:%M}</span><span>'
        f'<span class="kind {kind}"></span>{escape(str(session["title"]))}{badge}<br>'
        f'<span class="meta">{kind} · {session["hours"]:g} h · '
        f"density {session['density']}</span></span></li>"
    )


# --- objective and warnings --------------------------------------------------------------


def _objective_section(data: ReportData) -> str:
    terms = data.terms
    rows = [
        (
            term.goal,
            term.measures,
            f"{term.value:g}",
            term.weight,
            f"{term.contribution:g}",
            "met" if term.value == 0 else "not met",
        )
        for term in terms.itertuples()
    ]
    headers = ("goal", "what it measures", "value", "weight", "weight × value", "status")
    total = "—" if data.objective is None else f"{data.objective:g}"
    foot = ("objective", "Σ weight × value over the goals", "", "", total, "")
    body = table(headers, rows, css_class="keep objective", foot=foot)
    return (
        "<h2>Objective, goal by goal</h2>"
        "<p>The solver keeps every hard rule and minimises the weighted sum of these soft "
        "goals; a value of 0 means the goal is fully met.</p>" + body
    )


def _warnings_section(warnings: Sequence[str]) -> str:
    """The warnings, first thing after the title, or nothing when there are none."""
    if not warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return f'<h2>Warnings</h2><ul class="warnings">{items}</ul>'


# --- chart -------------------------------------------------------------------------------


def _chart_section(data: ReportData) -> str:
    caption = (
        "Hours taught each week, content (blue) and skills (orange), under the weekly cap "
        "(red step). The ramp weeks are shaded; the dashed line marks the start of duties."
    )
    return (
        f"<h2>Weekly load</h2><figure>{weekly_load_svg(data.weekly, data.program)}"
        f"<figcaption>{caption}</figcaption></figure>"
    )


def weekly_load_svg(weekly: pd.DataFrame, program: Program) -> str:
    """Stacked content/skill bars per week, the hours cap as a step, the ramp shaded."""
    chart = _Chart(program.weeks, _axis_top(weekly))
    parts = [
        chart.ramp(program.limits.ramp_weeks),
        chart.grid(),
        *(chart.bars(row) for row in weekly.to_dict("records")),
        chart.cap(list(weekly["max_hours"])),
        chart.duties(program.limits.duty_start),
        chart.axes(),
        _legend(ramp=program.limits.ramp_weeks > 0, duties=program.limits.duty_start is not None),
    ]
    return (
        f'<svg viewBox="0 0 {_Chart.WIDTH} {_Chart.HEIGHT}" role="img" '
        'aria-label="Weekly hours, content and skills, against the weekly cap" '
        'font-family="system-ui, sans-serif" font-size="12">' + "".join(parts) + "</svg>"
    )


def _axis_top(weekly: pd.DataFrame) -> int:
    highest = float(weekly[["hours", "max_hours"]].max().max())
    return max(1, math.ceil(highest + 0.5))


class _Chart:
    """Coordinates of the chart: weeks along x, hours up y."""

    WIDTH, HEIGHT = 760, 320
    LEFT, RIGHT, TOP, BOTTOM = 48, 12, 44, 44

    def __init__(self, weeks: int, top: int) -> None:
        self.weeks, self.top = weeks, top
        self.band = (self.WIDTH - self.LEFT - self.RIGHT) / weeks

    def x(self, week: float) -> float:
        """Left edge of a week's band (weeks count from 1)."""
        return self.LEFT + (week - 1) * self.band

    def y(self, hours: float) -> float:
        """Height of `hours` on the page (SVG y grows downwards)."""
        plot = self.HEIGHT - self.TOP - self.BOTTOM
        return self.TOP + plot * (1 - hours / self.top)

    def ramp(self, weeks: int) -> str:
        """The ramp weeks as a shaded band with a label."""
        if weeks == 0:
            return ""
        x, width = self.x(1), weeks * self.band
        return (
            f'<rect x="{x:.1f}" y="{self.y(self.top):.1f}" width="{width:.1f}" '
            f'height="{self.y(0) - self.y(self.top):.1f}" fill="{RAMP_FILL}"/>'
            f'<text x="{x + 6:.1f}" y="{self.y(self.top) + 15:.1f}" fill="#556">ramp</text>'
        )

    def grid(self) -> str:
        """Horizontal lines and labels at every whole hour."""
        lines = []
        for hours in range(self.top + 1):
            y = self.y(hours)
            lines.append(
                f'<line x1="{self.LEFT}" x2="{self.WIDTH - self.RIGHT}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="#e3e5ea"/>'
                f'<text x="{self.LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
                f'fill="#555">{hours}</text>'
            )
        return "".join(lines)

    def bars(self, row: Row) -> str:
        """A week's content bar with its skill bar stacked on top."""
        week, content, skill = row["week"], row["content_hours"], row["skill_hours"]
        width = self.band * 0.62
        x = self.x(week) + (self.band - width) / 2
        return self._rect(x, width, 0, content, CONTENT_COLOUR, f"week {week}: content") + (
            self._rect(x, width, content, content + skill, SKILL_COLOUR, f"week {week}: skills")
        )

    def _rect(self, x: float, width: float, low: float, high: float, fill: str, what: str) -> str:
        if high <= low:
            return ""
        return (
            f'<rect x="{x:.1f}" y="{self.y(high):.1f}" width="{width:.1f}" '
            f'height="{self.y(low) - self.y(high):.1f}" fill="{fill}">'
            f"<title>{escape(what)} {high - low:g} h</title></rect>"
        )

    def cap(self, caps: list[float]) -> str:
        """The weekly hours cap as a step line across each week's band."""
        steps = [f"M{self.x(1):.1f},{self.y(caps[0]):.1f}"]
        for week, cap in enumerate(caps, start=1):
            steps.append(f"V{self.y(cap):.1f}H{self.x(week + 1):.1f}")
        return f'<path d="{"".join(steps)}" fill="none" stroke="{CAP_COLOUR}" stroke-width="2.5"/>'

    def duties(self, week: int | None) -> str:
        """A dashed line where duties start, labelled."""
        if week is None:
            return ""
        x = self.x(week)
        return (
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{self.y(self.top):.1f}" y2="{self.y(0):.1f}" '
            f'stroke="{DUTIES_COLOUR}" stroke-dasharray="5 4" stroke-width="1.5"/>'
            f'<text x="{x + 5:.1f}" y="{self.y(self.top) + 15:.1f}" fill="{DUTIES_COLOUR}">'
            "duties start</text>"
        )

    def axes(self) -> str:
        """The baseline, week numbers and axis titles."""
        base = self.y(0)
        ticks = "".join(
            f'<text x="{self.x(week) + self.band / 2:.1f}" y="{base + 17:.1f}" '
            f'text-anchor="middle" fill="#333">{week}</text>'
            for week in range(1, self.weeks + 1)
        )
        middle = self.LEFT + (self.WIDTH - self.LEFT - self.RIGHT) / 2
        return (
            f'<line x1="{self.LEFT}" x2="{self.WIDTH - self.RIGHT}" y1="{base:.1f}" '
            f'y2="{base:.1f}" stroke="#333"/>{ticks}'
            f'<text x="{middle:.1f}" y="{self.HEIGHT - 6}" text-anchor="middle" '
            'fill="#333">week</text>'
            f'<text transform="translate(14 {self.y(self.top / 2):.1f}) rotate(-90)" '
            'text-anchor="middle" fill="#333">hours</text>'
        )


def _legend(*, ramp: bool, duties: bool) -> str:
    """Swatches for content, skills, the cap, and the ramp and duty start when drawn."""
    items = [
        (f'<rect width="12" height="12" fill="{CONTENT_COLOUR}"/>', "content"),
        (f'<rect width="12" height="12" fill="{SKILL_COLOUR}"/>', "skills"),
        (f'<line x1="0" x2="16" y1="6" y2="6" stroke="{CAP_COLOUR}" stroke-width="2.5"/>', "cap"),
    ]
    if ramp:
        items.append(
            (f'<rect width="12" height="12" fill="{RAMP_FILL}" stroke="#c9cfe0"/>', "ramp weeks")
        )
    if duties:
        items.append(
            (
                f'<line x1="6" x2="6" y1="0" y2="12" stroke="{DUTIES_COLOUR}" '
                'stroke-dasharray="3 2" stroke-width="1.5"/>',
                "duties start",
            )
        )
    x, parts = _Chart.LEFT, []
    for swatch, label in items:
        parts.append(
            f'<g transform="translate({x} 14)">{swatch}'
            f'<text x="20" y="11" fill="#333">{label}</text></g>'
        )
        x += 28 + 7 * len(label)
    return "".join(parts)


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
