"""A one-line count of finished tasks, rewritten in place on a terminal or in a notebook
(both honour a carriage return), e.g. ``Sweep: 5 of 24 scenarios done, 1 failed, 12 s``."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """Callable as a `curriculum.parallel.Progress`: (finished, failed, total)."""

    def __init__(self, what: str = "scenarios", stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream if stream is not None else sys.stderr
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, finished: int, failed: int, total: int) -> None:
        elapsed = time.monotonic() - self.started
        text = f"\rSweep: {finished} of {total} {self.what} done"
        if failed:
            text += f", {failed} failed"
        text += f", {elapsed:.0f} s"
        if finished < total:
            text += " (Ctrl-C stops and keeps what finished)"
        self.stream.write(text + "\033[K" if self.stream.isatty() else text)
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """End the line, once something was shown."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


def interactive(stream: TextIO | None = None) -> bool:
    """Whether someone is watching: a terminal, or a Jupyter kernel."""
    stream = stream if stream is not None else sys.stderr
    return stream.isatty() or "ipykernel" in sys.modules
