"""Calendar sequence numbers: how a re-plan tells subscribed calendars what changed.

Every event a plan has published is a row of its ledger (`PlanData.events`): UID, module,
status, SEQUENCE, the fingerprint of what it showed, and the facilitators' calendars it
went into. A re-plan compares each event's new content with the ledger of the plan before
it: SEQUENCE rises by one exactly when what the event shows (or its status) changed, and
never falls for a UID (a module cancelled, then restored, keeps counting up).
"""

from __future__ import annotations

import dataclasses
import json
from typing import TypeVar

import pandas as pd

from curriculum.cells import slug
from curriculum.export.ics.events import (
    PlanEvent,
    carried_calendar_id,
    carried_domain,
    plan_events,
    row_uid,
    uid_domain,
)
from curriculum.frames import (
    CANCELLED_COLUMNS,
    EVENT_COLUMNS,
    PlanData,
    empty_cancelled,
    series_row,
)
from curriculum.inputs.program import Program

DataT = TypeVar("DataT", bound=PlanData)
# RFC 5545's INTEGER stops at 2^31 - 1: a sequence read back must leave room for one update
MOST_SEQUENCE = 2**31 - 2


def sequence_problem(text: str) -> str | None:
    """What is wrong with a SEQUENCE read from a plan file ("SEQUENCE 'x', not a whole
    number..."), or None when nothing is."""
    if not (text.strip().isascii() and text.strip().isdigit()):
        return f"SEQUENCE {text!r}, not a whole number of 0 or more"
    if int(text) > MOST_SEQUENCE:
        return f"SEQUENCE {text}, too large to go up once more (a calendar counts to 2147483647)"
    return None


def ledger(data: PlanData, events: list[PlanEvent] | None = None) -> pd.DataFrame:
    """The plan's ledger: the one it carries, or one made from its frames (each module's
    `sequence` column; 0 for the weekly series), as for a fresh plan or an older file;
    `events` are the plan's own (`plan_events`), when the caller has them already."""
    if data.events is not None:
        return data.events
    numbers = {
        **dict(zip(data.cancelled["module"], data.cancelled["sequence"])),
        **dict(zip(data.sessions["module"], data.sessions["sequence"])),
    }
    rows = [
        (
            e.uid,
            e.module,
            e.status,
            int(numbers.get(e.module, 0)),
            e.fingerprint,
            calendar_names([e.owner]),
        )
        for e in (plan_events(data) if events is None else events)
    ]
    frame: pd.DataFrame = pd.DataFrame(rows, columns=pd.Index(EVENT_COLUMNS))
    return frame


def renumbered(data: DataT, previous: PlanData) -> DataT:
    """`data` (a re-plan) numbered against the plan before it: under the calendar id of its
    events (`keeping_uids`), the ledger, each session's `sequence`, and the modules that
    disappeared as cancelled events."""
    published = ledger(previous)
    data = dataclasses.replace(data, program=keeping_uids(data.program, published))
    before = published.set_index("uid")
    gone = _cancellations(data, previous)
    with_gone = dataclasses.replace(data, cancelled=gone)
    rows = []
    for event in plan_events(with_gone):
        rows.append(_numbered(event, before))
    for uid, old in before.iterrows():  # cancelled long ago, still cancelled: kept as is
        if uid not in {row[0] for row in rows}:
            rows.append((uid, *old[list(EVENT_COLUMNS[1:])]))
    events: pd.DataFrame = pd.DataFrame(rows, columns=pd.Index(EVENT_COLUMNS))
    sequence = dict(zip(events["uid"], events["sequence"]))

    def numbers(frame: pd.DataFrame) -> list[int]:
        return [int(sequence[row_uid(data.program, str(m))]) for m in frame["module"]]

    sessions = data.sessions.assign(sequence=numbers(data.sessions))
    cancelled = gone.assign(sequence=numbers(gone)) if len(gone) else gone
    return dataclasses.replace(data, sessions=sessions, cancelled=cancelled, events=events)


def keeping_uids(program: Program, published: pd.DataFrame) -> Program:
    """The programme under the calendar id and UID domain that the previous plan's events
    (its ledger, `published`) carry in their UIDs, so that a re-plan's events keep their
    UIDs though the programme was renamed, its start written as another day of week 1, or
    its organizer changed, since; as it is when those are its own already, or the events
    carry none."""
    carried, domain = carried_calendar_id(published), carried_domain(published)
    if carried is not None and carried != slug(program.calendar_id):
        program = dataclasses.replace(program, id=carried)
    if domain is not None and domain != uid_domain(program):
        program = dataclasses.replace(program, uid_domain=domain)
    return program


def _numbered(event: PlanEvent, before: pd.DataFrame) -> tuple[object, ...]:
    """The event's ledger row: SEQUENCE one up when what it shows changed."""
    if event.uid not in before.index:
        fresh = calendar_names([event.owner])
        return (event.uid, event.module, event.status, 0, event.fingerprint, fresh)
    old = before.loc[event.uid]
    changed = old["fingerprint"] != event.fingerprint or old["status"] != event.status
    calendars = calendar_names([*names_of(old["calendars"]), event.owner])
    sequence = int(old["sequence"]) + int(changed)
    return (
        event.uid,
        event.module,
        event.status,
        sequence,
        event.fingerprint,
        calendars,
    )


def _cancellations(data: PlanData, previous: PlanData) -> pd.DataFrame:
    """Modules the previous plan had (scheduled or already cancelled) that this one does
    not schedule, and its weekly series (module '') when this one has none: their last
    known times, to be published as cancelled."""
    kept = {*data.sessions["module"], *([""] if len(series_row(data)) else [])}
    series = series_row(previous).assign(sequence=0)
    parts = [
        frame[~frame["module"].isin(kept)][list(CANCELLED_COLUMNS)]
        for frame in (previous.sessions, previous.cancelled, series)
        if len(frame)
    ]
    found = [part for part in parts if len(part)]
    if not found:
        return empty_cancelled()
    gone = pd.concat(found, ignore_index=True).drop_duplicates("module", keep="first")
    result: pd.DataFrame = gone.reset_index(drop=True)
    return result


def updated_events(data: PlanData, previous: PlanData, listed: set[str]) -> list[tuple[str, str]]:
    """The events a re-plan (`data`, numbered against `previous`) sends again though their
    module is not among those `listed` as moved, added or removed, each as its title and
    how it changed (`CHANGES`): "updated" when what it shows changed (its title, text,
    facilitator, the organizer...), so SEQUENCE rose; for the weekly series, "cancelled"
    or "restored" (every session of it)."""
    if data.events is None:
        return []
    published = ledger(previous)
    before = dict(zip(published["uid"], published["sequence"]))
    was = dict(zip(published["uid"], published["status"]))
    titles = dict(zip(data.sessions["module"], data.sessions["title"]))
    gone = data.cancelled[data.cancelled["module"] == ""]["title"]
    ongoing = data.program.ongoing
    series = ongoing.title if ongoing else next(iter(gone), "weekly series")
    found = []
    for uid, module, status, sequence in zip(
        data.events["uid"], data.events["module"], data.events["status"], data.events["sequence"]
    ):
        if module in listed or uid not in before or int(sequence) <= int(before[uid]):
            continue
        title = titles.get(module, series) if module else series
        if status == "confirmed":
            back = not module and was[uid] == "cancelled"  # a module back is "added"
            found.append((title, "restored" if back else "updated"))
        elif not module and was[uid] != "cancelled":
            found.append((title, "cancelled"))
    return found


CHANGES = {
    "updated": "what its event shows changed",
    "cancelled": "the weekly series is cancelled, every session of it",
    "restored": "the weekly series is back, every session of it",
}


def calendar_names(names: list[str]) -> str:
    """The facilitators' calendars an event went into, as the ledger writes them (a JSON
    list: names may hold any character)."""
    return json.dumps([name for name in dict.fromkeys(names) if name], ensure_ascii=False)


def names_of(text: object) -> list[str]:
    """The names `calendar_names` wrote (a plain name, as older files have, is one)."""
    value = str(text) if text is not None else ""
    try:
        names = json.loads(value)
    except ValueError:
        return [value] if value else []
    return [str(name) for name in names] if isinstance(names, list) else [value]
