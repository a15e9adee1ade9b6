"""The weekly load as an inline SVG chart (no matplotlib, no external assets): stacked
content and skill bars per week under a step line of what each week can hold (its cap, or
its meetings where shorter), the ramp shaded and the start of duties marked."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from html import escape
from typing import Any

import pandas as pd

from curriculum.inputs.program import Program
from curriculum.render.colours import CAP_COLOUR, CONTENT_COLOUR, DUTIES_COLOUR, SKILL_COLOUR

Row = Mapping[Hashable, Any]  # one row of a frame, as `to_dict("records")` gives it
RAMP_FILL = "#e6eaf4"
CAPTION = (
    "Hours taught each week, content (blue) and skills (orange), under what the week can "
    "hold (red step: its cap, or its meetings where shorter; 0 in a week without a "
    "meeting). The ramp weeks are shaded; the dashed line marks the start of duties."
)


def weekly_load_svg(weekly: pd.DataFrame, program: Program) -> str:
    """Stacked content/skill bars per week, what each week can hold as a step (its cap, or
    its meetings where shorter), the ramp shaded, the start of duties dashed."""
    chart = _Chart(program.weeks, _axis_top(weekly))
    parts = [
        chart.ramp(program.limits.ramp_weeks),
        chart.grid(),
        *(chart.bars(row) for row in weekly.to_dict("records")),
        chart.cap(list(weekly["usable_hours"])),
        chart.duties(program.limits.duty_start),
        chart.axes(),
        _legend(ramp=program.limits.ramp_weeks > 0, duties=program.limits.duty_start is not None),
    ]
    return (
        f'<svg viewBox="0 0 {_Chart.WIDTH} {_Chart.HEIGHT}" role="img" '
        'aria-label="Weekly hours, content and skills, against what each week can hold" '
        'font-family="system-ui, sans-serif" font-size="12">' + "".join(parts) + "</svg>"
    )


def _axis_top(weekly: pd.DataFrame) -> int:
    highest = float(weekly[["hours", "usable_hours"]].max().max())
    return max(1, math.ceil(highest + 0.5))


class _Chart:
    """Coordinates of the chart: weeks along x, hours up y."""

    WIDTH, HEIGHT = 760, 320
    LEFT, RIGHT, TOP, BOTTOM = 48, 12, 44, 44

    def __init__(self, weeks: int, top: int) -> None:
        self.weeks, self.top = weeks, top
        self.band = (self.WIDTH - self.LEFT - self.RIGHT) / weeks

    def x(self, week: float) -> float:
        """Left edge of a week's band (weeks count from 1)."""
        return self.LEFT + (week - 1) * self.band

    def y(self, hours: float) -> float:
        """Height of `hours` on the page (SVG y grows downwards)."""
        plot = self.HEIGHT - self.TOP - self.BOTTOM
        return self.TOP + plot * (1 - hours / self.top)

    def ramp(self, weeks: int) -> str:
        """The ramp weeks as a shaded band with a label."""
        if weeks == 0:
            return ""
        x, width = self.x(1), weeks * self.band
        return (
            f'<rect x="{x:.1f}" y="{self.y(self.top):.1f}" width="{width:.1f}" '
            f'height="{self.y(0) - self.y(self.top):.1f}" fill="{RAMP_FILL}"/>'
            f'<text x="{x + 6:.1f}" y="{self.y(self.top) + 15:.1f}" fill="#556">ramp</text>'
        )

    def grid(self) -> str:
        """Horizontal lines and labels at every whole hour."""
        lines = []
        for hours in range(self.top + 1):
            y = self.y(hours)
            lines.append(
                f'<line x1="{self.LEFT}" x2="{self.WIDTH - self.RIGHT}" y1="{y:.1f}" '
                f'y2="{y:.1f}" stroke="#e3e5ea"/>'
                f'<text x="{self.LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
                f'fill="#555">{hours}</text>'
            )
        return "".join(lines)

    def bars(self, row: Row) -> str:
        """A week's content bar with its skill bar stacked on top."""
        week, content, skill = row["week"], row["content_hours"], row["skill_hours"]
        width = self.band * 0.62
        x = self.x(week) + (self.band - width) / 2
        return self._rect(x, width, 0, content, CONTENT_COLOUR, f"week {week}: content") + (
            self._rect(x, width, content, content + skill, SKILL_COLOUR, f"week {week}: skills")
        )

    def _rect(self, x: float, width: float, low: float, high: float, fill: str, what: str) -> str:
        if high <= low:
            return ""
        return (
            f'<rect x="{x:.1f}" y="{self.y(high):.1f}" width="{width:.1f}" '
            f'height="{self.y(low) - self.y(high):.1f}" fill="{fill}">'
            f"<title>{escape(what)} {high - low:g} h</title></rect>"
        )

    def cap(self, caps: list[float]) -> str:
        """The weekly hours cap as a step line across each week's band."""
        steps = [f"M{self.x(1):.1f},{self.y(caps[0]):.1f}"]
        for week, cap in enumerate(caps, start=1):
            steps.append(f"V{self.y(cap):.1f}H{self.x(week + 1):.1f}")
        return f'<path d="{"".join(steps)}" fill="none" stroke="{CAP_COLOUR}" stroke-width="2.5"/>'

    def duties(self, week: int | None) -> str:
        """A dashed line where duties start, labelled."""
        if week is None:
            return ""
        x = self.x(week)
        return (
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{self.y(self.top):.1f}" y2="{self.y(0):.1f}" '
            f'stroke="{DUTIES_COLOUR}" stroke-dasharray="5 4" stroke-width="1.5"/>'
            f'<text x="{x + 5:.1f}" y="{self.y(self.top) + 15:.1f}" fill="{DUTIES_COLOUR}">'
            "duties start</text>"
        )

    def axes(self) -> str:
        """The baseline, week numbers and axis titles."""
        base = self.y(0)
        ticks = "".join(
            f'<text x="{self.x(week) + self.band / 2:.1f}" y="{base + 17:.1f}" '
            f'text-anchor="middle" fill="#333">{week}</text>'
            for week in range(1, self.weeks + 1)
        )
        middle = self.LEFT + (self.WIDTH - self.LEFT - self.RIGHT) / 2
        return (
            f'<line x1="{self.LEFT}" x2="{self.WIDTH - self.RIGHT}" y1="{base:.1f}" '
            f'y2="{base:.1f}" stroke="#333"/>{ticks}'
            f'<text x="{middle:.1f}" y="{self.HEIGHT - 6}" text-anchor="middle" '
            'fill="#333">week</text>'
            f'<text transform="translate(14 {self.y(self.top / 2):.1f}) rotate(-90)" '
            'text-anchor="middle" fill="#333">hours</text>'
        )


def _legend(*, ramp: bool, duties: bool) -> str:
    """Swatches for content, skills, the cap, and the ramp and duty start when drawn."""
    items = [
        (f'<rect width="12" height="12" fill="{CONTENT_COLOUR}"/>', "content"),
        (f'<rect width="12" height="12" fill="{SKILL_COLOUR}"/>', "skills"),
        (
            f'<line x1="0" x2="16" y1="6" y2="6" stroke="{CAP_COLOUR}" stroke-width="2.5"/>',
            "what the week can hold",
        ),
    ]
    if ramp:
        items.append(
            (f'<rect width="12" height="12" fill="{RAMP_FILL}" stroke="#c9cfe0"/>', "ramp weeks")
        )
    if duties:
        items.append(
            (
                f'<line x1="6" x2="6" y1="0" y2="12" stroke="{DUTIES_COLOUR}" '
                'stroke-dasharray="3 2" stroke-width="1.5"/>',
                "duties start",
            )
        )
    x, parts = _Chart.LEFT, []
    for swatch, label in items:
        parts.append(
            f'<g transform="translate({x} 14)">{swatch}'
            f'<text x="20" y="11" fill="#333">{label}</text></g>'
        )
        x += 28 + 7 * len(label)
    return "".join(parts)
