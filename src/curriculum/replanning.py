"""Re-planning: freezing the past, so that which blocks are pinned to which meeting, which
meetings are still open, and where every other module was before are known to the model."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd

from curriculum.errors import Problem, ProgramError
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import (
    MeetingCalendar,
    Slot,
    meeting_slots,
    ongoing_dates,
    ongoing_times,
)
from curriculum.rules import forbidding
from curriculum.units import calendar_monday

# What a past session's event showed, kept as the previous plan had it (`_as_taught`); the
# catalog's extra columns too, where the previous plan has them (a calendar does not)
TAUGHT = ("title", "kind", "tags", "density", "facilitator", "evidence", "description")


@dataclass(frozen=True)
class Pins:
    """What re-planning fixes, in the solver's terms: modules pinned to a meeting (the
    past), the first meeting open to the rest, and where each module was before (meeting
    index, week)."""

    pinned: Mapping[str, int] = field(default_factory=dict)
    open_from: int = 0
    previous: Mapping[str, tuple[int | None, int]] = field(default_factory=dict)


def floor_weeks(calendar: MeetingCalendar, pins: Pins) -> list[int]:
    """The weeks the floor on modules a week judges: the teaching weeks with a meeting still
    open (in a re-plan, one on or after the freeze date: the past stays as it was, even a
    week it left empty; none for a committed cohort, whose meetings are all closed)."""
    open_weeks = {slot.week for slot in calendar.slots if slot.index >= pins.open_from}
    return [week for week in calendar.teaching_weeks if week in open_weeks]


@dataclass(frozen=True)
class Frozen:
    """The past and the previous placements, in the solver's terms (meeting indices)."""

    catalog: Catalog
    slots: tuple[Slot, ...]
    pinned: dict[str, int]
    open_from: int
    previous: dict[str, tuple[int | None, int]]
    times: dict[str, tuple[pd.Timestamp, pd.Timestamp]]
    was_at: dict[str, tuple[pd.Timestamp, pd.Timestamp]]  # open modules' previous times
    warnings: tuple[str, ...]

    def stayed(self, assignment: Mapping[str, int]) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
        """The previous times of the open modules the re-plan left in the meeting they had
        (module id -> meeting index in `assignment`), to keep where the layout can."""
        return {
            module: self.was_at[module]
            for module, index in assignment.items()
            if module in self.was_at and self.previous[module][0] == index
        }

    @property
    def pins(self) -> Pins:
        """The pinned past and the previous places, for the model."""
        return Pins(self.pinned, self.open_from, self.previous)


@dataclass(frozen=True)
class Replanning:
    """A previous plan (its sessions and catalog) and the date before which it is frozen."""

    sessions: pd.DataFrame
    catalog: Catalog
    freeze_before: date
    held_before: date | None = None  # the previous plan's own freeze, if it was a re-plan

    def freeze(self, catalog: Catalog, program: Program) -> Frozen:
        """Pin every block that started before `freeze_before` (local midnight)."""
        return freeze(self, catalog, program)

    def cutoff(self, program: Program) -> pd.Timestamp:
        """The freeze as an instant: local midnight in the programme's zone."""
        return freeze_instant(self.freeze_before, program)

    def past_modules(self, program: Program) -> set[str]:
        """Modules taught before the freeze."""
        return set(self.sessions.loc[self.sessions["start"] < self.cutoff(program), "module"])


def past_defaults(before: Program, after: Program, freeze_week: int) -> dict[str, Any]:
    """The ramp's length and the duty start of `before`, as changes to `after`, where
    `after` leaves them to their defaults (which follow the programme's length), these
    differ, and the difference reaches the freeze week or earlier: the past was held with
    them (its ramp caps, the supervision series from the duty start). Empty when nothing
    is past (`freeze_week` < 1)."""
    if freeze_week < 1:
        return {}
    was, now = before.limits, after.limits
    kept: dict[str, Any] = {}
    ramp = (was.ramp_weeks, now.ramp_weeks)
    fits = after.weeks  # a value past the programme's end cannot be kept (it is shorter)
    if (
        after.ramp.weeks is None
        and ramp[0] != ramp[1]
        and min(ramp) <= freeze_week
        and ramp[0] <= fits
    ):
        kept["ramp"] = dataclasses.replace(after.ramp, weeks=was.ramp_weeks)
    if after.duties is not None and after.duties.start_week is None and was.duty_start:
        duties = (was.duty_start, now.duty_start or after.weeks + 1)
        if duties[0] != duties[1] and min(duties) <= freeze_week and duties[0] <= fits:
            kept["duties"] = dataclasses.replace(after.duties, start_week=was.duty_start)
    return kept


def last_past_week(program: Program, freeze_before: date) -> int:
    """The last programme week with a day before the freeze (a freeze on a Monday leaves
    its week to come)."""
    return program.week_of(freeze_before - timedelta(days=1))


def kept_from_previous(
    program: Program, previous: Program, freeze_before: date
) -> tuple[Program, list[str]]:
    """A re-plan's programme with what the past was held with: the previous plan's ramp
    length and duty start where its own defaults would move them in the past
    (`past_defaults`), and its weekly series up to the freeze where the re-plan has none;
    a warning for each, and one when the series changes over sessions already held."""
    kept = past_defaults(previous, program, last_past_week(program, freeze_before))
    changed = dataclasses.replace(program, **kept) if kept else program
    weeks = f"the default for {program.weeks} weeks"
    warnings = []
    if "ramp" in kept:
        warnings.append(
            f"the ramp stays weeks 1-{changed.limits.ramp_weeks}, as in the previous plan, "
            f"not 1-{program.limits.ramp_weeks} ({weeks}), since the past was taught under it; "
            "set weeks in [ramp] to change it"
        )
    if "duties" in kept:
        warnings.append(
            f"duties start in week {changed.limits.duty_start}, as in the previous plan, "
            f"not week {program.limits.duty_start} ({weeks}), since the weekly sessions "
            "from then on were held; set start_week in [duties] to change it"
        )
    changed, said = _series_kept(changed, previous, freeze_before)
    return changed, [*warnings, *said]


def _series_kept(
    program: Program, previous: Program, freeze_before: date
) -> tuple[Program, list[str]]:
    """The programme with the previous weekly series up to the freeze (never past its own
    end) when it has none of its own but sessions of it were held, so that they stay in
    calendars and the rest leave them; a word on that, on a series that cannot be kept so
    (its days follow the duty start, which this programme moved or dropped), or on a
    series changed over held sessions."""
    ongoing = previous.ongoing
    held = [day for day in _series_days(previous) if day < freeze_before]
    if ongoing is None or not held:
        return program, []
    title, count = ongoing.title, len(held)
    sessions = "the session held" if count == 1 else f"the {count} sessions held"
    if program.ongoing is None:
        last = min(previous.ongoing_until, freeze_before - timedelta(days=1))
        kept = dataclasses.replace(
            program, ongoing=dataclasses.replace(ongoing, until=last), fitted_keys=()
        )
        if ongoing_dates(kept) != [d for d in ongoing_dates(previous) if d <= last]:
            return program, [
                f"the weekly '{title}' leaves this plan's calendar, {sessions} included: "
                "with this programme's duty start its days would differ; set start_week in "
                "[duties] as before to keep them"
            ]
        stay = "stays" if count == 1 else "stay"
        return kept, [
            f"the weekly '{title}' ends before the freeze on {freeze_before}: {sessions} "
            f"{stay} in the calendar, and none follow"
        ]
    same = dataclasses.replace(program.ongoing, until=None) == dataclasses.replace(
        ongoing, until=None
    )
    if not same or held != [day for day in _series_days(program) if day < freeze_before]:
        return program, [
            f"the weekly '{title}' changes, and so {'does' if count == 1 else 'do'} {sessions} "
            "before the freeze, in calendars (one event holds the whole series)"
        ]
    return program, []


def _series_days(program: Program) -> list[date]:
    """The days the weekly series is held (holidays left out, as `ongoing_times` does)."""
    return [start.date() for start, _ in ongoing_times(program)]


def freeze_instant(freeze_before: date, program: Program) -> pd.Timestamp:
    """A freeze date as an instant: local midnight in the programme's zone."""
    moment: pd.Timestamp = pd.Timestamp(
        datetime.combine(freeze_before, time(0), tzinfo=program.zone)
    )
    return moment


def freeze(replanning: Replanning, catalog: Catalog, program: Program) -> Frozen:
    """Pin every block that started before the freeze date; see `Replanning.freeze`."""
    cutoff = replanning.cutoff(program)
    sessions = replanning.sessions
    past = sessions[sessions["start"] < cutoff]
    _check_within(past, program)
    catalog = _as_taught(catalog, replanning.catalog, past)
    slots, containing = _slots_with_past(program, past)
    open_from = next((s.index for s in slots if pd.Timestamp(s.start) >= cutoff), len(slots))
    pinned = containing
    upcoming = [
        row for row in sessions[sessions["start"] >= cutoff].itertuples() if row.module in catalog
    ]
    previous_places = {
        row.module: (_slot_at(slots, row.start, open_from), program.week_of(row.start.date()))
        for row in upcoming
    }
    times = {row.module: (row.start, row.end) for row in past.itertuples()}
    was_at = {row.module: (row.start, row.end) for row in upcoming}
    warnings = (
        *_thawed(replanning, program),
        *_past_warnings(past, catalog, program, slots, pinned),
    )
    return Frozen(catalog, slots, pinned, open_from, previous_places, times, was_at, warnings)


def _check_within(past: pd.DataFrame, program: Program) -> None:
    """A ProgramError when sessions already held fall before the programme's week 1: a
    re-plan keeps what happened, so the programme must still hold it."""
    days = [moment.tz_convert(program.timezone).date() for moment in past["start"]]
    early = sorted(
        (day, module) for day, module in zip(days, past["module"]) if day < program.first_monday
    )
    if not early:
        return
    day, module = early[0]
    monday = calendar_monday(day)
    raise ProgramError(
        [
            Problem(
                program.source,
                f"the previous plan held {len(early)} session(s) before this programme's "
                f"week 1 (the first: '{module}' on {day}); a re-plan keeps what happened, so "
                f"start the programme on or before {monday} (and add weeks), or plan afresh",
                line=program.lines.get("start"),
                column="start",
                column_label="key",
            )
        ]
    )


def _as_taught(catalog: Catalog, before: Catalog, past: pd.DataFrame) -> Catalog:
    """The new catalog with each module already taught as it was taught: its length, and
    what its event showed (title, kind, facilitator, text: `TAUGHT`), from the previous
    plan, so a catalog edited since neither rewrites nor moves a past event (its rules, as
    the catalog now says, only warn); and those removed from it since kept as history."""
    spans = zip(past["module"], past["start"], past["end"])
    taught = {
        str(module): (pd.Timestamp(end) - pd.Timestamp(start)) for module, start, end in spans
    }
    if not taught:
        return catalog
    previous = {module.id: module for module in before.modules}

    def as_taught(module: Module) -> Module:
        old = previous.get(module.id, module)
        kept: dict[str, object] = {name: getattr(old, name) for name in TAUGHT}
        was = dict(old.extra)  # the catalog's columns now, as they were where known
        kept["extra"] = tuple((column, was.get(column, value)) for column, value in module.extra)
        hours = round(taught[module.id].total_seconds() / 900) / 4  # whole quarter hours
        if 0 < hours != module.hours:
            kept["hours"] = hours
        return dataclasses.replace(module, **kept)  # type: ignore[arg-type]

    now = [as_taught(m) if m.id in taught else m for m in catalog.modules]
    gone = [as_taught(previous[m]) for m in sorted(taught) if m not in catalog and m in previous]
    return dataclasses.replace(catalog, modules=(*now, *gone))


def _slots_with_past(
    program: Program, past: pd.DataFrame
) -> tuple[tuple[Slot, ...], dict[str, int]]:
    """The programme's meetings plus one stand-in for each past block whose meeting is gone
    (a new holiday, a changed pattern); and, per past module, the meeting it sits in."""
    slots = list(meeting_slots(program))
    blocks = [
        (str(module), pd.Timestamp(start), pd.Timestamp(end))
        for module, start, end in zip(past["module"], past["start"], past["end"])
    ]
    extra = [
        Slot(
            -1,
            program.week_of(start.date()),
            -1,
            start.to_pydatetime(),
            end.to_pydatetime(),
            round((end - start).total_seconds() / 900),
        )
        for _, start, end in blocks
        if _containing(slots, start) is None
    ]
    ordered = sorted([*slots, *extra], key=lambda s: (s.start, s.index))
    reindexed = tuple(dataclasses.replace(s, index=i) for i, s in enumerate(ordered))
    containing = {
        module: _containing(list(reindexed), start, prefer=end) or 0
        for module, start, end in blocks
    }
    return reindexed, containing


def _containing(
    slots: list[Slot], start: pd.Timestamp, prefer: pd.Timestamp | None = None
) -> int | None:
    """Index of the meeting that holds an instant (a stand-in ending at `prefer` first)."""
    matches = [s for s in slots if pd.Timestamp(s.start) <= start < pd.Timestamp(s.end)]
    exact = [s for s in matches if prefer is not None and pd.Timestamp(s.end) == prefer]
    chosen = (exact or matches)[:1]
    return chosen[0].index if chosen else None


def _slot_at(slots: tuple[Slot, ...], start: pd.Timestamp, open_from: int) -> int | None:
    index = _containing(list(slots), start)
    return index if index is not None and index >= open_from else None


def _thawed(replanning: Replanning, program: Program) -> list[str]:
    """A warning when the previous plan held sessions as past (its own freeze) that this
    earlier freeze lets move."""
    held = replanning.held_before
    if held is None or held <= replanning.freeze_before:
        return []
    sessions = replanning.sessions
    starts = sessions["start"]
    between = sessions[
        (starts >= replanning.cutoff(program)) & (starts < freeze_instant(held, program))
    ]
    if between.empty:
        return []
    first = between.sort_values("start", kind="stable").iloc[0]
    freeze = replanning.freeze_before
    frozen = f"only what started before {freeze}" if freeze > date.min else "nothing"
    return [
        f"the previous plan kept what started before {held} as held, but this re-plan "
        f"freezes {frozen}: {len(between)} session(s) in between (the first: '{first['module']}' on "
        f"{first['start'].tz_convert(program.zone):%Y-%m-%d %H:%M}) may move; freeze "
        f"before {held} to keep them"
    ]


def _past_warnings(
    past: pd.DataFrame,
    catalog: Catalog,
    program: Program,
    slots: tuple[Slot, ...],
    pinned: Mapping[str, int],
) -> list[str]:
    """Rules the changed programme would now break in the frozen past, in words."""
    warnings = []
    for module_id, index in pinned.items():
        slot = slots[index]
        when = f"{slot.start:%Y-%m-%d %H:%M}"
        if slot.day in program.holidays:
            warnings.append(
                f"'{module_id}' on {when} stays as it was, though that day is now a holiday"
            )
        elif slot.pattern == -1:
            warnings.append(
                f"'{module_id}' on {when} stays as it was, though no meeting is held then now"
            )
        for rule in forbidding(catalog[module_id], slot, program):
            warnings.append(
                f"'{module_id}' on {when} stays as it was, though the {rule} rule now forbids it"
            )
    return warnings
