"""Fixtures of the publishing tests: a real Radicale server on 127.0.0.1 and an
environment no developer's own settings can change (see `radicale.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.export.caldav.radicale import Radicale, isolate, strict_server


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate(monkeypatch, tmp_path / "home")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Radicale]:
    """Radicale with users alice and bob and strict preconditions."""
    with strict_server(tmp_path / "radicale") as running:
        yield running
