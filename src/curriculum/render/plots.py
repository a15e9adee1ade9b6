"""Plots of a plan, or of two compared, with matplotlib (the optional `plot` extra,
imported only when used).

Each function draws on `ax` (a new figure when None) and returns the Axes. Weeks sit on the
x axis at 1, 2, ...; the ramp weeks are shaded and the week duties start is marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from curriculum.compare import Comparison
from curriculum.inputs.program import Program
from curriculum.plan import Plan
from curriculum.render.colours import (
    CAP_COLOUR,
    CONTENT_COLOUR,
    DUTIES_COLOUR,
    KIND_COLOURS,
    RAMP_COLOUR,
    SKILL_COLOUR,
)

if TYPE_CHECKING:  # matplotlib is optional (the `plot` extra): imported when drawing
    from matplotlib.axes import Axes


def weekly_load(plan: Plan, ax: Axes | None = None) -> Axes:
    """Stacked bars of content and skill hours per week, under what each week can hold
    (its hours cap, or its meetings where shorter).

    Parameters
    ----------
    plan
        The plan to draw.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        With one bar per week and kind, what each week can hold as a step line, the ramp
        shaded.
    """
    ax = _axes(ax)
    weekly = plan.weekly
    ax.bar(weekly["week"], weekly["content_hours"], color=CONTENT_COLOUR, label="content")
    ax.bar(
        weekly["week"],
        weekly["skill_hours"],
        bottom=weekly["content_hours"],
        color=SKILL_COLOUR,
        label="skill",
    )
    _cap_line(ax, weekly["usable_hours"], "what the week can hold")
    _mark_weeks(ax, plan.program)
    top = float(weekly[["hours", "usable_hours"]].max().max())
    _finish(ax, plan.program, "Weekly load", "hours", top)
    return ax


def weekly_intensity(plan: Plan, ax: Axes | None = None) -> Axes:
    """Bars of each week's intensity (Σ hours × density) under the intensity cap.

    Parameters
    ----------
    plan
        The plan to draw.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        With one bar per week, the cap as a step line, the ramp shaded.
    """
    ax = _axes(ax)
    weekly = plan.weekly
    ax.bar(weekly["week"], weekly["intensity"], color=CONTENT_COLOUR, label="intensity")
    _cap_line(ax, weekly["max_intensity"], "weekly intensity cap")
    _mark_weeks(ax, plan.program)
    top = float(weekly[["intensity", "max_intensity"]].max().max())
    _finish(ax, plan.program, "Weekly intensity", "hours × density", top)
    return ax


def timeline(plan: Plan, ax: Axes | None = None) -> Axes:
    """Each module as a bar in its week, on the row of its first tag; pre-service hatched.

    Inside a week, bars follow the order of teaching and their width is proportional to
    their hours (the fullest week fills the week's width).

    Parameters
    ----------
    plan
        The plan to draw.
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        With one bar per session and one row per first tag.
    """
    ax = _axes(ax, size=(10, 6))
    bars = _timeline_bars(plan.sessions)
    rows = {tag: row for row, tag in enumerate(dict.fromkeys(bars["row"]))}
    for (kind, pre_service), group in bars.groupby(["kind", "pre_service"], sort=True):
        ax.barh(
            group["row"].map(rows),
            group["width"],
            left=group["left"],
            height=0.7,
            color=KIND_COLOURS.get(str(kind), "grey"),
            edgecolor="white",
            hatch="///" if pre_service else None,
            label=f"{kind}{' (pre-service)' if pre_service else ''}",
        )
    ax.set_yticks(range(len(rows)), list(rows))
    ax.invert_yaxis()
    _mark_weeks(ax, plan.program)
    ax.set_xlim(0.5, plan.program.weeks + 0.5)
    ax.set_xticks(range(1, plan.program.weeks + 1))
    ax.set_xlabel("week")
    ax.set_ylabel("first tag")
    ax.set_title("Timeline of modules")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small")
    return ax


def comparison(compared: Comparison, ax: Axes | None = None) -> Axes:
    """Two plans' weekly load side by side: for each week a bar per plan (content, then
    skills stacked on it; the second plan hatched), and what each week can hold in each
    plan as a step line (solid, then dashed).

    Parameters
    ----------
    compared
        Two plans compared (`curriculum.compare`).
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        With two bars per week and kind, and a step line per plan.
    """
    ax = _axes(ax, size=(10, 4))
    weekly = compared.weekly
    weeks = weekly.index.to_numpy()
    width = 0.4
    for offset, name, hatch in (
        (-width / 2, compared.names[0], None),
        (width / 2, compared.names[1], "//"),
    ):
        content, skills = weekly[("content_hours", name)], weekly[("skill_hours", name)]
        ax.bar(
            weeks + offset,
            content,
            width,
            color=CONTENT_COLOUR,
            hatch=hatch,
            edgecolor="white",
            label=f"content ({name})",
        )
        ax.bar(
            weeks + offset,
            skills,
            width,
            bottom=content,
            color=SKILL_COLOUR,
            hatch=hatch,
            edgecolor="white",
            label=f"skills ({name})",
        )
    edges = [w + 0.5 for w in range(len(weeks) + 1)]
    for name, style in zip(compared.names, ("-", "--")):
        ax.stairs(
            weekly[("usable_hours", name)].to_numpy(),
            edges,
            baseline=None,
            color=CAP_COLOUR,
            linestyle=style,
            linewidth=2,
            zorder=3,
            label=f"what the week can hold ({name})",
        )
    ax.set_title(f"Weekly load: {compared.names[0]} and {compared.names[1]}")
    ax.set_xlabel("week")
    ax.set_ylabel("hours")
    ax.set_xticks(list(weeks))
    ax.set_xlim(0.5, len(weeks) + 0.5)
    top = float(weekly.xs("hours", axis=1, level=0).max().max())
    top = max(top, float(weekly.xs("usable_hours", axis=1, level=0).max().max()), 1.0)
    ax.set_ylim(0, top * 1.45)
    ax.legend(loc="upper left", ncols=3, fontsize="small")
    return ax


def _timeline_bars(sessions: pd.DataFrame) -> pd.DataFrame:
    """Where each session's bar goes: `row` (first tag), `left` and `width` in weeks."""
    ordered = sessions.sort_values("start")
    before = ordered.groupby("week")["hours"].cumsum() - ordered["hours"]
    fullest = float(ordered.groupby("week")["hours"].sum().max()) if len(ordered) else 1.0
    scale = 0.9 / fullest
    bars: pd.DataFrame = pd.DataFrame(
        {
            "row": ordered["tags"].fillna("").str.split(";").str[0].replace("", "(untagged)"),
            "left": ordered["week"] - 0.45 + before * scale,
            "width": ordered["hours"] * scale,
            "kind": ordered["kind"],
            "pre_service": ordered["pre_service"].astype(bool),
        }
    )
    return bars


def _pyplot() -> Any:
    """matplotlib.pyplot, or an ImportError saying how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plotting needs matplotlib: install curriculum[plot] (pip install 'curriculum[plot]')"
        ) from exc
    return plt


def _axes(ax: Axes | None, size: tuple[float, float] = (8, 4)) -> Axes:
    """`ax`, or the Axes of a new figure."""
    if ax is not None:
        return ax
    _, new = _pyplot().subplots(figsize=size, layout="constrained")
    axes: Axes = new
    return axes


def _cap_line(ax: Axes, caps: pd.Series, label: str) -> None:
    """A week's cap as a step across the width of its bar."""
    edges = [w + 0.5 for w in range(len(caps) + 1)]
    ax.stairs(
        caps.to_numpy(), edges, baseline=None, color=CAP_COLOUR, linewidth=2, zorder=3, label=label
    )


def _mark_weeks(ax: Axes, program: Program) -> None:
    """Shade the ramp weeks and draw a dashed line where duties start."""
    if program.limits.ramp_weeks:
        ax.axvspan(
            0.5,
            program.limits.ramp_weeks + 0.5,
            color=RAMP_COLOUR,
            alpha=0.15,
            zorder=0,
            label="ramp",
        )
    if program.limits.duty_start is not None:
        ax.axvline(
            program.limits.duty_start - 0.5,
            color=DUTIES_COLOUR,
            linestyle="--",
            linewidth=1.2,
            label=f"duties start (week {program.limits.duty_start})",
        )


def _finish(ax: Axes, program: Program, title: str, unit: str, top: float) -> None:
    """Title, labels, week ticks, head room for the legend, and the legend."""
    ax.set_title(title)
    ax.set_xlabel("week")
    ax.set_ylabel(unit)
    ax.set_xticks(range(1, program.weeks + 1))
    ax.set_xlim(0.5, program.weeks + 0.5)
    ax.set_ylim(0, max(top, 1.0) * 1.3)
    ax.legend(loc="upper left", ncols=3, fontsize="small")
