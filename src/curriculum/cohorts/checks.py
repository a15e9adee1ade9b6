"""The independent checker's twins of the shared rules: each re-derived from the sessions of
every cohort (a frame with a `cohort` column) and the cohorts file, never from the model.

Sessions are judged as they are (start and end instants), not meetings: the model is more
conservative than these checks. Each cohort's weekly ongoing series (supervision) counts as
sessions of its facilitator at the programme's location.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from curriculum.cells import name_key
from curriculum.inputs.cohorts import Cohorts
from curriculum.meetings import ongoing_times
from curriculum.rules import SharedRule
from curriculum.units import calendar_monday, hours_text

TOLERANCE = 1e-9  # hours


@dataclass(frozen=True)
class _Session:
    cohort: str
    module: str
    start: datetime
    end: datetime
    hours: float
    facilitator: str
    location: str
    series: bool = False  # an occurrence of the cohort's weekly ongoing series

    @property
    def label(self) -> str:
        what = f"the weekly '{self.module}'" if self.series else f"'{self.module}'"
        return f"{what} of '{self.cohort}' ({self.start:%Y-%m-%d %H:%M}-{self.end:%H:%M})"


def _sessions(frame: pd.DataFrame) -> list[_Session]:
    return [
        _Session(
            str(row["cohort"]),
            str(row["module"]),
            pd.Timestamp(row["start"]).to_pydatetime(),
            pd.Timestamp(row["end"]).to_pydatetime(),
            float(row["hours"]),
            str(row["facilitator"] or "").strip(),
            str(row["location"] or "").strip(),
        )
        for row in frame.to_dict("records")
    ]


def _series(cohorts: Cohorts) -> list[_Session]:
    """Every cohort's weekly ongoing sessions (supervision), with its facilitator and at the
    programme's location: fixed by the programme, they take the facilitator's and the
    room's time like any session."""
    return [
        _Session(
            cohort.name,
            ongoing.title,
            start,
            end,
            ongoing.hours,
            ongoing.facilitator.strip(),
            cohort.program.location.strip(),
            series=True,
        )
        for cohort in cohorts.cohorts
        if (ongoing := cohort.program.ongoing) is not None
        for start, end in ongoing_times(cohort.program)
    ]


def _one_session(first: _Session, second: _Session, joint: Iterable[str]) -> bool:
    """Whether two cohorts' sessions are one session: the same joint module, or both their
    weekly ongoing sessions with the same facilitator, at the same time and place."""
    place = (first.start, first.end, name_key(first.location))
    if place != (second.start, second.end, name_key(second.location)):
        return False
    if first.series or second.series:
        return first.series == second.series and name_key(first.facilitator) == name_key(
            second.facilitator
        )
    return first.module == second.module and first.module in joint


def _clashes(
    sessions: list[_Session], key: Callable[[_Session], str], joint: Iterable[str]
) -> list[tuple[str, _Session, _Session]]:
    """Pairs of sessions of different cohorts with the same (non-empty) key that overlap in
    time and are not one joint session."""
    found = []
    by_key: dict[str, list[_Session]] = {}
    for session in sessions:
        if key(session):
            by_key.setdefault(key(session), []).append(session)
    for who, group in sorted(by_key.items()):
        group.sort(key=lambda s: s.start)
        for i, first in enumerate(group):
            for second in group[i + 1 :]:
                if second.start >= first.end:
                    break
                if first.cohort != second.cohort and not _one_session(first, second, joint):
                    found.append((who, first, second))
    return found


def _facilitator_clash(sessions: list[_Session], cohorts: Cohorts) -> list[str]:
    return [
        f"facilitator '{first.facilitator}' is in two sessions at once: {first.label} and "
        f"{second.label}"
        for _, first, second in _clashes(sessions, lambda s: name_key(s.facilitator), cohorts.joint)
    ]


def _room_clash(sessions: list[_Session], cohorts: Cohorts) -> list[str]:
    return [
        f"location '{first.location}' holds two cohorts at once: {first.label} and {second.label}"
        for _, first, second in _clashes(sessions, lambda s: name_key(s.location), cohorts.joint)
    ]


def _shared_hours(sessions: list[_Session], cohorts: Cohorts) -> list[str]:
    found = []
    for who, limits in cohorts.facilitators.items():
        cap = limits.max_hours_per_week
        if cap is None:
            continue
        by_week: dict[date, dict[tuple[str, datetime, datetime], float]] = {}
        for s in sessions:
            if name_key(s.facilitator) == name_key(who):
                day = s.start.date()
                joint = s.module in cohorts.joint and not s.series
                together = f"\0series\0{name_key(s.location)}" if s.series else ""
                key = (
                    together or (s.module if joint else f"{s.cohort}\0{s.module}"),
                    s.start,
                    s.end,
                )
                by_week.setdefault(calendar_monday(day), {})[key] = s.hours  # a joint session once
        for monday, taught in sorted(by_week.items()):
            hours = sum(taught.values())
            if hours > cap + TOLERANCE:
                found.append(
                    f"facilitator '{who}' teaches {hours_text(hours)} h in the week of "
                    f"{monday} across cohorts; the cap is {hours_text(cap)} h"
                )
    return found


def _joint(sessions: list[_Session], cohorts: Cohorts) -> list[str]:
    found = []
    for module_id in cohorts.joint:
        taught = [s for s in sessions if s.module == module_id and not s.series]
        places = {(s.start, s.end, name_key(s.location)) for s in taught}
        if len(places) > 1:
            each = "; ".join(sorted(s.label for s in taught))
            found.append(f"joint module '{module_id}' is not taught once to all: {each}")
    return found


Check = Callable[[list[_Session], Cohorts], list[str]]

SHARED_CHECKS: dict[SharedRule, Check] = {
    SharedRule.FACILITATOR_CLASH: _facilitator_clash,
    SharedRule.SHARED_HOURS: _shared_hours,
    SharedRule.ROOM_CLASH: _room_clash,
    SharedRule.JOINT: _joint,
}


def check_shared(sessions: pd.DataFrame, cohorts: Cohorts) -> list[str]:
    """Every shared rule the cohorts' sessions (and their weekly ongoing series) break, in
    `SHARED_CHECKS` order; [] when none."""
    read = _sessions(sessions) + _series(cohorts)
    return [problem for check in SHARED_CHECKS.values() for problem in check(read, cohorts)]
