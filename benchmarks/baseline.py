"""A plain CP-SAT formulation of the same rules and goals, written independently.

`x[m, s]` for every module and every meeting it fits in; exactly one per module; meeting
capacity; weekly hours and intensity caps; ramp density, week windows, pre-service and
facilitators as `x == 0`; prerequisites through `week = Σ week · x`; the soft goals of
`curriculum.goals` as band penalties. No domain tightening, symmetry breaking or hints, and
CP-SAT's default parameters apart from the time limit and the number of workers (and, for
`run_repeatable`, the interleaved search that makes a run repeatable, as `solve()` is).

Objective units are those of `curriculum.goals`: Σ weight × goal value in hours (or weeks).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from typing import Any

from ortools.sat.python import cp_model

from benchmarks.record import Record, checked
from benchmarks.timing import solve_timed
from curriculum import Catalog, Module, Program, Slot, meeting_slots
from curriculum.goals import BALANCE_BAND, GENTLE_DENSITY, LOAD_BAND, fair_shares

Expr = Any  # a CP-SAT linear expression


def quarters(hours: float) -> int:
    """A cap in hours as whole quarter hours, rounded down."""
    return math.floor(hours * 4 + 1e-9)


class Baseline:
    """The model: `x` maps (module id, meeting index) to its Boolean."""

    def __init__(self, catalog: Catalog, program: Program) -> None:
        self.catalog, self.program = catalog, program
        self.slots = meeting_slots(program)
        self.model = cp_model.CpModel()
        share = program.balance.share  # as `solve()` plans and judges it
        self.share_num, self.share_den = share.numerator, share.denominator
        self.unit = 4 * self.share_den  # objective units per hour
        self.x = {
            (m.id, s.index): self.model.new_bool_var(f"x[{m.id},{s.index}]")
            for m in catalog.modules
            for s in self.slots
            if round(m.hours * 4) <= s.quarters
        }
        for rule in (self._one_meeting, self._capacity, self._caps, self._forbidden):
            rule()
        self._prerequisites()
        self._final()
        self._balance_tolerance()
        self.model.minimize(self._objective())

    def _sum(self, slots: Iterable[Slot], weight: Callable[[Module], int]) -> Expr:
        """Σ weight(module) × x over these meetings."""
        return sum(
            weight(m) * self.x[m.id, s.index]
            for s in slots
            for m in self.catalog.modules
            if (m.id, s.index) in self.x and weight(m)
        )

    def _week(self, week: int) -> list[Slot]:
        return [s for s in self.slots if s.week == week]

    def _weeks(self) -> list[int]:
        """Weeks with at least one meeting."""
        return sorted({s.week for s in self.slots})

    def _one_meeting(self) -> None:
        for m in self.catalog.modules:
            self.model.add_exactly_one(
                self.x[m.id, s.index] for s in self.slots if (m.id, s.index) in self.x
            )

    def _capacity(self) -> None:
        for s in self.slots:
            self.model.add(self._sum([s], lambda m: round(m.hours * 4)) <= s.quarters)

    def _caps(self) -> None:
        for week in self._weeks():
            hours = quarters(self.program.hours_cap(week))
            intensity = quarters(self.program.intensity_cap(week))
            self.model.add(self._sum(self._week(week), lambda m: round(m.hours * 4)) <= hours)
            load = self._sum(self._week(week), lambda m: round(m.hours * 4) * m.density)
            self.model.add(load <= intensity)

    def _forbidden(self) -> None:
        p = self.program
        duties = p.limits.duty_start
        for (module_id, index), var in self.x.items():
            m, s = self.catalog[module_id], self.slots[index]
            if (
                m.density > p.density_cap(s.week)
                or not (m.earliest_week or 1) <= s.week <= (m.latest_week or p.weeks)
                or (m.pre_service and duties and s.week >= duties)
                or s.start.date() in p.unavailable(m.facilitator)
            ):
                self.model.add(var == 0)

    def _week_of(self, module_id: str) -> Expr:
        return sum(
            s.week * self.x[module_id, s.index]
            for s in self.slots
            if (module_id, s.index) in self.x
        )

    def _prerequisites(self) -> None:
        for m in self.catalog.modules:
            for before in m.prerequisites:
                self.model.add(self._week_of(m.id) >= self._week_of(before) + 1)

    def _final(self) -> None:
        """A final module in a meeting no earlier than any other module's."""
        for last in (m for m in self.catalog.modules if m.final):
            for other in (m for m in self.catalog.modules if not m.final):
                self.model.add(self._meeting_of(last.id) >= self._meeting_of(other.id))

    def _meeting_of(self, module_id: str) -> Expr:
        return sum(
            s.index * self.x[module_id, s.index]
            for s in self.slots
            if (module_id, s.index) in self.x
        )

    def _content_gap(self, week: int) -> tuple[Expr, Expr]:
        """(den × content − num × total, total) in quarter hours for a week."""
        slots = self._week(week)
        total = self._sum(slots, lambda m: round(m.hours * 4))
        content = self._sum(slots, lambda m: round(m.hours * 4) if m.kind == "content" else 0)
        return self.share_den * content - self.share_num * total, total

    def _balance_tolerance(self) -> None:
        tolerance = self.program.balance.tolerance
        if tolerance is None:
            return
        for week in self._weeks():
            gap, total = self._content_gap(week)
            bound = tolerance.numerator * self.share_den * total
            self.model.add(tolerance.denominator * gap <= bound)
            self.model.add(-tolerance.denominator * gap <= bound)

    def _room(self, week: int) -> int:
        """Quarter hours the week can hold: its cap, or its meetings if shorter."""
        meetings = sum(s.quarters for s in self._week(week))
        return min(quarters(self.program.hours_cap(week)), meetings)

    def _excess(self, gap: Expr, band: int) -> Expr:
        excess = self.model.new_int_var(0, 10**7, "excess")
        self.model.add(excess >= gap - band)
        self.model.add(excess >= -gap - band)
        return excess

    def _objective(self) -> Expr:
        """Σ weight × goal, in units of 1 / `unit` hours."""
        w, d = self.program.weights, self.share_den
        teaching = [week for week in self._weeks() if self._room(week) > 0]
        balance = sum(
            self._excess(self._content_gap(week)[0], round(BALANCE_BAND * self.unit))
            for week in teaching
        )
        no_skills = []
        for week in teaching:
            none = self.model.new_bool_var(f"no_skill[{week}]")
            self.model.add(
                self._sum(self._week(week), lambda m: int(m.kind == "skill")) + none >= 1
            )
            no_skills.append(none)
        demand = sum(m.hours for m in self.catalog.modules)
        weeks = range(1, self.program.weeks + 1)
        shares = fair_shares({week: self._room(week) / 4 for week in weeks}, demand)
        uneven = sum(
            self._excess(
                self._sum(self._week(week), lambda m: round(m.hours * 4)) - round(target * 4),
                round(LOAD_BAND * 4),
            )
            for week, target in shares.items()
        )
        ramp = [s for s in self.slots if self.program.is_ramp_week(s.week)]
        early = self._sum(ramp, lambda m: round(m.hours * 4) * max(0, m.density - GENTLE_DENSITY))
        return (
            w.balance * balance
            + w.weeks_without_skills * self.unit * sum(no_skills)
            + w.uneven_load * d * uneven
            + w.early_density * d * early
        )

    def assignment(self, value: Callable[[Any], bool]) -> dict[str, int]:
        """Module id -> meeting index, read from a solution."""
        return {module_id: index for (module_id, index), var in self.x.items() if value(var)}


def run(catalog: Catalog, program: Program, *, time_limit: float, workers: int) -> Record:
    """Build and solve the baseline with default parameters (time limit and workers set):
    with more than one worker, CP-SAT's parallel portfolio, whose path (and plan, when the
    time limit cuts it) differs from run to run."""
    return _run(catalog, program, time_limit=time_limit, workers=workers, repeatable=False)


def run_repeatable(
    catalog: Catalog, program: Program, *, time_limit: float, workers: int
) -> Record:
    """The same with the workers interleaved, which CP-SAT makes deterministic for a given
    number of workers: the repeatability `solve()` promises (same inputs and seed, same
    plan), so the price of that promise is seen apart from the price of our search."""
    return _run(catalog, program, time_limit=time_limit, workers=workers, repeatable=True)


def _run(
    catalog: Catalog, program: Program, *, time_limit: float, workers: int, repeatable: bool
) -> Record:
    started = time.perf_counter()
    baseline = Baseline(catalog, program)
    build_s = time.perf_counter() - started
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = repeatable
    timed = solve_timed(baseline.model, solver, baseline.assignment, baseline.unit)
    name = "repeatable baseline" if repeatable else "baseline"
    return checked(name, timed, build_s, catalog, program)
