"""The report's weekly load chart (render/chart.py): valid SVG, a bar per kind and week, one
step line of what each week can hold, the ramp and the start of duties when there are."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ElementTree

import curriculum as cur
from curriculum.render.chart import _Chart, weekly_load_svg
from tests.builders import THU, TUE, make_catalog, make_program, module, thursday, tuesday


def test_chart_is_valid_svg_with_a_bar_per_kind_and_week(default_plan: cur.Plan) -> None:
    svg = weekly_load_svg(default_plan.weekly, default_plan.program)
    root = ElementTree.fromstring(svg)
    bars = [rect for rect in root.iter("rect") if rect.find("title") is not None]
    weekly = default_plan.weekly
    expected = int((weekly["content_hours"] > 0).sum() + (weekly["skill_hours"] > 0).sum())
    assert len(bars) == expected
    assert len(list(root.iter("path"))) == 1  # what each week can hold
    assert "duties start" in svg and "ramp" in svg and "what the week can hold" in svg


def test_chart_leaves_out_a_missing_ramp_and_duty_start(default_plan: cur.Plan) -> None:
    program = dataclasses.replace(default_plan.program, ramp=cur.Ramp(weeks=0), duties=None)
    svg = weekly_load_svg(default_plan.weekly, program)
    assert "ramp" not in svg and "duties" not in svg


def test_the_step_is_what_each_week_can_hold() -> None:
    # Two weeks of Tue and Thu meetings (2 h each) under a 4 h cap; week 2's meetings are
    # both holidays, so week 2 can hold nothing: the step runs at 4 h, then at 0 h.
    program = make_program(2, (TUE, THU), holidays=(tuesday(2), thursday(2)))
    plan = cur.Plan.from_assignment(make_catalog(module("a")), program, {"a": 0})
    svg = weekly_load_svg(plan.weekly, program)
    chart = _Chart(2, top=5)  # the axis tops at the highest step, 4 h, plus half, rounded up
    (step,) = re.findall(r'<path d="([^"]+)"', svg)
    assert step == (
        f"M{chart.x(1):.1f},{chart.y(4):.1f}V{chart.y(4):.1f}H{chart.x(2):.1f}"
        f"V{chart.y(0):.1f}H{chart.x(3):.1f}"
    )
