"""The plan as CSV, safe to open in a spreadsheet, and complete enough to re-plan from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from curriculum.export.atomic import write_atomically
from curriculum.inputs.program import Program

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_text(value: str) -> str:
    """Undo `spreadsheet_safe` when reading a CSV back."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def sessions_csv(
    sessions: pd.DataFrame,
    cancelled: pd.DataFrame,
    program: Program,
    path: str | Path | None = None,
) -> str:
    """Sessions (status "confirmed") and cancelled modules (status "cancelled") as CSV, with
    ISO 8601 times and the programme's name and time zone; written atomically."""
    confirmed = sessions.assign(status="confirmed")
    gone = cancelled.assign(status="cancelled")
    frame = pd.concat([confirmed, gone], ignore_index=True) if len(gone) else confirmed
    frame = frame.assign(programme=program.name, timezone=program.timezone)
    for column in ("start", "end"):
        frame[column] = frame[column].map(pd.Timestamp.isoformat)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame[text_columns] = frame[text_columns].map(spreadsheet_safe)
    text: str = frame.to_csv(index=False, lineterminator="\n")
    if path is not None:
        write_atomically(path, text.encode("utf-8"))
    return text
