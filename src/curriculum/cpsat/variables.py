"""The decisions: which week (or which meeting) each module is taught in.

Two kinds of decision share one interface. `WeekVariables` (a fresh plan) has `y[m, w]`,
module m in week w: every rule and goal but meeting length is weekly, so the search
decides weeks and `packing` places each week's modules in its meetings afterwards.
`MeetingVariables` (re-planning and explanations) has `x[m, s]`, module m in meeting s.
Both give each module a literal per week it may take (`week_literals`) and its week as an
integer (`week_var`), which is all the rules and goals are written in.

A module's variables exist only for the meetings its `Domains` offer: those its own rules
allow in a search (tight domains), every meeting it fits in when explaining (then the
constraints switch the unary rules on and off, `Guards`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence

from ortools.sat.python import cp_model

from curriculum.cpsat.domains import CHECK_EVERY, Domains, OutOfTimeError
from curriculum.cpsat.guards import Guards
from curriculum.cpsat.packing import Verdict, minimal_unpackable, pack, pack_week
from curriculum.inputs.catalog import Module
from curriculum.inputs.program import Program
from curriculum.meetings import Slot

Var = cp_model.IntVar
LinearExpr = cp_model.LinearExprT


class Variables:
    """What both kinds of decision share: week literals and the sums over them, on the
    modules' `domains`."""

    def __init__(self, model: cp_model.CpModel, domains: Domains, guards: Guards) -> None:
        self.model = model
        self.domains = domains
        self.guards = guards
        self.catalog = domains.catalog
        self.program: Program = domains.program
        self.calendar = domains.calendar
        self.pins = domains.pins
        self.weeks = domains.weeks
        self.open_weeks = domains.open_weeks
        self.share = domains.share
        self.options = domains.options  # module index -> the meetings with a variable
        self.week_literals: dict[int, list[tuple[Module, Var]]] = {w: [] for w in self.weeks}
        self.week_var: dict[str, Var] = {}

    def build(self, deadline: float | None = None) -> None:
        """Each module in exactly one meeting (or week) its domain allows; past the
        `deadline` (a `time.monotonic()` instant), `OutOfTimeError`."""
        for m, module in enumerate(self.catalog.modules):
            if deadline is not None and m % CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise OutOfTimeError("building the model")
            by_week = self._place(m, module)
            self.model.add_exactly_one(var for literals in by_week.values() for var in literals)
            for number, literals in by_week.items():
                in_week = literals[0] if len(literals) == 1 else self.model.new_bool_var("y")
                if len(literals) > 1:
                    self.model.add(in_week == sum(literals))
                self.week_literals[number].append((module, in_week))
            week = self.model.new_int_var_from_domain(
                cp_model.Domain.from_values(sorted(by_week) or [1]), f"week[{module.id}]"
            )
            self.model.add(
                week == weighted_sum([(n, self.week_literals[n][-1][1]) for n in by_week])
            )
            self.week_var[module.id] = week

    def _place(self, m: int, module: Module) -> dict[int, list[Var]]:
        """The module's decision literals, by week."""
        raise NotImplementedError

    # ------------------------------------------------------------------ sums

    def in_week(self, week: int, weight: Callable[[Module], int]) -> LinearExpr:
        """Σ weight(module) over the modules placed in a week."""
        weighted = [(weight(module), var) for module, var in self.week_literals[week]]
        return weighted_sum([(w, var) for w, var in weighted if w])

    def week_quarters(self, week: int, kind: str | None = None) -> LinearExpr:
        """Quarter hours taught in a week (of one kind, if given)."""
        return self.in_week(week, lambda m: m.quarters if kind is None or m.kind == kind else 0)

    def content_gap(self, week: int, factor: int) -> LinearExpr:
        """(content − target share × hours) × the share's denominator × factor, in a week."""
        a, b = self.share.numerator, self.share.denominator
        return factor * (b * self.week_quarters(week, "content") - a * self.week_quarters(week))

    # ------------------------------------------------------------------ solutions

    @property
    def size(self) -> int:
        """The number of decision literals."""
        raise NotImplementedError

    def decisions(self, placed: Mapping[int, int]) -> list[tuple[Var, bool]]:
        """The decision literals and their values for a placement (module -> meeting)."""
        raise NotImplementedError

    def assignment(self, value: Callable[[Var], int]) -> dict[str, int] | None:
        """Module id -> meeting index, read from a solution; None when it cannot be placed."""
        raise NotImplementedError


class MeetingVariables(Variables):
    """`x[m, s]`: module m is taught in meeting s."""

    x: dict[tuple[int, int], Var]
    slot_vars: dict[int, list[tuple[Module, Var]]]  # meeting -> its modules and literals

    def build(self, deadline: float | None = None) -> None:
        self.x = {}
        self.slot_vars = {s.index: [] for s in self.calendar.slots}
        super().build(deadline)

    def _place(self, m: int, module: Module) -> dict[int, list[Var]]:
        slots = self.options[m]
        by_week: dict[int, list[Var]] = {}
        for slot in slots:
            var = self.model.new_bool_var(f"x[{module.id},{slot.index}]")
            self.x[m, slot.index] = var
            self.slot_vars[slot.index].append((module, var))
            by_week.setdefault(slot.week, []).append(var)
        return by_week

    def placed(self, slots: Iterable[Slot], weight: Callable[[Module], int]) -> LinearExpr:
        """Σ weight(module) over the modules placed in these meetings."""
        weighted = [
            (weight(module), var) for slot in slots for module, var in self.slot_vars[slot.index]
        ]
        return weighted_sum([(w, var) for w, var in weighted if w])

    @property
    def size(self) -> int:
        return len(self.x)

    def decisions(self, placed: Mapping[int, int]) -> list[tuple[Var, bool]]:
        return [(var, placed.get(m) == s) for (m, s), var in self.x.items()]

    def assignment(self, value: Callable[[Var], int]) -> dict[str, int] | None:
        modules = self.catalog.modules
        return {modules[m].id: s for (m, s), var in self.x.items() if value(var)}


class WeekVariables(Variables):
    """`y[m, w]`: module m is taught in week w (then packed into its meetings)."""

    y: dict[tuple[int, int], Var]
    # week -> each module that may take it, its literal and its meetings there
    choices: dict[int, list[tuple[Module, Var, list[Slot]]]]

    def build(self, deadline: float | None = None) -> None:
        self.y = {}
        self.choices = {w: [] for w in self.weeks}
        super().build(deadline)

    def _place(self, m: int, module: Module) -> dict[int, list[Var]]:
        slots_by_week: dict[int, list[Slot]] = {}
        for slot in self.options[m]:
            slots_by_week.setdefault(slot.week, []).append(slot)
        by_week: dict[int, list[Var]] = {}
        for number, slots in sorted(slots_by_week.items()):
            self.y[m, number] = self.model.new_bool_var(f"y[{module.id},{number}]")
            by_week[number] = [self.y[m, number]]
            self.choices[number].append((module, self.y[m, number], slots))
        return by_week

    @property
    def size(self) -> int:
        return len(self.y)

    def decisions(self, placed: Mapping[int, int]) -> list[tuple[Var, bool]]:
        week = {slot.index: slot.week for slot in self.calendar.slots}
        return [(var, week.get(placed.get(m, -1)) == w) for (m, w), var in self.y.items()]

    def assignment(self, value: Callable[[Var], int]) -> dict[str, int] | None:
        """Packed into the meetings of the chosen weeks; None when some week's modules
        cannot be packed."""
        weeks = {
            week: [(module, slots) for module, var, slots in choices if value(var)]
            for week, choices in self.choices.items()
        }
        return pack(weeks)

    def exclude_unpackable(self, value: Callable[[Var], int]) -> int:
        """Rule out, in each week of a solution proven unpackable, a minimal unpackable set
        of its modules (exact: only those sets are lost); how many weeks."""
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


def weighted_sum(terms: Sequence[tuple[int, Var]]) -> LinearExpr:
    """Σ coefficient × literal, built in one step (a generator sum builds a long chain of
    partial expressions: most of the model's building time on large catalogs)."""
    return cp_model.LinearExpr.weighted_sum([var for _, var in terms], [w for w, _ in terms])
