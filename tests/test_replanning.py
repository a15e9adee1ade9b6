"""Re-planning after a change: the past stays, little moves, calendars update in place."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import vobject

import curriculum as cur
from curriculum.export.ics.write import event_uid

START = date(2027, 1, 11)
FREEZE = date(2027, 2, 8)  # Monday of week 5
HOLIDAY = date(2027, 2, 16)  # Tuesday of week 6
AWAY = (date(2027, 2, 23), date(2027, 2, 25))  # week 7
TRAINER = "Peer trainer"


@pytest.fixture(scope="module")
def catalog() -> cur.Catalog:
    return cur.read_catalog()


@pytest.fixture(scope="module")
def program() -> cur.Program:
    return cur.Program(start=START, timezone="America/Toronto", location="Room 2")


@pytest.fixture(scope="module")
def published(catalog: cur.Catalog, program: cur.Program) -> cur.Plan:
    plan = cur.solve(catalog, program).plan
    assert plan.check() == []
    return plan


@pytest.fixture(scope="module")
def changed(program: cur.Program) -> cur.Program:
    return dataclasses.replace(program, holidays=(HOLIDAY,), facilitators={TRAINER: AWAY})


@pytest.fixture(scope="module")
def replanned(catalog: cur.Catalog, changed: cur.Program, published: cur.Plan) -> cur.Result:
    result = cur.solve(catalog, changed, previous=published, freeze_before=FREEZE)
    assert result.plan.check() == []
    return result


def _frozen(plan: cur.Plan) -> pd.DataFrame:
    sessions = plan.sessions
    cutoff = pd.Timestamp(FREEZE).tz_localize(plan.program.timezone)
    return sessions[sessions["start"] < cutoff].set_index("module")[["start", "end"]]


def test_the_change_really_hits_the_published_plan(published: cur.Plan) -> None:
    sessions = published.sessions
    on_holiday = sessions["start"].dt.date == HOLIDAY
    trainer_away = sessions["start"].dt.date.isin(AWAY) & (sessions["facilitator"] == TRAINER)
    assert on_holiday.any() or trainer_away.any()


def test_frozen_blocks_stay_exactly_where_they_were(
    published: cur.Plan, replanned: cur.Result
) -> None:
    before, after = _frozen(published), _frozen(replanned.plan)
    assert len(before) > 0
    pd.testing.assert_frame_equal(before.sort_index(), after.sort_index())


def test_the_new_plan_respects_the_change(replanned: cur.Result) -> None:
    sessions = replanned.plan.sessions
    assert not (sessions["start"].dt.date == HOLIDAY).any()
    away = sessions["start"].dt.date.isin(AWAY) & (sessions["facilitator"] == TRAINER)
    assert not away.any()


def test_fewer_modules_move_than_in_a_fresh_solve(
    catalog: cur.Catalog, changed: cur.Program, published: cur.Plan, replanned: cur.Result
) -> None:
    fresh = cur.solve(catalog, changed).plan
    assert fresh.check() == []
    moved = replanned.plan.diff(published)
    assert set(moved["change"]) <= {"moved"}
    assert 0 < len(moved) < len(fresh.diff(published))


def test_sequence_rises_exactly_on_the_moved_events_and_uids_stay(
    published: cur.Plan, replanned: cur.Result, tmp_path: Path
) -> None:
    plan = replanned.plan
    moved = set(plan.diff(published)["module"])
    raised = set(plan.sessions.loc[plan.sessions["sequence"] > 0, "module"])
    assert raised == moved
    old = _events(published.to_ics(tmp_path / "old.ics"))
    new = _events(plan.to_ics(tmp_path / "new.ics"))
    assert set(old) == set(new)  # the same UIDs: the calendar updates in place
    starts = plan.sessions.set_index("module")["start"]
    for module in published.sessions["module"]:
        uid = event_uid(plan.program.name, module)
        sequence, start = new[uid]
        assert pd.Timestamp(start) == starts[module]  # an independent parser (vobject)
        assert sequence == old[uid][0] + (1 if module in moved else 0)


def test_removed_modules_are_cancelled_and_new_ones_placed(
    catalog: cur.Catalog, changed: cur.Program, published: cur.Plan, tmp_path: Path
) -> None:
    later = published.sessions[published.sessions["start"].dt.date >= FREEZE]
    removed = str(later["module"].iloc[-1])
    frame = catalog.frame[catalog.frame["id"] != removed]
    extra = {
        "id": "peer-network",
        "title": "Peer networks and community groups",
        "kind": "content",
        "hours": 0.75,
        "density": 2,
        "evidence": "[11]",
    }
    edited = cur.Catalog.from_frame(pd.concat([frame, pd.DataFrame([extra])], ignore_index=True))
    plan = cur.solve(edited, changed, previous=published, freeze_before=FREEZE).plan
    assert plan.check() == []
    diff = plan.diff(published).set_index("module")
    assert diff.loc[removed, "change"] == "removed"
    assert diff.loc["peer-network", "change"] == "added"
    calendar = vobject.readOne(plan.to_ics(tmp_path / "edited.ics").decode())
    status = {str(e.uid.value): str(e.status.value) for e in calendar.vevent_list}
    assert status[event_uid(plan.program.name, removed)] == "CANCELLED"
    assert status[event_uid(plan.program.name, "peer-network")] == "CONFIRMED"


@pytest.mark.parametrize("suffix", [".csv", ".ics"])
def test_replanning_from_a_file_equals_replanning_from_memory(
    catalog: cur.Catalog,
    program: cur.Program,
    changed: cur.Program,
    published: cur.Plan,
    replanned: cur.Result,
    tmp_path: Path,
    suffix: str,
) -> None:
    path = tmp_path / f"published{suffix}"
    if suffix == ".csv":
        published.to_csv(path)
    else:
        published.to_ics(path)
    previous = cur.read_plan(path)
    from_file = cur.solve(catalog, changed, previous=previous, freeze_before=FREEZE).plan
    assert from_file.check() == []
    columns = ["week", "start", "end", "module", "title", "sequence"]
    pd.testing.assert_frame_equal(from_file.sessions[columns], replanned.plan.sessions[columns])
    assert from_file.to_ics() == replanned.plan.to_ics()


def test_when_the_past_leaves_too_little_room_the_conflict_says_so(
    catalog: cur.Catalog, program: cur.Program, published: cur.Plan
) -> None:
    # Cut the programme to 10 weeks after week 8 has been taught: only weeks 9-10 are left
    # (8 h at most) for what the published plan taught in weeks 9-12 (more than 8 h).
    freeze = date(2027, 3, 8)  # Monday of week 9
    left = published.sessions[published.sessions["start"].dt.date >= freeze]["hours"].sum()
    assert left > 8
    shorter = dataclasses.replace(program, weeks=10)
    result = cur.solve(catalog, shorter, previous=published, freeze_before=freeze)
    assert result.status is cur.Status.INFEASIBLE
    for conflict in result.conflicts:
        assert conflict.summary.startswith("After the freeze on 2027-03-08")
        assert "weeks 9-10 remain open" in conflict.rules[-1]
        assert conflict.suggestion
    assert any("weeks 9-10 allow" in c.summary for c in result.conflicts)
    longer = dataclasses.replace(shorter, weeks=12)
    fixed = cur.solve(catalog, longer, previous=published, freeze_before=freeze).plan
    assert fixed.check() == []


def _events(data: bytes) -> dict[str, tuple[int, object]]:
    """UID -> (SEQUENCE, DTSTART) of each non-recurring event, read with vobject."""
    calendar = vobject.readOne(data.decode())
    return {
        str(event.uid.value): (int(event.sequence.value), event.dtstart.value)
        for event in calendar.vevent_list
        if not hasattr(event, "rrule")
    }
