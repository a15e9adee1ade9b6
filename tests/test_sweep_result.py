"""curriculum.sweep_result: one row per scenario with its result derived by hand, the plans
through the checker, the CSV, the page, the notebook display and the heat map."""

from __future__ import annotations

import dataclasses
import math
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from curriculum import (
    Catalog,
    InfeasibleError,
    Program,
    ProgramError,
    Status,
    Sweep,
    sweep,
)
from curriculum.errors import Problem
from curriculum.goals import Goal
from curriculum.render.sweeps import heat_grid
from curriculum.result import Result
from curriculum.scenario import Scenario, Solved
from tests.builders import SWEEP_STATUSES, checked, solve_checked, with_changes

matplotlib.use("Agg")

COLUMNS = ["weeks", "load.max_hours_per_week", "status", "objective", "bound"]
COLUMNS += [goal.value for goal in Goal]
COLUMNS += ["runtime", "weeks_used", "peak_hours", "explanation", "error"]


def test_one_row_per_scenario_in_the_order_of_the_keys(tiny_sweep: Sweep) -> None:
    frame = tiny_sweep.frame
    assert list(frame.columns) == COLUMNS
    assert frame.index.name == "scenario"
    assert list(frame.index) == list(range(6))
    # the first key changes slowest, as in itertools.product
    assert list(frame["weeks"]) == [1, 1, 2, 2, 0, 0]
    assert list(frame["load.max_hours_per_week"]) == [1, 2, 1, 2, 1, 2]
    assert list(frame["status"]) == SWEEP_STATUSES
    assert len(tiny_sweep) == 6
    assert str(tiny_sweep) == "Sweep of 6 scenarios: 3 with a plan, 1 proven impossible, 2 failed"
    assert repr(tiny_sweep) == "Sweep(6 scenarios: 3 with a plan, 1 proven impossible, 2 failed)"


def test_each_row_holds_the_result_derived_by_hand(tiny_sweep: Sweep) -> None:
    frame = tiny_sweep.frame
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


def test_every_plan_passes_the_checker(tiny_sweep: Sweep) -> None:
    for index in (1, 2, 3):
        result = tiny_sweep.result(index)
        assert checked(result) is tiny_sweep.plan(index)
        assert tiny_sweep.frame.loc[index, "objective"] == result.objective


@pytest.mark.parametrize("index", [-1, 6, 1.0])
def test_a_scenario_not_in_the_frame_is_said_to_be_none(tiny_sweep: Sweep, index: int) -> None:
    # -1 said "did not run: the sweep was interrupted first", 6 was a bare IndexError
    with pytest.raises(IndexError, match="is not one of this sweep's: they are numbered 0 to 5"):
        tiny_sweep.plan(index)
    label = tiny_sweep.frame.index[1]  # numpy's integer: as the frame gives it
    checked(tiny_sweep.result(label))


def test_an_impossible_scenario_is_a_row_with_the_first_line_of_why(tiny_sweep: Sweep) -> None:
    row = tiny_sweep.frame.loc[0]
    assert math.isnan(row["objective"]) and pd.isna(row["weeks_used"])
    # 1 week x 1 h cap against 2 h of modules
    assert row["explanation"].startswith(
        "Week 1 allows 1 hours in all, but the 2 modules of the catalog need 2 hours."
    )
    assert tiny_sweep.result(0).status is Status.INFEASIBLE
    with pytest.raises(InfeasibleError):
        tiny_sweep.plan(0)


def test_a_bad_value_is_a_row_naming_the_scenario_and_the_key(tiny_sweep: Sweep) -> None:
    row = tiny_sweep.frame.loc[4]
    assert (
        row["error"] == "scenario 4, key 'weeks': weeks must be a whole number from 1 to 520, not 0"
    )
    assert math.isnan(row["objective"]) and math.isnan(row["runtime"])
    with pytest.raises(ProgramError, match="scenario 5, key 'weeks'"):
        tiny_sweep.result(5)


def test_the_csv_has_a_row_per_scenario_and_is_safe_in_a_spreadsheet(
    tiny_catalog: Catalog, two_week_program: Program, tmp_path: Path
) -> None:
    found = sweep(
        tiny_catalog, two_week_program, {"name": ["=HYPERLINK(1)", "Plain"]}, progress=False
    )
    text = found.to_csv(tmp_path / "sweep.csv")
    assert (tmp_path / "sweep.csv").read_text(encoding="utf-8") == text
    back = pd.read_csv(tmp_path / "sweep.csv")
    assert list(back.columns) == ["scenario", "name", *COLUMNS[2:]]
    # a formula is written with a leading apostrophe; plain text as it is
    assert back["name"].tolist() == ["'=HYPERLINK(1)", "Plain"]
    assert back["status"].tolist() == ["optimal", "optimal"]


def test_the_page_compares_the_scenarios_with_each_plan(tiny_sweep: Sweep, tmp_path: Path) -> None:
    page = tiny_sweep.to_html(tmp_path / "sweep.html")
    assert (tmp_path / "sweep.html").read_text(encoding="utf-8") == page
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 3  # one chart per plan: scenarios 1, 2 and 3
    assert "Scenario 2: weeks = 2, load.max_hours_per_week = 1" in page
    # the heat map: weeks across (1, 2, 0), the cap down (1, 2); grey and why, or the value
    assert '<table class="heat">' in page
    assert ">infeasible</td>" in page and ">error</td>" in page
    assert "scenario 4, key &#x27;weeks&#x27;" in page  # why scenario 4 has no plan, escaped
    assert "http" not in page.replace("http://www.w3.org/2000/svg", "")  # nothing fetched


def test_the_notebook_shows_the_sentence_and_the_frame(tiny_sweep: Sweep) -> None:
    html = tiny_sweep._repr_html_()
    assert "Sweep of 6 scenarios: 3 with a plan" in html
    assert html.count("<tr>") == 7  # a header and 6 scenarios


def test_the_plot_is_a_heat_map_over_the_first_two_keys(tiny_sweep: Sweep) -> None:
    ax = tiny_sweep.plot()
    assert ax.get_xlabel() == "weeks"
    assert ax.get_ylabel() == "load.max_hours_per_week"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1", "2", "0"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2"]
    # row by row (cap 1, then cap 2), across weeks 1, 2, 0
    assert [t.get_text() for t in ax.texts] == ["infeasible", "20", "error", "0", "20", "error"]


def test_a_sweep_of_nothing_varied_has_no_axes_to_plot(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    found = sweep(tiny_catalog, two_week_program, scenarios=[two_week_program], progress=False)
    assert found.keys == ["program"]
    with pytest.raises(KeyError, match="'nope' is not a column"):
        found.plot(x="nope")


def test_rows_for_a_search_out_of_time_a_lost_worker_and_an_interrupted_search(
    tiny_catalog: Catalog, one_week_program: Program
) -> None:
    # results as solve returns them, put together by hand: no plan within the time limit,
    # a task whose worker died, and a search Ctrl-C stopped with its best plan
    interrupted = solve_checked(tiny_catalog, one_week_program)
    interrupted = dataclasses.replace(interrupted, interrupted=True)
    scenario = Scenario({"weeks": 1}, one_week_program)
    found = Sweep(
        (scenario, scenario, scenario),
        solved={
            0: Solved(Result(Status.UNKNOWN, None, None, 10.0), 10.2),
            2: Solved(interrupted, 0.1),
        },
        failed={1: BrokenProcessPool("a process in the pool was terminated abruptly")},
    )
    frame = found.frame
    assert list(frame["status"]) == ["unknown", "error", "optimal"]
    assert frame.loc[0, "explanation"] == "no plan found within the time limit"
    assert frame.loc[0, "runtime"] == 10.2  # the whole solve, as the worker timed it
    assert frame.loc[1, "error"] == (
        "BrokenProcessPool: a process in the pool was terminated abruptly"
    )
    assert frame.loc[2, "error"] == "interrupted (Ctrl-C): the best plan found before it"
    assert str(found) == (
        "Sweep of 3 scenarios: 1 with a plan, 1 without an answer in the time limit, 1 failed"
    )
    with pytest.raises(BrokenProcessPool):
        found.result(1)


def test_programmes_of_one_name_are_told_apart_by_what_differs(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    # both named "Peer support worker training": one week with a 4 h cap, both modules in
    # it (objective 0); two weeks with a 1 h cap, one module a week (objective 20)
    short = dataclasses.replace(two_week_program, weeks=1)
    capped = with_changes(two_week_program, load={"max_hours_per_week": 1})
    found = sweep(tiny_catalog, two_week_program, scenarios=[short, capped], progress=False)
    name = two_week_program.name
    assert list(found.frame["program"]) == [
        f"{name} (weeks = 1, load.max_hours_per_week = 4)",
        f"{name} (weeks = 2, load.max_hours_per_week = 1)",
    ]
    assert [checked(found.result(index)).program for index in (0, 1)] == [short, capped]
    grid = heat_grid(found.frame, "program", None, "objective")
    assert grid.texts == (("0", "20"),)  # two cells, not "0 (best of 2)"
    page = found.to_html()
    assert f"Scenario 0: program = {name} (weeks = 1, load.max_hours_per_week = 4)" in page
    assert f"Scenario 1: program = {name} (weeks = 2, load.max_hours_per_week = 1)" in page


def test_a_programme_crossed_with_varied_values_keeps_one_label(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    # the varied cap has its own column: it does not tell the programmes apart
    short = dataclasses.replace(two_week_program, weeks=1)
    found = sweep(
        tiny_catalog,
        two_week_program,
        {"load.max_hours_per_week": [2, 3]},
        scenarios=[two_week_program, short],
        progress=False,
    )
    labels = [f"{two_week_program.name} (weeks = 2)", f"{two_week_program.name} (weeks = 1)"]
    assert list(found.frame["program"]) == [labels[0], labels[0], labels[1], labels[1]]
    assert all(checked(found.result(index)) for index in range(4))
    grid = heat_grid(found.frame, "program", "load.max_hours_per_week", "objective")
    assert (grid.xs, grid.ys) == (tuple(labels), ("2", "3"))
    assert all(number is not None for row in grid.numbers for number in row)


def test_a_programme_that_could_not_be_made_is_told_apart_by_its_number(
    one_week_program: Program,
) -> None:
    error = ProgramError([Problem("scenario 1", "bad")])
    found = Sweep(
        (
            Scenario({"program": "Evening"}, one_week_program),
            Scenario({"program": "Evening"}, error=error),
            Scenario({"program": "Morning"}, error=error),
        )
    )
    assert list(found.frame["program"]) == ["Evening", "Evening (scenario 1)", "Morning"]


def test_lists_and_tables_are_written_as_a_user_writes_them(
    tiny_catalog: Catalog, two_week_program: Program, tmp_path: Path
) -> None:
    found = sweep(
        tiny_catalog, two_week_program, {"holidays": [[], [date(2027, 1, 12)]]}, progress=False
    )
    assert checked(found.result(1)).program.holidays == (date(2027, 1, 12),)
    found.to_csv(tmp_path / "sweep.csv")
    assert pd.read_csv(tmp_path / "sweep.csv")["holidays"].tolist() == ["[]", "[2027-01-12]"]
    page = found.to_html()
    assert "Scenario 1: holidays = [2027-01-12]" in page
    assert "<td>[2027-01-12]</td>" in page and "datetime" not in page
