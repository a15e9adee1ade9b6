"""Validation of catalog rows: every rule on ids, kinds, hours, density, weeks, flags and
prerequisites names the file (or DataFrame), the line (or row) and the column, and every
problem is reported at once; a catalog built in Python validates itself the same way."""

from __future__ import annotations

import dataclasses

import pytest

import curriculum as cur
from curriculum.errors import CatalogError
from curriculum.inputs.catalog import Catalog, read_catalog
from curriculum.inputs.catalog_rows import split_list
from tests.builders import TEST_DATA, assert_located, catalog_error, make_catalog, module

DATA = TEST_DATA / "catalog"


# (file, line, column or None, words the message must contain)
BAD_FILES = [
    ("duplicate_id.csv", 4, "id", ["duplicate id 'intro'", "first used on line 2"]),
    ("unknown_kind.csv", 3, "kind", ["'lecture'", "'content' or 'skill'"]),
    ("hours_not_positive.csv", 3, "hours", ["must be positive"]),
    ("hours_not_number.csv", 3, "hours", ["'two' is not a number"]),
    ("hours_not_quarter.csv", 3, "hours", ["1.1", "not a multiple of 0.25"]),
    ("hours_not_quarter.csv", 4, "hours", ["1e-300", "not a multiple of 0.25"]),
    ("hours_infinite.csv", 3, "hours", ["'inf' is not a number"]),
    ("hours_too_long.csv", 3, "hours", ["30", "more than a day"]),
    ("week_out_of_range.csv", 2, "earliest_week", ["'0'", "week number from 1"]),
    ("week_out_of_range.csv", 3, "latest_week", ["'1e20'", "week number from 1"]),
    ("density_out_of_range.csv", 3, "density", ["'6'", "from 1 to 5"]),
    ("unknown_prerequisite.csv", 3, "prerequisites", ["'listenin'", "did you mean 'listening'"]),
    ("prerequisite_cycle.csv", 2, "prerequisites", ["cycle", "a -> b -> a"]),
    ("weeks_crossed.csv", 3, "latest_week", ["earliest_week 5 is after latest_week 3"]),
    ("bad_boolean.csv", 3, "pre_service", ["'maybe'", "true or false"]),
    ("avoid_weeks_bad.csv", 3, "avoid_weeks", ["avoid_weeks 'x'", "week number from 1"]),
    ("avoid_weeks_bad.csv", 4, "avoid_weeks", ["avoid_weeks '0'", "like 6;7"]),
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


def test_several_problems_are_all_reported() -> None:
    path = DATA / "several_problems.csv"
    err = catalog_error(path)
    found = {(p.line, p.column) for p in err.problems}
    assert found == {
        (3, "kind"),  # lecture
        (4, "hours"),  # -2
        (5, "id"),  # duplicate intro
        (5, "density"),  # 9
        (5, "pre_service"),  # perhaps
    }
    assert len(err.problems) == 5
    assert str(err).startswith("5 problems found:")
    # one problem per line of the message, in file order
    assert [p.line for p in err.problems] == sorted(p.line or 0 for p in err.problems)
    assert str(err).count(str(path)) == 5


def test_from_frame_bad_frame_reports_rows_by_their_labels() -> None:
    # each row by its label (frame.loc[1]), also in a frame filtered with pandas, where the
    # place of a row (it said "row 2" of frame.loc[1], and "row 3" of a label 6) is not it
    frame = read_catalog(DATA / "valid.csv").frame
    frame.loc[1, "kind"] = "lecture"
    frame.loc[2, "density"] = 7
    with pytest.raises(CatalogError) as info:
        Catalog.from_frame(frame)
    err = info.value
    assert [(p.line, p.column) for p in err.problems] == [(1, "kind"), (2, "density")]
    message = str(err)
    assert "<DataFrame>, index 1, column 'kind'" in message
    assert "index 2, column 'density'" in message
    assert "line " not in message
    with pytest.raises(CatalogError, match=r"<DataFrame>, index 2, column 'density'"):
        Catalog.from_frame(frame.loc[[0, 2]].assign(kind="skill"))
    # labels that are not whole numbers: each row by its place, from 1
    with pytest.raises(CatalogError, match=r"<DataFrame>, row 3, column 'density'"):
        Catalog.from_frame(frame.assign(kind="skill").set_index("id", drop=False))


def test_a_hand_built_catalog_reports_every_problem_by_row() -> None:
    modules = (
        cur.Module("a", "A", "bogus", -1, prerequisites=("zz",)),  # type: ignore[arg-type]
        cur.Module("a", "Again", "skill", 1.3),
    )
    with pytest.raises(cur.CatalogError) as error:
        cur.Catalog(modules)
    text = str(error.value)
    assert "row 1, column 'kind'" in text
    assert "row 1, column 'hours'" in text
    assert "unknown prerequisite 'zz'" in text
    assert "row 2, column 'id': duplicate id 'a'" in text
    assert "row 2, column 'hours': hours 1.3 is not a multiple of 0.25" in text


def test_replacing_modules_validates_again() -> None:
    catalog = cur.read_catalog()
    broken = dataclasses.replace(catalog.modules[0], density=9)
    with pytest.raises(cur.CatalogError, match="density '9'"):
        dataclasses.replace(catalog, modules=(broken, *catalog.modules[1:]))


@pytest.mark.parametrize(
    ("text", "items"),
    [("", ()), ("a", ("a",)), ("a; b;;c", ("a", "b", "c")), (" ; x ;", ("x",))],
)
def test_lists_split_on_semicolons_and_drop_blanks(text: str, items: tuple[str, ...]) -> None:
    # tags and prerequisites: ';' between items, spaces around them and empty items ignored
    assert split_list(text) == items


def test_final_is_a_flag() -> None:
    catalog = make_catalog(module("a", final="yes"), module("b", final=""))
    assert [m.final for m in catalog.modules] == [True, False]
    with pytest.raises(CatalogError, match="final 'maybe' must be true or false"):
        make_catalog(module("a", final="maybe"))


def test_weeks_to_avoid_are_week_numbers_split_on_semicolons() -> None:
    catalog = make_catalog(module("a", avoid_weeks="7; 6;;6"), module("b"))
    assert catalog["a"].avoid_weeks == (6, 7)  # sorted, once each
    assert catalog["b"].avoid_weeks == ()
    assert catalog.frame["avoid_weeks"].tolist() == ["6;7", ""]
