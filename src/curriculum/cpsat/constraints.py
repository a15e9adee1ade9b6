"""The hard rules as CP-SAT constraints: one method per rule, listed in `add_constraints`.

Each constraint is enforced under the guard of its clause (`Guards`): always in a search,
switchable when explaining. The unary rules (one module, one meeting) shape the variables'
domains in a search; when explaining, every meeting is offered and they forbid it here.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from curriculum.cpsat.domains import OutOfTimeError
from curriculum.cpsat.guards import Guards
from curriculum.cpsat.packing import packing_needs
from curriculum.cpsat.variables import MeetingVariables, Variables, WeekVariables, weighted_sum
from curriculum.inputs.catalog import Module
from curriculum.replanning import floor_weeks
from curriculum.rules import Clause, Rule


class Constraints:
    """Adds every hard rule to the model of `variables`."""

    def __init__(self, variables: Variables, guards: Guards) -> None:
        self.variables = variables
        self.model: cp_model.CpModel = variables.model
        self.guards = guards
        self.program = variables.program
        self.pins = variables.pins
        self.rules: dict[Rule, Callable[[], None]] = {
            Rule.MEETINGS: self.meetings,
            Rule.WEEKLY_HOURS: self.weekly_hours,
            Rule.WEEKLY_INTENSITY: self.weekly_intensity,
            Rule.WEEKLY_MODULES: self.weekly_modules,
            Rule.WEEKLY_MODULES_FLOOR: self.weekly_modules_floor,
            Rule.RAMP_DENSITY: lambda: self.unary(Rule.RAMP_DENSITY),
            Rule.PREREQUISITES: self.prerequisites,
            Rule.WEEK_WINDOW: lambda: self.unary(Rule.WEEK_WINDOW),
            Rule.PRE_SERVICE: lambda: self.unary(Rule.PRE_SERVICE),
            Rule.FACILITATOR_AVAILABLE: lambda: self.unary(Rule.FACILITATOR_AVAILABLE),
            Rule.BALANCE_TOLERANCE: self.balance_tolerance,
            Rule.FROZEN: self.frozen,
            Rule.FINAL: self.final,
        }

    def add_constraints(self, deadline: float | None = None) -> None:
        """Every hard rule, in the order of `rules`; past the `deadline` (a
        `time.monotonic()` instant) between two rules, `OutOfTimeError`."""
        for add in self.rules.values():
            if deadline is not None and time.monotonic() > deadline:
                raise OutOfTimeError("building the model")
            add()

    def meetings(self) -> None:
        """Modules sharing a meeting run back to back and end by the meeting's end (weekly
        decisions: a week's modules fit in its meetings, as any packing needs)."""
        variables = self.variables
        guard = self.guards(Clause(Rule.MEETINGS))
        if isinstance(variables, WeekVariables):
            for week in variables.open_weeks:
                slots = variables.calendar.in_week(week)
                for terms, most in packing_needs(slots, variables.choices[week]):
                    needed = weighted_sum(terms)
                    self.model.add(needed <= most).only_enforce_if(guard)
            return
        assert isinstance(variables, MeetingVariables)
        for slot in variables.calendar.slots:
            if slot.index >= self.pins.open_from:
                load = variables.placed([slot], lambda m: m.quarters)
                self.model.add(load <= slot.quarters).only_enforce_if(guard)

    def weekly_hours(self) -> None:
        """Hours per week stay within the cap (the ramp's cap in ramp weeks); a module
        longer than its week's cap is kept out of that week by the domains (explaining:
        forbidden here)."""
        variables = self.variables
        for week in variables.open_weeks:
            cap = max(
                variables.domains.hours_cap(week), self._pinned_load(week, lambda m: m.quarters)
            )
            self.model.add(variables.week_quarters(week) <= cap).only_enforce_if(
                self.guards(Clause(Rule.WEEKLY_HOURS, week=week))
            )
        self.unary(Rule.WEEKLY_HOURS)

    def weekly_intensity(self) -> None:
        """Σ hours × density per week stays within the cap."""
        variables = self.variables
        for week in variables.open_weeks:
            intensity: Callable[[Module], int] = lambda m: m.quarters * m.density  # noqa: E731
            cap = max(variables.domains.intensity_cap(week), self._pinned_load(week, intensity))
            load = variables.in_week(week, intensity)
            self.model.add(load <= cap).only_enforce_if(
                self.guards(Clause(Rule.WEEKLY_INTENSITY, week=week))
            )

    def weekly_modules(self) -> None:
        """Modules per week stay within the cap, when one is set (the ramp's in ramp
        weeks); what the pinned past put in a week stays even over it."""
        variables = self.variables
        count: Callable[[Module], int] = lambda m: 1  # noqa: E731
        for week in variables.open_weeks:
            cap = variables.domains.modules_cap(week)
            if cap is None:
                continue
            cap = max(cap, self._pinned_load(week, count))
            self.model.add(variables.in_week(week, count) <= cap).only_enforce_if(
                self.guards(Clause(Rule.WEEKLY_MODULES, week=week))
            )

    def weekly_modules_floor(self) -> None:
        """Each teaching week teaches at least the floor's modules, when one is set (the
        ramp's in ramp weeks); the weeks of the pinned past, and a committed cohort's, are
        not judged (`floor_weeks`)."""
        variables = self.variables
        count: Callable[[Module], int] = lambda m: 1  # noqa: E731
        for week in floor_weeks(variables.calendar, self.pins):
            floor = self.program.modules_floor(week)
            if floor:
                self.model.add(variables.in_week(week, count) >= floor).only_enforce_if(
                    self.guards(Clause(Rule.WEEKLY_MODULES_FLOOR, week=week))
                )

    def _pinned_load(self, week: int, weight: Callable[[Module], int]) -> int:
        """What the past (pinned modules) already put in a week; it stays even over a cap."""
        catalog = self.variables.catalog
        indices = {s.index for s in self.variables.calendar.in_week(week)}
        return sum(
            weight(catalog[module_id])
            for module_id, index in self.pins.pinned.items()
            if index in indices and module_id in catalog
        )

    def prerequisites(self) -> None:
        """Each prerequisite is taught in an earlier week."""
        week_var = self.variables.week_var
        for module in self.variables.catalog.modules:
            if module.id in self.pins.pinned:
                continue  # the past is not re-judged
            for prerequisite in module.prerequisites:
                clause = Clause(Rule.PREREQUISITES, module=module.id, other=prerequisite)
                self.model.add(week_var[module.id] >= week_var[prerequisite] + 1).only_enforce_if(
                    self.guards(clause)
                )

    def balance_tolerance(self) -> None:
        """Each week's content share is within the tolerance of the target, when set."""
        slack = self.program.balance.tolerance
        if slack is None:
            return
        variables = self.variables
        for week in variables.open_weeks:
            gap = variables.content_gap(week, slack.denominator)
            bound = slack.numerator * variables.share.denominator * variables.week_quarters(week)
            guard = self.guards(Clause(Rule.BALANCE_TOLERANCE, week=week))
            self.model.add(gap <= bound).only_enforce_if(guard)
            self.model.add(-gap <= bound).only_enforce_if(guard)

    def unary(self, rule: Rule) -> None:
        """Explaining: a unary rule forbids each meeting it rules out for a module (in a
        search those meetings have no variable at all)."""
        variables = self.variables
        if not self.guards.explain or not isinstance(variables, MeetingVariables):
            return
        slots = {slot.index: slot for slot in variables.calendar.slots}
        modules = variables.catalog.modules
        for (m, index), var in variables.x.items():
            module = modules[m]
            if rule in variables.domains.broken(module, slots[index]):
                guard = self.guards(Clause(rule, module=module.id))
                self.model.add(var == 0).only_enforce_if(guard)

    def frozen(self) -> None:
        """Re-planning: what happened stays where it was (a search offers a pinned module
        only its meeting; explaining, this is a switchable rule)."""
        variables = self.variables
        if not self.guards.explain or not isinstance(variables, MeetingVariables):
            return
        modules = variables.catalog.modules
        for (m, index), var in variables.x.items():
            pinned = self.pins.pinned.get(modules[m].id)
            if pinned is not None:
                guard = self.guards(Clause(Rule.FROZEN, module=modules[m].id))
                self.model.add(var == int(index == pinned)).only_enforce_if(guard)

    def final(self) -> None:
        """A final module comes after every other one: in a week no earlier than theirs
        (weekly decisions: packing puts it in the week's last meeting, last), else in a
        meeting no earlier than theirs (the layout puts it last within a meeting)."""
        variables = self.variables
        modules = variables.catalog.modules
        finals = [m for m in modules if m.final and m.id not in self.pins.pinned]
        if not finals:
            return
        when = variables.week_var
        if isinstance(variables, MeetingVariables):
            when = self._meeting_indices(variables)
        for last in finals:
            guard = self.guards(Clause(Rule.FINAL, module=last.id))
            for other in modules:
                if not other.final:
                    self.model.add(when[last.id] >= when[other.id]).only_enforce_if(guard)

    def _meeting_indices(self, variables: MeetingVariables) -> dict[str, cp_model.IntVar]:
        """The index of the meeting each module is taught in, as integer variables."""
        slots: dict[int, list[int]] = {}
        for m, at in variables.x:
            slots.setdefault(m, []).append(at)
        found: dict[str, cp_model.IntVar] = {}
        for m, module in enumerate(variables.catalog.modules):
            mine = sorted(slots.get(m, [])) or [0]
            meeting = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(mine), f"meeting[{module.id}]"
            )
            self.model.add(meeting == sum(s * variables.x[m, s] for s in slots.get(m, [])))
            found[module.id] = meeting
        return found
