"""What the catalog and programme must agree on (inputs/consistency.py): every module fits a
meeting, every facilitator the programme names leads a module; and one facilitator however
the catalog spells them."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from curriculum import CatalogError, Ongoing, Program, ProgramError, read_catalog, read_program
from curriculum.cli import main
from curriculum.inputs.consistency import check_together
from tests.builders import TORONTO, make_catalog, make_program, module, solve_checked, tuesday

CATALOG = "id,title,kind,hours,facilitator\n"


def test_a_facilitator_the_catalog_does_not_know_is_an_error_with_a_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: the typo validated as "No problems found" and the plan put Amara on both
    # dates she cannot do.
    (tmp_path / "modules.csv").write_text(
        CATALOG + "a,A,content,1,Amara Okafor\nb,B,skill,1,Amara Okafor\n"
    )
    (tmp_path / "p.toml").write_text(
        f'start = 2027-01-11\ntimezone = "{TORONTO}"\n\n'
        '[facilitators."Amara Okafur"]\nunavailable = [2027-01-12, 2027-01-14]\n'
    )
    catalog, program = read_catalog(tmp_path / "modules.csv"), read_program(tmp_path / "p.toml")
    with pytest.raises(ProgramError) as error:
        check_together(catalog, program)
    (problem,) = error.value.problems
    assert (problem.line, problem.column) == (4, 'facilitators."Amara Okafur"')
    assert "did you mean 'Amara Okafor'?" in problem.message
    args = ["--modules", str(tmp_path / "modules.csv"), "--program", str(tmp_path / "p.toml")]
    assert main(["validate", *args]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'p.toml'}, line 4" in err and "Amara Okafur" in err
    assert main(["plan", *args]) == 2


def test_spellings_that_differ_in_case_or_spacing_are_one_facilitator(tmp_path: Path) -> None:
    # Before: "amara  okafor" in the catalog made a second calendar, and her unavailable
    # day did not keep that module off it.
    catalog = make_catalog(
        module("a", facilitator="Amara Okafor"),
        module("b", "skill", facilitator=" amara  OKAFOR "),
    )
    assert {m.facilitator for m in catalog.modules} == {"Amara Okafor"}
    program = make_program(2, facilitators={"AMARA OKAFOR": (tuesday(1),)})
    plan = solve_checked(catalog, program).plan
    assert tuesday(1) not in set(plan.sessions["start"].dt.date)
    assert list(plan.to_ics_by_facilitator(tmp_path / "out")) == [tmp_path / "out/amara-okafor.ics"]


def test_a_module_longer_than_every_meeting_is_a_catalog_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: "no plan" (exit 1) with no file or line.
    (tmp_path / "modules.csv").write_text(CATALOG + "a,A,content,1,\nlong,Long,skill,3,\n")
    assert main(["plan", "--modules", str(tmp_path / "modules.csv"), "--timezone", "UTC"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'modules.csv'}, line 3, column 'hours': module 'long' lasts 3 h" in err
    assert "the longest is 2 h" in err
    with pytest.raises(CatalogError, match="index 0, column 'hours'"):
        check_together(make_catalog(module("big", hours=3)), make_program(1))


def test_a_week_to_avoid_outside_the_programme_is_a_catalog_error(tmp_path: Path) -> None:
    path = tmp_path / "modules.csv"
    path.write_text("id,title,kind,hours,avoid_weeks\na,A,content,1,2\nb,B,skill,1,3;9\n")
    with pytest.raises(CatalogError) as info:
        check_together(read_catalog(path), make_program(3))
    (problem,) = info.value.problems  # week 2 and week 3 are in the programme, 9 is not
    assert (problem.line, problem.column) == (3, "avoid_weeks")
    assert "module 'b' avoids week 9, outside the programme's weeks 1-3" in str(info.value)
    assert str(path) in str(info.value)


def test_ongoing_sessions_at_a_meeting_s_time_are_refused_for_a_plan_and_checked_in_one() -> None:
    # Supervision on Tuesdays 18:30 from the week duties start (10), on top of the Tuesday
    # 18:00-20:00 meeting: no new plan is made so; a plan file made so (by an older
    # version, say) still reads, and its check names each session on top of it.
    catalog = read_catalog()
    program = Program(start=date(2027, 1, 11), ongoing=Ongoing(weekday="tue", start="18:30"))
    with pytest.raises(ProgramError) as info:
        check_together(catalog, program)
    (problem,) = info.value.problems
    assert (problem.column, problem.column_label) == ("ongoing.start", "key")
    assert problem.message.startswith(
        "the ongoing sessions (tue 18:30, 1 h) overlap the meeting tue 18:00 (2 h) from "
        "2027-03-16: the trainees cannot be at both"
    )
    check_together(catalog, program, planning=False)  # a plan file's programme: read as it is
    plan = solve_checked(catalog, dataclasses.replace(program, ongoing=None)).plan
    made_so = dataclasses.replace(plan, program=program)
    tuesdays = [
        s for s in plan.sessions.itertuples() if s.week >= 10 and s.start.strftime("%a") == "Tue"
    ]
    assert tuesdays
    broken = [p for p in made_so.check() if "overlaps the weekly" in p]
    assert len(broken) == len(tuesdays)
    assert broken[0].endswith(
        "overlaps the weekly 'Supervision and skills refresher' (18:30-19:30)"
    )
