"""The cohorts' weeks first: the weekly model of the same cohorts (`CohortsModel`'s
`weekly`, a relaxation) is searched, then its weeks are fixed in the model by meeting,
where a short search lays them out in meetings under every rule. That plan is the search's
start; when the weekly plan was proven optimal and its layout keeps its objective, it is
the optimum.

A weekly plan whose weeks cannot be laid out is ruled out, exactly, and the weekly search
runs again from it: first, in each cohort, a minimal set of a week's modules that its
meetings cannot hold (as a single cohort's weekly search does); then, when every cohort's
weeks pack on their own but not together (joint meetings, clashes), the cohorts' weeks
that together cannot be laid out (a core of the layout's assumptions).

Measured with `python -m benchmarks.gbacp`: UD3's largest group of cohorts decides 13,286
meetings, where its weekly model decides 5,140 weeks.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from curriculum.cpsat.cohorts import CohortsModel
from curriculum.cpsat.packing import Verdict, pack_week
from curriculum.cpsat.solver import (
    DEFAULT_WORKERS,
    SearchSettings,
    feasible,
    search_solver,
    solve_interruptibly,
)
from curriculum.cpsat.warm_start import hint_all

Var = cp_model.IntVar
MAX_REPACKS = 100  # weekly searches again after ruling out weeks that cannot be laid out
LAYOUT_SHARE = 0.2  # of the time limit, at most, to lay out one weekly plan (or find why not)
CTRL_C_LAYOUT = 2.0  # seconds to lay out the weekly plan found when Ctrl-C came
# With two workers or more, the weekly search is interleaved (the same plan in every run)
# for this many deterministic seconds, then CP-SAT's parallel portfolio goes on from its
# best plan: stronger on GBACP's UD5 and UD8, weaker on UD3, and not repeatable. Measured
# (GBACP objective, `--time-limit 60`, two runs each of this afternoon's code): interleaved
# throughout, UD3 297 / 959, UD5 446 / 685, UD8 77 / 82; switching, UD3 1839 / 685, UD5
# 362 / 396, UD8 41 / 45 (with a budget of 4, UD3's interleaved search found no plan in
# it, and the run ended at 2,182; UD5's weekly model alone at 30 s: 7,974 interleaved
# against 2,992). The weekly searches of the cohorts benchmark each prove their optimum in
# one interleaved run: two cohorts at 1.31 and 1.27 deterministic seconds, ten at 3.35
# (reported past the limit, which CP-SAT did not stop at).
REPEATABLE = 1.5


@dataclass(frozen=True)
class WeeklyStart:
    """What the weekly stage found. `solver` holds a plan of the model by meeting (None
    when none was laid out); `bound` is a lower bound on its objective (scaled, as CP-SAT
    reports it), `proven` whether that plan is optimal, `infeasible` whether the weekly
    model, with the weeks ruled out, proved that no plan exists (then none exists by
    meeting either)."""

    solver: cp_model.CpSolver | None
    bound: float = 0.0
    proven: bool = False
    infeasible: bool = False
    interrupted: bool = False
    dtime: float = 0.0


def weekly_applies(cohorts_model: CohortsModel) -> bool:
    """Whether a weekly stage can run: a search (not an explanation) of cohorts still to
    plan (a committed cohort is pinned to its meetings)."""
    return (
        not cohorts_model.weekly
        and not cohorts_model.guards.explain
        and not any(cohort.is_committed for cohort in cohorts_model.cohorts.cohorts)
    )


def weekly_start(
    cohorts_model: CohortsModel, settings: SearchSettings, weekly_seconds: float, seconds: float
) -> WeeklyStart:
    """Search the weekly model for up to `weekly_seconds` in all, then lay out in meetings
    (the weeks fixed) its best plan whose weeks each cohort's meetings hold, within what is
    left of `seconds`; the plan laid out is hinted in the model by meeting (whose objective
    must be set)."""
    started = time.perf_counter()
    weekly = CohortsModel(
        cohorts_model.cohorts, cohorts_model.places, caps=cohorts_model.caps, weekly=True
    )
    weekly.model.minimize(weekly.expression())
    rescale = cohorts_model.scale / weekly.scale  # the same units, as a rule
    packing = _Packing(weekly)
    dtime, bound = 0.0, 0.0
    # deterministic seconds the repeatable part has left (None: one worker, never switches)
    budget = REPEATABLE if (settings.workers or DEFAULT_WORKERS) > 1 else None
    kept: cp_model.CpSolver | None = None  # the best plan found, while the model is unchanged
    for _ in range(MAX_REPACKS + 2):  # one more: the switch to the portfolio
        left = weekly_seconds - (time.perf_counter() - started)
        solver = search_solver(settings, max(left, 0.01))
        limited = budget is not None and budget > 0
        if budget is not None and limited:
            solver.parameters.max_deterministic_time = budget
        elif budget is not None:
            solver.parameters.interleave_search = False  # the parallel portfolio
        status, interrupted = solve_interruptibly(solver, weekly.model, packing)
        dtime += solver.deterministic_time
        if budget is not None:
            budget -= solver.deterministic_time
        if status == cp_model.INFEASIBLE:  # the weeks ruled out could not be laid out
            return WeeklyStart(None, infeasible=True, interrupted=interrupted, dtime=dtime)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if kept is None or solver.objective_value <= kept.objective_value:
                kept = solver  # (a portfolio that lost the hint may end on a worse plan)
            bound = max(bound, solver.best_objective_bound * rescale)
            hint_all(weekly.model, solver)  # a search again starts from this near plan
        out_of_time = time.perf_counter() - started >= weekly_seconds
        stopped = interrupted or out_of_time
        if limited and status in (cp_model.FEASIBLE, cp_model.UNKNOWN) and not stopped:
            budget = 0.0  # the repeatable part is spent: the portfolio goes on
            continue
        if kept is None:
            return WeeklyStart(None, bound, interrupted=interrupted, dtime=dtime)
        if kept is not solver:  # the portfolio found none (or a worse one): the plan before
            solver, status = kept, cp_model.FEASIBLE
        last = frozenset(var.index for var in packing.literals if solver.boolean_value(var))
        try:  # exact packings run on this thread, up to a second each
            ruled_out = sum(
                part.by_week().exclude_unpackable(solver.boolean_value) for part in weekly.parts
            )
        except KeyboardInterrupt:
            return WeeklyStart(None, bound, interrupted=True, dtime=dtime)
        kept = None if ruled_out else kept
        chosen = packing.chosen if ruled_out else last
        if chosen is None:
            if interrupted or time.perf_counter() - started >= weekly_seconds:
                return WeeklyStart(None, bound, interrupted=interrupted, dtime=dtime)
            continue
        left = seconds - (time.perf_counter() - started)
        most = min(left, CTRL_C_LAYOUT if interrupted else LAYOUT_SHARE * seconds)
        laid = _lay_out(cohorts_model, weekly, chosen, settings, most)
        dtime += laid.dtime
        interrupted = interrupted or laid.interrupted
        if laid.solver is not None:
            hint_all(cohorts_model.model, laid.solver)
            proven = not ruled_out and status == cp_model.OPTIMAL
            proven = proven and laid.solver.objective_value <= solver.objective_value * rescale
            return WeeklyStart(laid.solver, bound, proven, interrupted=interrupted, dtime=dtime)
        if interrupted or not laid.core:  # Ctrl-C, the layout's time ran out, or no core
            return WeeklyStart(None, bound, interrupted=interrupted, dtime=dtime)
        together = [var for literals in laid.core for var in literals]
        weekly.model.add(sum(together) <= len(together) - 1)
        kept = None
        packing.forget()  # its plan may be the one just ruled out
    return WeeklyStart(None, bound, dtime=dtime)


class _Packing(cp_model.CpSolverSolutionCallback):
    """Keeps the best solution found whose weeks every cohort's meetings hold by a quick
    fit, as the indices of the weekly literals it sets."""

    def __init__(self, weekly: CohortsModel) -> None:
        super().__init__()
        self.weeks = [
            choices for part in weekly.parts for choices in part.by_week().choices.values()
        ]
        self.literals = [var for choices in self.weeks for _, var, _ in choices]
        self.forget()

    def forget(self) -> None:
        """Keep none (after the weekly model ruled out weeks that the plan kept may have)."""
        self.chosen: frozenset[int] | None = None
        self.objective = math.inf

    def on_solution_callback(self) -> None:
        """Read week by week, up to the first that does not fit (this runs in CP-SAT's
        worker); a solution no better than the one kept is passed over (a search again, or
        the portfolio, may find a worse one first)."""
        if self.objective_value >= self.objective:
            return
        chosen: list[int] = []
        for choices in self.weeks:
            taken = [
                (module, var, slots) for module, var, slots in choices if self.boolean_value(var)
            ]
            options = [(module, slots) for module, _, slots in taken]
            if isinstance(pack_week(options, exactly=False), Verdict):
                return
            chosen += [var.index for _, var, _ in taken]
        self.chosen, self.objective = frozenset(chosen), self.objective_value


@dataclass(frozen=True)
class _Layout:
    """A weekly plan laid out in meetings: the `solver` holding the plan by meeting; else
    the chosen weekly literals of each cohort's week in a set that cannot be laid out
    together (`core`; empty when the time ran out or Ctrl-C came first, or CP-SAT gave no
    core of the weeks alone)."""

    solver: cp_model.CpSolver | None
    core: list[list[Var]]
    interrupted: bool
    dtime: float


def _lay_out(
    cohorts_model: CohortsModel,
    weekly: CohortsModel,
    chosen: frozenset[int],
    settings: SearchSettings,
    seconds: float,
) -> _Layout:
    """The weekly plan that sets the weekly literals `chosen` (by index) laid out in
    meetings within `seconds`: the weeks fixed, each cohort's week under a switch, whose
    core names the weeks that cannot be laid out together."""
    started = time.perf_counter()
    fixed = cohorts_model.model.clone()
    switches: list[Var] = []
    fixes: list[list[Var]] = []  # by switch: the weekly literals it fixes
    for part, weekly_part in zip(cohorts_model.parts, weekly.parts):
        literal = {
            (module.id, week): var
            for week, literals in part.variables.week_literals.items()
            for module, var in literals
        }
        for week, literals in weekly_part.variables.week_literals.items():
            taken = [(module, var) for module, var in literals if var.index in chosen]
            if not taken:
                continue
            switch = fixed.new_bool_var(f"weeks[{part.cohort.name},{week}]")
            for module, _ in taken:
                in_week = fixed.get_bool_var_from_proto_index(literal[module.id, week].index)
                fixed.add(in_week == 1).only_enforce_if(switch)
            switches.append(switch)
            fixes.append([var for _, var in taken])
    fixed.add_assumptions(switches)
    laying_out = search_solver(settings, max(seconds - (time.perf_counter() - started), 0.01))
    status, interrupted = solve_interruptibly(laying_out, fixed)
    dtime = laying_out.deterministic_time
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Layout(laying_out, [], interrupted, dtime)
    left = seconds - (time.perf_counter() - started)
    if status != cp_model.INFEASIBLE or interrupted or left <= 0:
        return _Layout(None, [], interrupted, dtime)
    try:
        _, found, coring = feasible(fixed, switches, time_limit=left)  # one worker's core
    except KeyboardInterrupt:
        return _Layout(None, [], True, dtime)
    dtime += coring.deterministic_time
    index = {switch.index: n for n, switch in enumerate(switches)}
    if not found or any(i not in index for i in found):  # OR-Tools #5141: not only switches
        return _Layout(None, [], interrupted, dtime)
    return _Layout(None, [fixes[index[i]] for i in found], interrupted, dtime)
