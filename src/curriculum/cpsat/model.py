"""The CP-SAT model of a programme: one method per hard rule, one per soft goal.

Decision variables `x[m, s]` say that module `m` is taught in meeting `s`. The model only
sees integers: weeks, meeting indices, quarter hours (q) and density points.

In normal mode a module's variables exist only for the meetings its own rules allow
(tight domains). In explain mode every meeting it fits in gets a variable and each rule
is switched on by a literal (`guards`), so CP-SAT can name the rules that clash.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ortools.sat.python import cp_model

from curriculum.catalog import Catalog, Module
from curriculum.goals import BALANCE_BAND, GENTLE_DENSITY, LOAD_BAND, fair_shares
from curriculum.meetings import Slot, meeting_slots
from curriculum.program import Program
from curriculum.rules import Rule, depths, forbidding_rules

Var = cp_model.IntVar
LinearExpr = cp_model.LinearExprT


@dataclass(frozen=True)
class Goal:
    """A soft goal: its weight per unit, its unit, and its expression in model units."""

    weight: int
    unit: str
    expr: LinearExpr
    scale: int  # model units per unit of the goal


def quarters_cap(hours: float) -> int:
    """A cap in hours as whole quarter hours (rounded down)."""
    return math.floor(hours * 4 + 1e-9)


class PlanModel:
    """Builds the model; `goals` holds the soft goals, `x` the assignment variables."""

    def __init__(
        self,
        catalog: Catalog,
        program: Program,
        *,
        explain: bool = False,
        slots: Sequence[Slot] | None = None,
    ) -> None:
        self.catalog = catalog
        self.program = program
        self.explain = explain
        self.slots = tuple(slots) if slots is not None else meeting_slots(program)
        self.model = cp_model.CpModel()
        self.guards: dict[Rule, Var] = {}
        self.weeks = range(1, program.weeks + 1)
        self.week_slots = {w: [s for s in self.slots if s.week == w] for w in self.weeks}
        share = Fraction(program.balance.content_share).limit_denominator(100)
        self.share = share
        self.scale = 4 * share.denominator  # model units per hour in the objective
        self.x: dict[tuple[int, int], Var] = {}
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
        """Enforcement literals for a rule: none in normal mode, its switch in explain mode."""
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
        """Each module in exactly one meeting it fits in (the domain honours unary rules)."""
        self._depths = depths(self.catalog)
        for m, module in enumerate(self.catalog.modules):
            fits = [s for s in self.slots if module.quarters <= s.quarters]
            for s in fits:
                broken = forbidding_rules(module, s, self.program)
                if not self.explain and (broken or self._chain_window(module, s)):
                    continue
                var = self.model.new_bool_var(f"x[{module.id},{s.index}]")
                self.x[m, s.index] = var
                for name in broken:
                    rule = Rule(name, module=module.id)
                    self.model.add(var == 0).only_enforce_if(self.guard(rule))
            options = [(s, self.x[m, s.index]) for s in fits if (m, s.index) in self.x]
            self.model.add_exactly_one(var for _, var in options)
            weeks = sorted({s.week for s, _ in options}) or [1]
            week = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(weeks), f"week[{module.id}]"
            )
            self.model.add(week == sum(s.week * var for s, var in options))
            self.week_var[module.id] = week

    def _placed(self, slots: Iterable[Slot], weight: Callable[[Module], int]) -> LinearExpr:
        """Σ weight(module) over the modules placed in these meetings."""
        terms = []
        for slot in slots:
            for m, module in enumerate(self.catalog.modules):
                var = self.x.get((m, slot.index))
                if var is not None and weight(module):
                    terms.append(weight(module) * var)
        return sum(terms)

    def week_quarters(self, week: int, kind: str | None = None) -> LinearExpr:
        """Quarter hours taught in a week (of one kind, if given)."""
        return self._placed(
            self.week_slots[week],
            lambda m: m.quarters if kind is None or m.kind == kind else 0,
        )

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
        """Modules sharing a meeting run back to back and end by the meeting's end."""
        for slot in self.slots:
            load = self._placed([slot], lambda m: m.quarters)
            self.model.add(load <= slot.quarters).only_enforce_if(self.guard(Rule("meetings")))

    def _weekly_hours(self) -> None:
        """Hours per week stay within the cap (the ramp's cap in ramp weeks)."""
        for week in self.weeks:
            if self.week_slots[week]:
                self.model.add(self.week_quarters(week) <= self.hours_cap(week)).only_enforce_if(
                    self.guard(Rule("hours", week=week))
                )

    def _weekly_intensity(self) -> None:
        """Σ hours × density per week stays within the cap."""
        for week in self.weeks:
            load = self._placed(self.week_slots[week], lambda m: m.quarters * m.density)
            if self.week_slots[week]:
                self.model.add(load <= self.intensity_cap(week)).only_enforce_if(
                    self.guard(Rule("intensity", week=week))
                )

    def _prerequisites(self) -> None:
        """Each prerequisite is taught in an earlier week."""
        for module in self.catalog.modules:
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
        for week in self.weeks:
            if not self.week_slots[week]:
                continue
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
            if not self.week_slots[week]:
                continue
            gap = self._scaled_gap(self.week_quarters(week, "content"), self.week_quarters(week), 1)
            band = round(BALANCE_BAND * self.scale)
            deviations.append(self._beyond_band(gap, band))
        return Goal(self.program.weights.balance, "hours off target", sum(deviations), self.scale)

    def _skills_goal(self) -> Goal:
        """Teaching weeks with no skills practice at all."""
        missing = []
        for week in self.weeks:
            if not self.week_slots[week]:
                continue
            skill = self.week_quarters(week, "skill")
            none = self.model.new_bool_var(f"no_skill[{week}]")
            self.model.add(skill >= 1).only_enforce_if(~none)
            missing.append(none)
        return Goal(self.program.weights.weeks_without_skills, "weeks", sum(missing), 1)

    def _even_load_goal(self) -> Goal:
        """Σ over weeks of |hours − the week's fair share of the total|, in hours."""
        room = {week: self.week_room(week) / 4 for week in self.weeks}
        demand = sum(m.hours for m in self.catalog.modules)
        deviations = []
        for week, target in fair_shares(room, demand).items():
            gap = self.week_quarters(week) - round(target * 4)
            deviations.append(self._beyond_band(gap, round(LOAD_BAND * 4)))
        return Goal(self.program.weights.uneven_load, "hours", sum(deviations), 4)

    def _early_density_goal(self) -> Goal:
        """Σ hours × (density − 1) taught in the ramp weeks."""
        ramp_slots = [s for s in self.slots if self.program.is_ramp_week(s.week)]
        load = self._placed(ramp_slots, lambda m: m.quarters * max(0, m.density - GENTLE_DENSITY))
        return Goal(self.program.weights.early_density, "hour-points", load, 4)

    def _beyond_band(self, gap: LinearExpr, band: int) -> Var:
        """A variable equal to how far |gap| exceeds the band (0 inside it)."""
        excess = self.model.new_int_var(0, 10**6, "excess")
        self.model.add(excess >= gap - band)
        self.model.add(excess >= -gap - band)
        return excess

    def objective(self) -> LinearExpr:
        """The weighted sum of the goals, in model units (hours × `scale`)."""
        return sum(
            goal.weight * (self.scale // goal.scale) * goal.expr for goal in self.goals.values()
        )

    def assignment(self, value: Callable[[Var], int]) -> dict[str, int]:
        """Module id -> meeting index, read from a solution."""
        placed = {}
        for (m, s), var in self.x.items():
            if value(var):
                placed[self.catalog.modules[m].id] = s
        return placed
