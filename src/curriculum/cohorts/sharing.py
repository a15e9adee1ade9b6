"""What cohorts share, in meetings: where a joint module can be taught to all its cohorts at
once (the meeting times and places they all have), and which meetings of different
cohorts overlap in time (for a shared facilitator) or in time and place (for a room)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from curriculum.cells import name_key
from curriculum.errors import CohortsError, Problem
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.meetings import Slot, meeting_slots

Place = tuple[datetime, datetime, str]  # start, end, location (as names are matched)


def place_of(cohort: Cohort, slot: Slot) -> Place:
    """A meeting's time and place: start and end instants and the programme's location."""
    return slot.start, slot.end, name_key(cohort.program.location)


def joint_places(cohorts: Cohorts) -> dict[str, tuple[Place, ...]]:
    """Each joint module's possible places: the meeting times and places every cohort that
    has it holds (in time order).

    Raises
    ------
    CohortsError
        Naming each joint module whose cohorts share no meeting time and place.
    """
    found: dict[str, tuple[Place, ...]] = {}
    problems = []
    for module_id in cohorts.joint:
        having = cohorts.having(module_id)
        places = set.intersection(
            *({place_of(c, s) for s in meeting_slots(c.program)} for c in having)
        )
        found[module_id] = tuple(sorted(places))
        if not places:
            names = ", ".join(f"'{c.name}'" for c in having)
            problems.append(
                Problem(
                    cohorts.source,
                    f"joint module '{module_id}' cannot be taught to {names} together: they "
                    "share no meeting at the same time and place (same day, start, length "
                    "and location)",
                    cohorts.lines.get("joint.modules"),
                    "joint.modules",
                    column_label="key",
                )
            )
    if problems:
        raise CohortsError(problems)
    return found


def overlapping(first: Slot, second: Slot) -> bool:
    """Whether two meetings overlap in time."""
    return first.start < second.end and second.start < first.end


def overlapping_pairs(
    cohorts: Cohorts,
) -> Iterator[tuple[tuple[int, Slot], tuple[int, Slot]]]:
    """Every pair of meetings of two different cohorts (by position) that overlap in time,
    found by sweeping the meetings in time order."""
    meetings = sorted(
        ((c, s) for c, cohort in enumerate(cohorts.cohorts) for s in meeting_slots(cohort.program)),
        key=lambda pair: pair[1].start,
    )
    open_: list[tuple[int, Slot]] = []
    for cohort, slot in meetings:
        open_ = [(c, s) for c, s in open_ if s.end > slot.start]
        for other, earlier in open_:
            if other != cohort:
                yield (other, earlier), (cohort, slot)
        open_.append((cohort, slot))
