"""Why cohorts planned together have no plans: clashes in plain words, with a fix verified
by re-solving every cohort.

A shared facilitator's weekly cap is first judged by counting: the hours of their modules
(a joint module once) that their own rules keep inside a run of calendar weeks, against the
cap over those weeks. Other clashes
are found by CP-SAT on the model with switches; each cohort's own rules are worded as for
one cohort, prefixed with its name.

Each shared rule has its line for a clash in `WORDING` and a change that may resolve one
in `RELAXATIONS` (a test holds both complete).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from curriculum.cells import name_key
from curriculum.cohorts.sharing import Place
from curriculum.cpsat import CohortsModel, cohorts_hold, minimal_core
from curriculum.explain import Conflict, Setting, Suggestion
from curriculum.explain.budget import Budget
from curriculum.explain.wording import describe
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.inputs.program_toml import toml_value
from curriculum.meetings import meeting_slots
from curriculum.rules import Clause, SharedRule, forbidding
from curriculum.units import calendar_monday, hours_text

CHECK_SECONDS = 5.0  # per feasibility check
MIN_SECONDS = 0.5  # for the whole explanation, however little time the search left
MAX_CONFLICTS = 3
CAP_STEPS = (0.5, 1, 2, 4, 8)  # hours added to a cap, tried in turn when counting gives no figure


@dataclass(frozen=True)
class CohortsExplanation:
    """The clashes found, one change that fixes them (when verified), and whether the time
    ran out first."""

    conflicts: tuple[Conflict, ...]
    fix: Suggestion | None
    cut: bool


def explain_cohorts(
    cohorts: Cohorts, places: Mapping[str, Sequence[Place]], *, seconds: float
) -> CohortsExplanation:
    """The clashes that leave the cohorts with no plans, within about `seconds`."""
    budget = Budget(time.monotonic() + max(seconds, MIN_SECONDS))
    conflicts = [*_overloads(cohorts, places, budget)]
    if not conflicts:
        conflicts = _searched(cohorts, places, budget)
    fix = next((c.suggestions[0] for c in conflicts if c.suggestions), None)
    return CohortsExplanation(tuple(conflicts[:MAX_CONFLICTS]), fix, budget.over)


# ------------------------------------------------------------------ counting


def _weeks_of(cohorts: Cohorts, who: str) -> list[tuple[float, date, date]]:
    """Each of `who`'s modules (a joint module once) as its hours and the first and last
    calendar week (Mondays) its own rules allow (a committed cohort's: where it is)."""
    found = []
    counted: set[str] = set()
    for cohort in cohorts.cohorts:
        held = {}
        if cohort.committed is not None:
            sessions = cohort.committed.sessions
            held = {
                str(m): pd.Timestamp(start).date()
                for m, start in zip(sessions["module"], sessions["start"])
            }
        for module in cohort.catalog.modules:
            if name_key(module.facilitator) != who or module.id in counted:
                continue
            if module.id in cohorts.joint:
                counted.add(module.id)
            if module.id in held:
                day = held[module.id]
                weeks = {calendar_monday(day)}
            else:
                weeks = {
                    calendar_monday(slot.day)
                    for slot in meeting_slots(cohort.program)
                    if module.quarters <= slot.quarters
                    and not forbidding(module, slot, cohort.program)
                }
            if weeks:
                found.append((module.hours, min(weeks), max(weeks)))
    return found


@dataclass(frozen=True)
class _Overload:
    """More hours than a cap allows in a run of calendar weeks."""

    hours: float
    first: date
    last: date
    weeks: int

    def cap_needed(self) -> float:
        """The least cap, in quarter hours, that lets these weeks hold these hours."""
        return math.ceil(self.hours * 4 / self.weeks) / 4


def _overload(cohorts: Cohorts, who: str, cap: float) -> _Overload | None:
    """The run of calendar weeks whose modules (those that cannot leave it) need the most
    hours beyond `cap` a week, counted over every cohort; None when none does."""
    modules = _weeks_of(cohorts, who)
    mondays = sorted(
        {
            calendar_monday(slot.day)
            for cohort in cohorts.cohorts
            for slot in meeting_slots(cohort.program)
        }
    )
    worst = None
    for i, first in enumerate(mondays):
        for j in range(i, len(mondays)):
            last = mondays[j]
            hours = sum(h for h, a, b in modules if first <= a and b <= last)
            weeks = j - i + 1
            beyond = hours - cap * weeks
            if beyond > 1e-9 and (worst is None or beyond > worst[0]):
                worst = (beyond, _Overload(hours, first, last, weeks))
    return worst[1] if worst else None


def _overloads(
    cohorts: Cohorts, places: Mapping[str, Sequence[Place]], budget: Budget
) -> list[Conflict]:
    found = []
    for who, cap, over, summary in _counted(cohorts):
        rules = (f"{who} teaches at most {hours_text(cap)} h a week across cohorts",)
        tries = [over.cap_needed() + step for step in (0, *CAP_STEPS)]
        suggestion = _raised_cap(cohorts, places, who, tries, budget)
        found.append(Conflict(summary, rules, (suggestion,) if suggestion else ()))
    return found


def counted_overloads(cohorts: Cohorts) -> list[str]:
    """Each shared facilitator's weekly cap that counting alone shows too low, said as the
    explanation of a failed plan says it (without the fix, which takes a search)."""
    return [summary for *_, summary in _counted(cohorts)]


def _counted(cohorts: Cohorts) -> Iterator[tuple[str, float, _Overload, str]]:
    """For each shared facilitator whose cap counting shows too low: their name, the cap,
    the weeks that overflow it, and that said in words."""
    for who, limits in cohorts.facilitators.items():
        cap = limits.max_hours_per_week
        over = _overload(cohorts, name_key(who), cap) if cap is not None else None
        if over is None or cap is None:
            continue
        having = [c.name for c in cohorts.cohorts if who_teaches(c.catalog, who)]
        when = (
            f"in the week of {over.first}"
            if over.weeks == 1
            else f"in the {over.weeks} weeks from {over.first} to {over.last + timedelta(days=6)}"
        )
        allows = "" if over.weeks == 1 else f" ({hours_text(cap * over.weeks)} h in all)"
        summary = (
            f"{who} would need {hours_text(over.hours)} h {when} across {_listed(having)}; "
            f"the cap is {hours_text(cap)} h a week{allows}."
        )
        yield who, cap, over, summary


def who_teaches(catalog: Catalog, who: str) -> bool:
    """Whether a catalog has a module led by `who` (any case or spacing)."""
    return any(name_key(m.facilitator) == name_key(who) for m in catalog.modules)


def _listed(names: Sequence[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


# ------------------------------------------------------------------ fixes

# Stand-ins, in a relaxed cohort, for the room a coordinator picks and the person they ask
# (numbered on, "another room 2", when the inputs already use the name)
ANOTHER_ROOM = "another room"
ANOTHER_FACILITATOR = "another facilitator"


def _unused(stand_in: str, names: Sequence[str]) -> str:
    """The stand-in name, or the first numbered one, that none of `names` matches."""
    taken = {name_key(n) for n in names}
    number = 1
    while name_key(found := stand_in if number == 1 else f"{stand_in} {number}") in taken:
        number += 1
    return found


def _holds(
    cohorts: Cohorts,
    places: Mapping[str, Sequence[Place]],
    budget: Budget,
    caps: Mapping[str, float] | None = None,
) -> bool:
    """Whether every cohort has a plan (under these shared caps), found in time."""
    if budget.over:
        return False
    model = CohortsModel(cohorts, places, caps=caps)
    return bool(cohorts_hold(model, budget.seconds(CHECK_SECONDS)))


def _replaced(cohorts: Cohorts, changed: Cohort) -> Cohorts:
    """The cohorts with `changed` in place of the cohort of its name."""
    return dataclasses.replace(
        cohorts, cohorts=tuple(changed if c.name == changed.name else c for c in cohorts.cohorts)
    )


def _raised_cap(
    cohorts: Cohorts,
    places: Mapping[str, Sequence[Place]],
    who: str,
    caps: Sequence[float],
    budget: Budget,
) -> Suggestion | None:
    """The first of these caps for `who` under which every cohort has a plan."""
    for cap in caps:
        if _holds(cohorts, places, budget, caps={who: cap}):
            value = hours_text(cap)
            return Suggestion(
                f"let {who} teach up to {value} h a week across cohorts",
                (
                    Setting(
                        f"facilitators.{toml_value(who)}.max_hours_per_week",
                        cap,
                        f"set max_hours_per_week = {value} in [facilitators.{toml_value(who)}]",
                    ),
                ),
            )
    return None


def _higher_cap(
    clause: Clause, cohorts: Cohorts, places: Mapping[str, Sequence[Place]], budget: Budget
) -> Suggestion | None:
    """A shared facilitator's weekly cap raised by a step at a time (`CAP_STEPS`)."""
    who = _spelled(cohorts, clause.other)
    limits = cohorts.shared(who)
    cap = limits.max_hours_per_week if limits and limits.max_hours_per_week else 0.0
    return _raised_cap(cohorts, places, who, [cap + s for s in CAP_STEPS], budget)


def _separate(
    clause: Clause, cohorts: Cohorts, places: Mapping[str, Sequence[Place]], budget: Budget
) -> Suggestion | None:
    """Teaching a joint module to each cohort on its own, when that gives every cohort a
    plan."""
    module_id = clause.module
    apart = dataclasses.replace(cohorts, joint=tuple(j for j in cohorts.joint if j != module_id))
    kept = {j: p for j, p in places.items() if j != module_id}
    if not _holds(apart, kept, budget):
        return None
    left = [f"'{j}'" for j in apart.joint]
    return Suggestion(
        f"teach '{module_id}' to each cohort on its own",
        (
            Setting(
                "joint.modules",
                tuple(apart.joint),
                f"set modules = [{', '.join(left)}] in [joint]",
            ),
        ),
    )


def _relocatable(cohorts: Cohorts, location: str) -> list[Cohort]:
    """The cohorts at this location (a name key) that may meet elsewhere: not published
    ones, nor ones with a joint module (taught where its cohorts meet together)."""
    return [
        c
        for c in cohorts.cohorts
        if name_key(c.program.location) == location
        and not c.is_committed
        and not any(j in c.catalog for j in cohorts.joint)
    ]


def _another_room(
    clause: Clause, cohorts: Cohorts, places: Mapping[str, Sequence[Place]], budget: Budget
) -> Suggestion | None:
    """The first cohort at the clashing location (in file order) that, meeting elsewhere,
    leaves every cohort a plan."""
    room = _spelled(cohorts, clause.other)
    elsewhere = _unused(ANOTHER_ROOM, [c.program.location for c in cohorts.cohorts])
    for cohort in _relocatable(cohorts, clause.other):
        program = dataclasses.replace(cohort.program, location=elsewhere)
        if _holds(_replaced(cohorts, dataclasses.replace(cohort, program=program)), places, budget):
            return Suggestion(
                f"meet '{cohort.name}' somewhere other than '{room}'",
                (
                    Setting(
                        "location",
                        elsewhere,
                        f'set location = "{elsewhere}" in the programme file of '
                        f"'{cohort.name}' (a room no other cohort uses)",
                    ),
                ),
            )
    return None


def _another_facilitator(
    clause: Clause, cohorts: Cohorts, places: Mapping[str, Sequence[Place]], budget: Budget
) -> Suggestion | None:
    """Someone else to lead the modules the clashing facilitator leads in one cohort: the
    first in file order, not a published one, that then leaves every cohort a plan."""
    who = _spelled(cohorts, clause.other)
    everyone = [m.facilitator for c in cohorts.cohorts for m in c.catalog.modules]
    someone = _unused(ANOTHER_FACILITATOR, [*everyone, *cohorts.facilitators])
    for cohort in (c for c in cohorts.cohorts if not c.is_committed):
        led = _led_apart(cohort, clause.other, cohorts.joint)
        if led and _holds(_replaced(cohorts, _handed_over(cohort, led, someone)), places, budget):
            return Suggestion(
                f"ask someone other than {who}, teaching in no other cohort, to lead "
                f"{_listed([m.title for m in led])} in '{cohort.name}'",
                tuple(
                    Setting(
                        "facilitator",
                        someone,
                        f"set facilitator = \"{someone}\" for '{m.id}' in the catalog "
                        f"of '{cohort.name}'",
                        m.id,
                    )
                    for m in led
                ),
            )
    return None


def _led_apart(cohort: Cohort, who: str, joint: Sequence[str]) -> list[Module]:
    """The cohort's modules that `who` (a name key) leads, but for joint ones (a joint
    module has one facilitator in all its cohorts)."""
    return [
        m for m in cohort.catalog.modules if name_key(m.facilitator) == who and m.id not in joint
    ]


def _handed_over(cohort: Cohort, led: Sequence[Module], someone: str) -> Cohort:
    """The cohort with these of its modules led by `someone`."""
    modules = tuple(
        dataclasses.replace(m, facilitator=someone) if m in led else m
        for m in cohort.catalog.modules
    )
    return dataclasses.replace(cohort, catalog=dataclasses.replace(cohort.catalog, modules=modules))


# ------------------------------------------------------------------ searching


def _searched(
    cohorts: Cohorts, places: Mapping[str, Sequence[Place]], budget: Budget
) -> list[Conflict]:
    """Clashes CP-SAT finds on the model with switches, each apart from the others."""
    model = CohortsModel(cohorts, places, explain=True)
    explained: set[Clause] = set()
    found: list[Conflict] = []
    while len(found) < MAX_CONFLICTS and not budget.over:
        active = [c for c in model.guards.switches if c not in explained]
        seconds = budget.seconds(CHECK_SECONDS)
        core = minimal_core(model, active, seconds, deadline=budget.deadline)
        if core is None and seconds < CHECK_SECONDS:  # the time limit stopped it, not a bound
            budget.cut = True
        if not core:
            break
        explained |= set(core)
        found.append(_worded(core, cohorts, places, budget))
    return found


def _worded(
    core: Sequence[Clause],
    cohorts: Cohorts,
    places: Mapping[str, Sequence[Place]],
    budget: Budget,
) -> Conflict:
    lines = [WORDING[c.rule](c, cohorts) for c in core if isinstance(c.rule, SharedRule)]
    own: dict[str, list[Clause]] = {}
    for clause in core:
        if not isinstance(clause.rule, SharedRule):
            own.setdefault(clause.cohort, []).append(dataclasses.replace(clause, cohort=""))
    for name, clauses in own.items():
        cohort = cohorts[name]
        _, worded = describe(clauses, cohort.catalog, cohort.program)
        lines += [f"{name}: {line}" for line in worded]
    involved = [c.name for c in cohorts.cohorts if any(_concerns(k, c, cohorts) for k in core)]
    summary = f"These rules cannot all hold across {_listed(involved)}:"
    return Conflict(
        summary, tuple(dict.fromkeys(lines)), _suggestions(core, cohorts, places, budget)
    )


def _concerns(clause: Clause, cohort: Cohort, cohorts: Cohorts) -> bool:
    """Whether a clause is about this cohort: its own, or a shared one it takes part in."""
    if clause.rule is SharedRule.JOINT:
        return clause.module in cohort.catalog
    if clause.rule is SharedRule.ROOM_CLASH:
        return name_key(cohort.program.location) == clause.other
    if isinstance(clause.rule, SharedRule):
        return who_teaches(cohort.catalog, clause.other)
    return clause.cohort == cohort.name


def _shared_hours_line(clause: Clause, cohorts: Cohorts) -> str:
    who = _spelled(cohorts, clause.other)
    limits = cohorts.shared(who)
    cap = limits.max_hours_per_week if limits else None
    return (
        f"{who} teaches at most {hours_text(cap or 0)} h in the week of "
        f"{date.fromordinal(clause.week)} across cohorts"
    )


def _facilitator_clash_line(clause: Clause, cohorts: Cohorts) -> str:
    who = _spelled(cohorts, clause.other)
    return f"{who} is never in two cohorts' meetings that overlap in time"


def _room_clash_line(clause: Clause, cohorts: Cohorts) -> str:
    return f"two cohorts never meet at {_spelled(cohorts, clause.other)} at the same time"


def _joint_line(clause: Clause, cohorts: Cohorts) -> str:
    having = [c.name for c in cohorts.having(clause.module)]
    return f"'{clause.module}' is taught once to {_listed(having)} together"


def _spelled(cohorts: Cohorts, key: str) -> str:
    """A facilitator's or location's name as the inputs spell it."""
    names = [*cohorts.facilitators]
    for cohort in cohorts.cohorts:
        names += [m.facilitator for m in cohort.catalog.modules]
        names.append(cohort.program.location)
    return next((n for n in names if name_key(n) == key), key)


def _suggestions(
    core: Sequence[Clause],
    cohorts: Cohorts,
    places: Mapping[str, Sequence[Place]],
    budget: Budget,
) -> tuple[Suggestion, ...]:
    found: list[Suggestion] = []
    for clause in core:
        if isinstance(clause.rule, SharedRule):
            suggestion = RELAXATIONS[clause.rule](clause, cohorts, places, budget)
            if suggestion:
                found.append(suggestion)
    return tuple(dict.fromkeys(found))


# ------------------------------------------------------------------ the tables

Wording = Callable[[Clause, Cohorts], str]
Relax = Callable[[Clause, Cohorts, Mapping[str, Sequence[Place]], Budget], Suggestion | None]

# One line per shared rule in a clash, in a coordinator's words.
WORDING: dict[SharedRule, Wording] = {
    SharedRule.FACILITATOR_CLASH: _facilitator_clash_line,
    SharedRule.SHARED_HOURS: _shared_hours_line,
    SharedRule.ROOM_CLASH: _room_clash_line,
    SharedRule.JOINT: _joint_line,
}

# A change that may resolve a clash of the rule, verified by re-solving every cohort.
RELAXATIONS: dict[SharedRule, Relax] = {
    SharedRule.FACILITATOR_CLASH: _another_facilitator,
    SharedRule.SHARED_HOURS: _higher_cap,
    SharedRule.ROOM_CLASH: _another_room,
    SharedRule.JOINT: _separate,
}
