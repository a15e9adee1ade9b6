"""Calendar sequence numbers (export/ics/ledger.py): SEQUENCE rises exactly where what an
event shows changed, never falls for a UID, and removed modules become cancellations.

The hand-made plans are tiny programmes from Mon 2027-01-11 in UTC (tests/builders.py) with
Tue and Thu meetings at 18:00, indexed 0 Tue w1, 1 Thu w1, 2 Tue w2, 3 Thu w2.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
import vobject

from curriculum import Ongoing, Plan, Result, read_catalog, read_plan
from curriculum.export.ics.events import NOT_CONTENT, event_uid, ongoing_uid
from curriculum.export.ics.ledger import ledger, renumbered
from curriculum.frames import CANCELLED_COLUMNS
from tests.builders import (
    DEFAULT_PROGRAM,
    THU,
    TUE,
    make_catalog,
    make_program,
    module,
    solve_checked,
    two_versions,
)


def stamp(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def sequences(plan: Plan) -> dict[str, int]:
    """Module ('' for the series) -> SEQUENCE in the plan's ledger."""
    events = ledger(plan)
    return dict(zip(events["module"], events["sequence"].astype(int)))


def test_a_fresh_plan_numbers_every_event_zero() -> None:
    before, _ = two_versions()
    events = ledger(before)
    assert sorted(events["module"]) == ["a", "b", "d"]
    assert set(events["sequence"]) == {0}
    assert set(events["status"]) == {"confirmed"}
    assert events["fingerprint"].str.fullmatch("[0-9a-f]{16}").all()


def test_sequence_rises_where_an_event_changed_and_removed_modules_are_cancelled() -> None:
    before, after = two_versions()
    published = renumbered(before, before)  # every event as published: SEQUENCE 0
    after = renumbered(after, published)
    # a is unchanged (stays 0), b moved (0 -> 1), c was never published (0)
    assert dict(zip(after.sessions["module"], after.sessions["sequence"])) == {
        "a": 0,
        "c": 0,
        "b": 1,
    }
    # d disappeared: cancelled, one version on (0 -> 1)
    assert list(after.cancelled.columns) == list(CANCELLED_COLUMNS)
    assert dict(zip(after.cancelled["module"], after.cancelled["sequence"])) == {"d": 1}
    assert sequences(after) == {"a": 0, "b": 1, "c": 0, "d": 1}


def test_a_module_scheduled_again_outranks_its_cancellation() -> None:
    before, after = two_versions()
    without_a = dataclasses.replace(after, sessions=after.sessions[after.sessions["module"] != "a"])
    first = renumbered(without_a, before)  # a cancelled: SEQUENCE 0 -> 1
    assert sequences(first)["a"] == 1
    again = renumbered(after, first)  # a back, unchanged: confirmed outranks the cancellation
    assert sequences(again)["a"] == 2
    assert again.cancelled.empty or "a" not in set(again.cancelled["module"])


def test_an_unchanged_re_plan_changes_no_sequence() -> None:
    before, _ = two_versions()
    once = renumbered(before, before)
    twice = renumbered(once, once)
    assert sequences(twice) == sequences(once) == {"a": 0, "b": 0, "d": 0}


def test_sequence_never_falls_over_three_re_plans(tmp_path: Path) -> None:
    # The bundled catalog in Toronto, supervision on Fridays at 12:00 until 2027-06-30:
    # 1. a holiday in the supervision's range (Fri 2027-05-07): the series changes (EXDATE)
    # 2. supervision moves from 12:00 to 13:00: the series changes again
    # 3. a module is removed (cancelled), 4. then restored (confirmed, above its cancellation)
    catalog = read_catalog()
    base = dataclasses.replace(DEFAULT_PROGRAM, ongoing=Ongoing(until=date(2027, 6, 30)))
    first = solve_checked(catalog, base).plan
    first.to_csv(tmp_path / "v1.csv")
    seen = [sequences(read_plan(tmp_path / "v1.csv"))]

    holiday = dataclasses.replace(base, holidays=(date(2027, 5, 7),))
    later = dataclasses.replace(holiday, ongoing=Ongoing(start="13:00", until=date(2027, 6, 30)))
    fewer = catalog.frame[catalog.frame["id"] != "advocacy-resources"]
    smaller = type(catalog).from_frame(fewer)
    steps = [(catalog, holiday), (catalog, later), (smaller, later), (catalog, later)]
    freeze = date(2027, 2, 1)
    for number, (step_catalog, program) in enumerate(steps, start=2):
        previous = read_plan(tmp_path / f"v{number - 1}.csv")
        result = solve_checked(step_catalog, program, previous=previous, freeze_before=freeze)
        result.plan.to_csv(tmp_path / f"v{number}.csv")
        seen.append(sequences(read_plan(tmp_path / f"v{number}.csv")))
    for earlier, now in itertools.pairwise(seen):
        assert all(now.get(key, value) >= value for key, value in earlier.items())
    series = [version[""] for version in seen]
    assert series == [0, 1, 2, 2, 2]  # the holiday, then the new time
    care = [version["advocacy-resources"] for version in seen]
    assert care[:3] == care[:1] * 3  # untouched by changes to the series
    assert care[3] == care[2] + 1  # cancelled
    assert care[4] == care[3] + 1  # restored: above its cancellation


def test_sequence_rises_exactly_on_the_moved_events_and_uids_stay(
    published_plan: Plan, replanned_result: Result, tmp_path: Path
) -> None:
    plan = replanned_result.plan
    moved = set(plan.diff(published_plan)["module"])
    raised = set(plan.sessions.loc[plan.sessions["sequence"] > 0, "module"])
    assert raised == moved
    old = _events(published_plan.to_ics(tmp_path / "old.ics"))
    new = _events(plan.to_ics(tmp_path / "new.ics"))
    assert set(old) == set(new)  # the same UIDs: the calendar updates in place
    assert ongoing_uid(plan.program) in new
    starts = plan.sessions.set_index("module")["start"]
    for module_id in published_plan.sessions["module"]:
        uid = event_uid(plan.program, module_id)
        sequence, start = new[uid]
        assert pd.Timestamp(start) == starts[module_id]  # an independent parser (vobject)
        assert sequence == old[uid][0] + (1 if module_id in moved else 0)


@pytest.mark.parametrize("change", [{"name": "Renamed training"}, {"start": date(2027, 1, 12)}])
@pytest.mark.parametrize("source", ["csv", "in memory"])
def test_a_re_plan_keeps_the_uids_of_the_plan_before_it(
    change: dict[str, object], source: str, tmp_path: Path
) -> None:
    # Before: after the programme was renamed, or its start written as the Tuesday of week 1,
    # a re-plan gave every event a new UID at SEQUENCE 0 and cancelled none of the old ones:
    # a calendar updated from it held every session twice.
    # Re-planned from Wed of week 1 with Thu of week 1 a holiday: 'a' (Tue w1) stays, 'b'
    # (Thu w1) moves, 'd' left the catalog (cancelled), 'c' is new.
    before, after = two_versions()
    before.to_csv(tmp_path / "before.csv")
    previous = read_plan(tmp_path / "before.csv") if source == "csv" else before
    program = dataclasses.replace(after.program, holidays=(date(2027, 1, 14),), **change)
    result = solve_checked(
        after.catalog, program, previous=previous, freeze_before=date(2027, 1, 13)
    )
    new = _events(result.plan.to_ics())
    assert set(_events(previous.to_ics())) < set(new)
    assert {uid: sequence for uid, (sequence, _) in new.items()} == {
        event_uid(before.program, "a"): 0,
        event_uid(before.program, "b"): 1,
        event_uid(before.program, "c"): 0,
        event_uid(before.program, "d"): 1,
    }


@pytest.mark.parametrize("source", ["csv", "ics", "in memory"])
def test_a_re_plan_keeps_the_uids_though_the_organizer_changed(source: str, tmp_path: Path) -> None:
    # Before: UIDs end in the organizer's e-mail domain, so adding an organizer (or moving
    # it to another domain) gave every event a new UID at SEQUENCE 0 and cancelled none of
    # the old ones: a calendar updated from it held every session twice.
    before, after = two_versions()
    assert before.program.organizer == ""
    path = tmp_path / f"before.{source}"
    if source == "csv":
        before.to_csv(path)
    elif source == "ics":
        path.write_bytes(before.to_ics())
    previous = before if source == "in memory" else read_plan(path)
    program = dataclasses.replace(
        after.program,
        holidays=(date(2027, 1, 14),),
        organizer="Training team <training@example.org>",
    )
    freeze = date(2027, 1, 13)
    result = solve_checked(after.catalog, program, previous=previous, freeze_before=freeze)
    old, new = _events(previous.to_ics()), _events(result.plan.to_ics())
    assert set(old) < set(new)
    assert {uid.rpartition("@")[2] for uid in new} == {"curriculum.invalid"}
    # each event now names its organizer: every one the calendar had is an update
    assert all(new[uid][0] == old[uid][0] + 1 for uid in old)
    # and so on from the re-plan's own file, with the organizer moved again; that file
    # knows its held sessions as such (their events rebuilt under the UIDs kept)
    result.plan.to_csv(tmp_path / "after.csv")
    written = read_plan(tmp_path / "after.csv")
    assert result.plan.frozen is not None and written.frozen is not None
    assert list(written.frozen["module"]) == list(result.plan.frozen["module"]) == ["a"]
    moved = dataclasses.replace(program, organizer="Training team <training@example.com>")
    again = solve_checked(
        after.catalog, moved, previous=read_plan(tmp_path / "after.csv"), freeze_before=freeze
    )
    assert set(_events(again.plan.to_ics())) == set(new)


def _events(data: bytes) -> dict[str, tuple[int, object]]:
    """UID -> (SEQUENCE, DTSTART) of each event, read with vobject."""
    calendar = vobject.readOne(data.decode())
    return {
        str(event.uid.value): (int(event.sequence.value), event.dtstart.value)
        for event in calendar.vevent_list
    }


def test_a_fingerprint_hashes_the_event_as_the_file_writes_it() -> None:
    # Text long enough to be folded, with characters of two to four octets at the folds:
    # the fingerprint is of the written event, unfolded, without its reminder, DTSTAMP,
    # SEQUENCE and itself (what a re-plan compares, so it must not change between versions).
    text = "Écoute active — « reformuler » 🙂 et résumer; " * 6
    catalog = make_catalog(module("a", description=text, title=text[:60]), module("b", "skill"))
    plan = Plan.from_assignment(catalog, make_program(1, (TUE, THU)), {"a": 0, "b": 1})
    assert plan.check() == []
    written = plan.to_ics(remind=timedelta(minutes=30)).decode("utf-8")
    assert "\r\n " in written  # folded
    given, computed = [], []
    for block in written.replace("\r\n ", "").split("BEGIN:VEVENT\r\n")[1:]:
        lines = [line for line in block.split("END:VEVENT")[0].split("\r\n") if line]
        assert "BEGIN:VALARM" in lines
        lines = lines[: lines.index("BEGIN:VALARM")]  # the reminder comes last
        names = [line.split(":", 1)[0].split(";", 1)[0] for line in lines]
        given.append(lines[names.index("X-CURRICULUM-FINGERPRINT")].split(":", 1)[1])
        shown = [line for line, name in zip(lines, names) if name not in NOT_CONTENT]
        text_hashed = "\n".join(["BEGIN:VEVENT", *shown, "END:VEVENT"])
        computed.append(hashlib.sha256(text_hashed.encode()).hexdigest()[:16])
    assert len(given) == 2 and given == computed
    assert set(given) == set(ledger(plan)["fingerprint"])


def test_a_domain_outside_ascii_is_kept_like_any_other() -> None:
    # Before: only ASCII domains were kept, so moving from t@exämple.org gave new UIDs
    before, _ = two_versions()
    old = dataclasses.replace(before.program, organizer="Office <t@exämple.org>")
    published = dataclasses.replace(before, program=old)
    moved = dataclasses.replace(old, organizer="Office <t@new.org>")
    again = renumbered(dataclasses.replace(before, program=moved), renumbered(published, published))
    assert set(_events(again.to_ics())) == set(_events(published.to_ics()))
    assert all(uid.endswith("@exämple.org") for uid in _events(again.to_ics()))
