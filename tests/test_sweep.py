"""curriculum.sweep: the same frame whatever runs the scenarios, progress as they finish,
Ctrl-C keeps what finished; keys that are not scenarios are an error."""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from curriculum import Catalog, NotRunError, Program, ScenarioError, Sweep, sweep
from tests.builders import SWEEP_VARY, checked
from tests.interrupts import with_ctrl_c


def test_the_frame_is_the_same_whatever_runs_it(
    tiny_sweep: Sweep, executor: Executor | None, tiny_catalog: Catalog, two_week_program: Program
) -> None:
    there = sweep(
        tiny_catalog, two_week_program, SWEEP_VARY, executor=executor, time_limit=10, progress=False
    )
    pd.testing.assert_frame_equal(
        there.frame.drop(columns="runtime"), tiny_sweep.frame.drop(columns="runtime")
    )
    for index in (1, 2, 3):
        pd.testing.assert_frame_equal(there.plan(index).sessions, tiny_sweep.plan(index).sessions)
        checked(there.result(index))


def test_numpy_values_vary_as_python_s(
    tiny_sweep: Sweep, tiny_catalog: Catalog, two_week_program: Program
) -> None:
    # np.arange, or a frame's column: every scenario was an error ("weeks must be a whole
    # number, not np.int64(2)")
    as_numpy = {key: np.array(values) for key, values in SWEEP_VARY.items()}
    there = sweep(tiny_catalog, two_week_program, as_numpy, time_limit=10, progress=False)
    pd.testing.assert_frame_equal(
        there.frame.drop(columns="runtime"), tiny_sweep.frame.drop(columns="runtime")
    )
    planned = there.frame.index[there.frame["status"] == "optimal"]
    assert len(planned) == 3
    for index in planned:
        checked(there.result(index))


def test_progress_counts_the_scenarios_as_they_finish(
    executor: Executor | None, tiny_catalog: Catalog, two_week_program: Program
) -> None:
    reports: list[tuple[int, int, int]] = []
    sweep(
        tiny_catalog,
        two_week_program,
        SWEEP_VARY,
        executor=executor,
        progress=lambda *r: reports.append(r),
    )
    # the 4 scenarios that make a programme are solved; the 2 bad ones never leave here
    assert [r[0] for r in reports] == [1, 2, 3, 4]
    assert {r[2] for r in reports} == {4}


def test_an_interrupt_returns_what_finished(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    def interrupt(finished: int, failed: int, total: int) -> None:
        raise KeyboardInterrupt  # Ctrl-C as the first scenario finishes

    stopped = sweep(tiny_catalog, two_week_program, SWEEP_VARY, progress=interrupt)
    assert stopped.interrupted
    assert list(stopped.frame["status"]) == [
        "infeasible",
        "cancelled",
        "cancelled",
        "cancelled",
        "error",
        "error",
    ]
    assert stopped.frame.loc[1, "error"] == "not run: the sweep was interrupted"
    assert str(stopped).endswith("2 failed, 3 not run (interrupted)")
    with pytest.raises(NotRunError, match="scenario 1 did not run"):
        stopped.result(1)


SIGINT_DURING_SWEEP = """
import json, os, signal, threading
from datetime import date
import curriculum as cur
program = cur.Program(start=date(2027, 1, 11), timezone="UTC",
                      balance=cur.Balance(content_share=0.7))
threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
found = cur.sweep(cur.read_catalog(), program, {"weeks": [12, 13, 14, 15]}, time_limit=8,
                  progress=False)
print(json.dumps({"interrupted": found.interrupted, "status": list(found.frame["status"]),
                  "error": list(found.frame["error"]),
                  "checked": [found.plan(i).check() for i in range(4)
                              if found.frame.loc[i, "status"] in ("optimal", "feasible")]}))
"""


def test_a_real_ctrl_c_keeps_the_best_plan_so_far_and_cancels_the_rest(tmp_path: Path) -> None:
    script = tmp_path / "sweep.py"
    script.write_text(with_ctrl_c(SIGINT_DURING_SWEEP), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["interrupted"] is True
    # a content share of 0.7 keeps the first search busy for about 6 s, past the interrupt
    # (as in test_solve's Ctrl-C test): it returns its best plan so far; the rest never run
    assert outcome["error"][0] == "interrupted (Ctrl-C): the best plan found before it"
    assert outcome["status"][0] in ("optimal", "feasible")
    assert outcome["status"][1:] == ["cancelled"] * 3
    assert outcome["checked"] == [[]]


# ------------------------------------------------------------------ not a sweep


def test_a_key_named_like_a_result_column_is_an_error(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    with pytest.raises(ScenarioError, match="key 'balance' has the name of a column"):
        sweep(tiny_catalog, two_week_program, {"balance": [{"content_share": 0.4}]})


def test_an_executor_must_be_an_executor(tiny_catalog: Catalog, two_week_program: Program) -> None:
    with pytest.raises(TypeError, match=r"Client\(address\).get_executor\(\)"):
        sweep(tiny_catalog, two_week_program, {"weeks": [1]}, executor=object())  # type: ignore[arg-type]
