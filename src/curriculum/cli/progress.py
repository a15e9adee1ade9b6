"""A progress line on a terminal's stderr while a solve takes more than a moment."""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType

from curriculum.cli.terminal import unfiltered

DELAY = 1.0  # seconds before the indicator appears


class Progress:
    """Context manager: after `DELAY` seconds, show elapsed time against the limit."""

    def __init__(self, limit: float, *, enabled: bool = True) -> None:
        self.limit = limit
        self.stream = unfiltered(sys.stderr)  # its control codes are meant
        self.enabled = enabled and self.stream.isatty()  # never noise in logs or pipes
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._shown = False

    def __enter__(self) -> Progress:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._done.set()
        if self.enabled:
            self._thread.join()
        if self._shown:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def _run(self) -> None:
        started = time.monotonic()
        if self._done.wait(DELAY):
            return
        self._shown = True
        while not self._done.wait(0.25):
            elapsed = time.monotonic() - started
            self.stream.write(
                f"\rSolving... {elapsed:4.0f} s of at most {self.limit:g} s "
                "(Ctrl-C keeps the best plan so far)"
            )
            self.stream.flush()
