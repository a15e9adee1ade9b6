"""Reading a plan back from its CSV (export/plan_file.py): the sessions as written, the
programme and catalog rebuilt as far as the file shows them, and bad files refused."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pandas as pd
import pytest

from curriculum import Load, Meeting, Plan, PlanFileError, Program, Ramp, Result, read_plan
from curriculum.cells import slug
from curriculum.cli import main
from curriculum.errors import PlanWithoutProgramError
from curriculum.goals import Goal, score
from tests.builders import (
    NO_WEIGHTS,
    THU,
    TUE,
    laid_out,
    make_catalog,
    make_program,
    module,
    solve_checked,
    thursday,
    tuesday,
    two_versions,
)
from tests.external import ToolMissingError, require, spreadsheet_round_trip

COLUMNS = ["week", "start", "end", "module", "title", "kind", "hours", "density", "sequence"]


def test_a_plan_comes_back_from_its_csv(tmp_path: Path) -> None:
    _, plan = two_versions()
    path = tmp_path / "plan.csv"
    plan.to_csv(path)
    back = read_plan(path)
    assert back.sessions[COLUMNS].equals(plan.sessions[COLUMNS])
    # the programme the file carries, exactly (nothing invented)
    assert back.program == plan.program
    assert (back.program.name, back.program.timezone) == (plan.program.name, "UTC")
    assert [m.id for m in back.catalog.modules] == list(plan.sessions["module"])
    assert back.check() == []
    again = read_plan(path, catalog=plan.catalog, program=plan.program)
    assert again.check() == []


def test_spreadsheet_escapes_are_undone(tmp_path: Path) -> None:
    catalog = make_catalog(module("sum", title="=SUM(A1)"))
    plan = Plan.from_assignment(catalog, make_program(1), {"sum": 0})
    plan.to_csv(tmp_path / "plan.csv")
    assert read_plan(tmp_path / "plan.csv").sessions["title"].tolist() == ["=SUM(A1)"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("module,title,end\nx,X,2027-01-12T19:00:00+00:00\n", "column 'start' is missing"),
        ("module,title,start,end\n", "it holds no sessions"),
        (
            "module,title,start,end\nx,X,notadate,2027-01-01\n",
            "line 2, column 'start': module 'x': start 'notadate' is not a date and time like",
        ),
    ],
)
def test_bad_plan_files_are_refused_with_the_reason(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "plan.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanFileError, match=words) as error:
        read_plan(path, program=make_program(1))
    assert str(path) in str(error.value)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        # each used to pass as another value (density 'abc' and '' as 3, '3.9' as 3) or end
        # in a traceback (inf, 1e20, years pandas cannot hold, a programme that is no table)
        ("density", "abc", "line 2, column 'density': module 'a': density 'abc' is not a whole"),
        ("density", "3.9", "line 2, column 'density': module 'a': density '3.9' is not a whole"),
        ("latest_week", "inf", "line 2, column 'latest_week': module 'a': latest_week 'inf'"),
        ("meeting", "1e20", "line 2, column 'meeting': module 'a': meeting '1e20' is not a"),
        ("date", "9999-12-31", "line 2, column 'date': module 'a': the date is beyond the dates"),
        ("date", "2027-13-01", "line 2, column 'date': module 'a': date '2027-13-01' is not"),
        ("start_time", "25:00", "line 2, column 'start_time': module 'a': '25:00' is not a time"),
        ("settings", "[]", "the programme it carries is not a table of settings: []"),
        ("pre_service", "maybe", "column 'pre_service': module 'a': pre_service 'maybe' must"),
        ("final", "perhaps", "line 2, column 'final': module 'a': final 'perhaps' must be"),
    ],
)
def test_a_cell_that_cannot_be_what_its_column_holds_is_named(
    tmp_path: Path, column: str, value: str, words: str
) -> None:
    _, plan = two_versions()
    path = tmp_path / "plan.csv"
    plan.to_csv(path)
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    rows[1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    with pytest.raises(PlanFileError) as error:
        read_plan(path)
    assert words in str(error.value) and str(path) in str(error.value)


def test_a_start_beyond_the_dates_a_plan_holds_is_read_from_its_local_cells(
    tmp_path: Path,
) -> None:
    # the ISO cell is 9999-12-31; the date and time cells, which win, say when it is
    _, plan = two_versions()
    path = tmp_path / "plan.csv"
    plan.to_csv(path)
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    rows[1][rows[0].index("start")] = "9999-12-31T18:00:00+00:00"
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(rows)
    assert read_plan(path).sessions["start"].equals(plan.sessions["start"])


@pytest.mark.parametrize("column", ["pre_service", "density", "kind", "final", "latest_week"])
def test_a_rule_column_deleted_from_a_plan_file_is_missing_not_a_default(
    default_plan: Plan, tmp_path: Path, column: str
) -> None:
    # Before: without `pre_service` a pre-service module moved past the duty start passed
    # `check`; without `density` or `kind` every module was judged by a default it never
    # had (made-up intensity breaks, "kind '' in the plan"). With the catalog given, the
    # column is taken from it.
    path = written_without(default_plan, tmp_path / "plan.csv", column)
    with pytest.raises(PlanFileError) as error:
        read_plan(path)
    (problem,) = error.value.problems
    assert problem.column == column
    assert f"column '{column}' is missing: a plan file carries each module's rules" in str(
        error.value
    )
    # judged by the catalog's rules, not by defaults (it said "density 3 in the plan but 1
    # in the catalog" of every module)
    assert read_plan(path, catalog=default_plan.catalog).check() == []


def written_without(plan: Plan, path: Path, column: str) -> Path:
    """The plan's CSV at `path` with one column deleted, as in a spreadsheet."""
    plan.to_csv(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=[column]).to_csv(path, index=False)
    return path


def test_a_deleted_status_column_is_missing_not_the_series_read_as_a_session(
    default_plan: Plan, tmp_path: Path
) -> None:
    # Before: "line 38, column 'module': module '': id is empty" (the series' row)
    path = written_without(default_plan, tmp_path / "plan.csv", "status")
    with pytest.raises(PlanFileError, match="column 'status' is missing: a row is confirmed"):
        read_plan(path)


@pytest.mark.parametrize(
    ("save", "words"),
    [
        (lambda text: text.encode("cp1252"), "line 2: the file is not UTF-8 (byte 0xe9"),
        (lambda text: text.encode("utf-16"), "the file is UTF-16 text, not UTF-8"),
        (lambda text: b"PK\x03\x04" + text.encode(), "an .xlsx or .ods workbook, not CSV"),
        (
            lambda text: "\n".join(ln.replace(",", ";") for ln in text.splitlines()).encode(),
            "line 1: the header looks semicolon-delimited",
        ),
    ],
)
def test_a_plan_file_a_spreadsheet_saved_otherwise_says_how_to_save_it(
    tmp_path: Path, save: Callable[[str], bytes], words: str
) -> None:
    # Before: "cannot be read as a plan: 'utf-8' codec can't decode byte 0xe9 in position
    # 359", or one "the row has 25 cells but the header has 1" per row, where a catalog
    # saved the same way is told what it is and how to save it
    catalog = make_catalog(module("cafe", title="Caf\u00e9 et sant\u00e9"))
    path = tmp_path / "plan.csv"
    Plan.from_assignment(catalog, make_program(1), {"cafe": 0}).to_csv(path)
    path.write_bytes(save(path.read_text(encoding="utf-8")))
    with pytest.raises(PlanFileError) as error:
        read_plan(path)
    assert words in str(error.value) and len(error.value.problems) == 1
    if "semicolon" not in words:
        assert "save it as 'CSV UTF-8' from your spreadsheet program" in str(error.value)


def test_a_re_plans_past_stays_unedited_with_a_cohort_column(
    default_plan: Plan, tmp_path: Path
) -> None:
    # One cohort's rows of a cohorts CSV carry `cohort`: it went into each past session's
    # event text, so no fingerprint matched and the past was judged again (a module held
    # then removed from the catalog since was "not in the catalog")
    later = solve_checked(
        default_plan.catalog,
        default_plan.program,
        previous=default_plan,
        freeze_before=date(2027, 3, 1),
    ).plan
    path = tmp_path / "re-plan.csv"
    later.to_csv(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.insert(0, "cohort", "Evening cohort")
    frame.to_csv(tmp_path / "cohort.csv", index=False)
    plain, with_cohort = read_plan(path), read_plan(tmp_path / "cohort.csv")
    assert plain.frozen is not None and with_cohort.frozen is not None
    assert len(plain.frozen) > 0
    pd.testing.assert_frame_equal(with_cohort.frozen, plain.frozen)


def test_a_deleted_status_column_is_missing_with_a_catalog_too(
    default_plan: Plan, tmp_path: Path
) -> None:
    # a catalog fills the rules, not the status: the series' row was read as a session
    # (five made-up broken rules, "module '' is not in the catalog")
    path = written_without(default_plan, tmp_path / "plan.csv", "status")
    with pytest.raises(PlanFileError, match="column 'status' is missing"):
        read_plan(path, catalog=default_plan.catalog)


def test_a_plan_file_without_its_programme_needs_one_given(tmp_path: Path) -> None:
    # a file as an older version wrote it: no `settings` column, so no programme to check
    # against; nothing is invented, the programme must be given
    path = tmp_path / "plan.csv"
    path.write_text(
        "week,module,title,kind,hours,density,start,end\n"
        "1,x,X,content,1,2,2027-01-12T18:00:00+00:00,2027-01-12T19:00:00+00:00\n"
    )
    with pytest.raises(PlanWithoutProgramError, match="does not say which programme"):
        read_plan(path)
    plan = read_plan(path, program=make_program(1))
    assert plan.sessions["module"].tolist() == ["x"]
    assert plan.check() == []


def test_a_missing_plan_file_is_a_plan_file_error(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="cannot read the file"):
        read_plan(tmp_path / "nowhere.csv")


def edit_first_row(path: Path, cells: dict[str, str]) -> dict[str, str]:
    """Change cells of the first row of a plan CSV, as a spreadsheet user would; the row."""
    return edit_row(path, 0, cells)


def edit_row(path: Path, index: int, cells: dict[str, str]) -> dict[str, str]:
    """Change cells of a row of a plan CSV (0 is the first after the header), as a
    spreadsheet user would; the row."""
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    rows[index].update(cells)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows[index]


def test_a_module_the_programme_cannot_hold_is_named_by_its_file_line(
    default_plan: Plan, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Before: "row 3, column 'hours'" of a session on line 4 (its place among the sessions)
    path = tmp_path / "plan.csv"
    default_plan.to_csv(path)
    row = edit_row(path, 2, {"end_time": "00:00"})  # line 4: now 6 hours long
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, line 4, column 'hours': module '{row['module']}' lasts 6 h" in err


@pytest.mark.parametrize(
    ("sequence", "words"),
    [
        ("2147483647", "SEQUENCE 2147483647, too large to go up once more"),
        ("99999999999999999999999", "too large to go up once more"),
        ("1e30", "SEQUENCE '1e30', not a whole number of 0 or more"),
        ("-5", "SEQUENCE '-5', not a whole number"),
    ],
)
def test_a_sequence_no_calendar_can_carry_on_is_named_with_its_module(
    tmp_path: Path, sequence: str, words: str
) -> None:
    _, plan = two_versions()
    path = tmp_path / "plan.csv"
    plan.to_csv(path)
    first = edit_first_row(path, {"sequence": sequence})
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 2, "sequence")
    assert problem.message.startswith(f"module '{first['module']}' has ")
    assert words in problem.message


def _saved_by_a_spreadsheet(plan: Plan, tmp_path: Path) -> Path:
    """The plan's CSV as LibreOffice Calc saves it again (a missing tool fails in CI)."""
    written = tmp_path / "plan.csv"
    plan.to_csv(written)
    (tmp_path / "saved").mkdir()
    try:
        return spreadsheet_round_trip(written, tmp_path / "saved")
    except ToolMissingError as missing:
        require(missing)


def test_a_plan_saved_again_by_a_spreadsheet_reads_back_identical(
    default_plan: Plan, tmp_path: Path
) -> None:
    # LibreOffice Calc opens the CSV (Toronto, daylight time from week 10) and saves it:
    # times come back as '06:00:00 PM', flags as 'TRUE', whole hours as '1'
    saved = _saved_by_a_spreadsheet(default_plan, tmp_path)
    text = saved.read_text(encoding="utf-8")
    assert "06:00:00 PM" in text  # the spreadsheet really did rewrite the times
    back = read_plan(saved)
    assert back.check() == []
    columns = ["week", "start", "end", "module", "title", "kind", "tags", "hours", "density"]
    pd.testing.assert_frame_equal(back.sessions[columns], default_plan.sessions[columns])
    assert back.program == default_plan.program


def test_a_re_plan_saved_again_by_a_spreadsheet_keeps_its_past_unjudged(
    replanned_result: Result, tmp_path: Path
) -> None:
    # The re-plan's past (weeks 1-4) is spared by the check only while each past session is
    # what the ledger records: a spreadsheet's rewriting of times, flags and numbers is no
    # edit, so all of it comes back as the past.
    plan = replanned_result.plan
    assert plan is not None and plan.frozen is not None
    saved = _saved_by_a_spreadsheet(plan, tmp_path)
    assert "TRUE" in saved.read_text(encoding="utf-8")  # really rewritten
    back = read_plan(saved)
    assert back.frozen is not None
    assert list(back.frozen["module"]) == list(plan.frozen["module"])
    assert back.check() == []


def test_times_without_an_offset_are_the_plans_own_local_times(
    default_plan: Plan, tmp_path: Path
) -> None:
    # a spreadsheet that turns the ISO instants into its own date-times writes them without
    # an offset ('2027-03-16 18:00:00'): they are Toronto time, not UTC (5 h apart in winter,
    # 4 h in summer); the local date and time columns are dropped so the ISO ones count
    path = tmp_path / "plan.csv"
    default_plan.to_csv(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in ("start", "end"):
        frame[column] = [
            pd.Timestamp(text).tz_localize(None).strftime("%Y-%m-%d %H:%M:%S")
            for text in frame[column]
        ]
    frame.drop(columns=["date", "start_time", "end_time"]).to_csv(path, index=False)
    back = read_plan(path)
    assert back.check() == []
    assert back.sessions["start"].tolist() == default_plan.sessions["start"].tolist()
    assert back.sessions["end"].tolist() == default_plan.sessions["end"].tolist()


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"end_time": "17:00"}, "end", "ends at 2027-01-12 17:00, not after it starts"),
        ({"end_time": "18:00"}, "end", "not after it starts (2027-01-12 18:00)"),
        ({"density": "9"}, "density", "density '9' must be a whole number from 1 to 5"),
        ({"hours": "-2"}, "hours", "hours -2 must be positive"),
        ({"avoid_weeks": "6;x"}, "avoid_weeks", "avoid_weeks '6;x' must be week numbers"),
        ({"avoid_weeks": "0"}, "avoid_weeks", "avoid_weeks '0' must be a week number from 1"),
    ],
)
def test_a_tampered_row_is_named_with_its_module(
    tmp_path: Path, cells: dict[str, str], column: str, words: str
) -> None:
    # the first session of two_versions: 'theory', Tue 2027-01-12 18:00-19:00 (UTC)
    _, plan = two_versions()
    path = tmp_path / "plan.csv"
    plan.to_csv(path)
    first = edit_first_row(path, cells)
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    [problem] = info.value.problems
    # the first row after the header: line 2 of the file
    assert (problem.file, problem.line, problem.column) == (str(path), 2, column)
    assert problem.message.startswith(f"module '{first['module']}'")
    assert words in problem.message


def test_the_modules_cap_and_the_weeks_to_avoid_come_back_from_csv_and_ics(
    tmp_path: Path,
) -> None:
    # a cap of 1 module a week and 'a' avoiding week 1: 'b' in week 1, 'a' in week 2; the
    # file carries both, so the plan read back checks the same and scores the same
    catalog = make_catalog(module("a", avoid_weeks="1"), module("b", "skill"))
    program = make_program(2, load=Load(4, 10, max_modules_per_week=1))
    plan = solve_checked(catalog, program).plan
    plan.to_csv(tmp_path / "plan.csv")
    plan.to_ics(tmp_path / "plan.ics")
    for name in ("plan.csv", "plan.ics"):
        back = read_plan(tmp_path / name)
        assert back.program.load.max_modules_per_week == 1
        assert back.catalog["a"].avoid_weeks == (1,) and back.catalog["b"].avoid_weeks == ()
        assert back.check() == []
        both = Plan.from_assignment(back.catalog, back.program, {"a": 0, "b": 0})
        assert both.check() == ["week 1 has 2 modules; the cap is 1 a week"]
        assert score(both.sessions, both.weekly, back.program)[Goal.AVOIDED_WEEKS] == 1


def test_the_modules_floor_comes_back_from_csv_and_ics(tmp_path: Path) -> None:
    # a floor of 1 module a week over 2 weeks: 'a' and 'b' in a week each; the file carries
    # the floor, so the plan read back checks clean, and both in week 1 breaks it
    catalog = make_catalog(module("a"), module("b", "skill"))
    program = make_program(2, load=Load(4, 10, min_modules_per_week=1))
    plan = solve_checked(catalog, program).plan
    assert sorted(plan.sessions["week"]) == [1, 2]
    plan.to_csv(tmp_path / "plan.csv")
    plan.to_ics(tmp_path / "plan.ics")
    for name in ("plan.csv", "plan.ics"):
        back = read_plan(tmp_path / name)
        assert back.program.load.min_modules_per_week == 1
        assert back.check() == []
        both = Plan.from_assignment(back.catalog, back.program, {"a": 0, "b": 0})
        assert both.check() == ["week 2 has 0 modules; the floor is 1 a week"]


def _re_plan_under_a_floor() -> Plan:
    """Published with no floor ('a' on Tue of week 1, 'b' and 'c' in week 2, 'd' and 'e' in
    week 3), re-planned with at least 2 modules a week, frozen before Fri 2027-01-15: week
    1 is past, 'a' alone in it, which the floor does not judge."""
    catalog = make_catalog(*(module(m) for m in "abcde"))
    free = make_program(3, (TUE, THU), weights=NO_WEIGHTS)
    days = {"a": tuesday(1), "b": tuesday(2), "c": thursday(2), "d": tuesday(3), "e": thursday(3)}
    published = laid_out(catalog, free, days)
    floored = make_program(
        3, (TUE, THU), load=Load(4, 10, min_modules_per_week=2), weights=NO_WEIGHTS
    )
    freeze = date(2027, 1, 15)
    return solve_checked(catalog, floored, previous=published, freeze_before=freeze).plan


@pytest.mark.parametrize("suffix", [".csv", ".ics"])
def test_a_re_plan_keeps_its_freeze_date_so_a_check_spares_its_past(
    tmp_path: Path, suffix: str
) -> None:
    plan = _re_plan_under_a_floor()
    path = tmp_path / f"re-plan{suffix}"
    plan.to_csv(path) if suffix == ".csv" else plan.to_ics(path)
    read = read_plan(path)
    assert read.freeze_before == date(2027, 1, 15)
    assert read.frozen is not None and list(read.frozen["module"]) == ["a"]
    assert read.check() == []
    forgotten = dataclasses.replace(read, frozen=None, freeze_before=None)
    assert forgotten.check() == ["week 1 has 1 module; the floor is 2 a week"]


def test_a_past_session_edited_in_the_file_is_judged_again(tmp_path: Path) -> None:
    # The re-plan is frozen before Fri 2027-01-15; 'a' was taught on Tue of week 1. Moved
    # by hand to the Wednesday night, still before the freeze, it is no longer the session the
    # file's ledger records, so the check judges it instead of sparing it as the past.
    plan = _re_plan_under_a_floor()
    path = tmp_path / "re-plan.csv"
    plan.to_csv(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = frame.index[frame["module"] == "a"][0]
    frame.loc[row, ["date", "start_time", "end_time"]] = ["2027-01-13", "03:00", "04:00"]
    frame.to_csv(path, index=False)
    read = read_plan(path)
    assert read.frozen is not None and read.frozen.empty
    (problem,) = [p for p in read.check() if "'a'" in p]
    assert problem.startswith("module 'a' at Wed 2027-01-13 03:00-04:00 is not inside any meeting")


def test_a_past_event_edited_in_the_calendar_is_judged_again(tmp_path: Path) -> None:
    plan = _re_plan_under_a_floor()
    path = tmp_path / "re-plan.ics"
    plan.to_ics(path)
    text = path.read_text(encoding="utf-8")
    moved = text.replace("DTSTART:20270112T180000Z", "DTSTART:20270113T030000Z", 1)
    moved = moved.replace("DTEND:20270112T190000Z", "DTEND:20270113T040000Z", 1)
    assert moved != text
    path.write_text(moved, encoding="utf-8")
    read = read_plan(path)
    assert read.frozen is not None and read.frozen.empty
    assert any(p.startswith("module 'a' at Wed 2027-01-13 03:00-04:00") for p in read.check())


@pytest.mark.parametrize("suffix", [".csv", ".ics"])
def test_a_re_plan_read_with_its_catalog_keeps_the_modules_its_past_taught_as_history(
    tmp_path: Path, suffix: str
) -> None:
    # 'a' was taught in week 1, then dropped from the catalog: the re-plan keeps it as
    # history, and so does the plan read back with the catalog it was made from. The
    # catalog's extra column ('room', in each event's description, not read back from a
    # calendar) leaves the past events as the ledger records them.
    catalog = make_catalog(*(module(m, room=f"Room {m}") for m in "abcd"))
    program = make_program(2, (TUE, THU), weights=NO_WEIGHTS)
    days = {"a": tuesday(1), "b": thursday(1), "c": tuesday(2), "d": thursday(2)}
    published = laid_out(catalog, program, days)
    without_a = make_catalog(*(module(m, room=f"Room {m}") for m in "bcd"))
    freeze = date(2027, 1, 13)  # Wednesday of week 1: 'a' taught, 'b' still to come
    plan = solve_checked(without_a, program, previous=published, freeze_before=freeze).plan
    path = tmp_path / f"re-plan{suffix}"
    plan.to_csv(path) if suffix == ".csv" else plan.to_ics(path)
    read = read_plan(path, catalog=without_a)
    assert read.frozen is not None and list(read.frozen["module"]) == ["a"]
    assert "a" in read.catalog and [m.id for m in without_a.modules] == ["b", "c", "d"]
    assert read.check() == []
    new_module = read_plan(path, catalog=make_catalog(*(module(m, room="") for m in "bcde")))
    assert new_module.check() == ["module 'e' is missing from the plan"]


@pytest.mark.parametrize("suffix", [".csv", ".ics"])
def test_a_re_plan_that_cancels_a_module_reads_back_without_it_in_its_catalog(
    tmp_path: Path, suffix: str
) -> None:
    # 'd' is dropped after publication: the re-plan cancels its event. Read back on its
    # own, the file's catalog is its sessions' modules: 'd' is cancelled, not missing.
    catalog = make_catalog(*(module(m) for m in "abcd"))
    program = make_program(2, (TUE, THU), weights=NO_WEIGHTS)
    days = {"a": tuesday(1), "b": thursday(1), "c": tuesday(2), "d": thursday(2)}
    published = laid_out(catalog, program, days)
    without_d = make_catalog(*(module(m) for m in "abc"))
    freeze = date(2027, 1, 13)
    plan = solve_checked(without_d, program, previous=published, freeze_before=freeze).plan
    assert list(plan.cancelled["module"]) == ["d"]
    path = tmp_path / f"re-plan{suffix}"
    plan.to_csv(path) if suffix == ".csv" else plan.to_ics(path)
    read = read_plan(path)
    assert list(read.cancelled["module"]) == ["d"] and "d" not in read.catalog
    assert read.check() == []


@pytest.mark.parametrize("suffix", [".csv", ".ics"])
def test_a_re_plan_s_cancellation_still_reaches_its_facilitator_s_calendar_once_read_back(
    tmp_path: Path, suffix: str
) -> None:
    # Alex led 'd', dropped after publication. The re-plan's file, read back and published
    # by facilitator, cancels 'd' in Alex's calendar (the one that had it) and in no other.
    catalog = make_catalog(*(module(m, facilitator="Alex" if m == "d" else "Sam") for m in "abcd"))
    program = make_program(2, (TUE, THU), weights=NO_WEIGHTS)
    days = {"a": tuesday(1), "b": thursday(1), "c": tuesday(2), "d": thursday(2)}
    published = laid_out(catalog, program, days)
    without_d = make_catalog(*(module(m, facilitator="Sam") for m in "abc"))
    freeze = date(2027, 1, 13)
    plan = solve_checked(without_d, program, previous=published, freeze_before=freeze).plan
    path = tmp_path / f"re-plan{suffix}"
    plan.to_csv(path) if suffix == ".csv" else plan.to_ics(path)
    for source in (plan, read_plan(path)):
        folder = tmp_path / f"by-facilitator-{source is plan}"
        written = sorted(p.name for p in source.to_ics_by_facilitator(folder))
        assert written == ["alex.ics", "sam.ics"]
        alex = (folder / "alex.ics").read_text(encoding="utf-8")
        assert alex.count("BEGIN:VEVENT") == 1 and "STATUS:CANCELLED" in alex


def test_a_freeze_date_that_is_no_date_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "re-plan.csv"
    _re_plan_under_a_floor().to_csv(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["freeze_before"] = "15/01/2027"
    frame.to_csv(path, index=False)
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    (problem,) = info.value.problems
    assert problem.column == "freeze_before" and "not a date" in problem.message


def test_rows_that_disagree_on_the_freeze_date_are_refused_naming_the_first_that_differs(
    tmp_path: Path,
) -> None:
    path = tmp_path / "re-plan.csv"
    _re_plan_under_a_floor().to_csv(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[2, "freeze_before"] = "2027-01-22"  # one row edited in a spreadsheet
    frame.to_csv(path, index=False)
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (4, "freeze_before")  # the third row
    assert problem.message == (
        f"module '{frame.loc[2, 'module']}' has the freeze date '2027-01-22' where the rows "
        "before it have '2027-01-15'; a plan has one freeze date"
    )


def test_a_calendar_s_freeze_date_that_is_no_date_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "re-plan.ics"
    _re_plan_under_a_floor().to_ics(path)
    text = path.read_bytes().replace(b"FREEZE-BEFORE:2027-01-15", b"FREEZE-BEFORE:next week")
    path.write_bytes(text)
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    (problem,) = info.value.problems
    assert problem.column == "X-CURRICULUM-FREEZE-BEFORE" and problem.column_label == "property"
    assert "'next week' is not a date" in problem.message


FALL_BACK_NIGHTS = [("America/Toronto", date(2027, 11, 7)), ("Europe/London", date(2027, 10, 31))]


@pytest.fixture(params=FALL_BACK_NIGHTS, ids=[zone for zone, _ in FALL_BACK_NIGHTS])
def fall_back(request: pytest.FixtureRequest) -> tuple[Plan, Program, date]:
    """`_across_a_fall_back_night` of each zone, and its Sunday."""
    zone, sunday = request.param
    return (*_across_a_fall_back_night(zone, sunday), sunday)


def _across_a_fall_back_night(zone: str, sunday: date) -> tuple[Plan, Program]:
    """A Sunday 00:30 meeting of 3 h on the night the clocks go back from 02:00 to 01:00:
    a 2 h module, then a 0.5 h one (content before skills), so the first ends and the
    second starts at the second 01:30. Two weeks, so that a re-plan can freeze the first."""
    catalog = make_catalog(
        module("long", hours=2, latest_week=1), module("short", "skill", 0.5, latest_week=1)
    )
    program = Program(
        start=sunday - timedelta(days=6),
        weeks=2,
        timezone=zone,
        meetings=(Meeting("sun", "00:30", 3),),
        ramp=Ramp(weeks=0),
        duties=None,
        ongoing=None,
    )
    plan = solve_checked(catalog, program).plan
    local = [
        (f"{start:%H:%M}", f"{end:%H:%M}", hours)
        for start, end, hours in zip(
            plan.sessions["start"], plan.sessions["end"], plan.sessions["hours"]
        )
    ]
    assert local == [("00:30", "01:30", 2.0), ("01:30", "02:00", 0.5)]  # the repeated 01:30
    return plan, program


def _instants(plan: Plan) -> list[tuple[str, pd.Timestamp, pd.Timestamp, float]]:
    sessions = plan.sessions
    return list(zip(sessions["module"], sessions["start"], sessions["end"], sessions["hours"]))


def test_a_plan_across_a_fall_back_night_reads_back_from_its_csv_as_from_its_calendar(
    tmp_path: Path, fall_back: tuple[Plan, Program, date]
) -> None:
    # The CSV's local columns show 01:30 for both; only the ISO columns' offsets tell the
    # first 01:30 from the second. Read as the first, the 2 h module lasted 1 h.
    plan, _, _ = fall_back
    plan.to_csv(tmp_path / "plan.csv")
    plan.to_ics(tmp_path / "plan.ics")
    for name in ("plan.csv", "plan.ics"):
        back = read_plan(tmp_path / name)
        assert _instants(back) == _instants(plan), name
        assert back.check() == []


def test_a_re_plan_from_the_csv_of_a_fall_back_night_changes_nothing(
    tmp_path: Path, fall_back: tuple[Plan, Program, date]
) -> None:
    # Nothing changed but the freeze: the past sessions are the ones published, their
    # calendar events untouched (no SEQUENCE raised, which would push them again).
    plan, program, sunday = fall_back
    plan.to_csv(tmp_path / "plan.csv")
    previous = read_plan(tmp_path / "plan.csv")
    freeze = sunday + timedelta(days=1)
    again = solve_checked(plan.catalog, program, previous=previous, freeze_before=freeze).plan
    assert again.diff(plan).empty and again.diff(previous).empty
    assert _instants(again) == _instants(plan)
    assert again.events is not None and set(again.events["sequence"]) == {0}


@pytest.mark.parametrize("status", ["CONFIRMED", " Confirmed ", "confirmed"])
def test_a_status_is_read_whatever_its_case_and_spaces(tmp_path: Path, status: str) -> None:
    _, plan = two_versions()
    path = tmp_path / "plan.csv"
    plan.to_csv(path)
    edit_first_row(path, {"status": status})
    assert read_plan(path).sessions["module"].tolist() == plan.sessions["module"].tolist()


def _plan_with_a_two_line_description(path: Path) -> Plan:
    """'a' (whose description takes two lines of the CSV: lines 2 and 3), 'b' on line 4,
    'c' on line 5."""
    catalog = make_catalog(
        module("a", description="first line\nsecond line"), module("b"), module("c")
    )
    plan = Plan.from_assignment(catalog, make_program(1), {"a": 0, "b": 0, "c": 0})
    plan.to_csv(path)
    assert path.read_text(encoding="utf-8").count("\n") == 5
    return plan


@pytest.mark.parametrize(("status", "said"), [("", "status is empty"), ("done", "status 'done'")])
def test_a_row_of_no_known_status_is_refused_by_its_line(
    tmp_path: Path, status: str, said: str
) -> None:
    # it used to be left out without a word: a module gone from the plan, and a check
    # that found every rule held
    path = tmp_path / "plan.csv"
    _plan_with_a_two_line_description(path)
    edit_row(path, 1, {"status": status})  # 'b', on line 4
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 4, "status")
    assert problem.message.startswith(said)
    assert "confirmed" in problem.message and "cancelled" in problem.message


@pytest.mark.parametrize(
    ("cut", "words"),
    [
        (lambda text: text.rindex(",c,") + 3, "the row has 8 cells but the header has 32 columns"),
        (lambda text: text.rindex("timezone"), "the file may be cut off inside a quoted cell"),
    ],
    ids=["between-cells", "inside-a-quoted-cell"],
)
def test_a_file_cut_off_mid_row_is_refused_by_the_line_of_that_row(
    tmp_path: Path, cut: Callable[[str], int], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plan.csv"
    _plan_with_a_two_line_description(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: cut(text)], encoding="utf-8")  # in 'c', on line 5
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == (str(path), 5)
    assert words in problem.message
    assert main(["check", str(path)]) == 2
    assert f"{path}, line 5: " in capsys.readouterr().err


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"module": "a"}, "module", "module 'a': duplicate id 'a' (first used on line 2)"),
        ({"density": "9"}, "density", "module 'c': density '9' must be a whole number from 1 to 5"),
    ],
)
def test_a_module_the_catalog_rules_refuse_is_named_by_the_plan_file_s_line_and_column(
    tmp_path: Path, cells: dict[str, str], column: str, message: str
) -> None:
    # the catalog rules number modules from 1 and call their column 'id'; a plan file
    # counts lines from its header and calls it 'module'
    path = tmp_path / "plan.csv"
    _plan_with_a_two_line_description(path)
    edit_row(path, 2, cells)  # 'c', on line 5
    with pytest.raises(PlanFileError) as info:
        read_plan(path)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 5, column)
    assert problem.message == message


def test_a_session_ending_at_midnight_reads_back_from_its_csv(tmp_path: Path) -> None:
    # A 22:00 meeting of 2 h: the CSV shows end_time 00:00 beside the start's date; the
    # session ends the next day, not before it starts.
    catalog = make_catalog(module("late", hours=2), module("later", "skill", hours=2))
    program = make_program(1, (Meeting("tue", "22:00", 2), Meeting("thu", "22:00", 2)))
    plan = solve_checked(catalog, program).plan
    plan.to_csv(tmp_path / "plan.csv")
    back = read_plan(tmp_path / "plan.csv")
    assert _instants(back) == _instants(plan)
    assert {f"{end:%H:%M}" for end in back.sessions["end"]} == {"00:00"}
    assert back.check() == []
    # edited in a spreadsheet to end at 23:00 (the ISO cells still say midnight): the edit
    # is read as it is, one hour on the same day
    edit_first_row(tmp_path / "plan.csv", {"end_time": "23:00", "hours": "1"})
    first = read_plan(tmp_path / "plan.csv").sessions.iloc[0]
    assert first["end"] - first["start"] == pd.Timedelta(hours=1)


def test_a_plan_read_in_another_time_zone_keeps_its_sessions_lengths(tmp_path: Path) -> None:
    # Toronto's 17:30-19:30 meeting is 23:30-01:30 in Paris: read under a Paris programme
    # (check --timezone), the local columns name Paris times, and no session gains a day.
    toronto = dataclasses.replace(
        make_program(1, (Meeting("tue", "17:30", 2),)), timezone="America/Toronto"
    )
    plan = solve_checked(make_catalog(module("a"), module("b", "skill")), toronto).plan
    plan.to_csv(tmp_path / "plan.csv")
    paris = dataclasses.replace(toronto, timezone="Europe/Paris")
    back = read_plan(tmp_path / "plan.csv", program=paris)
    lengths = back.sessions["end"] - back.sessions["start"]
    assert set(lengths) == {pd.Timedelta(hours=1)}
    assert list(back.sessions["hours"]) == [1.0, 1.0]


def test_a_plan_file_keeps_the_uids_its_events_were_published_under(tmp_path: Path) -> None:
    # A plan written by a version that named its calendar otherwise (here: its UIDs edited
    # to an old id): read back with its own programme, its calendar updates those events.
    plan = solve_checked(make_catalog(module("a"), module("b", "skill")), make_program(1)).plan
    plan.to_csv(tmp_path / "plan.csv")
    frame = pd.read_csv(tmp_path / "plan.csv", dtype=str, keep_default_na=False)
    calendar = plan.program.calendar_id
    frame["uid"] = [uid.replace(slug(calendar), "old-calendar-id") for uid in frame["uid"]]
    frame.to_csv(tmp_path / "plan.csv", index=False)
    back = read_plan(tmp_path / "plan.csv")
    assert back.check() == []
    uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(back.to_ics()).walk("VEVENT")}
    assert uids == set(frame["uid"]) and all(u.startswith("old-calendar-id") for u in uids)
    # and read with a programme given (check and publish with --program), renamed and with
    # an organizer now: the same UIDs (they were the given programme's, so publishing it
    # put every event there twice)
    given = dataclasses.replace(plan.program, name="Renamed", organizer="T <t@example.org>")
    again = read_plan(tmp_path / "plan.csv", program=given)
    assert again.check() == []
    calendar = icalendar.Calendar.from_ical(again.to_ics())
    assert {str(e["UID"]) for e in calendar.walk("VEVENT")} == uids


def test_empty_columns_a_spreadsheet_saves_after_the_last_one_are_left_out(
    tmp_path: Path,
) -> None:
    # a spreadsheet may save a few columns with no name and no cell after the last one
    plan = solve_checked(make_catalog(module("a"), module("b", "skill")), make_program(1)).plan
    plan.to_csv(tmp_path / "plan.csv")
    lines = (tmp_path / "plan.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "plan.csv").write_text("".join(f"{line},,\n" for line in lines), encoding="utf-8")
    back = read_plan(tmp_path / "plan.csv")
    assert back.check() == []
    assert list(back.sessions["module"]) == list(plan.sessions["module"])


def test_a_facilitator_s_calendar_is_not_taken_for_the_whole_plan(
    default_plan: Plan, tmp_path: Path
) -> None:
    # Before: `check` said "2 sessions ...; every rule holds" of the nurse educator's file,
    # and `replan --previous` took it for the plan, re-sending the others' events unnumbered.
    default_plan.to_ics_by_facilitator(tmp_path)
    nurse = tmp_path / "nurse-educator.ics"
    with pytest.raises(PlanFileError) as error:
        read_plan(nurse)
    assert str(error.value) == (
        f"1 problem found:\n  {nurse}: cannot be read as a plan: it is Nurse educator's "
        "calendar (written with --by facilitator): it holds their sessions alone, not the "
        "whole plan; give the plan's own .ics or .csv"
    )
    # the calendar still says whose it is to a calendar client, as before
    calendar = icalendar.Calendar.from_ical(nurse.read_bytes())
    assert str(calendar["X-WR-CALNAME"]).endswith(" — Nurse educator")
