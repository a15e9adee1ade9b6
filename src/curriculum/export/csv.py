"""The plan as CSV, safe to open in a spreadsheet, and complete enough to re-plan from."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from curriculum.characters import plain
from curriculum.export.atomic import write_atomically
from curriculum.export.ics.events import row_uid
from curriculum.export.ics.ledger import ledger
from curriculum.frames import PlanData, series_row
from curriculum.inputs.program_toml import program_to_toml

FORMULA_STARTS = ("=", "+", "-", "@", "\t")  # and CR, which `plain` turns into LF


def spreadsheet_safe(value: object) -> object:
    """Text as a spreadsheet can open it safely: every line break as LF (which the CSV
    quotes) and no control characters; text it would run as a formula gets a leading
    apostrophe (OWASP advice), and so does text that had one already, so that
    `spreadsheet_text` gives back exactly what was written."""
    if not isinstance(value, str):
        return value
    text = plain(value)
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def spreadsheet_text(value: str) -> str:
    """Undo `spreadsheet_safe` when reading a CSV back."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def sessions_csv(data: PlanData, path: str | Path | None = None) -> str:
    """A plan as CSV, written atomically when a path is given.

    One row per session (status "confirmed"), per cancelled module ("cancelled"; module ''
    when a re-plan dropped the weekly supervision series) and for the series ("series").
    Times come twice: as local `date`, `start_time` and `end_time` (what a spreadsheet
    shows and lets people edit; these win
    when read back over the ISO ones they disagree with) and as ISO 8601 instants with
    their offset (`start`, `end`: which of a fall-back night's two 01:30s it is). The last
    columns carry what a re-plan and a check need: each event's calendar UID, SEQUENCE
    (`sequence`), fingerprint and calendars, the programme (`settings`, one line of TOML)
    and, for a re-plan, its freeze date (`freeze_before`: what started before it is the
    past, which a check does not judge again unless it was edited since). Cells a
    spreadsheet would run as a formula are neutralised.
    """
    return safe_csv(sessions_table(data), path)


def sessions_table(data: PlanData) -> pd.DataFrame:
    """The rows and columns `sessions_csv` writes, before cells are made safe."""
    confirmed = data.sessions.assign(status="confirmed")
    parts = [confirmed, data.cancelled.assign(status="cancelled"), series_row(data)]
    frame: pd.DataFrame = pd.concat([part for part in parts if len(part)], ignore_index=True)
    for part in parts:  # whole numbers stay whole where other rows lack them (not 1.0)
        for column in part.select_dtypes(include="integer").columns:
            frame[column] = frame[column].astype("Int64")
    events = ledger(data).set_index("uid")
    uids = [row_uid(data.program, str(module)) for module in frame["module"]]
    frame["uid"] = uids
    for column in ("fingerprint", "calendars"):
        frame[column] = [events[column].get(uid, "") for uid in uids]
    frame["sequence"] = [int(events["sequence"].get(uid, 0)) for uid in uids]
    local_start = frame["start"].map(lambda moment: moment.tz_convert(data.program.timezone))
    local_end = frame["end"].map(lambda moment: moment.tz_convert(data.program.timezone))
    frame.insert(1, "date", local_start.map(lambda moment: f"{moment:%Y-%m-%d}"))
    frame.insert(2, "start_time", local_start.map(lambda moment: f"{moment:%H:%M}"))
    frame.insert(3, "end_time", local_end.map(lambda moment: f"{moment:%H:%M}"))
    frame = frame.assign(
        programme=data.program.name,
        timezone=data.program.timezone,
        settings=program_to_toml(data.program),
    )
    if data.freeze_before is not None:
        frame["freeze_before"] = data.freeze_before.isoformat()
    for column in ("start", "end"):
        frame[column] = frame[column].map(pd.Timestamp.isoformat)
    return frame


def safe_csv(frame: pd.DataFrame, path: str | Path | None = None) -> str:
    """A frame as CSV text (its index left out), every cell a spreadsheet would run as a
    formula neutralised; written atomically when a path is given."""
    frame = frame.copy()
    frame.columns = pd.Index([spreadsheet_safe(str(name)) for name in frame.columns])
    text_columns = frame.select_dtypes(include=["object", "string"]).columns
    frame[text_columns] = frame[text_columns].map(spreadsheet_safe)
    text: str = frame.to_csv(index=False, lineterminator="\n")
    if path is not None:
        write_atomically(path, text.encode("utf-8"))
    return text
