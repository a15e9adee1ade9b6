"""curriculum.render.sweeps: the heat map's cells, its colours, the terminal table and the
page, from a sweep's frame written by hand."""

from __future__ import annotations

import math
from datetime import date, time

import pandas as pd
import pytest

from curriculum.inputs.program import Meeting
from curriculum.render.sweeps import (
    HIGH,
    LOW,
    NO_PLAN,
    SweepPage,
    cell_text,
    heat_grid,
    heat_table,
    shade,
    sweep_html,
    sweep_page_html,
    sweep_text,
)

NAN = math.nan


def frame_of(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A sweep frame with the columns the renderers read."""
    frame = pd.DataFrame(rows)
    for column, default in (("explanation", ""), ("error", ""), ("runtime", 0.5)):
        frame[column] = frame[column].fillna(default) if column in frame else default
    frame.index.name = "scenario"
    return frame


# Two keys, a third that makes two scenarios share the cell (weeks 12, cap 3), an
# impossible scenario and a failed one.
FRAME = frame_of(
    [
        {"weeks": 12, "cap": 3, "seed": 0, "status": "optimal", "objective": 4.0},
        {"weeks": 12, "cap": 3, "seed": 1, "status": "optimal", "objective": 2.0},
        {"weeks": 14, "cap": 3, "seed": 0, "status": "optimal", "objective": 0.0},
        {"weeks": 12, "cap": 4, "seed": 0, "status": "infeasible", "objective": NAN},
        {"weeks": 14, "cap": 4, "seed": 0, "status": "error", "objective": NAN, "error": "bad"},
    ]
)


def test_a_cell_holds_the_lowest_value_of_its_scenarios_or_why_there_is_none() -> None:
    grid = heat_grid(FRAME, "weeks", "cap", "objective")
    assert (grid.xs, grid.ys) == (("12", "14"), ("3", "4"))
    # weeks 12, cap 3: scenarios 0 and 1, objectives 4 and 2: the lowest, 2
    assert grid.numbers == ((2.0, 0.0), (None, None))
    assert grid.texts == (("2 (best of 2)", "0"), ("infeasible", "error"))


def test_with_one_key_the_grid_is_one_row() -> None:
    grid = heat_grid(FRAME, "seed", None, "objective")
    assert (grid.xs, grid.ys) == (("0", "1"), ("",))
    assert grid.numbers == ((0.0, 2.0),)  # seed 0: objectives 4, 0 and two without: 0


def test_scenarios_share_a_cell_only_when_their_values_are_equal() -> None:
    frame = frame_of(
        [
            {"holidays": [], "share": 0.1 + 0.2, "status": "optimal", "objective": 1.0},
            {"holidays": [date(2027, 2, 16)], "share": 0.3, "status": "optimal", "objective": 2.0},
            {"holidays": [date(2027, 2, 16)], "share": 0.3, "status": "optimal", "objective": 3.0},
        ]
    )
    grid = heat_grid(frame, "holidays", None, "objective")
    assert grid.xs == ("[]", "[2027-02-16]")
    assert grid.texts == (("1", "2 (best of 2)"),)
    # 0.30000000000000004 and 0.3 are both '0.3' in short: two cells, each value in full
    grid = heat_grid(frame, "share", None, "objective")
    assert grid.xs == ("0.30000000000000004", "0.3")
    assert grid.texts == (("1", "2 (best of 2)"),)


def test_an_unknown_column_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="'nope' is not a column of the sweep"):
        heat_grid(FRAME, "weeks", "nope", "objective")


def test_the_colours_run_from_pale_to_red_and_grey_for_none() -> None:
    assert shade(0.0, 0.0, 10.0) == "#{:02x}{:02x}{:02x}".format(*LOW)
    assert shade(10.0, 0.0, 10.0) == "#{:02x}{:02x}{:02x}".format(*HIGH)
    # halfway: each channel halfway, rounded: (232+198)/2 = 215, (245+40)/2 = 142.5 -> 142
    # (round half to even), (233+40)/2 = 136.5 -> 136
    assert shade(5.0, 0.0, 10.0) == "#d78e88"
    assert shade(3.0, 3.0, 3.0) == "#{:02x}{:02x}{:02x}".format(*LOW)  # all equal: pale
    assert shade(None, 0.0, 1.0) == NO_PLAN


def test_the_heat_table_escapes_and_colours_each_cell() -> None:
    frame = frame_of([{"name": "<b>", "status": "optimal", "objective": 1.0}])
    html = heat_table(heat_grid(frame, "name", None, "objective"))
    assert "<th>&lt;b&gt;</th>" in html and "<b>" not in html
    assert f"background:{shade(1.0, 1.0, 1.0)}" in html


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "—"),
        (NAN, "—"),
        (pd.NA, "—"),
        (2.0, "2"),
        (0.625, "0.625"),
        ("tue", "tue"),
        ([1], "[1]"),
        # as a user writes them (TOML), not as Python shows them
        ([date(2027, 2, 16), date(2027, 2, 18)], "[2027-02-16, 2027-02-18]"),
        ((date(2027, 2, 16),), "[2027-02-16]"),
        (
            {"Clinical supervisor": {"unavailable": [date(2027, 1, 26)]}},
            '{"Clinical supervisor" = {"unavailable" = [2027-01-26]}}',
        ),
        (Meeting(1, time(18)), '{"weekday" = 1, "start" = "18:00", "hours" = 2.0}'),
        (True, "true"),
        (date(2027, 2, 16), "2027-02-16"),
        ({1, 2}, "{1, 2}"),  # not a TOML value: as Python shows it
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_the_terminal_table_lists_why_a_scenario_has_no_plan() -> None:
    frame = FRAME.assign(explanation=["", "", "", "Week 1 allows 1 hours", ""])
    text = sweep_text(frame, "Sweep of 5 scenarios")
    lines = text.splitlines()
    assert lines[0] == "Sweep of 5 scenarios"
    assert "explanation" not in text and "objective" in lines[2]
    assert lines[-2:] == ["scenario 3: Week 1 allows 1 hours", "scenario 4: bad"]
    assert "—" in text and "nan" not in text


def test_the_terminal_table_writes_lists_as_a_user_writes_them() -> None:
    frame = frame_of(
        [
            {"holidays": [], "status": "optimal", "objective": 0.0},
            {"holidays": [date(2027, 2, 16)], "status": "optimal", "objective": 0.5},
        ]
    )
    text = sweep_text(frame, "Sweep of 2 scenarios")
    assert "[2027-02-16]" in text and "datetime" not in text


def test_the_notebook_display_and_the_page_escape_every_value() -> None:
    frame = frame_of([{"name": "<script>", "status": "optimal", "objective": 0.0}])
    html = sweep_html(frame, "Sweep & co")
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Sweep &amp; co" in html
    page = sweep_page_html(
        SweepPage("T <1>", "lede", frame, None, [], missing=[("Scenario 0", "<why>")])
    )
    assert "<title>T &lt;1&gt;</title>" in page and "&lt;why&gt;" in page
    assert "<script>" not in page and "<svg" not in page
