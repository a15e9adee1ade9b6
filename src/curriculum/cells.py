"""Reading one cell of a table (a CSV field, a DataFrame or TOML value, an argument) as
text, a number or a flag."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import fields
from typing import Any, TypeGuard, TypeVar

import numpy as np
import pandas as pd

TRUE_WORDS = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", ""})
T = TypeVar("T")


def is_missing(value: object) -> bool:
    """None, NaN, pandas' NA and NaT: a cell with no value."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def plain(value: T) -> T:
    """numpy's scalars (a frame's np.int64 or np.float64, np.arange's values) as the Python
    values they hold, which every check here takes; anything else as it is."""
    if isinstance(value, np.generic):
        held: T = value.item()
        return held
    return value


def plain_fields(instance: Any) -> None:
    """A frozen dataclass's fields given numpy's scalars (a frame's np.int64 weeks) set to
    the Python values they hold, before they are checked and used (in `__post_init__`)."""
    for item in fields(instance):
        if item.init and (value := getattr(instance, item.name)) is not plain(value):
            object.__setattr__(instance, item.name, plain(value))


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


SLUG_LENGTH = 60  # characters of a slug at most
DIGEST_LENGTH = 8  # hexadecimal digits of `digest`
FALLBACK = "programme"  # a slug's words when the text has none in ASCII


def slug(text: str, *, fallback: str = FALLBACK) -> str:
    """Lower-case ASCII letters, digits and ``-`` ('Peer Training (2027)' -> 'peer-training-2027').

    Text with no ASCII letter or digit gives `fallback` and a short hash of the text.
    """
    words = _ascii_words(text)[:SLUG_LENGTH].rstrip("-")
    if words:
        return words
    return f"{fallback}-{digest(text)}"


def slug_loses(text: str) -> bool:
    """Whether `slug` leaves out more of the text than case, accents, spacing, punctuation
    and Latin letters it has no ASCII form for (ß, ø, Ł: names in Latin script keep the
    slugs they always had), so that two texts may share a slug: a letter or digit of
    another script (Cyrillic, Greek, Han), or words past `SLUG_LENGTH`."""
    decomposed = unicodedata.normalize("NFKD", text)
    lost = any(_other_script(c) for c in decomposed)
    return lost or len(_ascii_words(text)) > SLUG_LENGTH


def _other_script(character: str) -> bool:
    """A letter or digit outside ASCII and outside the Latin script."""
    if character.isascii() or unicodedata.category(character)[0] not in "LN":
        return False
    return not unicodedata.name(character, "").startswith("LATIN ")


def hashed_slug(text: str, tail: str) -> str:
    """A slug of the text's ASCII words (as many as fit; `FALLBACK` for none), a short hash
    of the whole text (`digest`) and `tail` (a slug itself, such as a date), whole:
    distinct texts give distinct slugs, whatever `slug` leaves out of them."""
    ending = f"-{digest(text)}-{tail}"
    words = _ascii_words(text)[: SLUG_LENGTH - len(ending)].rstrip("-")
    return f"{words or FALLBACK}{ending}"


def digest(text: str) -> str:
    """A short hash of the text: the same in every process (unlike `hash`)."""
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST_LENGTH]


def _ascii_words(text: str) -> str:
    """The text's ASCII letters and digits, lower-cased, each run of anything else one
    ``-`` (accents dropped, other characters with no ASCII form left out), untruncated."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
