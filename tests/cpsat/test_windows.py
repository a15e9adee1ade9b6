"""Rounds of windows of weeks (cpsat/windows.py): each window keeps a module near its week,
the rounds improve the greedy plan and keep every rule, and `solve()` gives the same
optimum and the same plan through them."""

from __future__ import annotations

import dataclasses
import time

import pandas as pd
import pytest

import curriculum.cpsat.search as cpsat_search
import curriculum.cpsat.windows as cpsat_windows
from benchmarks import generator
from curriculum import Catalog, Plan, Status
from curriculum.cpsat.domains import Domains
from curriculum.cpsat.objective import Objective
from curriculum.cpsat.solver import SearchSettings
from curriculum.cpsat.warm_start import greedy_plan
from curriculum.cpsat.windows import windowed
from curriculum.goals import score
from curriculum.meetings import MeetingCalendar
from curriculum.replanning import Pins
from curriculum.solve import ROUNDS_CUT
from tests.builders import solve_checked


def _domains(modules: int, weeks: int, seed: int) -> Domains:
    catalog, program = generator.generate(modules, weeks, 2, seed)
    return Domains(catalog, MeetingCalendar.of(program), Pins())


def _objective(domains: Domains, placed: dict[int, int]) -> float:
    """A plan's objective, scored from its frames (independently of the model)."""
    catalog, program = domains.catalog, domains.program
    assignment = {catalog.modules[m].id: s for m, s in placed.items()}
    plan = Plan.from_assignment(catalog, program, assignment)
    assert plan.check() == []
    weights = program.weights
    goals = score(plan.sessions, plan.weekly, program)
    return sum(goal.weight(weights) * value for goal, value in goals.items())


def test_a_window_keeps_each_module_within_its_reach_of_its_week() -> None:
    domains = _domains(20, 8, seed=1)
    narrow = domains.around(dict.fromkeys(domains.options, 4), 1)
    for m, slots in narrow.options.items():
        assert {s.week for s in slots} <= {3, 4, 5}
        assert set(slots) <= set(domains.options[m])
        assert [s for s in domains.options[m] if 3 <= s.week <= 5] == slots
    assert domains.options != narrow.options  # the full domains are left as they were


@pytest.mark.parametrize("seed", [1, 2])
def test_rounds_improve_the_greedy_plan_and_keep_every_rule(seed: int) -> None:
    domains = _domains(50, 12, seed)
    placed = greedy_plan(domains)
    assert placed is not None
    rounds = windowed(domains, placed, SearchSettings(30.0), time.monotonic() + 30)
    assert rounds is not None and rounds.rounds >= 1
    greedy = _objective(domains, placed)
    found = _objective(domains, rounds.placed)
    assert found == pytest.approx(rounds.objective / rounds.scale)
    assert found < greedy


def test_solve_through_windows_finds_the_same_optimum_and_the_same_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every round and phase here ends on its deterministic limit, or on a proof: the wall
    # limit (the rounds have 60% of it) is never what stops one, even on a busy machine.
    catalog, program = generator.generate(50, 12, 2, 3)
    whole = solve_checked(catalog, program, time_limit=120)
    monkeypatch.setattr(cpsat_search, "WINDOWS_ABOVE", 0)
    first = solve_checked(catalog, program, time_limit=120)
    again = solve_checked(catalog, program, time_limit=120)
    assert whole.status is first.status is Status.OPTIMAL
    assert first.objective == whole.objective
    pd.testing.assert_frame_equal(first.plan.sessions, again.plan.sessions)


def test_rounds_the_clock_cut_short_are_said_to_be(monkeypatch: pytest.MonkeyPatch) -> None:
    # The rounds stop at 60% of the time limit; cut there, the plan is not the one a longer
    # limit repeats (50 x 12 at 5 s was "optimal", with no warning, in another plan than
    # at 6 s and 120 s). A round without its own budget, and the rounds' share of 2.4 s,
    # stand for a limit too short for the rounds. Its optimum 7 is the objective's floor,
    # which ends rounds that reach it, proven: a floor of 0 stands for a catalog without.
    catalog, program = generator.generate(50, 12, 2, 3)
    monkeypatch.setattr(cpsat_search, "WINDOWS_ABOVE", 0)
    monkeypatch.setattr(Objective, "floor", lambda self, domains: 0)
    whole = solve_checked(catalog, program, time_limit=120)
    assert ROUNDS_CUT not in whole.warnings
    monkeypatch.setattr(cpsat_windows, "ROUND", 1000.0)
    monkeypatch.setattr(cpsat_search, "SHARE", 0.02)
    cut = solve_checked(catalog, program, time_limit=120)
    assert ROUNDS_CUT in cut.warnings
    assert cut.status is whole.status is Status.OPTIMAL and cut.objective == whole.objective
    # and when the clock stops them before their first round (the greedy plan and the
    # options took their whole share)
    monkeypatch.setattr(cpsat_search, "SHARE", 0.0)
    assert ROUNDS_CUT in solve_checked(catalog, program, time_limit=120).warnings
    # but not where no round would ever run: over 6 weeks the narrowest windows hold more
    # than half the model, so it is searched whole at once
    short = generator.generate(30, 6, 2, 3)
    assert ROUNDS_CUT not in solve_checked(*short, time_limit=120).warnings


def test_rounds_that_reach_the_objectives_floor_end_the_search_proven() -> None:
    # every module content: 12 weeks without skills practice and the catalog's own content
    # gap, which no plan escapes; the rounds reach that floor, stop, and prove their plan
    catalog, program = generator.generate(50, 12, 2, 3)
    content = tuple(dataclasses.replace(m, kind="content") for m in catalog.modules)
    catalog = Catalog(content, source="all content")
    domains = Domains(catalog, MeetingCalendar.of(program), Pins())
    placed = greedy_plan(domains)
    assert placed is not None
    rounds = windowed(domains, placed, SearchSettings(120.0), time.monotonic() + 120)
    assert rounds is not None and rounds.objective == rounds.floor > 0
    assert _objective(domains, rounds.placed) == pytest.approx(rounds.floor / rounds.scale)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cpsat_search, "WINDOWS_ABOVE", 0)
        patch.setattr(cpsat_search, "run", lambda *args: pytest.fail("searched after them"))
        result = solve_checked(catalog, program, time_limit=120)
        again = solve_checked(catalog, program, time_limit=120)
    assert result.status is Status.OPTIMAL
    assert result.objective == result.bound == rounds.floor / rounds.scale
    pd.testing.assert_frame_equal(result.plan.sessions, again.plan.sessions)
