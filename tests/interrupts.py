"""Ctrl-C in tests: a real one, whatever started them, and a solve's result as Ctrl-C
leaves it (`stopped_by_ctrl_c`).

A shell that runs a job in the background (`command &`, `nohup ... &`) starts it with SIGINT
ignored, every process below it inherits that, and Python then leaves it ignored: a real
Ctrl-C, `os.kill(pid, SIGINT)` or `_thread.interrupt_main()` would do nothing, and a test of
Ctrl-C would fail for a reason that is not the code's. These install Python's own handler
first, in this process or in the one a test starts.
"""

from __future__ import annotations

import dataclasses
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

import pytest

CATCH_CTRL_C = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler)\n"


def with_ctrl_c(script: str) -> str:
    """A Python script that turns Ctrl-C into `KeyboardInterrupt` before it runs."""
    return CATCH_CTRL_C + script


def cli_command(*args: str) -> list[str]:
    """`python -m curriculum.cli ARGS`, with Ctrl-C turned into `KeyboardInterrupt`."""
    run = "import runpy; runpy.run_module('curriculum.cli', run_name='__main__', alter_sys=True)"
    return [sys.executable, "-c", with_ctrl_c(run), *args]


@contextmanager
def ctrl_c_caught() -> Iterator[None]:
    """In this process, for the block: Ctrl-C raises `KeyboardInterrupt`."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def stopped_by_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str
) -> dict[str, Any]:
    """Make `module.name` (a solve) return its result as Ctrl-C would leave it: with
    `interrupted` set, and the other fields of the returned dict, which a test may add to."""
    solve = getattr(module, name)
    stopped: dict[str, Any] = {"interrupted": True}
    monkeypatch.setattr(
        module, name, lambda *a, **k: dataclasses.replace(solve(*a, **k), **stopped)
    )
    return stopped
