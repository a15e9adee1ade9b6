"""Run a subprocess and measure its wall time and peak memory (POSIX `wait4`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Finished:
    """A finished subprocess: exit code, wall and CPU seconds, peak memory (MiB), output."""

    returncode: int
    wall_s: float
    cpu_s: float  # user + system: less sensitive than wall time to a busy machine
    peak_mib: float
    stdout: str
    stderr: str
    timed_out: bool = False


def run_measured(argv: list[str], *, timeout: float, cwd: Path | None = None) -> Finished:
    """Run `argv` to completion (killed after `timeout` seconds); the peak memory is the
    child's own `ru_maxrss` from `os.wait4`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=cwd)
        expired = threading.Event()

        def kill() -> None:
            expired.set()
            process.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall_s = time.perf_counter() - started
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB on Linux
        return Finished(
            returncode=process.returncode,
            wall_s=wall_s,
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_mib=usage.ru_maxrss * scale / 2**20,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
            timed_out=expired.is_set(),
        )
