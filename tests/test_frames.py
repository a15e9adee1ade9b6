"""A plan's frames (frames.py): sessions laid out back to back in their meetings, in local
wall-clock time, with the catalog's extra columns; weekly totals next to the caps; what
changed between two plans.

The hand-made plans below are tiny programmes from Mon 2027-01-11 in UTC (see
tests/builders.py) with Tue and Thu meetings at 18:00, indexed 0 Tue w1, 1 Thu w1, 2 Tue w2,
3 Thu w2, 4 Tue w3, 5 Thu w3.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import pandas as pd

from curriculum import Catalog, Meeting, Plan, Ramp, frames
from curriculum.frames import (
    CANCELLED_COLUMNS,
    diff_frame,
    empty_cancelled,
    in_meeting_order,
)
from tests.builders import (
    THU,
    TUE,
    make_catalog,
    make_program,
    module,
    solve_checked,
    solve_optimal,
    two_versions,
)

SESSION_COLUMNS = ("week", "start", "end", "module", "title", "kind", "tags", "hours", "density")
WEEKLY_COLUMNS = ("week", "hours", "content_hours", "skill_hours", "intensity")
THREE_WEEKS = make_program(
    3,
    (TUE, THU),
    ramp=Ramp(weeks=1, max_hours_per_week=3, max_intensity_per_week=7, max_density=3),
)


def stamp(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


# ------------------------------------------------------------------ sessions


def test_modules_sharing_a_meeting_run_back_to_back_content_first_then_catalog_order() -> None:
    # One 2 h meeting (Tue 2027-01-12 18:00-20:00) must hold all three blocks (2 h in all).
    # Content comes first, in catalog order (theory, recap), then the skill:
    #   theory 18:00-19:00, recap 19:00-19:30, practice 19:30-20:00 (ends exactly at the end).
    # 1.5 h content of 2 h: off the 1 h target by 0.5, inside the band; a skill; load = room:
    # objective 0.
    catalog = make_catalog(
        module("practice", "skill", 0.5),
        module("theory", "content", 1.0),
        module("recap", "content", 0.5),
    )
    result, plan = solve_optimal(catalog, make_program(1))
    assert result.objective == 0
    day = "2027-01-12"
    expected = {
        "theory": ("18:00", "19:00"),
        "recap": ("19:00", "19:30"),
        "practice": ("19:30", "20:00"),
    }
    rows = plan.sessions.set_index("module")
    for module_id, (start, end) in expected.items():
        assert rows.loc[module_id, "start"] == pd.Timestamp(f"{day} {start}", tz="UTC")
        assert rows.loc[module_id, "end"] == pd.Timestamp(f"{day} {end}", tz="UTC")
    ordered = in_meeting_order(list(catalog.modules), catalog)
    assert [m.id for m in ordered] == ["theory", "recap", "practice"]
    assert list(plan.sessions.sort_values("start")["module"]) == ["theory", "recap", "practice"]


def test_sessions_and_weekly_columns(default_plan: Plan) -> None:
    sessions = default_plan.sessions
    assert set(SESSION_COLUMNS) <= set(sessions.columns)
    assert "facilitator" in sessions.columns
    assert sessions["week"].dtype.kind == "i"
    assert sessions["hours"].dtype.kind == "f"
    assert sessions["density"].dtype.kind == "i"
    for column in ("start", "end"):
        assert isinstance(sessions[column].dtype, pd.DatetimeTZDtype)
        assert str(sessions[column].dt.tz) == "America/Toronto"
    assert ((sessions["end"] - sessions["start"]) == pd.to_timedelta(sessions["hours"], "h")).all()
    assert set(sessions["kind"]) == {"content", "skill"}
    assert sessions["tags"].map(type).eq(str).all()
    weekly = default_plan.weekly
    assert set(WEEKLY_COLUMNS) <= set(weekly.columns)
    assert list(weekly["week"]) == list(range(1, 13))
    assert (weekly["hours"] == weekly["content_hours"] + weekly["skill_hours"]).all()
    by_week = sessions.groupby("week")["hours"].sum()
    assert by_week.to_dict() == weekly.set_index("week")["hours"][by_week.index].to_dict()


def test_times_are_local_wall_clock_across_daylight_saving(default_plan: Plan) -> None:
    # Toronto moves to daylight time on 2027-03-14: meetings stay at 18:00 local, the
    # UTC offset goes from -5 to -4 hours.
    sessions = default_plan.sessions
    starts = sessions.groupby(sessions["start"].dt.date)["start"].min()
    assert (starts.dt.strftime("%H:%M") == "18:00").all()
    offsets = {s.utcoffset().total_seconds() / 3600 for s in sessions["start"]}
    assert offsets == {-5.0, -4.0}
    assert set(sessions["start"].dt.strftime("%a")) <= {"Tue", "Thu"}


def test_extra_catalog_columns_and_facilitator_pass_through() -> None:
    rows = [
        module("a", facilitator="Nurse", room="Lab 1", cost=120),
        module("b", "skill", facilitator="", room="Hall", cost=80),
    ]
    catalog = make_catalog(*rows)
    result = solve_checked(catalog, make_program(1, (TUE, THU)))
    sessions = result.plan.sessions.set_index("module")
    assert sessions.loc["a", "room"] == "Lab 1" and sessions.loc["b", "room"] == "Hall"
    assert str(sessions.loc["a", "cost"]) == "120"
    assert sessions.loc["a", "facilitator"] == "Nurse"
    assert sessions.loc["b", "facilitator"] == ""
    assert sessions.loc["a", "title"] == "A"


# ------------------------------------------------------------------ weeks


def test_weekly_totals_stand_next_to_the_caps_and_what_the_week_can_hold() -> None:
    # 'a' (content, 1 h, density 2) on Tue w1, 'b' (skill, 1.5 h, density 3) on Thu w2, week 3
    # empty. Week 1 is a ramp week: caps 3 h / 7; weeks 2-3: 4 h / 10. Each week has 4 h of
    # meetings, so it can hold its cap where lower: 3, 4, 4. Intensity = hours x density.
    catalog = make_catalog(module("a", hours=1.0), module("b", "skill", hours=1.5, density=3))
    plan = Plan.from_assignment(catalog, THREE_WEEKS, {"a": 0, "b": 3})
    assert plan.check() == []
    weekly = plan.weekly.set_index("week")
    assert list(weekly.index) == [1, 2, 3]
    assert weekly["hours"].tolist() == [1.0, 1.5, 0.0]
    assert weekly["content_hours"].tolist() == [1.0, 0.0, 0.0]
    assert weekly["skill_hours"].tolist() == [0.0, 1.5, 0.0]
    assert weekly["intensity"].tolist() == [2.0, 4.5, 0.0]
    assert weekly["modules"].tolist() == [1, 1, 0]
    assert weekly["max_hours"].tolist() == [3.0, 4.0, 4.0]
    assert weekly["max_intensity"].tolist() == [7.0, 10.0, 10.0]
    assert weekly["meeting_hours"].tolist() == [4.0, 4.0, 4.0]
    assert weekly["usable_hours"].tolist() == [3.0, 4.0, 4.0]
    assert weekly["ramp"].tolist() == [True, False, False]
    shares = weekly["content_share"].tolist()
    assert shares[:2] == [1.0, 0.0] and math.isnan(shares[2])  # no hours, no share
    assert list(plan.weekly.columns) == list(frames.WEEKLY_COLUMNS)  # each one documented


def test_the_content_share_is_rounded_to_two_decimals() -> None:
    # 'a' (content, 1 h), 'b' and 'c' (skills, 1 h) in week 1: 1/3 of the hours is content
    catalog = make_catalog(module("a"), module("b", "skill"), module("c", "skill"))
    plan = Plan.from_assignment(catalog, THREE_WEEKS, {"a": 0, "b": 0, "c": 1})
    assert plan.weekly["content_share"].tolist()[0] == 0.33


def test_a_holiday_leaves_a_week_less_to_hold() -> None:
    # Thu 2027-01-21 (week 2) is a holiday: week 2 has 2 h of meetings, below its 4 h cap
    program = make_program(2, (TUE, THU), holidays=(pd.Timestamp("2027-01-21").date(),))
    plan = Plan.from_assignment(make_catalog(module("a")), program, {"a": 0})
    assert plan.weekly["meeting_hours"].tolist() == [4.0, 2.0]
    assert plan.weekly["usable_hours"].tolist() == [4.0, 2.0]


# ------------------------------------------------------------------ changes


def test_diff_names_what_moved_appeared_and_disappeared() -> None:
    before, after = two_versions()
    diff = after.diff(before)
    # the new plan's modules in time order (a unchanged, so left out: c Tue w2, b Thu w2),
    # then those that disappeared
    assert diff["module"].tolist() == ["c", "b", "d"]
    assert diff["change"].tolist() == ["added", "moved", "removed"]
    rows = diff.set_index("module")
    assert rows.loc["b", "old_start"] == stamp("2027-01-14 18:00")
    assert rows.loc["b", "new_start"] == stamp("2027-01-21 18:00")
    assert rows.loc["b", "week_change"] == 1
    assert pd.isna(rows.loc["c", "old_start"]) and pd.isna(rows.loc["c", "week_change"])
    assert pd.isna(rows.loc["d", "new_start"]) and rows.loc["d", "title"] == "D"
    assert diff_frame(before.sessions, before.sessions).empty


def test_diff_reads_both_ends_of_a_move_in_the_new_plan_s_zone() -> None:
    # Before: re-planned from Toronto to Vancouver, 'b' read "Thu 14 Jan 18:00 -> Thu 14 Jan
    # 18:00" (the old time in Toronto's clock, the new in Vancouver's), though it moved 3 h.
    before, _ = two_versions()
    old = before.sessions.assign(start=before.sessions["start"].dt.tz_convert("America/Toronto"))
    new = before.sessions.assign(start=before.sessions["start"].dt.tz_convert("America/Vancouver"))
    moved = new["module"] == "b"
    new.loc[moved, "start"] = new.loc[moved, "start"] + pd.Timedelta(hours=3)
    diff = diff_frame(old, new).set_index("module")
    assert list(diff.index) == ["b"]
    assert f"{diff.loc['b', 'old_start']:%H:%M} -> {diff.loc['b', 'new_start']:%H:%M}" == (
        "10:00 -> 13:00"
    )


def test_a_plan_has_no_cancelled_modules_until_a_re_plan() -> None:
    catalog: Catalog = make_catalog(module("a"))
    plan = Plan.from_assignment(catalog, make_program(1), {"a": 0})
    assert plan.cancelled.empty and list(plan.cancelled.columns) == list(CANCELLED_COLUMNS)
    assert list(empty_cancelled().columns) == list(CANCELLED_COLUMNS)


def _laid(catalog: Catalog, kept: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Every module in the Tuesday meeting of week 1 (18:00-20:00 UTC), some `kept` at
    their times: each module's start and end as 'HH:MM-HH:MM'."""
    program = make_program(1, (TUE,))
    day = "2027-01-12 "
    times = {
        m: (pd.Timestamp(day + a, tz="UTC"), pd.Timestamp(day + b, tz="UTC"))
        for m, (a, b) in kept.items()
    }
    plan = Plan.from_assignment(
        catalog, program, {m.id: 0 for m in catalog.modules}, kept_times=times
    )
    assert plan.check() == []
    rows = plan.sessions.itertuples()
    return {r.module: f"{r.start:%H:%M}-{r.end:%H:%M}" for r in rows}


def test_a_module_kept_at_its_time_stays_there_and_the_others_fill_in_before_it() -> None:
    catalog = make_catalog(module("a", hours=0.5), module("b"))
    assert _laid(catalog, {}) == {"a": "18:00-18:30", "b": "18:30-19:30"}
    assert _laid(catalog, {"b": ("19:00", "20:00")}) == {"a": "18:00-18:30", "b": "19:00-20:00"}
    alone = make_catalog(module("b"))
    assert _laid(alone, {"b": ("19:00", "20:00")}) == {"b": "19:00-20:00"}


def test_a_kept_time_the_meeting_s_order_cannot_keep_is_laid_out_back_to_back() -> None:
    # 'a' (1 h) before 'b' would overlap 'b' kept at 18:30; a skill kept before a content
    # module would break the order (learn, then practise); a length that changed no longer
    # matches the time.
    both = make_catalog(module("a"), module("b"))
    assert _laid(both, {"b": ("18:30", "19:30")}) == {"a": "18:00-19:00", "b": "19:00-20:00"}
    practice = make_catalog(module("a"), module("s", "skill"))
    assert _laid(practice, {"s": ("18:00", "19:00")}) == {"a": "18:00-19:00", "s": "19:00-20:00"}
    assert _laid(make_catalog(module("b")), {"b": ("19:00", "19:30")}) == {"b": "18:00-19:00"}


def test_a_kept_time_that_no_longer_fits_moves_only_its_own_module() -> None:
    # 'a' is now half an hour (it ran 18:00-19:00): it runs from 18:00 again, and 'b' keeps
    # its 19:00.
    catalog = make_catalog(module("a", hours=0.5), module("b"))
    kept = {"a": ("18:00", "19:00"), "b": ("19:00", "20:00")}
    assert _laid(catalog, kept) == {"a": "18:00-18:30", "b": "19:00-20:00"}


def test_a_kept_time_across_a_clock_change_is_judged_in_real_time() -> None:
    # Sunday 2027-03-14 in Toronto, a meeting from 01:00 (3 real hours, to 05:00 daylight
    # time). 'q' ran 03:00-05:00 (2 h); now 1 h, it no longer matches and runs from 01:00.
    program = dataclasses.replace(
        make_program(1, (Meeting("sun", "01:00", 3),)),
        start=date(2027, 3, 8),
        timezone="America/Toronto",
    )
    zone = "America/Toronto"
    was = (pd.Timestamp("2027-03-14 03:00", tz=zone), pd.Timestamp("2027-03-14 05:00", tz=zone))
    plan = Plan.from_assignment(make_catalog(module("q")), program, {"q": 0}, kept_times={"q": was})
    assert plan.check() == []
    (row,) = plan.sessions.itertuples()
    assert f"{row.start:%H:%M %Z}-{row.end:%H:%M %Z}" == "01:00 EST-03:00 EDT"
