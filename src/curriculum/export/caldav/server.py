"""The calendar server, through the `caldav` client library (the only module that imports
it; it is the optional extra ``curriculum[caldav]``).

What this module guarantees, whatever the server does:

- Credentials go up front as HTTP Basic (never a netrc file the HTTP library would read by
  itself), over HTTPS with its certificate verified; plain HTTP only to this machine.
- Every write is conditional: a new event with ``If-None-Match: *`` (never over one that
  appeared meanwhile), a change with ``If-Match`` and the ETag read (never over an edit
  made meanwhile: a `ConflictError`).
- Every failure is a `PublishError` with one sentence that names what failed, and never
  the password: no exception text of the HTTP library is passed on as it is.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import quote, urlsplit

from icalendar import Calendar, Component

from curriculum.errors import ConflictError, PublishError
from curriculum.export.caldav.credentials import Credentials

caldav: ModuleType | None
try:
    import caldav
    from caldav.lib import error as dav_error
except ImportError:  # the core works without the extra; publishing says what to install
    caldav = None

EXTRA = 'publishing needs the caldav package: pip install "curriculum[caldav]"'
CALENDAR_TYPE = "text/calendar; charset=utf-8"
_ERRNO = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


@dataclass(frozen=True)
class RemoteEvent:
    """One calendar object on the server: where it is, its ETag, and what it holds."""

    url: str
    etag: str
    calendar: Calendar

    @property
    def event(self) -> Component:
        """Its main VEVENT (the one without RECURRENCE-ID)."""
        events = self.calendar.walk("VEVENT")
        return next((e for e in events if "RECURRENCE-ID" not in e), events[0])

    @property
    def uid(self) -> str:
        return str(self.event.get("UID", ""))


@dataclass(frozen=True)
class RemoteCalendar:
    """A calendar collection on the server."""

    name: str
    url: str

    def object_url(self, uid: str) -> str:
        """Where a new event with this UID goes: ``<calendar>/<UID>.ics``."""
        return f"{self.url.rstrip('/')}/{quote(uid, safe='')}.ics"


class Server:
    """A connection to a CalDAV server as one user."""

    def __init__(
        self, url: str, who: Credentials, *, timeout: float = 30.0, client: Any = None
    ) -> None:
        """Connect as `who`; or, given the caller's own `client` (a `caldav.DAVClient`,
        which they connected and close), use it as it is."""
        if caldav is None:
            raise PublishError(EXTRA)
        self.url = url
        self.user = who.user
        self.timeout = timeout
        dav_error.debug_dump_communication = False  # it would write the password to /tmp
        self._own = client is None
        if client is None:
            check_url(url)
            client = caldav.DAVClient(
                url=url,
                username=who.user,
                password=who.password,
                auth_type="basic",
                timeout=timeout,
                ssl_verify_cert=True,
                enable_rfc6764=False,
            )
        self._client = client
        self._principal: Any = None
        self._calendars: list[RemoteCalendar] | None = None

    @classmethod
    def of_calendar(cls, calendar: object) -> tuple[Server, RemoteCalendar]:
        """A calendar the caller connected to (a `caldav.Calendar`, with its client and
        credentials) as the server and calendar to publish to.

        Raises
        ------
        PublishError
            When the caldav package is missing, `calendar` is no `caldav.Calendar`, or
            its name cannot be read.
        """
        if caldav is None:
            raise PublishError(EXTRA)
        if not isinstance(calendar, caldav.Calendar) or calendar.client is None:
            raise PublishError(
                "calendar must be a calendar's name (with url=...) or a caldav.Calendar "
                f"with its client, not {type(calendar).__name__}"
            )
        client = calendar.client
        who = Credentials(str(getattr(client, "username", "") or "you"), "", "the client")
        server = cls(str(client.url), who, client=client)
        with server._failures("read the calendar's name"):
            name = str(calendar.get_display_name() or calendar.id or calendar.url)
        return server, RemoteCalendar(name, str(calendar.url))

    def close(self) -> None:
        """Close the connection (use the server in ``with contextlib.closing(...)``); a
        client the caller gave stays theirs to close."""
        if self._own:
            self._client.close()

    def calendars(self) -> list[RemoteCalendar]:
        """The user's calendars (read once)."""
        if self._calendars is None:
            with self._failures("list the calendars"):
                found = self._principal_of().get_calendars()
                self._calendars = [
                    RemoteCalendar(str(c.get_display_name() or c.id or ""), str(c.url))
                    for c in found
                ]
        return self._calendars

    def find(self, name: str) -> RemoteCalendar | None:
        """The calendar whose display name is `name`, else whose id (the last part of its
        URL) is; None when there is none."""
        calendars = self.calendars()
        named = [c for c in calendars if c.name == name]
        if len(named) > 1:
            raise PublishError(
                f"{len(named)} calendars of {self.user} at {self.url} are named '{name}': "
                "give the one to publish to by its id (the last part of its URL)"
            )
        by_id = [c for c in calendars if c.url.rstrip("/").rsplit("/", 1)[-1] == quote(name)]
        found = named or by_id
        return found[0] if found else None

    def create(self, name: str, calendar_id: str) -> RemoteCalendar:
        """A new calendar (MKCALENDAR) named `name` at the id `calendar_id`."""
        with self._failures(f"create the calendar '{name}'"):
            made = self._principal_of().make_calendar(name=name, cal_id=calendar_id)
        created = RemoteCalendar(name, str(made.url))
        self._calendars = [*self.calendars(), created]
        return created

    def events(self, calendar: RemoteCalendar) -> list[RemoteEvent]:
        """Every event in the calendar, with its URL and ETag (one REPORT)."""
        with self._failures(f"read the calendar '{calendar.name}'"):
            found = self._client_calendar(calendar).get_events()
            return [
                RemoteEvent(str(item.url), str(item.etag or ""), Calendar.from_ical(item.data))
                for item in found
            ]

    def put(self, url: str, body: bytes, etag: str | None, what: str) -> None:
        """Write one event: a new one when `etag` is None (``If-None-Match: *``), else over
        the version with that ETag (``If-Match``).

        Raises
        ------
        ConflictError
            When the server's version is not the one read (or one appeared meanwhile).
        PublishError
            When the server cannot be reached or refuses the event.
        """
        if etag == "":
            raise PublishError(
                f"the server gave no ETag for {what}, so it cannot be changed safely"
            )
        condition = {"If-None-Match": "*"} if etag is None else {"If-Match": etag}
        with self._failures(f"write {what}"):
            answer = self._client.put(
                url, body.decode("utf-8"), {**condition, "Content-Type": CALENDAR_TYPE}
            )
        status = int(answer.status)
        if status == 412 and self._etag_now(url, what) != etag:
            change = "was created by someone else" if etag is None else "was changed"
            raise ConflictError(
                f"{what} {change} on the server after it was read, so it was not overwritten"
            )
        if not 200 <= status < 300:
            reason = str(getattr(answer, "reason", "") or "").strip()
            raise PublishError(
                f"the server refused {what} (HTTP {status}{' ' + reason if reason else ''})"
            )

    def _etag_now(self, url: str, what: str) -> str | None:
        """The ETag the server has for `url` now (None: no such resource). A 412 is a
        conflict only when it changed since it was read: servers also answer 412 for
        other refusals (Radicale, for an event over its size limit)."""
        with self._failures(f"read {what} again"):
            answer = self._client.request(url, "HEAD")
        if int(answer.status) == 404:
            return None
        return str(answer.headers.get("ETag", ""))

    def _principal_of(self) -> Any:
        if self._principal is None:
            self._principal = self._client.get_principal()
        return self._principal

    def _client_calendar(self, calendar: RemoteCalendar) -> Any:
        assert caldav is not None
        return caldav.Calendar(client=self._client, url=calendar.url)

    @contextmanager
    def _failures(self, doing: str) -> Iterator[None]:
        """Turn whatever the client raises into a `PublishError` naming what was being done."""
        try:
            yield
        except PublishError:
            raise
        except (dav_error.DAVError, OSError) as exc:
            raise PublishError(_sentence(exc, self, doing)) from None


def _sentence(error: BaseException, server: Server, doing: str) -> str:
    """One sentence for a failure; built from its type, status and errno text only."""
    status = getattr(error, "status", None)
    if isinstance(error, dav_error.AuthorizationError) and status == 401:
        return (
            f"the server at {server.url} refused the user name or password of "
            f"'{server.user}' (HTTP 401)"
        )
    if isinstance(error, dav_error.AuthorizationError):
        return f"user '{server.user}' may not {doing} at {server.url} (HTTP {status or 403})"
    if isinstance(error, dav_error.DAVError):
        return f"could not {doing} at {server.url}: the server answered HTTP {status or '?'}"
    name = type(error).__name__
    if "SSL" in name:
        return f"cannot reach {server.url}: its TLS certificate could not be verified"
    if "Timeout" in name:
        return f"no answer from {server.url} within {server.timeout:g} s while trying to {doing}"
    found = _ERRNO.search(str(error))
    if found:
        reason = found.group(1).strip().lower()
    elif "resolve" in str(error).lower():
        reason = "its host name cannot be resolved"
    else:
        reason = "the connection failed"
    return f"cannot reach {server.url} to {doing}: {reason}"


def check_url(url: str) -> None:
    """A PublishError unless `url` is an http(s) URL without credentials in it (plain HTTP
    only to this machine)."""
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:  # e.g. 'https://[::1': an IPv6 address not closed
        hostname = None
    if hostname is None or parts.scheme not in ("http", "https"):
        raise PublishError(
            f"'{url}' is not a server URL like https://cloud.example.org/remote.php/dav"
        )
    if parts.username is not None or parts.password is not None:
        raise PublishError(
            "the server URL holds a user name or password: give the user with --user and "
            "the password in CURRICULUM_CALDAV_PASSWORD or ~/.netrc"
        )
    if parts.scheme == "http" and not _loopback(hostname):
        raise PublishError(
            f"{url} is plain HTTP: the password would cross the network unencrypted; use https://"
        )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
