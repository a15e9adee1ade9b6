"""Who publishes: the user name and password for a calendar server.

The password comes from the `CURRICULUM_CALDAV_PASSWORD` environment variable, else from
the netrc file (``$NETRC``, else ``~/.netrc``) entry for the server's host; never from the
command line (other users of the machine can read it there). No message and no `repr` of
this module ever shows a password: a netrc file that cannot be parsed is named with its
line, not with the text that failed.
"""

from __future__ import annotations

import netrc
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from curriculum.errors import PublishError

PASSWORD_VARIABLE = "CURRICULUM_CALDAV_PASSWORD"


@dataclass(frozen=True)
class Credentials:
    """A user name and its password (the password never shows in a `repr`)."""

    user: str
    password: str = field(repr=False)
    source: str  # where the password came from, for messages


def credentials(
    url: str,
    user: str | None = None,
    password: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Credentials:
    """The user and password to publish to `url` with.

    Parameters
    ----------
    url
        The server's URL; its host name picks the netrc entry.
    user
        The user name; by default the netrc entry's login.
    password
        The password (from Python); by default `CURRICULUM_CALDAV_PASSWORD`, else netrc.
    environ
        The environment to read (default: `os.environ`).

    Raises
    ------
    PublishError
        When no user name or no password can be found, or the netrc file cannot be read.
    """
    env = os.environ if environ is None else environ
    host = urlsplit(url).hostname or ""
    if password is None and env.get(PASSWORD_VARIABLE):
        password = env[PASSWORD_VARIABLE]
        source = PASSWORD_VARIABLE
    elif password is not None:
        source = "the password given"
    else:
        return _from_netrc(host, user, env)
    if not user:
        login = _netrc_entry(host, env)
        user = login[0] if login else None
    if not user:
        raise PublishError(f"no user name for {host}: give one with --user")
    return Credentials(user, password, source)


def _from_netrc(host: str, user: str | None, env: Mapping[str, str]) -> Credentials:
    entry = _netrc_entry(host, env)
    path = _netrc_path(env)
    if entry is None:
        raise PublishError(
            f"no password for {host}: set {PASSWORD_VARIABLE}, or add a 'machine {host}' "
            f"entry to {path}"
        )
    login, password = entry
    if user and login and login != user:
        raise PublishError(
            f"{path} has user '{login}' for {host}, not '{user}': its password is not theirs"
        )
    if not (user or login):
        raise PublishError(f"no user name for {host}: give one with --user")
    return Credentials(user or login, password, str(path))


def _netrc_entry(host: str, env: Mapping[str, str]) -> tuple[str, str] | None:
    """(login, password) of the netrc entry for `host` (or its `default`), if any."""
    path = _netrc_path(env)
    if not path.is_file():
        return None
    try:
        found = netrc.netrc(str(path)).authenticators(host)
    except netrc.NetrcParseError as exc:
        # its message may quote a token of the file, which may be a password
        raise PublishError(f"{path}, line {exc.lineno}: cannot be read as a netrc file") from None
    except OSError as exc:
        raise PublishError(f"{path}: cannot be read ({exc.strerror})") from None
    if found is None or found[2] is None:
        return None
    return found[0] or "", found[2]


def _netrc_path(env: Mapping[str, str]) -> Path:
    """``$NETRC`` when set (as curl and requests read it), else ``~/.netrc``."""
    named = env.get("NETRC")
    if named:
        return Path(named)
    home = env.get("HOME")
    return Path(home) / ".netrc" if home else Path.home() / ".netrc"
