"""Publishing to a real Radicale server (export/caldav/publish.py): a first publish, the
same plan again (no write), a re-plan (moved, cancelled, untouched counted exactly),
someone else's events left alone, an edit made meanwhile (a stale ETag) not overwritten,
an event the server refuses, the server stopped mid-publish, and per facilitator.

What the server holds is read back two ways, each against the plan instant by instant
(the weekly series included): with `caldav` (a REPORT, its occurrences expanded), and with
no CalDAV client at all (a plain HTTP GET of the collection, read by icalendar and
recurring-ical-events).

The plan is the bundled catalog over the default programme (tests/builders.py): 36
sessions, Tue/Thu 18:00 in Toronto from Mon 2027-01-11 (daylight time from Sun
2027-03-14), and the weekly supervision on Fridays at 12:00 from the week duties start
(week 10) to the programme's last day (Sun 2027-04-04): Fri 19 and 26 March and 2 April,
12:00 EDT = 16:00 UTC, one hour. That is 37 events.
"""

from __future__ import annotations

import dataclasses
from contextlib import closing
from datetime import datetime, timedelta, timezone
from pathlib import Path

import caldav
import icalendar
import pandas as pd
import pytest
import recurring_ical_events

from curriculum import Catalog, Meeting, Ongoing, Plan, Program, Ramp, read_catalog
from curriculum.errors import ConflictError, PublishError
from curriculum.export.caldav.credentials import credentials
from curriculum.export.caldav.publish import Publication, read_changes, write_changes
from curriculum.export.caldav.server import Server
from curriculum.export.ics.events import event_uid, ongoing_uid
from curriculum.export.ics.ledger import ledger, renumbered
from tests.builders import DEFAULT_PROGRAM, FREEZE, make_catalog, module, solve_checked
from tests.export.caldav.radicale import PASSWORD, USER, Radicale

UTC = timezone.utc
CALENDAR = "Training"
FOLDER = f"{USER}/training/"  # the id --create gives 'Training'
SPAN = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2029, 1, 1, tzinfo=UTC))
REMOVED = "advocacy-resources"  # week 11: after the re-plan's freeze
SERIES_UTC = [datetime(2027, 3, day, 16, tzinfo=UTC) for day in (19, 26)] + [
    datetime(2027, 4, 2, 16, tzinfo=UTC)
]  # Fridays 12:00 EDT, by hand (module docstring)

Instant = tuple[str, datetime, datetime]


def publish(plan: Plan, server: Radicale, **options: object) -> Publication:
    return plan.publish(CALENDAR, url=server.url, user=USER, **options)  # type: ignore[arg-type]


def connect(server: Radicale) -> closing[Server]:
    return closing(Server(server.url, credentials(server.url, USER), timeout=10))


def planned(plan: Plan) -> list[Instant]:
    """What the plan says: each session, and the series' occurrences (by hand above)."""
    sessions = [
        (event_uid(plan.program, row.module), _utc(row.start), _utc(row.end))
        for row in plan.sessions.itertuples()
    ]
    series = ongoing_uid(plan.program)
    return sorted([*sessions, *((series, t, t + timedelta(hours=1)) for t in SERIES_UTC)])


def by_plain_get(server: Radicale, folder: str = FOLDER) -> list[Instant]:
    """Confirmed occurrences from a plain GET of the collection (no CalDAV client)."""
    body, _ = server.get(USER, folder)
    calendar = icalendar.Calendar.from_ical(body)
    return _instants(recurring_ical_events.of(calendar).between(*SPAN))


def by_caldav(server: Radicale, folder: str = FOLDER) -> list[Instant]:
    """Confirmed occurrences as the caldav library reads and expands them."""
    with caldav.DAVClient(
        url=server.url, username=USER, password=PASSWORD, auth_type="basic"
    ) as client:
        found = client.calendar(url=server.url + folder).search(
            event=True, start=SPAN[0], end=SPAN[1], expand=True
        )
        return _instants(
            component for item in found for component in item.icalendar_instance.walk("VEVENT")
        )


def _instants(events: object) -> list[Instant]:
    return sorted(
        (str(e["UID"]), _utc(e.decoded("DTSTART")), _utc(_end(e)))
        for e in events  # type: ignore[attr-defined]
        if str(e.get("STATUS", "CONFIRMED")) != "CANCELLED"
    )


def _end(event: icalendar.Event) -> datetime:
    if "DTEND" in event:
        end: datetime = event.decoded("DTEND")
        return end
    start: datetime = event.decoded("DTSTART")
    return start + event.decoded("DURATION")


def _utc(moment: object) -> datetime:
    return pd.Timestamp(moment).to_pydatetime().astimezone(UTC)  # type: ignore[arg-type]


def server_events(server: Radicale, folder: str = FOLDER) -> dict[str, icalendar.Event]:
    """UID -> the event as the server stores it (read from its storage on disk)."""
    user, name = folder.strip("/").split("/")
    found = {}
    for data in server.stored(user, name).values():
        event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
        found[str(event["UID"])] = event
    return found


@pytest.fixture(scope="module")
def replanned(bundled_catalog: Catalog, published_plan: Plan, changed_program: Program) -> Plan:
    """The published plan re-planned from week 5 after a holiday, the peer trainer away
    in week 7 and one module (advocacy-resources, week 11) dropped from the catalog."""
    smaller = Catalog.from_frame(bundled_catalog.frame[bundled_catalog.frame["id"] != REMOVED])
    result = solve_checked(smaller, changed_program, previous=published_plan, freeze_before=FREEZE)
    return result.plan


# -- publishing, and publishing again -------------------------------------------------------


def test_a_first_publish_creates_every_event_and_both_readers_see_the_plan(
    default_plan: Plan, server: Radicale
) -> None:
    with pytest.raises(PublishError, match=r"no calendar 'Training'.*--create"):
        publish(default_plan, server)
    assert server.writes() == []  # a missing calendar: nothing was changed
    done = publish(default_plan, server, create=True)
    assert (done.count("create"), done.count("update"), done.count("cancel")) == (37, 0, 0)
    # the first session: Tue 2027-01-12 18:00 EST = 23:00 UTC
    assert min(start for _, start, _ in planned(default_plan)) == datetime(
        2027, 1, 12, 23, tzinfo=UTC
    )
    assert by_plain_get(server) == planned(default_plan)
    assert by_caldav(server) == planned(default_plan)
    stored = server_events(server)
    assert len(server.stored(USER, "training")) == 37  # one resource per UID
    numbers = dict(zip(ledger(default_plan)["uid"], ledger(default_plan)["sequence"]))
    assert {uid: int(e["SEQUENCE"]) for uid, e in stored.items()} == numbers  # all 0


def test_publishing_the_same_plan_again_sends_no_write(
    default_plan: Plan, server: Radicale
) -> None:
    publish(default_plan, server, create=True)
    before = server.stored(USER, "training")
    writes = len(server.writes())
    again = publish(default_plan, server)
    assert server.writes()[writes:] == []  # no PUT, no DELETE, no PROPPATCH...
    assert (again.count("create"), again.count("update"), again.count("cancel")) == (0, 0, 0)
    assert again.unchanged == 37
    assert server.stored(USER, "training") == before  # byte for byte


def test_a_calendar_the_caller_connected_is_published_to(
    default_plan: Plan, server: Radicale
) -> None:
    # DESIGN: `plan.publish(calendar)`. A caldav.Calendar the caller connected: its client
    # says where and as whom, and stays open for them.
    with caldav.DAVClient(
        url=server.url, username=USER, password=PASSWORD, auth_type="basic"
    ) as client:
        calendar = client.principal().make_calendar(name=CALENDAR, cal_id="training")
        writes = len(server.writes())
        assert default_plan.publish(calendar, dry_run=True).count("create") == 37
        assert server.writes()[writes:] == []
        done = default_plan.publish(calendar)
        assert (done.count("create"), done.count("update"), done.count("cancel")) == (37, 0, 0)
        assert by_plain_get(server) == planned(default_plan)
        writes = len(server.writes())
        again = default_plan.publish(calendar)
        assert again.unchanged == 37 and server.writes()[writes:] == []
        assert client.principal().calendars()  # the caller's client is still open
        with pytest.raises(PublishError, match="url cannot be used with a connected"):
            default_plan.publish(calendar, url=server.url)
    with pytest.raises(PublishError, match="url is needed to publish to the calendar named"):
        default_plan.publish(CALENDAR)
    with pytest.raises(PublishError, match=r"or a caldav\.Calendar with its client, not int"):
        default_plan.publish(3)


def test_a_dry_run_reports_and_changes_nothing(default_plan: Plan, server: Radicale) -> None:
    done = publish(default_plan, server, create=True, dry_run=True)
    assert done.count("create") == 37
    assert server.writes() == []
    assert "Dry run: nothing was changed" in done.lines()[-1]
    assert "(would be created)" in done.lines()[0]


def test_a_plan_with_a_week_that_daylight_saving_splits_from_the_series(
    server: Radicale,
) -> None:
    # A Sunday 04:00 meeting, and supervision at 02:30 in Toronto from Sun 2027-03-14
    # (02:30 does not exist that night: it is held from 03:00) for 4 weeks: the series plus
    # that week as an event of its own.
    program = Program(
        start=datetime(2027, 3, 8).date(),
        weeks=1,
        timezone="America/Toronto",
        meetings=(Meeting("sun", "04:00", 2),),
        ramp=Ramp(weeks=0),
        duties=None,
        ongoing=Ongoing(weekday="sun", start="02:30", hours=1, until=datetime(2027, 4, 4).date()),
    )
    plan = solve_checked(make_catalog(module("a"), module("b", "skill")), program).plan
    publish(plan, server, create=True)
    uids = set(server_events(server))
    assert ongoing_uid(program).replace("-ongoing@", "-ongoing-20270314@") in uids
    # the file export's instants (checked across DST in export/ics/test_daylight_saving.py)
    exported = _instants(
        recurring_ical_events.of(icalendar.Calendar.from_ical(plan.to_ics())).between(*SPAN)
    )
    assert len(exported) == 2 + 4  # two modules, four Sundays of supervision
    assert by_plain_get(server) == exported
    assert by_caldav(server) == exported


# -- re-planning ----------------------------------------------------------------------------


def test_a_re_plan_updates_moved_events_cancels_removed_ones_and_touches_nothing_else(
    published_plan: Plan, replanned: Plan, server: Radicale
) -> None:
    publish(published_plan, server, create=True)
    before = server_events(server)
    diff = replanned.diff(published_plan)
    moved = set(diff.loc[diff["change"] == "moved", "module"])
    assert set(diff["change"]) == {"moved", "removed"}
    assert set(diff.loc[diff["change"] == "removed", "module"]) == {REMOVED}
    assert moved  # the holiday and the trainer's absence move some sessions
    writes = len(server.writes())

    done = publish(replanned, server)
    # updated: exactly the moved sessions; cancelled: the removed module; the rest (the
    # sessions that stayed and the series) untouched, and only the changes were written
    assert done.count("update") == len(moved)
    assert done.count("cancel") == 1
    assert done.count("create") == 0
    assert done.unchanged == 36 - 1 - len(moved) + 1
    assert len(server.writes()) - writes == len(moved) + 1
    after = server_events(server)
    changed = {uid for uid in after if after[uid].to_ical() != before[uid].to_ical()}
    program = replanned.program
    assert changed == {event_uid(program, m) for m in {*moved, REMOVED}}
    gone = after[event_uid(program, REMOVED)]
    assert (str(gone["STATUS"]), int(gone["SEQUENCE"])) == ("CANCELLED", 1)
    numbers = dict(zip(ledger(replanned)["uid"], ledger(replanned)["sequence"]))
    assert {uid: int(e["SEQUENCE"]) for uid, e in after.items()} == numbers
    assert {int(after[event_uid(program, m)]["SEQUENCE"]) for m in moved} == {1}
    assert by_plain_get(server) == planned(replanned)
    assert by_caldav(server) == planned(replanned)
    again = publish(replanned, server)
    assert (again.count("update"), again.count("cancel"), again.unchanged) == (0, 0, 37)


def test_a_series_a_re_plan_dropped_before_it_began_is_cancelled_once(
    bundled_catalog: Catalog, published_plan: Plan, server: Radicale
) -> None:
    # `ongoing = false` before the first Friday of supervision: the re-plan cancels the
    # series, at SEQUENCE 1, on the server as in its own calendar file, and says so once
    publish(published_plan, server, create=True)
    unsupervised = dataclasses.replace(published_plan.program, ongoing=None)
    replanned = solve_checked(
        bundled_catalog, unsupervised, previous=published_plan, freeze_before=FREEZE
    ).plan
    done = publish(replanned, server)
    assert done.count("cancel") == 1 and done.count("create") == 0
    series = server_events(server)[ongoing_uid(replanned.program)]
    assert (str(series["STATUS"]), int(series["SEQUENCE"])) == ("CANCELLED", 1)
    numbers = dict(zip(ledger(replanned)["uid"], ledger(replanned)["sequence"]))
    assert numbers[ongoing_uid(replanned.program)] == 1
    assert [uid for uid, *_ in by_plain_get(server)] == sorted(
        event_uid(replanned.program, m) for m in replanned.sessions["module"]
    )
    again = publish(replanned, server)
    assert (again.count("update"), again.count("cancel"), again.count("create")) == (0, 0, 0)


def test_events_someone_else_made_are_left_alone(
    published_plan: Plan, replanned: Plan, server: Radicale
) -> None:
    publish(published_plan, server, create=True)
    dentist = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//Else//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:dentist-42@example.org\r\nDTSTAMP:20270101T000000Z\r\n"
        b"DTSTART:20270316T220000Z\r\nDTEND:20270316T230000Z\r\nSUMMARY:Dentist\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert server.put(USER, FOLDER + "dentist.ics", dentist) == 201
    # another cohort (another programme name) in the same calendar
    other_program = dataclasses.replace(published_plan.program, name="Autumn cohort")
    other = solve_checked(make_catalog(module("a"), module("b", "skill")), other_program).plan
    publish(other, server)
    others = {k: v for k, v in server.stored(USER, "training").items() if "autumn" in k}
    stored = server.stored(USER, "training")
    assert len(others) == 2 + 1  # two modules and the series

    done = publish(replanned, server)
    assert done.others == 1 + len(others)
    after = server.stored(USER, "training")
    assert after["dentist.ics"] == stored["dentist.ics"]
    assert {k: after[k] for k in others} == others


def test_an_event_edited_on_the_server_meanwhile_is_not_overwritten(
    published_plan: Plan, replanned: Plan, server: Radicale
) -> None:
    publish(published_plan, server, create=True)
    with connect(server) as session:
        pending = read_changes(replanned, session, CALENDAR)
        changes = pending.targets[0].changes.changes
        # the last moved event, so that some changes come before it
        edited_at = max(i for i, c in enumerate(changes) if c.action == "update")
        assert edited_at > 0
        target = changes[edited_at]
        # someone moves that event in their calendar app after publishing read it
        path = target.remote.url.split(str(server.port), 1)[1].lstrip("/")  # type: ignore[union-attr]
        body, etag = server.get(USER, path)
        edited = body.replace(b"SUMMARY:", b"SUMMARY:Moved by hand - ")
        assert server.put(USER, path, edited, etag) in (201, 204)
        with pytest.raises(ConflictError) as failure:
            write_changes(session, pending)
    message = str(failure.value)
    assert target.uid in message and "not overwritten" in message
    assert f"{edited_at} of {len(changes)} changes were made" in message
    assert server.get(USER, path)[0] == edited  # their edit stands
    # the changes before it were made, none after it
    after = server_events(server)
    for change in changes:
        written = int(after[change.uid]["SEQUENCE"]) == change.sequence
        assert written == (changes.index(change) < edited_at), change.uid


def test_an_event_created_by_someone_else_meanwhile_is_not_overwritten(
    default_plan: Plan, server: Radicale
) -> None:
    publish(default_plan, server, create=True)
    first = sorted(server.stored(USER, "training"))[0]
    body, _ = server.get(USER, FOLDER + first)
    with caldav.DAVClient(url=server.url, username=USER, password=PASSWORD) as client:
        assert client.delete(server.url + FOLDER + first).status == 200  # someone deletes it
    with connect(server) as session:
        pending = read_changes(default_plan, session, CALENDAR)
        (change,) = pending.targets[0].changes.changes
        assert change.action == "create"
        # ... and puts their own version back before publishing writes
        theirs = body.replace(b"SUMMARY:", b"SUMMARY:Theirs - ")
        assert server.put(USER, FOLDER + first, theirs) == 201
        with pytest.raises(ConflictError, match="was created by someone else on the server"):
            write_changes(session, pending)
    assert server.get(USER, FOLDER + first)[0] == theirs


# -- failures -------------------------------------------------------------------------------


def test_the_server_stopped_mid_publish_then_a_re_run_finishes(
    default_plan: Plan, server: Radicale
) -> None:
    with connect(server) as session:
        pending = read_changes(default_plan, session, CALENDAR, create=True)
        made = []

        def stop_after_ten(name: str, change: object) -> None:
            made.append(change)
            if len(made) == 10:
                server.stop()  # the 11th write finds nobody there

        with pytest.raises(PublishError) as failure:
            write_changes(session, pending, stop_after_ten)
    message = str(failure.value)
    assert "cannot reach" in message and "connection refused" in message
    assert "10 of 37 changes were made (10 created); publish again to finish" in message
    assert len(server.stored(USER, "training")) == 10  # exactly as far as it got
    server.start()
    done = publish(default_plan, server)
    assert (done.count("create"), done.unchanged) == (27, 10)
    assert by_plain_get(server) == planned(default_plan)


def test_an_event_the_server_refuses_stops_there_and_a_re_run_finishes(
    tmp_path: Path,
) -> None:
    # Radicale refuses items bigger than max_resource_size: module 'big' has a 20 kB
    # description, the others a few hundred bytes (limit 12 kB).
    catalog = make_catalog(
        module("a"), module("big", "skill", description="x" * 20000), module("c")
    )
    program = dataclasses.replace(
        DEFAULT_PROGRAM, weeks=1, duties=None, ongoing=None, ramp=Ramp(weeks=0)
    )
    plan = solve_checked(catalog, program).plan
    with Radicale(tmp_path / "r", {USER: PASSWORD}, server={"max_resource_size": "12000"}) as srv:
        with pytest.raises(PublishError) as failure:
            publish(plan, srv, create=True)
        message = str(failure.value)
        assert "the server refused event 'Big'" in message and "HTTP 4" in message
        order = list(plan.sessions.sort_values(["start", "module"])["module"])
        before = order.index("big")
        assert f"{before} of 3 changes were made" in message
        assert len(srv.stored(USER, "training")) == before
    with Radicale(tmp_path / "r", {USER: PASSWORD}) as srv:  # same storage, no limit
        done = publish(plan, srv)
        assert (done.count("create"), done.unchanged) == (3 - before, before)


# -- per facilitator ------------------------------------------------------------------------


def test_per_facilitator_calendars_follow_a_module_to_its_new_facilitator(
    default_plan: Plan, server: Radicale
) -> None:
    with pytest.raises(PublishError, match="no calendar 'Training — "):
        publish(default_plan, server, by="facilitator")
    done = publish(default_plan, server, by="facilitator", create=True)
    names = [target.name for target in done.targets]
    facilitators = sorted(set(default_plan.sessions["facilitator"]))
    assert names == [f"Training — {who}" for who in facilitators]
    folder = {who: f"{USER}/training-{who.lower().replace(' ', '-')}/" for who in facilitators}
    for who in facilitators:  # each holds exactly its facilitator's sessions
        mine = default_plan.sessions[default_plan.sessions["facilitator"] == who]
        expected = sorted(
            (event_uid(default_plan.program, m), _utc(s), _utc(e))
            for m, s, e in zip(mine["module"], mine["start"], mine["end"])
        )
        assert by_plain_get(server, folder[who]) == expected

    # the catalog hands one module to another facilitator; the same sessions otherwise
    row = default_plan.sessions.iloc[0]
    old, new = row["facilitator"], next(w for w in facilitators if w != row["facilitator"])
    frame = read_catalog().frame
    frame.loc[frame["id"] == row["module"], "facilitator"] = new
    catalog = Catalog.from_frame(frame)
    sessions = default_plan.sessions.copy()
    sessions.loc[sessions["module"] == row["module"], "facilitator"] = new
    handed = renumbered(Plan(catalog, default_plan.program, sessions), default_plan)
    assert handed.check() == []
    done = publish(handed, server, by="facilitator")
    by_name = {t.name: t.changes for t in done.targets}
    uid = event_uid(default_plan.program, row["module"])
    assert [c.uid for c in by_name[f"Training — {old}"].changes] == [uid]
    assert by_name[f"Training — {old}"].changes[0].action == "cancel"
    assert [(c.uid, c.action) for c in by_name[f"Training — {new}"].changes] == [(uid, "create")]
    assert sum(len(t.changes.changes) for t in done.targets) == 2
    assert str(server_events(server, folder[old])[uid]["STATUS"]) == "CANCELLED"
    assert uid in {u for u, _, _ in by_plain_get(server, folder[new])}
