"""Reading one table cell (cells.py): missing values, text, and true/false words; slugs."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from curriculum.cells import cell_text, hashed_slug, is_missing, parse_bool, slug, slug_loses


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


@pytest.mark.parametrize(
    ("text", "loses"),
    [
        ("Peer Training (2027)", False),  # case, spacing and ASCII punctuation only
        ("Formation à Montréal", False),  # accents: 'formation-a-montreal'
        ("Ausbildung Straße in Łódź", False),  # Latin letters: the slugs they always had
        ("Группа А", True),  # letters with no ASCII form
        ("Peer — O’Brien’s", False),  # typographic punctuation: separators, as ASCII's
        ("Cohort 五", True),  # a character with no ASCII form
        ("x" * 60, False),
        ("x" * 61, True),  # past the slug's 60 characters
    ],
)
def test_what_a_slug_loses(text: str, loses: bool) -> None:
    assert slug_loses(text) is loses


@pytest.mark.parametrize("text", ["Группа А", "Группа Б", "long name " * 10, "Peer — support"])
def test_a_hashed_slug_is_a_slug_that_keeps_its_tail(text: str) -> None:
    # a slug of it is itself (a UID built from it is not cut again) and ends with the tail
    hashed = hashed_slug(text, "20270111")
    assert slug(hashed) == hashed and hashed.endswith("-20270111")
    assert hashed_slug(text + "!", "20270111") != hashed
