"""Plain-language wording of clashing rules, with the numbers a coordinator can act on."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from curriculum.catalog import Catalog, Module
from curriculum.freezing import Replanning
from curriculum.meetings import meeting_slots
from curriculum.program import Program
from curriculum.result import Conflict
from curriculum.rules import Rule


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
    core: Sequence[Rule], catalog: Catalog, program: Program, replanning: Replanning | None = None
) -> tuple[str, list[str]]:
    """A one-sentence summary of the clash and one line per rule in it."""
    lines = _cap_lines(core, program) + [
        _module_line(r, catalog, program, replanning) for r in core
    ]
    lines = [line for line in lines if line]
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
    core: Sequence[Rule], catalog: Catalog, program: Program, replanning: Replanning | None
) -> str | None:
    """The headline numbers: what the modules need against what the weeks allow."""
    order = {m.id: i for i, m in enumerate(catalog.modules)}
    named = sorted({r.module for r in core if r.module}, key=order.__getitem__)
    past = replanning.past_modules(program) if replanning else set()
    involved = [catalog[m] for m in named] or [m for m in catalog.modules if m.id not in past]
    what = f"the {len(involved)} modules " + (
        "that must fall there" if named else "not yet taught" if past else "of the catalog"
    )
    families = {r.family for r in core}
    meeting_hours: dict[int, float] = {}
    for slot in meeting_slots(program):
        meeting_hours[slot.week] = meeting_hours.get(slot.week, 0.0) + slot.quarters / 4
    if families == {"meetings"}:
        room = sum(meeting_hours.values())
        return f"The programme's meetings hold at most {room:g} hours, but {what} need {_hours(involved):g}."

    def hours_cap(week: int) -> float:
        """The week's cap, or its meetings where they are shorter and part of the clash."""
        cap = program.hours_cap(week)
        return min(cap, meeting_hours.get(week, 0.0)) if "meetings" in families else cap

    allowed, needed = [], []
    for family, cap, need, unit in (
        ("hours", hours_cap, _hours(involved), "hours"),
        ("intensity", program.intensity_cap, sum(m.intensity for m in involved), "intensity"),
    ):
        weeks = sorted({r.week for r in core if r.family == family})
        if weeks:
            verb = "allows" if len(weeks) == 1 else "allow"
            allowed.append(f"{week_ranges(weeks)} {verb} {sum(cap(w) for w in weeks):g} {unit}")
            needed.append(f"{need:g} {unit}")
    if not allowed:
        return None
    prefix = f"After the freeze on {replanning.freeze_before}, " if past and replanning else ""
    text = f"{prefix}{' and '.join(allowed)} in all, but {what} need {' and '.join(needed)}."
    return text[0].upper() + text[1:]


def _cap_lines(core: Sequence[Rule], program: Program) -> list[str]:
    lines = []
    for family, cap, unit in (
        ("hours", program.hours_cap, "hours"),
        ("intensity", program.intensity_cap, "intensity (hours × density)"),
    ):
        by_cap: dict[float, list[int]] = {}
        for rule in core:
            if rule.family == family:
                by_cap.setdefault(cap(rule.week), []).append(rule.week)
        for value, weeks in sorted(by_cap.items()):
            ramp = " (ramp)" if all(program.is_ramp_week(w) for w in weeks) else ""
            verb = "allows" if len(weeks) == 1 else "allow"
            each = " each" if len(weeks) > 1 else ""
            lines.append(f"{week_ranges(weeks)}{ramp} {verb} at most {value:g} {unit}{each}")
    if any(rule.family == "meetings" for rule in core):
        lines.append("modules sharing a meeting must fit within its length")
    balance = [r.week for r in core if r.family == "balance"]
    if balance:
        b = program.balance
        lines.append(
            f"{week_ranges(balance)} must keep content at {b.content_share:.0%} "
            f"± {b.weekly_tolerance or 0:.0%} of the hours"
        )
    return lines


def _module_line(
    rule: Rule, catalog: Catalog, program: Program, replanning: Replanning | None
) -> str:
    if not rule.module:
        return ""
    if rule.family == "frozen" and replanning is not None:
        return (
            f"'{rule.module}' already took place (before {replanning.freeze_before}) "
            "and stays where it was"
        )
    module = catalog[rule.module]
    name = f"'{module.id}'"
    if rule.family == "window":
        early, late = module.earliest_week or 1, module.latest_week or program.weeks
        if early > program.weeks:
            return (
                f"{name} may not start before week {early}, but the programme has {program.weeks}"
            )
        return f"{name} must be taught in {week_ranges(range(early, late + 1))}"
    if rule.family == "pre_service":
        return (
            f"{name} ({module.hours:g} h) is pre-service: it must end before duties start "
            f"in week {program.duties.start_week}"
        )
    if rule.family == "weekly_length":
        short = [w for w in range(1, program.weeks + 1) if program.hours_cap(w) < module.hours]
        cap = max(program.hours_cap(w) for w in short)
        return f"{name} lasts {module.hours:g} h, more than the {cap:g}-hour cap of {week_ranges(short)}"
    if rule.family == "ramp_density":
        return (
            f"{name} has density {module.density}, above the ramp's maximum of "
            f"{program.ramp.max_density} in weeks 1-{program.ramp.weeks}"
        )
    if rule.family == "facilitator":
        days = ", ".join(str(d) for d in program.facilitators.get(module.facilitator, ()))
        return f"{name} is led by {module.facilitator}, who is unavailable on {days}"
    if rule.family == "prerequisite":
        return f"'{rule.other}' must come in a week before {name}"
    return f"{rule.family} rule on {name}"  # pragma: no cover - every family is worded above
