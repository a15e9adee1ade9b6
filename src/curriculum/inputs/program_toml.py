"""Read a programme TOML file into a `Program`, naming the file and key of every problem."""

from __future__ import annotations

import dataclasses
import difflib
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from datetime import date, time
from pathlib import Path
from typing import Any

from curriculum.errors import Problem, ProgramError
from curriculum.inputs.files import read_text
from curriculum.inputs.program import (
    DEFAULT_MEETINGS,
    FITTED,
    SECTIONS,
    Meeting,
    Ongoing,
    Program,
    Weights,
    fitted_ongoing,
)
from curriculum.inputs.toml_lines import key_lines, line_of
from curriculum.units import parse_time, parse_weekday

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

Date = date  # the _Reader.date method shadows the type inside the class
TOP_KEYS = (
    "name",
    "id",
    "start",
    "weeks",
    "timezone",
    "location",
    "organizer",
    "holidays",
    "meetings",
)
MEETING_KEYS = ("weekday", "start", "hours")
FACILITATOR_KEYS = ("unavailable",)
MOST_BYTES = 1024 * 1024  # a programme is a page of settings
WHOLE_KEYS = ("weeks", "start_week", "max_density", "max_modules_per_week", "min_modules_per_week")
OPTIONAL_SECTIONS = ("duties", "ongoing")  # `duties = false`: the programme has none
EARLY_START = "08:00"  # the earliest start fitting tries (`fitted_ongoing`)


def read_program(path: str | Path, *, overrides: Mapping[str, Any] | None = None) -> Program:
    """Read a programme TOML file; missing keys take the defaults that fit the programme.

    Parameters
    ----------
    path
        The TOML file.
    overrides
        Top-level keys whose values replace the file's (e.g. ``{"weeks": 14}`` from a
        command-line option); problems with them name the key but no line.

    Raises
    ------
    ProgramError
        Listing every problem found, each with the file, line and key.
    """
    found, text = read_text(path, ProgramError, most=MOST_BYTES)
    source = str(found)
    data = {**_parsed(text, source, "not valid TOML"), **(overrides or {})}
    lines = {
        key: line
        for key, line in key_lines(text).items()
        if key.partition(".")[0].partition("[")[0] not in (overrides or {})
    }
    try:
        return program_from_mapping(data, source, lines=lines)
    except ProgramError as exc:
        located = [
            dataclasses.replace(p, line=line_of(p.column, lines)) if p.column else p
            for p in exc.problems
        ]
        raise ProgramError(located) from None


def program_from_mapping(
    data: Mapping[str, Any], source: str = "<Program>", *, lines: Mapping[str, int] | None = None
) -> Program:
    """Build a Program from parsed TOML, collecting every problem before raising; `lines`
    says where each key was written (`toml_lines.key_lines`)."""
    reader = _Reader(source)
    reader.unknown_keys(data, [*TOP_KEYS, *SECTIONS, "facilitators"], "")
    kwargs: dict[str, Any] = {"source": source, "lines": dict(lines or {})}
    for key, parse in (
        ("name", reader.text),
        ("id", reader.text),
        ("start", reader.date),
        ("weeks", reader.integer),
        ("timezone", reader.text),
        ("location", reader.text),
        ("organizer", reader.text),
        ("holidays", reader.dates),
    ):
        value = parse(data[key], key) if key in data else None
        if value is not None:  # None: reported already
            kwargs[key] = value
    if "meetings" in data:
        meetings = reader.meetings(data["meetings"])
        if meetings or not data["meetings"]:  # all invalid: already reported, keep defaults
            kwargs["meetings"] = meetings
    for section, cls in SECTIONS.items():
        if section in OPTIONAL_SECTIONS and data.get(section) is False:
            kwargs[section] = None  # `duties = false`: none in this programme
        elif section in data:
            kwargs[section] = reader.section(_placed(section, data[section]), section, cls)
    if "facilitators" in data:
        kwargs["facilitators"] = reader.facilitators(data["facilitators"])
    _fit_ongoing(kwargs, data.get("ongoing", {}))
    try:
        program = Program(**kwargs)
    except ProgramError as exc:
        reader.problems += exc.problems
    if reader.problems:
        raise ProgramError(reader.problems)
    return program


def _placed(section: str, table: Any) -> Any:
    """The table as read; for ongoing sessions too long to start at the default noon, with
    no start written, starting at 08:00 until they are fitted (`_fit_ongoing`), so that
    their length is not refused for a start the file never wrote."""
    if section != "ongoing" or not isinstance(table, dict) or "start" in table:
        return table
    hours, default = table.get("hours"), Ongoing().start
    if not isinstance(hours, (int, float)) or isinstance(hours, bool):
        return table  # none, or not a number: the section's own check says so
    if default.hour + default.minute / 60 + hours <= 24:
        return table
    return {**table, "start": EARLY_START}


def _fit_ongoing(kwargs: dict[str, Any], written: object) -> None:
    """The ongoing sessions' weekday and start, where the file leaves them out, at a time
    none of its meetings takes (`fitted_ongoing`): a default never clashes with what the
    user wrote. The programme remembers them as fitted (`Program.fitted_keys`)."""
    ongoing = kwargs.get("ongoing", Ongoing())
    if not isinstance(ongoing, Ongoing) or not isinstance(written, dict):
        kwargs["fitted_keys"] = ()  # read from a file: nothing to fit later either
        return  # none (`ongoing = false`), or a section reported already
    meetings = kwargs.get("meetings", DEFAULT_MEETINGS)
    # no time free: as they are (the overlap is then an error naming the meeting)
    kwargs["ongoing"] = fitted_ongoing(ongoing, meetings, written) or ongoing
    kwargs["fitted_keys"] = tuple(f"ongoing.{key}" for key in FITTED if key not in written)


def _left_out(program: Program) -> tuple[str, ...]:
    """The ongoing sessions' keys to write left out: those fitted (`Program.fitted_keys`;
    any, for a programme built in Python) that fitting gives as they are now, so that a
    value set since (`dataclasses.replace`) or fitted to other meetings is written."""
    ongoing = program.ongoing
    if ongoing is None:
        return ()
    known = program.fitted_keys
    fitted = [k for k in FITTED if known is None or f"ongoing.{k}" in known]
    for left in (FITTED, ("weekday",), ("start",)):
        if not set(left) <= set(fitted):
            continue
        fit = fitted_ongoing(ongoing, program.meetings, [k for k in FITTED if k not in left])
        if fit is not None and (fit.weekday, fit.start) == (ongoing.weekday, ongoing.start):
            return left
    return ()


def unknown_keys(
    table: Mapping[str, Any], known: Sequence[str], prefix: str
) -> list[tuple[str, str]]:
    """(key, message) for each key of a TOML table that is not one of `known`, with a
    did-you-mean or the list of known keys."""
    found = []
    for key in table:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
            found.append((prefix + key, f"unknown key '{prefix + key}'{hint}"))
    return found


class _Reader:
    """Parses values, remembering problems instead of stopping at the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.source, message, column=key, column_label="key"))

    def failed(self, error: ProgramError, prefix: str) -> None:
        """The problems of a section or meeting, with keys under `prefix`."""
        for problem in error.problems:
            self.fail(prefix + (problem.column or ""), problem.message)

    def unknown_keys(self, table: Mapping[str, Any], known: list[str], prefix: str) -> None:
        for key, message in unknown_keys(table, known, prefix):
            self.fail(key, message)

    def _typed(self, value: Any, key: str, kinds: tuple[type, ...], what: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, kinds):
            self.fail(key, f"{key} must be {what}, not {value!r}")
            return None
        return value

    def text(self, value: Any, key: str) -> Any:
        return self._typed(value, key, (str,), "text")

    def integer(self, value: Any, key: str) -> Any:
        return self._typed(value, key, (int,), "a whole number")

    def number(self, value: Any, key: str) -> Any:
        return self._typed(value, key, (int, float), "a number")

    def date(self, value: Any, key: str) -> Any:
        if isinstance(value, date) and not hasattr(value, "hour"):
            return value
        self.fail(key, f"{key} must be a TOML date like 2027-01-11, not {value!r}")
        return None

    def dates(self, value: Any, key: str) -> Any:
        if not isinstance(value, list):
            self.fail(key, f"{key} must be a list of dates like [2027-02-15]")
            return ()
        return tuple(d for d in (self.date(item, key) for item in value) if d is not None)

    def weekday(self, value: Any, key: str) -> Any:
        try:
            return parse_weekday(value)
        except ValueError as exc:
            self.fail(key, str(exc))
            return None

    def clock(self, value: Any, key: str) -> Any:
        if isinstance(value, time):
            return value
        try:
            return parse_time(str(value))
        except ValueError as exc:
            self.fail(key, str(exc))
            return None

    def meetings(self, value: Any) -> tuple[Meeting, ...]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail("meetings", "meetings must be [[meetings]] tables")
            return ()
        found = []
        for number, table in enumerate(value, start=1):
            prefix = f"meetings[{number}]."
            self.unknown_keys(table, list(MEETING_KEYS), prefix)
            missing = [k for k in ("weekday", "start") if k not in table]
            for key in missing:
                self.fail(prefix + key, f"{prefix}{key} is missing")
            if missing:
                continue
            weekday = self.weekday(table["weekday"], prefix + "weekday")
            start = self.clock(table["start"], prefix + "start")
            hours = self.number(table.get("hours", 2), prefix + "hours")
            if None in (weekday, start, hours):
                continue
            try:
                found.append(Meeting(weekday, start, hours))
            except ProgramError as exc:
                self.failed(exc, prefix)
        return tuple(found)

    def section(self, value: Any, section: str, cls: type) -> Any:
        if not isinstance(value, dict):
            self.fail(section, f"[{section}] must be a table")
            return cls()
        fields = {f.name: f for f in dataclasses.fields(cls)}
        self.unknown_keys(value, list(fields), section + ".")
        kwargs = {}
        for key, raw in value.items():
            if key not in fields:
                continue
            parsed = self._field(raw, f"{section}.{key}", key, cls)
            if parsed is not None:
                kwargs[key] = parsed
        try:
            return cls(**kwargs)
        except ProgramError as exc:
            self.failed(exc, section + ".")
            return cls()

    def _field(self, raw: Any, full_key: str, key: str, cls: type) -> Any:
        parsers: dict[str, Callable[[Any, str], Any]] = {
            "weekday": self.weekday,
            "start": self.clock,
            "title": self.text,
            "facilitator": self.text,
            "until": self.date,
        }
        if key in parsers:
            return parsers[key](raw, full_key)
        if cls is Weights or key in WHOLE_KEYS:
            return self.integer(raw, full_key)
        return self.number(raw, full_key)

    def facilitators(self, value: Any) -> dict[str, tuple[Date, ...]]:
        if not isinstance(value, dict):
            self.fail("facilitators", 'use [facilitators."Name"] tables')
            return {}
        found = {}
        for name, table in value.items():
            key = f"facilitators.{toml_value(name)}"
            if not isinstance(table, dict):
                self.fail(key, f"{key} must be a table with 'unavailable = [dates]'")
                continue
            self.unknown_keys(table, list(FACILITATOR_KEYS), key + ".")
            found[name] = self.dates(table.get("unavailable", []), key + ".unavailable")
        return found


def program_to_toml(program: Program) -> str:
    """The programme as one line of TOML (an inline table), exactly as far as it was
    written: what was left out stays out, so defaults fit again when it is read back
    (`program_from_toml`). Plan files carry it, so that a plan can be checked later."""
    return toml_value(program_mapping(program))


def program_file_text(program: Program) -> str:
    """The programme as the text of a programme file (one key a line), as far as it was
    written, for `read_program`."""
    mapping = program_mapping(program)
    return "".join(f"{key} = {toml_value(value)}\n" for key, value in mapping.items())


def program_mapping(program: Program) -> dict[str, Any]:
    """The programme as the mapping its TOML would parse to, as far as it was written
    (`program_from_mapping` turns it back into the same programme)."""
    items: list[tuple[str, object]] = [
        ("name", program.name),
        ("id", program.id),
        ("start", program.start),
        ("weeks", program.weeks),
        ("timezone", program.timezone),
        ("location", program.location),
        ("organizer", program.organizer),
        ("holidays", list(program.holidays)),
        ("meetings", [written_fields(meeting) for meeting in program.meetings]),
    ]
    for section in SECTIONS:
        value = getattr(program, section)
        items.append((section, False if value is None else written_fields(value)))
    ongoing = dict(items)["ongoing"]
    for key in _left_out(program):  # so that it fits the meetings again when read
        if isinstance(ongoing, dict):
            ongoing.pop(key, None)
    if program.facilitators:
        items.append(
            (
                "facilitators",
                {who: {"unavailable": list(days)} for who, days in program.facilitators.items()},
            )
        )
    return dict(item for item in items if item[1] not in ("", None))


def program_from_toml(text: str, source: str) -> Program:
    """A programme back from `program_to_toml`'s line."""
    data = _parsed(f"programme = {text}", source, "the programme it carries is not TOML")
    if not isinstance(data["programme"], dict):
        shown = text if len(text) <= 40 else f"{text[:40]}..."
        message = f"the programme it carries is not a table of settings: {shown}"
        raise ProgramError([Problem(source, message)])
    return program_from_mapping(data["programme"], source)


def _parsed(text: str, source: str, what: str) -> dict[str, Any]:
    """TOML text parsed; a ProgramError saying `what` and why when it is not TOML."""
    try:
        parsed: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProgramError([Problem(source, f"{what}: {exc}")]) from None
    except RecursionError:  # arrays in arrays, thousands deep
        raise ProgramError([Problem(source, f"{what}: it is nested too deeply")]) from None
    return parsed


def written_fields(section: object) -> dict[str, object]:
    """A section's fields that were written (not left out as None)."""
    return {
        item.name: getattr(section, item.name)
        for item in dataclasses.fields(section)  # type: ignore[arg-type]
        if getattr(section, item.name) is not None
    }


def toml_value(value: object) -> str:
    """A value as inline TOML: `false`, `2027-01-11`, `"18:00"`, `[1, 2]`, `{a = 1}`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, time):
        return f'"{value:%H:%M}"'
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (
            f"{json.dumps(str(key), ensure_ascii=False)} = {toml_value(item)}"
            for key, item in value.items()
        )
        return "{" + ", ".join(pairs) + "}"
    raise TypeError(
        f"cannot write {value!r} as TOML"
    )  # pragma: no cover - every field is one of the above
