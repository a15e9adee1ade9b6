"""Reading one cell of a table (a CSV field or a DataFrame value) as text, a number or a flag."""

from __future__ import annotations

import math

import pandas as pd

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA and NaT: a cell with no value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def cell_text(value: object) -> str:
    """A cell as text (as it is, spaces included); a missing value as ''."""
    return "" if is_missing(value) else str(value)


def parse_bool(text: str) -> bool | None:
    """true/false, yes/no, y/n, 1/0 (any case); empty is false; anything else None."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def name_key(name: str) -> str:
    """How names of people and places are matched: case and spacing do not count
    ('Amara  okafor' and 'Amara Okafor' are one person)."""
    return " ".join(name.split()).casefold()
