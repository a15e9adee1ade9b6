"""A greedy plan to start the search from (a CP-SAT hint): earliest deadline first, each
module into the earliest meeting its rules, prerequisites and caps allow, in a week still
under its fair share of hours and short of the module's kind where there is one."""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from ortools.sat.python import cp_model

from curriculum.cpsat.domains import Domains
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.solver import new_solver
from curriculum.inputs.catalog import Module
from curriculum.meetings import Slot

# Whether a module may not take a meeting, given what the pass has placed (module -> meeting).
Blocked = Callable[[Module, Slot, Mapping[int, int]], bool]

COMPLETION_SECONDS = 5.0
GREEDY_ATTEMPTS = 20  # the first in order, the rest with random tie-breaks


def greedy_plan(domains: Domains, deadline: float | None = None) -> dict[int, int] | None:
    """Module index -> meeting index for every module, from the first greedy attempt that
    places them all (the first in order, the rest with random tie-breaks); None when none
    does, or when the `deadline` (a `time.monotonic()` instant) comes first.

    The plan keeps every rule but the weekly balance tolerance, which only a finished week
    can be judged by: the completion in `add_warm_start` (or the independent checker)
    judges that.
    """
    modules = len(domains.catalog.modules)
    for attempt in range(GREEDY_ATTEMPTS):
        if deadline is not None and attempt and time.monotonic() > deadline:
            return None
        placed = greedy_assignment(domains, random.Random(attempt) if attempt else None)
        if len(placed) == modules:
            return placed
    return None


def add_warm_start(
    plan_model: PlanModel, placed: Mapping[int, int], time_limit: float = COMPLETION_SECONDS
) -> cp_model.CpSolver | None:
    """Hint a complete greedy plan (module index -> meeting index) when it is feasible
    (every variable hinted, so the search starts from a solution); the solver holding that
    plan, or None."""
    solver = complete_hint(plan_model.model, plan_model.variables.decisions(placed), time_limit)
    plan_model.hinted = solver is not None
    return solver


def complete_hint(
    model: cp_model.CpModel,
    decisions: Sequence[tuple[cp_model.IntVar, bool]],
    time_limit: float = COMPLETION_SECONDS,
) -> cp_model.CpSolver | None:
    """Complete a plan's decisions (the other variables follow from them) in a plain search
    fixed to them, and hint every variable with the result, as the interleaved search of
    CP-SAT 9.15 aborts on a partial hint; the solver holding it, or None when the plan
    breaks a rule (then no hint)."""
    _hint(model, [var.index for var, _ in decisions], [int(value) for _, value in decisions])
    solver = new_solver(time_limit=min(time_limit, COMPLETION_SECONDS))
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
    """Hint every variable of the model with its value in the solver's last solution."""
    values = solver.response_proto.solution
    _hint(model, range(len(values)), values)


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
) -> dict[int, int]:
    """Module index -> meeting index for as many modules as the greedy pass can place;
    `shuffle` breaks ties at random (for another attempt); `blocked` rules out more
    meetings (what other cohorts hold), given what this pass has placed so far."""
    modules = variables.catalog.modules
    jitter = {m: shuffle.random() if shuffle else 0.0 for m in range(len(modules))}
    options = {m: [slot.index for slot in slots] for m, slots in variables.options.items()}
    slots = {slot.index: slot for slot in variables.calendar.slots}
    index_of = {module.id: m for m, module in enumerate(modules)}
    deadline = _deadlines(variables, options)
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

    def shuffled(week: int) -> int:
        """Random slack of up to an hour on a week's fair share, in later attempts."""
        return shuffle.randint(0, 4) if shuffle else 0

    slot_load: dict[int, int] = defaultdict(int)
    week_hours: dict[int, int] = defaultdict(int)
    week_intensity: dict[int, int] = defaultdict(int)
    week_count: dict[int, int] = defaultdict(int)
    week_kind: dict[tuple[int, str], int] = defaultdict(int)
    share = variables.program.balance.content_share
    kind_share = {"content": share, "skill": 1 - share}
    weights = variables.program.weights
    kinded = bool(weights.balance or weights.weeks_without_skills)  # else kinds do not matter
    placed: dict[int, int] = {}
    ready = [m for m, needs in waiting.items() if not needs]
    while ready:
        ready.sort(key=lambda m: (deadline.get(m, 0), jitter[m], -modules[m].quarters, m))
        m = ready.pop(0)
        module = modules[m]
        after = max(
            (
                slots[placed[index_of[p]]].week
                for p in module.prerequisites
                if index_of[p] in placed
            ),
            default=0,
        )

        last = max((placed[o] for o in others if o in placed), default=-1) if module.final else -1

        def fits(s: int, module: Module = module, after: int = after, last: int = last) -> bool:
            week = slots[s].week
            return (
                week > after
                and s >= last
                and slot_load[s] + module.quarters <= slots[s].quarters
                and week_hours[week] + module.quarters <= variables.hours_cap(week)
                and week_intensity[week] + module.quarters * module.density
                <= variables.intensity_cap(week)
                and week_count[week] < (variables.modules_cap(week) or week_count[week] + 1)
            )

        def rank(s: int, module: Module = module) -> tuple[bool, bool, int, int]:
            """Earliest week still under its fair share, preferring one short of this kind
            (the balance and skills goals); then the earliest week at all."""
            week = slots[s].week
            over = week_hours[week] + module.quarters > target.get(week, 0) + shuffled(week)
            taught = week_kind[week, module.kind]
            ahead = kinded and taught > kind_share[module.kind] * week_hours[week]
            return over, ahead, week, s

        for other in dependants[m]:
            waiting[other].discard(m)
            if not waiting[other]:
                ready.append(other)
        if any(index_of[p] not in placed for p in module.prerequisites):
            continue  # a prerequisite found no place, so neither does this module
        choices = [
            s
            for s in options.get(m, [])
            if fits(s) and not (blocked and blocked(module, slots[s], placed))
        ]
        if choices:
            best = min(choices, key=rank)
            placed[m] = best
            week = slots[best].week
            slot_load[best] += module.quarters
            week_hours[week] += module.quarters
            week_kind[week, module.kind] += module.quarters
            week_intensity[week] += module.quarters * module.density
            week_count[week] += 1
    return placed


def _deadlines(variables: Domains, options: dict[int, list[int]]) -> dict[int, int]:
    """The latest week each module can take and still leave a week for every dependant."""
    modules = variables.catalog.modules
    week = {slot.index: slot.week for slot in variables.calendar.slots}
    index_of = {module.id: m for m, module in enumerate(modules)}
    deadline = {
        m: max((week[s] for s in options.get(m, [])), default=0) for m in range(len(modules))
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
