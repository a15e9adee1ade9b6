"""Fixtures of the publishing tests: a real Radicale server on 127.0.0.1 (see
`radicale.py`) and an environment that no developer's own settings can change: HOME and
NETRC in a temporary folder (so no ~/.netrc of theirs is read), no proxy for 127.0.0.1,
caldav's request dump off, and the password in CURRICULUM_CALDAV_PASSWORD."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum.export.caldav.credentials import PASSWORD_VARIABLE
from tests.export.caldav.radicale import Radicale

USER = "alice"
PASSWORD = "s3cret pw:x"  # a space and a colon: passed whole, never split


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NETRC", str(home / ".netrc"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.delenv("PYTHON_CALDAV_COMMDUMP", raising=False)
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Radicale]:
    """Radicale with one user, alice, and strict preconditions: a PUT over an existing
    event without If-Match is refused (412), so a blind overwrite would show."""
    with Radicale(
        tmp_path / "radicale",
        {USER: PASSWORD, "bob": "bobs pw"},
        storage={"strict_preconditions": "True"},
    ) as running:
        yield running
