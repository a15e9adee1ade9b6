"""Candidate relaxations for a clash, least disruptive first; `conflicts` verifies them.

`RELAXATIONS` has one entry per `Rule`: given the clauses of that rule in a clash, the
changes to the catalog or programme that could let it hold. Those that keep every
evidence-based rule (more weeks, later duties, another meeting, ...) come before those that
loosen one (a cap, the ramp, pre-service, the balance), each candidate once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from curriculum.cells import name_key
from curriculum.errors import ProgramError
from curriculum.explain.conflict import Suggestion
from curriculum.explain.settings import settings_between
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Duties, Meeting, Program
from curriculum.meetings import MeetingCalendar, meeting_slots
from curriculum.replanning import Replanning, last_past_week, past_defaults
from curriculum.rules import Clause, Rule

MORE_WEEKS = 12  # the most extra weeks a suggestion adds
# What a change loosens, named with the review's references (EVIDENCE.md)
RAMP = "the gentler first weeks [17]"
LOAD = "the weekly load cap [17]"
STANDARDS = "standards before duties [4][5]"
BALANCE = "the content-skill balance [19]"
FINAL_ASSESSMENT = "the final assessment [19]"


@dataclass(frozen=True)
class Relaxation:
    """A changed catalog or programme, how to say it, and the evidence-based rule it
    loosens ('' when it keeps them all)."""

    description: str
    catalog: Catalog
    program: Program
    replanning: Replanning | None = None
    relaxes: str = ""

    @property
    def keeps_evidence(self) -> bool:
        """Whether every evidence-based rule still holds."""
        return not self.relaxes

    def suggestion(
        self, catalog: Catalog, program: Program, replanning: Replanning | None = None
    ) -> Suggestion:
        """The change from `catalog` and `program` (and a re-plan's freeze), as settings."""
        freeze = (
            (replanning.freeze_before, self.replanning.freeze_before)
            if replanning is not None and self.replanning is not None
            else None
        )
        settings = settings_between(catalog, program, self.catalog, self.program, freeze)
        return Suggestion(self.description, settings, self.relaxes)


Relax = Callable[[Sequence[Clause], Catalog, Program, "Replanning | None"], Iterator[Relaxation]]


def candidates(
    core: Sequence[Clause],
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None = None,
) -> Iterator[Relaxation]:
    """Relaxations aimed at the rules in the clash (in `RELAXATIONS`' order) and more
    weeks: first those that keep every evidence-based rule, then those that loosen one;
    each description once."""
    seen: set[str] = set()

    def aimed() -> Iterator[Relaxation]:
        for rule, relax in RELAXATIONS.items():
            clauses = [clause for clause in core if clause.rule is rule]
            if clauses:
                yield from relax(clauses, catalog, program, replanning)
        yield from _more_weeks([], catalog, program, replanning)

    for keeping in (True, False):
        for relaxation in aimed():
            if relaxation.keeps_evidence != keeping or relaxation.description in seen:
                continue
            seen.add(relaxation.description)
            if relaxation.replanning is None and replanning is not None:
                relaxation = dataclasses.replace(relaxation, replanning=replanning)
            yield relaxation


# ------------------------------------------------------------------ one entry per rule


def _thaw(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Freeze an earlier date, so the clashing past blocks may be re-scheduled."""
    if replanning is None:
        return
    sessions = replanning.sessions
    frozen = {clause.module for clause in clauses}
    starts = sessions[sessions["module"].isin(frozen)]["start"]
    if starts.empty:
        return
    earliest = starts.min().date()
    titles = [_title(catalog, m) for m in sorted(frozen)]
    text = (
        f"freeze only what happened before {earliest} (not {replanning.freeze_before}), "
        f"so {', '.join(titles)} can be re-scheduled"
    )
    earlier = dataclasses.replace(replanning, freeze_before=earliest)
    yield Relaxation(text, catalog, program, earlier)


def _raise_hours(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Higher weekly hours caps: in the clashing weeks, then for the longest module."""
    weeks = [clause.week for clause in clauses if not clause.module]
    longest_week = max(sum(m.hours for m in program.meetings), 0.25)
    if any(program.is_ramp_week(w) for w in weeks):
        for cap in _steps(program.limits.ramp_hours, longest_week):
            ramp = dataclasses.replace(program.ramp, max_hours_per_week=cap)
            text = f"raise the ramp weeks' cap to {cap:g} hours"
            yield from _program(text, catalog, program, RAMP, ramp=ramp)
    if any(not program.is_ramp_week(w) for w in weeks):
        for cap in _steps(program.limits.hours, longest_week):
            load = dataclasses.replace(program.load, max_hours_per_week=cap)
            text = f"raise the weekly cap to {cap:g} hours"
            yield from _program(text, catalog, program, LOAD, load=load)
    modules = [catalog[c.module] for c in clauses if c.module in catalog]
    if modules:
        need = max(m.hours for m in modules)
        limits = program.limits
        for name, section, cap in (
            ("ramp", program.ramp, limits.ramp_hours if limits.ramp_weeks else need),
            ("load", program.load, limits.hours),
        ):
            if cap < need:
                raised = dataclasses.replace(section, max_hours_per_week=need)
                where = "the ramp weeks' cap" if name == "ramp" else "the weekly cap"
                relaxes = RAMP if name == "ramp" else LOAD
                yield from _program(
                    f"raise {where} to {need:g} hours", catalog, program, relaxes, **{name: raised}
                )


def _raise_intensity(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Higher weekly intensity caps, in the clashing weeks."""
    weeks = [clause.week for clause in clauses]
    if any(program.is_ramp_week(w) for w in weeks):
        cap = program.limits.ramp_intensity
        for higher in _steps(cap, cap * 2, step=1.0):
            ramp = dataclasses.replace(program.ramp, max_intensity_per_week=higher)
            text = f"raise the ramp weeks' intensity cap to {higher:g}"
            yield from _program(text, catalog, program, RAMP, ramp=ramp)
    if any(not program.is_ramp_week(w) for w in weeks):
        cap = program.limits.intensity
        for higher in _steps(cap, cap * 2, step=1.0):
            load = dataclasses.replace(program.load, max_intensity_per_week=higher)
            text = f"raise the weekly intensity cap to {higher:g}"
            yield from _program(text, catalog, program, LOAD, load=load)


def _raise_modules(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Higher weekly modules caps, in the clashing weeks: from the least any plan needs
    (N modules over the programme's W weeks: N / W a week, rounded up), one more at a time."""
    weeks = [clause.week for clause in clauses]
    needed = -(-len(catalog.modules) // program.weeks)
    for in_ramp, name in ((True, "ramp"), (False, "load")):
        caps = [program.modules_cap(w) for w in weeks if program.is_ramp_week(w) == in_ramp]
        current = max((cap for cap in caps if cap is not None), default=None)
        if current is None:
            continue
        section = program.ramp if in_ramp else program.load
        where, relaxes = ("the ramp weeks'", RAMP) if in_ramp else ("the weekly", LOAD)
        for cap in range(max(current + 1, needed), len(catalog.modules) + 1):
            raised = dataclasses.replace(section, max_modules_per_week=cap)
            text = f"raise {where} modules cap to {cap}"
            yield from _program(text, catalog, program, relaxes, **{name: raised})


def _lower_floor(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Lower weekly floors on modules, in the clashing weeks: one less at a time, then none
    (the ramp's only when the load has none, which it would follow). A floor is the
    coordinator's choice, not the evidence's: lowering it keeps every evidence-based rule."""
    weeks = [clause.week for clause in clauses]
    for in_ramp, name in ((True, "ramp"), (False, "load")):
        current = max(
            (program.modules_floor(w) for w in weeks if program.is_ramp_week(w) == in_ramp),
            default=0,
        )
        if not current:
            continue
        section = program.ramp if in_ramp else program.load
        where = "the ramp weeks'" if in_ramp else "the weekly"
        for floor in range(current - 1, 0, -1):
            lowered = dataclasses.replace(section, min_modules_per_week=floor)
            text = f"lower {where} floor on modules to {floor}"
            yield from _program(text, catalog, program, "", **{name: lowered})
        if not in_ramp or program.load.min_modules_per_week is None:
            dropped = dataclasses.replace(section, min_modules_per_week=None)
            text = f"drop {where} floor on modules"
            yield from _program(text, catalog, program, "", **{name: dropped})


def _later_duties(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Duties starting later (not when re-planning after they started: that is the past),
    then each clashing module out of pre-service (longest first)."""
    start = program.limits.duty_start
    if start is not None and start > _freeze_week(program, replanning):
        for week in range(start + 1, program.weeks + 1):
            duties = Duties(start_week=week)
            text = f"start duties in week {week} instead of week {start}"
            yield from _program(text, catalog, program, duties=duties)
    modules = [catalog[c.module] for c in clauses if c.module in catalog]
    for module in sorted(modules, key=lambda m: -m.hours):
        if module.pre_service:
            changed = _replace_module(catalog, module, pre_service=False)
            text = f"take '{module.title}' out of pre-service (teach it after duties start)"
            yield Relaxation(text, changed, program, relaxes=STANDARDS)


def _widen_windows(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Each clashing module without its latest, or earliest, week."""
    for module in (catalog[c.module] for c in clauses if c.module in catalog):
        if module.latest_week is not None and module.latest_week < program.weeks:
            changed = _replace_module(catalog, module, latest_week=None)
            yield Relaxation(f"drop the latest week of '{module.title}'", changed, program)
        if module.earliest_week is not None and module.earliest_week > 1:
            changed = _replace_module(catalog, module, earliest_week=None)
            yield Relaxation(f"drop the earliest week of '{module.title}'", changed, program)


def _gentler_ramp(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Denser modules allowed in the ramp, then a shorter ramp."""
    for density in range(program.limits.ramp_density + 1, 6):
        ramp = dataclasses.replace(program.ramp, max_density=density)
        text = f"allow density up to {density} in the ramp weeks"
        yield from _program(text, catalog, program, RAMP, ramp=ramp)
    for weeks in range(program.limits.ramp_weeks - 1, -1, -1):
        ramp = dataclasses.replace(program.ramp, weeks=weeks)
        text = f"shorten the ramp to {weeks} weeks"
        yield from _program(text, catalog, program, RAMP, ramp=ramp)


def _wider_tolerance(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """A wider weekly balance tolerance, in steps."""
    tolerance = program.balance.weekly_tolerance or 0.0
    for step in (0.05, 0.1, 0.15, 0.25, 0.5):
        wider = min(1.0, round(tolerance + step, 2))
        balance = dataclasses.replace(program.balance, weekly_tolerance=wider)
        text = f"widen the weekly balance tolerance to {wider:.0%}"
        yield from _program(text, catalog, program, BALANCE, balance=balance)


def _other_facilitator(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Someone else to lead each clashing module."""
    for module in (catalog[c.module] for c in clauses if c.module in catalog):
        if program.unavailable(module.facilitator):
            changed = _replace_module(catalog, module, facilitator="")
            text = f"ask someone other than {module.facilitator} to lead '{module.title}'"
            leads = {name_key(name) for name in changed.facilitators}
            away = {k: v for k, v in program.facilitators.items() if name_key(k) in leads}
            yield from _program(text, changed, program, facilitators=away)


def _not_final(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Each clashing final module taught without waiting for all the others."""
    for module in (catalog[c.module] for c in clauses if c.module in catalog):
        changed = _replace_module(catalog, module, final=False)
        text = f"let '{module.title}' come before the last modules"
        yield Relaxation(text, changed, program, relaxes=FINAL_ASSESSMENT)


def longer_meetings(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """Lengthen a weekly meeting to hold the modules longer than every meeting (and raise
    the weekly cap below them); nothing when every module fits some meeting."""
    longest = MeetingCalendar.of(program).longest
    need = max((m.hours for m in catalog.modules if m.quarters > longest), default=0.0)
    if not need:
        return
    for index, meeting in enumerate(program.meetings):
        try:
            longer = dataclasses.replace(meeting, hours=max(need, meeting.hours))
        except ProgramError:
            continue  # it would run past midnight
        meetings = (*program.meetings[:index], longer, *program.meetings[index + 1 :])
        load = dataclasses.replace(program.load, max_hours_per_week=max(program.limits.hours, need))
        text = f"lengthen the {longer.weekday_name} meeting to {need:g} hours"
        relaxes = ""
        if load != program.load:
            text += f" and raise the weekly cap to {need:g} hours"
            relaxes = LOAD
        changes = {"meetings": meetings, "load": load}
        for relaxation in _program(text, catalog, program, relaxes, **changes):
            yield dataclasses.replace(relaxation, replanning=replanning)


def _meeting_time(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """A longer meeting for modules that fit none, then another weekly meeting."""
    yield from longer_meetings(clauses, catalog, program, replanning)
    yield from _another_meeting(clauses, catalog, program, replanning)


def _another_meeting(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """A weekly meeting on a weekday without one, at the first meeting's time and length."""
    first = program.meetings[0]
    taken = {m.weekday for m in program.meetings}
    for weekday in (d for d in range(6) if d not in taken):
        extra = Meeting(weekday, first.start, first.hours)
        text = f"add a weekly meeting on {extra.weekday_name} at {first.start:%H:%M}"
        meetings = (*program.meetings, extra)
        yield from _program(text, catalog, program, meetings=meetings)


def _more_weeks(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """One more week, two more, ... (a prerequisite chain needs weeks)."""
    for extra in range(1, MORE_WEEKS + 1):
        text = f"add {extra} week{'s' if extra > 1 else ''} ({program.weeks + extra} in all)"
        try:
            longer = dataclasses.replace(program, weeks=program.weeks + extra)
        except ProgramError:
            continue
        kept = past_defaults(program, longer, _freeze_week(program, replanning))
        yield Relaxation(text, catalog, dataclasses.replace(longer, **kept))


def _more_teaching_weeks(
    clauses: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    """More weeks for a prerequisite chain; then, when some weeks have no meeting (holidays
    close them), another weekly meeting, which may open them."""
    yield from _more_weeks(clauses, catalog, program, replanning)
    if len({slot.week for slot in meeting_slots(program)}) < program.weeks:
        yield from _another_meeting(clauses, catalog, program, replanning)


def _freeze_week(program: Program, replanning: Replanning | None) -> int:
    """The last programme week with a day before a re-plan's freeze (0 when not
    re-planning): weeks up to it hold the past."""
    return last_past_week(program, replanning.freeze_before) if replanning is not None else 0


RELAXATIONS: dict[Rule, Relax] = {
    Rule.FROZEN: _thaw,
    Rule.WEEKLY_HOURS: _raise_hours,
    Rule.WEEKLY_INTENSITY: _raise_intensity,
    Rule.WEEKLY_MODULES: _raise_modules,
    Rule.WEEKLY_MODULES_FLOOR: _lower_floor,
    Rule.PRE_SERVICE: _later_duties,
    Rule.WEEK_WINDOW: _widen_windows,
    Rule.RAMP_DENSITY: _gentler_ramp,
    Rule.BALANCE_TOLERANCE: _wider_tolerance,
    Rule.FACILITATOR_AVAILABLE: _other_facilitator,
    Rule.MEETINGS: _meeting_time,
    Rule.PREREQUISITES: _more_teaching_weeks,
    Rule.FINAL: _not_final,
}


# ------------------------------------------------------------------ helpers


def _program(
    description: str, catalog: Catalog, program: Program, relaxes: str = "", **changes: Any
) -> Iterator[Relaxation]:
    """A relaxation of the programme (loosening `relaxes`), skipped when the change itself
    is invalid."""
    try:
        changed = dataclasses.replace(program, **changes)
    except ProgramError:
        return
    yield Relaxation(description, catalog, changed, relaxes=relaxes)


def _title(catalog: Catalog, module_id: str) -> str:
    """A module's title in quotes (its id when the catalog no longer has it)."""
    return f"'{catalog[module_id].title}'" if module_id in catalog else f"'{module_id}'"


def _replace_module(catalog: Catalog, module: Module, **changes: Any) -> Catalog:
    modules = tuple(
        dataclasses.replace(m, **changes) if m.id == module.id else m for m in catalog.modules
    )
    return dataclasses.replace(catalog, modules=modules)


def _steps(current: float, limit: float, step: float = 0.5) -> list[float]:
    """Higher values than `current`, `step` apart, up to `limit`."""
    values = []
    value = current
    while value + step <= limit + 1e-9:
        value += step
        values.append(value)
    return values
