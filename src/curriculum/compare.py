"""Two plans side by side: what moved, the weekly load of each, and each goal in each.

`compare(a, b)` takes two plans or two results (their plans) and returns a `Comparison`
of three frames; Jupyter shows it as compact tables and `curriculum.plot.comparison`
draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from curriculum.frames import diff_frame
from curriculum.goals import Goal, score, weights_of
from curriculum.plan import Plan
from curriculum.render.notebook import comparison_html
from curriculum.result import Result

MEASURES = ("hours", "content_hours", "skill_hours", "intensity", "usable_hours")


@dataclass(frozen=True)
class Comparison:
    """Two plans side by side.

    names
        What the two are called (the columns of the frames below).
    moved
        One row per module whose start differs, or that only one plan has: module,
        title, change ("moved", "added" in the second, "removed" from it), its start in
        each plan, and how many weeks later it comes in the second (`week_change`).
    weekly
        One row per week; for each of hours, content_hours, skill_hours, intensity and
        usable_hours (what the week can hold) a column per plan, and the change in hours
        (columns are (measure, name) pairs).
    goals
        One row per soft goal, and the weighted total: the value in each plan and the
        change (0 means the goal is met).
    """

    names: tuple[str, str]
    moved: pd.DataFrame
    weekly: pd.DataFrame
    goals: pd.DataFrame

    def _repr_html_(self) -> str:
        return comparison_html(self.names, self.moved, self.weekly, self.goals)


def compare(
    a: Plan | Result,
    b: Plan | Result,
    *,
    names: tuple[str, str] = ("A", "B"),
    timezone: str | None = None,
) -> Comparison:
    """Compare two plans, or the plans of two results.

    Parameters
    ----------
    a, b
        The plans (or results) to compare; `b` is read as the change from `a`.
    names
        What to call them in the frames and the display.
    timezone
        The IANA zone the times of what moved are shown in (default: `b`'s programme's).

    Returns
    -------
    Comparison
        What moved, the weekly load side by side, and each goal in each plan.

    Raises
    ------
    InfeasibleError
        When a result has no plan.
    ValueError
        When the two names are the same.
    ZoneInfoNotFoundError
        When `timezone` names no zone.
    """
    first, second = (item.plan if isinstance(item, Result) else item for item in (a, b))
    if (
        not isinstance(names, tuple)
        or len(names) != 2
        or not all(isinstance(n, str) for n in names)
    ):
        raise ValueError(f"names must be two texts, like ('before', 'after'), not {names!r}")
    if names[0] == names[1]:
        raise ValueError(f"the two plans need two names, not {names[0]!r} twice")
    moved = diff_frame(first.sessions, second.sessions)
    if timezone is not None:
        zone = ZoneInfo(timezone)
        # a column only one side fills (or none: nothing moved) holds None, not times
        moved = moved.assign(
            old_start=pd.to_datetime(moved["old_start"], utc=True).dt.tz_convert(zone),
            new_start=pd.to_datetime(moved["new_start"], utc=True).dt.tz_convert(zone),
        )
    moved = moved.rename(
        columns={"old_start": f"start ({names[0]})", "new_start": f"start ({names[1]})"}
    )
    return Comparison(names, moved, _weekly(first, second, names), _goals(first, second, names))


def _weekly(first: Plan, second: Plan, names: tuple[str, str]) -> pd.DataFrame:
    weeks = [plan.weekly.set_index("week")[list(MEASURES)] for plan in (first, second)]
    frame = pd.concat(weeks, axis=1, keys=names).swaplevel(axis=1)
    frame = frame.reindex(
        columns=pd.MultiIndex.from_product([MEASURES, names]), fill_value=0.0
    ).fillna(0.0)
    frame[("hours", "change")] = frame[("hours", names[1])] - frame[("hours", names[0])]
    ordered = [("hours", names[0]), ("hours", names[1]), ("hours", "change")]
    ordered += [(m, n) for m in MEASURES[1:] for n in names]
    result: pd.DataFrame = frame[ordered]
    result.index.name = "week"
    return result


def _goals(first: Plan, second: Plan, names: tuple[str, str]) -> pd.DataFrame:
    values = [score(p.sessions, p.weekly, p.program) for p in (first, second)]
    weights = [weights_of(p.program) for p in (first, second)]
    rows = [
        {
            "goal": goal.value,
            "label": goal.label,
            names[0]: values[0][goal],
            names[1]: values[1][goal],
        }
        for goal in Goal
    ]
    totals = [sum(w[g] * v[g] for g in Goal) for v, w in zip(values, weights)]
    rows.append(
        {"goal": "total", "label": "Σ weight × value", names[0]: totals[0], names[1]: totals[1]}
    )
    frame: pd.DataFrame = pd.DataFrame(rows).set_index("goal")
    frame["change"] = frame[names[1]] - frame[names[0]]
    return frame
