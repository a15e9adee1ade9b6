"""Why cohorts planned together have no plans: clashes in plain words, with a fix verified
by re-solving every cohort.

Clashes counting proves come first: a cohort's own rules that cannot hold even with no
other cohort (worded as for one cohort, prefixed with its name), then a shared
facilitator's weekly cap or a shared location's time too small for the hours that must
fall in a run of calendar weeks (`curriculum.cohorts.counting`). Other clashes are found by
CP-SAT on the model with switches.

Each shared rule has its line for a clash in `WORDING` and a change that may resolve one
in `RELAXATIONS` (a test holds both complete).
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from curriculum.cells import name_key
from curriculum.cohorts.counting import listed, overloads, who_teaches
from curriculum.cohorts.sharing import Place, joint_places, subset
from curriculum.cpsat import CohortsModel, cohorts_hold, minimal_core
from curriculum.errors import CohortsError
from curriculum.explain import Conflict, Setting, Suggestion
from curriculum.explain.budget import Budget
from curriculum.explain.counting import clashes
from curriculum.explain.relax import candidates
from curriculum.explain.settings import OPTIONS
from curriculum.explain.wording import describe, too_long
from curriculum.inputs.catalog import Module
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.inputs.program import Program
from curriculum.inputs.program_toml import toml_value
from curriculum.meetings import meeting_slots
from curriculum.rules import Clause, SharedRule
from curriculum.units import hours_text

CHECK_SECONDS = 10.0  # per feasibility check, on the wall clock (`cohorts_hold` counts its own)
MIN_SECONDS = 0.5  # for the whole explanation, however little time the search left
MAX_CONFLICTS = 3
CAP_STEPS = (0.5, 1, 2, 4, 8)  # hours added to a cap, tried in turn when counting gives no figure
OWN_TRIES = 6  # changes to a cohort's own files tried for a clash of its own rules


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
    own, whole = _own_clashes(cohorts, budget)
    conflicts = [*own, *_overloads(cohorts, places, budget)]
    if not conflicts:
        conflicts = _searched(cohorts, places, budget)
    # a fix verified with every cohort (not one verified with others left out)
    verified = conflicts if whole else conflicts[len(own) :]
    fix = next((c.suggestions[0] for c in verified if c.suggestions), None)
    return CohortsExplanation(tuple(conflicts[:MAX_CONFLICTS]), fix, budget.over)


def proven_by_counting(
    cohorts: Cohorts, places: Mapping[str, Sequence[Place]] | None = None
) -> list[str]:
    """The clashes counting alone proves (no search): a cohort's own, a shared cap's or a
    shared location's, said as an explanation says them (without the fix, which takes a
    search); `places` as for `overloads`."""
    return [*_own_summaries(cohorts), *(over.summary for over in overloads(cohorts, places))]


# ------------------------------------------------------------------ a cohort's own rules


def _own_summaries(cohorts: Cohorts) -> list[str]:
    return [
        f"{cohorts.cohorts[n].name}: {summary}"
        for n, clashing in _own(cohorts).items()
        for summary, _, _ in clashing
    ]


def _own(cohorts: Cohorts) -> dict[int, list[tuple[str, list[str], list[Clause]]]]:
    """The cohorts to plan whose own rules clash, by position: each clash counting proves,
    as its headline, its rules in words, and its clauses (none for a programme with no
    meeting left)."""
    found: dict[int, list[tuple[str, list[str], list[Clause]]]] = {}
    for n, cohort in enumerate(cohorts.cohorts):
        catalog, program = cohort.catalog, cohort.program
        slots = meeting_slots(program)
        if cohort.is_committed:
            continue
        if not slots:  # every meeting a holiday, or before the start
            clash = too_long([], program, 0)
            found[n] = [(clash.summary, list(clash.rules), [])]
            continue
        cores = clashes(catalog, program, slots)
        if cores:
            found[n] = [(*describe(core, catalog, program), core) for core in cores]
    return found


def _own_clashes(cohorts: Cohorts, budget: Budget) -> tuple[list[Conflict], bool]:
    """Each clash counting proves in the rules of a cohort to plan, even with no other
    cohort, worded as for one cohort and prefixed with its name, with the first change to
    its files (least disruptive first) under which every cohort has a plan; and whether
    those changes were verified with every cohort (with several cohorts whose own rules
    clash, each is verified with the others left out, which its text says)."""
    own = _own(cohorts)
    found = []
    for n, clashing in own.items():
        cohort = cohorts.cohorts[n]
        others = [m for m in range(len(cohorts.cohorts)) if m == n or m not in own]
        beside = subset(cohorts, tuple(others)) if len(own) > 1 else cohorts
        for summary, lines, core in clashing:
            fix = _own_fix(core, cohort, beside, budget) if core else ()
            if fix and len(own) > 1:
                action = f"{fix[0].action} (once the other cohorts' own clashes are fixed)"
                fix = (dataclasses.replace(fix[0], action=action),)
            found.append(
                Conflict(
                    f"{cohort.name}: {summary}",
                    tuple(f"{cohort.name}: {line}" for line in lines),
                    fix,
                )
            )
    return found, len(own) <= 1


def _own_fix(
    core: Sequence[Clause], cohort: Cohort, cohorts: Cohorts, budget: Budget
) -> tuple[Suggestion, ...]:
    """The first relaxation of a clash in a cohort's own rules (of `OWN_TRIES`) under which
    every cohort has a plan, said as changes to that cohort's files (a shared facilitator's
    days away, which the cohorts file gives, are left to it)."""
    catalog, program = cohort.catalog, cohort.program
    for relaxation in itertools.islice(candidates(core, catalog, program), OWN_TRIES):
        if budget.over:
            break
        changed = dataclasses.replace(
            cohort, catalog=relaxation.catalog, program=relaxation.program
        )
        if _holds_changed(_replaced(cohorts, changed), changed, budget):
            suggestion = relaxation.suggestion(catalog, program)
            settings = tuple(
                _in_files_of(s, cohort.name)
                for s in suggestion.settings
                if not _shared_days(s, program, cohorts)
            )
            return (dataclasses.replace(suggestion, settings=settings),)
    return ()


def _shared_days(setting: Setting, program: Program, cohorts: Cohorts) -> bool:
    """Whether a setting only removes facilitators' days away that the cohorts file gives
    (a programme takes them for the facilitators its catalog names, so a catalog that no
    longer names them needs no change there)."""
    if setting.key != "facilitators":
        return False
    kept = setting.value if isinstance(setting.value, Mapping) else {}  # None: all removed
    removed = set(program.facilitators) - set(kept)
    return bool(removed) and all(cohorts.shared(who) is not None for who in removed)


def _holds_changed(cohorts: Cohorts, changed: Cohort, budget: Budget) -> bool:
    """Whether every cohort has a plan once one cohort's files changed: not when counting
    still finds a clash of its own or across cohorts, nor when a joint module's cohorts no
    longer share a meeting."""
    if clashes(changed.catalog, changed.program, meeting_slots(changed.program)):
        return False
    try:
        places = joint_places(cohorts)
    except CohortsError:
        return False
    return not overloads(cohorts, places) and _holds(cohorts, places, budget)


def _in_files_of(setting: Setting, name: str) -> Setting:
    """A setting as the files of one cohort take it (no command-line option, which
    `--cohorts` refuses)."""
    text = setting.text
    if setting.key in OPTIONS:
        text = text.replace(f" ({OPTIONS[setting.key]} {setting.value})", "")
    if setting.module:
        text = text.replace("in the catalog", f"in the catalog of '{name}'")
    else:
        text += f" in the programme file of '{name}'"
    return dataclasses.replace(setting, text=text)


# ------------------------------------------------------------------ counting


def _overloads(
    cohorts: Cohorts, places: Mapping[str, Sequence[Place]], budget: Budget
) -> list[Conflict]:
    """The overloads counting proves, each with a fix when one is verified: a shared
    facilitator's cap raised, or a cohort at a crowded location meeting elsewhere."""
    found = []
    for over in overloads(cohorts, places):
        suggestion: Suggestion | None
        rules: tuple[str, ...]
        if over.rule is SharedRule.SHARED_HOURS:
            who = _spelled(cohorts, over.key)
            rules = (
                f"{who} teaches at most {hours_text(over.available / over.weeks)} h a week "
                "across cohorts",
            )
            least = math.ceil(over.hours * 4 / over.weeks) / 4  # in quarter hours
            tries = [least + step for step in (0, *CAP_STEPS)]
            suggestion = _raised_cap(cohorts, places, who, tries, budget)
        else:
            clause = Clause(SharedRule.ROOM_CLASH, other=over.key)
            rules = (_room_clash_line(clause, cohorts),)
            if over.unused:
                rules += ("a meeting that holds a joint module holds joint modules only",)
            suggestion = _another_room(clause, cohorts, places, budget)
        found.append(Conflict(over.summary, rules, (suggestion,) if suggestion else ()))
    return found


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
                f"{listed([m.title for m in led])} in '{cohort.name}'",
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
    summary = f"These rules cannot all hold across {listed(involved)}:"
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
    return f"'{clause.module}' is taught once to {listed(having)} together"


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
