"""curriculum.sweep: scenarios from varied keys and given ones, one row each, the same
frame whatever runs them, bad values and impossible programmes as rows, Ctrl-C."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from concurrent.futures import Executor
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from curriculum import (
    Catalog,
    InfeasibleError,
    Load,
    NotRunError,
    Program,
    ProgramError,
    ScenarioError,
    Status,
    Sweep,
    sweep,
)
from curriculum.goals import Goal
from tests.builders import THU, TUE, checked, make_program

matplotlib.use("Agg")

# The tiny catalog (1 h content 'a', 1 h skill 'b', density 2) over 1, 2 or 0 weeks of
# Tue and Thu 2 h meetings, with a weekly cap of 1 or 2 hours (no ramp, no duties):
VARY = {"weeks": [1, 2, 0], "load.max_hours_per_week": [1, 2]}
# 0 (1 week, cap 1): 1 h of room for 2 h of modules: infeasible.
# 1 (1 week, cap 2): both in week 1, 1 h content of 2 (the target share): every goal met.
# 2 (2 weeks, cap 1): one module a week; the week with 'a' has no skills: objective 20.
# 3 (2 weeks, cap 2): together, the empty week has no skills; apart, the week with 'a'
#   has none: 1 week without skills either way, objective 20.
# 4, 5 (0 weeks): not a programme.
COLUMNS = ["weeks", "load.max_hours_per_week", "status", "objective", "bound"]
COLUMNS += [goal.value for goal in Goal]
COLUMNS += ["runtime", "weeks_used", "peak_hours", "explanation", "error"]


@pytest.fixture(scope="module")
def base() -> Program:
    return make_program(2, (TUE, THU))


@pytest.fixture(scope="module")
def here(tiny_catalog: Catalog, base: Program) -> Sweep:
    """The sweep solved in this process."""
    return sweep(tiny_catalog, base, VARY, time_limit=10, progress=False)


def test_one_row_per_scenario_in_the_order_of_the_keys(here: Sweep) -> None:
    frame = here.frame
    assert list(frame.columns) == COLUMNS
    assert frame.index.name == "scenario"
    assert list(frame.index) == list(range(6))
    # the first key changes slowest, as in itertools.product
    assert list(frame["weeks"]) == [1, 1, 2, 2, 0, 0]
    assert list(frame["load.max_hours_per_week"]) == [1, 2, 1, 2, 1, 2]
    assert list(frame["status"]) == [
        "infeasible",
        "optimal",
        "optimal",
        "optimal",
        "error",
        "error",
    ]
    assert len(here) == 6
    assert str(here) == "Sweep of 6 scenarios: 3 with a plan, 1 proven impossible, 2 failed"


def test_each_row_holds_the_result_derived_by_hand(here: Sweep) -> None:
    frame = here.frame
    both = frame.loc[1]  # every goal met, both modules in week 1: 2 h
    assert (both["objective"], both["bound"], both["weeks_used"], both["peak_hours"]) == (
        0,
        0,
        1,
        2,
    )
    apart = frame.loc[2]  # one week without skills (weight 20), 1 h a week over 2 weeks
    assert (apart["objective"], apart["weeks_without_skills"], apart["weeks_used"]) == (20, 1, 2)
    assert apart["peak_hours"] == 1
    assert (apart["balance"], apart["uneven_load"], apart["early_density"]) == (0, 0, 0)
    assert frame.loc[3, "objective"] == 20
    assert frame.loc[1:3, "explanation"].tolist() == ["", "", ""]
    assert frame.loc[0:3, "error"].tolist() == ["", "", "", ""]
    assert frame.loc[0:3, "runtime"].gt(0).all()


def test_every_plan_passes_the_checker(here: Sweep) -> None:
    for index in (1, 2, 3):
        result = here.result(index)
        assert checked(result) is here.plan(index)
        assert here.frame.loc[index, "objective"] == result.objective


def test_an_impossible_scenario_is_a_row_with_the_first_line_of_why(here: Sweep) -> None:
    row = here.frame.loc[0]
    assert math.isnan(row["objective"]) and pd.isna(row["weeks_used"])
    # 1 week x 1 h cap against 2 h of modules
    assert row["explanation"].startswith(
        "Week 1 allows 1 hours in all, but the 2 modules of the catalog need 2 hours."
    )
    assert here.result(0).status is Status.INFEASIBLE
    with pytest.raises(InfeasibleError):
        here.plan(0)


def test_a_bad_value_is_a_row_naming_the_scenario_and_the_key(here: Sweep) -> None:
    row = here.frame.loc[4]
    assert row["error"] == "scenario 4, key 'weeks': weeks must be a positive whole number, not 0"
    assert math.isnan(row["objective"]) and math.isnan(row["runtime"])
    with pytest.raises(ProgramError, match="scenario 5, key 'weeks'"):
        here.result(5)


def test_the_frame_is_the_same_whatever_runs_it(
    here: Sweep, executor: Executor | None, tiny_catalog: Catalog, base: Program
) -> None:
    there = sweep(tiny_catalog, base, VARY, executor=executor, time_limit=10, progress=False)
    pd.testing.assert_frame_equal(
        there.frame.drop(columns="runtime"), here.frame.drop(columns="runtime")
    )
    for index in (1, 2, 3):
        pd.testing.assert_frame_equal(there.plan(index).sessions, here.plan(index).sessions)
        checked(there.result(index))


def test_progress_counts_the_scenarios_as_they_finish(
    executor: Executor | None, tiny_catalog: Catalog, base: Program
) -> None:
    reports: list[tuple[int, int, int]] = []
    sweep(tiny_catalog, base, VARY, executor=executor, progress=lambda *r: reports.append(r))
    # the 4 scenarios that make a programme are solved; the 2 bad ones never leave here
    assert [r[0] for r in reports] == [1, 2, 3, 4]
    assert {r[2] for r in reports} == {4}


def test_an_interrupt_returns_what_finished(tiny_catalog: Catalog, base: Program) -> None:
    def interrupt(finished: int, failed: int, total: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C as the first scenario finishes

    stopped = sweep(tiny_catalog, base, VARY, progress=interrupt)
    assert stopped.interrupted
    assert list(stopped.frame["status"]) == [
        "infeasible",
        "cancelled",
        "cancelled",
        "cancelled",
        "error",
        "error",
    ]
    assert stopped.frame.loc[1, "error"] == "not run: the sweep was interrupted"
    assert str(stopped).endswith("2 failed, 3 not run (interrupted)")
    with pytest.raises(NotRunError, match="scenario 1 did not run"):
        stopped.result(1)


SIGINT_DURING_SWEEP = """
import json, os, signal, threading
from datetime import date
import curriculum as cur
program = cur.Program(start=date(2027, 1, 11), timezone="UTC",
                      balance=cur.Balance(content_share=0.7))
threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
found = cur.sweep(cur.read_catalog(), program, {"weeks": [12, 13, 14, 15]}, time_limit=8,
                  progress=False)
print(json.dumps({"interrupted": found.interrupted, "status": list(found.frame["status"]),
                  "error": list(found.frame["error"]),
                  "checked": [found.plan(i).check() for i in range(4)
                              if found.frame.loc[i, "status"] in ("optimal", "feasible")]}))
"""


def test_a_real_ctrl_c_keeps_the_best_plan_so_far_and_cancels_the_rest(tmp_path: Path) -> None:
    script = tmp_path / "sweep.py"
    script.write_text(SIGINT_DURING_SWEEP, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["interrupted"] is True
    # a content share of 0.7 keeps the first search busy for about 6 s, past the interrupt
    # (as in test_solve's Ctrl-C test): it returns its best plan so far; the rest never run
    assert outcome["error"][0] == "interrupted (Ctrl-C): the best plan found before it"
    assert outcome["status"][0] in ("optimal", "feasible")
    assert outcome["status"][1:] == ["cancelled"] * 3
    assert outcome["checked"] == [[]]


# ------------------------------------------------------------------ scenarios


def test_given_scenarios_are_crossed_with_the_varied_keys(
    tiny_catalog: Catalog, base: Program
) -> None:
    other = make_program(1, (TUE,), name="One Tuesday", load=Load(max_hours_per_week=2))
    found = sweep(
        tiny_catalog,
        base,
        {"balance.content_share": [0.5, 0.4]},
        scenarios=[{"weeks": 1}, other],
        progress=False,
    )
    frame = found.frame
    assert list(frame.columns[:3]) == ["weeks", "balance.content_share", "program"]
    assert frame["weeks"].tolist()[:2] == [1, 1]
    assert frame["program"].tolist()[2:] == ["One Tuesday", "One Tuesday"]
    assert frame["balance.content_share"].tolist() == [0.5, 0.4, 0.5, 0.4]
    # one week of a 2 h meeting either way: both modules in week 1
    assert frame["weeks_used"].tolist() == [1, 1, 1, 1]
    assert found.plan(2).program.name == "One Tuesday"
    assert found.plan(1).program.balance.content_share == 0.4
    assert found.plan(1).program.load == base.load  # only what is named changes


@pytest.mark.parametrize(
    ("vary", "scenarios", "words"),
    [
        ({"weeks": 12}, None, "vary['weeks'] must be a list of values, not 12"),
        ({"weeks": "12"}, None, "vary['weeks'] must be a list of values"),
        ({"weeks": []}, None, "vary['weeks'] has no values"),
        ({"weeks": [1]}, [{"weeks": 2}], "key 'weeks' is both varied and set here"),
        ({}, [], "there are no scenarios to sweep"),
        ({"balance": [{"content_share": 0.4}]}, None, "key 'balance' has the name of a column"),
    ],
)
def test_scenarios_that_are_not_a_set_of_scenarios_are_an_error(
    tiny_catalog: Catalog, base: Program, vary: dict, scenarios: list | None, words: str
) -> None:
    with pytest.raises(ScenarioError, match=words.replace("[", r"\[").replace("]", r"\]")):
        sweep(tiny_catalog, base, vary, scenarios, progress=False)


def test_an_executor_must_be_an_executor(tiny_catalog: Catalog, base: Program) -> None:
    with pytest.raises(TypeError, match=r"Client\(address\).get_executor\(\)"):
        sweep(tiny_catalog, base, {"weeks": [1]}, executor=object())  # type: ignore[arg-type]


# ------------------------------------------------------------------ outputs


def test_the_csv_has_a_row_per_scenario_and_is_safe_in_a_spreadsheet(
    tiny_catalog: Catalog, base: Program, tmp_path: Path
) -> None:
    found = sweep(tiny_catalog, base, {"name": ["=HYPERLINK(1)", "Plain"]}, progress=False)
    text = found.to_csv(tmp_path / "sweep.csv")
    assert (tmp_path / "sweep.csv").read_text(encoding="utf-8") == text
    back = pd.read_csv(tmp_path / "sweep.csv")
    assert list(back.columns) == ["scenario", "name", *COLUMNS[2:]]
    # a formula is written with a leading apostrophe; plain text as it is
    assert back["name"].tolist() == ["'=HYPERLINK(1)", "Plain"]
    assert back["status"].tolist() == ["optimal", "optimal"]


def test_the_page_compares_the_scenarios_with_each_plan(here: Sweep, tmp_path: Path) -> None:
    page = here.to_html(tmp_path / "sweep.html")
    assert (tmp_path / "sweep.html").read_text(encoding="utf-8") == page
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 3  # one chart per plan: scenarios 1, 2 and 3
    assert "Scenario 2: weeks = 2, load.max_hours_per_week = 1" in page
    # the heat map: weeks across (1, 2, 0), the cap down (1, 2); grey and why, or the value
    assert '<table class="heat">' in page
    assert ">infeasible</td>" in page and ">error</td>" in page
    assert "scenario 4, key &#x27;weeks&#x27;" in page  # why scenario 4 has no plan, escaped
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_the_notebook_shows_the_sentence_and_the_frame(here: Sweep) -> None:
    html = here._repr_html_()
    assert "Sweep of 6 scenarios: 3 with a plan" in html
    assert html.count("<tr>") == 7  # a header and 6 scenarios


def test_the_plot_is_a_heat_map_over_the_first_two_keys(here: Sweep) -> None:
    ax = here.plot()
    assert ax.get_xlabel() == "weeks"
    assert ax.get_ylabel() == "load.max_hours_per_week"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "0"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2"]
    # row by row (cap 1, then cap 2), across weeks 1, 2, 0
    assert [t.get_text() for t in ax.texts] == ["infeasible", "20", "error", "0", "20", "error"]


def test_a_sweep_of_nothing_varied_has_no_axes_to_plot(
    tiny_catalog: Catalog, base: Program
) -> None:
    found = sweep(tiny_catalog, base, scenarios=[base], progress=False)
    assert found.keys == ["program"]
    with pytest.raises(KeyError, match="'nope' is not a column"):
        found.plot(x="nope")
