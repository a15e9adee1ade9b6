"""Reading a plan back from the CSV `curriculum plan --csv` wrote, or from its .ics.

A plan file carries what checking and re-planning need: the programme (one line of TOML),
each module's rules (prerequisites, week window, final), and each calendar event's UID,
SEQUENCE and fingerprint. Nothing is invented: a file without its programme needs one
given.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Hashable, Mapping
from datetime import date
from pathlib import Path

import pandas as pd

from curriculum.cells import cell_text
from curriculum.errors import (
    PlanFileError,
    PlanWithoutProgramError,
    Problem,
    ProgramError,
)
from curriculum.export.csv import spreadsheet_text
from curriculum.export.ics.events import UNASSIGNED, event_uid, session_fingerprint
from curriculum.export.ics.ledger import calendar_names, keeping_uids, sequence_problem
from curriculum.export.ics.read import CalendarFile, calendar_file
from curriculum.export.ics.write import FREEZE_PROPERTY
from curriculum.export.plan_cells import LINE, row_line, typed_rows
from curriculum.frames import CANCELLED_COLUMNS, EVENT_COLUMNS, SESSION_COLUMNS
from curriculum.inputs.catalog import Catalog, Module, text_frame
from curriculum.inputs.catalog_csv import column_name_problems, decoded, delimiter_problems
from curriculum.inputs.catalog_rows import find_problems, split_list
from curriculum.inputs.files import MiB, read_input
from curriculum.inputs.plan_columns import MODULE_RULES, PLAN_OWN
from curriculum.inputs.program import Program
from curriculum.inputs.program_toml import program_from_toml
from curriculum.plan import Plan
from curriculum.replanning import freeze_instant

NEEDED = ("module", "title", "start", "end")
# the modules' rules a plan file carries (`avoid_weeks`, a goal's preference, may be absent)
RULES = ("kind", "hours", *MODULE_RULES)
MOST_BYTES = 256 * MiB  # a plan of 10,000 modules with their descriptions is under 100 MiB
STATUSES = ("confirmed", "cancelled", "series")
STATUS_SAYS = (
    "a row is confirmed (a session), cancelled (a module a re-plan removed) or series (the "
    "weekly supervision)"
)
PLAN_COLUMNS = {"id": "module"}  # the catalog's columns a plan file names otherwise


def read_plan(
    path: str | Path, *, catalog: Catalog | None = None, program: Program | None = None
) -> Plan:
    """A plan from its CSV or .ics, e.g. to check it or to re-plan from it.

    Parameters
    ----------
    path
        The plan's CSV (`Plan.to_csv`, `curriculum plan --csv`) or .ics.
    catalog
        The catalog to check the plan against; by default the modules as the file records
        them (with their prerequisites, week windows and final flag).
    program
        The programme to check the plan against; by default the one the file carries.
        Either way under the calendar id and UID domain its events' UIDs carry when those
        are others (a plan from a version that named its calendar otherwise, a programme
        renamed or given another organizer since), so that a calendar written or
        published from the plan updates the one published.

    Raises
    ------
    PlanFileError
        When the file cannot be read as a plan, or carries no programme and none is given.
    """
    found, raw = read_input(path, PlanFileError, most=MOST_BYTES)
    source = str(found)
    try:
        file = _read(found, raw)
        # a calendar's rows have every rule's column (from its events' properties); a CSV
        # has them when it carries its programme (as every version that wrote one did)
        written = found.suffix.lower() != ".ics" and bool(file.settings)
        _check_columns(file.rows, source, written=written, rules=catalog is None)
        if catalog is not None:
            file = dataclasses.replace(file, rows=_with_rules(file.rows, catalog))
        _one_cohort(file.rows, source)
        program = program or _carried_program(file, source)
        _check_sequences(file.rows, source)
        rows = typed_rows(file.rows.assign(status=_statuses(file.rows, source)), program, source)
        _check_order(rows, source)
        status = rows["status"]
        sessions, cancelled = rows[status == "confirmed"], rows[status == "cancelled"]
        catalog = catalog or _catalog(sessions, source)
        events = _ledger(rows)
        if events is not None:  # its events keep the UIDs they carry, whatever programme
            program = keeping_uids(program, events)
        freeze = _freeze_date(file.freeze_before, source)
        frozen = _unedited_past(file, sessions, events, freeze, program, source)
        catalog = _with_history(catalog, sessions[frozen], source)
    except PlanFileError:
        raise
    except (ValueError, KeyError, TypeError, LookupError) as exc:
        raise PlanFileError([Problem(source, f"cannot be read as a plan: {exc}")]) from None
    extra = [c for c in sessions.columns if c in catalog.extra_columns]
    columns = [c for c in (*SESSION_COLUMNS, *extra) if c in sessions]
    past = sessions.loc[frozen, columns].reset_index(drop=True) if freeze else None
    return Plan(
        catalog,
        program,
        sessions[columns].reset_index(drop=True),
        cancelled[list(CANCELLED_COLUMNS)].reset_index(drop=True),
        frozen=past,
        events=events,
        freeze_before=freeze,
    )


def _check_columns(rows: pd.DataFrame, source: str, *, written: bool, rules: bool) -> None:
    """A PlanFileError naming each column the plan needs that the file lacks: the sessions'
    own; in a CSV `written` with its programme (so with every column), its status, and with
    `rules` (no catalog to take them from) each rule's: one deleted in a spreadsheet would
    otherwise drop its rule, or judge every module by a default it never had."""
    missing = [column for column in NEEDED if column not in rows]
    problems = [Problem(source, f"column '{c}' is missing", column=c) for c in missing]
    if written and "status" not in rows:  # the series' row would be read as a session
        problems.append(
            Problem(source, f"column 'status' is missing: {STATUS_SAYS}", column="status")
        )
    if not problems and not len(rows):
        problems = [Problem(source, "not a plan: it holds no sessions")]
    lost = [column for column in RULES if written and rules and column not in rows]
    if not problems and lost:
        names = ", ".join(f"'{column}'" for column in lost)
        said = f"column {names} is" if len(lost) == 1 else f"columns {names} are"
        them = "it" if len(lost) == 1 else "them"
        message = (
            f"{said} missing: a plan file carries each module's rules, which checking and "
            f"re-planning need; put {them} back, or check the plan against its catalog "
            "(check --modules CSV)"
        )
        problems = [Problem(source, message, column=lost[0])]
    if problems:
        raise PlanFileError(problems)


def _with_rules(rows: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The rows with each rule column the file lacks taken from the catalog given, module
    by module: the plan is then judged by the catalog's rules, not by defaults its modules
    never had (a module the catalog lacks keeps the defaults, and is named as missing).
    A session's hours are its own, from its start and end (a calendar's always are)."""
    lacking = [column for column in ("kind", *MODULE_RULES) if column not in rows]
    if not lacking:
        return rows
    texts = text_frame(catalog).set_index("id")
    filled: pd.DataFrame = rows.assign(
        **{c: rows["module"].map(texts[c]).fillna("") for c in lacking}
    )
    return filled


def _unedited_past(
    file: CalendarFile,
    sessions: pd.DataFrame,
    events: pd.DataFrame | None,
    freeze: date | None,
    program: Program,
    source: str,
) -> list[bool]:
    """Which sessions are the re-plan's frozen past, which a check does not judge again:
    those before the freeze date whose event is still the one the file's ledger records
    (same fingerprint: a calendar's event as read, a CSV row's event made again under the
    programme the file was written for). A session edited since, or one the ledger does
    not know, is judged like any other: the file's own claim that it is past is not
    enough."""
    if freeze is None or events is None:
        return [False] * len(sessions)
    cutoff = freeze_instant(freeze, program)
    before = [start < cutoff for start in sessions["start"]]
    if "unedited" in sessions:  # a calendar: each event judged as read
        return [past and bool(same) for past, same in zip(before, sessions["unedited"])]
    carried = _carried_program(file, source) if file.settings else program
    written_for = keeping_uids(carried, events)  # the UIDs it was written under
    recorded = dict(zip(events["uid"], events["fingerprint"]))
    # the file's own columns (a cohorts CSV's `cohort` too) are no part of an event
    own = [c for c in PLAN_OWN if c in sessions and c not in SESSION_COLUMNS]
    as_written = sessions.drop(columns=own)
    return [
        past
        and recorded.get(event_uid(written_for, str(row["module"])))
        == session_fingerprint(row, written_for)
        for past, row in zip(before, as_written.to_dict("records"))
    ]


def _with_history(catalog: Catalog, past: pd.DataFrame, source: str) -> Catalog:
    """The catalog plus the modules the frozen past taught that it no longer has, as the
    file records them (a re-plan keeps them as history: `replanning`)."""
    gone = past[~past["module"].isin([m.id for m in catalog.modules])]
    if not len(gone):
        return catalog
    history = _catalog(gone, source).modules
    return dataclasses.replace(catalog, modules=(*catalog.modules, *history))


def _freeze_date(text: str, source: str) -> date | None:
    """A re-plan's freeze date as the file writes it (ISO 8601), None for none."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problem = f"the freeze date '{text}' is not a date (YYYY-MM-DD)"
        if source.lower().endswith(".ics"):
            found = Problem(source, problem, column=FREEZE_PROPERTY, column_label="property")
        else:
            found = Problem(source, problem, column="freeze_before")
        raise PlanFileError([found]) from None


def _read(path: Path, raw: bytes) -> CalendarFile:
    """The rows of a plan file, its programme's name and time zone, and its settings."""
    if path.suffix.lower() == ".ics":
        return calendar_file(raw)
    frame = _csv_frame(raw, str(path))
    first = frame.iloc[0] if len(frame) else pd.Series(dtype=str)
    name = str(first.get("programme", "")) or path.stem
    zone = str(first.get("timezone", "")) or "UTC"
    settings = next((text for text in frame.get("settings", []) if text), "")
    freeze = _one_freeze_date(frame, str(path))
    return CalendarFile(
        frame.drop(columns=["programme", "timezone", "settings", "freeze_before"], errors="ignore"),
        name,
        zone,
        settings,
        freeze,
    )


def _csv_frame(raw: bytes, source: str) -> pd.DataFrame:
    """A plan CSV's cells as text (spreadsheet escapes undone), each row indexed by the file
    line it starts on (`LINE`), for messages that name it; a PlanFileError naming the line
    of a header with a blank or repeated name and of each row that does not fit the header
    (a file cut off mid-row drops cells: the row is refused, not read without them)."""
    header_line, header, records = _csv_records(decoded(raw, source, PlanFileError), source)
    header, records = _without_empty_columns([spreadsheet_text(name) for name in header], records)
    delimited = delimiter_problems(header, header_line, source)
    if delimited:  # every row would say so again
        raise PlanFileError(delimited)
    problems = column_name_problems(header, source, header_line) + [
        _width_problem(len(cells), len(header), line, source)
        for line, cells in records
        if len(cells) != len(header)
    ]
    if problems:
        raise PlanFileError(problems)
    lines = pd.Index([line for line, _ in records], name=LINE)
    frame = pd.DataFrame([cells for _, cells in records], index=lines, columns=header, dtype=str)
    text: pd.DataFrame = frame.map(spreadsheet_text)
    return text


def _without_empty_columns(
    header: list[str], records: list[tuple[int, list[str]]]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and rows without the columns that have no name and no cell (the empty
    columns a spreadsheet may save after the last one)."""
    empty = {
        i
        for i, name in enumerate(header)
        if not name.strip() and all(i < len(cells) and not cells[i].strip() for _, cells in records)
    }
    if not empty:
        return header, records
    kept = [i for i in range(len(header)) if i not in empty]
    return [header[i] for i in kept], [
        (line, [cells[i] for i in kept if i < len(cells)]) for line, cells in records
    ]


def _csv_records(text: str, source: str) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's line and cells, and each row's line and cells (blank lines skipped); a
    PlanFileError naming the line of a row that cannot be split into cells: the file ends
    inside a quoted cell (cut off), a quote is left open, or a cell is longer than any."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    found: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(cells):
                found.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        problem = (
            f"the row cannot be split into cells ({exc}); the file may be cut off inside a "
            "quoted cell, or a quote is left open"
        )
        raise PlanFileError([Problem(source, problem, line=start)]) from None
    if not found:
        raise PlanFileError([Problem(source, "the file is empty; expected a header and sessions")])
    (header_line, header), *records = found
    return header_line, header, records


def _width_problem(cells: int, columns: int, line: int, source: str) -> Problem:
    """A row with fewer cells than the header has columns (cut short), or more."""
    why = (
        "it is cut short (the file cut off, or cells deleted)"
        if cells < columns
        else "quote cells that contain commas"
    )
    message = f"the row has {cells} cells but the header has {columns} columns; {why}"
    return Problem(source, message, line=line)


def _statuses(rows: pd.DataFrame, source: str) -> pd.Series:
    """Each row's status in lower case, spaces around it ignored (a spreadsheet user may
    type CONFIRMED); all "confirmed" when the file has no status column (an older one). A
    PlanFileError names the line of each other status, an empty one included: a row is
    never left out unread."""
    if "status" not in rows:
        return pd.Series("confirmed", index=rows.index)
    given = rows["status"].map(cell_text)
    statuses = given.str.strip().str.lower()
    problems = [
        Problem(source, _status_problem(text), line=row_line(rows, label), column="status")
        for label, text, known in zip(rows.index, given, statuses.isin(STATUSES))
        if not known
    ]
    if problems:
        raise PlanFileError(problems)
    return statuses


def _status_problem(text: str) -> str:
    """What is wrong with a status, and what it may be."""
    said = f"status '{text}' is not one a plan has" if text.strip() else "status is empty"
    return f"{said}; {STATUS_SAYS}"


def _one_cohort(rows: pd.DataFrame, source: str) -> None:
    """A PlanFileError for the CSV of several cohorts (`plan --cohorts --csv`, with a
    `cohort` column): a plan file is one cohort's."""
    names = sorted(set(rows["cohort"].map(cell_text))) if "cohort" in rows else []
    if len(names) > 1:
        listed = ", ".join(f"'{name}'" for name in names)
        problem = (
            f"holds the sessions of {len(names)} cohorts ({listed}), as plan --cohorts --csv "
            "writes them; a plan file is one cohort's: its calendar from plan --cohorts "
            "--out FOLDER"
        )
        raise PlanFileError([Problem(source, problem, column="cohort")])


def _one_freeze_date(frame: pd.DataFrame, source: str) -> str:
    """The CSV's freeze date ("" for none): the rows that give one must agree (an edit in a
    spreadsheet can change one row's), else a PlanFileError naming the first that differs."""
    modules = frame["module"] if "module" in frame else pd.Series("?", index=frame.index)
    dates = frame.get("freeze_before", pd.Series("", index=frame.index))
    given = [(line, m, text) for line, m, text in zip(frame.index, modules, dates) if text]
    first = given[0][2] if given else ""
    for line, module, text in given:
        if text != first:
            problem = (
                f"module '{module}' has the freeze date '{text}' where the rows before it have "
                f"'{first}'; a plan has one freeze date"
            )
            found = Problem(source, problem, line=row_line(frame, line), column="freeze_before")
            raise PlanFileError([found])
    return first


def _carried_program(file: CalendarFile, source: str) -> Program:
    """The programme the file carries; a PlanFileError when it carries none."""
    if not file.settings:
        raise PlanWithoutProgramError(
            [
                Problem(
                    source,
                    "the file does not say which programme the plan is for (no programme "
                    "settings in it); give the programme (--program, or read_plan(..., "
                    "program=...))",
                )
            ]
        )
    try:
        return program_from_toml(file.settings, f"{source} (its programme)")
    except ProgramError as exc:
        raise PlanFileError(exc.problems) from None


def _check_order(rows: pd.DataFrame, source: str) -> None:
    """A PlanFileError naming each session that does not end after it starts."""
    problems = [
        Problem(
            source,
            f"module '{module}' ends at {end:%Y-%m-%d %H:%M}, not after it starts "
            f"({start:%Y-%m-%d %H:%M})",
            line=row_line(rows, label),
            column="end",
        )
        for label, module, start, end in zip(rows.index, rows["module"], rows["start"], rows["end"])
        if end <= start
    ]
    if problems:
        raise PlanFileError(problems)


def _check_sequences(rows: pd.DataFrame, source: str) -> None:
    """A PlanFileError naming each module whose SEQUENCE cannot be one (not a whole number
    of 0 or more, or too large to go up once more)."""
    if "sequence" not in rows:
        return
    problems = [
        Problem(
            source,
            f"module '{module}' has {problem}",
            line=row_line(rows, label),
            column="sequence",
        )
        for label, module, text in zip(rows.index, rows["module"], rows["sequence"])
        if (problem := sequence_problem(cell_text(text) or "0"))
    ]
    if problems:
        raise PlanFileError(problems)


def _ledger(rows: pd.DataFrame) -> pd.DataFrame | None:
    """The calendar events the file records, or None when it records none (an older file:
    its events count as never numbered)."""
    if "uid" not in rows or "fingerprint" not in rows or not (rows["uid"] != "").all():
        return None
    owners = rows.get("facilitator", pd.Series("", index=rows.index)).map(cell_text)
    # an older file does not say an event's calendars: its facilitator's (or unassigned)
    said = rows.get("calendars", pd.Series("", index=rows.index)).map(cell_text)
    guessed = owners.replace("", UNASSIGNED).map(lambda owner: calendar_names([owner]))
    calendars = said.where(said != "", guessed)
    status = rows["status"].replace("series", "confirmed")  # the series is an event like any
    events = rows.assign(calendars=calendars, status=status)
    ledger: pd.DataFrame = events[list(EVENT_COLUMNS)].reset_index(drop=True)
    return ledger


def _catalog(rows: pd.DataFrame, source: str) -> Catalog:
    """Modules as the file records them (one row each); a PlanFileError naming the line (a
    CSV's), module and column of each value the catalog rules refuse."""
    extra = tuple(c for c in rows.columns if c not in (*SESSION_COLUMNS, *PLAN_OWN))
    modules = tuple(
        _module(row, row_line(rows, label), source, extra)
        for label, row in zip(rows.index, rows.to_dict("records"))
    )
    _check_modules(modules, extra, rows, source)
    if rows.index.name != LINE:  # a calendar's events: numbered as the catalog's rows
        return Catalog(modules=modules, extra_columns=extra, source=source)
    lines = {module.id: int(line) for module, line in zip(modules, rows.index)}
    return Catalog(
        modules=modules, extra_columns=extra, source=source, lines=lines, line_label="line"
    )


def _module(
    row: Mapping[Hashable, object], line: int | None, source: str, extra: tuple[str, ...]
) -> Module:
    """The module a row records, its rules as the file wrote them."""
    return Module(
        id=str(row["module"]),
        title=str(row["title"]),
        kind="skill" if row.get("kind") == "skill" else "content",
        hours=float(str(row["hours"])),
        tags=split_list(str(row.get("tags", ""))),
        density=int(str(row["density"])),
        prerequisites=split_list(str(row.get("prerequisites", ""))),
        earliest_week=_week(row.get("earliest_week")),
        latest_week=_week(row.get("latest_week")),
        pre_service=bool(row["pre_service"]),
        facilitator=str(row.get("facilitator", "")),
        evidence=str(row.get("evidence", "")),
        description=str(row.get("description", "")),
        final=bool(row.get("final", False)),
        avoid_weeks=_weeks_to_avoid(row, line, source),
        extra=tuple((column, str(row[column])) for column in extra),
    )


def _check_modules(
    modules: tuple[Module, ...], extra: tuple[str, ...], rows: pd.DataFrame, source: str
) -> None:
    """A PlanFileError for each value the catalog rules refuse, found here rather than by
    `Catalog`, which numbers modules from 1 and calls their column 'id': each problem names
    the plan file's line (a CSV's) and column."""
    lines = list(rows.index) if rows.index.name == LINE else list(range(1, len(modules) + 1))
    unchecked = Catalog(modules=modules, extra_columns=extra, source=source, checked=True)
    frame = text_frame(unchecked)
    frame.index = pd.Index(lines)
    problems = find_problems(frame, source, "line")
    if problems:
        module_at = dict(zip(lines, (m.id for m in modules)))
        located = rows.index.name == LINE
        raise PlanFileError([_as_in_plan(p, module_at, located) for p in problems])


def _as_in_plan(problem: Problem, module_at: Mapping[int, str], located: bool) -> Problem:
    """A catalog rule's problem as the plan file names it: its module, its line when the
    file has lines, and the plan's name for its column."""
    module = module_at.get(problem.line or 0, "")
    column = PLAN_COLUMNS.get(problem.column or "", problem.column)
    return Problem(
        problem.file,
        f"module '{module}': {problem.message}",
        line=problem.line if located else None,
        column=column,
    )


def _weeks_to_avoid(
    row: Mapping[Hashable, object], line: int | None, source: str
) -> tuple[int, ...]:
    """A row's `avoid_weeks` ('6;7'); a PlanFileError naming its line and module when it is
    not week numbers."""
    text = cell_text(row.get("avoid_weeks"))
    parts = split_list(text)
    if all(part.isascii() and part.isdigit() for part in parts):
        return tuple(int(part) for part in parts)
    raise PlanFileError(
        [
            Problem(
                source,
                f"module '{row['module']}': avoid_weeks '{text}' must be week numbers "
                "separated by ';', like 6;7",
                line=line,
                column="avoid_weeks",
            )
        ]
    )


def _week(value: object) -> int | None:
    text = cell_text(value)
    return int(text) if text else None
