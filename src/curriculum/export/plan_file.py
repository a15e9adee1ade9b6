"""Reading a plan back from the CSV `curriculum plan --csv` wrote, or from its .ics."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pandas as pd

from curriculum.cells import parse_bool
from curriculum.errors import PlanFileError, Problem
from curriculum.export.csv import spreadsheet_text
from curriculum.export.ics.read import plan_frames_from_ics
from curriculum.frames import CANCELLED_COLUMNS, SESSION_COLUMNS
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.catalog_rows import split_list
from curriculum.inputs.program import Duties, Program, Ramp
from curriculum.plan import Plan

NEEDED = ("module", "title", "start", "end")


def read_plan(
    path: str | Path, *, catalog: Catalog | None = None, program: Program | None = None
) -> Plan:
    """A plan from its CSV or .ics, e.g. to re-plan from files.

    Without `catalog` and `program` they are rebuilt from the file (modules from the
    sessions, the programme's name, start, weeks and time zone); pass the real ones to
    `check()` the plan against every rule.
    """
    source = str(path)
    try:
        frame, name, timezone = _frames(Path(path))
        missing = [column for column in NEEDED if column not in frame]
        if missing:
            raise PlanFileError(
                [Problem(source, f"column '{c}' is missing", column=c) for c in missing]
            )
        frame = _typed(frame, timezone)
        status = frame.get("status", pd.Series("confirmed", index=frame.index))
        sessions, cancelled = frame[status != "cancelled"], frame[status == "cancelled"]
        program = program or _program(sessions, name, timezone)
        catalog = catalog or _catalog(sessions)
    except PlanFileError:
        raise
    except OSError as exc:
        raise PlanFileError([Problem(source, f"cannot read the file ({exc.strerror})")]) from None
    except (ValueError, KeyError, TypeError, LookupError) as exc:
        raise PlanFileError([Problem(source, f"not a plan written by curriculum: {exc}")]) from None
    extra = [c for c in sessions.columns if c in catalog.extra_columns]
    columns = [c for c in (*SESSION_COLUMNS, *extra) if c in sessions]
    return Plan(
        catalog,
        program,
        sessions[columns].reset_index(drop=True),
        cancelled[list(CANCELLED_COLUMNS)].reset_index(drop=True),
    )


def _frames(path: Path) -> tuple[pd.DataFrame, str, str]:
    """The rows of a plan file, its programme's name and its time zone."""
    if path.suffix.lower() == ".ics":
        return plan_frames_from_ics(path.read_bytes())
    return _csv_frames(path)


def _csv_frames(path: Path) -> tuple[pd.DataFrame, str, str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame = frame.map(spreadsheet_text)
    name = frame["programme"].iloc[0] if "programme" in frame and len(frame) else path.stem
    timezone = frame["timezone"].iloc[0] if "timezone" in frame and len(frame) else "UTC"
    return frame.drop(columns=["programme", "timezone"], errors="ignore"), name, timezone


def _typed(frame: pd.DataFrame, timezone: str) -> pd.DataFrame:
    """Times in the programme's zone; numbers and flags as numbers and flags."""
    frame = frame.copy()
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], utc=True).dt.tz_convert(timezone)
    if "hours" not in frame or (frame["hours"] == "").any():
        frame["hours"] = (frame["end"] - frame["start"]).dt.total_seconds() / 3600
    defaults = {"week": 0, "density": 3, "sequence": 0, "meeting": -1}
    for column, default in defaults.items():
        values = frame.get(column, pd.Series(default, index=frame.index))
        frame[column] = pd.to_numeric(values, errors="coerce").fillna(default).astype(int)
    frame["hours"] = pd.to_numeric(frame["hours"]).astype(float)
    frame["intensity"] = frame["hours"] * frame["density"]
    flags = frame.get("pre_service", pd.Series("", index=frame.index)).astype(str)
    frame["pre_service"] = flags.map(lambda text: parse_bool(text) is True)
    for column in SESSION_COLUMNS:
        if column not in frame:
            frame[column] = ""
    return frame


def _program(sessions: pd.DataFrame, name: str, timezone: str) -> Program:
    """The programme as far as the sessions show it (no ramp, no duties, no ongoing)."""
    if sessions.empty:
        raise ValueError("it holds no sessions")
    first = sessions["start"].min().date()
    start = first - timedelta(days=first.weekday())
    weeks = (sessions["start"].max().date() - start).days // 7 + 1
    location = next((str(v) for v in sessions.get("location", []) if v), "")
    return Program(
        name=name or "Plan",
        start=start,
        weeks=weeks,
        timezone=timezone,
        location=location,
        ramp=Ramp(weeks=0),
        duties=Duties(start_week=None),
        ongoing=None,
    )


def _catalog(sessions: pd.DataFrame) -> Catalog:
    """Modules as far as the sessions show them (no prerequisites or week windows)."""
    extra = tuple(c for c in sessions.columns if c not in (*SESSION_COLUMNS, "status"))
    modules = tuple(
        Module(
            id=row["module"],
            title=row["title"],
            kind="skill" if row.get("kind") == "skill" else "content",
            hours=float(row["hours"]),
            tags=split_list(str(row.get("tags", ""))),
            density=int(row["density"]),
            pre_service=bool(row["pre_service"]),
            facilitator=str(row.get("facilitator", "")),
            evidence=str(row.get("evidence", "")),
            description=str(row.get("description", "")),
            extra=tuple((column, str(row[column])) for column in extra),
        )
        for row in sessions.to_dict("records")
    )
    return Catalog(modules=modules, extra_columns=extra, source="<plan file>")
