"""Jupyter HTML of several cohorts (`Cohorts._repr_html_`, render/cohorts_notebook.py):
the cohorts as given, then how planning them together ended: each cohort's plan in a line
and each facilitator's load across the cohorts, or why there are no plans; text escaped."""

from __future__ import annotations

from html import escape

from curriculum import Cohort, Cohorts, Meeting, SharedFacilitator, Status
from tests.builders import THU, TUE, make_catalog, make_program, module, solve_cohorts_checked

HOSTILE = "<b>Sam</b> & co"
FRI = Meeting("fri", "14:00", 2)


def two_cohorts(cap: float) -> Cohorts:
    """A (Tue 18:00, Fri 14:00) and B (Thu 18:00, Fri 14:00) at the Centre for one week: the
    shared facilitator leads a 1 h module in each, and 'care' (1 h) is joint, taught once to
    both on Friday (the only meeting they share), which then holds nothing else."""
    lead = HOSTILE
    a = make_catalog(module("a", facilitator=lead), module("care"))
    b = make_catalog(module("b", facilitator=lead), module("care"))
    return Cohorts(
        name="Year <1>",
        cohorts=(
            Cohort("A", a, make_program(1, (TUE, FRI), location="Centre")),
            Cohort("B", b, make_program(1, (THU, FRI), location="Centre")),
        ),
        facilitators={lead: SharedFacilitator(cap)},
        joint=("care",),
    )


def test_the_cohorts_show_their_dates_meetings_shared_facilitators_and_joint_modules() -> None:
    html = two_cohorts(cap=2)._repr_html_()
    assert "<h4>Cohorts: Year &lt;1&gt;, 2 planned together</h4>" in html
    assert (
        "<tr><td>A</td><td>Mon 11 Jan 2027 to Sun 17 Jan 2027</td><td>UTC</td>"
        "<td>tue 18:00 (2 h), fri 14:00 (2 h)</td><td>2</td><td>2 h</td><td>to plan</td></tr>"
    ) in html
    assert f"<tr><td>{escape(HOSTILE)}</td><td>2 h</td><td>—</td></tr>" in html
    assert "<tr><td>care</td><td>A, B</td></tr>" in html
    assert "<b>" not in html


def test_a_result_shows_each_cohorts_plan_and_each_facilitators_load_across_them() -> None:
    # 'a' on A's Tuesday, 'b' on B's Thursday, 'care' on Friday for both: the facilitator
    # teaches 2 h in the week of Mon 11 Jan, across A and B
    result = solve_cohorts_checked(two_cohorts(cap=2))
    assert result.status is Status.OPTIMAL
    html = result._repr_html_()
    assert "<h4>Cohorts &#x27;Year &lt;1&gt;&#x27;: optimal</h4>" in html
    assert "<th>gap</th><td>0.0%</td>" in html
    for name, first in (("A", "Tue 12 Jan 2027 18:00"), ("B", "Thu 14 Jan 2027 18:00")):
        row = f"<tr><td>{name}</td><td>2</td><td>2 h</td><td>{first}</td>"
        assert f"{row}<td>Fri 15 Jan 2027 14:00</td></tr>" in html
    assert (
        f"<tr><td>{escape(HOSTILE)}</td><td>1</td><td>2 h</td>"
        "<td>of Mon 11 Jan 2027 (A, B)</td><td>2 h</td><td>2 h</td></tr>"
    ) in html
    assert "<b>" not in html


def test_a_result_with_no_plans_shows_why_and_no_load() -> None:
    # 2 h across the cohorts in the one week, against a cap of 1 h
    result = solve_cohorts_checked(two_cohorts(cap=1))
    assert result.status is Status.INFEASIBLE and result.conflicts
    html = result._repr_html_()
    assert "Why no plan exists" in html
    assert escape(result.conflicts[0].summary) in html
    assert "<h5>Plans</h5>" not in html and "load across" not in html
