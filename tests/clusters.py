"""Real Dask clusters for the tests, on 127.0.0.1 only: a `LocalCluster` of two worker
processes, and a `dask scheduler` + `dask worker` pair started as commands, the way a
cluster is run for real. The fixtures in `tests/conftest.py` start each once per session.

Dashboards go to a random loopback port: without one the scheduler still binds port 8787
on every interface, and two clusters at once would clash.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import distributed

WORKERS = 2
TIMEOUT = 60.0  # seconds for a cluster to come up
LOOPBACK = "127.0.0.1:0"  # a random port on the loopback interface


@contextlib.contextmanager
def local_cluster() -> Iterator[distributed.Client]:
    """A client of a LocalCluster: 2 worker processes of 1 thread each. A task that kills
    its worker fails at once (allowed-failures 0), instead of killing 3 more."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            processes=True,
            n_workers=WORKERS,
            threads_per_worker=1,
            dashboard_address=LOOPBACK,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@contextlib.contextmanager
def command_cluster() -> Iterator[str]:
    """`python -m dask scheduler` and `python -m dask worker --nworkers 2` on 127.0.0.1,
    in their own session (a Ctrl-C at the terminal does not reach them); the scheduler's
    address. Their logs are printed when something goes wrong."""
    with tempfile.TemporaryDirectory(prefix="dask-cluster-") as folder:
        where = Path(folder)
        address_file = where / "scheduler.json"
        common: dict[str, object] = {
            "cwd": folder,
            "stdin": subprocess.DEVNULL,
            "start_new_session": True,
            "env": {**os.environ, "PYTHONUNBUFFERED": "1"},
        }
        with (
            (where / "scheduler.log").open("wb") as scheduler_log,
            (where / "worker.log").open("wb") as worker_log,
        ):
            scheduler = subprocess.Popen(
                [
                    *(sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1"),
                    *("--port", "0", "--dashboard-address", LOOPBACK),
                    *("--scheduler-file", str(address_file)),
                ],
                stdout=scheduler_log,
                stderr=subprocess.STDOUT,
                **common,  # type: ignore[arg-type]
            )
            worker = None
            try:
                address = _address(address_file, scheduler)
                worker = subprocess.Popen(
                    [
                        *(sys.executable, "-m", "dask", "worker", address, "--host", "127.0.0.1"),
                        *("--nworkers", str(WORKERS), "--nthreads", "1", "--memory-limit", "0"),
                        *("--dashboard-address", LOOPBACK, "--death-timeout", str(int(TIMEOUT))),
                        *("--local-directory", str(where / "work")),
                    ],
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                    **common,  # type: ignore[arg-type]
                )
                with distributed.Client(address, timeout=TIMEOUT) as client:
                    client.wait_for_workers(WORKERS, timeout=TIMEOUT)
                yield address
            except BaseException:
                for log in ("scheduler.log", "worker.log"):
                    text = (where / log).read_text(errors="replace")[-4000:]
                    sys.stderr.write(f"--- {log} ---\n{text}\n")
                raise
            finally:
                for process in (worker, scheduler):
                    if process is not None:
                        _stop(process)


def _address(path: Path, scheduler: subprocess.Popen[bytes]) -> str:
    """The scheduler's address, from the file it writes once it listens."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            raise RuntimeError(f"the dask scheduler exited with {scheduler.returncode}")
        with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
            address: str = json.loads(path.read_text())["address"]
            return address
        time.sleep(0.05)
    raise TimeoutError(f"the dask scheduler wrote no {path.name} in {TIMEOUT:g} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the dask commands close cleanly on it), then SIGKILL to its own session."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
