"""Plain-language wording of clashing rules, with the numbers a coordinator can act on.

`WORDING` has one entry per `Rule`: given the clauses of that rule in a clash (all about
weeks, or one about a module), the lines that say what the rule demands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from curriculum.explain.conflict import Conflict
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar
from curriculum.replanning import Replanning
from curriculum.rules import Clause, Rule


@dataclass(frozen=True)
class _Context:
    """What the wording refers to."""

    catalog: Catalog
    program: Program
    replanning: Replanning | None


Wording = Callable[[Sequence[Clause], _Context], list[str]]


def week_ranges(weeks: Iterable[int]) -> str:
    """[1, 2, 3, 5] -> 'weeks 1-3 and 5'."""
    ordered = sorted(set(weeks))
    parts: list[str] = []
    start = prev = ordered[0] if ordered else 0
    for week in [*ordered[1:], None]:
        if week is not None and week == prev + 1:
            prev = week
            continue
        parts.append(f"{start}-{prev}" if prev > start else f"{start}")
        if week is not None:
            start = prev = week
    label = "weeks" if len(ordered) > 1 else "week"
    joined = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return f"{label} {joined}"


def describe(
    core: Sequence[Clause],
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None = None,
) -> tuple[str, list[str]]:
    """A one-sentence summary of the clash and one line per rule in it: first the rules
    about weeks (in `WORDING`'s order), then each clause about a module."""
    context = _Context(catalog, program, replanning)
    lines = []
    for rule, word in WORDING.items():
        about_weeks = [c for c in core if c.rule is rule and not c.module]
        if about_weeks:
            lines += word(about_weeks, context)
    for clause in core:
        if clause.module:
            lines += WORDING[clause.rule]([clause], context)
    summary = _summary(core, catalog, program, replanning)
    if summary is None:
        prefix = f"After the freeze on {replanning.freeze_before}, t" if replanning else "T"
        summary = f"{prefix}hese rules cannot all hold: " + "; ".join(lines) + "."
    if replanning is not None:
        first_open = max(1, program.week_of(replanning.freeze_before))
        lines.append(
            f"what happened before {replanning.freeze_before} stays where it was; "
            f"{week_ranges(range(first_open, program.weeks + 1))} remain open"
        )
    return summary, lines


def too_long(oversized: Sequence[Module], program: Program, longest: int) -> Conflict:
    """The clash when some module fits in no meeting at all."""
    if longest == 0:
        return Conflict(
            "The programme has no meetings left (every meeting falls on a holiday or "
            "before the start date)."
        )
    names = ", ".join(f"'{m.id}' ({m.hours:g} h)" for m in oversized)
    return Conflict(
        f"{names} {'is' if len(oversized) == 1 else 'are'} longer than the longest meeting "
        f"({longest / 4:g} h); a module is taught in one meeting."
    )


def _hours(modules: Iterable[Module]) -> float:
    return sum(m.hours for m in modules)


def _summary(
    core: Sequence[Clause], catalog: Catalog, program: Program, replanning: Replanning | None
) -> str | None:
    """The headline numbers: what the modules need against what the weeks allow."""
    order = {m.id: i for i, m in enumerate(catalog.modules)}
    named = sorted({c.module for c in core if c.module}, key=order.__getitem__)
    past = replanning.past_modules(program) if replanning else set()
    involved = [catalog[m] for m in named] or [m for m in catalog.modules if m.id not in past]
    what = f"the {len(involved)} modules " + (
        "that must fall there" if named else "not yet taught" if past else "of the catalog"
    )
    rules = {c.rule for c in core}
    calendar = MeetingCalendar.of(program)
    if rules == {Rule.MEETINGS}:
        room = sum(calendar.meeting_quarters(w) for w in calendar.weeks) / 4
        return f"The programme's meetings hold at most {room:g} hours, but {what} need {_hours(involved):g}."

    def hours_cap(week: int) -> float:
        """The week's cap, or its meetings where they are shorter and part of the clash."""
        cap = program.hours_cap(week)
        meetings = calendar.meeting_quarters(week) / 4
        return min(cap, meetings) if Rule.MEETINGS in rules else cap

    allowed, needed = [], []
    for rule, cap, need, unit in (
        (Rule.WEEKLY_HOURS, hours_cap, _hours(involved), "hours"),
        (
            Rule.WEEKLY_INTENSITY,
            program.intensity_cap,
            sum(m.intensity for m in involved),
            "intensity",
        ),
    ):
        weeks = sorted({c.week for c in core if c.rule is rule and not c.module})
        if weeks:
            verb = "allows" if len(weeks) == 1 else "allow"
            allowed.append(f"{week_ranges(weeks)} {verb} {sum(cap(w) for w in weeks):g} {unit}")
            needed.append(f"{need:g} {unit}")
    if not allowed:
        return None
    prefix = f"After the freeze on {replanning.freeze_before}, " if past and replanning else ""
    text = f"{prefix}{' and '.join(allowed)} in all, but {what} need {' and '.join(needed)}."
    return text[0].upper() + text[1:]


# ------------------------------------------------------------------ one wording per rule


def _caps(
    clauses: Sequence[Clause], cap: Callable[[int], float], unit: str, program: Program
) -> list[str]:
    """Weeks grouped by their cap: 'weeks 1-4 (ramp) allow at most 3 hours each'."""
    by_cap: dict[float, list[int]] = {}
    for clause in clauses:
        by_cap.setdefault(cap(clause.week), []).append(clause.week)
    lines = []
    for value, weeks in sorted(by_cap.items()):
        ramp = " (ramp)" if all(program.is_ramp_week(w) for w in weeks) else ""
        verb = "allows" if len(weeks) == 1 else "allow"
        each = " each" if len(weeks) > 1 else ""
        lines.append(f"{week_ranges(weeks)}{ramp} {verb} at most {value:g} {unit}{each}")
    return lines


def _weekly_hours(clauses: Sequence[Clause], context: _Context) -> list[str]:
    program = context.program
    if not clauses[0].module:
        return _caps(clauses, program.hours_cap, "hours", program)
    module = context.catalog[clauses[0].module]
    short = [w for w in range(1, program.weeks + 1) if program.hours_cap(w) < module.hours]
    cap = max(program.hours_cap(w) for w in short)
    return [
        f"'{module.id}' lasts {module.hours:g} h, more than the {cap:g}-hour cap of "
        f"{week_ranges(short)}"
    ]


def _weekly_intensity(clauses: Sequence[Clause], context: _Context) -> list[str]:
    program = context.program
    return _caps(clauses, program.intensity_cap, "intensity (hours × density)", program)


def _meetings(clauses: Sequence[Clause], context: _Context) -> list[str]:
    return ["modules sharing a meeting must fit within its length"]


def _balance_tolerance(clauses: Sequence[Clause], context: _Context) -> list[str]:
    b = context.program.balance
    return [
        f"{week_ranges(c.week for c in clauses)} must keep content at {b.content_share:.0%} "
        f"± {b.weekly_tolerance or 0:.0%} of the hours"
    ]


def _frozen(clauses: Sequence[Clause], context: _Context) -> list[str]:
    freeze = context.replanning.freeze_before if context.replanning else None
    return [f"'{clauses[0].module}' already took place (before {freeze}) and stays where it was"]


def _week_window(clauses: Sequence[Clause], context: _Context) -> list[str]:
    module, weeks = context.catalog[clauses[0].module], context.program.weeks
    early, late = module.earliest_week or 1, module.latest_week or weeks
    if early > weeks:
        return [f"'{module.id}' may not start before week {early}, but the programme has {weeks}"]
    return [f"'{module.id}' must be taught in {week_ranges(range(early, late + 1))}"]


def _pre_service(clauses: Sequence[Clause], context: _Context) -> list[str]:
    module = context.catalog[clauses[0].module]
    return [
        f"'{module.id}' ({module.hours:g} h) is pre-service: it must end before duties start "
        f"in week {context.program.limits.duty_start}"
    ]


def _ramp_density(clauses: Sequence[Clause], context: _Context) -> list[str]:
    module, limits = context.catalog[clauses[0].module], context.program.limits
    return [
        f"'{module.id}' has density {module.density}, above the ramp's maximum of "
        f"{limits.ramp_density} in weeks 1-{limits.ramp_weeks}"
    ]


def _facilitator_available(clauses: Sequence[Clause], context: _Context) -> list[str]:
    module = context.catalog[clauses[0].module]
    days = ", ".join(str(d) for d in context.program.unavailable(module.facilitator))
    return [f"'{module.id}' is led by {module.facilitator}, who is unavailable on {days}"]


def _prerequisites(clauses: Sequence[Clause], context: _Context) -> list[str]:
    clause = clauses[0]
    return [f"'{clause.other}' must come in a week before '{clause.module}'"]


def _final(clauses: Sequence[Clause], context: _Context) -> list[str]:
    return [f"'{clauses[0].module}' is a final module: it comes after every other module"]


WORDING: dict[Rule, Wording] = {
    Rule.WEEKLY_HOURS: _weekly_hours,
    Rule.WEEKLY_INTENSITY: _weekly_intensity,
    Rule.MEETINGS: _meetings,
    Rule.BALANCE_TOLERANCE: _balance_tolerance,
    Rule.FROZEN: _frozen,
    Rule.WEEK_WINDOW: _week_window,
    Rule.PRE_SERVICE: _pre_service,
    Rule.RAMP_DENSITY: _ramp_density,
    Rule.FACILITATOR_AVAILABLE: _facilitator_available,
    Rule.PREREQUISITES: _prerequisites,
    Rule.FINAL: _final,
}
