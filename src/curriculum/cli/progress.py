"""A solve's time on the command line: the time it may take, a progress line on a
terminal's stderr while it takes more than a moment, and what Ctrl-C stopping it means."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from curriculum.cli.terminal import unfiltered
from curriculum.cohorts.result import CohortsResult
from curriculum.result import Result, Status

DELAY = 1.0  # seconds before the indicator appears
OUTPUT_RESERVE = 0.2  # seconds kept for writing the files and printing after a solve
INTERRUPTED_EXIT = 130  # the exit status after Ctrl-C, as a shell reports one
STOPPED_EARLY = (
    "interrupted: Ctrl-C stopped the search early, so this plan may not be the best one; "
    "let it run to the time limit for a better one"
)
STOPPED_BEFORE_A_PLAN = "interrupted: Ctrl-C stopped the search before it found a plan"


def interrupted_exit(result: Result | CohortsResult) -> int | None:
    """`INTERRUPTED_EXIT`, said on stderr, when Ctrl-C stopped the search before it had a
    plan; None otherwise (one that had proven that none exists is explained: exit 1)."""
    if result.interrupted and not result.conflicts and result.status is not Status.INFEASIBLE:
        print(STOPPED_BEFORE_A_PLAN, file=sys.stderr)
        return INTERRUPTED_EXIT
    return None


def say_if_stopped_early(result: Result | CohortsResult) -> None:
    """On stderr, after the plan: that Ctrl-C stopped its search early, when it did."""
    if result.interrupted:
        print(STOPPED_EARLY, file=sys.stderr)


def time_left(limit: float, started: float) -> float:
    """The seconds a solve may take so that the whole command keeps to `--time-limit`: the
    limit less the time since the command `started` (a `time.monotonic()` instant) and a
    reserve for the outputs; at least a tenth of the limit."""
    return max(limit - (time.monotonic() - started) - OUTPUT_RESERVE, limit / 10)


def command_started(argv_given: bool) -> float:
    """When the command started, as a `time.monotonic()` instant: now when called from
    Python with its arguments; as the `curriculum` process, now less the process's age."""
    return time.monotonic() - (0.0 if argv_given else process_age())


def process_age() -> float:
    """Wall seconds since this process started: from /proc where there is one (Linux; the
    standard library cannot tell, and psutil, which can, is no dependency for one number);
    elsewhere the CPU time used, a stand-in that leaves out time spent waiting on a busy
    machine (and counts twice what the imports run on two threads)."""
    try:
        # the fields after the command's name, which is in parentheses and may hold spaces
        fields = Path("/proc/self/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
        since_boot = float(Path("/proc/uptime").read_text(encoding="ascii").split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        return max(since_boot - int(fields[19]) / ticks, 0.0)
    except (OSError, ValueError, IndexError):
        return time.process_time()


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
