"""What a solve returns (result.py): the plan or the conflicts, the gap between objective
and bound, the objective explained goal by goal, and the facts a report shows."""

from __future__ import annotations

import pytest

from curriculum import Conflict, InfeasibleError, Load, Result, Status
from curriculum.goals import Goal
from tests.builders import make_catalog, make_program, module, solve_checked


def feasible(objective: float | None = 10.0, bound: float | None = 8.0) -> Result:
    return Result(Status.FEASIBLE, objective, bound, runtime=1.5)


def test_no_plan_raises_infeasible_error_with_the_conflicts() -> None:
    # 2 h modules and one 2 h meeting a week under a 1 h cap: 'big' fits no week
    catalog = make_catalog(module("big", hours=2), module("b", "skill"))
    result = solve_checked(catalog, make_program(2, load=Load(1, 10)))
    assert result.status is Status.INFEASIBLE
    assert result.objective is None and result.bound is None
    assert result.goals == {}
    assert result.conflicts
    with pytest.raises(InfeasibleError) as raised:
        result.plan  # noqa: B018
    assert isinstance(raised.value, ValueError)
    assert raised.value.conflicts == result.conflicts
    assert "'Big'" in str(raised.value)
    assert "infeasible" in str(result)


@pytest.mark.parametrize(
    ("objective", "bound", "gap"),
    [
        (10.0, 8.0, 0.2),  # |10 - 8| / 10
        (0.5, 0.0, 0.5),  # divided by at least 1: |0.5 - 0| / 1
        (4.0, 4.0, 0.0),
        (None, None, None),
    ],
)
def test_gap_is_the_distance_from_objective_to_bound(
    objective: float | None, bound: float | None, gap: float | None
) -> None:
    assert feasible(objective, bound).gap == gap


def test_facts_say_status_objective_bound_gap_and_runtime() -> None:
    assert feasible().facts() == [
        ("status", "feasible"),
        ("objective", "10"),
        ("bound", "8"),
        ("gap", "20.0%"),
        ("runtime", "1.50 s"),
    ]
    none = Result(Status.UNKNOWN, None, None, runtime=0.25, interrupted=True)
    facts = dict(none.facts())
    assert (facts["objective"], facts["bound"], facts["gap"]) == ("—", "—", "—")
    assert facts["interrupted"].startswith("yes")


def test_objective_terms_weigh_each_goal() -> None:
    # value x weight = contribution: 0.5 x 4 = 2 and 1 x 20 = 20; a goal with no weight is 0
    goals = {Goal.BALANCE: 0.5, Goal.WEEKS_WITHOUT_SKILLS: 1.0, Goal.EARLY_DENSITY: 3.0}
    weights = {Goal.BALANCE: 4, Goal.WEEKS_WITHOUT_SKILLS: 20}
    result = Result(Status.OPTIMAL, 22.0, 22.0, 0.1, goals=goals, weights=weights)
    terms = result.objective_terms.set_index("goal")
    assert terms["contribution"].to_dict() == {
        "balance": 2.0,
        "weeks_without_skills": 20.0,
        "early_density": 0.0,
    }
    assert terms.loc["early_density", "weight"] == 0
    assert terms.loc["balance", "measures"] == Goal.BALANCE.measures


def test_str_is_one_line_and_one_line_per_conflict() -> None:
    assert str(feasible()) == "feasible, objective 10 (bound 8) in 1.50 s"
    conflicts = (Conflict("weeks 1-2 allow 4 hours"), Conflict("'a' needs 'b' first"))
    infeasible = Result(Status.INFEASIBLE, None, None, 0.5, conflicts)
    assert str(infeasible).splitlines() == [
        "infeasible in 0.50 s",
        "  - weeks 1-2 allow 4 hours",
        "  - 'a' needs 'b' first",
    ]


def test_no_plan_and_no_conflicts_still_says_why() -> None:
    with pytest.raises(InfeasibleError, match=r"no plan found \(unknown\)"):
        Result(Status.UNKNOWN, None, None, 10.0).plan  # noqa: B018
