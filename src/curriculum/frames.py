"""A plan's data as pandas frames: its sessions, its weeks, and what changed between two
plans. `PlanData` holds a plan's inputs and frames without behaviour, so that exporters
and renderers can be written against it without knowing `Plan` (which adds the methods).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar, Slot, ongoing_dates
from curriculum.units import later, local_instant

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
    "prerequisites",
    "earliest_week",
    "latest_week",
    "final",
    "avoid_weeks",
    "sequence",
)
CANCELLED_COLUMNS = ("module", "title", "start", "end", "sequence")
DIFF_COLUMNS = ("module", "title", "change", "old_start", "new_start", "week_change")


EVENT_COLUMNS = ("uid", "module", "status", "sequence", "fingerprint", "calendars")


def empty_cancelled() -> pd.DataFrame:
    """A frame of cancelled modules with no rows."""
    frame: pd.DataFrame = pd.DataFrame(columns=pd.Index(CANCELLED_COLUMNS))
    return frame


@dataclass(frozen=True)
class PlanData:
    """A plan's inputs and frames.

    sessions
        One row per scheduled module block (`SESSION_COLUMNS`, then the catalog's extra
        columns).
    cancelled
        Modules a re-plan removed, whose calendar events are cancelled (`CANCELLED_COLUMNS`);
        module '' is the weekly supervision series, dropped by a re-plan (its first session).
    frozen
        The sessions a re-plan kept because they had already happened (None: not a re-plan).
    events
        Every calendar event published for the plan so far (`EVENT_COLUMNS`): its UID, its
        module ('' for the weekly supervision series), status, SEQUENCE, a fingerprint of
        what it shows, and the facilitators' calendars it went into (a JSON list). None for a
        fresh plan: every event at SEQUENCE 0.
    freeze_before
        A re-plan's freeze date: what started before it is `frozen` (None: not a re-plan).
    """

    catalog: Catalog
    program: Program
    sessions: pd.DataFrame = field(repr=False)
    cancelled: pd.DataFrame = field(default_factory=empty_cancelled, repr=False)
    frozen: pd.DataFrame | None = field(default=None, repr=False)
    events: pd.DataFrame | None = field(default=None, repr=False)
    freeze_before: date | None = field(default=None, repr=False)


def series_row(data: PlanData) -> pd.DataFrame:
    """The weekly supervision series as one row (status "series"): its first session; no
    rows when the plan has none."""
    program, ongoing = data.program, data.program.ongoing
    held = [day for day in ongoing_dates(program) if day not in set(program.holidays)]
    if ongoing is None or not held:
        none: pd.DataFrame = pd.DataFrame()
        return none
    start = local_instant(held[0], ongoing.start, program.zone)
    end = later(start, round(ongoing.hours * 60))
    row = {
        "week": program.week_of(held[0]),
        "start": pd.Timestamp(start),
        "end": pd.Timestamp(end),
        "module": "",
        "title": ongoing.title,
        "facilitator": ongoing.facilitator,
        "location": program.location,
        "status": "series",
    }
    series: pd.DataFrame = pd.DataFrame([row])
    return series


# ------------------------------------------------------------------ sessions


def in_meeting_order(modules: list[Module], catalog: Catalog) -> list[Module]:
    """Order inside one meeting: final modules last, content before skills (learn, then
    practise), then the catalog's own order."""
    position = {m.id: i for i, m in enumerate(catalog.modules)}
    return sorted(modules, key=lambda m: (m.final, m.kind != "content", position[m.id]))


def session_frame(
    catalog: Catalog,
    program: Program,
    assignment: Mapping[str, int],
    slots: Sequence[Slot] | None = None,
    fixed_times: Mapping[str, tuple[Any, Any]] | None = None,
    kept_times: Mapping[str, tuple[Any, Any]] | None = None,
) -> pd.DataFrame:
    """Sessions laid out back to back inside each meeting, in `in_meeting_order`.

    `assignment` maps module ids to meeting indices; `slots` replaces the programme's
    meetings (re-planning adds stand-ins for the past); `fixed_times` keeps some modules
    at exactly the start and end they had; `kept_times` keeps others at theirs where the
    meeting's order allows (`_kept_layout`: a re-plan changes no event it need not).
    """
    by_index = {slot.index: slot for slot in MeetingCalendar.of(program, slots).slots}
    fixed = fixed_times or {}
    by_slot: dict[int, list[Module]] = {}
    for module_id, index in assignment.items():
        by_slot.setdefault(index, []).append(catalog[module_id])
    rows = []
    for index in sorted(by_slot):
        slot = by_index[index]
        ordered = in_meeting_order(by_slot[index], catalog)
        times = _kept_layout(ordered, slot, kept_times or {}) or _back_to_back(ordered, slot)
        for module, (start, end) in zip(ordered, times):
            if module.id in fixed:
                start, end = fixed[module.id]
            rows.append(_row(module, slot, start, end, program))
    columns = [*SESSION_COLUMNS, *catalog.extra_columns]
    frame = pd.DataFrame(rows, columns=columns)
    return _typed(frame, program)


Span = tuple[Any, Any]  # a session's start and end


def _back_to_back(ordered: list[Module], slot: Slot) -> list[Span]:
    """Each module's start and end, one after the other from the meeting's start."""
    times: list[Span] = []
    start = slot.start
    for module in ordered:
        end = later(start, round(module.hours * 60))
        times.append((start, end))
        start = end
    return times


def _kept_layout(ordered: list[Module], slot: Slot, kept: Mapping[str, Span]) -> list[Span] | None:
    """The modules in order, those `kept` at their times where those still fit (not before
    the one before ends, the same length in real time, across a clock change too), the others each as early as the one before
    lets it; None when none is kept here, or the last would end after the meeting."""
    if not any(module.id in kept for module in ordered):
        return None
    times: list[Span] = []
    free = slot.start  # where the next session may start
    for module in ordered:
        start, end = free, later(free, round(module.hours * 60))
        if module.id in kept:
            was_start, was_end = kept[module.id]
            if was_start >= free and was_end == later(was_start, round(module.hours * 60)):
                start, end = was_start, was_end
        times.append((start, end))
        free = end
    return times if free <= slot.end else None


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
        "prerequisites": ";".join(module.prerequisites),
        "earliest_week": module.earliest_week,
        "latest_week": module.latest_week,
        "final": module.final,
        "avoid_weeks": ";".join(map(str, module.avoid_weeks)),
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
            "earliest_week": "Int64",
            "latest_week": "Int64",
        }
    )
    result: pd.DataFrame = typed.reset_index(drop=True)
    return result


# ------------------------------------------------------------------ weeks


WEEKLY_COLUMNS = {
    "week": "the programme week (1-based; weeks run Monday to Sunday)",
    "hours": "hours of modules taught that week",
    "content_hours": "of which content (knowledge)",
    "skill_hours": "of which skills practice",
    "content_share": "content hours over all hours, to 2 decimals (empty in a week without modules)",
    "intensity": "Σ hours × density of that week's modules",
    "modules": "how many modules",
    "max_hours": "the week's hours cap (the ramp's in ramp weeks)",
    "max_intensity": "the week's intensity cap",
    "meeting_hours": "the length of the week's meetings (holidays take theirs away)",
    "usable_hours": "what the week can really hold: the least of its cap and its meetings",
    "ramp": "whether the ramp's stricter caps apply",
}


def weekly_frame(sessions: pd.DataFrame, program: Program) -> pd.DataFrame:
    """Weekly totals next to the caps and the meeting time; `WEEKLY_COLUMNS` says what
    each column holds. Hours are multiples of a quarter hour."""
    weeks = pd.Index(range(1, program.weeks + 1), name="week")
    calendar = MeetingCalendar.of(program)
    by_week = sessions.groupby("week")
    content = sessions[sessions["kind"] == "content"].groupby("week")["hours"].sum()
    frame = pd.DataFrame(
        {
            "hours": by_week["hours"].sum().reindex(weeks, fill_value=0.0),
            "content_hours": content.reindex(weeks, fill_value=0.0),
            "intensity": by_week["intensity"].sum().reindex(weeks, fill_value=0.0),
            "modules": by_week["module"].count().reindex(weeks, fill_value=0),
            "max_hours": [program.hours_cap(w) for w in weeks],
            "max_intensity": [program.intensity_cap(w) for w in weeks],
            "ramp": [program.is_ramp_week(w) for w in weeks],
            "meeting_hours": [calendar.meeting_quarters(w) / 4 for w in weeks],
        },
        index=weeks,
    )
    frame["skill_hours"] = frame["hours"] - frame["content_hours"]
    frame["usable_hours"] = [calendar.room(w) / 4 for w in weeks]
    share = frame["content_hours"] / frame["hours"].where(frame["hours"] > 0)
    frame["content_share"] = share.round(2)
    result: pd.DataFrame = frame[[c for c in WEEKLY_COLUMNS if c != "week"]].reset_index()
    return result


# ------------------------------------------------------------------ changes


def diff_frame(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """One row per module whose start changed, that appeared, or that disappeared, going
    from the `old` sessions to the `new` ones; times in the new sessions' zone (a re-plan
    into another zone shows a move as the clock there reads both ends)."""
    if len(old) and len(new):
        old = old.assign(start=old["start"].dt.tz_convert(new["start"].dt.tz))
    before = old.set_index("module")
    after = new.set_index("module")
    rows = []
    for module in [*after.index, *(m for m in before.index if m not in after.index)]:
        was = before.loc[module] if module in before.index else None
        now = after.loc[module] if module in after.index else None
        if was is not None and now is not None and was["start"] == now["start"]:
            continue
        change = "added" if was is None else "removed" if now is None else "moved"
        latest = now if now is not None else was
        rows.append(
            {
                "module": module,
                "title": None if latest is None else latest["title"],
                "change": change,
                "old_start": None if was is None else was["start"],
                "new_start": None if now is None else now["start"],
                "week_change": (
                    int(now["week"] - was["week"]) if was is not None and now is not None else None
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=pd.Index(DIFF_COLUMNS))
    typed: pd.DataFrame = frame.astype({"week_change": "Int64"})
    return typed
