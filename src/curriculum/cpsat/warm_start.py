"""A greedy plan to start the search from (a CP-SAT hint): earliest deadline first, each
module into the earliest meeting its rules, prerequisites and caps allow, in a week still
under its fair share of hours and short of the module's kind where there is one."""

from __future__ import annotations

import heapq
import itertools
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import attrgetter

from ortools.sat.python import cp_model

from curriculum.cpsat.domains import Domains
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.solver import new_solver
from curriculum.inputs.catalog import Module
from curriculum.inputs.program import Program
from curriculum.meetings import Slot
from curriculum.replanning import floor_weeks

# Whether a module may not take a meeting, given what the pass has placed (module -> meeting).
Blocked = Callable[[Module, Slot, Mapping[int, int]], bool]

COMPLETION_SECONDS = 5.0
GREEDY_ATTEMPTS = 20  # the first in order, the rest with random tie-breaks
MEND_DTIME = 0.2  # deterministic seconds to mend a greedy plan that breaks a weekly rule


def greedy_keeps_every_rule(program: Program) -> bool:
    """Whether a greedy plan keeps every rule of this programme: all but the weekly balance
    tolerance and the floor on modules a week (it fills weeks under their floor first, but
    may leave one short), when they are set."""
    limits = program.limits
    floor = limits.modules_floor or limits.ramp_modules_floor
    return program.balance.weekly_tolerance is None and not floor


def greedy_plan(domains: Domains, deadline: float | None = None) -> dict[int, int] | None:
    """Module index -> meeting index for every module, from the first greedy attempt that
    places them all (the first in order, the rest with random tie-breaks); None when none
    does, or when the `deadline` (a `time.monotonic()` instant) comes first.

    The plan keeps every rule but those only a finished week can be judged by
    (`greedy_keeps_every_rule`): the completion in `add_warm_start` (which mends a plan
    that breaks one) or the independent checker judges those.
    """
    modules = len(domains.catalog.modules)
    floored = any(domains.program.modules_floor(week) for week in domains.calendar.teaching_weeks)
    # with a floor on modules a week, weeks under it are filled first; when that leaves some
    # module no place (the floor spreads the first modules one a week, and a prerequisite
    # chain or a final module runs out of weeks: the bundled catalog over 12 weeks at one
    # module a week at least), the attempts run again as without a floor, whose plan often
    # keeps it anyway
    passes = (True, False) if floored else (True,)
    tries = [(first, attempt) for first in passes for attempt in range(GREEDY_ATTEMPTS)]
    for n, (floors_first, attempt) in enumerate(tries):
        if deadline is not None and n and time.monotonic() > deadline:
            return None
        shuffle = random.Random(attempt) if attempt else None
        placed = greedy_assignment(domains, shuffle, floors_first=floors_first)
        if len(placed) == modules:
            return placed
    return None


def add_warm_start(
    plan_model: PlanModel, placed: Mapping[int, int], time_limit: float = COMPLETION_SECONDS
) -> cp_model.CpSolver | None:
    """Hint a complete greedy plan (module index -> meeting index) when it is feasible
    (every variable hinted, so the search starts from a solution); the solver holding that
    plan, or None."""
    decisions = plan_model.variables.decisions(placed)
    solver = complete_hint(plan_model.model, decisions, time_limit)
    if solver is None:  # it breaks a rule only a finished week is judged by: mended nearby
        solver = complete_hint(plan_model.model, decisions, time_limit, mend=True)
    plan_model.hinted = solver is not None
    return solver


def complete_hint(
    model: cp_model.CpModel,
    decisions: Sequence[tuple[cp_model.IntVar, bool]],
    time_limit: float = COMPLETION_SECONDS,
    *,
    mend: bool = False,
) -> cp_model.CpSolver | None:
    """Complete a plan's decisions (the other variables follow from them) in a plain search
    fixed to them, and hint every variable with the result, as the interleaved search of
    CP-SAT 9.15 aborts on a partial hint; the solver holding it, or None when the plan
    breaks a rule (then no hint). With `mend`, the decisions only guide the search to the
    first plan near them, within `MEND_DTIME` deterministic seconds (the same plan on any
    machine)."""
    _hint(model, [var.index for var, _ in decisions], [int(value) for _, value in decisions])
    solver = new_solver(time_limit=min(time_limit, COMPLETION_SECONDS))
    if mend:
        solver.parameters.stop_after_first_solution = True
        solver.parameters.max_deterministic_time = MEND_DTIME
    else:
        solver.parameters.fix_variables_to_their_hinted_value = True
    status = solver.solve(model)
    model.clear_hints()  # type: ignore[no-untyped-call]
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    hint_all(model, solver)
    return solver


def hint_solution(plan_model: PlanModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable with its value in the solver's last solution (complete hints
    only: CP-SAT 9.15's interleaved search aborts on a partial or empty one)."""
    hint_all(plan_model.model, solver)
    plan_model.hinted = True


def hint_all(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """Hint every variable of the model with its value in the solver's last solution (of
    this model, or of a copy with variables added after the model's own)."""
    own = len(model.proto.variables)
    _hint(model, range(own), list(itertools.islice(solver.response_proto.solution, own)))


@contextmanager
def hint_restored(model: cp_model.CpModel) -> Iterator[None]:
    """Within the block the model's hint may change; after it, it is what it was before."""
    hint = model.proto.solution_hint
    indices, values = list(hint.vars), list(hint.values)
    try:
        yield
    finally:
        _hint(model, indices, values)


def _hint(model: cp_model.CpModel, indices: Iterable[int], values: Iterable[int]) -> None:
    """Replace the model's hint (written into its proto at once: `add_hint` one variable
    at a time takes most of a second on a large model)."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    hint = model.proto.solution_hint
    hint.vars.extend(indices)
    hint.values.extend(values)


def greedy_assignment(
    variables: Domains,
    shuffle: random.Random | None = None,
    blocked: Blocked | None = None,
    *,
    floors_first: bool = True,
) -> dict[int, int]:
    """Module index -> meeting index for as many modules as the greedy pass can place;
    `shuffle` breaks ties at random (for another attempt); `blocked` rules out more
    meetings (what other cohorts hold), given what this pass has placed so far;
    `floors_first` fills weeks under their floor on modules before any other."""
    modules = variables.catalog.modules
    jitter = [shuffle.random() if shuffle else 0.0 for _ in modules]
    index_of = {module.id: m for m, module in enumerate(modules)}
    deadline = _deadlines(variables)
    waiting = {m: {index_of[p] for p in modules[m].prerequisites} for m in range(len(modules))}
    others = {m for m, module in enumerate(modules) if not module.final}
    for m, module in enumerate(modules):
        if module.final:  # a final module waits for every other one
            waiting[m] |= others
    dependants: dict[int, list[int]] = defaultdict(list)
    for m, needs in waiting.items():
        for need in needs:
            dependants[need].append(m)
    target = variables.fair_quarters()
    week_of = {slot.index: slot.week for slot in variables.calendar.slots}
    free = {slot.index: slot.quarters for slot in variables.calendar.slots}  # quarter hours
    weeks = set(week_of.values())
    hours_left = {week: variables.hours_cap(week) for week in weeks}
    intensity_left = {week: variables.intensity_cap(week) for week in weeks}
    modules_left = {week: variables.modules_cap(week) or math.inf for week in weeks}
    program = variables.program
    floors = {
        week: program.modules_floor(week)
        for week in floor_weeks(variables.calendar, variables.pins)
        if floors_first
    }
    week_modules: dict[int, int] = defaultdict(int)
    week_hours: dict[int, int] = defaultdict(int)
    week_kind: dict[tuple[int, str], int] = defaultdict(int)
    share = float(variables.share)
    kind_share = {"content": share, "skill": 1 - share}
    weights = variables.program.weights
    kinded = bool(weights.balance or weights.weeks_without_skills)  # else kinds do not matter
    placed: dict[int, int] = {}
    order = {m: (deadline[m], jitter[m], -module.quarters, m) for m, module in enumerate(modules)}
    ready = [order[m] for m, needs in waiting.items() if not needs]
    heapq.heapify(ready)  # earliest deadline first
    while ready:
        *_, m = heapq.heappop(ready)
        module = modules[m]
        before = [index_of[p] for p in module.prerequisites]
        after = max((week_of[placed[p]] for p in before if p in placed), default=0)
        last = max((placed[o] for o in others if o in placed), default=-1) if module.final else -1
        for other in dependants[m]:
            waiting[other].discard(m)
            if not waiting[other]:
                heapq.heappush(ready, order[other])
        if any(p not in placed for p in before):
            continue  # a prerequisite found no place, so neither does this module
        quarters, points, kind = module.quarters, module.quarters * module.density, module.kind
        choices = [
            slot
            for slot in variables.options.get(m, [])
            if slot.week > after
            and slot.index >= last
            and free[slot.index] >= quarters
            and hours_left[slot.week] >= quarters
            and intensity_left[slot.week] >= points
            and modules_left[slot.week] > 0
            and not (blocked and blocked(module, slot, placed))
        ]
        # A week still under its floor on modules first; then the earliest week still under
        # its fair share (with a random slack of up to an hour in later attempts),
        # preferring one short of this kind (the balance and skills goals); then the
        # earliest week at all.
        slack = [shuffle.randint(0, 4) for _ in choices] if shuffle else [0] * len(choices)
        kind_target = kind_share[kind]
        ranks = [
            (
                week_modules[slot.week] >= floors.get(slot.week, 0),
                week_hours[slot.week] + quarters > target.get(slot.week, 0) + extra,
                kinded and week_kind[slot.week, kind] > kind_target * week_hours[slot.week],
                slot.week,
                slot.index,
            )
            for slot, extra in zip(choices, slack)
        ]
        if ranks:
            *_, week, best = min(ranks)
            placed[m] = best
            free[best] -= quarters
            hours_left[week] -= quarters
            intensity_left[week] -= points
            modules_left[week] -= 1
            week_modules[week] += 1
            week_hours[week] += quarters
            week_kind[week, kind] += quarters
    return placed


def _deadlines(variables: Domains) -> dict[int, int]:
    """The latest week each module can take and still leave a week for every dependant."""
    modules = variables.catalog.modules
    index_of = {module.id: m for m, module in enumerate(modules)}
    deadline = {
        m: max(map(attrgetter("week"), variables.options.get(m, [])), default=0)
        for m in range(len(modules))
    }
    changed = True
    while changed:
        changed = False
        for m, module in enumerate(modules):
            for prerequisite in module.prerequisites:
                p = index_of[prerequisite]
                if deadline[p] > deadline[m] - 1:
                    deadline[p] = deadline[m] - 1
                    changed = True
    return deadline
