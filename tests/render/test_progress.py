"""curriculum.render.progress: the count of finished scenarios, rewritten in place."""

from __future__ import annotations

import io
import sys

import pytest

from curriculum.render.progress import ProgressLine, interactive


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_each_count_rewrites_the_line_then_it_ends() -> None:
    screen = Terminal()
    line = ProgressLine(stream=screen)
    line(1, 0, 3)
    line(3, 1, 3)
    line.close()
    parts = screen.getvalue().split("\r")
    assert parts[0] == ""
    assert parts[1].startswith("Sweep: 1 of 3 scenarios done, 0 s (Ctrl-C stops")
    assert parts[1].endswith("\033[K")  # the rest of a longer line before is cleared
    assert parts[2] == "Sweep: 3 of 3 scenarios done, 1 failed, 0 s\033[K\n"


def test_in_a_notebook_the_line_is_plain_text() -> None:
    # a notebook's output honours the carriage return, but shows escape codes as text
    stream = io.StringIO()
    line = ProgressLine("cohorts", stream=stream)
    line(2, 0, 2)
    line.close()
    line.close()  # ending twice writes one line end
    assert stream.getvalue() == "\rSweep: 2 of 2 cohorts done, 0 s\n"


def test_nothing_shown_nothing_ended() -> None:
    stream = io.StringIO()
    ProgressLine(stream=stream).close()
    assert stream.getvalue() == ""


def test_someone_watches_a_terminal_or_a_notebook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    assert interactive(Terminal())
    assert not interactive(io.StringIO())
    monkeypatch.setitem(sys.modules, "ipykernel", sys)  # a Jupyter kernel has it loaded
    assert interactive(io.StringIO())
