"""Two plans side by side (compare.py): what moved, the weekly load of each and each goal,
for plans or results, with a notebook display."""

from __future__ import annotations

from html import escape

import pandas as pd
import pytest

import curriculum as cur
from tests.builders import THU, TUE, make_catalog, make_program, module, solve_checked

# Two weeks of Tue and Thu 2 h meetings (4 h a week, caps 4 h), no ramp, no duties.
PROGRAM = make_program(2, (TUE, THU))
CATALOG = make_catalog(module("a"), module("b", "skill"))


def test_what_moved_the_weekly_load_and_the_goals() -> None:
    # first: 'a' and 'b' both in week 1 (Tue, Thu); second: 'b' on Tue of week 2.
    first = cur.Plan.from_assignment(CATALOG, PROGRAM, {"a": 0, "b": 1})
    second = cur.Plan.from_assignment(CATALOG, PROGRAM, {"a": 0, "b": 2})
    compared = cur.compare(first, second, names=("first", "second"))
    assert compared.moved[["module", "change", "week_change"]].values.tolist() == [
        ["b", "moved", 1]
    ]
    assert list(compared.moved.columns[3:5]) == ["start (first)", "start (second)"]
    weekly = compared.weekly
    assert weekly[("hours", "first")].tolist() == [2.0, 0.0]
    assert weekly[("hours", "second")].tolist() == [1.0, 1.0]
    assert weekly[("hours", "change")].tolist() == [-1.0, 1.0]
    assert weekly[("usable_hours", "second")].tolist() == [4.0, 4.0]
    # Both weeks teach (4 h each). first: week 2 has no skills (1); second: week 1 (1).
    # Balance: first week 1 is 1 of 2 h content, on target; second has 1 h a week, 0.5 h
    # off, inside the band. Load: 2 h over two weeks of equal room, 1 h each; first's
    # weeks stray by 1 h, inside the band. So 20 × 1 each.
    goals = compared.goals
    assert goals.loc["weeks_without_skills", ["first", "second", "change"]].tolist() == [1, 1, 0]
    assert goals.loc["balance", ["first", "second"]].tolist() == [0, 0]
    assert goals.loc["total", ["first", "second"]].tolist() == [20, 20]
    assert (
        goals.loc["weeks_without_skills", "label"] == "skills practice every teaching week [4][5]"
    )


def test_modules_only_one_plan_has_are_added_or_removed() -> None:
    other = make_catalog(module("a"), module("c", "skill"))
    first = cur.Plan.from_assignment(CATALOG, PROGRAM, {"a": 0, "b": 1})
    second = cur.Plan.from_assignment(other, PROGRAM, {"a": 0, "c": 1})
    moved = cur.compare(first, second).moved
    assert moved[["module", "change"]].values.tolist() == [["c", "added"], ["b", "removed"]]


@pytest.mark.parametrize("other", [CATALOG, make_catalog(module("a"))])
def test_times_in_a_zone_when_nothing_moved_or_one_side_has_none(other: cur.Catalog) -> None:
    # Before: "Can only use .dt accessor with datetimelike values" (a traceback from
    # `curriculum compare`, which always passes a zone) where no module moved, or where
    # the modules only one plan has leave the other side's start empty
    first = cur.Plan.from_assignment(CATALOG, PROGRAM, {"a": 0, "b": 1})
    second = cur.Plan.from_assignment(
        other, PROGRAM, {"a": 0, "b": 1} if other is CATALOG else {"a": 0}
    )
    moved = cur.compare(first, second, timezone="Asia/Tokyo").moved
    expected = [] if other is CATALOG else [["b", "removed"]]
    assert moved[["module", "change"]].values.tolist() == expected
    for column in ("start (A)", "start (B)"):
        assert str(moved[column].dt.tz) == "Asia/Tokyo"
    if expected:
        assert moved["start (A)"].iloc[0] == first.sessions["start"].iloc[1]
        assert pd.isna(moved["start (B)"].iloc[0])


def test_results_compare_by_their_plans_and_show_in_a_notebook() -> None:
    first = solve_checked(CATALOG, PROGRAM)
    holiday = make_program(2, (TUE, THU), holidays=(first.plan.sessions["start"].iloc[0].date(),))
    second = solve_checked(CATALOG, holiday)
    compared = cur.compare(first, second, names=("plan", "<what if>"))
    html = compared._repr_html_()
    assert escape("<what if>") in html and "<what if>" not in html
    for label in compared.goals["label"]:
        assert escape(label) in html
    assert html.count("<tr><td>1</td>") == 1 and html.count("<tr><td>2</td>") == 1


def test_two_names_and_a_plan_are_needed() -> None:
    plan = cur.Plan.from_assignment(CATALOG, PROGRAM, {"a": 0, "b": 1})
    with pytest.raises(ValueError, match="two names"):
        cur.compare(plan, plan, names=("same", "same"))
    for names in ("ab", ("a", "b", "c"), ("a", 2)):  # errors from inside pandas, they were
        with pytest.raises(ValueError, match="names must be two texts"):
            cur.compare(plan, plan, names=names)  # type: ignore[arg-type]
    nothing = cur.Result(cur.Status.INFEASIBLE, None, None, 0.1)
    with pytest.raises(cur.InfeasibleError):
        cur.compare(plan, nothing)
