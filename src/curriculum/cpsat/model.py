"""The CP-SAT model of a programme: one method per hard rule, one per soft goal.

Decision variables `x[m, s]` say that module `m` is taught in meeting `s`. In weekly mode
(a fresh plan) they are `y[m, w]`, module `m` in week `w`: every rule and goal but meeting
length is weekly, a week's modules must fit in its meetings' total length, and `packing`
places them in meetings afterwards. The model only sees integers: weeks, meeting indices,
quarter hours (q) and density points.

In normal mode a module's variables exist only for the meetings its own rules allow
(tight domains). In explain mode every meeting it fits in gets a variable and each rule
is switched on by a literal (`guards`), so CP-SAT can name the rules that clash.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from ortools.sat.python import cp_model

from curriculum.catalog import Catalog, Module
from curriculum.cpsat.packing import (
    Verdict,
    minimal_unpackable,
    pack,
    pack_week,
    packing_needs,
)
from curriculum.goals import BALANCE_BAND, GENTLE_DENSITY, LOAD_BAND, fair_shares
from curriculum.meetings import Slot, meeting_slots
from curriculum.program import Program
from curriculum.rules import Rule, depths, forbidding_rules

Var = cp_model.IntVar
LinearExpr = cp_model.LinearExprT


@dataclass(frozen=True)
class Goal:
    """A soft goal: its weight per unit, and its expression in model units."""

    weight: int
    expr: LinearExpr
    scale: int  # model units per unit of the goal


@dataclass(frozen=True)
class Pins:
    """What re-planning fixes: modules pinned to a meeting (the past), the first meeting
    open to the rest, and where each module was before (meeting index, week)."""

    pinned: Mapping[str, int] = field(default_factory=dict)
    open_from: int = 0
    previous: Mapping[str, tuple[int | None, int]] = field(default_factory=dict)


def quarters_cap(hours: float) -> int:
    """A cap in hours as whole quarter hours (rounded down)."""
    return math.floor(hours * 4 + 1e-9)


class PlanModel:
    """Builds the model; `goals` holds the soft goals, `x` (or, weekly, `y`) the decisions."""

    def __init__(
        self,
        catalog: Catalog,
        program: Program,
        *,
        explain: bool = False,
        slots: Sequence[Slot] | None = None,
        pins: Pins | None = None,
        dropped: frozenset[Rule] = frozenset(),
        weekly: bool = False,
    ) -> None:
        self.catalog = catalog
        self.program = program
        self.explain = explain
        self.weekly = weekly
        self.slots = tuple(slots) if slots is not None else meeting_slots(program)
        self.pins = pins or Pins()
        self.dropped = dropped  # rules left out (to judge one clash apart from the others)
        self.model = cp_model.CpModel()
        self.hinted = False  # whether every variable carries a hint (see warm_start)
        self.guards: dict[Rule, Var] = {}
        last_week = max([program.weeks, *(s.week for s in self.slots)])
        self.weeks = range(1, last_week + 1)
        self.week_slots = {w: [s for s in self.slots if s.week == w] for w in self.weeks}
        self.open_weeks = {s.week for s in self.slots if s.index >= self.pins.open_from}
        self.slot_vars: dict[int, list[tuple[Module, Var]]] = {s.index: [] for s in self.slots}
        self.week_literals: dict[int, list[tuple[Module, Var]]] = {w: [] for w in self.weeks}
        share = Fraction(program.balance.content_share).limit_denominator(100)
        self.share = share
        self.scale = 4 * share.denominator  # model units per hour in the objective
        # no week's goal gap can exceed every module's quarters times the share's denominator
        self._largest_gap = share.denominator * sum(m.quarters for m in catalog.modules)
        self.x: dict[tuple[int, int], Var] = {}  # (module, meeting index) -> in that meeting
        self.y: dict[tuple[int, int], Var] = {}  # weekly: (module, week) -> in that week
        self.options: dict[int, list[Slot]] = {}  # module -> the meetings with a variable
        # weekly: week -> each module that may take it, its literal and meetings there
        self.choices: dict[int, list[tuple[Module, Var, list[Slot]]]] = {w: [] for w in self.weeks}
        self.week_var: dict[str, Var] = {}
        self._assignment()
        for rule in (
            self._meeting_capacity,
            self._weekly_hours,
            self._weekly_intensity,
            self._prerequisites,
            self._balance_tolerance,
        ):
            rule()
        self.goals = {
            "balance": self._balance_goal(),
            "weeks_without_skills": self._skills_goal(),
            "uneven_load": self._even_load_goal(),
            "early_density": self._early_density_goal(),
        }

    # ----------------------------------------------------------------- guards

    def guard(self, rule: Rule) -> list[Var]:
        """Enforcement literals for a rule: none in normal mode, its switch in explain mode,
        a literal fixed to false for a dropped rule."""
        if rule in self.dropped:
            return [self.model.new_constant(0)]
        if not self.explain:
            return []
        if rule not in self.guards:
            self.guards[rule] = self.model.new_bool_var(f"on[{rule}]")
        return [self.guards[rule]]

    def _chain_window(self, module: Module, slot: Slot) -> bool:
        """Implied by prerequisites: room for the chains before and after the module."""
        before, after = self._depths
        return not before[module.id] < slot.week <= self.program.weeks - after[module.id]

    # ------------------------------------------------------------ assignment

    def _assignment(self) -> None:
        """Each module in exactly one meeting it fits in (the domain honours unary rules);
        in weekly mode, in exactly one week with such a meeting."""
        self._depths = depths(self.catalog)
        for m, module in enumerate(self.catalog.modules):
            by_week: dict[int, list[Var]] = {}
            if self.weekly:
                self.options[m] = [s for s in self._candidates(module) if self._allowed(module, s)]
                slots_by_week: dict[int, list[Slot]] = {}
                for slot in self.options[m]:
                    slots_by_week.setdefault(slot.week, []).append(slot)
                for number, slots in sorted(slots_by_week.items()):
                    self.y[m, number] = self.model.new_bool_var(f"y[{module.id},{number}]")
                    by_week[number] = [self.y[m, number]]
                    self.choices[number].append((module, self.y[m, number], slots))
            else:
                options = [
                    (s, var)
                    for s in self._candidates(module)
                    if (var := self._option(m, module, s)) is not None
                ]
                self.options[m] = [slot for slot, _ in options]
                for slot, var in options:
                    by_week.setdefault(slot.week, []).append(var)
            self.model.add_exactly_one(var for literals in by_week.values() for var in literals)
            for number, literals in by_week.items():
                in_week = literals[0] if len(literals) == 1 else self.model.new_bool_var("y")
                if len(literals) > 1:
                    self.model.add(in_week == sum(literals))
                self.week_literals[number].append((module, in_week))
            week = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(sorted(by_week) or [1]), f"week[{module.id}]"
            )
            self.model.add(week == sum(n * self.week_literals[n][-1][1] for n in by_week))
            self.week_var[module.id] = week

    def _candidates(self, module: Module) -> list[Slot]:
        """Meetings a module may take: its pinned one, or open meetings it fits in."""
        pinned = self.pins.pinned.get(module.id)
        if pinned is not None and not self.explain:
            return [s for s in self.slots if s.index == pinned]
        return [
            s
            for s in self.slots
            if module.quarters <= s.quarters
            and (s.index >= self.pins.open_from or s.index == pinned)
        ]

    def _broken(self, module: Module, slot: Slot) -> list[str]:
        """The module's own rules this meeting breaks (none for a pinned module)."""
        if module.id in self.pins.pinned:
            return []
        broken = forbidding_rules(module, slot, self.program)
        return [name for name in broken if Rule(name, module=module.id) not in self.dropped]

    def _allowed(self, module: Module, slot: Slot) -> bool:
        """Whether normal mode offers the meeting: no rule broken, room for the chains."""
        if module.id in self.pins.pinned:
            return True
        implied = not self.dropped and self._chain_window(module, slot)
        return not implied and not self._broken(module, slot)

    def _option(self, m: int, module: Module, slot: Slot) -> Var | None:
        """The variable for module m in this meeting, with its rules; None when ruled out."""
        if not self.explain and not self._allowed(module, slot):
            return None
        var = self.model.new_bool_var(f"x[{module.id},{slot.index}]")
        self.x[m, slot.index] = var
        self.slot_vars[slot.index].append((module, var))
        for name in self._broken(module, slot):
            self.model.add(var == 0).only_enforce_if(self.guard(Rule(name, module=module.id)))
        pinned = self.pins.pinned.get(module.id)
        if pinned is not None and self.explain:
            frozen = self.guard(Rule("frozen", module=module.id))
            self.model.add(var == int(slot.index == pinned)).only_enforce_if(frozen)
        return var

    def _placed(self, slots: Iterable[Slot], weight: Callable[[Module], int]) -> LinearExpr:
        """Σ weight(module) over the modules placed in these meetings."""
        return sum(
            weight(module) * var
            for slot in slots
            for module, var in self.slot_vars[slot.index]
            if weight(module)
        )

    def _in_week(self, week: int, weight: Callable[[Module], int]) -> LinearExpr:
        """Σ weight(module) over the modules placed in a week."""
        return sum(
            weight(module) * var for module, var in self.week_literals[week] if weight(module)
        )

    def week_quarters(self, week: int, kind: str | None = None) -> LinearExpr:
        """Quarter hours taught in a week (of one kind, if given)."""
        return self._in_week(week, lambda m: m.quarters if kind is None or m.kind == kind else 0)

    def week_room(self, week: int) -> int:
        """Quarter hours a week can hold: its cap, or its meetings if shorter."""
        return min(self.hours_cap(week), sum(s.quarters for s in self.week_slots[week]))

    def hours_cap(self, week: int) -> int:
        """The week's hours cap in quarter hours."""
        return quarters_cap(self.program.hours_cap(week))

    def intensity_cap(self, week: int) -> int:
        """The week's intensity cap in quarter-hour density points."""
        return quarters_cap(self.program.intensity_cap(week))

    # ------------------------------------------------------------- hard rules

    def _meeting_capacity(self) -> None:
        """Modules sharing a meeting run back to back and end by the meeting's end (weekly
        mode: a week's modules fit in its meetings' total length; `packing` places them)."""
        if self.weekly:
            for week in self.open_weeks:
                for terms, most in packing_needs(self.week_slots[week], self.choices[week]):
                    needed = sum(coefficient * var for coefficient, var in terms)
                    self.model.add(needed <= most).only_enforce_if(self.guard(Rule("meetings")))
            return
        for slot in self.slots:
            if slot.index >= self.pins.open_from:
                load = self._placed([slot], lambda m: m.quarters)
                self.model.add(load <= slot.quarters).only_enforce_if(self.guard(Rule("meetings")))

    def _weekly_hours(self) -> None:
        """Hours per week stay within the cap (the ramp's cap in ramp weeks)."""
        for week in self.open_weeks:
            cap = max(self.hours_cap(week), self._pinned_load(week, lambda m: m.quarters))
            self.model.add(self.week_quarters(week) <= cap).only_enforce_if(
                self.guard(Rule("hours", week=week))
            )

    def _weekly_intensity(self) -> None:
        """Σ hours × density per week stays within the cap."""
        for week in self.open_weeks:
            intensity: Callable[[Module], int] = lambda m: m.quarters * m.density  # noqa: E731
            cap = max(self.intensity_cap(week), self._pinned_load(week, intensity))
            load = self._in_week(week, intensity)
            self.model.add(load <= cap).only_enforce_if(self.guard(Rule("intensity", week=week)))

    def _pinned_load(self, week: int, weight: Callable[[Module], int]) -> int:
        """What the past (pinned modules) already put in a week; it stays even over a cap."""
        indices = {s.index for s in self.week_slots[week]}
        return sum(
            weight(self.catalog[module_id])
            for module_id, index in self.pins.pinned.items()
            if index in indices and module_id in self.catalog
        )

    def _prerequisites(self) -> None:
        """Each prerequisite is taught in an earlier week."""
        for module in self.catalog.modules:
            if module.id in self.pins.pinned:
                continue  # the past is not re-judged
            for prerequisite in module.prerequisites:
                rule = Rule("prerequisite", module=module.id, other=prerequisite)
                self.model.add(
                    self.week_var[module.id] >= self.week_var[prerequisite] + 1
                ).only_enforce_if(self.guard(rule))

    def _balance_tolerance(self) -> None:
        """Each week's content share is within the tolerance of the target, when set."""
        tolerance = self.program.balance.weekly_tolerance
        if tolerance is None:
            return
        slack = Fraction(tolerance).limit_denominator(100)
        for week in self.open_weeks:
            content, total = self.week_quarters(week, "content"), self.week_quarters(week)
            gap = self._scaled_gap(content, total, slack.denominator)
            bound = slack.numerator * self.share.denominator * total
            guard = self.guard(Rule("balance", week=week))
            self.model.add(gap <= bound).only_enforce_if(guard)
            self.model.add(-gap <= bound).only_enforce_if(guard)

    def _scaled_gap(self, content: LinearExpr, total: LinearExpr, factor: int) -> LinearExpr:
        """(content − share × total) × share denominator × factor, as an integer expression."""
        a, b = self.share.numerator, self.share.denominator
        return factor * (b * content - a * total)

    # ------------------------------------------------------------- soft goals

    def _balance_goal(self) -> Goal:
        """Σ over weeks of |content − target share × hours|, in hours."""
        deviations = []
        for week in self.weeks:
            if not self.week_room(week):
                continue
            gap = self._scaled_gap(self.week_quarters(week, "content"), self.week_quarters(week), 1)
            band = round(BALANCE_BAND * self.scale)
            deviations.append(self._beyond_band(gap, band))
        return Goal(self.program.weights.balance, sum(deviations), self.scale)

    def _skills_goal(self) -> Goal:
        """Teaching weeks with no skills practice at all."""
        missing = []
        for week in self.weeks:
            if not self.week_room(week):
                continue  # not a teaching week: no meeting, or a cap of 0
            skill = self.week_quarters(week, "skill")
            none = self.model.new_bool_var(f"no_skill[{week}]")
            self.model.add(skill >= 1).only_enforce_if(~none)
            self.model.add(skill == 0).only_enforce_if(none)
            missing.append(none)
        return Goal(self.program.weights.weeks_without_skills, sum(missing), 1)

    def _even_load_goal(self) -> Goal:
        """Σ over weeks of |hours − the week's fair share of the total|, in hours."""
        deviations = []
        for week, target in self.fair_quarters().items():
            gap = self.week_quarters(week) - target
            deviations.append(self._beyond_band(gap, round(LOAD_BAND * 4)))
        return Goal(self.program.weights.uneven_load, sum(deviations), 4)

    def fair_quarters(self) -> dict[int, int]:
        """Each teaching week's fair share of the total load, in quarter hours."""
        room = {week: self.week_room(week) / 4 for week in self.weeks}
        demand = sum(m.hours for m in self.catalog.modules)
        return {week: round(hours * 4) for week, hours in fair_shares(room, demand).items()}

    def _early_density_goal(self) -> Goal:
        """Σ hours × (density − 1) taught in the ramp weeks."""
        ramp = [w for w in self.weeks if self.program.is_ramp_week(w)]
        load = sum(
            self._in_week(week, lambda m: m.quarters * max(0, m.density - GENTLE_DENSITY))
            for week in ramp
        )
        return Goal(self.program.weights.early_density, load, 4)

    def _beyond_band(self, gap: LinearExpr, band: int) -> Var:
        """A variable equal to how far |gap| exceeds the band (0 inside it), exactly, so
        that a plan's objective is a function of the plan even before it is optimal."""
        most = self._largest_gap + band
        value = self.model.new_int_var(-most, most, "gap")  # one copy of the long sum
        self.model.add(value == gap)
        excess = self.model.new_int_var(0, most, "excess")
        self.model.add_max_equality(excess, [value - band, -value - band, 0])
        return excess

    def movement(self) -> LinearExpr:
        """Modules moved from where they were, then weeks moved: moved × (most weeks + 1) +
        Σ |week change|, so fewer moves always wins over shorter ones."""
        moved, distance = [], []
        for m, module in enumerate(self.catalog.modules):
            if module.id not in self.pins.previous or module.id in self.pins.pinned:
                continue
            slot, week = self.pins.previous[module.id]
            stays = self.x.get((m, slot)) if slot is not None else None
            moved.append(1 - stays if stays is not None else 1)
            shift = self.model.new_int_var(0, len(self.weeks), f"shift[{module.id}]")
            self.model.add_abs_equality(shift, self.week_var[module.id] - week)
            distance.append(shift)
        return (len(self.weeks) * len(distance) + 1) * sum(moved) + sum(distance)

    def objective(self) -> LinearExpr:
        """The weighted sum of the goals, in model units (hours × `scale`)."""
        return sum(
            goal.weight * (self.scale // goal.scale) * goal.expr for goal in self.goals.values()
        )

    @property
    def size(self) -> int:
        """The number of decision literals."""
        return len(self.x) + len(self.y)

    def decisions(self, placed: Mapping[int, int]) -> list[tuple[Var, bool]]:
        """The decision literals and their values for a placement (module -> meeting)."""
        if not self.weekly:
            return [(var, placed.get(m) == s) for (m, s), var in self.x.items()]
        week = {slot.index: slot.week for slot in self.slots}
        return [(var, week.get(placed.get(m, -1)) == w) for (m, w), var in self.y.items()]

    def exclude_unpackable(self, value: Callable[[Var], int]) -> int:
        """Weekly mode: rule out, in each week of a solution proven unpackable, a minimal
        unpackable set of its modules (exact: only those sets are lost); how many weeks."""
        excluded = 0
        for choices in self.choices.values():
            chosen = [(module, var, slots) for module, var, slots in choices if value(var)]
            options = [(module, slots) for module, _, slots in chosen]
            if chosen and pack_week(options) is Verdict.UNPACKABLE:
                core = {module.id for module in minimal_unpackable(options)}
                literals = [var for module, var, _ in chosen if module.id in core]
                self.model.add(sum(literals) <= len(literals) - 1)
                excluded += 1
        return excluded

    def assignment(self, value: Callable[[Var], int]) -> dict[str, int] | None:
        """Module id -> meeting index, read from a solution (weekly mode: packed into the
        meetings of the chosen weeks; None when some week's modules cannot be packed)."""
        if not self.weekly:
            modules = self.catalog.modules
            return {modules[m].id: s for (m, s), var in self.x.items() if value(var)}
        weeks = {
            week: [(module, slots) for module, var, slots in choices if value(var)]
            for week, choices in self.choices.items()
        }
        return pack(weeks)
