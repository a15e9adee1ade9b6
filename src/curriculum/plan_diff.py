"""Differences between two plans: what moved, appeared or disappeared."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from curriculum.plan import Plan

DIFF_COLUMNS = ("module", "title", "change", "old_start", "new_start", "week_change")


def plan_diff(old: Plan, new: Plan) -> pd.DataFrame:
    """One row per module whose start changed, that appeared, or that disappeared."""
    before = old.sessions.set_index("module")
    after = new.sessions.set_index("module")
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
