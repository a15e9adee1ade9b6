"""A catalog CSV as text (inputs/catalog_csv.py): a file that is no UTF-8 CSV, a field too
long, a quote left open and duplicated columns, each named for what it is, with its line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
import pytest

from curriculum import Catalog
from curriculum.errors import CatalogError
from curriculum.inputs.catalog import read_catalog
from tests.builders import assert_located, catalog_error

HEADER = "id,title,kind,hours,tags,density,prerequisites,pre_service,description"
ROWS = [
    "listen,Active listening,content,1,listening,2,,true,Attending and reflecting",
    "practice,Listening practice,skill,1.5,listening,2,listen,true,In pairs and triads",
    "referral,Referrals,content,1,referrals,2,,false,Who to send where",
]


def write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "modules.csv"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_the_rows_here_read_as_they_are(tmp_path: Path) -> None:
    # the baseline the cases below break: three modules
    catalog = read_catalog(write(tmp_path, "\n".join([HEADER, *ROWS]) + "\n"))
    assert [m.id for m in catalog.modules] == ["listen", "practice", "referral"]


@pytest.mark.parametrize(
    ("encode", "words"),
    [
        (lambda text: text.encode("utf-16-le"), "UTF-16 text, not UTF-8"),  # no BOM
        (lambda text: text.encode("utf-16-be"), "UTF-16 text, not UTF-8"),
        (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "UTF-16 text"),
        (lambda text: b"PK\x03\x04" + text.encode(), "an .xlsx or .ods workbook, not CSV"),
        (lambda text: b"\xd0\xcf\x11\xe0" + text.encode(), "an .xls workbook, not CSV"),
    ],
)
def test_a_file_that_is_not_utf8_csv_says_what_it_is(
    tmp_path: Path, encode: object, words: str
) -> None:
    text = "\n".join([HEADER, *ROWS]) + "\n"
    path = write(tmp_path, encode(text))  # type: ignore[operator]
    assert_located(catalog_error(path), path, None, None, [words, "CSV UTF-8"])


def test_a_field_over_128_kib_is_named_with_its_line(tmp_path: Path) -> None:
    long_row = ROWS[2].replace("Who to send where", "x" * 140_000)
    path = write(tmp_path, "\n".join([HEADER, ROWS[0], ROWS[1], long_row]) + "\n")
    assert_located(catalog_error(path), path, 4, None, ["longer than 131,072 characters"])


def test_a_quote_left_open_is_named_not_what_it_breaks(tmp_path: Path) -> None:
    # the title of line 2 opens a quote that the description of line 3 closes: without the
    # hint, the error would be about line 2's kind and hours
    opened = ROWS[0].replace("Active listening", '"Active listening')
    closed = ROWS[1].replace("In pairs", 'In" pairs')
    path = write(tmp_path, "\n".join([HEADER, opened, closed, ROWS[2]]) + "\n")
    error = catalog_error(path)
    assert len(error.problems) == 1, str(error)
    assert_located(error, path, 2, "title", ["quote opened in this cell runs on to line 3"])


def test_a_quote_never_closed_is_named(tmp_path: Path) -> None:
    opened = ROWS[1].replace("Listening practice", '"Listening practice')
    path = write(tmp_path, "\n".join([HEADER, ROWS[0], opened, ROWS[2]]) + "\n")
    assert_located(catalog_error(path), path, 3, "title", ["runs on to line 4"])  # the last line


def test_a_quote_never_closed_on_the_last_line_is_named(tmp_path: Path) -> None:
    # it said "kind is empty" and "hours is empty" of that line; a quote doubled inside a
    # quoted cell ("") is no quote left open
    opened = ROWS[2].replace(ROWS[2].split(",")[1], '"' + ROWS[2].split(",")[1], 1)
    path = write(tmp_path, "\n".join([HEADER, ROWS[0], ROWS[1], opened]) + "\n")
    error = catalog_error(path)
    assert len(error.problems) == 1, str(error)
    assert_located(error, path, 4, "title", ["a quote opened in this cell is never closed"])
    quoted = ROWS[2].replace(ROWS[2].split(",")[1], '"a ""quoted"" title"', 1)
    path = write(tmp_path, "\n".join([HEADER, ROWS[0], ROWS[1], quoted]) + "\n")
    assert read_catalog(path).modules[2].title == 'a "quoted" title'


def test_a_description_over_several_lines_is_no_open_quote(tmp_path: Path) -> None:
    # prose with commas on later lines is a cell like any other
    described = ROWS[0].replace(
        "Attending and reflecting", '"Attending, reflecting,\nsummarising, and then, later, more"'
    )
    catalog = read_catalog(write(tmp_path, "\n".join([HEADER, described, *ROWS[1:]]) + "\n"))
    assert catalog["listen"].description.endswith("later, more")


def test_duplicate_columns_in_a_dataframe_are_named() -> None:
    frame = pd.DataFrame(
        [["a", "A", "content", 1, "b"]], columns=["id", "title", "kind", "hours", "id"]
    )
    with pytest.raises(CatalogError) as info:
        Catalog.from_frame(frame)
    assert [(p.column, p.message) for p in info.value.problems] == [("id", "column appears twice")]


@pytest.mark.parametrize("value", [5, None, [{"id": "a"}]])
def test_something_else_than_a_dataframe_is_a_catalog_error(value: object) -> None:
    with pytest.raises(CatalogError, match="expected a DataFrame, not"):
        Catalog.from_frame(value)  # type: ignore[arg-type]
