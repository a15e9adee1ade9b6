"""The cohorts' weekly stage (cpsat/cohort_weeks.py, `CohortsModel(weekly=True)`): the
weekly model is a relaxation with the same goals, weeks it chose that cannot be laid out
in meetings are ruled out and searched again, and its proven optimum laid out is the
optimum."""

from __future__ import annotations

import dataclasses

import pytest
from ortools.sat.python import cp_model

import curriculum.cpsat.cohort_search as cohort_search
from curriculum import Cohort, Cohorts, Meeting, Status, Weights
from curriculum.cohorts.read import read_cohorts
from curriculum.cohorts.sharing import joint_places
from curriculum.cpsat import CohortsModel, SearchSettings
from curriculum.cpsat.cohort_weeks import _lay_out, weekly_applies, weekly_start
from tests.builders import ROOT, THU, TUE, make_catalog, make_program, module
from tests.builders import solve_cohorts_checked as checked

NO_GOALS = Weights(balance=0, weeks_without_skills=0, uneven_load=0, early_density=0)
FRI = Meeting("fri", "14:00", 2)
SETTINGS = SearchSettings(10.0)


def cohort(name: str, *rows: dict, meetings=(TUE,), weeks: int = 2, **changes) -> Cohort:
    program = make_program(weeks, meetings, weights=NO_GOALS, location="Room 1")
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
    core = _lay_out(by_meeting, weekly, chosen, SETTINGS, 10.0)
    assert isinstance(core, list)
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


def test_the_weekly_model_scores_plans_as_the_model_by_meeting_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The example (two cohorts, a shared facilitator with a cap, a joint module; optimum
    # 0.5): with and without the weekly stage, the same optimum.
    example = read_cohorts(ROOT / "data" / "cohorts" / "cohorts.toml")
    assert weekly_applies(models(example)[0])
    with_weeks = checked(example, time_limit=30)
    monkeypatch.setattr(cohort_search, "weekly_applies", lambda _: False)
    without = checked(example, time_limit=30)
    assert with_weeks.status is without.status is Status.OPTIMAL
    assert with_weeks.objective == pytest.approx(without.objective) == pytest.approx(0.5)
