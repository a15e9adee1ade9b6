"""A programme with some keys changed, named the way the TOML file names them
(``weeks``, ``load.max_hours_per_week``, ``duties.start_week``, ``meetings[3].weekday``).

The changed programme is built the way a TOML file is read (`program_from_mapping`), so
what was left out keeps fitting the programme, and a bad value is a `ProgramError` naming
its key.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from curriculum.errors import Problem, ProgramError
from curriculum.inputs.program import Program
from curriculum.inputs.program_toml import (
    OPTIONAL_SECTIONS,
    program_from_mapping,
    program_mapping,
    written_fields,
)

KEY_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[([1-9][0-9]*)\])?")


def program_with(
    program: Program, changes: Mapping[str, Any], source: str = "<Program>"
) -> Program:
    """The programme with each key of `changes` set to its value.

    Parameters
    ----------
    program
        The programme to start from.
    changes
        Dotted key -> value, e.g. ``{"weeks": 14, "load.max_hours_per_week": 3}``. Values
        are what the TOML file would hold (numbers, text such as ``"tue"`` or ``"18:00"``,
        dates), or the programme's own dataclasses (``Ramp(weeks=2)``, ``Meeting(...)``).
        None leaves a key out, so its default fits the changed programme; for ``duties`` and
        ``ongoing``, None (or False) means none, as in `Program`. ``meetings[N]`` one past
        the last meeting adds a meeting.
    source
        What the errors name as the place of the problem (e.g. ``"scenario 3"``).

    Raises
    ------
    ProgramError
        Listing every problem, each naming its key.
    """
    data = program_mapping(program)
    problems = []
    for key, value in changes.items():
        problem = _set(data, str(key), _plain(value))
        if problem:
            problems.append(Problem(source, problem, column=str(key), column_label="key"))
    if problems:
        raise ProgramError(problems)
    return program_from_mapping(data, source)


def _set(data: dict[str, Any], key: str, value: Any) -> str | None:
    """Set a dotted key in the programme's mapping; why it cannot be set, if it cannot."""
    parts = key.split(".")
    matches = [KEY_PART.fullmatch(part) for part in parts]
    if not all(matches):
        return f"'{key}' is not a programme key like 'weeks' or 'load.max_hours_per_week'"
    node: Any = data
    steps = [(m.group(1), int(m.group(2)) if m.group(2) else None) for m in matches if m]
    for depth, (name, index) in enumerate(steps):
        last = depth == len(steps) - 1
        if not isinstance(node, dict):
            return f"'{'.'.join(parts[:depth])}' is not a table, so it has no key '{name}'"
        if index is None and last:
            if value is None and not (depth == 0 and name in OPTIONAL_SECTIONS):
                node.pop(name, None)  # left out: the default fits
            else:
                node[name] = False if value is None else value
            return None
        if index is None:
            if node.get(name) in (None, False):  # a section left out, or `duties = false`
                node[name] = {}
            node = node[name]
            continue
        items = node.get(name)
        if not isinstance(items, list) or index > len(items) + 1:
            count = len(items) if isinstance(items, list) else 0
            return f"'{name}' has {count} entries, so '{name}[{index}]' is neither one nor the next"
        if index == len(items) + 1:
            items.append({})
        if last:
            items[index - 1] = value
            return None
        node = items[index - 1]
    return None  # pragma: no cover - the loop returns at the last part


def _plain(value: Any) -> Any:
    """The programme's own dataclasses as the tables TOML would hold; tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(item) for name, item in written_fields(value).items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {name: _plain(item) for name, item in value.items()}
    return value
