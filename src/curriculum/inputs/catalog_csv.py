"""A catalog CSV as text: decoded, split into records with the line each starts on, and its
header checked. What goes wrong at this level is named for what it is (a spreadsheet
workbook, UTF-16, another delimiter, a quote left open), not for what it breaks later."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from curriculum.errors import CatalogError, InputError, Problem
from curriculum.inputs.catalog_rows import ID_PATTERN
from curriculum.inputs.plan_columns import PLAN_OWN

REQUIRED = ("id", "title", "kind", "hours")
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\x00"  # byte-order mark, zero widths, NUL
ID = re.compile(ID_PATTERN)
SAVE_AS = "save it as 'CSV UTF-8' from your spreadsheet program"
WORKBOOKS = {b"PK\x03\x04": "an .xlsx or .ods workbook", b"\xd0\xcf\x11\xe0": "an .xls workbook"}


@dataclass(frozen=True)
class CsvRecords:
    """The header, each record as {column: stripped text}, and the line each record starts
    on."""

    header: list[str]
    records: list[dict[str, str]]
    lines: list[int]


def split_records(raw: bytes, source: str) -> CsvRecords:
    """Decode and split a catalog CSV, keeping the line number of each record.

    Raises
    ------
    CatalogError
        For a file that is not UTF-8 CSV text, a header with a problem, a record with more
        fields than the header, or a quote left open (it swallows the lines after it).
    """
    text = decoded(raw, source)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    header_line = 0
    records: list[dict[str, str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    start, last = 1, 0  # the line a record starts on; the last record's cells
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if not any(cells):
                start = reader.line_num + 1
                continue
            if header is None:
                header, header_line = cells, start
            else:
                problems += _record_problems(header, cells, start, reader.line_num, source)
                records.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
                lines.append(start)
                last = len(cells)
            start = reader.line_num + 1
    except csv.Error as exc:  # the only error a reader in this mode raises: a huge field
        raise CatalogError(
            [
                Problem(
                    source,
                    f"a field is longer than {csv.field_size_limit():,} characters, the most "
                    "a cell holds; if none is that long, a quote left open on this line takes "
                    f"in the lines after it ({exc})",
                    line=start,
                )
            ]
        ) from None
    if header is None:
        raise CatalogError(
            [Problem(source, "the file is empty; expected a header row and modules")]
        )
    said = {problem.line for problem in problems}  # a quote seen running on to a line
    if records and text.count('"') % 2 and lines[-1] not in said:  # quotes come in pairs
        problems.append(
            Problem(
                source,
                "a quote opened in this cell is never closed, so the rest of the file is read "
                "as one cell; check the quotes on this line",
                line=lines[-1],
                column=header[min(last, len(header)) - 1],
            )
        )
    header_problems = _header_problems(header, header_line, source)
    if len(header) == 1 and header_problems:  # the wrong delimiter: every row says so again
        raise CatalogError(header_problems)
    if header_problems or problems:
        raise CatalogError(header_problems + problems)
    return CsvRecords(header, records, lines)


def decoded(raw: bytes, source: str, error: type[InputError] = CatalogError) -> str:
    """A CSV file as text; an `error` naming what the file is when it is not UTF-8 text (a
    workbook, UTF-16, a legacy code page), and how to save it as a spreadsheet can."""
    for magic, what in WORKBOOKS.items():
        if raw.startswith(magic):
            raise error([Problem(source, f"the file is {what}, not CSV; {SAVE_AS}")])
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(raw):
        raise error([Problem(source, f"the file is UTF-16 text, not UTF-8; {SAVE_AS}")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(
            [
                Problem(
                    source,
                    f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
                    f"{exc.start}); {SAVE_AS}",
                    line=line,
                )
            ]
        ) from None


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 without a byte-order mark: text in which most even, or most odd, bytes are 0
    (every ASCII character is a 0 byte and its own)."""
    sample = raw[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return False
    halves = (sample[0::2], sample[1::2])
    return any(half.count(0) > 0.9 * len(half) for half in halves)


def _record_problems(
    header: list[str], cells: list[str], start: int, end: int, source: str
) -> list[Problem]:
    """More fields than the header; a quote left open, seen as a cell that runs over later
    lines that look like records of their own."""
    problems = []
    if len(cells) > len(header):
        problems.append(
            Problem(
                source,
                f"{len(cells)} fields but the header has {len(header)} (quote fields that "
                "contain commas)",
                line=start,
            )
        )
    for column, cell in zip(header, cells):
        if any(_looks_like_a_record(line, header) for line in cell.split("\n")[1:]):
            problems.append(
                Problem(
                    source,
                    f"a quote opened in this cell runs on to line {end}, so the lines between "
                    "are read as one cell; check the quotes on this line",
                    line=start,
                    column=column,
                )
            )
            break
    return problems


def _looks_like_a_record(line: str, header: list[str]) -> bool:
    """A line inside a cell that reads like a catalog row: an id, then at least half the
    header's commas (prose puts spaces in its first words, and fewer commas)."""
    first = line.partition(",")[0]
    return line.count(",") >= max(1, (len(header) - 1) // 2) and bool(ID.fullmatch(first))


def delimiter_problems(header: list[str], line: int, source: str) -> list[Problem]:
    """A header read as one column that holds semicolons or tabs: the file was saved with
    another delimiter (as a spreadsheet in many locales saves CSV)."""
    if len(header) == 1 and ";" in header[0]:
        return [
            Problem(
                source,
                "the header looks semicolon-delimited ('"
                + header[0][:40]
                + "'); save the file as comma-separated CSV, or replace ';' between columns "
                "with ',' (tags and prerequisites keep ';' inside a field)",
                line=line,
            )
        ]
    if len(header) == 1 and "\t" in header[0]:
        return [Problem(source, "the header looks tab-delimited; save as comma-separated", line)]
    return []


def _header_problems(header: list[str], line: int, source: str) -> list[Problem]:
    """Delimiter, missing, blank and duplicated column names."""
    delimited = delimiter_problems(header, line, source)
    if delimited:
        return delimited
    problems = [
        Problem(source, _missing(name, header), line=line, column=name)
        for name in REQUIRED
        if name not in header
    ]
    return (
        problems
        + column_name_problems(header, source, line)
        + plan_own_problems(header, source, line)
    )


def plan_own_problems(names: Iterable[str], source: str, line: int | None = None) -> list[Problem]:
    """Catalog columns named as a plan's own (`PLAN_OWN`): the plan could not carry them."""
    return [
        Problem(
            source,
            f"the plan has a column of this name of its own (its own are {', '.join(PLAN_OWN)}"
            f"); rename it, for example to '{name}_note', and the plan carries it",
            line=line,
            column=name,
        )
        for name in names
        if name in PLAN_OWN
    ]


def _missing(name: str, header: list[str]) -> str:
    """Why a required column is missing: not there, or there with an invisible character
    stuck to it (a second byte-order mark, a NUL, a zero-width space)."""
    hidden = next((cell for cell in header if cell.strip(INVISIBLE) == name), None)
    if hidden is None:
        return f"required column '{name}' is missing"
    codes = ", ".join(sorted({f"U+{ord(char):04X}" for char in hidden if char in INVISIBLE}))
    return (
        f"required column '{name}' is written with an invisible character ({codes}) stuck "
        "to its name; save the file again as plain UTF-8"
    )


def column_name_problems(header: list[str], source: str, line: int | None = None) -> list[Problem]:
    """Blank and duplicated column names (in a CSV header or a DataFrame's columns)."""
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(Problem(source, f"column {position} has no name", line=line))
        elif name in seen:
            problems.append(Problem(source, "column appears twice", line=line, column=name))
        seen.add(name)
    return problems
