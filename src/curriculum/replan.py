"""Re-planning's calendar bookkeeping: numbering changes so subscribed calendars update in
place, and cancelling modules that disappeared."""

from __future__ import annotations

import dataclasses

import pandas as pd

from curriculum.plan import CANCELLED_COLUMNS, Plan

# What a calendar event shows: a change to any of these raises the event's SEQUENCE.
DETAILS = (
    "start",
    "end",
    "title",
    "location",
    "facilitator",
    "description",
    "kind",
    "tags",
    "evidence",
    "week",
)


def number_changes(plan: Plan, previous: Plan) -> Plan:
    """Carry each module's calendar SEQUENCE over, raised where what a calendar shows changed;
    modules that disappeared become cancelled events."""
    before = previous.sessions.set_index("module")
    sessions = plan.sessions.copy()
    sequences = []
    for row in sessions.itertuples():
        if row.module not in before.index:
            sequences.append(0)
            continue
        old = before.loc[row.module]
        changed = any(getattr(row, name) != old[name] for name in DETAILS if name in before.columns)
        sequences.append(int(old["sequence"]) + int(changed))
    sessions["sequence"] = sequences
    gone = before[~before.index.isin(sessions["module"])].reset_index()
    gone["sequence"] = gone["sequence"] + 1
    parts = [
        previous.cancelled[~previous.cancelled["module"].isin(sessions["module"])],
        gone[list(CANCELLED_COLUMNS)],
    ]
    cancelled = (
        pd.concat([p for p in parts if len(p)], ignore_index=True)
        if any(len(p) for p in parts)
        else plan.cancelled
    )
    return dataclasses.replace(plan, sessions=sessions, cancelled=cancelled)
