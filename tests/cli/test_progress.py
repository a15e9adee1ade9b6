"""The progress line (cli/progress.py): on a terminal after a moment, never in pipes or logs."""

from __future__ import annotations

import io
import time

import pytest

from curriculum.cli import progress
from curriculum.cli.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_solve_shows_elapsed_time_on_a_terminal_then_clears_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    screen = Terminal()
    monkeypatch.setattr(progress.sys, "stderr", screen)
    monkeypatch.setattr(progress, "DELAY", 0.01)
    with Progress(30):
        time.sleep(0.6)
    text = screen.getvalue()
    assert "Solving..." in text and "of at most 30 s" in text
    assert text.endswith("\r\033[K")


def test_a_quick_solve_shows_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    screen = Terminal()
    monkeypatch.setattr(progress.sys, "stderr", screen)
    with Progress(30):
        pass
    assert screen.getvalue() == ""


def test_nothing_goes_to_a_pipe_or_log(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr(progress.sys, "stderr", pipe)
    monkeypatch.setattr(progress, "DELAY", 0.01)
    with Progress(30):
        time.sleep(0.3)
    assert pipe.getvalue() == ""
