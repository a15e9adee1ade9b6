"""A programme with some keys changed, named the way the TOML file names them
(``weeks``, ``load.max_hours_per_week``, ``duties.start_week``, ``meetings[3].weekday``,
``facilitators."Peer trainer".unavailable``: a part that is not a bare TOML key is quoted
as TOML quotes it).

The changed programme is built the way a TOML file is read (`program_from_mapping`), so
what was left out keeps fitting the programme, and a bad value is a `ProgramError` naming
its key.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from curriculum.cells import name_key
from curriculum.errors import Problem, ProgramError
from curriculum.inputs.program import SECTIONS, Program
from curriculum.inputs.program_toml import (
    FACILITATOR_KEYS,
    MEETING_KEYS,
    OPTIONAL_SECTIONS,
    TOP_KEYS,
    program_from_mapping,
    program_mapping,
    toml_value,
    unknown_keys,
    written_fields,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

BARE = re.compile(r"[A-Za-z0-9_-]+")  # a TOML bare key
LISTS = ("meetings", "holidays")  # the top keys whose entries a key can name ('meetings[2]')
# a key part as TOML writes it (bare, "basic" with escapes, 'literal'), then a list index
# ([1] the first); parts are joined by dots, with spaces around them if you like
KEY_PART = re.compile(
    r"""\s*([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(?:\[([0-9]+)\])?\s*(\.|\Z)"""
)


class Step(NamedTuple):
    """One part of a dotted key: as written, the name it spells, its place in a list if any."""

    text: str
    name: str
    position: int | None  # in a list, from 1


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
        problem = _set(data, str(key), plain_value(value))
        if problem:
            problems.append(Problem(source, problem, column=str(key), column_label="key"))
    if problems:
        raise ProgramError(problems)
    return program_from_mapping(data, source)


def key_problem(key: str) -> str | None:
    """Why `key` names nothing a programme has, whatever its value: not a dotted key, or an
    unknown name (with a did-you-mean); None when it names a key. A sweep asks before it
    makes any scenario, since such a key would fail every one of them."""
    steps = _steps(key)
    if steps is None:
        return _not_a_key(key)
    first = steps[0].name
    below: dict[str, Sequence[str]] = {
        **{name: [f.name for f in dataclasses.fields(cls)] for name, cls in SECTIONS.items()},
        "meetings": MEETING_KEYS,
    }
    levels: list[tuple[str, Sequence[str], Step]] = [
        ("", [*TOP_KEYS, *SECTIONS, "facilitators"], steps[0])
    ]
    if first in below and len(steps) > 1:
        levels.append((f"{steps[0].text}.", below[first], steps[1]))
    if first == "facilitators" and len(steps) > 2:
        levels.append((f"facilitators.{steps[1].text}.", FACILITATOR_KEYS, steps[2]))
    for prefix, known, step in levels:
        for _, problem in unknown_keys({step.name: None}, known, prefix):
            return problem
    for depth, step in enumerate(steps):
        listed = (depth == 0 and first in LISTS) or (depth == 2 and first == "facilitators")
        if step.position is not None and not listed:
            return f"'{step.name}' is not a list, so it has no '{step.text}'"
        if step.position == 0:
            return f"'{step.text}': entries count from 1 ('{step.name}[1]' is the first)"
    if first == "meetings" and len(steps) > 1 and steps[0].position is None:
        return f"'meetings' is a list: name one meeting, as in 'meetings[1].{steps[1].name}'"
    depth = 3 if first == "facilitators" else 2 if first in below else 1
    if len(steps) > depth:
        above = ".".join(step.text for step in steps[:depth])
        return f"'{above}' is not a table, so it has no key '{steps[depth].name}'"
    return None


def _not_a_key(key: str) -> str:
    return (
        f"'{key}' is not a programme key like 'weeks', 'load.max_hours_per_week', "
        "'meetings[1].weekday' or 'facilitators.\"Peer trainer\".unavailable' (a name "
        "with spaces in quotes)"
    )


def key_part(name: str) -> str:
    """A name as one part of a dotted key: bare where TOML allows (``load``), else quoted
    the way TOML quotes it (``"Peer trainer"``), so that `program_with` reads it back."""
    return name if BARE.fullmatch(name) else toml_value(name)


def _set(data: dict[str, Any], key: str, value: Any) -> str | None:
    """Set a dotted key in the programme's mapping; why it cannot be set, if it cannot."""
    steps = _steps(key)
    if steps is None:
        return _not_a_key(key)
    node: Any = data
    for depth, (_, name, index) in enumerate(_as_written(data, steps)):
        last = depth == len(steps) - 1
        if not isinstance(node, dict):
            above = ".".join(step.text for step in steps[:depth])
            return f"'{above}' is not a table, so it has no key '{name}'"
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
        items = node.setdefault(name, []) if node.get(name) is None else node[name]
        count = len(items) if isinstance(items, list) else 0
        if not isinstance(items, list) or not 1 <= index <= count + 1:
            return (
                f"'{name}' has {count} entries, counted from 1 ('{name}[1]' is the first), "
                f"so '{name}[{index}]' is neither one nor the next"
            )
        if index == count + 1:
            items.append({})
        if last:
            items[index - 1] = value
            return None
        node = items[index - 1]
    return None  # pragma: no cover - the loop returns at the last part


def _steps(key: str) -> list[Step] | None:
    """The parts of a dotted key (``facilitators."Peer trainer".unavailable``), None when
    it is not one."""
    steps, at = [], 0
    while match := KEY_PART.match(key, at):
        text, index, dot = match.groups()
        name = _name(text)
        if name is None:
            return None
        if index is None:
            steps.append(Step(text, name, None))
        else:
            steps.append(Step(f"{text}[{index}]", name, int(index)))
        if not dot:
            return steps
        at = match.end()
    return None


def _name(part: str) -> str | None:
    """The name a key part spells, read by TOML itself (escapes and all); None when TOML
    cannot read it (``"\\q"``)."""
    try:
        (name,) = tomllib.loads(f"{part} = 0")
    except tomllib.TOMLDecodeError:
        return None
    return str(name)


def _as_written(data: Mapping[str, Any], steps: list[Step]) -> list[Step]:
    """The steps with a facilitator's name as the programme writes it: names match whatever
    their case or spacing, as `Program` matches them, so ``facilitators."peer  trainer"``
    changes Peer trainer's days rather than adding to them."""
    table = data.get("facilitators")
    if len(steps) < 2 or steps[0].name != "facilitators" or not isinstance(table, dict):
        return steps
    who = steps[1]
    written = next((name for name in table if name_key(name) == name_key(who.name)), who.name)
    return [steps[0], who._replace(name=written), *steps[2:]]


def plain_value(value: Any) -> Any:
    """The programme's own dataclasses as the tables TOML would hold; tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: plain_value(item) for name, item in written_fields(value).items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {name: plain_value(item) for name, item in value.items()}
    return value
