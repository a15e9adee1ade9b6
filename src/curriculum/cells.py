"""Reading one cell of a table (a CSV field, a DataFrame or TOML value, an argument) as
text, a number or a flag."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from typing import TypeGuard

import pandas as pd

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA and NaT: a cell with no value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def is_number(value: object) -> TypeGuard[float]:
    """An int or a float that is a number: not True or False, not NaN."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def is_whole(value: object) -> TypeGuard[int]:
    """An int that is not True or False."""
    return isinstance(value, int) and not isinstance(value, bool)


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


def slug(text: str, *, fallback: str = "programme") -> str:
    """Lower-case ASCII letters, digits and ``-`` ('Peer Training (2027)' -> 'peer-training-2027').

    Text with no ASCII letter or digit gives `fallback` and a short hash of the text.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].rstrip("-")
    if words:
        return words
    return f"{fallback}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"
