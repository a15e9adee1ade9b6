"""curriculum.render.sweep_plot: the heat map draws one labelled cell per pair of values,
grey where there is no value."""

from __future__ import annotations

import io
import math
from collections.abc import Iterator

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from curriculum.render.sweep_plot import heat_map
from curriculum.render.sweeps import NO_PLAN, HeatGrid

# cap 3 and 4 down, weeks 12 and 14 across; weeks 12 at cap 3 has no plan
GRID = HeatGrid(
    x="weeks",
    y="cap",
    value="objective",
    xs=("12", "14"),
    ys=("3", "4"),
    numbers=((None, 4.0), (0.0, 2.0)),
    texts=(("infeasible", "4"), ("0", "2")),
)


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def test_one_cell_per_pair_labelled_and_grey_where_there_is_no_value() -> None:
    ax = heat_map(GRID)
    assert [t.get_text() for t in ax.texts] == ["infeasible", "4", "0", "2"]
    # positions: column (weeks) across, row (cap) down
    assert [t.get_position() for t in ax.texts] == [(0, 0), (1, 0), (0, 1), (1, 1)]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("weeks", "cap")
    image = ax.images[0]
    assert math.isnan(image.get_array().filled(math.nan)[0][0])  # no value: masked
    colours = image.cmap
    assert matplotlib.colors.to_hex(colours(math.nan)) == NO_PLAN  # drawn grey
    # the highest value (4) is drawn red, so its label is white; the lowest (0) pale, black
    assert [t.get_color() for t in ax.texts] == ["black", "white", "black", "black"]
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    assert buffer.getvalue().startswith(b"\x89PNG")


def test_it_draws_on_the_axes_given() -> None:
    _, given = plt.subplots()
    assert heat_map(GRID, ax=given) is given
