"""The report for a steering committee: one self-contained, printable HTML file.

With a plan: what the plan is and how good it is (the goals in plain words, met or by how
much), what a re-plan changed, the programme, the weekly load, every session week by week
with its date, time, facilitator and description (holidays and supervision included), and
the evidence with its reference list. Without one: why no plan keeps every rule, and the
changes (verified by re-solving) that would let one. Inline CSS and an inline SVG chart,
no external assets; every piece of catalog and programme text is escaped.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape

import pandas as pd

from curriculum.explain import Conflict, Suggestion
from curriculum.export.ics.ledger import CHANGES
from curriculum.frames import PlanData, weekly_frame
from curriculum.goals import Goal, unavoidable
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Meeting, Program
from curriculum.meetings import meeting_slots
from curriculum.render.chart import CAPTION, weekly_load_svg
from curriculum.render.colours import CONTENT_COLOUR, SKILL_COLOUR
from curriculum.render.notebook import conflicts_html, week_notes
from curriculum.render.page import (
    Entry,
    agenda,
    agenda_table,
    clock,
    day,
    description_html,
    document,
    holiday_row,
    joined,
    references_section,
    supervision_text,
    week_heading,
    when_html,
)
from curriculum.units import WEEKDAY_NAMES

CSS = f"""
.kind {{ display: inline-block; width: .7em; height: .7em; border-radius: 2px;
  margin-right: .35rem; }}
.kind.content {{ background: {CONTENT_COLOUR}; }}
.kind.skill {{ background: {SKILL_COLOUR}; }}
.badge {{ display: inline-block; font-size: .75em; font-weight: normal; padding: 0 .4em;
  border-radius: .6em; background: #eef0f5; color: #333; margin: 0 .2rem; }}
.badge.pre {{ background: #fdeee4; color: #7a3a12; }}
.badge.duties {{ background: #333; color: #fff; }}
figure {{ margin: .5rem 0 1rem; }}
figure svg {{ width: 100%; height: auto; display: block; }}
figcaption {{ color: #555; font-size: .9em; margin-top: .3rem; }}
.warnings {{ background: #fff6e5; border-left: 4px solid #e0a100;
  padding: .5rem 1rem .5rem 2rem; }}
.fix {{ background: #eef6ee; border-left: 4px solid #4c9a52; padding: .5rem 1rem; }}
ol.conflicts > li {{ margin-bottom: .6rem; }}
table.goals td:first-child {{ width: 34%; }}
table.goals td:nth-child(2) {{ width: 30%; }}
"""
# what an event sent again though its module did not move was, and is (`CHANGES`)
WHERE = {
    "updated": "where it was",
    "cancelled": "its weekly sessions",
    "restored": "its weekly sessions",
}
STATUS_WORDS = {
    "optimal": "It is the best plan the rules allow: the solver proved that no plan meets "
    "the goals better.",
    "feasible": "It keeps every rule; the search stopped at its time limit before it could "
    "prove that no plan meets the goals better.",
}


@dataclass(frozen=True)
class ReportData:
    """What the report shows.

    program, catalog
        What was planned.
    plan
        The plan's data, or None when no plan keeps every rule.
    status
        How the search ended ("optimal", "feasible", "infeasible", "unknown").
    goals
        Each soft goal's value in the plan.
    warnings, broken
        What the inputs or the plan should be looked at for; the rules the plan breaks
        when checked again (none for a plan from `solve`).
    conflicts, fix
        Without a plan: why, and one change that fixes every clash.
    changes, updated, freeze_before
        A re-plan: what changed (`Plan.diff`), the events sent again though they did not
        move, each title with what changed (`ledger.updated_events`), and the date before
        which nothing did.
    generated
        When the report was made (shown as its date).
    """

    program: Program
    catalog: Catalog
    plan: PlanData | None = None
    status: str = ""
    goals: Mapping[Goal, float] = field(default_factory=dict)
    warnings: Sequence[str] = ()
    broken: Sequence[str] = ()
    conflicts: Sequence[Conflict] = ()
    fix: Suggestion | None = None
    changes: pd.DataFrame | None = None
    updated: Sequence[tuple[str, str]] = ()  # (title, how: `ledger.CHANGES`)
    freeze_before: date | None = None
    generated: datetime | None = None


def report_html(data: ReportData) -> str:
    """The whole report as one HTML document."""
    body = report_body(data)
    prepared = f" on {day(data.generated)}" if data.generated else ""
    footer = (
        f"<footer>Prepared with curriculum{prepared}. Times are local to "
        f"{escape(data.program.timezone)}.</footer>"
    )
    body += references_section(body) + footer
    return document(f"{data.program.name}: training plan", body, CSS)


def report_body(data: ReportData) -> str:
    """The report's sections (without the reference list and footer), as HTML."""
    parts = _plan_parts(data) if data.plan is not None else _no_plan_parts(data)
    return "".join(parts)


def _title(data: ReportData, what: str) -> list[str]:
    program = data.program
    prepared = f" · prepared on {day(data.generated)}" if data.generated else ""
    return [
        f"<h1>{escape(program.name)}</h1>",
        f'<p class="lede">{escape(what)} · {program.weeks} weeks, {day(program.first_monday)} '
        f"to {day(program.last_day)}{escape(prepared)}</p>",
    ]


# --- with a plan -------------------------------------------------------------------------


def _plan_parts(data: ReportData) -> list[str]:
    assert data.plan is not None
    weekly = weekly_frame(data.plan.sessions, data.program)
    return [
        *_title(data, "Training plan"),
        f"<p>{escape(_summary(data))}</p>",
        _warnings_section(data.warnings),
        _changes_section(data),
        _goals_section(data),
        _programme_section(data.program),
        "<h2>Weekly load</h2>"
        f"<figure class='keep'>{weekly_load_svg(weekly, data.program)}"
        f"<figcaption>{escape(CAPTION)}</figcaption></figure>",
        _weeks_section(data, weekly),
    ]


def _summary(data: ReportData) -> str:
    assert data.plan is not None
    sessions, program = data.plan.sessions, data.program
    meetings = sessions["meeting"].nunique()
    where = f" at {program.location}" if program.location else ""
    text = (
        f"{len(sessions)} modules ({sessions['hours'].sum():g} hours) in {meetings} meetings: "
        f"{joined([_meeting_text(m) for m in program.meetings])}{where}."
    )
    duty = program.limits.duty_start
    if duty is not None:
        text += (
            f" Duties start in week {duty} ({day(program.monday_of(duty))}), once every "
            "pre-service module is done [4][5]."
        )
    text += " " + STATUS_WORDS.get(data.status, f"The search ended {data.status}.")
    if data.broken:
        text += f" Checked again independently, it breaks {len(data.broken)} rules (below)."
    else:
        text += " Every rule holds, checked again independently of the solver."
    return text


def _goals_section(data: ReportData) -> str:
    # for a fresh plan only: a re-plan's past need not keep the catalog's rules or weeks
    bounds = unavoidable(data.catalog, data.program) if data.freeze_before is None else {}
    rows = []
    for goal, value in data.goals.items():
        note = ""
        if goal in bounds:
            least, why = bounds[goal]
            note = "No plan can meet it fully: " + why + "."
            if value <= least:
                note += " This plan does as well as any can."
        label = goal.label[0].upper() + goal.label[1:]
        rows.append(
            f"<tr><td>{escape(label)}</td><td>{escape(goal.shortfall(value))}</td>"
            f"<td>{escape(note)}</td></tr>"
        )
    broken = "".join(f"<li>{escape(problem)}</li>" for problem in data.broken)
    return (
        "<h2>Goals</h2>"
        "<p>Beyond the rules every plan keeps, the plan aims at these goals from the review; "
        "where they cannot all be met, the programme's weights say which gives way first."
        "</p>"
        '<table class="goals"><thead><tr><th>Goal</th><th>This plan</th><th>Note</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        + (f'<p>Rules broken:</p><ul class="warnings">{broken}</ul>' if broken else "")
    )


def _changes_section(data: ReportData) -> str:
    """A re-plan: what happened before the freeze stays; each module that moved, was added
    or was removed."""
    if data.changes is None:
        return ""
    since = f" before {day(data.freeze_before)}" if data.freeze_before else ""
    changes = data.changes
    if changes.empty and not data.updated:
        return (
            f"<h2>What changed</h2><p>Re-planned: what happened{escape(since)} stays as it "
            "was, and every other module stays where it was too.</p>"
        )
    rows = "".join(_change_row(row) for row in changes.to_dict("records"))
    rows += "".join(
        f"<tr><td>{escape(title)}</td><td colspan='2'>{WHERE[how]}</td>"
        f"<td>{how}: {escape(CHANGES[how])}</td></tr>"
        for title, how in data.updated
    )
    count = len(changes)
    updated = sum(how == "updated" for _, how in data.updated)
    parts = [f"{count} module{'s' if count != 1 else ''} changed"] if count else []
    parts += [f"{updated} event{'s' if updated != 1 else ''} updated in place"] if updated else []
    parts += [f"the weekly series {how}" for _, how in data.updated if how != "updated"]
    return (
        f"<h2>What changed</h2><p>Re-planned: what happened{escape(since)} stays as it was; "
        f"{' and '.join(parts)}.</p>"
        "<table><thead><tr><th>Module</th><th>Was</th><th>Now</th><th>Change</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _change_row(row: Mapping[Hashable, object]) -> str:
    def when(moment: object) -> str:
        return (
            f"{moment:%a} {moment.day} {moment:%b %H:%M}"
            if isinstance(moment, pd.Timestamp)
            else "—"
        )

    change = str(row["change"])
    shift = row["week_change"]
    if change == "moved" and str(shift).lstrip("-").isdigit():
        weeks = int(str(shift))
        later = "later" if weeks > 0 else "earlier"
        change += (
            f" {abs(weeks)} week{'s' if abs(weeks) != 1 else ''} {later}"
            if weeks
            else " within its week"
        )
    cells = (str(row["title"]), when(row["old_start"]), when(row["new_start"]), change)
    return "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"


def _weeks_section(data: ReportData, weekly: pd.DataFrame) -> str:
    assert data.plan is not None
    program = data.program
    by_week = agenda(data.plan.sessions, program)
    sections = []
    for row in weekly.to_dict("records"):
        week = int(row["week"])
        badges = "".join(
            f'<span class="badge{" duties" if note == "duties start" else ""}">{escape(note)}</span>'
            for note in week_notes(week, program)
        )
        totals = (
            f"{row['hours']:g} of {row['usable_hours']:g} h the week can hold · content "
            f"{row['content_hours']:g} h, skills {row['skill_hours']:g} h · intensity "
            f"{row['intensity']:g} of {row['max_intensity']:g}"
        )
        entries = by_week.get(week, [])
        rows = "".join(_entry_row(entry) for entry in entries)
        if not any(e.kind == "session" for e in entries):
            empty = "No meeting this week." if not row["meeting_hours"] else "No modules this week."
            rows += f'<tr><td class="when"></td><td colspan="2">{empty}</td></tr>'
        sections.append(
            f'<section class="week"><h3>{escape(week_heading(week, program))} {badges}</h3>'
            f'<p class="meta">{escape(totals)}</p>'
            f"{agenda_table(rows)}</section>"
        )
    return "<h2>Week by week</h2>" + "".join(sections)


def _entry_row(entry: Entry) -> str:
    if entry.kind == "holiday":
        return holiday_row(entry)
    when = when_html(entry)
    who = f'<td class="who">{escape(entry.facilitator)}</td>'
    if entry.kind == "supervision":
        return (
            f'<tr class="supervision"><td class="when">{when}</td><td><strong>'
            f"{escape(entry.title)}</strong> "
            '<span class="meta">weekly supervision and refresher [4][5]</span></td>'
            f"{who}</tr>"
        )
    session = entry.session
    assert session is not None
    kind = escape(str(session["kind"]))
    badge = ' <span class="badge pre">pre-service</span>' if session["pre_service"] else ""
    meta = f"{kind} · {session['hours']:g} h · density {session['density']}"
    if session["evidence"]:
        meta += f" · {session['evidence']}"
    description = description_html(entry)
    return (
        f'<tr><td class="when">{when}</td><td><span class="kind {kind}"></span>'
        f"<strong>{escape(entry.title)}</strong>{badge} "
        f'<span class="meta">{escape(meta)}</span>{description}</td>{who}</tr>'
    )


# --- without a plan ----------------------------------------------------------------------


def _no_plan_parts(data: ReportData) -> list[str]:
    catalog = data.catalog
    how = (
        f"re-planned after the freeze on {day(data.freeze_before)}"
        if data.freeze_before
        else "planned"
    )
    intro = (
        f"The {len(catalog)} modules of the catalog ({catalog.total_hours:g} hours) cannot be "
        f"{how} under this programme's rules as they stand. Below: why, and the changes that "
        "would let a plan keep every rule."
    )
    fix = (
        f'<p class="fix"><strong>One change fixes every clash:</strong> {escape(str(data.fix))}.</p>'
        if data.fix is not None
        else ""
    )
    return [
        *_title(data, "No plan keeps every rule"),
        f"<p>{escape(intro)}</p>",
        fix,
        _warnings_section(data.warnings),
        conflicts_html(data.conflicts, None, data.status, level=2),
        _programme_section(data.program),
    ]


# --- both --------------------------------------------------------------------------------


def _warnings_section(warnings: Sequence[str]) -> str:
    """The warnings, or nothing when there are none."""
    if not warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings)
    return f'<h2>Warnings</h2><ul class="warnings">{items}</ul>'


def _programme_section(program: Program) -> str:
    rows = "".join(
        f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
        for label, value in programme_facts(program)
    )
    return f'<h2>Programme</h2><table class="facts"><tbody>{rows}</tbody></table>'


def programme_facts(program: Program) -> list[tuple[str, str]]:
    """(label, value) pairs describing the programme in plain words, with the review's
    references for the rules it draws from them."""
    held = len(meeting_slots(program))
    holidays = ", ".join(day(d) for d in program.holidays) or "none"
    limits = program.limits
    return [
        ("dates", f"{day(program.first_monday)} to {day(program.last_day)}"),
        ("meetings", f"{joined([_meeting_text(m) for m in program.meetings])}; {held} held"),
        ("location", program.location or "not set"),
        ("time zone", program.timezone),
        ("holidays", holidays),
        *(
            (f"{who} away", ", ".join(day(d) for d in days))
            for who, days in program.facilitators.items()
            if days
        ),
        (
            "weekly load",
            f"at most {limits.hours:g} hours and intensity {limits.intensity:g} (hours × "
            "density) a week [17]",
        ),
        ("first weeks", _ramp_text(program)),
        *([("modules", program.modules_limits)] if program.modules_limits else []),
        ("content and skills", _balance_text(program)),
        ("duties", _duties_text(program)),
        ("supervision", supervision_text(program) or "none"),
    ]


def _meeting_text(meeting: Meeting) -> str:
    start = pd.Timestamp.combine(date(2000, 1, 3), meeting.start)
    end = start + pd.Timedelta(hours=meeting.hours)
    return f"{WEEKDAY_NAMES[meeting.weekday]} {clock(start, end)}"


def _ramp_text(program: Program) -> str:
    limits = program.limits
    if limits.ramp_weeks == 0:
        return "no gentler start"
    weeks = "week 1" if limits.ramp_weeks == 1 else f"weeks 1-{limits.ramp_weeks}"
    return (
        f"gentler in {weeks}: at most {limits.ramp_hours:g} hours and intensity "
        f"{limits.ramp_intensity:g} a week, nothing denser than {limits.ramp_density} (of 5) "
        "[17]"
    )


def _balance_text(program: Program) -> str:
    balance = program.balance
    text = f"{balance.content_share:.0%} of each week's hours as content, the rest skills"
    if balance.weekly_tolerance is not None:
        text += f" (within ±{balance.weekly_tolerance:.0%})"
    return text + " [19]"


def _duties_text(program: Program) -> str:
    week = program.limits.duty_start
    if week is None:
        return "none in this programme"
    return (
        f"start in week {week} ({day(program.monday_of(week))}); pre-service modules end "
        "before [4][5]"
    )
