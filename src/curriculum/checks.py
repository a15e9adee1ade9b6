"""The independent checker: every hard rule, re-derived from a plan's sessions frame.

Nothing here comes from the solver or the meeting calendar: the meetings are rebuilt from
the programme's weekly pattern with `datetime`. A meeting starts at its local clock time
(an 18:00 meeting is 18:00 on both sides of a daylight-saving change) and lasts its real
length; times are compared as instants, lengths in real hours.
One function per rule (`CHECKS`, keyed by `curriculum.rules.Rule`), each the twin of the
CP-SAT model's constraint, after the checks that the sessions are a plan of the catalog at
all (`INTEGRITY`); each returns one plain-English sentence per violation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pandas as pd

from curriculum.cells import cell_text, is_missing, parse_bool
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Meeting, Program
from curriculum.meetings import ongoing_times
from curriculum.rules import Rule
from curriculum.units import floor_quarters, hours_text, later, local_instant

REQUIRED_COLUMNS = ("week", "start", "end", "module", "kind", "hours", "density")
EPS = 1e-9


@dataclass(frozen=True)
class _Session:
    """One row of the sessions frame; `start` and `end` are instants in UTC, `local_start`
    and `local_end` the same in the programme's zone."""

    module: str
    week: int
    start: datetime
    end: datetime
    local_start: datetime
    local_end: datetime
    hours: float
    density: int
    kind: str
    pre_service: bool | None = None
    facilitator: str | None = None
    intensity: float | None = None

    @property
    def day(self) -> date:
        """Local date of the session."""
        return self.local_start.date()

    @property
    def hours_long(self) -> float:
        """Real length in hours."""
        return (self.end - self.start).total_seconds() / 3600

    @property
    def span(self) -> str:
        """E.g. 'Tue 2027-01-12 18:00-19:30'."""
        return f"{self.local_start:%a %Y-%m-%d %H:%M}-{self.local_end:%H:%M}"


@dataclass(frozen=True)
class _Occurrence:
    """One dated meeting of the weekly pattern: instants in UTC, `local_end` for words."""

    pattern: Meeting
    start: datetime
    end: datetime
    local_end: datetime

    def __str__(self) -> str:
        return f"the {self.pattern} meeting on {self.local_end:%a %Y-%m-%d}"


@dataclass(frozen=True)
class _Plan:
    """What a check looks at: the sessions, the inputs, and the frozen past when re-planned."""

    sessions: Sequence[_Session]
    catalog: Catalog
    program: Program
    frozen: Sequence[_Session] = ()
    freeze_before: date | None = None  # a re-plan's freeze date

    @property
    def open(self) -> list[_Session]:
        """The sessions a re-plan placed (not the frozen past, which is not re-judged:
        it stays as it was, whatever the programme now says)."""
        past = {(s.module, s.start, s.end) for s in self.frozen}
        return [s for s in self.sessions if (s.module, s.start, s.end) not in past]

    def past_load(self, week: int, value: Callable[[_Session], float]) -> float:
        """What the frozen past put in a week: it stands even over a cap."""
        return sum(value(s) for s in self.frozen if s.week == week)


Check = Callable[[_Plan], list[str]]


def check_plan(
    sessions: pd.DataFrame,
    catalog: Catalog,
    program: Program,
    *,
    frozen: pd.DataFrame | None = None,
    freeze_before: date | None = None,
) -> list[str]:
    """Every hard rule the sessions break, checked without the solver.

    Parameters
    ----------
    sessions
        One row per scheduled module block (`Plan.sessions`).
    catalog, program
        The inputs the plan was made for.
    frozen
        When the plan is a re-plan: the sessions that had already happened and must stand
        exactly as they were.
    freeze_before
        When the plan is a re-plan: its freeze date (the floor on modules a week judges only
        the weeks with a meeting on or after it).

    Returns
    -------
    list of str
        One sentence per violation; empty when the plan keeps every rule.
    """
    missing = [name for name in REQUIRED_COLUMNS if name not in sessions.columns]
    if missing:
        names = ", ".join(f"'{name}'" for name in missing)
        return [f"the sessions frame has no {names} column; cannot check the plan"]
    rows, problems = _read_sessions(sessions, program)
    past = _read_sessions(frozen, program)[0] if frozen is not None else []
    plan = _Plan(rows, catalog, program, past, freeze_before)
    for check in (*INTEGRITY, *CHECKS.values()):
        problems += check(plan)
    return problems


# ------------------------------------------------------------------ reading


def _read_sessions(frame: pd.DataFrame, program: Program) -> tuple[list[_Session], list[str]]:
    """The rows as `_Session`s, and a sentence for each row too broken to check."""
    rows: list[_Session] = []
    problems: list[str] = []
    for position, record in enumerate(frame.to_dict("records")):
        module = _stripped(record["module"])
        try:
            start = _instant(record["start"], program)
            end = _instant(record["end"], program)
            week = int(record["week"])
            hours = float(record["hours"])
            density = int(record["density"])
        except (TypeError, ValueError):
            problems.append(
                f"session row {position} (module '{module}') has a missing or unreadable "
                "week, start, end, hours or density"
            )
            continue
        rows.append(
            _Session(
                module=module,
                week=week,
                start=start.astimezone(timezone.utc),
                end=end.astimezone(timezone.utc),
                local_start=start,
                local_end=end,
                hours=hours,
                density=density,
                kind=_stripped(record["kind"]),
                pre_service=_flag(record["pre_service"]) if "pre_service" in record else None,
                facilitator=_stripped(record["facilitator"]) if "facilitator" in record else None,
                intensity=_number(record["intensity"]) if "intensity" in record else None,
            )
        )
    return rows, problems


def _instant(value: object, program: Program) -> datetime:
    """A timestamp as an aware time in the programme's zone (one without a zone is read
    as a local time there)."""
    if is_missing(value):
        raise ValueError("no time")
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    if stamp is pd.NaT:
        raise ValueError("no time")
    if stamp.tzinfo is None:
        naive: datetime = stamp.to_pydatetime()
        return local_instant(naive.date(), naive.time(), program.zone)
    moment: datetime = stamp.tz_convert("UTC").to_pydatetime()
    return moment.astimezone(program.zone)


def _stripped(value: object) -> str:
    return cell_text(value).strip()


def _flag(value: object) -> bool | None:
    if is_missing(value):
        return None
    if isinstance(value, str):
        return parse_bool(value)
    return bool(value)


def _number(value: object) -> float | None:
    try:
        return None if is_missing(value) else float(str(value))
    except ValueError:
        return None


# ------------------------------------------------------------------ meetings


def _occurrence(session: _Session, program: Program) -> _Occurrence | None:
    """The meeting of the weekly pattern on the session's day that its start falls in.

    A session starting right at a meeting's end belongs to that meeting (it overran it),
    unless another meeting starts then.
    """
    found: list[_Occurrence] = []
    for meeting in program.meetings:
        if meeting.weekday == session.day.weekday():
            local = local_instant(session.day, meeting.start, program.zone)
            local_end = later(local, round(meeting.hours * 60))
            start, end = local.astimezone(timezone.utc), local_end.astimezone(timezone.utc)
            if start <= session.start <= end:
                found.append(_Occurrence(meeting, start, end, local_end))
    found.sort(key=lambda m: m.end == session.start)
    return found[0] if found else None


def _by_week(sessions: Iterable[_Session], value: Callable[[_Session], float]) -> dict[int, float]:
    totals: dict[int, float] = defaultdict(float)
    for session in sessions:
        totals[session.week] += value(session)
    return dict(sorted(totals.items()))


# ------------------------------------------------------------------ integrity


def _each_module_once(plan: _Plan) -> list[str]:
    """Every catalog module is scheduled exactly once; no unknown modules."""
    sessions, catalog = plan.sessions, plan.catalog
    counts = Counter(s.module for s in sessions)
    problems = [
        f"module '{module}' is not in the catalog" for module in counts if module not in catalog
    ]
    for module, count in counts.items():
        if count > 1 and module in catalog:
            weeks = ", ".join(str(s.week) for s in sessions if s.module == module)
            problems.append(
                f"module '{module}' is scheduled {count} times (weeks {weeks}); "
                "each module is taught exactly once"
            )
    problems += [
        f"module '{m.id}' is missing from the plan" for m in catalog.modules if m.id not in counts
    ]
    return problems


def _catalog_data(plan: _Plan) -> list[str]:
    """Each session lasts its hours and (but for a re-plan's frozen past, taught as the
    catalog was then) carries its module's catalog data."""
    problems = []
    placed = {(s.module, s.start, s.end) for s in plan.open}
    for s in plan.sessions:
        length = s.hours_long
        if abs(length - s.hours) > EPS:
            problems.append(
                f"module '{s.module}' runs {s.span} ({hours_text(length)} h) in week {s.week}, "
                f"but its hours are {hours_text(s.hours)}"
            )
        if s.module not in plan.catalog or (s.module, s.start, s.end) not in placed:
            continue
        module = plan.catalog[s.module]
        expected: list[tuple[str, object, object]] = [
            ("hours", s.hours, module.hours),
            ("density", s.density, module.density),
            ("kind", s.kind, module.kind),
            ("pre_service", s.pre_service, module.pre_service),
            ("facilitator", s.facilitator, module.facilitator),
        ]
        for name, planned, listed in expected:
            if planned is not None and not _same(planned, listed):
                problems.append(
                    f"module '{s.module}' has {name} {planned!r} in the plan "
                    f"but {listed!r} in the catalog"
                )
        if s.intensity is not None and abs(s.intensity - s.hours * s.density) > 1e-6:
            problems.append(
                f"module '{s.module}' has intensity {hours_text(s.intensity)}, not hours times "
                f"density = {hours_text(s.hours * s.density)}"
            )
    return problems


def _same(planned: object, listed: object) -> bool:
    if isinstance(listed, float) and isinstance(planned, (int, float)):
        return abs(planned - listed) <= EPS
    return planned == listed


INTEGRITY: tuple[Check, ...] = (_each_module_once, _catalog_data)


# ------------------------------------------------------------------ rules


def _meetings(plan: _Plan) -> list[str]:
    """Each session lies inside one dated meeting of the programme and is in its week;
    sessions sharing a meeting do not overlap; no session on a holiday."""
    program = plan.program
    problems = []
    shared: dict[datetime, list[_Session]] = defaultdict(list)
    for s in plan.open:
        week = program.week_of(s.day)
        if not 1 <= week <= program.weeks:
            problems.append(
                f"module '{s.module}' is on {s.day}, outside the programme's weeks "
                f"1-{program.weeks} ({program.first_monday} to {program.last_day})"
            )
            continue
        if s.week != week:
            problems.append(
                f"module '{s.module}' is on {s.day}, in week {week}, "
                f"but its week column says {s.week}"
            )
        if s.day < program.start:
            problems.append(
                f"module '{s.module}' is on {s.day}, before the programme starts on {program.start}"
            )
        meeting = _occurrence(s, program)
        if meeting is None:
            patterns = ", ".join(str(m) for m in program.meetings)
            problems.append(
                f"module '{s.module}' at {s.span} is not inside any meeting "
                f"(the meetings are {patterns})"
            )
            continue
        if s.end > meeting.end:
            problems.append(
                f"module '{s.module}' runs {s.span}, past the end of {meeting} "
                f"at {meeting.local_end:%H:%M}"
            )
        shared[meeting.start].append(s)
    for group in shared.values():
        problems += _overlaps(group)
    problems += _during_ongoing(plan)
    holidays = set(program.holidays)
    problems += [
        f"module '{s.module}' is on {s.day:%a %Y-%m-%d} in week {s.week}, a holiday"
        for s in plan.open
        if s.day in holidays
    ]
    return problems


def _during_ongoing(plan: _Plan) -> list[str]:
    """Sessions at a time the weekly ongoing sessions take (`ongoing_times`): the trainees
    cannot be at both."""
    program, ongoing = plan.program, plan.program.ongoing
    if ongoing is None:
        return []
    held = {start.date(): (start, end) for start, end in ongoing_times(program)}
    return [
        f"module '{s.module}' at {s.span} overlaps the weekly '{ongoing.title}' "
        f"({at:%H:%M}-{until:%H:%M})"
        for s in plan.open
        if s.day in held
        for at, until in [held[s.day]]
        if s.start < until and at < s.end
    ]


def _overlaps(group: Sequence[_Session]) -> list[str]:
    """Pairs of sessions in one meeting whose times overlap."""
    ordered = sorted(group, key=lambda s: (s.start, s.end))
    problems = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if second.start < first.end and first.start < second.end:
                problems.append(
                    f"modules '{first.module}' ({first.local_start:%H:%M}-{first.local_end:%H:%M}) "
                    f"and '{second.module}' ({second.local_start:%H:%M}-{second.local_end:%H:%M}) "
                    f"overlap on {first.local_start:%a %Y-%m-%d} in week {first.week}"
                )
    return problems


def _hours(session: _Session) -> float:
    return session.hours


def _points(session: _Session) -> float:
    """Intensity in quarter-hour density points."""
    return session.hours * 4 * session.density


def _weekly_hours(plan: _Plan) -> list[str]:
    """Hours per week within the cap (the ramp's in ramp weeks), floored to quarter hours."""
    program = plan.program
    problems = []
    for week, hours in _by_week(plan.sessions, lambda s: s.hours).items():
        cap = max(floor_quarters(program.hours_cap(week)) / 4, plan.past_load(week, _hours))
        if hours > cap + EPS:
            which = "the ramp cap" if program.is_ramp_week(week) else "the cap"
            problems.append(
                f"week {week} has {hours_text(hours)} h of modules; {which} is {hours_text(cap)} h"
            )
    return problems


def _weekly_intensity(plan: _Plan) -> list[str]:
    """Hours times density, summed per week, within the cap, in quarter-hour density points."""
    program = plan.program
    problems = []
    for week, points in _by_week(plan.sessions, _points).items():
        cap = max(floor_quarters(program.intensity_cap(week)), plan.past_load(week, _points))
        if points > cap + EPS:
            which = "the ramp cap" if program.is_ramp_week(week) else "the cap"
            problems.append(
                f"week {week} has intensity {hours_text(points / 4)} (hours times density); "
                f"{which} is {hours_text(cap / 4)}"
            )
    return problems


def _weekly_modules(plan: _Plan) -> list[str]:
    """Modules per week within the cap, when one is set (the ramp's in ramp weeks)."""
    program = plan.program
    problems = []
    for week, count in _by_week(plan.sessions, lambda s: 1).items():
        cap = program.modules_cap(week)
        if cap is None:
            continue
        cap = max(cap, round(plan.past_load(week, lambda s: 1)))
        if count > cap:
            which = "the ramp cap" if program.is_ramp_week(week) else "the cap"
            problems.append(f"week {week} has {count:g} modules; {which} is {cap} a week")
    return problems


def _weekly_modules_floor(plan: _Plan) -> list[str]:
    """Modules per teaching week at least the floor, when one is set (the ramp's in ramp
    weeks); in a re-plan only the weeks with a meeting on or after the freeze date are
    judged (the past stays as it was, even a week it left empty)."""
    program = plan.program
    counts = _by_week(plan.sessions, lambda s: 1)
    problems = []
    for week in _teaching_weeks(program, plan.freeze_before or program.start):
        floor, count = program.modules_floor(week), round(counts.get(week, 0))
        if count < floor:
            which = "the ramp floor" if program.is_ramp_week(week) else "the floor"
            noun = "module" if count == 1 else "modules"
            problems.append(f"week {week} has {count} {noun}; {which} is {floor} a week")
    return problems


def _teaching_weeks(program: Program, first_day: date) -> list[int]:
    """The weeks that can teach from `first_day` on, from the weekly pattern: a meeting on a
    day that is no holiday and not before the start or `first_day`, and an hours cap
    above 0."""
    holidays = set(program.holidays)
    first_day = max(first_day, program.start)
    found = []
    for week in range(1, program.weeks + 1):
        monday = program.monday_of(week)
        days = [monday + timedelta(days=meeting.weekday) for meeting in program.meetings]
        meets = any(day >= first_day and day not in holidays for day in days)
        if meets and floor_quarters(program.hours_cap(week)) > 0:
            found.append(week)
    return found


def _ramp_density(plan: _Plan) -> list[str]:
    """No module denser than the ramp's maximum in a ramp week."""
    program = plan.program
    limit = program.limits.ramp_density
    return [
        f"module '{s.module}' has density {s.density} in week {s.week}, a ramp week; "
        f"ramp weeks allow density up to {limit}"
        for s in plan.open
        if program.is_ramp_week(s.week) and s.density > limit
    ]


def _prerequisites(plan: _Plan) -> list[str]:
    """Each prerequisite comes in a strictly earlier week."""
    weeks: dict[str, list[int]] = defaultdict(list)
    for s in plan.sessions:
        weeks[s.module].append(s.week)
    problems = []
    past = {s.module for s in plan.frozen}
    for module in plan.catalog.modules:
        if module.id not in weeks or module.id in past:
            continue
        week = min(weeks[module.id])
        for prerequisite in module.prerequisites:
            before = max(weeks.get(prerequisite, [0]))
            if before >= week:
                problems.append(
                    f"module '{module.id}' (week {week}) needs '{prerequisite}' in an earlier "
                    f"week, but '{prerequisite}' is in week {before}"
                )
    return problems


def _week_window(plan: _Plan) -> list[str]:
    """Each module within its earliest/latest week."""
    problems = []
    for s in plan.open:
        if s.module not in plan.catalog:
            continue
        module = plan.catalog[s.module]
        early = module.earliest_week or 1
        late = module.latest_week or plan.program.weeks
        if not early <= s.week <= late:
            problems.append(
                f"module '{s.module}' is in week {s.week}; its window is weeks {early}-{late}"
            )
    return problems


def _pre_service(plan: _Plan) -> list[str]:
    """Pre-service modules come in a week before duties start."""
    start_week = plan.program.limits.duty_start
    if start_week is None:
        return []
    catalog = plan.catalog
    return [
        f"pre-service module '{s.module}' is in week {s.week}; duties start in week "
        f"{start_week}, so it must come by week {start_week - 1}"
        for s in plan.open
        if s.module in catalog and catalog[s.module].pre_service and s.week >= start_week
    ]


def _facilitator_available(plan: _Plan) -> list[str]:
    """No module on a day its (catalog) facilitator is unavailable."""
    problems = []
    for s in plan.open:
        if s.module not in plan.catalog:
            continue
        facilitator = plan.catalog[s.module].facilitator
        if s.day in plan.program.unavailable(facilitator):
            problems.append(
                f"module '{s.module}' is on {s.day:%a %Y-%m-%d} in week {s.week}, "
                f"when its facilitator '{facilitator}' is unavailable"
            )
    return problems


def _balance_tolerance(plan: _Plan) -> list[str]:
    """Each week's content share within the tolerance of the target, when one is set."""
    balance = plan.program.balance
    if balance.tolerance is None:
        return []
    share, tolerance = float(balance.share), float(balance.tolerance)  # as planned
    totals = _by_week(plan.sessions, lambda s: s.hours)
    content = _by_week(plan.sessions, lambda s: s.hours if s.kind == "content" else 0.0)
    problems = []
    for week, hours in totals.items():
        if hours > 0 and abs(content[week] - share * hours) > tolerance * hours + EPS:
            problems.append(
                f"week {week} has {hours_text(content[week])} h of content in "
                f"{hours_text(hours)} h ({content[week] / hours:.0%}); the content share must "
                f"be {share:.0%} ± {tolerance:.0%}"
            )
    return problems


def _frozen(plan: _Plan) -> list[str]:
    """Re-planning: every session that had already happened stands exactly as it was."""
    now = {s.module: s for s in plan.sessions}
    problems = []
    for was in plan.frozen:
        session = now.get(was.module)
        if session is None:
            problems.append(f"module '{was.module}' took place on {was.span} but is gone")
        elif (session.start, session.end) != (was.start, was.end):
            problems.append(
                f"module '{was.module}' took place on {was.span} but the plan has it on "
                f"{session.span}"
            )
    return problems


def _final(plan: _Plan) -> list[str]:
    """A final module starts after every other module has ended."""
    catalog = plan.catalog
    finals = [s for s in plan.sessions if s.module in catalog and catalog[s.module].final]
    others = [s for s in plan.sessions if s.module in catalog and not catalog[s.module].final]
    problems = []
    for last in finals:
        later = [s for s in others if s.end > last.start]
        if later:
            names = ", ".join(f"'{s.module}' ({s.span})" for s in later[:3])
            more = f" and {len(later) - 3} more" if len(later) > 3 else ""
            problems.append(
                f"final module '{last.module}' starts {last.span}, before {names}{more} "
                "ended; it must come after every other module"
            )
    return problems


CHECKS: dict[Rule, Check] = {
    Rule.MEETINGS: _meetings,
    Rule.WEEKLY_HOURS: _weekly_hours,
    Rule.WEEKLY_INTENSITY: _weekly_intensity,
    Rule.WEEKLY_MODULES: _weekly_modules,
    Rule.WEEKLY_MODULES_FLOOR: _weekly_modules_floor,
    Rule.RAMP_DENSITY: _ramp_density,
    Rule.PREREQUISITES: _prerequisites,
    Rule.WEEK_WINDOW: _week_window,
    Rule.PRE_SERVICE: _pre_service,
    Rule.FACILITATOR_AVAILABLE: _facilitator_available,
    Rule.BALANCE_TOLERANCE: _balance_tolerance,
    Rule.FROZEN: _frozen,
    Rule.FINAL: _final,
}
