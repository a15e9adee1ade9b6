"""Where a key sits in a TOML file: its line number, for error messages."""

from __future__ import annotations

import re
from collections.abc import Mapping

TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
KEY = re.compile(r"^\s*([A-Za-z0-9_\-\".]+?)\s*=")
PART = re.compile(r"\"[^\"]*\"|'[^']*'|[^.]+")  # one part of a dotted key
BARE = re.compile(r"[A-Za-z0-9_-]+")  # a key part that needs no quotes


def key_lines(text: str) -> dict[str, int]:
    """Dotted key -> 1-based line, e.g. 'ramp.weeks', 'meetings[2].start', and each table's
    own header line ('ramp', 'meetings[2]', 'facilitators."Peer trainer"')."""
    lines: dict[str, int] = {}
    table = ""
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if match := ARRAY_TABLE.match(line):
            name = canonical(match.group(1))
            counts[name] = counts.get(name, 0) + 1
            table = f"{name}[{counts[name]}]"
            lines.setdefault(name, number)
        elif match := TABLE.match(line):
            table = canonical(match.group(1))
        elif match := KEY.match(line):
            key = match.group(1)
            lines.setdefault(canonical(f"{table}.{key}" if table else key), number)
            continue
        else:
            continue
        lines.setdefault(table, number)
    return lines


def canonical(key: str) -> str:
    """A dotted key in one spelling: no quotes around a part that needs none, no spaces
    around the dots ('facilitators."Sam"' and 'facilitators . Sam' are 'facilitators.Sam')."""
    parts = PART.findall(key)
    return ".".join(
        part[1:-1] if part[:1] in "\"'" and BARE.fullmatch(part[1:-1]) else part.strip()
        for part in parts
    )


def line_of(key: str, lines: Mapping[str, int]) -> int | None:
    """The line of a dotted key (in any spelling), or of the nearest table that holds it."""
    key = canonical(key)
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0]
    return None
