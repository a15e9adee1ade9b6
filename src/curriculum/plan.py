"""A plan: which module is taught when, as pandas frames, with an independent check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from curriculum.catalog import Catalog, Module
from curriculum.meetings import Slot, meeting_slots
from curriculum.program import Program

SESSION_COLUMNS = (
    "week",
    "start",
    "end",
    "module",
    "title",
    "kind",
    "tags",
    "hours",
    "density",
    "intensity",
    "pre_service",
    "facilitator",
    "meeting",
    "location",
    "evidence",
    "description",
    "sequence",
)
CANCELLED_COLUMNS = ("module", "title", "start", "end", "sequence")


@dataclass(frozen=True)
class Plan:
    """A scheduled programme: `sessions` (one row per module block) and `weekly` totals."""

    catalog: Catalog
    program: Program
    sessions: pd.DataFrame = field(repr=False)
    cancelled: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=pd.Index(CANCELLED_COLUMNS)), repr=False
    )

    @classmethod
    def from_assignment(
        cls,
        catalog: Catalog,
        program: Program,
        assignment: Mapping[str, int],
        *,
        slots: Sequence[Slot] | None = None,
        fixed_times: Mapping[str, tuple[Any, Any]] | None = None,
    ) -> Plan:
        """Lay modules out in their meetings (module id -> meeting index), back to back.

        `slots` replaces the programme's meetings (re-planning adds stand-ins for the past);
        `fixed_times` keeps some modules at exactly the start and end they had.
        """
        frame = session_frame(catalog, program, assignment, slots, fixed_times or {})
        return cls(catalog, program, frame)

    @property
    def weekly(self) -> pd.DataFrame:
        """One row per week: hours, content/skill hours, intensity, caps and room."""
        return weekly_frame(self.sessions, self.program)

    def check(self) -> list[str]:
        """Every hard rule this plan breaks, re-derived from the frames; [] when none."""
        from curriculum.checks import check_plan

        return check_plan(self.sessions, self.catalog, self.program)

    def to_ics(self, path: str | Path | None = None, *, remind: timedelta | None = None) -> bytes:
        """The plan as an RFC 5545 calendar (written atomically when a path is given)."""
        from curriculum.export.ics import plan_to_ics

        return plan_to_ics(self, path, remind=remind)

    def _repr_html_(self) -> str:
        from curriculum.display import plan_html

        return plan_html(self)

    def diff(self, other: Plan) -> pd.DataFrame:
        """What moved, appeared or disappeared going from `other` (earlier) to this plan."""
        from curriculum.plan_diff import plan_diff

        return plan_diff(other, self)

    def to_csv(self, path: str | Path | None = None) -> str:
        """The sessions as CSV text (written atomically when a path is given)."""
        from curriculum.export.table import sessions_csv

        return sessions_csv(self, path)

    def __repr__(self) -> str:
        return (
            f"Plan({self.program.name!r}: {len(self.sessions)} sessions over "
            f"{self.program.weeks} weeks, {self.sessions['hours'].sum():g} h)"
        )


def in_meeting_order(modules: list[Module], catalog: Catalog) -> list[Module]:
    """Order inside one meeting: content before skills (learn, then practise), then the
    catalog's own order."""
    position = {m.id: i for i, m in enumerate(catalog.modules)}
    return sorted(modules, key=lambda m: (m.kind != "content", position[m.id]))


def session_frame(
    catalog: Catalog,
    program: Program,
    assignment: Mapping[str, int],
    slots: Sequence[Slot] | None = None,
    fixed_times: Mapping[str, tuple[Any, Any]] | None = None,
) -> pd.DataFrame:
    """Sessions laid out back to back inside each meeting, in `in_meeting_order`."""
    by_index = {slot.index: slot for slot in (slots or meeting_slots(program))}
    fixed = fixed_times or {}
    by_slot: dict[int, list[Module]] = {}
    for module_id, index in assignment.items():
        by_slot.setdefault(index, []).append(catalog[module_id])
    rows = []
    for index in sorted(by_slot):
        slot = by_index[index]
        start = slot.start
        for module in in_meeting_order(by_slot[index], catalog):
            end = start + timedelta(minutes=round(module.hours * 60))
            if module.id in fixed:
                start, end = fixed[module.id]
            rows.append(_row(module, slot, start, end, program))
            start = end
    columns = [*SESSION_COLUMNS, *catalog.extra_columns]
    frame = pd.DataFrame(rows, columns=columns)
    return _typed(frame, program)


def _row(
    module: Module, slot: Slot, start: object, end: object, program: Program
) -> dict[str, object]:
    return {
        "week": slot.week,
        "start": start,
        "end": end,
        "module": module.id,
        "title": module.title,
        "kind": module.kind,
        "tags": ";".join(module.tags),
        "hours": module.hours,
        "density": module.density,
        "intensity": module.intensity,
        "pre_service": module.pre_service,
        "facilitator": module.facilitator,
        "meeting": slot.index,
        "location": program.location,
        "evidence": module.evidence,
        "description": module.description,
        "sequence": 0,
        **dict(module.extra),
    }


def _typed(frame: pd.DataFrame, program: Program) -> pd.DataFrame:
    zone = program.timezone
    frame["start"] = pd.to_datetime(frame["start"], utc=True).dt.tz_convert(zone)
    frame["end"] = pd.to_datetime(frame["end"], utc=True).dt.tz_convert(zone)
    typed: pd.DataFrame = frame.astype(
        {
            "week": int,
            "hours": float,
            "density": int,
            "intensity": float,
            "meeting": int,
            "sequence": int,
        }
    )
    result: pd.DataFrame = typed.reset_index(drop=True)
    return result


def weekly_frame(sessions: pd.DataFrame, program: Program) -> pd.DataFrame:
    """Weekly totals next to the caps; `room` is what the week's meetings and cap allow."""
    weeks = pd.Index(range(1, program.weeks + 1), name="week")
    by_week = sessions.groupby("week")
    content = sessions[sessions["kind"] == "content"].groupby("week")["hours"].sum()
    meeting_hours = (
        pd.Series(
            [slot.quarters / 4 for slot in meeting_slots(program)],
            index=[slot.week for slot in meeting_slots(program)],
        )
        .groupby(level=0)
        .sum()
    )
    frame = pd.DataFrame(
        {
            "hours": by_week["hours"].sum().reindex(weeks, fill_value=0.0),
            "content_hours": content.reindex(weeks, fill_value=0.0),
            "intensity": by_week["intensity"].sum().reindex(weeks, fill_value=0.0),
            "modules": by_week["module"].count().reindex(weeks, fill_value=0),
            "max_hours": [program.hours_cap(w) for w in weeks],
            "max_intensity": [program.intensity_cap(w) for w in weeks],
            "ramp": [program.is_ramp_week(w) for w in weeks],
            "meeting_hours": meeting_hours.reindex(weeks, fill_value=0.0),
        },
        index=weeks,
    )
    frame["skill_hours"] = frame["hours"] - frame["content_hours"]
    frame["room"] = frame[["max_hours", "meeting_hours"]].min(axis=1).map(_floor_quarter)
    frame["content_share"] = frame["content_hours"] / frame["hours"].where(frame["hours"] > 0)
    ordered = [
        "hours",
        "content_hours",
        "skill_hours",
        "content_share",
        "intensity",
        "modules",
        "max_hours",
        "max_intensity",
        "room",
        "ramp",
    ]
    result: pd.DataFrame = frame[ordered].reset_index()
    return result


def _floor_quarter(hours: float) -> float:
    return int(hours * 4 + 1e-9) / 4
