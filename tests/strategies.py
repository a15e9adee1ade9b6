"""Hypothesis strategies for hostile input: junk cells, catalog tables, programme TOML and
raw bytes (used by tests/inputs/test_catalog.py and tests/test_fuzz.py)."""

from __future__ import annotations

import json
import math
from datetime import date

from hypothesis import strategies as st

from curriculum.inputs.catalog import COLUMNS, REQUIRED

junk = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "1", "0", "-1", "1.1", "inf", "nan", "1e400", "yes", "x", ";", "a;b"]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-(10**20), 10**20).map(str),
)
# Per column, mostly plausible values so that some random files are valid catalogs.
PLAUSIBLE = {
    "id": st.sampled_from(["a", "b", "c", "d", "e", "f", "g", "h", "bad id"]),
    "title": st.sampled_from(["A title", "Another"]),
    "kind": st.sampled_from(["content", "skill", "Skill"]),
    "hours": st.sampled_from(["1", "0.5", "1.25", "2"]),
    "tags": st.sampled_from(["", "listening", "a;b"]),
    "density": st.sampled_from(["", "1", "3", "5"]),
    "prerequisites": st.sampled_from(["", "", "a", "b", "a;b", "c"]),
    "earliest_week": st.sampled_from(["", "1", "3"]),
    "latest_week": st.sampled_from(["", "2", "6"]),
    "pre_service": st.sampled_from(["", "true", "false", "no"]),
}
HEADERS = [*COLUMNS, "extra"]


@st.composite
def csv_rows(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A header (usually with the required columns) and rows of plausible or junk cells."""
    header = draw(
        st.one_of(
            st.lists(st.sampled_from(HEADERS), unique=True, max_size=6).flatmap(
                lambda cols: st.permutations(
                    list(REQUIRED) + [c for c in cols if c not in REQUIRED]
                )
            ),
            st.lists(st.sampled_from(HEADERS), min_size=1, max_size=8, unique=True),
        )
    )
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        row = [
            draw(junk if draw(st.integers(0, 9)) == 0 else PLAUSIBLE.get(col, junk))
            for col in header
        ]
        if draw(st.integers(0, 9)) == 0:  # a short or long row
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(junk, max_size=2))
        rows.append(row)
    return header, rows


# ------------------------------------------------------------------ programmes

# What a TOML value may be: every type TOML has, with the numbers that break things.
scalars = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([0, 1, 2, 3, 4, 12, 52, 520, 521, 2**31, 2**63 - 1, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.25, 0.5, 1.5, 2.0, 1e308, -0.0]),
    st.booleans(),
    st.text(max_size=10),
    st.sampled_from(["tue", "Thursday", "18:00", "6:00 PM", "25:00", "America/Toronto", "UTC"]),
    st.dates(),
    st.sampled_from([date(2027, 1, 11), date(2027, 2, 15), date(9999, 12, 31), date(1, 1, 1)]),
)
toml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
SECTION_KEYS = {
    "load": ["max_hours_per_week", "max_intensity_per_week"],
    "ramp": ["weeks", "max_hours_per_week", "max_intensity_per_week", "max_density"],
    "balance": ["content_share", "weekly_tolerance"],
    "duties": ["start_week"],
    "ongoing": ["weekday", "start", "hours", "title", "until", "facilitator"],
    "weights": ["balance", "weeks_without_skills", "uneven_load", "early_density"],
}
TOP_KEYS = ["name", "id", "weeks", "timezone", "location", "organizer", "holidays", "weekz"]
MEETING_KEYS = ["weekday", "start", "hours"]


# Sensible values per key, so that about half the programmes are valid.
SENSIBLE: dict[str, st.SearchStrategy[object]] = {
    "name": st.sampled_from(["Cohort A", "Évening group"]),
    "id": st.sampled_from(["", "cohort-a"]),
    "weeks": st.integers(1, 6),
    "timezone": st.sampled_from(["UTC", "America/Toronto", "Australia/Lord_Howe"]),
    "location": st.sampled_from(["", "Room 2"]),
    "organizer": st.sampled_from(["", "Office <office@example.org>"]),
    "holidays": st.lists(st.dates(date(2027, 1, 11), date(2027, 2, 14)), max_size=2),
    "max_hours_per_week": st.sampled_from([1, 2, 3.5, 4, 6, 168]),
    "max_intensity_per_week": st.sampled_from([3, 7, 10, 840]),
    "max_density": st.integers(1, 5),
    "start_week": st.integers(1, 4),
    "content_share": st.sampled_from([0, 0.3, 0.5, 1]),
    "weekly_tolerance": st.sampled_from([0, 0.25, 1]),
    "hours": st.sampled_from([0.5, 1, 2, 3]),
    "until": st.dates(date(2027, 1, 11), date(2028, 1, 1)),
    "title": st.just("Supervision"),
    "facilitator": st.just(""),
    "balance": st.integers(0, 50),
    "weeks_without_skills": st.integers(0, 50),
    "uneven_load": st.integers(0, 50),
    "early_density": st.integers(0, 50),
}


def _value_for(draw: st.DrawFn, key: str) -> object:
    """Mostly a sensible value for the key, sometimes anything at all."""
    sensible = SENSIBLE.get(key)
    return draw(toml_values if sensible is None or draw(st.integers(0, 2)) == 0 else sensible)


@st.composite
def programmes(draw: st.DrawFn) -> dict[str, object]:
    """A programme table: start 2027-01-11, then known and unknown keys with values of any
    type (mostly sensible ones, so that many programmes are valid)."""
    table: dict[str, object] = {"start": date(2027, 1, 11), "timezone": "UTC"}
    for key in draw(st.lists(st.sampled_from(TOP_KEYS), max_size=3, unique=True)):
        table[key] = _value_for(draw, key)
    if draw(st.booleans()):
        table["weeks"] = draw(st.integers(1, 6))
    if draw(st.booleans()):
        table["meetings"] = [
            {
                key: draw(toml_values)
                for key in draw(st.lists(st.sampled_from(MEETING_KEYS), unique=True))
            }
            | {"weekday": draw(st.sampled_from(["tue", "thu", 7, "x"])), "start": "18:00"}
            for _ in range(draw(st.integers(0, 2)))
        ]
    for section in draw(st.lists(st.sampled_from(list(SECTION_KEYS)), max_size=3, unique=True)):
        keys = draw(st.lists(st.sampled_from(SECTION_KEYS[section]), max_size=2, unique=True))
        table[section] = {key: _value_for(draw, key) for key in keys}
    return table


def toml_text(table: dict[str, object]) -> str:
    """A table as TOML: top-level keys, then one [section] per table value."""
    plain = [f"{_key(k)} = {_value(v)}" for k, v in table.items() if not isinstance(v, dict)]
    sections = [
        f"[{_key(k)}]\n" + "\n".join(f"{_key(kk)} = {_value(vv)}" for kk, vv in v.items())
        for k, v in table.items()
        if isinstance(v, dict)
    ]
    return "\n".join(plain + sections) + "\n"


def _key(key: str) -> str:
    return json.dumps(key)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else {math.inf: "inf", -math.inf: "-inf"}.get(value, repr(value))
        )
    if isinstance(value, (int, date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"


# ------------------------------------------------------------------ plausible catalogs


@st.composite
def catalogs(draw: st.DrawFn) -> list[dict[str, object]]:
    """One to six catalog rows of plausible values (prerequisites on earlier rows only), for
    the planner rather than the reader."""
    rows: list[dict[str, object]] = []
    for number in range(draw(st.integers(1, 6))):
        earlier = [str(row["id"]) for row in rows]
        earliest = draw(st.one_of(st.none(), st.integers(1, 3)))
        rows.append(
            {
                "id": f"m{number}",
                "title": f"Module {number}",
                "kind": draw(st.sampled_from(["content", "skill"])),
                "hours": draw(st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0])),
                "density": draw(st.integers(1, 5)),
                "prerequisites": ";".join(
                    draw(st.lists(st.sampled_from(earlier), unique=True, max_size=2))
                    if earlier
                    else []
                ),
                "earliest_week": earliest,
                "latest_week": draw(st.one_of(st.none(), st.integers(earliest or 1, 3))),
                "pre_service": draw(st.booleans()),
                "final": number == 5 and draw(st.booleans()),
            }
        )
    return rows


# ------------------------------------------------------------------ raw bytes


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    """`original` with a few bytes flipped, cut, repeated or inserted (a damaged file)."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 80))] * draw(st.integers(1, 3))
    return bytes(data)
