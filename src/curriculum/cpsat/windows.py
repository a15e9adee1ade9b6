"""Windows of weeks: for a fresh plan too large to search whole, rounds of a model in which
each module may move only a few weeks from where the best plan so far has it.

A window's model is a fraction of the full one (1,600 modules x 104 weeks: 10.7k decision
literals at 3 weeks either side, against 144k), so CP-SAT reads it at once and its
neighbourhoods are cheap, where a neighbourhood of the full model costs seconds. A round
that finds no better plan widens the windows; windows wide enough to hold most of the
full model (half its literals) end the rounds, and so does a plan at the objective's floor
(`Objective.floor`, 0 when every goal can be met), which no plan can beat.
Measured (`python -m benchmarks`, 2 cores, 60 s limits): 1,600 x 104 proven optimal
(objective 0) in 21.9 s, where the full model alone ends at objective 10.75 at 60 s; 800 x
104 in 5.7 s, from 43.9 s.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from curriculum.cpsat.domains import Domains, OutOfTimeError
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.objective import hold_floor
from curriculum.cpsat.solver import SearchSettings, search_solver, solve_interruptibly
from curriculum.cpsat.warm_start import add_warm_start

# Decision literals of the full weekly model above which rounds of windows come first
# (measured with `solve()` on the benchmark's cases, windows on for every size: 400 x 52,
# 17.6k literals, proven in 3.4 s from 10.0 s; but 200 x 52 at tight caps, 8.6k literals
# and an optimum above 0, in 19.5 s from 4.3 s).
WINDOWS_ABOVE = 12_000
SHARE = 0.6  # of the time limit, at most, for the rounds
REACHES = (2, 3, 4, 6, 8, 12)  # weeks either side, widened after a round without a better plan
ROUND = 2.0  # deterministic time of one round
WHOLE = 0.5  # windows holding this share of the full model's literals: search it whole


@dataclass(frozen=True)
class Windowed:
    """The best plan the rounds found (module index -> meeting index), its objective and
    the least any plan can have (`floor`), in model units (`scale` of them an hour), and
    how it went: `cut` when the deadline (the wall clock) stopped rounds that would have
    gone on, so that another run may differ."""

    placed: dict[int, int]
    objective: int
    floor: int
    scale: int
    rounds: int
    dtime: float
    interrupted: bool
    cut: bool = False


def windowed(
    domains: Domains,
    placed: Mapping[int, int],
    settings: SearchSettings,
    deadline: float,
) -> Windowed | None:
    """Improve a complete plan (module index -> meeting index) round by round until the
    windows grow too wide, the objective reaches its floor, or `deadline` (a `time.monotonic()`
    instant) comes; None when no round found a plan (the start broke a rule, or the
    deadline came first: `first_round_cut` tells which)."""
    full = literals(domains)
    best: Windowed | None = None
    current, reach, rounds, dtime, interrupted = dict(placed), 0, 0, 0.0, False
    cut, floor = False, 0
    while reach < len(REACHES):
        narrow = _windows(domains, current, REACHES[reach])
        if literals(narrow) > WHOLE * full:
            break
        if time.monotonic() >= deadline:
            cut = True
            break
        try:
            plan_model = PlanModel(
                domains.catalog, domains.program, weekly=True, domains=narrow, deadline=deadline
            )
        except OutOfTimeError:
            cut = True
            break
        if rounds == 0:  # of the full domains (a window's is no floor): one for every round
            floor = plan_model.objective.floor(domains)
        plan_model.model.minimize(plan_model.objective.expression())
        add_warm_start(plan_model, current, deadline - time.monotonic())
        # a round that reaches the floor proves its plan and ends there, not at the clock
        hold_floor(plan_model.model, floor)
        solver = search_solver(settings, max(deadline - time.monotonic(), 0.01))
        solver.parameters.max_deterministic_time = ROUND
        solver.parameters.use_lns_only = True
        status, interrupted = solve_interruptibly(solver, plan_model.model)
        rounds, dtime = rounds + 1, dtime + solver.deterministic_time
        # stopped by the wall clock before its own budget, with nothing proven
        cut = status != cp_model.OPTIMAL and solver.deterministic_time < ROUND
        found = None
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = plan_model.variables.assignment(solver.boolean_value)
        if found is not None and (best is None or solver.objective_value < best.objective):
            index = {module.id: m for m, module in enumerate(domains.catalog.modules)}
            current = {index[module_id]: slot for module_id, slot in found.items()}
            value, scale = round(solver.objective_value), plan_model.objective.scale
            best = Windowed(current, value, floor, scale, rounds, dtime, False)
        else:
            reach += 1
        if interrupted or (best is not None and best.objective <= floor):
            break
    if best is None:
        return None
    cut = cut and not interrupted and best.objective > floor
    return dataclasses.replace(best, rounds=rounds, dtime=dtime, interrupted=interrupted, cut=cut)


def literals(domains: Domains) -> int:
    """The decision literals of a weekly model on these domains: a module's weeks."""
    return sum(len({slot.week for slot in slots}) for slots in domains.options.values())


def first_round_cut(domains: Domains, placed: Mapping[int, int], deadline: float) -> bool:
    """Whether the deadline has passed though the first round would run (its windows are
    narrower than the whole model), so that `windowed` ran none for want of time."""
    narrow = _windows(domains, placed, REACHES[0])
    return time.monotonic() >= deadline and literals(narrow) <= WHOLE * literals(domains)


def _windows(domains: Domains, placed: Mapping[int, int], reach: int) -> Domains:
    """Each module's options within `reach` weeks of the week the plan has it in."""
    week_of = {slot.index: slot.week for slot in domains.calendar.slots}
    return domains.around({m: week_of[s] for m, s in placed.items()}, reach)
