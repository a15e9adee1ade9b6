"""The progress line (cli/progress.py): on a terminal after a moment, never in pipes or logs."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

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


def test_a_process_s_age_counts_the_time_it_spent_waiting() -> None:
    # A process that sleeps 2 s before asking: its CPU time, which stood in for its age
    # before, leaves the sleep out; where /proc tells the age, the sleep counts.
    if not Path("/proc/self/stat").exists():
        pytest.skip("no /proc here: the age is the CPU time used, which a sleep does not add to")
    script = (
        "import time; time.sleep(2.0)\n"
        "from curriculum.cli.progress import process_age\n"
        "print(process_age(), time.process_time())"
    )
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    age, cpu = map(float, finished.stdout.split())
    assert age >= 2.0 and age - cpu >= 1.5  # (imports may run on more than one thread)
