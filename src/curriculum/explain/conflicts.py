"""Why no plan exists: sets of clashing clauses, found by counting (every one of those is
shown) and with CP-SAT assumptions (minimal sets), each with relaxations verified by
re-solving (one that keeps the evidence-based rules first, then one that loosens one), and
one change that fixes every clash at once when there is one."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterator

from curriculum.cpsat import OutOfTimeError, PlanModel, has_plan, minimal_core
from curriculum.explain.budget import Budget
from curriculum.explain.conflict import Conflict, Explanation, Suggestion
from curriculum.explain.counting import clashes, proven
from curriculum.explain.relax import Relaxation, candidates, longer_meetings
from curriculum.explain.wording import describe, too_long
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import Slot, meeting_slots
from curriculum.replanning import Pins, Replanning
from curriculum.rules import Clause, Rule

CHECK_SECONDS = 10.0  # per feasibility check, on the wall clock (also bounded by the limit)
# Per feasibility check, in CP-SAT's deterministic time: what decides a check, so that the
# same inputs give the same explanation on a busy machine as on an idle one (unless the
# wall clock runs out first, which the result then says).
CHECK_DTIME = 2.0
SUGGESTION_SECONDS = 15.0  # for all suggestions together
MAX_CONFLICTS = 3  # reported, besides every clash counting proves
MAX_SEARCHED = 6  # found, so that each reported clash is judged apart from the others
MAX_SUGGESTION_TRIES = 30
MAX_FIX_TRIES = 20  # for one change that fixes every clash
KEEPING = 2  # suggestions per clash that keep every evidence-based rule (and one that does not)


def explain_infeasibility(
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None = None,
    *,
    seconds: float = CHECK_SECONDS * MAX_SEARCHED + SUGGESTION_SECONDS,
) -> Explanation:
    """Every clash counting proves and, up to three in all, minimal sets of rules that
    cannot hold together found by search; each with relaxations verified by re-solving
    (with the other clashes found switched off), and one change that fixes them all when
    there is one; `cut` says whether `seconds` ran out first.

    When re-planning, what already happened is a rule too ("stays where it was").
    """
    budget = Budget(time.monotonic() + seconds)
    conflicts, fix = _explain(catalog, program, replanning, budget)
    return Explanation(tuple(conflicts), fix, budget.cut)


def _explain(
    catalog: Catalog, program: Program, replanning: Replanning | None, budget: Budget
) -> tuple[list[Conflict], Suggestion | None]:
    original = catalog
    catalog, slots, pins = _setting(catalog, program, replanning)
    longest = max((s.quarters for s in slots), default=0)
    oversized = [m for m in catalog.modules if m.quarters > longest]
    if oversized or not slots:
        conflict = too_long(oversized, program, longest)
        relaxations = longer_meetings([Clause(Rule.MEETINGS)], catalog, program, replanning)
        found = _verified(relaxations, set(), budget, (original, program, replanning))
        return [dataclasses.replace(conflict, suggestions=found)], (found or (None,))[0]
    cores = clashes(catalog, program, slots, pins)
    # A module longer than its weeks' caps would clash again with the caps themselves: the
    # other clashes are sought with it a quarter hour long, so that it still counts for the
    # floor on modules a week, its prerequisites and its week window.
    too_heavy = {
        c.module for core in cores for c in core if c.rule is Rule.WEEKLY_HOURS and c.module
    }
    rest = _shortened(catalog, too_heavy)
    counted = len(cores)
    explained = {clause for core in cores for clause in core}
    if not (cores and not pins and _plan_without(rest, program, slots, explained, budget)):
        # counting did not find every clash: CP-SAT searches for the others
        _search_cores(rest, program, slots, pins, cores, budget)
    explained = {clause for core in cores for clause in core}
    shown = cores[: max(counted, MAX_CONFLICTS)]
    conflicts = []
    for n, core in enumerate(shown):
        others = explained - set(core)
        # a counted clash's numbers are the catalog's; one found by search holds with the
        # too-heavy modules shortened, and its relaxations are judged so
        base = catalog if n < counted else rest
        relaxations = candidates(core, base, program, replanning)
        found = _verified(relaxations, others, budget, (original, program, replanning))
        summary, lines = describe(core, catalog, program, replanning)
        conflicts.append(Conflict(summary, tuple(lines), found))
    if len(cores) == 1:  # its first suggestion was verified with nothing switched off
        return conflicts, (conflicts[0].suggestions or (None,))[0]
    return conflicts, _fix(cores, catalog, program, replanning, budget, original)


def _shortened(catalog: Catalog, module_ids: set[str]) -> Catalog:
    """The catalog with these modules a quarter hour long."""
    if not module_ids:
        return catalog
    modules = tuple(
        dataclasses.replace(m, hours=0.25) if m.id in module_ids else m for m in catalog.modules
    )
    return dataclasses.replace(catalog, modules=modules)


def _fix(
    cores: list[list[Clause]],
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None,
    budget: Budget,
    original: Catalog,
) -> Suggestion | None:
    """One change under which every rule holds again: the relaxations of all the clashes,
    those that keep the evidence-based rules first, verified with nothing switched off."""
    streams = [candidates(core, catalog, program, replanning) for core in cores]
    pooled: list[Relaxation] = []
    seen: set[str] = set()
    for relaxation in _interleaved(streams):
        if relaxation.description not in seen:
            seen.add(relaxation.description)
            pooled.append(relaxation)
    pooled.sort(key=lambda r: not r.keeps_evidence)  # stable: each clash's order kept
    for relaxation in pooled[:MAX_FIX_TRIES]:
        if budget.over:
            return None
        works = _works(relaxation, set(), budget)
        if works is None:  # undecided: no later candidate in its place
            return None
        if works:
            return relaxation.suggestion(original, program, replanning)
    return None


def _interleaved(streams: list[Iterator[Relaxation]]) -> Iterator[Relaxation]:
    """The first candidate of each clash, then the second of each, and so on (at most
    `MAX_SUGGESTION_TRIES` from each)."""
    limited = [_limited(stream, MAX_SUGGESTION_TRIES) for stream in streams]
    while limited:
        for stream in list(limited):
            item = next(stream, None)
            if item is None:
                limited.remove(stream)
            else:
                yield item


def _search_cores(
    catalog: Catalog,
    program: Program,
    slots: tuple[Slot, ...],
    pins: Pins | None,
    cores: list[list[Clause]],
    budget: Budget,
) -> None:
    """Add to `cores` minimal sets of clashing clauses found by CP-SAT, each apart from
    those already there, up to `MAX_SEARCHED` in all (at least one search)."""
    try:
        plan_model = PlanModel(
            catalog, program, explain=True, slots=slots, pins=pins, deadline=budget.deadline
        )
    except OutOfTimeError:
        budget.cut = True
        return
    explained = {clause for core in cores for clause in core}
    for _ in range(max(MAX_SEARCHED - len(cores), 1)):
        if budget.over:
            return
        active = [c for c in plan_model.guards.switches if c not in explained]
        seconds = budget.seconds(CHECK_SECONDS)
        core = minimal_core(plan_model, active, seconds, CHECK_DTIME)
        if core is None and seconds < CHECK_SECONDS:  # the time limit stopped it, not a bound
            budget.cut = True
        if not core:
            return
        cores.append(core)
        explained |= set(core)


def _plan_without(
    catalog: Catalog,
    program: Program,
    slots: tuple[Slot, ...],
    clauses: set[Clause],
    budget: Budget,
) -> bool:
    """Whether a plan exists once these clauses are off, proven on the model of weeks (then
    there is no other clash to search for)."""
    try:
        model = PlanModel(
            catalog,
            program,
            slots=slots,
            dropped=frozenset(clauses),
            weekly=True,
            deadline=budget.deadline,
        )
    except OutOfTimeError:
        return False
    return has_plan(model, budget.seconds(CHECK_SECONDS), CHECK_DTIME) is True


def _setting(
    catalog: Catalog, program: Program, replanning: Replanning | None
) -> tuple[Catalog, tuple[Slot, ...], Pins | None]:
    """The catalog, meetings and pins the model sees (re-planning adds the frozen past)."""
    if replanning is None:
        return catalog, meeting_slots(program), None
    frozen = replanning.freeze(catalog, program)
    return frozen.catalog, frozen.slots, Pins(frozen.pinned, frozen.open_from)


def _verified(
    relaxations: Iterator[Relaxation],
    others: set[Clause],
    budget: Budget,
    before: tuple[Catalog, Program, Replanning | None],
) -> tuple[Suggestion, ...]:
    """Up to `KEEPING` candidates that keep the evidence-based rules (each changing other
    keys), then one that loosens a rule, under which the problem solves again (rules of
    the other conflicts switched off, so each conflict is judged on its own); as changes
    from the inputs `before`. A check left undecided ends the search (rather than suggest
    a later candidate in its place)."""
    keeping: list[Suggestion] = []
    loosening: list[Suggestion] = []
    for relaxation in _limited(relaxations, MAX_SUGGESTION_TRIES):
        if budget.over or loosening:
            break
        if relaxation.keeps_evidence and len(keeping) == KEEPING:
            continue
        suggestion = relaxation.suggestion(*before)
        keys = {setting.key for setting in suggestion.settings}
        if any(keys & {setting.key for setting in s.settings} for s in keeping):
            continue
        works = _works(relaxation, others, budget)
        if works is None:
            break
        if works:
            (keeping if relaxation.keeps_evidence else loosening).append(suggestion)
    return (*keeping, *loosening)


def _works(relaxation: Relaxation, others: set[Clause], budget: Budget) -> bool | None:
    """Whether the relaxed problem has a plan with every rule on, except those of other
    conflicts (None when undecided in time): no when counting alone shows it still clashes;
    else on the model of weeks, and on the model of meetings only when a plan of weeks was
    found that does not pack into meetings."""
    catalog, slots, pins = _setting(relaxation.catalog, relaxation.program, relaxation.replanning)
    counted = proven(catalog, relaxation.program, slots, pins)  # needs no search
    if any(not others.intersection(core) for core in counted):
        return False
    verdict = None
    for weekly in (True, False) if not pins else (False,):
        try:
            model = PlanModel(
                catalog,
                relaxation.program,
                slots=slots,
                pins=pins,
                dropped=frozenset(others),
                weekly=weekly,
                deadline=budget.deadline,
            )
        except OutOfTimeError:
            budget.cut = True
            return None
        seconds, began = budget.seconds(CHECK_SECONDS), time.monotonic()
        verdict = has_plan(model, seconds, CHECK_DTIME)
        if verdict is not None:
            return verdict
        if time.monotonic() - began >= 0.95 * seconds:
            budget.cut = True  # the wall clock, not the check's own time, stopped it
            return None
    return verdict


def _limited(items: Iterator[Relaxation], limit: int) -> Iterator[Relaxation]:
    for count, item in enumerate(items):
        if count >= limit:
            return
        yield item
