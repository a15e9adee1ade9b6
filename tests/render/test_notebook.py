"""Jupyter HTML of results and plans (render/notebook.py): status, weekly rows, conflicts,
and escaped text."""

from __future__ import annotations

import dataclasses
from html import escape

import pytest

import curriculum as cur
from curriculum.explain import Setting, Suggestion
from tests.builders import DEFAULT_PROGRAM, solve_checked

PROGRAM = DEFAULT_PROGRAM  # 12 weeks; `default_result` is the bundled catalog over it
HOSTILE = "<script>alert('x')</script> & <b>bold</b>"


@pytest.fixture(scope="module")
def hostile() -> cur.Result:
    """A catalog and programme whose text tries to inject HTML."""
    frame = cur.read_catalog().frame
    frame.loc[0, "title"] = HOSTILE
    program = dataclasses.replace(PROGRAM, name=HOSTILE)
    solved = solve_checked(cur.Catalog.from_frame(frame), program, seed=0)
    return dataclasses.replace(solved, warnings=(HOSTILE,))


def week_rows(weeks: int) -> list[str]:
    """The weekly table's rows start with the week number."""
    return [f"<tr><td>{week}</td><td>" for week in range(1, weeks + 1)]


def test_result_html_shows_status_objective_terms_and_weeks(default_result: cur.Result) -> None:
    html = default_result._repr_html_()
    assert "Result: optimal" in html
    for label in ("objective", "bound", "gap", "runtime"):
        assert f"<th>{label}</th>" in html
    for goal, measures in zip(
        default_result.objective_terms["goal"], default_result.objective_terms["measures"]
    ):
        assert f"<td>{goal}</td>" in html
        assert escape(measures) in html
    for row in week_rows(PROGRAM.weeks):
        assert html.count(row) == 1
    assert "duties start" in html


def test_plan_html_shows_weeks_and_every_session(default_result: cur.Result) -> None:
    plan = default_result.plan
    html = plan._repr_html_()
    for row in week_rows(PROGRAM.weeks):
        assert row in html
    for title in plan.sessions["title"]:
        assert f"<td>{escape(title)}</td>" in html
    first = plan.sessions.sort_values("start").iloc[0]
    assert f"<td>{first['start']:%a %d %b %H:%M}</td>" in html
    assert html.count("<tr>") == 2 + PROGRAM.weeks + len(plan.sessions)


def test_catalog_and_programme_text_is_escaped(hostile: cur.Result) -> None:
    for html in (hostile._repr_html_(), hostile.plan._repr_html_()):
        assert "<script>" not in html and "<b>bold" not in html
        assert escape(HOSTILE) in html


def test_infeasible_result_lists_conflicts_with_suggestions(impossible_result: cur.Result) -> None:
    infeasible = impossible_result
    assert infeasible.status is cur.Status.INFEASIBLE and infeasible.conflicts
    html = infeasible._repr_html_()
    assert "Result: infeasible" in html and "Why no plan exists" in html
    for conflict in infeasible.conflicts:
        assert escape(conflict.summary) in html
        for rule in conflict.rules:
            assert f"<li>{escape(rule)}</li>" in html
        for suggestion in conflict.suggestions:
            assert f"<li><em>Fix:</em> {escape(str(suggestion))}</li>" in html
    assert "<h5>Weeks</h5>" not in html


def test_conflict_text_is_escaped() -> None:
    fix = Suggestion(HOSTILE, (Setting("weeks", 3, HOSTILE),))
    conflict = cur.Conflict(HOSTILE, (HOSTILE,), (fix,))
    html = cur.Result(cur.Status.INFEASIBLE, None, None, 0.1, (conflict,))._repr_html_()
    assert "<script>" not in html
    assert html.count(escape(HOSTILE)) == 4  # headline, rule, and the fix's action and setting


def test_no_plan_without_conflicts_says_so() -> None:
    html = cur.Result(cur.Status.UNKNOWN, None, None, 10.0)._repr_html_()
    assert "No plan found (unknown)" in html
