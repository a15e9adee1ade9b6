"""The search (cpsat/search.py): Ctrl-C keeps the best plan found (or the greedy one, or a
re-plan's first phase's), a module longer than every meeting needs no search, and the tiny
instance's optimum."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model

import curriculum.cpsat.search as cpsat_search
from benchmarks.cases import all_cases, instance
from curriculum import Catalog, Meeting, Plan, Program, Status, read_catalog
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.search import (
    LIGHT_RUN,
    MIDDLE,
    PROOF_RUN,
    SMALL_COMPLETE,
    Schedule,
    optimise,
)
from curriculum.cpsat.solver import SearchSettings
from tests.builders import (
    assert_objective_consistent,
    make_catalog,
    make_program,
    module,
    solve_checked,
)


def _fake_interrupt(solved: bool) -> Any:
    """`solve_interruptibly` as if Ctrl-C came (after a plan was found, or before any)."""
    original = cpsat_search.solve_interruptibly

    def solve_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
        outcome = list(original(solver, model))  # (status, interrupted, ...)
        if not solved:
            outcome[0] = cp_model.UNKNOWN
        outcome[1] = True
        return tuple(outcome)

    return solve_interruptibly


def test_the_interrupted_flag_reaches_the_result(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, one_week_program: Program
) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=True))
    result = solve_checked(tiny_catalog, one_week_program)
    assert result.interrupted


def test_interrupted_before_any_plan_says_so(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, one_week_program: Program
) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    monkeypatch.setattr(cpsat_search, "greedy_plan", lambda domains, deadline: None)
    result = solve_checked(tiny_catalog, one_week_program)
    assert result.status is Status.UNKNOWN
    assert result.interrupted
    assert result.conflicts == ()


def test_interrupted_search_still_returns_the_greedy_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 25 modules x 12 weeks: the greedy plan misses goals that some plan meets
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    result = solve_checked(*_case("gen-25x12"))
    assert result.status is Status.FEASIBLE and result.interrupted
    assert result.objective is not None and result.objective > 0 and result.bound == 0
    assert_objective_consistent(result)


def test_an_interrupted_search_whose_greedy_plan_meets_every_goal_says_it_is_optimal(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, one_week_program: Program
) -> None:
    # no plan is below 0, so the greedy plan of 0 is optimal though no search ran to the end
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    result = solve_checked(tiny_catalog, one_week_program)
    assert (result.status, result.objective, result.bound) == (Status.OPTIMAL, 0.0, 0.0)
    assert result.interrupted


def test_ctrl_c_before_the_search_holds_a_plan_returns_the_greedy_one_as_it_is(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, one_week_program: Program
) -> None:
    # no warm start (so the search holds no plan) and Ctrl-C before it finds one: the
    # greedy plan, scored from its frames; Ctrl-C, not the time limit, cut it short. It
    # meets every goal, so it is optimal all the same
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    monkeypatch.setattr(cpsat_search, "add_warm_start", lambda *args: None)
    result = solve_checked(tiny_catalog, one_week_program)
    assert (result.status, result.objective) == (Status.OPTIMAL, 0.0) and result.interrupted
    assert_objective_consistent(result)
    assert not [w for w in result.warnings if "time limit" in w]


def test_ctrl_c_in_a_replans_first_phase_returns_its_plan_without_another_search(
    monkeypatch: pytest.MonkeyPatch, tiny_catalog: Catalog, two_week_program: Program
) -> None:
    # A re-plan searches twice: fewest moves first, then the usual objective. Ctrl-C during
    # the first ends the re-plan with the first's plan (it keeps every rule), scored from
    # its frames and not proven optimal: the second search never starts.
    previous = solve_checked(tiny_catalog, two_week_program).plan
    runs: list[cp_model.CpSolver] = []
    interrupted = _fake_interrupt(solved=True)

    def counted(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
        runs.append(solver)
        return interrupted(solver, model)

    monkeypatch.setattr(cpsat_search, "solve_interruptibly", counted)
    result = solve_checked(
        tiny_catalog, two_week_program, previous=previous, freeze_before=date(2027, 1, 11)
    )
    assert len(runs) == 1
    assert result.interrupted and result.status is Status.FEASIBLE and result.bound == 0
    assert_objective_consistent(result)
    assert not [w for w in result.warnings if "time limit" in w]  # Ctrl-C, not the clock


def test_a_module_longer_than_every_meeting_ends_the_search_at_once(
    one_week_program: Program,
) -> None:
    # a 3 h module and one 2 h meeting: no placement exists, so no model is built
    catalog = make_catalog(module("long", hours=3.0))
    outcome = optimise(catalog, one_week_program, SearchSettings(10))
    assert (outcome.status, outcome.assignment, outcome.objective) == ("infeasible", {}, None)


def test_the_tiny_instance_is_solved_to_its_optimum(
    tiny_catalog: Catalog, one_week_program: Program
) -> None:
    # 'a' (content) and 'b' (skill), 1 h each, share the one 2 h meeting: 1 h of content in
    # 2 h is on target, the week has a skill, and its load equals its room (2 h): 0.
    outcome = optimise(tiny_catalog, one_week_program, SearchSettings(10))
    assert (outcome.status, outcome.objective, outcome.bound) == ("optimal", 0.0, 0.0)
    assert outcome.assignment == {"a": 0, "b": 0}
    plan = Plan.from_assignment(tiny_catalog, one_week_program, outcome.assignment)
    assert plan.check() == []


def _phases(log: str) -> list[str]:
    """The search's runs, one line each, from what `solve(..., log=True)` printed."""
    return [line for line in log.splitlines() if line.startswith("phase ")]


def test_a_plan_meeting_every_goal_ends_the_search_in_the_light_first_run(
    capfd: pytest.CaptureFixture[str],
) -> None:
    result = solve_checked(read_catalog(), Program(start=date(2027, 1, 11)), log=True)
    assert (result.status, result.objective) == (Status.OPTIMAL, 0.0)
    (phase,) = _phases(capfd.readouterr().out)
    assert phase.startswith(f"phase {LIGHT_RUN}: OPTIMAL")


def test_a_plan_the_light_run_finds_is_proven_by_a_complete_search_from_it(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # 25 modules x 12 weeks, whose optimum does not meet every goal: the light run finds it
    # but cannot prove it, the complete search from its plan does, and the search ends there,
    # on the objective the rounds prove when the first runs are given no time
    catalog, program = _case("gen-25x12")
    original = cpsat_search.solve_interruptibly
    starts: list[list[int]] = []  # each run's hint: the greedy plan, then the light run's
    plans: list[list[int]] = []  # each run's plan

    def watched(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
        starts.append(list(model.proto.solution_hint.values))
        outcome = original(solver, model)
        plans.append(list(solver.response_proto.solution)[: len(model.proto.variables)])
        return outcome

    monkeypatch.setattr(cpsat_search, "solve_interruptibly", watched)
    proven = solve_checked(catalog, program, log=True)
    light, proof = _phases(capfd.readouterr().out)
    assert light.startswith(f"phase {LIGHT_RUN}: FEASIBLE")
    assert proof.startswith(f"phase {PROOF_RUN}: OPTIMAL")
    assert starts[1] == plans[0] != starts[0]  # from the light run's plan, not the greedy one
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", original)
    _no_time_for_the_first_runs(monkeypatch)
    replayed = solve_checked(catalog, program, log=True)
    assert len(_phases(capfd.readouterr().out)) > 2
    assert proven.status is replayed.status is Status.OPTIMAL
    assert proven.objective == replayed.objective


def test_first_runs_that_prove_nothing_leave_the_rounds_as_they_were(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # 50 modules x 12 weeks: the light run finds better plans than the greedy one, the
    # complete search from its plan proves nothing; the rounds start from the greedy plan all the
    # same, so they run (each with the same status and deterministic time) and end on the
    # plan they do after first runs given no time
    catalog, program = _case("gen-50x12")
    with_first = solve_checked(catalog, program, log=True)
    phases = _phases(capfd.readouterr().out)
    assert phases[0].startswith(f"phase {LIGHT_RUN}: FEASIBLE")
    assert phases[1].startswith(f"phase {PROOF_RUN}: FEASIBLE") and len(phases) > 2
    light, proof = _no_time_for_the_first_runs(monkeypatch)
    without = solve_checked(catalog, program, log=True)
    replayed = [
        line
        for line in _phases(capfd.readouterr().out)
        if not line.startswith((f"phase {light}", f"phase {proof}"))
    ]
    assert [line.split(" wall")[0] for line in phases[2:]] == [
        line.split(" wall")[0] for line in replayed
    ]
    assert with_first.status is without.status is Status.OPTIMAL
    columns = ["module", "week", "start"]
    assert with_first.plan.sessions[columns].equals(without.plan.sessions[columns])


def _no_time_for_the_first_runs(monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """Give the light run and the proof run no time, so they prove nothing: their settings."""
    light = {**LIGHT_RUN, "max_deterministic_time": 0.0}
    proof = {**PROOF_RUN, "max_deterministic_time": 0.0}
    monkeypatch.setattr(cpsat_search, "LIGHT_RUN", light)
    monkeypatch.setattr(cpsat_search, "PROOF_RUN", proof)
    return light, proof


def test_ctrl_c_in_the_light_first_run_keeps_its_plan(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # the light run finds plans better than the greedy one: Ctrl-C during it (the only run)
    # keeps the best, as after a round, where the greedy plan is all there is when it found none
    catalog, program = _case("tight-25x12")
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=True))
    kept = solve_checked(catalog, program, log=True)
    (phase,) = _phases(capfd.readouterr().out)
    assert phase.startswith(f"phase {LIGHT_RUN}: FEASIBLE")
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    greedy = solve_checked(catalog, program)
    assert kept.interrupted and greedy.interrupted
    assert kept.objective is not None and greedy.objective is not None
    assert kept.objective < greedy.objective


def test_ctrl_c_in_the_proof_run_keeps_its_plan_once_it_has_one(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    # 25 x 12 with tight caps: the light run finds a plan of 29, the complete search from it
    # the optimum, 24. Ctrl-C comes in that second run: before it reports a plan, the light
    # run's is the answer; after (and before it proves it), its own; either way no other
    # run starts
    catalog, program = _case("tight-25x12")
    original = cpsat_search.solve_interruptibly

    def second_interrupted(found: bool) -> Any:
        calls: list[int] = []

        def solve_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
            calls.append(1)
            outcome = list(original(solver, model))  # (status, interrupted, ...)
            if len(calls) == 2:
                outcome[0] = cp_model.FEASIBLE if found else cp_model.UNKNOWN
                outcome[1] = True
            return tuple(outcome)

        return solve_interruptibly

    kept = {}
    for found in (False, True):
        monkeypatch.setattr(cpsat_search, "solve_interruptibly", second_interrupted(found))
        kept[found] = solve_checked(catalog, program, log=True)
        light, proof = _phases(capfd.readouterr().out)
        assert light.startswith(f"phase {LIGHT_RUN}: FEASIBLE")
        assert proof.startswith(f"phase {PROOF_RUN}: ")
        assert kept[found].interrupted
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    greedy = solve_checked(catalog, program)
    assert kept[False].status is Status.FEASIBLE
    after, before, start = kept[True].objective, kept[False].objective, greedy.objective
    assert (after, before) == (24.0, 29.0)
    assert start is not None and before < start


@pytest.mark.parametrize("case", ["default", "gen-25x12"])
def test_the_search_leaves_its_plan_as_the_models_hint(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    # a re-plan's second search starts from the model's hint, so that must be the first
    # search's plan (it keeps the movement the second is held to): the light first run's
    # where it proves the bundled catalog's optimum, the proof run's on 25 x 12
    seen: list[tuple[dict[str, int], dict[str, int] | None]] = []
    original = cpsat_search.run

    def watched(plan_model: PlanModel, *args: Any, **options: Any) -> cpsat_search.Outcome:
        outcome = original(plan_model, *args, **options)
        hint = plan_model.model.proto.solution_hint
        values = dict(zip(hint.vars, hint.values))
        seen.append(
            (outcome.assignment, plan_model.variables.assignment(lambda v: values[v.index]))
        )
        return outcome

    monkeypatch.setattr(cpsat_search, "run", watched)
    solve_checked(*_case(case))
    assert seen and all(found == hinted for found, hinted in seen)


def _case(name: str) -> tuple[Catalog, Program]:
    """A case of the benchmark (`benchmarks.cases`) that needs no shared files, by name."""
    return instance(next(c for c in all_cases(quick=False) if c.name == name), Path())


def test_a_large_model_runs_a_bounded_neighbourhood_phase_then_neighbourhoods_again() -> None:
    # 30,000 literals: budget 30,000 x 5e-5 = 1.5 deterministic seconds for one worker,
    # then the interleaved neighbourhoods (above 20,000 literals) to the end
    schedule = Schedule(30_000, warm=True)
    first = schedule.next()
    assert first["max_deterministic_time"] == 1.5 and first["num_workers"] == 1
    assert not schedule.done
    assert schedule.next() == {"use_lns_only": True} and schedule.done


def test_a_middle_sized_model_runs_the_neighbourhoods_alone_to_the_end() -> None:
    schedule = Schedule(10_000, warm=True)
    assert schedule.next() == MIDDLE and schedule.done


def test_a_small_model_takes_turns_until_the_neighbourhoods_stall() -> None:
    # rounds: neighbourhoods 0.1, complete 0.1, neighbourhoods 0.2 (budget doubled after
    # each complete round); two neighbourhood rounds without a better plan end the rounds,
    # and the complete search (one worker's, with the LP's cuts) runs unbounded, last
    schedule = Schedule(500, warm=True, seed=3)
    first = schedule.next()
    assert first == {"use_lns_only": True, "max_deterministic_time": 0.1, "random_seed": 3000}
    schedule.record(improved=False)
    assert schedule.next() == {**SMALL_COMPLETE, "max_deterministic_time": 0.1}
    schedule.record(improved=True)  # a complete round's gain does not reset the count
    third = schedule.next()
    assert third["max_deterministic_time"] == 0.2 and third["random_seed"] == 3002
    schedule.record(improved=False)
    assert schedule.next() == SMALL_COMPLETE and schedule.done


def test_without_a_warm_start_only_the_last_phase_runs() -> None:
    for size, last in ((500, {"use_lns_only": False}), (10_000, MIDDLE)):
        schedule = Schedule(size, warm=False)
        assert schedule.next() == last and schedule.done


@pytest.mark.parametrize("start", [True, False])
def test_cp_sat_is_told_the_floor_only_when_the_search_starts_from_a_plan(
    monkeypatch: pytest.MonkeyPatch, start: bool
) -> None:
    # three content modules in one 4 h week: 1 h of content beyond its share, 0.5 h of it
    # past the band, weight 4: a floor of 2. From no plan, a neighbourhood run told the
    # floor ended early with a worse plan (150 all-content modules x 52 weeks), so CP-SAT
    # is told it only from a plan; the search knows it either way
    catalog = make_catalog(*(module(f"c{i}") for i in range(3)), module("s", "skill"))
    program = make_program(1, (Meeting("tue", "18:00", 4),))
    told: list[int] = []
    original = cpsat_search.hold_floor
    monkeypatch.setattr(cpsat_search, "hold_floor", lambda m, f: told.append(f) or original(m, f))
    if not start:
        monkeypatch.setattr(cpsat_search, "greedy_plan", lambda domains, deadline: None)
    result = solve_checked(catalog, program)
    assert told == ([2 * 8] if start else [0])  # model units: 8 an hour at a share of 1/2
    assert (result.status, result.objective, result.bound) == (Status.OPTIMAL, 2.0, 2.0)
