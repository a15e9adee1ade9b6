"""Reading the module catalog: CSV files (encoding, header, blank lines, line numbers,
extra columns), DataFrames both ways, the bundled catalog, and a hand-built `Catalog`;
the rules on each row's values are in test_catalog_rows.py."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import curriculum as cur
from curriculum.errors import CatalogError
from curriculum.export.csv import sessions_table
from curriculum.inputs.catalog import COLUMNS, Catalog, bundled_catalog_path, read_catalog
from curriculum.inputs.plan_columns import PLAN_OWN
from tests.builders import START, TEST_DATA, assert_located, catalog_error, solve_checked
from tests.strategies import csv_rows

DATA = TEST_DATA / "catalog"


# --------------------------------------------------------------------------- whole files

# (file, line, column or None, words the message must contain)
BAD_FILES = [
    ("missing_columns.csv", 1, "kind", ["required column 'kind' is missing"]),
    ("missing_columns.csv", 1, "hours", ["required column 'hours' is missing"]),
    ("empty.csv", None, None, ["empty"]),
    ("semicolon.csv", 1, None, ["semicolon-delimited", "comma-separated", "replace ';'"]),
    ("blank_lines.csv", 6, "kind", ["'lecture'"]),  # line count survives blank lines
]


@pytest.mark.parametrize(
    ("name", "line", "column", "words"),
    BAD_FILES,
    ids=[f"{name}-{line}-{column or 'file'}" for name, line, column, _ in BAD_FILES],
)
def test_bad_file_names_file_line_and_column(
    name: str, line: int | None, column: str | None, words: list[str]
) -> None:
    path = DATA / name
    err = catalog_error(path)
    # Exactly the problems listed for this file in BAD_FILES, nothing spurious:
    assert len(err.problems) == sum(entry[0] == name for entry in BAD_FILES), str(err)
    assert_located(err, path, line, column, words)


def test_not_utf8_names_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    text = "id,title,kind,hours\nintro,Introduction,content,1\ncafe,Caf\u00e9 talk,content,1\n"
    path.write_bytes(text.encode("latin-1"))
    err = catalog_error(path)
    assert len(err.problems) == 1
    problem = err.problems[0]
    assert problem.line == 3
    assert "not UTF-8" in problem.message
    assert "0xe9" in problem.message
    assert str(path) in str(err)
    assert "line 3" in str(err)


def test_a_column_name_with_an_invisible_character_says_so(tmp_path: Path) -> None:
    # two byte-order marks (a file saved twice as "UTF-8 with BOM"): one is read past, the
    # other sticks to 'id', which used to be reported as "missing"
    path = tmp_path / "twice.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbfid,title,kind,hours\nintro,Intro,content,1\n")
    err = catalog_error(path)
    assert [str(p) for p in err.problems] == [
        f"{path}, line 1, column 'id': required column 'id' is written with an invisible "
        "character (U+FEFF) stuck to its name; save the file again as plain UTF-8"
    ]


def test_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    err = catalog_error(tmp_path / "nope.csv")
    assert "cannot read" in str(err)
    assert "nope.csv" in str(err)


def test_header_only_is_a_catalog_error(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("id,title,kind,hours\n", encoding="utf-8")
    assert "no modules" in str(catalog_error(path))


# --------------------------------------------------------------------------- accepted input


def test_valid_file_reads() -> None:
    catalog = read_catalog(DATA / "valid.csv")
    assert len(catalog) == 3
    practice = catalog["practice"]
    assert practice.kind == "skill"
    assert practice.hours == 0.75
    assert practice.quarters == 3
    assert practice.prerequisites == ("intro", "listen")
    assert (practice.earliest_week, practice.latest_week) == (2, 6)
    assert practice.pre_service is False
    assert catalog["intro"].pre_service is True
    assert catalog["intro"].description == "Welcome, and the plan."
    assert catalog["listen"].tags == ("listening", "communication")
    assert "missing" not in catalog


def test_utf8_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    text = (DATA / "valid.csv").read_text(encoding="utf-8")
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_catalog(path).modules == read_catalog(DATA / "valid.csv").modules


def test_crlf_keeps_line_numbers(tmp_path: Path) -> None:
    text = (DATA / "blank_lines.csv").read_text(encoding="utf-8")
    path = tmp_path / "crlf.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    err = catalog_error(path)
    assert [(p.line, p.column) for p in err.problems] == [(6, "kind")]


def test_surrounding_whitespace_is_stripped() -> None:
    catalog = read_catalog(DATA / "whitespace.csv")
    module = catalog["intro"]
    assert module.title == "Introduction"
    assert module.kind == "content"
    assert module.hours == 1.0
    assert module.tags == ("listening", "communication")


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    text = (DATA / "blank_lines.csv").read_text(encoding="utf-8")
    path = tmp_path / "fixed.csv"
    path.write_text(text.replace("lecture", "skill"), encoding="utf-8")
    assert [m.id for m in read_catalog(path).modules] == ["intro", "listen"]


def test_quoted_multiline_field_keeps_later_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "multiline.csv"
    path.write_text(
        'id,title,kind,hours,description\nintro,Intro,content,1,"two\nlines"\nbad,Bad,oops,1,\n',
        encoding="utf-8",
    )
    err = catalog_error(path)
    assert [(p.line, p.column) for p in err.problems] == [(4, "kind")]


def test_extra_columns_pass_through_to_frame() -> None:
    catalog = read_catalog(DATA / "extra_columns.csv")
    assert catalog.extra_columns == ("room", "cost_code")
    frame = catalog.frame
    assert list(frame.columns) == [*COLUMNS, "room", "cost_code"]
    assert list(frame["room"]) == ["Room 2", "Hall"]
    assert list(frame["cost_code"]) == ["A-17", ""]
    assert Catalog.from_frame(frame) == catalog


@pytest.mark.parametrize("name", PLAN_OWN)
def test_a_column_named_as_one_of_the_plans_own_is_refused(name: str, tmp_path: Path) -> None:
    # Before: validate said nothing, and `plan` ended in a traceback ('Grouper for 'week'
    # not 1-dimensional', 'cannot insert date, already exists'...) or wrote the plan's own
    # value over the user's (status, uid, settings)
    path = tmp_path / "catalog.csv"
    path.write_text(f"id,title,kind,hours,{name}\na,A,content,1,x\n", encoding="utf-8")
    assert_located(catalog_error(path), path, 1, name, ["rename it", f"'{name}_note'"])
    frame = read_catalog(DATA / "valid.csv").frame.assign(**{name: "x"})
    with pytest.raises(CatalogError, match=f"'{name}_note'"):
        Catalog.from_frame(frame)
    built = cur.Module("a", "A", "content", 1, extra=((name, "x"),))
    with pytest.raises(CatalogError, match=f"'{name}_note'"):
        Catalog(modules=(built,), extra_columns=(name,))


def test_the_plans_own_columns_are_all_named() -> None:
    # every column a plan's CSV (and the cohorts' one) writes is the catalog's or the plan's
    # own, so a catalog column can never collide with one
    catalog = read_catalog(DATA / "extra_columns.csv")
    plan = solve_checked(catalog, cur.Program(start=START, weeks=4, timezone="UTC")).plan
    written = sessions_table(plan).columns
    assert set(written) - {*COLUMNS, *PLAN_OWN} == {"room", "cost_code"}
    # not in this file: the id (as "module"), a calendar's own, a re-plan's, the cohorts'
    unwritten = {"id", "unedited", "freeze_before", "cohort"}
    assert {*COLUMNS, *PLAN_OWN, "room", "cost_code"} - set(written) == unwritten


def test_defaults_for_optional_columns() -> None:
    catalog = read_catalog(DATA / "extra_columns.csv")
    module = catalog["intro"]
    assert module.density == 3
    assert module.tags == ()
    assert module.prerequisites == ()
    assert module.pre_service is False
    assert module.earliest_week is None


# --------------------------------------------------------------------------- DataFrames


def test_frame_has_one_row_per_module_and_typed_columns() -> None:
    catalog = read_catalog(DATA / "valid.csv")
    frame = catalog.frame
    assert list(frame["id"]) == ["intro", "listen", "practice"]
    assert frame["hours"].dtype == float
    assert list(frame["tags"]) == ["orientation", "listening;communication", "listening"]
    assert frame["latest_week"].isna().tolist() == [False, True, False]


def test_from_frame_round_trips() -> None:
    catalog = read_catalog(DATA / "valid.csv")
    again = Catalog.from_frame(catalog.frame)
    assert again == catalog
    assert again.modules == catalog.modules
    assert again.source == "<DataFrame>"


def test_from_frame_after_pandas_edit() -> None:
    frame = read_catalog(DATA / "valid.csv").frame
    frame.loc[frame["id"] == "listen", "hours"] = 2.0
    assert Catalog.from_frame(frame)["listen"].hours == 2.0


def test_from_frame_missing_required_column() -> None:
    frame = read_catalog(DATA / "valid.csv").frame.drop(columns=["hours"])
    with pytest.raises(CatalogError, match="required column 'hours' is missing"):
        Catalog.from_frame(frame)


# --------------------------------------------------------------------------- the bundled catalog


def test_bundled_catalog() -> None:
    catalog = read_catalog()
    assert len(catalog) >= 30
    assert bundled_catalog_path().is_file()
    tags = {tag for module in catalog.modules for tag in module.tags}
    for tag in (
        "listening",
        "psychological-first-aid",
        "referrals",
        "boundaries",
        "disclosure",
        "communication",
    ):
        assert tag in tags, tag
    assert all(module.evidence.strip() for module in catalog.modules)
    assert {module.kind for module in catalog.modules} == {"content", "skill"}
    assert Catalog.from_frame(catalog.frame) == catalog


# --------------------------------------------------------------------------- property test

FILE_LEVEL = ("empty", "no modules")


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=csv_rows(), blank_after_header=st.booleans())
def test_random_rows_give_catalog_or_catalog_error(
    tmp_path: Path, table: tuple[list[str], list[list[str]]], blank_after_header: bool
) -> None:
    header, rows = table
    path = tmp_path / "random.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        if blank_after_header:
            writer.writerow([])
        writer.writerows(rows)
    try:
        catalog = read_catalog(path)
    except CatalogError as err:
        event("CatalogError")
        assert err.problems
        last_line = len(re.findall(r"\r\n|\r|\n", path.read_text(encoding="utf-8"))) + 1
        for problem in err.problems:
            assert problem.file == str(path)
            if problem.line is None:  # only whole-file problems may lack a line
                assert problem.column is None
                assert any(word in problem.message for word in FILE_LEVEL), problem
            else:
                assert 1 <= problem.line <= last_line
        assert str(path) in str(err)
    else:
        event("Catalog")
        assert isinstance(catalog, Catalog)
        assert all(m.hours > 0 and m.quarters == m.hours * 4 for m in catalog.modules)
        assert all(1 <= m.density <= 5 for m in catalog.modules)
        assert isinstance(catalog.frame, pd.DataFrame)


def test_a_valid_hand_built_catalog_solves_and_checks() -> None:
    catalog = cur.Catalog(
        (
            cur.Module("intro", "Intro", "content", 1.0, density=1),
            cur.Module("drill", "Drill", "skill", 1.0, density=2, prerequisites=("intro",)),
        )
    )
    program = cur.Program(start=START, weeks=2, ramp=cur.Ramp(weeks=0), duties=None)
    plan = solve_checked(catalog, program).plan
    weeks = plan.sessions.set_index("module")["week"]
    assert weeks["drill"] > weeks["intro"]


def test_bundled_catalog_file_is_the_one_solved(bundled_catalog: Catalog) -> None:
    assert Path(bundled_catalog.source) == bundled_catalog_path()


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: Catalog(modules=5), "modules must be a list of Module values, not 5"),  # type: ignore[arg-type]
        (lambda: Catalog(modules=[{"id": "a"}]), "not [{'id': 'a'}]"),  # type: ignore[list-item]
        (
            lambda: Catalog(modules=(cur.Module("a", "A", "content", 1),), extra_columns=5),  # type: ignore[arg-type]
            "extra_columns must be a list of names, not 5",
        ),
        (
            lambda: Catalog(modules=(cur.Module("a", "A", "content", 1, extra=5),)),  # type: ignore[arg-type]
            "each module's extra must be (column, text) pairs",
        ),
        (
            lambda: Catalog(modules=(cur.Module("a", "A", "content", float("inf")),)),
            "'inf' is not a number",
        ),
    ],
)
def test_a_catalog_built_of_the_wrong_things_is_a_catalog_error(make: object, words: str) -> None:
    with pytest.raises(CatalogError) as info:
        make()  # type: ignore[operator]
    assert words in str(info.value)


def test_a_catalog_built_in_python_holds_modules_as_a_csv_would_make_them() -> None:
    # tags written as one string, or as a number, become what the CSV column would give
    catalog = Catalog(
        modules=(
            cur.Module("a", " A ", "content", 1, tags="x; y"),  # type: ignore[arg-type]
            cur.Module("b", "B", "skill", 2, tags=5, prerequisites=["a"]),  # type: ignore[arg-type]
        )
    )
    assert [(m.title, m.tags, m.prerequisites) for m in catalog.modules] == [
        ("A", ("x", "y"), ()),
        ("B", ("5",), ("a",)),
    ]


def test_a_catalog_shows_compactly_in_a_notebook() -> None:
    # the bundled catalog: one line of totals, then its modules folded away
    catalog = read_catalog()
    html = catalog._repr_html_()
    content = sum(m.hours for m in catalog.modules if m.kind == "content")
    pre_service = sum(m.pre_service for m in catalog.modules)
    assert (
        f"<h4>Catalog: {len(catalog)} modules, {catalog.total_hours:g} h ({content:g} h "
        f"content, {catalog.total_hours - content:g} h skills), {pre_service} pre-service; "
        "modules.csv</h4><details>"
    ) in html
    assert html.count("<tr>") == 1 + len(catalog)  # the header and a row per module
    hostile = Catalog.from_frame(
        pd.DataFrame([{"id": "x", "title": "<b>x</b>", "kind": "skill", "hours": 1}])
    )
    assert (
        "<b>x</b>" not in hostile._repr_html_() and "&lt;b&gt;x&lt;/b&gt;" in hostile._repr_html_()
    )
