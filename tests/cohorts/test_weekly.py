"""The cohorts' weekly stage (cpsat/cohort_weeks.py, `CohortsModel(weekly=True)`): the
weekly model is a relaxation with the same goals, weeks it chose that cannot be laid out
in meetings are ruled out and searched again, and its proven optimum laid out is the
optimum."""

from __future__ import annotations

import dataclasses

import pytest
from ortools.sat.python import cp_model

from benchmarks.cohorts import two_in_one_room
from curriculum import Cohort, Cohorts, Meeting, Status, Weights
from curriculum.cohorts.read import read_cohorts
from curriculum.cohorts.sharing import joint_places
from curriculum.cpsat import CohortsModel, SearchSettings, cohort_search, cohort_weeks
from curriculum.cpsat.cohort_weeks import _lay_out, weekly_start
from curriculum.cpsat.packing import packing_needs
from curriculum.meetings import meeting_slots
from tests.builders import ROOT, THU, TUE, make_catalog, make_program, module
from tests.builders import solve_cohorts_checked as checked

NO_GOALS = Weights(balance=0, weeks_without_skills=0, uneven_load=0, early_density=0)
FRI = Meeting("fri", "14:00", 2)
SETTINGS = SearchSettings(10.0)


def cohort(
    name: str, *rows: dict, meetings=(TUE,), weeks: int = 2, location: str = "Room 1", **changes
) -> Cohort:
    program = make_program(weeks, meetings, weights=NO_GOALS, location=location)
    return Cohort(name, make_catalog(*rows), dataclasses.replace(program, **changes))


def models(cohorts: Cohorts) -> tuple[CohortsModel, CohortsModel]:
    places = joint_places(cohorts)
    by_meeting = CohortsModel(cohorts, places)
    by_meeting.model.minimize(by_meeting.expression())
    return by_meeting, CohortsModel(cohorts, places, weekly=True)


def week_literal(model: CohortsModel, cohort: int, module_id: str, week: int) -> cp_model.IntVar:
    literals = model.parts[cohort].variables.week_literals[week]
    return next(var for module, var in literals if module.id == module_id)


ROOM = Cohorts(  # both meet Tuesdays 18:00-20:00 in Room 1 for two weeks: one a week
    cohorts=(cohort("A", module("a", hours=2)), cohort("B", module("b", hours=2)))
)


def test_weeks_that_pack_apart_but_not_together_are_named_together() -> None:
    # Each cohort's week 1 packs on its own; together they clash in the room. The layout
    # names both cohorts' weeks, which the weekly model then rules out.
    by_meeting, weekly = models(ROOM)
    for cohort_at, module_id in ((0, "a"), (1, "b")):
        weekly.model.add(week_literal(weekly, cohort_at, module_id, 1) == 1)
    solver = cp_model.CpSolver()
    assert solver.solve(weekly.model) == cp_model.OPTIMAL
    chosen = frozenset(
        var.index
        for part in weekly.parts
        for literals in part.variables.week_literals.values()
        for _, var in literals
        if solver.boolean_value(var)
    )
    laid = _lay_out(by_meeting, weekly, chosen, SETTINGS, 10.0)
    assert laid.solver is None
    core = laid.core
    assert sorted(sorted(v.index for v in literals) for literals in core) == sorted(
        [[week_literal(weekly, 0, "a", 1).index], [week_literal(weekly, 1, "b", 1).index]]
    )


def test_the_weekly_optimum_laid_out_is_proven_and_keeps_every_rule() -> None:
    by_meeting, _ = models(ROOM)
    start = weekly_start(by_meeting, SETTINGS, 10.0, 10.0)
    assert start.solver is not None and start.proven and not start.infeasible
    weeks = {
        part.cohort.name: next(
            w
            for w, literals in part.variables.week_literals.items()
            for _, var in literals
            if start.solver.boolean_value(var)
        )
        for part in by_meeting.parts
    }
    assert sorted(weeks.values()) == [1, 2]  # one cohort a week in the room
    result = checked(ROOM)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(0)


def test_a_week_a_joint_module_s_places_cannot_hold_is_ruled_out() -> None:
    # A and B meet Tue (A), Thu (B) and Fri 14:00-16:00 (both), one week. The joint 'care'
    # (1.5 h) and 'talk' (1.5 h) can only be on Friday, which holds 2 h: with both in the
    # week there is no plan, though 3 h fit in A's 4 h of meetings.
    rows = (module("care", hours=1.5), module("talk", hours=1.5))
    cohorts = Cohorts(
        cohorts=(
            cohort("A", *rows, meetings=(TUE, FRI), weeks=1),
            cohort("B", *rows, meetings=(THU, FRI), weeks=1),
        ),
        joint=("care", "talk"),
    )
    _, weekly = models(cohorts)
    assert cp_model.CpSolver().solve(weekly.model) == cp_model.INFEASIBLE
    assert checked(cohorts).status is Status.INFEASIBLE
    roomier = dataclasses.replace(
        cohorts,
        cohorts=tuple(
            dataclasses.replace(c, program=dataclasses.replace(c.program, weeks=2))
            for c in cohorts.cohorts
        ),
    )
    result = checked(roomier)
    assert result.status is Status.OPTIMAL
    assert sorted(result.plans["A"].sessions["week"]) == [1, 2]


def test_joint_modules_are_decided_only_in_their_places() -> None:
    # 'care' can only be on Friday (both cohorts there); by meeting, it has a decision on
    # each Friday only; A's own module keeps every meeting.
    rows = (module("care"),)
    cohorts = Cohorts(
        cohorts=(
            cohort("A", *rows, module("a"), meetings=(TUE, FRI)),
            cohort("B", *rows, module("b"), meetings=(THU, FRI)),
        ),
        joint=("care",),
    )
    by_meeting, _ = models(cohorts)
    part = by_meeting.parts[0]
    slots = {s.index: s for s in part.variables.calendar.slots}
    days = {
        module_id: sorted(slots[s].day.strftime("%a") for (m, s) in part.by_meeting().x if m == n)
        for n, module_id in enumerate(("care", "a"))
    }
    assert days == {"care": ["Fri", "Fri"], "a": ["Fri", "Fri", "Tue", "Tue"]}
    assert checked(cohorts).status is Status.OPTIMAL


def portfolio_finds_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """The weekly stage's portfolio "runs out of time" at once, without a plan."""
    solve = cohort_weeks.solve_interruptibly

    def no_portfolio_plan(solver, model, callback=None):
        if callback is not None and not solver.parameters.interleave_search:
            solver.solve(cp_model.CpModel())  # a response (no time spent), but no plan
            return cp_model.UNKNOWN, False
        return solve(solver, model, callback)

    monkeypatch.setattr(cohort_weeks, "solve_interruptibly", no_portfolio_plan)


def fixed_to(model: CohortsModel, weeks: dict[tuple[int, str], int]) -> cp_model.CpModel:
    """A copy of the model with each cohort's modules in the given weeks."""
    copy = model.model.clone()
    for (at, module_id), week in weeks.items():
        var = week_literal(model, at, module_id, week)
        copy.add(copy.get_bool_var_from_proto_index(var.index) == 1)
    return copy


def test_the_weekly_model_scores_plans_as_the_model_by_meeting_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The example (two cohorts, a shared facilitator with a cap, a joint module) over 11
    # weeks, where goals cost: the weeks of a plan by meeting (found by the weekly stage,
    # the search by meeting alone finds none in 20 s), fixed in both models, score the same
    # in both. The weekly stage's repeatable part only (its deterministic budget, then its
    # plan laid out): the portfolio after it runs to the wall clock, so a busy machine's
    # plan differs, and at 10 s may be none; the wall limits here are never what stops it.
    portfolio_finds_none(monkeypatch)
    example = read_cohorts(ROOT / "data" / "cohorts" / "cohorts.toml")
    shorter = dataclasses.replace(
        example,
        cohorts=tuple(
            dataclasses.replace(c, program=dataclasses.replace(c.program, weeks=11))
            for c in example.cohorts
        ),
    )
    by_meeting, weekly = models(shorter)
    weekly.model.minimize(weekly.expression())
    planned = weekly_start(by_meeting, SETTINGS, 60.0, 120.0).solver
    assert planned is not None
    weeks = {
        (part.position, module.id): week
        for part in by_meeting.parts
        for week, literals in part.variables.week_literals.items()
        for module, var in literals
        if planned.boolean_value(var)
    }
    scores = []
    for model in (by_meeting, weekly):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 20
        assert solver.solve(fixed_to(model, weeks)) == cp_model.OPTIMAL
        scores.append(solver.objective_value / model.scale)
    assert scores[0] == pytest.approx(scores[1]) and scores[0] > 0


def test_a_plan_the_meetings_forbid_whatever_the_weeks_is_proven_impossible() -> None:
    # Sam teaches both cohorts' module, each cohort meets only on Tuesday 18:00 at its own
    # site, for one week. The weekly model (no clashes) has a plan, which cannot be laid
    # out, and no other: the stage hands on no plan, and the search by meeting proves there
    # is none, and says why.
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("a", facilitator="Sam"), weeks=1, location="Site A"),
            cohort("B", module("b", facilitator="Sam"), weeks=1, location="Site B"),
        )
    )
    by_meeting, weekly = models(cohorts)
    assert cp_model.CpSolver().solve(weekly.model) == cp_model.OPTIMAL
    start = weekly_start(by_meeting, SETTINGS, 10.0, 10.0)
    assert start.solver is None and not start.proven
    result = checked(cohorts)
    assert result.status is Status.INFEASIBLE
    assert "Sam" in " ".join(str(c) for c in result.conflicts)


def test_modules_limited_to_some_meetings_fit_in_those() -> None:
    # Tue 2 h, Thu 2 h, Fri 1 h. 'x' and 'y' (1.5 h each) may only be on Tue or Fri: 3 h
    # against those meetings' 3 h fits as hours, but together with 'z' (1 h, Fri only)
    # 4 h do not: the week's cut names the three, not 'w' (free to go anywhere).
    program = make_program(1, (TUE, THU, Meeting("fri", "18:00", 1)))
    catalog = make_catalog(module("x", hours=1.5), module("y", hours=1.5), module("z"), module("w"))
    tue, thu, fri = meeting_slots(program)
    where = {"x": [tue, fri], "y": [tue, fri], "z": [fri], "w": [tue, thu, fri]}
    choices = [(m, m.id, where[m.id]) for m in catalog.modules]
    cuts = {
        (frozenset(v for _, v in terms), most)
        for terms, most in packing_needs([tue, thu, fri], choices)
    }
    assert (frozenset({"x", "y", "z"}), 12) in cuts


def test_a_joint_meeting_holds_only_what_its_cohorts_share() -> None:
    # One week; A, B and C all meet on Friday (2 h) only. 'care' is joint to A and B,
    # 'talk' to A and C: taught together, B would sit in a meeting with 'talk', which it
    # does not have, so they cannot share the Friday, and no plan exists. The weekly model
    # already knows (no week can hold both).
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("care"), module("talk"), meetings=(FRI,), weeks=1),
            cohort("B", module("care"), meetings=(FRI,), weeks=1),
            cohort("C", module("talk"), meetings=(FRI,), weeks=1),
        ),
        joint=("care", "talk"),
    )
    _, weekly = models(cohorts)
    assert cp_model.CpSolver().solve(weekly.model) == cp_model.INFEASIBLE
    assert checked(cohorts).status is Status.INFEASIBLE


def test_a_cohort_s_own_modules_keep_out_of_a_joint_meeting() -> None:
    # One week; A and B meet on Friday (2 h) only. 'care' (1 h) is joint; A's own 'a'
    # (1 h) fits in the hours but not beside 'care', whose meeting is B's too. The weekly
    # model already knows.
    cohorts = Cohorts(
        cohorts=(
            cohort("A", module("care"), module("a"), meetings=(FRI,), weeks=1),
            cohort("B", module("care"), meetings=(FRI,), weeks=1),
        ),
        joint=("care",),
    )
    _, weekly = models(cohorts)
    assert cp_model.CpSolver().solve(weekly.model) == cp_model.INFEASIBLE
    assert checked(cohorts).status is Status.INFEASIBLE


def weekly_searches(monkeypatch) -> list[tuple[bool, float]]:
    """Records each weekly search's (interleaved, deterministic limit) as it runs."""
    searches: list[tuple[bool, float]] = []
    solve = cohort_weeks.solve_interruptibly

    def recorded(solver, model, callback=None):
        if callback is not None:  # the weekly search (a layout has none)
            parameters = solver.parameters
            searches.append((parameters.interleave_search, parameters.max_deterministic_time))
        return solve(solver, model, callback)

    monkeypatch.setattr(cohort_weeks, "solve_interruptibly", recorded)
    return searches


def test_the_portfolio_goes_on_where_the_repeatable_search_stops(monkeypatch) -> None:
    # The example's weekly search needs more than 0.05 deterministic seconds to prove its
    # optimum: cut the repeatable (interleaved) search there, and the portfolio goes on
    # from its plan to prove it.
    monkeypatch.setattr(cohort_weeks, "REPEATABLE", 0.05)
    searches = weekly_searches(monkeypatch)
    example = read_cohorts(ROOT / "data" / "cohorts" / "cohorts.toml")
    by_meeting, _ = models(example)
    start = weekly_start(by_meeting, SETTINGS, 10.0, 20.0)
    assert searches[0] == (True, 0.05) and searches[1][0] is False
    assert start.solver is not None and start.proven
    assert start.solver.objective_value / by_meeting.scale == pytest.approx(0.5)
    result = checked(example)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(0.5)


def test_one_worker_s_weekly_search_stays_interleaved(monkeypatch) -> None:
    # One worker's portfolio would be a single search without neighbourhoods, and the
    # interleaved one repeats already: no switch, no deterministic limit.
    monkeypatch.setattr(cohort_weeks, "REPEATABLE", 0.05)
    searches = weekly_searches(monkeypatch)
    example = read_cohorts(ROOT / "data" / "cohorts" / "cohorts.toml")
    by_meeting, _ = models(example)
    start = weekly_start(by_meeting, SearchSettings(10.0, workers=1), 10.0, 20.0)
    assert searches and all(interleaved for interleaved, _ in searches)
    assert all(limit > 1e9 for _, limit in searches)  # CP-SAT's default: none
    assert start.solver is not None and start.proven
    result = checked(example, workers=1)
    assert result.status is Status.OPTIMAL and result.objective == pytest.approx(0.5)


def test_the_repeatable_part_s_plan_is_laid_out_when_the_portfolio_finds_none(
    monkeypatch,
) -> None:
    # Two cohorts in one room: at 0.1 deterministic seconds the interleaved search has a
    # plan, unproven. The portfolio "runs out of time" at once; that plan is still one of
    # the same model, and is laid out (unproven).
    monkeypatch.setattr(cohort_weeks, "REPEATABLE", 0.1)
    portfolio_finds_none(monkeypatch)
    by_meeting, _ = models(two_in_one_room())
    start = weekly_start(by_meeting, SETTINGS, 10.0, 20.0)
    assert start.solver is not None and not start.proven
    assert checked(two_in_one_room()).plans  # from that plan, every rule kept


def test_the_packing_callback_keeps_its_best_plan() -> None:
    _, weekly = models(ROOM)

    class Worse(cohort_weeks._Packing):
        objective_value = 20.0  # a later solution, worse than the one kept

    packing = Worse(weekly)
    packing.chosen, packing.objective = frozenset({1}), 10.0
    packing.on_solution_callback()
    assert packing.chosen == frozenset({1}) and packing.objective == 10.0


@pytest.mark.parametrize(
    ("limit", "weekly"), [(120.0, 96.0), (60.0, 48.0), (20.0, 10.0), (4.0, 2.0)]
)
def test_the_weekly_stage_leaves_twelve_seconds_a_fifth_or_half_the_limit(
    limit: float, weekly: float
) -> None:
    # the weekly stage has the limit less a reserve for the layout and the search by
    # meeting: 12 s or the layout's fifth of the limit, whichever is more, at most half
    assert cohort_search.weekly_seconds(limit) == weekly


def test_the_weekly_stage_gets_its_share_of_the_search_s_limit(monkeypatch) -> None:
    given: list[tuple[float, float]] = []
    original = cohort_search.weekly_start

    def watched(model: CohortsModel, settings: SearchSettings, *seconds: float):
        given.append(seconds)
        return original(model, settings, *seconds)

    monkeypatch.setattr(cohort_search, "weekly_start", watched)
    checked(ROOM, time_limit=60)
    ((weekly, search),) = given
    # the search has the 60 s less the plans' reserve (0.5 s) and the milliseconds the
    # checks and building this small model took
    assert 58 < search < 59.5
    assert weekly == cohort_search.weekly_seconds(search)
