"""Reading one table cell (cells.py): missing values, text, and true/false words."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from curriculum.cells import cell_text, is_missing, parse_bool


@pytest.mark.parametrize("value", [None, math.nan, pd.NA, pd.NaT])
def test_missing_values(value: object) -> None:
    assert is_missing(value)
    assert cell_text(value) == ""


@pytest.mark.parametrize("value", [0, 0.0, "", "nan", False])
def test_values_that_are_there(value: object) -> None:
    assert not is_missing(value)


def test_text_is_kept_as_it_is() -> None:
    assert cell_text(" a ") == " a "
    assert cell_text(2.5) == "2.5"


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("true", True),
        ("Yes", True),
        (" y ", True),
        ("1", True),
        ("FALSE", False),
        ("no", False),
        ("n", False),
        ("0", False),
        ("", False),  # an empty cell is false
        ("maybe", None),
        ("2", None),
    ],
)
def test_true_and_false_words(text: str, flag: bool | None) -> None:
    assert parse_bool(text) is flag
