"""The HTML report (render/report.py): self-contained, complete, escaped, and written atomically."""

from __future__ import annotations

import dataclasses
import os
import re
import xml.etree.ElementTree as ElementTree
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import curriculum as cur
from curriculum.render.report import weekly_load_svg
from tests.builders import solve_checked

PROGRAM = cur.Program(
    start=date(2027, 1, 11),
    timezone="America/Toronto",
    location="Community Health Centre, Room 2",
    holidays=(date(2027, 2, 16),),
)
HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
VOID = {"meta", "br", "img", "link", "input", "hr", "col"}


@pytest.fixture(scope="module")
def result() -> cur.Result:
    return solve_checked(cur.read_catalog(), PROGRAM, seed=0)


@pytest.fixture(scope="module")
def hostile() -> cur.Result:
    """Catalog, programme and warning text that try to inject HTML."""
    frame = cur.read_catalog().frame
    frame.loc[0, "title"] = HOSTILE
    program = dataclasses.replace(PROGRAM, name=HOSTILE, location=HOSTILE)
    solved = solve_checked(cur.Catalog.from_frame(frame), program, seed=0)
    return dataclasses.replace(solved, warnings=(HOSTILE,))


@pytest.fixture(scope="module")
def html(result: cur.Result, tmp_path_factory: pytest.TempPathFactory) -> str:
    return result.to_html(tmp_path_factory.mktemp("report") / "report.html")


class TagBalance(HTMLParser):
    """Records every tag that is closed out of order or never closed."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.errors.append(tag)


def test_report_is_written_and_returned(result: cur.Result, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    text = result.to_html(path)
    assert path.read_text(encoding="utf-8") == text
    assert text.startswith("<!DOCTYPE html>")


def test_report_is_self_contained(html: str) -> None:
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert "<script" not in html and "<link" not in html
    assert "@import" not in html and "url(" not in html
    assert "<style>" in html and "@media print" in html
    assert "break-inside: avoid" in html


def test_report_tags_are_balanced(html: str) -> None:
    parser = TagBalance()
    parser.feed(html)
    assert parser.errors == [] and parser.open == []


def test_report_has_the_programme_summary(html: str) -> None:
    for text in (
        "Peer support worker training",
        "Mon 11 Jan 2027 to Sun 4 Apr 2027",
        "Tuesday 18:00 (2 h), Thursday 18:00 (2 h); 23 held",
        "America/Toronto",
        "Community Health Centre, Room 2",
        "Tue 16 Feb 2027",
        "weeks 1-4: 3 h and intensity 7",
        "week 10 (Mon 15 Mar 2027)",
        "Supervision and skills refresher",
    ):
        assert escape(text) in html


def test_report_has_every_week_and_module(result: cur.Result, html: str) -> None:
    for week in range(1, PROGRAM.weeks + 1):
        assert html.count(f"<strong>Week {week}</strong>") == 1
    for title in result.plan.sessions["title"]:
        assert escape(title) in html
    assert html.count("pre-service</span>") == int(result.plan.sessions["pre_service"].sum())
    assert "holiday Tue 16 Feb" in html


def test_report_explains_the_objective_goal_by_goal(result: cur.Result, html: str) -> None:
    for term in result.objective_terms.itertuples():
        assert f"<td>{term.goal}</td>" in html
        assert escape(str(term.measures)) in html
    assert "<tfoot><tr><td>objective</td>" in html
    assert "Warnings" not in html  # none to show


def test_report_escapes_catalog_programme_and_warning_text(
    hostile: cur.Result, tmp_path: Path
) -> None:
    text = hostile.to_html(tmp_path / "report.html")
    assert "<script" not in text and "<img" not in text
    assert text.count(escape(HOSTILE)) == 6  # title, heading, name, location, module, warning
    assert f'<h2>Warnings</h2><ul class="warnings"><li>{escape(HOSTILE)}</li></ul>' in text


def test_chart_is_valid_svg_with_a_bar_per_kind_and_week(result: cur.Result, html: str) -> None:
    svg = re.search(r"<svg.*?</svg>", html, re.DOTALL)
    assert svg is not None
    root = ElementTree.fromstring(svg.group(0))
    bars = [rect for rect in root.iter("rect") if rect.find("title") is not None]
    weekly = result.plan.weekly
    expected = int((weekly["content_hours"] > 0).sum() + (weekly["skill_hours"] > 0).sum())
    assert len(bars) == expected
    assert len(list(root.iter("path"))) == 1  # the cap
    assert "duties start" in svg.group(0) and "ramp" in svg.group(0)


def test_chart_leaves_out_a_missing_ramp_and_duty_start(result: cur.Result) -> None:
    program = dataclasses.replace(PROGRAM, ramp=cur.Ramp(weeks=0), duties=None)
    svg = weekly_load_svg(result.plan.weekly, program)
    assert "ramp" not in svg and "duties" not in svg


def test_atomic_write_leaves_only_the_report(result: cur.Result, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")
    result.to_html(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_failed_write_keeps_the_old_file_and_no_temporary(
    result: cur.Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.html"
    path.write_text("old", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        result.to_html(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert path.read_text(encoding="utf-8") == "old"


def test_no_plan_raises_infeasible(tmp_path: Path) -> None:
    conflict = cur.Conflict("weeks 1-3 allow 9 hours, the modules need 10")
    infeasible = cur.Result(cur.Status.INFEASIBLE, None, None, 0.1, (conflict,))
    with pytest.raises(cur.InfeasibleError, match="weeks 1-3"):
        infeasible.to_html(tmp_path / "report.html")
    assert list(tmp_path.iterdir()) == []
