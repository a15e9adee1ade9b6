"""A sweep's heat map with matplotlib (the optional `plot` extra, imported when drawing)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from curriculum.render.plots import _axes
from curriculum.render.sweeps import HIGH, LOW, NO_PLAN, HeatGrid

if TYPE_CHECKING:  # matplotlib is optional (the `plot` extra): imported when drawing
    from matplotlib.axes import Axes
    from matplotlib.colors import Colormap


def heat_map(grid: HeatGrid, ax: Axes | None = None) -> Axes:
    """A value over two varied keys: one coloured cell per pair, labelled with the value
    or with why there is none (grey: no plan, infeasible, error).

    Parameters
    ----------
    grid
        The cells (`curriculum.render.sweeps.heat_grid`).
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        With one cell per pair of values, the lowest value palest.
    """
    ax = _axes(ax, size=(1.6 + 1.1 * len(grid.xs), 1.4 + 0.6 * len(grid.ys)))
    values = [[math.nan if n is None else n for n in row] for row in grid.numbers]
    low, high = grid.span
    ax.imshow(
        values,  # NaN, no value, is drawn in the colour for "bad" values: grey
        cmap=_colours(),
        vmin=low,
        vmax=high if high > low else low + 1,
        aspect="auto",
    )
    for row, texts in enumerate(grid.texts):
        for column, text in enumerate(texts):
            ax.text(
                column,
                row,
                text,
                ha="center",
                va="center",
                fontsize="small",
                color="white" if grid.dark(grid.numbers[row][column]) else "black",
            )
    ax.set_xticks(range(len(grid.xs)), list(grid.xs))
    ax.set_yticks(range(len(grid.ys)), list(grid.ys) if grid.y else [grid.value])
    ax.set_xlabel(grid.x)
    if grid.y:
        ax.set_ylabel(grid.y)
    ax.set_title(f"{grid.value} by scenario (grey: no plan)")
    return ax


def _colours() -> Colormap:
    """From the lowest value (pale) to the highest (red), grey for none: as on the page."""
    from matplotlib.colors import LinearSegmentedColormap  # optional, like all of matplotlib

    ends = [tuple(channel / 255 for channel in colour) for colour in (LOW, HIGH)]
    colours: Colormap = LinearSegmentedColormap.from_list("sweep", ends)
    return colours.with_extremes(bad=NO_PLAN)
