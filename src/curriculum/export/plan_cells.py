"""A plan file's cells as values: times as instants in the programme's zone (the local
date and time cells winning over the ISO ones), whole numbers as such; each cell that
cannot be read is a problem naming its line (a CSV's), module and column."""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable, Hashable
from datetime import date, datetime, time, timedelta

import pandas as pd

from curriculum.cells import cell_text, parse_bool
from curriculum.errors import PlanFileError, Problem
from curriculum.export.ics.read import LAST_YEAR, MOST_WHOLE
from curriculum.frames import SESSION_COLUMNS
from curriculum.inputs.program import Program
from curriculum.units import local_instant, parse_time

WHOLE_NUMBERS = {"week": 0, "density": 3, "sequence": 0, "meeting": -1}
LINE = "line"  # a CSV's rows are indexed by the file line each starts on, named so


def typed_rows(frame: pd.DataFrame, program: Program, source: str) -> pd.DataFrame:
    """Times as instants in the programme's zone (local date and time columns win over the
    ISO ones they disagree with: `_instant`; a time without an offset is local), each row's
    week from its date; numbers and flags as such. A PlanFileError names the line, module
    and column of each time, number or flag that cannot be one."""
    frame = frame.copy()
    problems: list[Problem] = []
    days = frame.get("date", pd.Series("", index=frame.index)).map(cell_text)
    starts = frame.get("start_time", pd.Series("", index=frame.index)).map(cell_text)
    ends = frame.get("end_time", pd.Series("", index=frame.index)).map(cell_text)
    end_days = [_end_day(day, end) for day, end in zip(days, ends)]
    lines = [row_line(frame, label) for label in frame.index]
    for column, on, clocks in (("start", days, starts), ("end", end_days, ends)):
        cells = zip(frame["module"], lines, frame[column], on, clocks)
        frame[column] = [
            _read_time(column, (module, line), (iso, day, at), program, problems)
            for module, line, iso, day, at in cells
        ]
    for column, default in [*WHOLE_NUMBERS.items(), ("earliest_week", None), ("latest_week", None)]:
        read = functools.partial(_whole, default)
        numbers = pd.Series(
            _cells(frame, lines, column, read, problems), index=frame.index, dtype="Int64"
        )
        frame[column] = numbers if default is None else numbers.fillna(default).astype(int)
    for column in ("pre_service", "final"):
        frame[column] = [flag is True for flag in _cells(frame, lines, column, _flag, problems)]
    if problems:  # a date both times are read from is named once
        found = dict.fromkeys(dataclasses.replace(p, file=source) for p in problems)
        raise PlanFileError(list(found))
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(program.timezone)
    if "hours" not in frame or (frame["hours"] == "").any():
        frame["hours"] = (frame["end"] - frame["start"]).dt.total_seconds() / 3600
    # the week follows the date (a spreadsheet edit changes the date, not the week)
    frame["week"] = [program.week_of(moment.date()) for moment in frame["start"]]
    frame["hours"] = pd.to_numeric(frame["hours"]).astype(float)
    frame["intensity"] = frame["hours"] * frame["density"]
    for column in SESSION_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame


def _instant(iso: object, day: str, at: str, program: Program) -> pd.Timestamp:
    """A session time: the local date and time when the file has them, else the ISO text
    (an instant, or a local time when it has no offset).

    Local times win over the ISO text they disagree with (a spreadsheet user edits those);
    when they agree with an ISO instant, that instant is the time: on a fall-back night
    01:30 happens twice, and only its offset says which."""
    if day and at:
        wall = datetime.combine(_day(day), parse_time(at))
        written = _offset_instant(iso)
        if written is not None and _wall_clock(written, program) == wall:
            return written
        moment = local_instant(wall.date(), wall.time(), program.zone)
    else:
        stamp: pd.Timestamp = pd.Timestamp(iso)  # type: ignore[arg-type]
        naive: datetime = stamp.to_pydatetime()
        if stamp.tzinfo is not None:
            return stamp
        moment = local_instant(naive.date(), naive.time(), program.zone)
    found: pd.Timestamp = pd.Timestamp(moment)
    return found


def _read_time(
    column: str,
    row: tuple[str, int | None],
    cells: tuple[object, str, str],
    program: Program,
    problems: list[Problem],
) -> pd.Timestamp | None:
    """A row's start or end (`_instant` of its ISO, date and clock cells), or None with a
    problem naming the cell that is not a time pandas can hold."""
    (module, line), (iso, day, at) = row, cells
    try:
        moment: pd.Timestamp = pd.Timestamp(_instant(iso, day, at, program)).tz_convert("UTC")
        if not 1 < moment.year < LAST_YEAR:
            raise OverflowError(f"year {moment.year}")
    except (ValueError, OverflowError, NotImplementedError) as exc:
        message = str(exc)
        beyond = not isinstance(exc, ValueError) or isinstance(exc, pd.errors.OutOfBoundsDatetime)
        local = "date" if beyond or message.startswith("date") else f"{column}_time"
        cell = local if day and at else column
        if beyond:
            message = f"the {cell} is beyond the dates a plan can hold (up to {LAST_YEAR - 1})"
        elif not (day and at):
            message = f"{column} '{iso}' is not a date and time like 2027-01-12T18:00:00+00:00"
        problems.append(Problem("", f"module '{module}': {message}", line=line, column=cell))
        return None
    return moment


def _cells(
    frame: pd.DataFrame,
    lines: list[int | None],
    column: str,
    read: Callable[[str], object],
    problems: list[Problem],
) -> list[object]:
    """Each cell of a column as `read` makes it (a missing column: empty cells), None with
    a problem naming the line, module and column for each `read` refuses (ValueError)."""
    found: list[object] = []
    values = frame.get(column, pd.Series("", index=frame.index))
    for module, line, value in zip(frame["module"], lines, values):
        text = cell_text(value)
        try:
            found.append(read(text))
        except ValueError as exc:
            message = f"module '{module}': {column} '{text}' {exc}"
            problems.append(Problem("", message, line=line, column=column))
            found.append(None)
    return found


def _whole(default: int | None, text: str) -> int | None:
    """The whole number the text writes ('3', '3.0'; empty: `default`), or a ValueError."""
    try:
        number = float(text) if text else None
    except ValueError:
        number = math.nan
    if number is None:
        return default
    if not (math.isfinite(number) and number.is_integer() and abs(number) <= MOST_WHOLE):
        raise ValueError(f"is not a whole number (of at most {MOST_WHOLE:,})")
    return int(number)


def _flag(text: str) -> bool:
    """A yes/no cell (empty: no), or a ValueError."""
    flag = parse_bool(text)
    if flag is None:
        raise ValueError("must be true or false")
    return flag


def _end_day(day: str, end: str) -> str:
    """The local date a session ends on: the next day when it ends at 00:00 (a 22:00
    session of 2 h; a session ends by midnight, as meetings do), else its `date`; as
    written when either cannot be read (`_instant` says why)."""
    try:
        midnight = parse_time(end) == time(0)
        return (_day(day) + timedelta(days=1)).isoformat() if midnight else day
    except ValueError:
        return day


def _offset_instant(iso: object) -> pd.Timestamp | None:
    """The ISO text as an instant when it is one with an offset; None when it has no offset
    or is no time at all (empty, or edited to something else)."""
    try:
        stamp: pd.Timestamp = pd.Timestamp(str(iso))
    except ValueError:
        return None
    if stamp.tzinfo is None or not 1 < stamp.year < LAST_YEAR:  # beyond: the local cells say
        return None
    return stamp


def _wall_clock(moment: pd.Timestamp, program: Program) -> datetime:
    """The local date and time an instant shows in the programme's zone."""
    local: datetime = moment.tz_convert(program.zone).tz_localize(None).to_pydatetime()
    return local


def _day(text: str) -> date:
    """A date as the CSV writes it (2027-01-12, as spreadsheets keep it), or a ValueError
    that says how to keep it so."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise ValueError(
            f"date '{text}' is not written YYYY-MM-DD; give the date column that format in "
            "the spreadsheet before saving"
        ) from None


def row_line(rows: pd.DataFrame, label: Hashable) -> int | None:
    """The file line a row starts on: a CSV's (`LINE`); None for a calendar's event."""
    return int(str(label)) if rows.index.name == LINE else None
