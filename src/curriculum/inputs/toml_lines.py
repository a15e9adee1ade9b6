"""Where a key sits in a TOML file: its line number, for error messages."""

from __future__ import annotations

import re

TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")
KEY = re.compile(r"^\s*([A-Za-z0-9_\-\".]+?)\s*=")


def key_lines(text: str) -> dict[str, int]:
    """Dotted key -> 1-based line, e.g. 'ramp.weeks', 'meetings[2].start', and each table's
    own header line ('ramp', 'meetings[2]', 'facilitators."Peer trainer"')."""
    lines: dict[str, int] = {}
    table = ""
    counts: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if match := ARRAY_TABLE.match(line):
            name = match.group(1)
            counts[name] = counts.get(name, 0) + 1
            table = f"{name}[{counts[name]}]"
            lines.setdefault(name, number)
        elif match := TABLE.match(line):
            table = match.group(1)
        elif match := KEY.match(line):
            key = match.group(1)
            lines.setdefault(f"{table}.{key}" if table else key, number)
            continue
        else:
            continue
        lines.setdefault(table, number)
    return lines


def line_of(key: str, lines: dict[str, int]) -> int | None:
    """The line of a dotted key, or of the nearest table that holds it."""
    while key:
        if key in lines:
            return lines[key]
        key = key.rpartition(".")[0]
    return None
