"""The soft goals as CP-SAT terms (one per `Goal`, mirroring `curriculum.goals` exactly),
and the movement a re-plan minimises first."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from curriculum.cpsat.domains import Domains
from curriculum.cpsat.variables import MeetingVariables, Variables
from curriculum.goals import BALANCE_BAND, GENTLE_DENSITY, LOAD_BAND, Goal

LinearExpr = cp_model.LinearExprT


@dataclass(frozen=True)
class Term:
    """A goal in the model: its weight per unit, and its expression in model units."""

    weight: int
    expr: LinearExpr
    scale: int  # model units per unit of the goal


class Objective:
    """Builds one term per goal; `expression` is their weighted sum in model units."""

    def __init__(self, variables: Variables) -> None:
        self.variables = variables
        self.model: cp_model.CpModel = variables.model
        self._gap_scale = 4 * variables.share.denominator  # a content gap's units per hour
        squared = Goal.UNEVEN_LOAD_SQUARED.weight(variables.program.weights) > 0
        # model units per hour (and per hour², of which quarter hours squared take 16)
        self.scale = math.lcm(self._gap_scale, 16 if squared else 1)
        self._load_excess: list[cp_model.IntVar] = []  # each week's, in quarter hours
        # no week's goal gap can exceed every module's quarters times the share's denominator
        quarters = sum(m.quarters for m in variables.catalog.modules)
        self._largest_gap = variables.share.denominator * quarters
        builders: dict[Goal, Callable[[], Term]] = {
            Goal.BALANCE: self._balance,
            Goal.WEEKS_WITHOUT_SKILLS: self._weeks_without_skills,
            Goal.UNEVEN_LOAD: self._uneven_load,
            Goal.UNEVEN_LOAD_SQUARED: self._uneven_load_squared,
            Goal.EARLY_DENSITY: self._early_density,
            Goal.AVOIDED_WEEKS: self._avoided_weeks,
        }
        self.terms = {goal: build() for goal, build in builders.items()}

    def expression(self) -> LinearExpr:
        """The weighted sum of the goals, in model units (hours × `scale`)."""
        factors = self._factors()
        return sum(factors[goal] * term.expr for goal, term in self.terms.items())

    def floor(self, domains: Domains) -> int:
        """The least value of `expression()` any plan on these domains can have (give the
        full ones, not windows of them), from the catalog and calendar alone, in model
        units: a lower bound, so a plan that reaches it is optimal. The reasoning of
        `curriculum.goals.unavoidable` (which tells the user), in the model's own units and
        share, on the search's own domains, and with the weeks to avoid:

        - balance: Σ|x| ≥ |Σx|, so the weeks' gaps sum to at least the catalog's own gap,
          less the band in every teaching week (when every module must go in one);
        - skills: a teaching week no skill module may take goes without, and each skill
          module fills at most one of the others;
        - early density and weeks to avoid: a module all of whose meetings are in the ramp
          weeks, or in weeks it should avoid.
        """
        teaching = set(domains.goal_weeks)
        weeks = {m: {slot.week for slot in slots} for m, slots in domains.options.items()}
        modules = domains.catalog.modules
        a, b = domains.share.numerator, domains.share.denominator
        content = sum(m.quarters for m in modules if m.kind == "content")
        gap = abs(b * content - a * sum(m.quarters for m in modules))
        band = round(BALANCE_BAND * self._gap_scale) * len(teaching)
        inside = all(options <= teaching for options in weeks.values())
        skilled = set().union(*(weeks[m] for m, mod in enumerate(modules) if mod.kind == "skill"))
        skills = sum(mod.kind == "skill" for mod in modules)
        ramp = {w for w in domains.weeks if domains.program.is_ramp_week(w)}
        floors: dict[Goal, int] = {
            Goal.BALANCE: max(0, gap - band) if inside else 0,
            Goal.WEEKS_WITHOUT_SKILLS: len(teaching - skilled)
            + max(0, len(teaching & skilled) - skills),
            Goal.EARLY_DENSITY: sum(
                mod.quarters * max(0, mod.density - GENTLE_DENSITY)
                for m, mod in enumerate(modules)
                if weeks[m] <= ramp
            ),
            Goal.AVOIDED_WEEKS: sum(
                weeks[m] <= set(mod.avoid_weeks) for m, mod in enumerate(modules)
            ),
        }
        factors = self._factors()
        return sum(factors[goal] * value for goal, value in floors.items())

    def _factors(self) -> dict[Goal, int]:
        """Each goal's model units per unit of its term: its weight times the scales' ratio."""
        return {goal: term.weight * (self.scale // term.scale) for goal, term in self.terms.items()}

    def _weight(self, goal: Goal) -> int:
        return goal.weight(self.variables.program.weights)

    def _balance(self) -> Term:
        """Σ over weeks of |content − target share × hours| beyond the band, in hours."""
        band = round(BALANCE_BAND * self._gap_scale)
        deviations = [
            self._beyond_band(self.variables.content_gap(week, 1), band)
            for week in self.variables.domains.goal_weeks
        ]
        return Term(self._weight(Goal.BALANCE), sum(deviations), self._gap_scale)

    def _weeks_without_skills(self) -> Term:
        """Teaching weeks with no skills practice at all."""
        missing = []
        for week in self.variables.domains.goal_weeks:
            skill = self.variables.week_quarters(week, "skill")
            none = self.model.new_bool_var(f"no_skill[{week}]")
            self.model.add(skill >= 1).only_enforce_if(~none)
            self.model.add(skill == 0).only_enforce_if(none)
            missing.append(none)
        return Term(self._weight(Goal.WEEKS_WITHOUT_SKILLS), sum(missing), 1)

    def _uneven_load(self) -> Term:
        """Σ over weeks of |hours − the week's fair share of the load| beyond the band."""
        for week, target in self.variables.domains.fair_quarters().items():
            gap = self.variables.week_quarters(week) - target
            self._load_excess.append(self._beyond_band(gap, round(LOAD_BAND * 4)))
        return Term(self._weight(Goal.UNEVEN_LOAD), sum(self._load_excess), 4)

    def _uneven_load_squared(self) -> Term:
        """Σ over weeks of the uneven load's hours squared (built only when weighted)."""
        weight = self._weight(Goal.UNEVEN_LOAD_SQUARED)
        if not weight:
            return Term(0, 0, 16)
        most = self._largest_gap + round(LOAD_BAND * 4)  # as `_beyond_band` bounds them
        squares = []
        for excess in self._load_excess:
            square = self.model.new_int_var(0, most * most, "excess_squared")
            self.model.add_multiplication_equality(square, [excess, excess])
            squares.append(square)
        return Term(weight, sum(squares), 16)

    def _early_density(self) -> Term:
        """Σ hours × (density − 2) taught in the ramp weeks, where above 0."""
        ramp = [w for w in self.variables.weeks if self.variables.program.is_ramp_week(w)]
        load = sum(
            self.variables.in_week(week, lambda m: m.quarters * max(0, m.density - GENTLE_DENSITY))
            for week in ramp
        )
        return Term(self._weight(Goal.EARLY_DENSITY), load, 4)

    def _avoided_weeks(self) -> Term:
        """Modules placed in a week they should avoid (one literal each, where it exists)."""
        placed = [
            var
            for week, literals in self.variables.week_literals.items()
            for module, var in literals
            if week in module.avoid_weeks
        ]
        return Term(self._weight(Goal.AVOIDED_WEEKS), sum(placed), 1)

    def _beyond_band(self, gap: LinearExpr, band: int) -> cp_model.IntVar:
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
        variables = self.variables
        pins = variables.pins
        x = variables.x if isinstance(variables, MeetingVariables) else {}
        moved, distance = [], []
        for m, module in enumerate(variables.catalog.modules):
            if module.id not in pins.previous or module.id in pins.pinned:
                continue
            slot, week = pins.previous[module.id]
            stays = x.get((m, slot)) if slot is not None else None
            moved.append(1 - stays if stays is not None else 1)
            shift = self.model.new_int_var(0, len(variables.weeks), f"shift[{module.id}]")
            self.model.add_abs_equality(shift, variables.week_var[module.id] - week)
            distance.append(shift)
        return (len(variables.weeks) * len(distance) + 1) * sum(moved) + sum(distance)


def hold_floor(model: cp_model.CpModel, floor: int) -> None:
    """Tell CP-SAT that no plan of the model's objective is below `floor`
    (`Objective.floor`), as the objective's domain (which holds the sum of its terms,
    without the offset), so that a run reaching the floor has proven it and stops, its
    neighbourhood workers too. Measured on BACP 8 as a user catalog, whose optimum is its
    floor, over seeds 0-3 (deterministic seconds): 0.40-0.84, 2.38 in all, against 4.44
    without, 4.01 with the floor as a constraint on the sum only (which neighbourhoods do
    not see), and 2.96 with a solution callback stopping the search there (which also made
    CP-SAT abort on a "postsolve_mapping" check now and then: callbacks are not used).
    Only for a search that starts from a plan: from none, a neighbourhood run told the
    floor ended early with a worse plan (150 all-content modules x 52 weeks, which the
    greedy pass cannot place: 1297.5 at 5.2 s of 10, against 1291 without)."""
    if floor > 0:
        offset = round(model.proto.objective.offset)
        model.proto.objective.domain.extend([floor - offset, cp_model.INT_MAX])
