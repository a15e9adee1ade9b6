"""The sessions as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from curriculum.export.atomic import write_atomically

if TYPE_CHECKING:
    from curriculum.plan import Plan

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def sessions_csv(plan: Plan, path: str | Path | None = None) -> str:
    """The plan's sessions as CSV text (ISO 8601 times with offsets); written atomically."""
    frame = plan.sessions.copy()
    for column in ("start", "end"):
        frame[column] = frame[column].map(pd.Timestamp.isoformat)
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame[text_columns] = frame[text_columns].map(spreadsheet_safe)
    text: str = frame.to_csv(index=False, lineterminator="\n")
    if path is not None:
        write_atomically(path, text.encode("utf-8"))
    return text
