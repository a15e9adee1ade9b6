"""The trainees' handout (render/handout.py, through `Plan.to_handout`): every session with
its date, time, place, title, description and who leads it, holidays and supervision, in
trainees' words (no scheduling terms), escaped, written atomically, and printed by
Chromium on A4 and US Letter with no empty page."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from html import escape
from pathlib import Path

import pytest

import curriculum as cur
from tests.builders import DEFAULT_PROGRAM, solve_checked
from tests.external import assert_prints_without_an_empty_page

PROGRAM = dataclasses.replace(
    DEFAULT_PROGRAM, location="Community Health Centre, Room 2", holidays=(date(2027, 2, 16),)
)
HOSTILE = "<script>alert('x')</script> & <b>bold</b>"
SCHEDULING_WORDS = (
    "density",
    "intensity",
    "ramp",
    "pre-service",
    "objective",
    "optimal",
    "feasible",
    "solver",
    "cap",
    "module",
)


@pytest.fixture(scope="module")
def plan() -> cur.Plan:
    return solve_checked(cur.read_catalog(), PROGRAM, seed=0).plan


@pytest.fixture(scope="module")
def handout(plan: cur.Plan, tmp_path_factory: pytest.TempPathFactory) -> str:
    return plan.to_handout(tmp_path_factory.mktemp("handout") / "handout.html")


def test_every_session_with_date_time_title_description_and_who_leads(
    plan: cur.Plan, handout: str
) -> None:
    for row in plan.sessions.itertuples():
        when = f"{row.start:%a} {row.start.day} {row.start:%b}<br>{row.start:%H:%M}–{row.end:%H:%M}"
        assert (
            f'<td class="when">{when}</td><td><strong>{escape(row.title)}</strong><br>'
            f'<span class="desc">{escape(row.description)}</span></td>'
            f'<td class="who">{escape(row.facilitator)}</td>'
        ) in handout


def test_where_when_holidays_and_supervision(handout: str) -> None:
    assert "<th>Where</th><td>Community Health Centre, Room 2</td>" in handout
    assert "<th>When</th><td>Mon 11 Jan 2027 to Sun 4 Apr 2027</td>" in handout
    assert "<th>No meeting</th><td>Tue 16 Feb 2027</td>" in handout
    assert '<td class="when">Tue 16 Feb</td><td colspan="2">Holiday: no meeting</td>' in handout
    # duties from week 10: supervision on Fridays 19 and 26 Mar and 2 Apr, to the last day
    for friday in ("Fri 19 Mar", "Fri 26 Mar", "Fri 2 Apr"):
        assert f'<td class="when">{friday}<br>12:00–13:00</td>' in handout
    for week in range(1, PROGRAM.weeks + 1):
        assert handout.count(f"<h3>Week {week} · ") == 1


def test_no_scheduling_terms(plan: cur.Plan, handout: str) -> None:
    # the handout's own words: less the catalog's titles and descriptions (a module may
    # well be called "Pre-service skills check")
    text = re.sub(r"<style>.*?</style>|<[^>]+>", " ", handout, flags=re.DOTALL)
    for catalog_text in [*plan.sessions["title"], *plan.sessions["description"]]:
        text = text.replace(escape(catalog_text), " ")
    found = [word for word in SCHEDULING_WORDS if re.search(rf"\b{word}", text.lower())]
    assert found == []


def test_handout_is_self_contained_and_written_atomically(plan: cur.Plan, tmp_path: Path) -> None:
    path = tmp_path / "handout.html"
    path.write_text("old", encoding="utf-8")
    text = plan.to_handout(path)
    assert path.read_text(encoding="utf-8") == text == plan.to_handout()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.html"]
    assert "<script" not in text and "<link" not in text and "url(" not in text


def test_handout_text_is_escaped() -> None:
    frame = cur.read_catalog().frame
    frame.loc[0, ["title", "description", "facilitator"]] = HOSTILE
    program = dataclasses.replace(PROGRAM, name=HOSTILE, location=HOSTILE)
    plan = solve_checked(cur.Catalog.from_frame(frame), program, seed=0).plan
    text = plan.to_handout()
    assert "<script" not in text and "<b>" not in text
    # <title>, heading, where; the module's title, description and facilitator
    assert text.count(escape(HOSTILE)) == 6


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_handout_prints_with_dates_and_who_leads(
    plan: cur.Plan, handout: str, paper: str, tmp_path: Path
) -> None:
    text = assert_prints_without_an_empty_page(handout, paper, tmp_path)
    for row in plan.sessions.itertuples():
        assert " ".join(str(row.title).split()) in text
    assert "Tue 12 Jan 18:00–" in text and "Clinical supervisor" in text
