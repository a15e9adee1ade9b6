"""Independent tasks run in this process or on any `concurrent.futures.Executor` (a
`ProcessPoolExecutor`, or Dask's ``Client(...).get_executor()``), the same way.

A task that fails is recorded with its exception, never a lost run; progress is reported
as tasks finish; Ctrl-C cancels what has not started and returns what finished. The
function and its inputs travel to the workers by pickle: give a module-level function of
an installed package (worker processes import it), and inputs as plain data (a CP-SAT
model cannot be pickled: build it inside the task).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Item = TypeVar("Item")
Output = TypeVar("Output")
Progress = Callable[[int, int, int], None]  # (finished, failed, total), after each task
HOLDS_SIGNALS = hasattr(signal, "pthread_sigmask")  # POSIX


@dataclass
class Finished(Generic[Output]):
    """What came back: each task's output or exception by its position in the inputs, and
    whether Ctrl-C (or `stop`) ended the run early (then some tasks are in neither)."""

    outputs: dict[int, Output] = field(default_factory=dict)
    errors: dict[int, Exception] = field(default_factory=dict)
    interrupted: bool = False

    @property
    def count(self) -> int:
        """How many tasks finished, well or not."""
        return len(self.outputs) + len(self.errors)


def run_tasks(
    function: Callable[[Item], Output],
    items: Sequence[Item],
    executor: Executor | None = None,
    *,
    progress: Progress | None = None,
    stop: Callable[[Output], bool] | None = None,
) -> Finished[Output]:
    """Call `function` on every item, here or on the executor.

    Parameters
    ----------
    function
        A module-level function (it is pickled by name for the workers).
    items
        Its inputs, one task each.
    executor
        Any `concurrent.futures.Executor`; None runs the tasks one after another here.
    progress
        Called with (finished, failed, total) as each task finishes, in this thread.
    stop
        An output for which the run stops as if interrupted (e.g. a solve that Ctrl-C
        stopped early: it keeps its best plan, the tasks after it do not run).

    Returns
    -------
    Finished
        Outputs and exceptions by position; `interrupted` when Ctrl-C or `stop` ended it.
    """
    finished: Finished[Output] = Finished()

    def record(index: int, output: Output | None, error: Exception | None) -> bool:
        """Keep one task's outcome and report progress; whether to stop."""
        if error is not None:
            finished.errors[index] = error
        else:
            finished.outputs[index] = output  # type: ignore[assignment]
        if progress is not None:
            progress(finished.count, len(finished.errors), len(items))
        return error is None and stop is not None and stop(output)  # type: ignore[arg-type]

    if executor is None:
        finished.interrupted = _run_here(function, items, record)
    else:
        finished.interrupted = _run_on(executor, function, items, record)
    return finished


Record = Callable[[int, Any, Exception | None], bool]  # keep an outcome; whether to stop


def _run_here(function: Callable[[Item], Output], items: Sequence[Item], record: Record) -> bool:
    """One after another in this process; True when interrupted."""
    try:
        for index, item in enumerate(items):
            try:
                output = function(item)
            except Exception as exc:
                record(index, None, exc)
                continue
            if record(index, output, None):
                return True
    except KeyboardInterrupt:
        return True
    return False


def _run_on(
    executor: Executor, function: Callable[[Item], Output], items: Sequence[Item], record: Record
) -> bool:
    """All at once on the executor, collected as they finish; True when interrupted."""
    pending: dict[Future[Output], int] = {}
    try:
        for index, item in enumerate(items):
            try:
                pending[executor.submit(function, item)] = index
            except Exception as exc:  # e.g. a broken pool: this task fails, not the run
                record(index, None, exc)
        for future in as_completed(list(pending)):
            index = pending.pop(future)  # dropped once read: a worker may free its copy
            if _record_future(future, index, record):
                _cancel(pending, record)
                return True
    except KeyboardInterrupt:
        _cancel(pending, record)
        return True
    return False


def _record_future(future: Future[Output], index: int, record: Record) -> bool:
    try:
        output = future.result()
    except Exception as exc:  # the task's own error, a dead worker, a broken pool
        return record(index, None, exc)
    return record(index, output, None)


def _cancel(pending: dict[Future[Output], int], record: Record) -> None:
    """Cancel every task still pending; keep those that finished meanwhile."""
    for future in pending:
        future.cancel()  # a running Dask task is only forgotten; its worker finishes it
    for future, index in pending.items():
        if future.done() and not future.cancelled():
            _record_future(future, index, record)


@contextmanager
def local_processes(workers: int) -> Iterator[ProcessPoolExecutor]:
    """Local worker processes, started fresh ("spawn", as on every platform), that leave
    Ctrl-C to this process; on leaving, any task still running (after an interrupt) is
    stopped with its process.

    Parameters
    ----------
    workers
        How many processes.
    """
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=ignore_interrupts,
    )
    with _interrupts_held():  # a Ctrl-C while a worker starts waits for its initializer
        for _ in range(workers):
            pool.submit(int)  # each submit starts a process while none is free
    try:
        yield pool
    finally:
        _stop(pool)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel the tasks waiting, stop those running with their processes, and return once
    the pool is down.

    The pool's own shutdown cancels what waits before the processes stop, so its manager
    thread drops those tasks first. Tasks cancelled only from this thread (as `run_tasks`
    does on Ctrl-C), and still held when the pool saw its processes end, made that thread
    raise InvalidStateError before Python 3.12 (gh-107219): a traceback after Ctrl-C.
    Python 3.14's `terminate_workers` keeps this order; before it, the processes and the
    manager thread are reachable only as private attributes."""
    manager = getattr(pool, "_executor_manager_thread", None)
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if terminate is not None:
        terminate()
    else:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()  # the pool sees it and fails what was running
    if manager is not None:
        manager.join()  # the tasks stopped now hold their BrokenProcessPool


def ignore_interrupts() -> None:
    """In a worker process: Ctrl-C at the terminal is for the process that waits on it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if HOLDS_SIGNALS:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # one held back: dropped


@contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back from this thread, and from the processes it starts (they inherit
    the mask), until the block ends; then it arrives. Where signals cannot be held
    (Windows), nothing changes."""
    if not HOLDS_SIGNALS or threading.current_thread() is not threading.main_thread():
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


@contextmanager
def dask_executor(address: str, *, timeout: float = 10.0) -> Iterator[Executor]:
    """An executor on a running Dask scheduler (``tcp://host:8786``), for as long as the
    block lasts.

    Raises
    ------
    ImportError
        When Dask distributed is not installed (it is the `distributed` extra).
    OSError, ValueError
        When the scheduler cannot be reached in `timeout` seconds, or the address is not
        one.
    """
    try:
        import distributed  # optional: the `distributed` extra
    except ImportError:
        raise ImportError(
            "a Dask scheduler needs Dask distributed: pip install 'curriculum[distributed]'"
        ) from None
    with distributed.Client(address, timeout=timeout) as client:  # type: ignore[no-untyped-call]
        # pure=False: every task runs, even two with equal inputs, and none is hashed
        yield client.get_executor(pure=False)
