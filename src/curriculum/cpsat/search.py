"""The search for the best plan: the greedy plan as a warm start, on small models a light
first run and a short complete search from its plan that may end the search (`LIGHT_RUN`,
`PROOF_RUN`), then phases scheduled by how the search progresses (`Schedule`), all within
the time limit, and a plan at the objective's floor (`Objective.floor`), which no plan can
beat, ends it; re-planning first minimises movement."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from curriculum.cpsat.domains import Domains, OutOfTimeError
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.objective import hold_floor
from curriculum.cpsat.solver import (
    STATUS_NAMES,
    SearchSettings,
    search_solver,
    solve_interruptibly,
)
from curriculum.cpsat.variables import WeekVariables
from curriculum.cpsat.warm_start import (
    add_warm_start,
    greedy_plan,
    hint_all,
    hint_restored,
    hint_solution,
)
from curriculum.cpsat.windows import (
    SHARE,
    WINDOWS_ABOVE,
    Windowed,
    first_round_cut,
    literals,
    windowed,
)
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar, Slot, meeting_slots
from curriculum.replanning import Pins

# Models from SMALL to LNS_ONLY_ABOVE decision literals: the interleaved neighbourhood
# workers alone, with presolve's probing off, from the warm start to the end: a
# neighbourhood as large as the model is solved whole, which proves the optimum (measured
# with `python -m benchmarks`: 200 modules x 52 weeks proven in 2.6 s, from 20.7 s with a
# bounded neighbourhood phase then the complete search; 400 x 52 6.6 s, from 4.9 s).
MIDDLE = {"use_lns_only": True, "cp_model_probing_level": 0}
# Above LNS_ONLY_ABOVE: from a warm start, one worker's neighbourhood search runs first
# with a budget in deterministic time that grows with the decision literals, then the
# interleaved neighbourhoods (800 x 104 proven in 39 s).
LNS_PER_DECISION = 5e-5
LNS_BUDGET = (0.05, 5.0)  # least and most
QUICK_LNS = {"use_lns_only": True, "num_workers": 1, "cp_model_presolve": False}
# Small models (goal-heavy catalogs such as BACP written as a user would, or the tour's
# what-if): rounds of neighbourhood search (the interleaved workers) and of the complete
# search take turns, each bounded in deterministic time, from the best plan so far, the
# budget doubling every two rounds, for as long as the neighbourhoods improve the plan;
# after two neighbourhood rounds in a row without a better plan the complete search runs
# alone to the end (measured: BACP 12 proven in 0.54 deterministic seconds, from 3.55
# unproven; BACP 10 proven, from unproven at 30 s; 25 x 12 unchanged).
SMALL = 2_000
# A plan that meets every goal (objective 0) is proven optimal as soon as it is found: on a
# small model a light neighbourhood search looks for one before the rounds, with one pass
# of presolve, no probing and a budget of 0.01 deterministic seconds (measured: CP-SAT
# proves the bundled catalog's optimum in 0.07 s, from 0.14-0.17 s). When it proves nothing
# (and the `PROOF_RUN` after it neither), its plan is set aside, so the rounds run as they
# would without it (a first round with these settings, its plan seeding the rest, took
# BACP 12 as a user catalog, seed 0, from proven in 0.8 s to unproven at 30 s); it costs
# 0.03-0.1 s. Ctrl-C or the time limit during it keeps its plan, as after a round.
LIGHT_RUN = {
    "use_lns_only": True,
    "max_presolve_iterations": 1,
    "cp_model_probing_level": 0,
    "max_deterministic_time": 0.01,
}
ROUND = 0.1  # deterministic time of the first two rounds
PATIENCE = 2  # neighbourhood rounds in a row without a better plan
ROUNDS_MOST = 30.0  # deterministic time of every neighbourhood round together
# Their complete search, in the rounds and last, is one worker's, not interleaved, with the
# LP's cuts (linearization level 2): it proves far sooner (the tour's what-if from its
# optimum: 1.03 deterministic seconds, against 3.9 for the two interleaved workers), and
# the neighbourhood rounds do the finding. Measured (seed 0, deterministic seconds, from the
# interleaved workers): the tour 4.6 from 7.9, BACP 10 user 1.3 from 4.9, BACP 12 user 0.40
# from 0.54, 25 x 12 0.15 from 0.21; BACP 8 user 1.4 from 1.0. Over seeds 0-7 it was the
# faster in 47 of 56 runs of these 7 cases; worst, BACP 12 user at seed 4, 11.5 from 4.6
# (the neighbourhoods stall at 32 and one worker is slower to find the plan of 0).
SMALL_COMPLETE = {
    "use_lns_only": False,
    "num_workers": 1,
    "interleave_search": False,
    "linearization_level": 2,
}
# The light run often finds the optimum of a catalog that cannot meet every goal, but
# neighbourhoods cannot prove it: when its plan packs into meetings (and neither Ctrl-C
# nor the time limit came), the complete search of the rounds runs from that plan for one
# round's budget. Unless it proves the optimum, both plans are set aside and the model's
# hint restored; the bound it proved is kept all the same, and Ctrl-C or the time limit
# during it keeps its plan when no worse than the light run's. Measured over seeds 0-3, in
# deterministic seconds (wall in brackets): 25 x 12 proven in 0.03-0.05 from 0.16-0.23
# (0.20-0.24 s from 0.84-1.10 s); tight 25 x 12 0.06-0.11 from 0.09-0.14 (0.23-0.27 s
# from 0.71-1.16 s); 50 x 12 at seed 3 0.06 from 0.37; where it proves nothing (BACP
# 8/10/12 as user catalogs, the tour's what-if, 50 x 12 at seeds 0-2) it costs 0.1.
PROOF_RUN = {**SMALL_COMPLETE, "max_deterministic_time": ROUND}
# Above this many decision literals the last phase is neighbourhood search too: there a
# complete search spends its time presolving and on huge LPs (measured on 800 modules x
# 104 weeks, 71,713 literals, at 60 s: objective 306 and 1.7 GiB, against 12 and 0.8 GiB).
LNS_ONLY_ABOVE = 20_000
# CP-SAT reads a model before it looks at the clock: about this many seconds per variable
# (measured: 1.2 s for 144,174 variables, 1,600 modules x 104 weeks). A run that cannot
# finish reading within the time left is not started.
READ_PER_VARIABLE = 8e-6
MAX_REPACKS = 100  # searches again after ruling out a week that cannot be packed


@dataclass(frozen=True)
class Outcome:
    """What one CP-SAT run found, in plain values.

    `objective` is None with an assignment when the search did not score the plan: the
    greedy one, returned as it is because the time ran out (or Ctrl-C came) before the
    search improved on it, or a re-plan's plan of fewest moves when Ctrl-C came before the
    usual objective was searched (score it from its frames); `cut` says what the time limit
    cut short ("" when nothing was).
    """

    status: str
    objective: float | None
    bound: float | None
    runtime: float
    assignment: dict[str, int]
    interrupted: bool = False
    unpacked: bool = False  # weekly mode: plans were found, but none packed into meetings
    cut: str = ""
    dtime: float = 0.0  # CP-SAT's deterministic time, every run together
    rounds_cut: bool = False  # the wall clock stopped the rounds of windows (`Windowed.cut`)


def optimise(
    catalog: Catalog,
    program: Program,
    settings: SearchSettings,
    *,
    slots: Sequence[Slot] | None = None,
    pins: Pins | None = None,
) -> Outcome:
    """Search for the best plan (an empty assignment when none), within
    `settings.time_limit` seconds from the call, model building included.

    The greedy plan comes first, from the modules' domains alone; whenever the time runs
    out (or Ctrl-C comes) before the search holds a plan, it is returned as it is. When
    re-planning (`pins.previous`), first move as few modules as possible, as little as
    possible; then, keeping that, minimise the usual objective.
    """
    started = time.monotonic()
    deadline = started + settings.time_limit
    slots = tuple(slots) if slots is not None else meeting_slots(program)
    longest = max((s.quarters for s in slots), default=0)
    if any(m.quarters > longest for m in catalog.modules):
        return Outcome("infeasible", None, None, 0.0, {})

    def left(share: float = 1.0) -> SearchSettings:
        """The settings with the time still free (building the model counts too)."""
        free = max(share * settings.time_limit - (time.monotonic() - started), 0.01)
        return dataclasses.replace(settings, time_limit=free)

    def as_greedy(cut: str, interrupted: bool = False) -> Outcome:
        """The greedy plan as it is (or no plan), or the rounds of windows' plan, when `cut`
        stopped the search first."""
        runtime = time.monotonic() - started
        if rounds is not None:
            return _as_outcome(rounds, catalog, runtime, cut=cut)
        if placed is None:
            return Outcome("unknown", None, None, runtime, {}, interrupted, cut=cut)
        assignment = {catalog.modules[m].id: index for m, index in placed.items()}
        return Outcome("feasible", None, None, runtime, assignment, interrupted, cut=cut)

    placed: dict[int, int] | None = None
    rounds: Windowed | None = None  # the rounds of windows' plan, for large models
    calendar = MeetingCalendar.of(program, slots)
    try:
        domains = Domains(catalog, calendar, pins or Pins(), deadline=deadline)
    except OutOfTimeError as error:
        return as_greedy(str(error))
    if domains.shut_out():  # a module its rules (or its prerequisite chain) allow nowhere
        return Outcome("infeasible", None, None, time.monotonic() - started, {})
    placed = greedy_plan(domains, deadline)
    rounds_cut = False  # the wall clock stopped rounds of windows that would have gone on
    if placed is not None and pins is None and literals(domains) > WINDOWS_ABOVE:
        rounds_end = started + SHARE * settings.time_limit
        rounds = windowed(domains, placed, settings, rounds_end)
        if rounds is not None:
            rounds_cut = rounds.cut
        else:  # no round found a plan: the clock may have stopped them before the first
            rounds_cut = first_round_cut(domains, placed, rounds_end)
        if rounds is not None and (rounds.objective <= rounds.floor or rounds.interrupted):
            return _as_outcome(rounds, catalog, time.monotonic() - started)
        placed = rounds.placed if rounds is not None else placed  # the full model's start
    try:
        # A fresh plan chooses weeks, then packs them into meetings; re-planning keeps meetings.
        plan_model = PlanModel(
            catalog,
            program,
            slots=slots,
            pins=pins,
            weekly=pins is None,
            domains=domains,
            deadline=deadline,
        )
    except OutOfTimeError as error:
        return as_greedy(str(error))
    objective, scale = plan_model.objective.expression(), plan_model.objective.scale
    if pins is None or not pins.previous:
        floor = plan_model.objective.floor(domains)
        outcome = run(plan_model, objective, scale, left(), placed, floor)
        if outcome.unpacked and not outcome.interrupted:  # rare: hours fit, meetings not
            try:
                plan_model = PlanModel(
                    catalog, program, slots=slots, pins=pins, domains=domains, deadline=deadline
                )
            except OutOfTimeError as error:
                return as_greedy(str(error))
            objective, scale = plan_model.objective.expression(), plan_model.objective.scale
            outcome = run(plan_model, objective, scale, left(), placed, floor)
    else:
        movement = plan_model.objective.movement()
        first = run(plan_model, movement, 1, left(0.5), placed)
        if not first.assignment:
            outcome = first
        elif first.interrupted:  # Ctrl-C: its plan at once, scored by its frames
            outcome = dataclasses.replace(first, status="feasible", objective=None, bound=None)
        else:
            plan_model.model.add(movement <= round(first.objective or 0))
            second = run(plan_model, objective, scale, left())
            proven = first.status == "optimal" and second.status == "optimal"
            status = "optimal" if proven else second.status
            outcome = dataclasses.replace(second, status=status, dtime=first.dtime + second.dtime)
    if not outcome.assignment and outcome.status == "unknown":
        return as_greedy("" if outcome.interrupted else "the search", outcome.interrupted)
    runtime = time.monotonic() - started
    windows = rounds.dtime if rounds is not None else 0.0
    return dataclasses.replace(
        outcome,
        runtime=runtime,
        dtime=outcome.dtime + windows,
        rounds_cut=rounds_cut,
    )


def _as_outcome(rounds: Windowed, catalog: Catalog, runtime: float, cut: str = "") -> Outcome:
    """The windows' plan as the answer: proven when its objective is at the floor, which
    no plan beats; else Ctrl-C or the time limit (`cut`) came first."""
    assignment = {catalog.modules[m].id: index for m, index in rounds.placed.items()}
    return Outcome(
        status="optimal" if rounds.objective <= rounds.floor else "feasible",
        objective=rounds.objective / rounds.scale,
        bound=rounds.floor / rounds.scale,
        runtime=runtime,
        assignment=assignment,
        interrupted=rounds.interrupted,
        cut=cut,
        dtime=rounds.dtime,
        rounds_cut=rounds.cut,
    )


def run(
    plan_model: PlanModel,
    objective: cp_model.LinearExprT,
    scale: int,
    settings: SearchSettings,
    greedy: Mapping[int, int] | None = None,
    floor: int = 0,
) -> Outcome:
    """Minimise an objective (reported divided by `scale`); Ctrl-C keeps the best plan.

    From the `greedy` plan (module index -> meeting index), completed into a warm start,
    on a small model the first runs (`LIGHT_RUN`, then `PROOF_RUN`: their plan is kept
    when they prove it, or when Ctrl-C or the time limit ends the search in them;
    otherwise set aside, the rounds starting from the warm start, and only the bound they
    proved kept), then the phases of a `Schedule`, each from the best plan so far.
    Every phase but the last is bounded in deterministic time, so the same inputs and seed
    give the same plan whenever the search ends before the wall-clock limit (one cut by
    the wall clock may differ from machine to machine). In weekly mode only plans that
    pack into meetings count; a week proven unpackable is ruled out and the phase runs
    again from that near plan. A run CP-SAT could not even read in the time left is not
    started.
    """
    model = plan_model.model
    model.minimize(objective)
    started = time.perf_counter()
    time_limit = settings.time_limit
    reading = len(model.proto.variables) * READ_PER_VARIABLE
    hint = greedy is not None and not plan_model.hinted and time_limit > reading
    start = add_warm_start(plan_model, greedy, time_limit) if hint and greedy else None
    warm = plan_model.hinted or start is not None
    hold_floor(model, floor if warm else 0)
    schedule = Schedule(plan_model.size, warm=warm, seed=settings.seed)
    best: cp_model.CpSolver | None = None  # the best solution that packs into meetings
    assignment: dict[str, int] = {}
    variables = plan_model.variables
    if start is not None and (placed := variables.assignment(start.boolean_value)) is not None:
        best, assignment = start, placed  # the greedy plan packs: it is a plan already
    dtime = start.deterministic_time if start is not None else 0.0
    solver: cp_model.CpSolver | None = None
    # no plan is below the floor, so one that reaches it is optimal and ends the search
    status, interrupted, bound, repacks = cp_model.UNKNOWN, False, float(floor), 0
    unpacked = False  # a solution was found that did not pack
    if schedule.rounds and time_limit - (time.perf_counter() - started) > reading:
        first = _first_runs(plan_model, settings, time_limit, started, reading, floor)
        status, interrupted = first.status, first.interrupted
        dtime += first.dtime
        bound = max(bound, first.bound)  # proven, whether its plan is kept or set aside
        last = interrupted or time_limit - (time.perf_counter() - started) <= reading
        # a plan that packs and meets the bound is optimal (in weekly mode also when the
        # proven optimum was another plan, which does not pack)
        proven = first.placed is not None and first.solver.objective_value <= bound
        kept = proven or status == cp_model.OPTIMAL or (last and status == cp_model.FEASIBLE)
        unpacked = kept and first.placed is None
        if (
            kept
            and first.placed is not None
            and (best is None or first.solver.objective_value <= best.objective_value)
        ):
            solver, best, assignment = first.solver, first.solver, first.placed
            hint_solution(plan_model, first.solver)
            schedule.done = proven
        status = status if schedule.done else cp_model.UNKNOWN  # else set aside
    while not schedule.done and not interrupted:
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= reading:
            break
        overrides = schedule.next()
        before = best.objective_value if best is not None else math.inf
        solver, status, interrupted = _search(model, settings, overrides, time_limit, started)
        dtime += solver.deterministic_time
        if status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
            schedule.done = True
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        bound = max(bound, solver.best_objective_bound)
        placed = variables.assignment(solver.boolean_value)
        if placed is None:  # weekly decisions: a week that no packing into its meetings fits
            assert isinstance(variables, WeekVariables)
            unpacked = True
            if repacks < MAX_REPACKS and not interrupted:
                repacks += 1
                if variables.exclude_unpackable(solver.boolean_value):
                    schedule.again()  # search again, from this near plan
                    status = cp_model.UNKNOWN
                    hint_solution(plan_model, solver)
            continue
        if best is None or solver.objective_value <= best.objective_value:
            best, assignment = solver, placed
            hint_solution(plan_model, solver)
        schedule.record(improved=solver.objective_value < before)
        schedule.done = schedule.done or best.objective_value <= bound
    runtime = time.perf_counter() - started
    if best is None:
        name = "unknown" if unpacked else STATUS_NAMES.get(status, "unknown")
        return Outcome(name, None, None, runtime, {}, interrupted, unpacked, dtime=dtime)
    proven = (status == cp_model.OPTIMAL and best is solver) or best.objective_value <= bound
    return Outcome(
        status="optimal" if proven else "feasible",
        objective=best.objective_value / scale,
        bound=(best.objective_value if proven else max(bound, 0)) / scale,
        runtime=runtime,
        assignment=assignment,
        interrupted=interrupted,
        dtime=dtime,
    )


@dataclass(frozen=True)
class FirstRuns:
    """What the first runs of a small model found: the proof run's solver and status when
    it found a plan that packs into meetings, no worse than the light run's, else the
    light run's; that plan (module id -> meeting index; None when it does not pack or
    there is none), whether Ctrl-C came, their deterministic time, and the best bound
    either proved."""

    solver: cp_model.CpSolver
    status: Any
    placed: dict[str, int] | None
    interrupted: bool
    dtime: float
    bound: float


def _first_runs(
    plan_model: PlanModel,
    settings: SearchSettings,
    time_limit: float,
    started: float,
    reading: float,
    floor: int,
) -> FirstRuns:
    """The `LIGHT_RUN`, then, when it found a plan that packs into meetings but did not
    prove it (nor reach the `floor`), no Ctrl-C came and CP-SAT can still read the model
    in the time left, the `PROOF_RUN` from that plan. The model's hint is left as it was."""
    model, variables = plan_model.model, plan_model.variables
    light, light_status, interrupted = _search(model, settings, LIGHT_RUN, time_limit, started)
    found = light_status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    placed = variables.assignment(light.boolean_value) if found else None
    bound = light.best_objective_bound if found else -math.inf
    light_only = FirstRuns(
        light, light_status, placed, interrupted, light.deterministic_time, bound
    )
    if (
        light_status != cp_model.FEASIBLE
        or placed is None
        or light.objective_value <= floor
        or interrupted
        or time_limit - (time.perf_counter() - started) <= reading
    ):
        return light_only
    with hint_restored(model):
        hint_all(model, light)
        proof, proof_status, interrupted = _search(model, settings, PROOF_RUN, time_limit, started)
    both = dataclasses.replace(
        light_only, interrupted=interrupted, dtime=light_only.dtime + proof.deterministic_time
    )
    if proof_status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return both
    bound = max(bound, proof.best_objective_bound)
    no_worse = proof.objective_value <= light.objective_value
    proof_placed = variables.assignment(proof.boolean_value) if no_worse else None
    if proof_placed is not None:
        return dataclasses.replace(
            both, solver=proof, status=proof_status, placed=proof_placed, bound=bound
        )
    return dataclasses.replace(both, bound=bound)


def _search(
    model: cp_model.CpModel,
    settings: SearchSettings,
    overrides: Mapping[str, Any],
    time_limit: float,
    started: float,
) -> tuple[cp_model.CpSolver, Any, bool]:
    """One CP-SAT run with the `overrides` of the search settings, in the time left of
    `time_limit` seconds from `started`: the solver, its status, and whether Ctrl-C came."""
    solver = search_solver(settings, time_limit - (time.perf_counter() - started))
    for name, value in overrides.items():
        setattr(solver.parameters, name, value)
    status, interrupted = solve_interruptibly(solver, model)
    if settings.log:
        print(
            f"phase {dict(overrides)}: {solver.status_name(status)} "
            f"dtime {solver.deterministic_time:.2f} wall {solver.wall_time:.2f}"
        )
    return solver, status, interrupted


class Schedule:
    """Which search runs next, from how the last ones went (`SMALL` says which schedule):
    the last phase is unbounded, every other one bounded in deterministic time."""

    def __init__(self, size: int, *, warm: bool, seed: int = 0) -> None:
        self.small = size < SMALL
        self.seed = seed
        self.complete: dict[str, Any] = {"use_lns_only": size > LNS_ONLY_ABOVE}
        lowest, highest = LNS_BUDGET
        budget = min(highest, max(lowest, size * LNS_PER_DECISION))
        self.phases: list[dict[str, Any]] = []  # large models: the phases, in order
        if warm and size > LNS_ONLY_ABOVE:
            self.phases.append({**QUICK_LNS, "max_deterministic_time": budget})
        if not self.small and size <= LNS_ONLY_ABOVE:
            self.complete = MIDDLE
        if warm and self.small:  # without a warm start the complete search also finds
            self.complete = SMALL_COMPLETE
        self.phases.append(self.complete)
        self.rounds = warm and self.small  # small models: rounds still to come
        self.budget, self.turn, self.misses, self.spent = ROUND, 0, 0, 0.0
        self.done = False  # the last phase has run, or a run proved its answer
        self._current = self.phases[0]

    def next(self) -> dict[str, Any]:
        """The parameters of the next run."""
        if self.rounds and self.misses < PATIENCE and self.spent < ROUNDS_MOST:
            bounded = {"max_deterministic_time": self.budget}
            if self.turn % 2 == 0:  # neighbourhoods, with a seed of their own each round
                seed = {"random_seed": self.seed * 1000 + self.turn}
                self._current = {"use_lns_only": True, **bounded, **seed}
                self.spent += self.budget
            else:
                self._current = {**self.complete, **bounded}
                self.budget *= 2
            self.turn += 1
            return self._current
        self._current = self.phases.pop(0) if self.phases else self._current
        self.done = not self.phases
        return self._current

    def again(self) -> None:
        """Run the current phase once more (after ruling out a week that does not pack)."""
        if not self.phases:
            self.phases.append(self._current)
        self.done = False

    def record(self, *, improved: bool) -> None:
        """How the last run went: a neighbourhood round without a better plan is a miss."""
        if self._current.get("use_lns_only") and "random_seed" in self._current:
            self.misses = 0 if improved else self.misses + 1
