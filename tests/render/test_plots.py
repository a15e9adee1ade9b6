"""Plots (render/plots.py) render to PNG with the Agg backend and draw one bar per week (or
per session)."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

import curriculum as cur  # noqa: E402
from curriculum import plot  # noqa: E402
from tests.builders import DEFAULT_PROGRAM, solve_checked  # noqa: E402

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PROGRAM = DEFAULT_PROGRAM  # 12 weeks; `default_plan` is the bundled catalog over it


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def saved(ax: Axes, path: Path) -> bytes:
    """Save the Axes' figure as PNG and return the file's bytes."""
    ax.figure.savefig(path, format="png", dpi=60)
    return path.read_bytes()


def bar_count(ax: Axes) -> int:
    return sum(len(container) for container in ax.containers)


def legend_texts(ax: Axes) -> list[str]:
    return [text.get_text() for text in ax.get_legend().get_texts()]


def test_weekly_load_stacks_content_and_skill_under_what_the_week_can_hold(
    default_plan: cur.Plan, tmp_path: Path
) -> None:
    ax = plot.weekly_load(default_plan)
    png = saved(ax, tmp_path / "load.png")
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000
    assert bar_count(ax) == 2 * PROGRAM.weeks
    content, skill = ax.containers
    assert [bar.get_height() for bar in content] == list(default_plan.weekly["content_hours"])
    assert [bar.get_y() for bar in skill] == list(default_plan.weekly["content_hours"])
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        str(week) for week in range(1, PROGRAM.weeks + 1)
    ]
    assert ax.get_title() == "Weekly load"
    assert ax.get_xlabel() == "week" and ax.get_ylabel() == "hours"
    assert {"content", "skill", "what the week can hold", "ramp", "duties start (week 10)"} == set(
        legend_texts(ax)
    )


def test_weekly_intensity_draws_one_bar_per_week(default_plan: cur.Plan, tmp_path: Path) -> None:
    ax = plot.weekly_intensity(default_plan)
    png = saved(ax, tmp_path / "intensity.png")
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000
    assert bar_count(ax) == PROGRAM.weeks
    heights = [bar.get_height() for bar in ax.containers[0]]
    assert heights == list(default_plan.weekly["intensity"])
    assert "weekly intensity cap" in legend_texts(ax)
    assert ax.get_title() == "Weekly intensity"


def test_timeline_draws_one_bar_per_session_on_its_first_tag_row(
    default_plan: cur.Plan, tmp_path: Path
) -> None:
    ax = plot.timeline(default_plan)
    png = saved(ax, tmp_path / "timeline.png")
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000
    assert bar_count(ax) == len(default_plan.sessions)
    first_tags = set(default_plan.sessions["tags"].str.split(";").str[0])
    assert {label.get_text() for label in ax.get_yticklabels()} == first_tags
    assert "content (pre-service)" in legend_texts(ax)
    hatched = sum(bar.get_hatch() is not None for c in ax.containers for bar in c)
    assert hatched == int(default_plan.sessions["pre_service"].sum())


def test_plots_draw_on_the_axes_they_are_given(default_plan: cur.Plan) -> None:
    _, (left, middle, right) = plt.subplots(1, 3)
    assert plot.weekly_load(default_plan, ax=left) is left
    assert plot.weekly_intensity(default_plan, ax=middle) is middle
    assert plot.timeline(default_plan, ax=right) is right


def test_missing_matplotlib_says_how_to_install_it(
    default_plan: cur.Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"curriculum\[plot\]"):
        plot.weekly_load(default_plan)


def test_comparison_draws_two_bars_per_week_and_kind_and_a_step_per_plan(
    default_plan: cur.Plan, tmp_path: Path
) -> None:
    # the same plan against itself with a holiday on Tue 16 Feb (week 6): week 6 of the
    # second can hold 2 h, not 4
    holiday = dataclasses.replace(default_plan.program, holidays=(date(2027, 2, 16),))
    other = solve_checked(default_plan.catalog, holiday, seed=0).plan
    compared = cur.compare(default_plan, other, names=("first", "holiday"))
    ax = plot.comparison(compared)
    png = saved(ax, tmp_path / "comparison.png")
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000
    assert bar_count(ax) == 4 * PROGRAM.weeks
    content_first, _, content_holiday, _ = ax.containers
    assert [bar.get_height() for bar in content_holiday] == list(other.weekly["content_hours"])
    assert all(bar.get_hatch() == "//" for bar in content_holiday)
    assert all(bar.get_hatch() is None for bar in content_first)
    steps = [p for p in ax.patches if p.get_label().startswith("what the week can hold")]
    assert [list(step.get_data().values) for step in steps] == [
        list(default_plan.weekly["usable_hours"]),
        list(other.weekly["usable_hours"]),
    ]
    assert steps[1].get_data().values[5] == 2.0
    assert "what the week can hold (holiday)" in legend_texts(ax)
    assert plot.comparison(compared, ax=ax) is ax
