"""Publishing a plan, or several cohorts' plans, to a CalDAV server (Nextcloud, Radicale,
Baïkal, SOGo, ...), kept in sync through every re-plan.

Two steps: `read_calendars` (`read_changes` for one plan) reads what each calendar holds
(no write at all: it is the whole of a dry run) and works out the changes (`changes.py`);
`write_changes` makes them one event at a time, each conditional on the version read. Each event is its own
calendar object resource (one UID with its VTIMEZONE), built from the same events as the
.ics file, with the plan's own SEQUENCE numbers.

A failure stops at once with a `PublishError` that says how far it got: every change
before it is made and complete (a resource is written whole or not at all), none after
it, and publishing again finishes the job, since it starts by reading what is there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime

from icalendar import Event

from curriculum.cells import slug
from curriculum.errors import PublishError
from curriculum.export.caldav.changes import ACTIONS, CalendarChanges, Change, calendar_changes
from curriculum.export.caldav.credentials import credentials
from curriculum.export.caldav.server import RemoteCalendar, Server, check_url
from curriculum.export.ics.write import export_stamp, facilitator_events_across, stamped
from curriculum.frames import PlanData

BY = ("facilitator",)
PAST = {"create": "created", "update": "updated", "cancel": "cancelled"}


@dataclass(frozen=True)
class Target:
    """One calendar to publish to: its name, where it is (None: missing), its changes."""

    name: str
    calendar: RemoteCalendar | None
    changes: CalendarChanges


@dataclass(frozen=True)
class Publication:
    """What publishing did (or, in a dry run, would do), calendar by calendar."""

    url: str
    targets: tuple[Target, ...]
    dry_run: bool

    def count(self, action: str) -> int:
        """Changes of one kind ('create', 'update', 'cancel') over every calendar."""
        return sum(target.changes.count(action) for target in self.targets)

    @property
    def unchanged(self) -> int:
        """The plan's events that were already up to date."""
        return sum(target.changes.unchanged for target in self.targets)

    @property
    def others(self) -> int:
        """Events in the calendars that this plan did not make (left alone)."""
        return sum(target.changes.others for target in self.targets)

    def lines(self) -> list[str]:
        """A report: one line per calendar, then one per change."""
        found = []
        for target in self.targets:
            changes = target.changes
            counts = ", ".join(
                f"{changes.count(action)} {self._verb(action)}" for action in ACTIONS
            )
            made = (
                f" ({'would be ' if self.dry_run else ''}created)"
                if target.calendar is None
                else ""
            )
            found.append(
                f"Calendar '{target.name}'{made}: {counts}, {changes.unchanged} unchanged; "
                f"{changes.others} other event{'s' if changes.others != 1 else ''} left alone"
            )
            found.extend(f"  {line}" for line in _change_lines(changes.changes, self.dry_run))
        if self.dry_run:
            found.append(f"Dry run: nothing was changed at {self.url}.")
        return found

    def _verb(self, action: str) -> str:
        return f"to {action}" if self.dry_run else PAST[action]


def publish_plans(
    plans: Mapping[str, PlanData],
    title: str,
    calendar: str | None = None,
    *,
    url: str,
    user: str | None = None,
    password: str | None = None,
    by: str | None = None,
    create: bool = False,
    dry_run: bool = False,
    timeout: float = 30.0,
    stamp: datetime | None = None,
) -> Publication:
    """Put plans' events on a CalDAV server: create what is new, update what changed,
    cancel what was removed, touch nothing else; every calendar is read before any is
    written.

    Parameters
    ----------
    plans
        The plans (`Plan` or its `PlanData`) by name: one plan, or several cohorts'.
    title
        With ``by="facilitator"`` and no `calendar`: the first part of each facilitator's
        calendar name.
    calendar
        None: each plan goes to the calendar its name names (display name, or id: the last
        part of its URL). Given: to ``"<calendar> — <name>"``. With ``by="facilitator"``,
        each facilitator's calendar is named ``"<calendar> — <facilitator>"`` (`calendar`
        defaulting to `title`).
    url
        The server: its root, the user's principal or calendar home, e.g.
        ``https://cloud.example.org/remote.php/dav`` (Nextcloud) or
        ``https://cal.example.org/`` (Radicale).
    user, password
        Who publishes; by default the password from `CURRICULUM_CALDAV_PASSWORD`, else the
        netrc entry for the server's host (whose login is the default user).
    by
        ``"facilitator"``: one calendar per facilitator, holding their events of every
        plan; a session taught to several cohorts at once is there once (the first
        cohort's event).
    create
        Create a calendar that does not exist (otherwise a `PublishError`).
    dry_run
        Only read: report what would be created, updated and cancelled.
    timeout
        Seconds to wait for each answer of the server.
    stamp
        DTSTAMP of the events written (default: `SOURCE_DATE_EPOCH`, else now).

    Returns
    -------
    Publication
        What was (or would be) created, updated, cancelled, left unchanged, left alone.

    Raises
    ------
    PublishError
        Server unreachable, credentials refused, a calendar missing, an event refused; a
        `ConflictError` when an event changed on the server after it was read. The message
        says how far publishing got; running it again finishes the job.
    """
    if by is not None and by not in BY:
        raise PublishError(f"by must be one of {', '.join(BY)}, not '{by}'")
    moment = export_stamp(stamp)
    wanted = calendars_wanted(plans, (calendar or title) if by else calendar, by, moment)
    check_url(url)  # before the credentials, which are looked up by its host
    who = credentials(url, user, password)
    with closing(Server(url, who, timeout=timeout)) as server:
        publication = read_calendars(server, wanted, moment, create=create)
        if not dry_run:
            write_changes(server, publication)
    return Publication(url, publication.targets, dry_run)


@dataclass(frozen=True)
class Wanted:
    """What one calendar is to hold: its name, the plans whose events it holds (any other
    event there is left alone) and those events, stamped."""

    name: str
    plans: tuple[PlanData, ...]
    events: list[Event]


def calendars_wanted(
    plans: Mapping[str, PlanData], prefix: str | None, by: str | None, moment: datetime
) -> list[Wanted]:
    """A calendar per plan, named by its key, or with ``by="facilitator"`` a calendar per
    facilitator across the plans, named by theirs; ``"<prefix> — <name>"`` when a prefix
    is given. Every event stamped at `moment`."""

    def named(key: str) -> str:
        return f"{prefix} — {key}" if prefix else key

    if by == "facilitator":
        every = tuple(plans.values())
        across = facilitator_events_across(every, stamp=moment)
        return [Wanted(named(who), every, mine) for who, mine in across.items()]
    return [
        Wanted(named(key), (data,), [e.event for e in stamped(data, None, moment)])
        for key, data in plans.items()
    ]


def read_changes(
    data: PlanData,
    server: Server,
    calendar: str,
    *,
    by: str | None = None,
    create: bool = False,
    stamp: datetime | None = None,
) -> Publication:
    """Read every calendar the plan goes to and work out its changes (no write at all).

    Raises
    ------
    PublishError
        When a calendar is missing and `create` is not set (before any change is made).
    """
    moment = export_stamp(stamp)
    wanted = calendars_wanted({calendar: data}, calendar if by else None, by, moment)
    return read_calendars(server, wanted, moment, create=create)


def read_calendars(
    server: Server, wanted: list[Wanted], moment: datetime, *, create: bool = False
) -> Publication:
    """Read each calendar and work out its changes (no write at all); `moment` stamps a
    cancellation of an event the plans no longer hold.

    Raises
    ------
    PublishError
        When a calendar is missing and `create` is not set (before any change is made).
    """
    targets = []
    for calendar in wanted:
        found = server.find(calendar.name)
        if found is None and not create:
            raise PublishError(
                f"no calendar '{calendar.name}' for {server.user} at {server.url}: create it, "
                "or publish with --create (create=True)"
            )
        targets.append(_target(server, calendar, found, moment))
    return Publication(server.url, tuple(targets), dry_run=True)


def publish_to(
    data: PlanData, calendar: object, *, dry_run: bool = False, stamp: datetime | None = None
) -> Publication:
    """Put a plan's events on a calendar the caller connected to (a `caldav.Calendar`,
    with its own client and credentials), as `publish_plans` does for a calendar named on
    a server: create what is new, update what changed, cancel what was removed, touch
    nothing else.

    Raises
    ------
    PublishError
        As `publish_plans`; and when `calendar` is no `caldav.Calendar`.
    """
    server, found = Server.of_calendar(calendar)
    with closing(server):  # the caller's client stays open
        moment = export_stamp(stamp)
        (wanted,) = calendars_wanted({found.name: data}, None, None, moment)
        publication = Publication(server.url, (_target(server, wanted, found, moment),), True)
        if not dry_run:
            write_changes(server, publication)
    return Publication(server.url, publication.targets, dry_run)


def _target(
    server: Server, wanted: Wanted, found: RemoteCalendar | None, moment: datetime
) -> Target:
    """One calendar's changes: what it holds (nothing when it is still to be made) against
    what it is to hold."""
    remote = server.events(found) if found is not None else []
    changes = calendar_changes(wanted.plans, wanted.name, wanted.events, remote, moment)
    return Target(wanted.name, found, changes)


def write_changes(
    server: Server,
    publication: Publication,
    progress: Callable[[str, Change], None] | None = None,
) -> None:
    """Make the changes, calendar by calendar and event by event; `progress` is called
    with the calendar's name and the change after each one is made.

    Raises
    ------
    PublishError
        At the first failure, saying which changes were made before it.
    """
    made: list[tuple[str, Change]] = []
    for target in publication.targets:
        try:
            calendar = target.calendar or server.create(target.name, slug(target.name))
            for change in target.changes.changes:
                at = change.remote.url if change.remote else calendar.object_url(change.uid)
                etag = change.remote.etag if change.remote else None
                server.put(at, change.body, etag, f"event '{change.summary}' ({change.uid})")
                made.append((target.name, change))
                if progress is not None:
                    progress(target.name, change)
        except PublishError as exc:
            raise type(exc)(f"{exc}; {_progress(publication, made)}") from None


def _progress(publication: Publication, made: list[tuple[str, Change]]) -> str:
    """How far publishing got, in words."""
    total = sum(len(target.changes.changes) for target in publication.targets)
    if not made:
        return f"nothing was changed ({total} changes to make); publish again to retry"
    counts = ", ".join(
        f"{n} {PAST[action]}"
        for action in ACTIONS
        if (n := sum(change.action == action for _, change in made))
    )
    return f"{len(made)} of {total} changes were made ({counts}); publish again to finish"


def _change_lines(changes: tuple[Change, ...], dry_run: bool) -> Iterator[str]:
    for change in changes:
        when = f"{change.start:%Y-%m-%d %H:%M}" if change.start else "-"
        verb = change.action if dry_run else PAST[change.action]
        yield f"{verb:<9} {when}  {change.summary}  (SEQUENCE {change.sequence})"
