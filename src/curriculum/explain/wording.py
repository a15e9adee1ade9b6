"""Plain-language wording of clashing rules, with the numbers a coordinator can act on.

`WORDING` has one entry per `Rule`: given every clause of that rule in a clash (about
weeks, or about modules), the lines that say what the rule demands, each rule once and
similar modules together ("12 pre-service modules (13.5 h) must end before ...").
Modules are named by their titles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from curriculum.explain.conflict import Conflict
from curriculum.explain.counting import floor_asks, rooms
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import Slot, meeting_slots
from curriculum.replanning import Pins, Replanning
from curriculum.rules import UNARY, Clause, Rule

COUNTED = {
    Rule.WEEKLY_HOURS,
    Rule.WEEKLY_INTENSITY,
    Rule.WEEKLY_MODULES,
    Rule.MEETINGS,
    Rule.PRE_SERVICE,
}


@dataclass(frozen=True)
class _Context:
    """What the wording refers to."""

    catalog: Catalog
    program: Program
    replanning: Replanning | None

    def title(self, module_id: str) -> str:
        """A module's title, in quotes."""
        return f"'{self.catalog[module_id].title}'"

    def titles(self, module_ids: Iterable[str]) -> str:
        """'A', 'B' and 'C'."""
        return _and([self.title(m) for m in module_ids])


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
    return f"{label} {_and(parts)}"


def _and(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def describe(
    core: Sequence[Clause],
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None = None,
) -> tuple[str, list[str]]:
    """A headline of the clash (what the modules need against what the weeks allow, when
    counting shows it) and one line per rule in it, in `WORDING`'s order."""
    context = _Context(catalog, program, replanning)
    lines = []
    for rule, word in WORDING.items():
        clauses = [c for c in core if c.rule is rule]
        if clauses:
            lines += word(clauses, context)
    if replanning is not None:
        lines.append(_left_open(program, replanning.freeze_before))
    return _headline(core, context), lines


def _left_open(program: Program, freeze_before: date) -> str:
    """What a freeze keeps, and the weeks with a meeting on or after it (a week whose
    meetings are all past is not open, even when the freeze falls inside it)."""
    open_weeks = sorted({s.week for s in meeting_slots(program) if s.day >= freeze_before})
    kept = f"what happened before {freeze_before} stays where it was"
    if not open_weeks:
        return f"{kept}; no meeting remains open"
    verb = "remain" if len(open_weeks) > 1 else "remains"
    return f"{kept}; {week_ranges(open_weeks)} {verb} open"


def too_long(oversized: Sequence[Module], program: Program, longest: int) -> Conflict:
    """The clash when some module fits in no meeting at all."""
    if longest == 0:
        return Conflict(
            "The programme has no meetings left (every meeting falls on a holiday or "
            "before the start date)."
        )
    names = ", ".join(f"'{m.title}' ({m.hours:g} h)" for m in oversized)
    return Conflict(
        f"{names} {'is' if len(oversized) == 1 else 'are'} longer than the longest meeting "
        f"({longest / 4:g} h); a module is taught in one meeting."
    )


def _hours(modules: Iterable[Module]) -> float:
    return sum(m.hours for m in modules)


def _headline(core: Sequence[Clause], context: _Context) -> str:
    """The counted numbers when they show the clash; else what kind of clash it is (after
    the freeze, when re-planning)."""
    counted = _counted(core, context) or _too_few(core, context)
    if counted is not None:
        return counted
    text = _kind(core, context)
    if context.replanning is not None:
        return (
            f"After the freeze on {context.replanning.freeze_before}, {text[0].lower()}{text[1:]}"
        )
    return text


def _kind(core: Sequence[Clause], context: _Context) -> str:
    """What kind of clash it is, when no count shows it."""
    modules = list(dict.fromkeys(c.module for c in core))
    rules = {c.rule for c in core}
    if "" not in modules and all(c.rule in UNARY and not c.other for c in core):
        return f"No meeting is open to {context.titles(modules)}:"
    if rules == {Rule.PREREQUISITES}:
        return f"The prerequisite chain needs more weeks than {_teaching_weeks(context)}:"
    if rules == {Rule.MEETINGS}:  # no count shows it: a packing clash
        _, pins = _meetings(context.catalog, context.program, context.replanning)
        count = sum(1 for m in context.catalog.modules if m.id not in pins.pinned)
        what = _which([], count, pins, context)
        return f"{what[0].upper()}{what[1:]} do not fit whole into the meetings (each is taught in one):"
    return "These rules cannot all hold together:"


def _counted(core: Sequence[Clause], context: _Context) -> str | None:
    """'Weeks 1-3 allow 9 hours in all, but the 12 pre-service modules need 13.5 hours.',
    when the clash is one of hours (or intensity) against room and the numbers show it;
    each count that falls short is said (caps, meetings, both together, intensity)."""
    rules = {c.rule for c in core}
    if not rules <= COUNTED or not rules & (COUNTED - {Rule.PRE_SERVICE}):
        return None
    if any(c.module and c.rule is not Rule.PRE_SERVICE for c in core):
        return None
    catalog, program, replanning = context.catalog, context.program, context.replanning
    slots, pins = _meetings(catalog, program, replanning)
    named = [c.module for c in core if c.module]
    involved = [catalog[m] for m in named] or [
        m for m in catalog.modules if m.id not in pins.pinned
    ]
    room = rooms(catalog, program, slots, pins)
    duties = program.limits.duty_start or program.weeks + 1
    weeks = sorted({c.week for c in core if c.week}) or sorted(
        w for w in room if not named or w < duties
    )
    if not weeks:  # no week before duties start: none to count (it said "week 0")
        what = _which(named, len(involved), pins, context)
        before = f"must be taught before duties start in week {duties}"
        if pins.pinned and replanning is not None:
            return (
                f"After the freeze on {replanning.freeze_before}, {what} {before}, but no "
                "meeting is left before then."
            )
        return f"{what[:1].upper()}{what[1:]} {before}, but no week comes before it."
    hours, intensity = _hours(involved), sum(m.intensity for m in involved)
    short = []
    for needed, present, field, words, per in (
        (hours, Rule.WEEKLY_HOURS, "hours", "{:g} hours under their caps", 4),
        (hours, Rule.MEETINGS, "meetings", "{:g} hours of meetings", 4),
        (intensity, Rule.WEEKLY_INTENSITY, "intensity", "{:g} intensity (hours × density)", 4),
        (len(involved), Rule.WEEKLY_MODULES, "modules", "{:g} modules under their caps", 1),
    ):
        allowed = sum(getattr(room[w], field) or 0 for w in weeks if w in room) / per
        if present in rules and needed > allowed:
            short.append((field, allowed, words.format(allowed)))
    in_hours = {"hours", "meetings", "both"}
    both = sum(room[w].both for w in weeks if w in room) / 4
    if (
        not any(f in in_hours for f, _, _ in short)
        and {Rule.WEEKLY_HOURS, Rule.MEETINGS} <= rules
        and hours > both
    ):
        short.insert(0, ("both", both, f"{both:g} hours within their caps and meetings"))
    if not short:
        return None
    what = _which(named, len(involved), pins, context)
    fields = {f for f, _, _ in short}
    needs = _and(
        [f"{hours:g} hours"] * bool(fields & in_hours)
        + [f"{intensity:g} intensity"] * ("intensity" in fields)
        + [f"{len(involved)} modules"] * ("modules" in fields)
    )
    span = week_ranges(weeks)
    verb = "allows" if len(weeks) == 1 else "allow"
    left = " left" if pins.pinned else ""
    if len(short) > 1:
        room_text = f"{span} {verb} {_and([words for *_, words in short])} in all"
    elif short[0][0] == "meetings":
        room_text = f"the meetings{left} in {span} last {short[0][1]:g} hours in all"
    else:
        unit = short[0][0] if short[0][0] in ("intensity", "modules") else "hours"
        within = " within their caps and meetings" if short[0][0] == "both" else ""
        room_text = f"{span} {verb} {short[0][1]:g} {unit} in all{within}"
    if len(weeks) == 1:
        room_text = room_text.replace("their caps", "its cap")
    if pins.pinned and replanning is not None:
        return (
            f"After the freeze on {replanning.freeze_before}, {what} need {needs}, but {room_text}."
        )
    text = f"{room_text}, but {what} need {needs}."
    return text[0].upper() + text[1:]


def _too_few(core: Sequence[Clause], context: _Context) -> str | None:
    """'Weeks 1-2 need at least 4 modules in all, but there are only the 3 modules of the
    catalog.', when the clash is the weekly floors alone and the numbers show it."""
    if {c.rule for c in core} != {Rule.WEEKLY_MODULES_FLOOR}:
        return None
    program, replanning = context.program, context.replanning
    slots, pins = _meetings(context.catalog, program, replanning)
    asks, count = floor_asks(context.catalog, program, slots, pins)
    weeks = sorted(c.week for c in core)
    need = sum(asks.get(week, 0) for week in weeks)
    if count >= need:
        return None
    verb = ("still " if pins.pinned else "") + ("needs" if len(weeks) == 1 else "need")
    text = (
        f"{week_ranges(weeks)} {verb} at least {need} modules in all, but there are only "
        f"{_which([], count, pins, context)}."
    )
    if pins.pinned and replanning is not None:
        return f"After the freeze on {replanning.freeze_before}, {text}"
    return text[0].upper() + text[1:]


def _which(named: Sequence[str], count: int, pins: Pins, context: _Context) -> str:
    """Which modules a count is about: all still to teach, or those the clash names (every
    pre-service module still to teach, or some that must fall in its weeks)."""
    if not named:
        return f"the {count} modules {'left to teach' if pins.pinned else 'of the catalog'}"
    due = {m.id for m in context.catalog.modules if m.pre_service and m.id not in pins.pinned}
    if set(named) == due:
        return f"the {count} pre-service modules"
    return f"the {count} modules that must fall there"


def _teaching_weeks(context: _Context) -> str:
    """'the programme has', or, when some of its weeks have no meeting open (holidays,
    the past of a re-plan), which weeks have."""
    slots, pins = _meetings(context.catalog, context.program, context.replanning)
    weeks = {s.week for s in slots if s.index >= pins.open_from}
    if len(weeks) == context.program.weeks or not weeks:
        return "the programme has"
    return f"the {len(weeks)} with meetings open ({week_ranges(weeks)})"


def _meetings(
    catalog: Catalog, program: Program, replanning: Replanning | None
) -> tuple[tuple[Slot, ...], Pins]:
    """The meetings the model sees and what re-planning pins."""
    if replanning is None:
        return meeting_slots(program), Pins()
    frozen = replanning.freeze(catalog, program)
    return frozen.slots, frozen.pins


# ------------------------------------------------------------------ one wording per rule


def _caps(
    clauses: Sequence[Clause],
    cap: Callable[[int], float],
    unit: str,
    program: Program,
    *,
    floor: bool = False,
) -> list[str]:
    """Weeks grouped by their cap: 'weeks 1-4 (ramp) allow at most 3 hours each'; or by
    their `floor`: 'week 5 needs at least 2 modules'."""
    by_cap: dict[float, list[int]] = {}
    for clause in clauses:
        by_cap.setdefault(cap(clause.week), []).append(clause.week)
    verbs, bound = (("needs", "need"), "at least") if floor else (("allows", "allow"), "at most")
    lines = []
    for value, weeks in sorted(by_cap.items()):
        ramp = " (ramp)" if all(program.is_ramp_week(w) for w in weeks) else ""
        verb = verbs[len(weeks) > 1]
        each = " each" if len(weeks) > 1 else ""
        units = unit.removesuffix("s") if value == 1 else unit  # '1 module', '2 modules'
        lines.append(f"{week_ranges(weeks)}{ramp} {verb} {bound} {value:g} {units}{each}")
    return lines


def _weekly_hours(clauses: Sequence[Clause], context: _Context) -> list[str]:
    program = context.program
    weeks = [c for c in clauses if not c.module]
    lines = _caps(weeks, program.hours_cap, "hours", program) if weeks else []
    for clause in (c for c in clauses if c.module):
        module = context.catalog[clause.module]
        short = [w for w in range(1, program.weeks + 1) if program.hours_cap(w) < module.hours]
        cap = max(program.hours_cap(w) for w in short)
        lines.append(
            f"{context.title(module.id)} lasts {module.hours:g} h, more than the {cap:g}-hour "
            f"cap of {week_ranges(short)}"
        )
    return lines


def _weekly_intensity(clauses: Sequence[Clause], context: _Context) -> list[str]:
    program = context.program
    return _caps(clauses, program.intensity_cap, "intensity (hours × density)", program)


def _weekly_modules(clauses: Sequence[Clause], context: _Context) -> list[str]:
    program = context.program
    return _caps(clauses, lambda week: program.modules_cap(week) or 0, "modules", program)


def _weekly_modules_floor(clauses: Sequence[Clause], context: _Context) -> list[str]:
    program = context.program
    return _caps(clauses, program.modules_floor, "modules", program, floor=True)


def _meetings_rule(clauses: Sequence[Clause], context: _Context) -> list[str]:
    return ["modules sharing a meeting must fit within its length"]


def _balance_tolerance(clauses: Sequence[Clause], context: _Context) -> list[str]:
    b = context.program.balance
    return [
        f"{week_ranges(c.week for c in clauses)} must keep content at {b.content_share:.0%} "
        f"± {b.weekly_tolerance or 0:.0%} of the hours"
    ]


def _frozen(clauses: Sequence[Clause], context: _Context) -> list[str]:
    freeze = context.replanning.freeze_before if context.replanning else None
    ids = [c.module for c in clauses]
    if len(ids) == 1:
        return [f"{context.title(ids[0])} already took place (before {freeze}) and stays"]
    return [
        f"{len(ids)} modules already took place (before {freeze}) and stay: {context.titles(ids)}"
    ]


def _week_window(clauses: Sequence[Clause], context: _Context) -> list[str]:
    weeks = context.program.weeks
    by_window: dict[tuple[int, int], list[str]] = {}
    for clause in clauses:
        module = context.catalog[clause.module]
        window = (module.earliest_week or 1, module.latest_week or weeks)
        by_window.setdefault(window, []).append(module.id)
    lines = []
    for (early, late), ids in by_window.items():
        if early > weeks:
            verb = "may" if len(ids) == 1 else "may each"
            lines.append(
                f"{context.titles(ids)} {verb} not start before week {early}, but the "
                f"programme has {weeks}"
            )
        else:
            lines.append(
                f"{context.titles(ids)} must be taught in {week_ranges(range(early, late + 1))}"
            )
    return lines


def _pre_service_rule(clauses: Sequence[Clause], context: _Context) -> list[str]:
    modules = [context.catalog[c.module] for c in clauses]
    week = context.program.limits.duty_start
    if len(modules) == 1:
        (module,) = modules
        return [
            f"{context.title(module.id)} ({module.hours:g} h) is pre-service: it must end "
            f"before duties start in week {week}"
        ]
    return [
        f"{len(modules)} pre-service modules ({_hours(modules):g} h) must end before duties "
        f"start in week {week}: {context.titles(m.id for m in modules)}"
    ]


def _ramp_density(clauses: Sequence[Clause], context: _Context) -> list[str]:
    modules = [context.catalog[c.module] for c in clauses]
    limits = context.program.limits
    ramp = f"the ramp's maximum of {limits.ramp_density} in {week_ranges(range(1, limits.ramp_weeks + 1))}"
    if len(modules) == 1:
        return [f"{context.title(modules[0].id)} has density {modules[0].density}, above {ramp}"]
    named = _and([f"{context.title(m.id)} ({m.density})" for m in modules])
    return [f"{len(modules)} modules are denser than {ramp}: {named}"]


def _facilitator_available(clauses: Sequence[Clause], context: _Context) -> list[str]:
    by_who: dict[str, list[str]] = {}
    for clause in clauses:
        by_who.setdefault(context.catalog[clause.module].facilitator, []).append(clause.module)
    lines = []
    for who, ids in by_who.items():
        days = ", ".join(str(d) for d in context.program.unavailable(who))
        verb = "is" if len(ids) == 1 else "are"
        lines.append(f"{context.titles(ids)} {verb} led by {who}, who is unavailable on {days}")
    return lines


def _prerequisites(clauses: Sequence[Clause], context: _Context) -> list[str]:
    """Links that form chains are said as chains: 'A', then 'B', then 'C', each in a later
    week than the one before."""
    after = {c.other: c.module for c in clauses}
    before = {c.module: c.other for c in clauses}
    if len(after) < len(clauses) or len(before) < len(clauses):  # not simple chains
        return [
            f"{context.title(c.other)} must come in a week before {context.title(c.module)}"
            for c in clauses
        ]
    lines = []
    for head in (m for m in after if m not in before):
        chain = [head]
        while chain[-1] in after:
            chain.append(after[chain[-1]])
        if len(chain) == 2:
            lines.append(
                f"{context.title(chain[0])} must come in a week before {context.title(chain[1])}"
            )
        else:
            named = ", then ".join(context.title(m) for m in chain)
            lines.append(
                f"{named} must each come in a later week than the one before ({len(chain)} weeks)"
            )
    return lines


def _final(clauses: Sequence[Clause], context: _Context) -> list[str]:
    return [
        f"{context.title(c.module)} is a final module: it comes after every other module"
        for c in clauses
    ]


WORDING: dict[Rule, Wording] = {
    Rule.WEEKLY_HOURS: _weekly_hours,
    Rule.WEEKLY_INTENSITY: _weekly_intensity,
    Rule.WEEKLY_MODULES: _weekly_modules,
    Rule.WEEKLY_MODULES_FLOOR: _weekly_modules_floor,
    Rule.MEETINGS: _meetings_rule,
    Rule.BALANCE_TOLERANCE: _balance_tolerance,
    Rule.FROZEN: _frozen,
    Rule.WEEK_WINDOW: _week_window,
    Rule.PRE_SERVICE: _pre_service_rule,
    Rule.RAMP_DENSITY: _ramp_density,
    Rule.FACILITATOR_AVAILABLE: _facilitator_available,
    Rule.PREREQUISITES: _prerequisites,
    Rule.FINAL: _final,
}
