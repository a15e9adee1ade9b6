"""The cohorts' report with no plans (render/cohorts_report.py): it says whether plans were
shown impossible, and claims a verified change only when there is one."""

from __future__ import annotations

import pandas as pd
import pytest

from curriculum.explain import Conflict, Setting, Suggestion
from curriculum.render.cohorts_report import CohortsReportData, cohorts_report_html

CLASH = Conflict("Sam would need 2 h in the week of 2027-01-11 across 'A' and 'B'.")
FIX = Suggestion("let Sam teach up to 2 h", (Setting("x", 2, "set x = 2"),))


@pytest.mark.parametrize(
    ("status", "conflicts", "fix", "said", "not_said"),
    [
        ("unknown", (), None, "nor shown impossible", "No plans keep every rule"),
        ("infeasible", (), None, "The time ran out before the clashes were found", "verified"),
        ("infeasible", (CLASH,), None, "No single change that lets them was found", "(verified"),
        ("infeasible", (CLASH,), FIX, "the change (verified by re-solving)", "No single"),
    ],
)
def test_the_report_says_what_is_known_of_cohorts_with_no_plans(
    status: str,
    conflicts: tuple[Conflict, ...],
    fix: Suggestion | None,
    said: str,
    not_said: str,
) -> None:
    data = CohortsReportData("Year", status, (), pd.DataFrame(), conflicts, fix)
    html = cohorts_report_html(data)
    lede = html[html.index("<p>", html.index('class="lede"')) :]
    lede = lede[: lede.index("</p>")]
    assert said in lede
    assert not_said not in lede
