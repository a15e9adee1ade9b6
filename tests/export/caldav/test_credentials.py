"""Who publishes (export/caldav/credentials.py): the password from
CURRICULUM_CALDAV_PASSWORD or the netrc file's entry for the server's host, never shown.
HOME and NETRC point at a temporary folder (conftest.py)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from curriculum.errors import PublishError
from curriculum.export.caldav.credentials import PASSWORD_VARIABLE, credentials

URL = "https://cal.example.org/dav/"


def netrc(text: str) -> Path:
    path = Path(os.environ["NETRC"])
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_the_environment_variable_comes_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "from env")
    netrc("machine cal.example.org login alice password fromnetrc\n")
    found = credentials(URL, "alice")
    assert (found.user, found.password, found.source) == ("alice", "from env", PASSWORD_VARIABLE)
    assert "from env" not in repr(found)
    # no --user: the netrc login names the user, the variable still gives the password
    assert credentials(URL).user == "alice"


def test_the_netrc_entry_for_the_host_gives_user_and_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE)
    path = netrc(
        "machine other.example.org login bob password nope\n"
        'machine cal.example.org login alice password "pw with space"\n'
    )
    found = credentials(URL)
    assert (found.user, found.password, found.source) == ("alice", "pw with space", str(path))
    assert credentials(URL, "alice").password == "pw with space"


def test_a_netrc_entry_for_another_user_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE)
    netrc("machine cal.example.org login bob password bobs\n")
    with pytest.raises(
        PublishError, match=re.escape("has user 'bob' for cal.example.org, not 'alice'")
    ):
        credentials(URL, "alice")


def test_no_password_anywhere_says_where_to_put_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE)
    with pytest.raises(PublishError) as failure:
        credentials(URL, "alice")
    assert str(failure.value) == (
        f"no password for cal.example.org: set {PASSWORD_VARIABLE}, or add a "
        f"'machine cal.example.org' entry to {os.environ['NETRC']}"
    )


def test_no_user_anywhere_asks_for_one(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(
        PublishError, match=re.escape("no user name for cal.example.org: give one with --user")
    ):
        credentials(URL)


def test_a_broken_netrc_is_named_with_its_line_and_never_quoted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE)
    # line 2 is broken; 'hunter2' is the kind of text the parser's own message would quote
    path = netrc("machine cal.example.org login alice password ok\nhunter2 hunter2\n")
    with pytest.raises(PublishError) as failure:
        credentials(URL, "alice")
    assert str(failure.value) == f"{path}, line 2: cannot be read as a netrc file"
