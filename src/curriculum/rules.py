"""The hard rules: one identity each, and the per-module rules that need no solver.

Every member of `Rule` has four faces, each in a table keyed by the member (a test holds
them complete): the CP-SAT model's constraint (`curriculum.cpsat.constraints`), the
independent checker's twin (`curriculum.checks`), its plain-language wording
(`curriculum.explain.wording`) and the relaxations that can resolve a clash
(`curriculum.explain.relax`). To add a rule: a member here, then one entry in each table.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import Slot
from curriculum.units import floor_quarters


class Rule(str, Enum):
    """A hard rule: a plan that breaks one is no plan. Values are short, stable keys."""

    MEETINGS = "meetings"
    """Modules are taught in the programme's meetings (none on a holiday), back to back,
    ending by the meeting's end."""
    WEEKLY_HOURS = "hours"
    """A week's hours stay within its cap (the ramp's in ramp weeks)."""
    WEEKLY_INTENSITY = "intensity"
    """A week's Σ hours × density stays within its cap."""
    WEEKLY_MODULES = "modules"
    """A week's number of modules stays within its cap (the ramp's in ramp weeks), when
    one is set."""
    WEEKLY_MODULES_FLOOR = "fewest_modules"
    """A teaching week teaches at least the floor's number of modules (the ramp's in ramp
    weeks), when one is set; in a re-plan only the weeks with a meeting on or after the
    freeze date are judged (`curriculum.replanning.floor_weeks`)."""
    RAMP_DENSITY = "ramp_density"
    """No module denser than the ramp's maximum in a ramp week."""
    PREREQUISITES = "prerequisites"
    """Each prerequisite is taught in an earlier week."""
    WEEK_WINDOW = "window"
    """Each module within its earliest and latest week."""
    PRE_SERVICE = "pre_service"
    """Pre-service modules come in a week before duties start."""
    FACILITATOR_AVAILABLE = "facilitator"
    """No module on a day its facilitator is unavailable."""
    BALANCE_TOLERANCE = "balance_tolerance"
    """Each week's content share within the tolerance of the target, when one is set."""
    FROZEN = "frozen"
    """Re-planning: what happened before the freeze stays exactly where it was."""
    FINAL = "final"
    """A final module (a final assessment) comes after every other module."""

    def __str__(self) -> str:
        return self.value


class SharedRule(str, Enum):
    """A hard rule across cohorts planned together (`curriculum.cohorts`). Its four faces,
    each in a table keyed by the member (a test holds them complete): the constraint
    (`curriculum.cpsat.cohorts`), the checker's twin (`curriculum.cohorts.checks`), the
    wording of a clash and a relaxation that may resolve it (`curriculum.cohorts.explain`:
    another facilitator for one cohort, a shared cap raised, another room for one cohort,
    a joint module taught apart)."""

    FACILITATOR_CLASH = "facilitator_clash"
    """A facilitator is never in two overlapping sessions of different cohorts (a joint
    session is one session)."""
    SHARED_HOURS = "shared_hours"
    """A shared facilitator's hours in a calendar week (Monday to Sunday), across every
    cohort, stay within their cap (a joint session counts once)."""
    ROOM_CLASH = "room_clash"
    """Sessions of different cohorts at the same location never overlap (a joint session
    is one session)."""
    JOINT = "joint"
    """A joint module is taught once, in the same meeting time and place, to every cohort
    that has it."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Clause:
    """One rule as it applies to one week, or one module (and another module); when
    cohorts are planned together, of one cohort (`cohort`), or across cohorts (a
    `SharedRule`: `other` names the facilitator or location, `week` a calendar week's
    Monday as a proleptic ordinal)."""

    rule: Rule | SharedRule
    week: int = 0
    module: str = ""
    other: str = ""
    cohort: str = ""


# ------------------------------------------------------------------ unary rules


def _weekly_hours(module: Module, slot: Slot, program: Program) -> bool:
    """A module alone longer than its week's hours cap."""
    return module.quarters > floor_quarters(program.hours_cap(slot.week))


def _ramp_density(module: Module, slot: Slot, program: Program) -> bool:
    """Ramp weeks admit no module denser than the ramp's maximum."""
    return module.density > program.density_cap(slot.week)


def _after_ramp(module: Module, program: Program) -> tuple[int, ...]:
    """The caps change in the first week after the ramp."""
    return (program.limits.ramp_weeks + 1,)


def _week_window(module: Module, slot: Slot, program: Program) -> bool:
    """A module stays within its earliest/latest week."""
    return not (module.earliest_week or 1) <= slot.week <= (module.latest_week or program.weeks)


def _window_ends(module: Module, program: Program) -> tuple[int, ...]:
    """The window opens in its earliest week and shuts the week after its latest."""
    return module.earliest_week or 1, (module.latest_week or program.weeks) + 1


def _pre_service(module: Module, slot: Slot, program: Program) -> bool:
    """Pre-service modules end in a week before duties start."""
    start_week = program.limits.duty_start
    return module.pre_service and start_week is not None and slot.week >= start_week


def _duty_start(module: Module, program: Program) -> tuple[int, ...]:
    """Pre-service modules are shut out from the week duties start."""
    start_week = program.limits.duty_start
    return () if start_week is None else (start_week,)


def _facilitator_available(module: Module, slot: Slot, program: Program) -> bool:
    """No module on a day its facilitator is unavailable."""
    return slot.day in program.unavailable(module.facilitator)


def _no_week(module: Module, program: Program) -> tuple[int, ...]:
    """The rule looks at the meeting's day, not its week (see `unary_keys`)."""
    return ()


@dataclass(frozen=True)
class UnaryRule:
    """A rule that one module and one meeting decide alone: `forbids` judges the meeting;
    `turns` gives the weeks from which that verdict may differ from the week before's, as
    the rule looks at a meeting's week through them alone (a test holds that between two
    turns every verdict is the same)."""

    forbids: Callable[[Module, Slot, Program], bool]
    turns: Callable[[Module, Program], tuple[int, ...]]


# The rules that one module and one meeting decide alone (they shape the model's domains).
UNARY: dict[Rule, UnaryRule] = {
    Rule.WEEKLY_HOURS: UnaryRule(_weekly_hours, _after_ramp),
    Rule.RAMP_DENSITY: UnaryRule(_ramp_density, _after_ramp),
    Rule.WEEK_WINDOW: UnaryRule(_week_window, _window_ends),
    Rule.PRE_SERVICE: UnaryRule(_pre_service, _duty_start),
    Rule.FACILITATOR_AVAILABLE: UnaryRule(_facilitator_available, _no_week),
}


def forbidding(module: Module, slot: Slot, program: Program) -> list[Rule]:
    """The unary rules that keep a module out of a meeting."""
    return [rule for rule, unary in UNARY.items() if unary.forbids(module, slot, program)]


def week_turns(module: Module, program: Program) -> list[int]:
    """The weeks, in order, from which some unary rule's verdict on the module may differ
    from the week before's."""
    return sorted({turn for unary in UNARY.values() for turn in unary.turns(module, program)})


def unary_keys(
    slots: Sequence[Slot], turns: Sequence[int], away: Collection[date]
) -> list[tuple[int, bool]]:
    """All that the unary rules look at in each meeting, for one module: how many of its
    `turns` (its `week_turns`, or more, in order) the meeting's week has reached, and
    whether its day is in `away` (the days the module's facilitator is away). Meetings with
    one key are forbidden by the same rules, so a large model judges each key once."""
    return [(bisect_right(turns, slot.week), slot.day in away) for slot in slots]


def prerequisite_order(catalog: Catalog) -> tuple[list[str], dict[str, list[str]]]:
    """The module ids with every prerequisite before the modules that need it, and each
    module's dependants (Kahn's algorithm, no recursion)."""
    dependants: dict[str, list[str]] = {m.id: [] for m in catalog.modules}
    waiting = {m.id: len(m.prerequisites) for m in catalog.modules}
    for module in catalog.modules:
        for prerequisite in module.prerequisites:
            dependants[prerequisite].append(module.id)
    order = [m.id for m in catalog.modules if not m.prerequisites]
    for module_id in order:  # grows while it is walked
        for dependant in dependants[module_id]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                order.append(dependant)
    return order, dependants


def depths(catalog: Catalog) -> tuple[dict[str, int], dict[str, int]]:
    """Longest prerequisite chain below (before) and above (after) each module, in weeks.

    Computed in topological order (no recursion: chains may be thousands of modules long).
    """
    order, dependants = prerequisite_order(catalog)
    before: dict[str, int] = {}
    for module_id in order:
        prerequisites = catalog[module_id].prerequisites
        before[module_id] = max((before[p] + 1 for p in prerequisites), default=0)
    after: dict[str, int] = {}
    for module_id in reversed(order):
        after[module_id] = max((after[d] + 1 for d in dependants[module_id]), default=0)
    return before, after
