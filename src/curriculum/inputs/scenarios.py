"""Scenarios to sweep, as programme keys and values: from a CSV or TOML file, or from
``KEY=V1,V2,...`` on the command line.

A value is read as a TOML value (``14``, ``3.5``, ``false``, ``2027-02-15``,
``[2027-02-15]``); anything else stays text (``tue``, ``18:00``).

CSV: a header of programme keys, then one scenario per row; an empty cell leaves that key
as the programme has it. TOML: one ``[[scenario]]`` table per scenario, e.g.::

    [[scenario]]
    weeks = 14
    load.max_hours_per_week = 3

    [[scenario]]
    meetings = [{weekday = "tue", start = "18:00"}, {weekday = "sat", start = "10:00", hours = 3}]

    [[scenario]]
    facilitators."Peer trainer".unavailable = [2027-03-09]  # the programme's others kept

A table's keys become dotted keys, so a scenario changes only the keys it writes.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Any

from curriculum.errors import Problem, ScenarioError
from curriculum.inputs.files import MiB, read_text
from curriculum.inputs.program_keys import key_part, key_problem
from curriculum.inputs.toml_lines import key_lines

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

Changes = dict[str, Any]  # programme key -> value, one scenario
OPEN, CLOSE = "[{", "]}"


MOST_BYTES = 16 * MiB  # thousands of scenarios


def read_scenarios(path: str | Path) -> list[Changes]:
    """Read a scenarios file (.csv or .toml): each scenario's programme keys and values.

    Raises
    ------
    ScenarioError
        Listing every problem, with the file, line and column where it can say.
    """
    found, text = read_text(path, ScenarioError, most=MOST_BYTES)
    source = str(found)
    suffix = found.suffix.lower()
    if suffix == ".csv":
        return _from_csv(text, source)
    if suffix == ".toml":
        return _from_toml(text, source)
    raise ScenarioError([Problem(source, "a scenarios file is a .csv or a .toml file")])


def parse_vary(text: str) -> tuple[str, list[Any]]:
    """``'weeks=10,12,14'`` -> ``('weeks', [10, 12, 14])`` (the command line's ``--vary``).

    Commas inside ``[...]`` or ``{...}`` belong to the value.

    Raises
    ------
    ScenarioError
        When there is no ``=``, no key, or an empty value.
    """
    key, equals, values = text.partition("=")
    key = key.strip()
    if not equals or not key:
        message = f"'{text}' is not KEY=V1,V2,..., e.g. weeks=10,12,14"
    elif any(not part.strip() for part in _split(values)):
        message = f"'{text}' has an empty value"
    elif problem := key_problem(key):
        message = problem
    else:
        return key, [parsed_value(part) for part in _split(values)]
    raise ScenarioError([Problem("command line", message, column="--vary", column_label="option")])


def parsed_value(text: str) -> Any:
    """The TOML value the text spells (a number, boolean, date or array), else the text."""
    text = text.strip()
    try:
        return tomllib.loads(f"value = {text}")["value"]
    except tomllib.TOMLDecodeError:
        return text


def _split(text: str) -> list[str]:
    """Split at the commas outside brackets and braces."""
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char in OPEN) - (char in CLOSE)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _from_csv(text: str, source: str) -> list[Changes]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        message = f"the row cannot be split into cells ({exc}); is a quote left open?"
        raise ScenarioError([Problem(source, message, line=reader.line_num)]) from None
    if not rows:
        raise ScenarioError([Problem(source, "the file is empty; write a header of keys first")])
    (header_line, header), *body = rows
    keys = [cell.strip() for cell in header]
    problems = [
        Problem(source, "a column has no key in the header", line=header_line, column=str(n))
        for n, key in enumerate(keys, start=1)
        if not key
    ]
    problems += [
        Problem(source, f"key '{key}' is in the header twice", line=header_line, column=key)
        for n, key in enumerate(keys)
        if key and key in keys[:n]
    ]
    problems += [
        Problem(source, problem, line=header_line, column=key)
        for key in keys
        if key and (problem := key_problem(key))
    ]
    scenarios = []
    for line, row in body:
        if len(row) > len(keys):
            problems.append(
                Problem(source, f"{len(row)} cells, but the header has {len(keys)} keys", line=line)
            )
        scenarios.append(
            {key: parsed_value(cell) for key, cell in zip(keys, row) if key and cell.strip()}
        )
    if problems:
        raise ScenarioError(problems)
    if not scenarios:
        raise ScenarioError([Problem(source, "the file has a header but no scenarios")])
    return scenarios


def _from_toml(text: str, source: str) -> list[Changes]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError([Problem(source, f"not valid TOML: {exc}")]) from None
    problems = [
        Problem(source, f"unknown key '{key}'; write one [[scenario]] table per scenario")
        for key in data
        if key != "scenario"
    ]
    tables = data.get("scenario", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(Problem(source, "write one [[scenario]] table per scenario"))
    elif not tables:
        problems.append(Problem(source, "the file has no [[scenario]] tables"))
    if problems:
        raise ScenarioError(problems)
    scenarios = [flat_keys(table) for table in tables]
    lines = key_lines(text)
    problems = [
        Problem(
            source,
            f"scenario {number}: {problem}",
            line=lines.get(f"scenario[{number + 1}].{key}", lines.get(f"scenario[{number + 1}]")),
            column=key,
            column_label="key",
        )
        for number, scenario in enumerate(scenarios)
        for key in scenario
        if (problem := key_problem(key))
    ]
    if problems:
        raise ScenarioError(problems)
    return scenarios


def flat_keys(table: dict[str, Any], prefix: str = "") -> Changes:
    """Nested tables as dotted keys (``{'load': {'max_hours_per_week': 3}}`` ->
    ``{'load.max_hours_per_week': 3}``), so that a scenario changes only the keys it
    writes, as `--vary` does: ``[scenario.facilitators."Peer trainer"]`` ->
    ``facilitators."Peer trainer".unavailable``, the programme's other facilitators kept.

    A scenario's own keys are programme keys as a CSV header writes them
    (``"meetings[3]".weekday``); the keys of its tables are names, quoted when not bare.
    """
    flat: Changes = {}
    for key, value in table.items():
        part = key_part(key) if prefix else key
        if isinstance(value, dict) and value:
            flat.update(flat_keys(value, f"{prefix}{part}."))
        else:
            flat[f"{prefix}{part}"] = value
    return flat
