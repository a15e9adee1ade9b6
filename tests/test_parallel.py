"""curriculum.parallel: tasks run here, in local processes or on a Dask cluster the same
way; failures are recorded, never lost; Ctrl-C cancels what has not started."""

from __future__ import annotations

import math
import os
import signal
import socket
import sys
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import distributed
import pytest

from curriculum.parallel import dask_executor, local_processes, run_tasks

# ------------------------------------------------------------------ tasks (module level:
# the workers import this module to find them)


def square(number: int) -> int:
    """number², or a ValueError for 3."""
    if number == 3:
        raise ValueError("three is not welcome")
    return number * number


def slow_square(number: int) -> int:
    time.sleep(0.3)
    return number * number


def die(number: int) -> int:
    """Kill the worker process that runs it (for 1); number otherwise."""
    if number == 1:
        os._exit(3)
    time.sleep(0.3)
    return number


def sigint_handler(_: int) -> str:
    return str(signal.getsignal(signal.SIGINT))


def test_outputs_and_errors_come_back_by_position(executor: Executor | None) -> None:
    reports: list[tuple[int, int, int]] = []
    finished = run_tasks(square, range(6), executor, progress=lambda *r: reports.append(r))
    # 0..5 squared, except 3, which raises
    assert finished.outputs == {0: 0, 1: 1, 2: 4, 4: 16, 5: 25}
    assert list(finished.errors) == [3]
    assert isinstance(finished.errors[3], ValueError)
    assert str(finished.errors[3]) == "three is not welcome"
    assert not finished.interrupted
    # one report per task, in the order they finished: 1, 2, ... 6 of 6, one failure
    assert [r[0] for r in reports] == [1, 2, 3, 4, 5, 6]
    assert {r[2] for r in reports} == {6}
    assert reports[-1][1] == 1


def test_an_interrupt_keeps_what_finished_and_cancels_the_rest(executor: Executor | None) -> None:
    def interrupt(finished: int, failed: int, total: int) -> None:
        if finished == 1:
            raise KeyboardInterrupt  # as Ctrl-C would, in the waiting thread

    finished = run_tasks(slow_square, range(8), executor, progress=interrupt)
    assert finished.interrupted
    # 8 tasks of 0.3 s on 2 workers: when the first finishes, at most 2 are running and
    # 2 queued (Dask sends a worker 2; a process pool queues 1 more): the rest never ran
    assert 1 <= finished.count <= 5
    assert all(finished.outputs[i] == i * i for i in finished.outputs)
    assert finished.errors == {}


def test_in_this_process_an_interrupt_stops_at_once() -> None:
    def interrupt(finished: int, failed: int, total: int) -> None:
        raise KeyboardInterrupt

    finished = run_tasks(square, range(6), progress=interrupt)
    assert finished.interrupted
    assert finished.outputs == {0: 0}


def test_stop_ends_the_run_like_an_interrupt() -> None:
    # stops after the output 4 (task 2): tasks 3, 4 and 5 never run
    finished = run_tasks(square, range(6), stop=lambda output: output == 4)
    assert finished.interrupted
    assert finished.outputs == {0: 0, 1: 1, 2: 4}


def test_a_dead_local_process_fails_its_tasks_not_the_run() -> None:
    with local_processes(2) as pool:
        finished = run_tasks(die, range(4), pool)
    # the pool breaks when task 1 kills its process: every task not yet done with fails
    # with BrokenProcessPool; the run itself completes, every task accounted for
    assert finished.count == 4
    assert not finished.interrupted
    assert isinstance(finished.errors[1], BrokenProcessPool)
    assert all(isinstance(e, BrokenProcessPool) for e in finished.errors.values())


def test_a_dead_dask_worker_fails_its_tasks_not_the_run(dask_client: distributed.Client) -> None:
    finished = run_tasks(die, range(4), dask_client.get_executor(pure=False))
    # allowed-failures 0: the task that killed its worker fails at once, and so may a task
    # queued behind it on that worker; the others come back (the nanny restarts the dead
    # worker), and every task is accounted for
    assert finished.count == 4
    assert not finished.interrupted
    assert isinstance(finished.errors[1], distributed.KilledWorker)
    assert all(isinstance(e, distributed.KilledWorker) for e in finished.errors.values())
    assert all(finished.outputs[i] == i for i in finished.outputs)
    assert len(finished.outputs) >= 2  # at most one task waits behind `die` on its worker


def test_a_task_that_cannot_be_submitted_is_an_error() -> None:
    with local_processes(1) as pool:
        pool.shutdown()
        finished = run_tasks(square, range(2), pool)
    assert finished.outputs == {}
    assert [type(e) for e in finished.errors.values()] == [RuntimeError, RuntimeError]


def test_local_processes_leave_ctrl_c_to_the_caller() -> None:
    with local_processes(1) as pool:
        handler = pool.submit(sigint_handler, 0).result()
    assert handler == str(signal.SIG_IGN)


def test_leaving_local_processes_stops_a_task_still_running() -> None:
    with local_processes(1) as pool:
        running = pool.submit(time.sleep, 60)
        while not running.running():
            time.sleep(0.01)
    # the sleep was cut short: its process is gone, so it never returned
    assert isinstance(running.exception(timeout=0), BrokenProcessPool)


def test_leaving_local_processes_after_a_cancel_raises_in_no_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # As on Ctrl-C: the tasks waiting are cancelled here, then the block ends and stops the
    # processes. Before Python 3.12 the pool's manager thread failed a cancelled task's
    # future if it saw the processes end before the shutdown, and raised (gh-107219). A
    # busy machine widens that window; a shutdown that starts 0.2 s late stands for it.
    raised: list[str] = []
    monkeypatch.setattr(threading, "excepthook", lambda hook: raised.append(repr(hook.exc_value)))
    shutdown = ProcessPoolExecutor.shutdown

    def late_shutdown(pool: ProcessPoolExecutor, wait: bool = True, **options: bool) -> None:
        time.sleep(0.2)
        shutdown(pool, wait, **options)

    monkeypatch.setattr(ProcessPoolExecutor, "shutdown", late_shutdown)
    for _ in range(3):
        with local_processes(2) as pool:
            futures = [pool.submit(time.sleep, 60) for _ in range(6)]
            while not (futures[0].running() and futures[1].running()):
                time.sleep(0.01)
            for future in futures:
                future.cancel()
        assert all(future.done() for future in futures)
    assert raised == []


def test_dask_executor_runs_tasks_on_a_scheduler(dask_scheduler: str) -> None:
    # workers started as commands import what they run from installed packages only (not
    # from this test module): the standard library's square root
    with dask_executor(dask_scheduler) as executor:
        finished = run_tasks(math.sqrt, [4, -1, 9], executor)
    assert finished.outputs == {0: 2.0, 2: 3.0}
    assert isinstance(finished.errors[1], ValueError)  # no square root of -1


def test_dask_executor_says_when_no_scheduler_answers() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        pytest.raises(OSError, match="Timed out"),
        dask_executor(f"tcp://127.0.0.1:{port}", timeout=1),
    ):
        pass


def test_dask_executor_names_the_extra_when_dask_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    with pytest.raises(ImportError, match=r"curriculum\[distributed\]"), dask_executor("tcp://x:1"):
        pass
