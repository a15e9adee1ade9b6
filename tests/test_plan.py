"""A plan (plan.py): laid out from an assignment, checked (with its frozen past), compared
with an earlier one, and exported to files it writes atomically."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from curriculum import Plan
from tests.builders import make_catalog, make_program, module, two_versions


def test_modules_sharing_a_meeting_follow_each_other_content_first() -> None:
    # Tue 2027-01-12's 2 h meeting holds the 1 h skill and the 1 h content: content first
    catalog = make_catalog(module("drill", "skill"), module("talk"))
    plan = Plan.from_assignment(catalog, make_program(2), {"drill": 0, "talk": 0})
    rows = plan.sessions.set_index("module")
    assert rows.loc["talk", "start"] == pd.Timestamp("2027-01-12 18:00", tz="UTC")
    assert rows.loc["drill", "start"] == rows.loc["talk", "end"]
    assert plan.check() == []
    assert repr(plan) == "Plan('Peer support worker training': 2 sessions over 2 weeks, 2 h)"


def test_diff_goes_from_the_other_plan_to_this_one() -> None:
    before, after = two_versions()
    forward = after.diff(before).set_index("module")
    backward = before.diff(after).set_index("module")
    assert forward.loc["b", "week_change"] == 1 and backward.loc["b", "week_change"] == -1
    assert (forward.loc["c", "change"], backward.loc["c", "change"]) == ("added", "removed")


def test_check_holds_a_re_plan_to_its_frozen_past() -> None:
    # the same sessions are a valid plan, but not as a re-plan of a past where 'b' was
    # already taught on Thu 2027-01-14
    before, after = two_versions()
    past = before.sessions[before.sessions["module"].isin(["a", "b"])]
    assert after.check() == []
    replan = dataclasses.replace(after, frozen=past)
    assert replan.check() == [
        "module 'b' took place on Thu 2027-01-14 18:00-19:00 but the plan has it on "
        "Thu 2027-01-21 18:00-19:00"
    ]


def test_exports_write_the_text_they_return(tmp_path: Path) -> None:
    _, plan = two_versions()
    text = plan.to_csv(tmp_path / "plan.csv")
    data = plan.to_ics(tmp_path / "plan.ics")
    assert (tmp_path / "plan.csv").read_text(encoding="utf-8") == text == plan.to_csv()
    assert (tmp_path / "plan.ics").read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv", "plan.ics"]


def test_editing_the_sessions_frame_leaves_the_plan_as_it_is(
    default_plan: Plan, tmp_path: Path
) -> None:
    # A notebook's everyday steps on `plan.sessions`: they used to edit the plan itself, so
    # its weekly hours and check changed, and `to_csv` failed ("cannot insert date, already
    # exists"); a time zone converted changed the instants the CSV wrote.
    before = default_plan.sessions
    sessions = default_plan.sessions
    sessions["date"] = sessions["start"].dt.date
    sessions["hours"] = sessions["hours"] * 60
    sessions["start"] = sessions["start"].dt.tz_convert("Europe/London")
    pd.testing.assert_frame_equal(default_plan.sessions, before)
    assert default_plan.check() == []
    assert default_plan.weekly["hours"].max() <= 4
    default_plan.to_csv(tmp_path / "plan.csv")
    assert "-05:00" in (tmp_path / "plan.csv").read_text(encoding="utf-8")  # Toronto's
