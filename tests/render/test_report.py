"""The committee report (render/report.py, through `Result.to_html`): self-contained and
complete (every session with its date, time, facilitator and description, holidays,
supervision, the goals in plain words, the reference list), a report without a plan and
one of a re-plan, escaped, written atomically, and printed by Chromium on A4 and US Letter
with no empty page."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest

import curriculum as cur
from curriculum.inputs.evidence import citations, read_evidence
from curriculum.render.report import programme_facts
from tests.builders import solve_checked
from tests.external import assert_prints_without_an_empty_page

PROGRAM = cur.Program(
    start=date(2027, 1, 11),
    timezone="America/Toronto",
    location="Community Health Centre, Room 2",
    holidays=(date(2027, 2, 16),),
)
HOSTILE = "<script>alert('x')</script> & <img src=x onerror=alert(1)>"
VOID = {"meta", "br", "img", "link", "input", "hr", "col"}
EPOCH = "1798761600"  # 2027-01-01 00:00 UTC: Thu 31 Dec 2026 in Toronto


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
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
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


def assert_well_formed(text: str) -> None:
    parser = TagBalance()
    parser.feed(text)
    assert parser.errors == [] and parser.open == []
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.IGNORECASE)
    assert "<script" not in text and "<link" not in text
    assert "@import" not in text and "url(" not in text


def test_report_is_written_and_returned(result: cur.Result, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    text = result.to_html(path)
    assert path.read_text(encoding="utf-8") == text
    assert text.startswith("<!DOCTYPE html>")


def test_report_is_self_contained_and_well_formed(html: str) -> None:
    assert_well_formed(html)
    assert "<style>" in html and "@media print" in html
    assert "break-inside: avoid" in html
    assert not re.search(r"@page\s*{[^}]*size", html)  # the printer's paper: A4 or US Letter


def test_report_says_when_it_was_prepared(html: str) -> None:
    # SOURCE_DATE_EPOCH 2027-01-01 00:00 UTC is 19:00 on Thu 31 Dec 2026 in Toronto
    assert "prepared on Thu 31 Dec 2026" in html


def test_report_has_the_programme_in_plain_words(html: str) -> None:
    for text in (
        "Peer support worker training",
        "Mon 11 Jan 2027 to Sun 4 Apr 2027",
        "Tuesday 18:00–20:00 and Thursday 18:00–20:00; 23 held",
        "America/Toronto",
        "Community Health Centre, Room 2",
        "Tue 16 Feb 2027",
        "gentler in weeks 1-4: at most 3 hours and intensity 7 a week",
        "start in week 10 (Mon 15 Mar 2027)",
        # duties from week 10: Fridays 19 and 26 Mar and 2 Apr, to the programme's end
        "Supervision and skills refresher: every Friday 12:00–13:00 from Fri 19 Mar 2027 "
        "to Fri 2 Apr 2027 (3 sessions)",
        # 36 modules in 23 meetings (24 less the holiday)
        "36 modules (36.5 hours) in 23 meetings",
    ):
        assert escape(text) in html
    for jargon in ("objective", r"bound\b", r"\bgap\b", "weeks_without_skills", "uneven_load"):
        assert not re.search(jargon, html), jargon


def test_report_has_every_session_with_date_time_facilitator_and_description(
    result: cur.Result, html: str
) -> None:
    for week in range(1, PROGRAM.weeks + 1):
        assert html.count(f"<h3>Week {week} · ") == 1
    for row in result.plan.sessions.itertuples():
        start, end = row.start, row.end
        when = f"{start:%a} {start.day} {start:%b}<br>{start:%H:%M}–{end:%H:%M}"
        assert when in html
        assert f"<strong>{escape(row.title)}</strong>" in html
        assert escape(row.description) in html
        assert f'<td class="who">{escape(row.facilitator)}</td>' in html
    assert html.count("pre-service</span>") == int(result.plan.sessions["pre_service"].sum())
    assert '<td class="when">Tue 16 Feb</td><td colspan="2">Holiday: no meeting</td>' in html
    for friday in ("Fri 19 Mar", "Fri 26 Mar", "Fri 2 Apr"):
        assert f'<td class="when">{friday}<br>12:00–13:00</td>' in html


def test_report_says_each_goal_in_plain_words(result: cur.Result, html: str) -> None:
    for goal, value in result.goals.items():
        label = goal.label[0].upper() + goal.label[1:]
        assert f"<td>{escape(label)}</td><td>{escape(goal.shortfall(value))}</td>" in html
    assert "Every rule holds, checked again independently of the solver." in html
    assert "Warnings" not in html  # none to show


def test_report_lists_exactly_the_references_it_cites(html: str) -> None:
    evidence = read_evidence()
    assert escape(f"{evidence.series}, {evidence.date}: “{evidence.title}”") in html
    body, _, listed = html.partition('<ol class="references">')
    cited = citations(body)
    assert {17, 19, 4, 5} <= cited  # the ramp, the balance, duties and supervision
    for reference in evidence.references:
        shown = f"<span>{escape(reference.text)}</span>" in listed
        assert shown == bool(cited & set(reference.numbers)), reference.label
    assert "Hilfinger Messias" not in html  # [1]: the catalog does not cite it


def test_report_of_a_replan_lists_what_changed(replanned_result: cur.Result) -> None:
    html = replanned_result.to_html()
    assert_well_formed(html)
    assert replanned_result.inputs is not None and replanned_result.inputs.previous is not None
    changes = replanned_result.plan.diff(replanned_result.inputs.previous)
    assert not changes.empty
    assert "Re-planned: what happened before Mon 8 Feb 2027 stays as it was" in html
    count = len(changes)
    assert f"{count} module{'s' if count != 1 else ''} changed" in html
    for row in changes.itertuples():
        assert f"<tr><td>{escape(row.title)}</td>" in html
    assert "Peer trainer away</th><td>Tue 23 Feb 2027, Thu 25 Feb 2027" in html


def test_report_of_an_impossible_programme_says_why_and_how_to_fix_it(
    impossible_result: cur.Result,
) -> None:
    html = impossible_result.to_html()
    assert_well_formed(html)
    assert "No plan keeps every rule" in html and "Week by week" not in html
    assert impossible_result.fix is not None
    assert f"One change fixes every clash:</strong> {escape(str(impossible_result.fix))}" in html
    for conflict in impossible_result.conflicts:
        assert escape(conflict.summary) in html
        for rule in conflict.rules:
            assert f"<li>{escape(rule)}</li>" in html
        for suggestion in conflict.suggestions:
            assert escape(str(suggestion)) in html
    assert "start in week 4 (Mon 1 Feb 2027)" in html  # the programme as given
    assert '<ol class="references">' in html


def test_report_of_a_replan_with_no_plan_says_so(replan_after_a_holiday: cur.Result) -> None:
    html = replan_after_a_holiday.to_html()
    assert_well_formed(html)
    assert "cannot be re-planned after the freeze on Mon 15 Mar 2027" in html
    assert escape(replan_after_a_holiday.conflicts[0].summary) in html


def test_no_plan_and_no_inputs_raises_infeasible(tmp_path: Path) -> None:
    conflict = cur.Conflict("weeks 1-3 allow 9 hours, the modules need 10")
    infeasible = cur.Result(cur.Status.INFEASIBLE, None, None, 0.1, (conflict,))
    with pytest.raises(cur.InfeasibleError, match="weeks 1-3"):
        infeasible.to_html(tmp_path / "report.html")
    assert list(tmp_path.iterdir()) == []


def test_report_escapes_catalog_programme_and_warning_text(
    hostile: cur.Result, tmp_path: Path
) -> None:
    text = hostile.to_html(tmp_path / "report.html")
    assert "<script" not in text and "<img" not in text
    # <title>, heading, location in the summary and the facts, module, warning
    assert text.count(escape(HOSTILE)) == 6
    assert f'<h2>Warnings</h2><ul class="warnings"><li>{escape(HOSTILE)}</li></ul>' in text


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


# ------------------------------------------------------------------ printed by Chromium


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_report_prints_with_dates_facilitators_and_references(
    result: cur.Result, html: str, paper: str, tmp_path: Path
) -> None:
    text = assert_prints_without_an_empty_page(html, paper, tmp_path)
    first = result.plan.sessions.sort_values("start").iloc[0]
    assert f"{first['start']:%a} {first['start'].day} {first['start']:%b}" in text
    assert "Clinical supervisor" in text and "Peer trainer" in text
    assert "Tang et al." in text  # [19], in the reference list


@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_report_of_an_impossible_programme_prints(
    impossible_result: cur.Result, paper: str, tmp_path: Path
) -> None:
    text = assert_prints_without_an_empty_page(impossible_result.to_html(), paper, tmp_path)
    assert "One change fixes every clash" in text


def test_the_programme_facts_name_the_modules_caps_and_floors_when_there_are_any() -> None:
    # the load's 3 a week hold after the 4-week ramp, the ramp's own 2 in it; a floor of 2
    # beside a cap of 6, in the ramp too (it follows the load's)
    capped = cur.Program(
        start=date(2027, 1, 11),
        timezone="UTC",
        load=cur.Load(max_modules_per_week=3),
        ramp=cur.Ramp(max_modules_per_week=2),
    )
    assert ("modules", "at most 3 a week; at most 2 in weeks 1-4") in programme_facts(capped)
    floored = cur.Program(
        start=date(2027, 1, 11),
        timezone="UTC",
        load=cur.Load(max_modules_per_week=6, min_modules_per_week=2),
    )
    assert ("modules", "at least 2, at most 6 a week") in programme_facts(floored)
    plain = cur.Program(start=date(2027, 1, 11), timezone="UTC")
    assert "modules" not in dict(programme_facts(plain))
