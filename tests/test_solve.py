"""`solve` end to end: the bundled catalog, determinism, time limits, Ctrl-C, logging, and
the shape of `Result` and `Plan`."""

from __future__ import annotations

import _thread
import dataclasses
import json
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from ortools.sat.python import cp_model

import curriculum.cpsat.search as cpsat_search
from curriculum import (
    Balance,
    Catalog,
    InfeasibleError,
    Plan,
    Program,
    Result,
    Status,
    read_catalog,
    solve,
)
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.variables import MeetingVariables
from curriculum.inputs.catalog import bundled_catalog_path
from tests.builders import (
    PLANNED,
    THU,
    TUE,
    checked,
    make_catalog,
    make_program,
    module,
    solve_checked,
)

DEFAULT = Program(start=date(2027, 1, 11), timezone="America/Toronto")
# Hard to prove optimal (a 70 % content target the bundled catalog cannot meet every week):
# a first plan comes within about half a second, the proof takes much longer than 10 s.
HARD = dataclasses.replace(DEFAULT, balance=Balance(content_share=0.7))

SESSION_COLUMNS = ("week", "start", "end", "module", "title", "kind", "tags", "hours", "density")
WEEKLY_COLUMNS = ("week", "hours", "content_hours", "skill_hours", "intensity")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return read_catalog()


@pytest.fixture(scope="module")
def default_result(catalog: Catalog) -> Result:
    """The bundled catalog over the evidence-based default programme, solved once."""
    return solve(catalog, DEFAULT, time_limit=60, seed=0)


@pytest.fixture(scope="module")
def default_plan(default_result: Result) -> Plan:
    return checked(default_result)


# ------------------------------------------------------------------ the bundled catalog


def test_bundled_catalog_solves_to_a_proven_optimum(
    default_result: Result, default_plan: Plan, catalog: Catalog
) -> None:
    assert default_result.status is Status.OPTIMAL
    assert default_result.objective == default_result.bound
    assert default_result.gap == 0
    assert default_result.conflicts == ()
    assert not default_result.interrupted
    assert default_plan.check() == []
    sessions = default_plan.sessions
    assert len(sessions) == len(catalog)
    assert sessions["module"].is_unique
    assert set(sessions["module"]) == {m.id for m in catalog.modules}


def test_bundled_plan_keeps_the_evidence_based_caps(default_plan: Plan, catalog: Catalog) -> None:
    # a second look at the main rules, straight from the frames
    weekly = default_plan.weekly.set_index("week")
    assert list(weekly.index) == list(range(1, 13))
    assert (weekly.loc[1:4, "hours"] <= 3).all() and (weekly.loc[5:, "hours"] <= 4).all()
    assert (weekly.loc[1:4, "intensity"] <= 7).all() and (weekly.loc[5:, "intensity"] <= 10).all()
    sessions = default_plan.sessions.set_index("module")
    assert (sessions[sessions["week"] <= 4]["density"] <= 3).all()
    assert (sessions[sessions["pre_service"]]["week"] < 10).all()
    for m in catalog.modules:
        for prerequisite in m.prerequisites:
            assert sessions.loc[prerequisite, "week"] < sessions.loc[m.id, "week"]
    assert abs(weekly["hours"].sum() - catalog.total_hours) < 1e-9


@pytest.mark.parametrize("workers", [None, 2])
def test_same_inputs_and_seed_give_the_same_plan(catalog: Catalog, workers: int | None) -> None:
    runs = [solve(catalog, DEFAULT, time_limit=60, seed=3, workers=workers) for _ in range(3)]
    first = checked(runs[0]).sessions
    assert runs[0].status is Status.OPTIMAL
    for again in runs[1:]:
        assert again.status is Status.OPTIMAL
        assert again.objective == runs[0].objective
        pd.testing.assert_frame_equal(checked(again).sessions, first)


# ------------------------------------------------------------------ time limit and Ctrl-C


def test_a_tiny_time_limit_is_honoured(catalog: Catalog) -> None:
    started = time.monotonic()
    result = solve(catalog, HARD, time_limit=0.05)
    elapsed = time.monotonic() - started
    assert result.status in (Status.FEASIBLE, Status.UNKNOWN, Status.OPTIMAL)
    assert result.runtime < 0.05 + 5
    assert elapsed < 0.05 + 5
    if result.status in PLANNED:
        checked(result)
    else:
        assert result.conflicts == ()
        with pytest.raises(InfeasibleError):
            result.plan  # noqa: B018


def test_running_out_of_time_with_a_plan_is_feasible(catalog: Catalog) -> None:
    started = time.monotonic()
    result = solve(catalog, HARD, time_limit=3)
    elapsed = time.monotonic() - started
    assert elapsed < 3 + 5 and result.runtime < 3 + 5
    assert result.status is Status.FEASIBLE, str(result)
    assert result.objective is not None and result.bound is not None
    assert result.objective >= result.bound
    assert result.gap is not None and result.gap > 0
    checked(result)


def _interrupted_solve(catalog: Catalog, delay: float, time_limit: float) -> Result:
    """`solve` with Ctrl-C (as a notebook's interrupt sends it) `delay` seconds in."""
    timer = threading.Timer(delay, _thread.interrupt_main)
    started = time.monotonic()
    finished = False
    timer.start()
    try:
        result = solve(catalog, HARD, time_limit=time_limit)
        finished = True
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C escaped from solve instead of stopping the search")
    finally:
        timer.cancel()
        if not finished:
            # an orphaned search thread would still be running: let it reach its time limit
            time.sleep(max(0.0, started + time_limit + 1 - time.monotonic()))
    elapsed = time.monotonic() - started
    assert elapsed < delay + 4, f"Ctrl-C did not stop the search ({elapsed:.1f} s)"
    return result


def test_ctrl_c_stops_the_search_and_keeps_the_best_plan(catalog: Catalog) -> None:
    result = _interrupted_solve(catalog, delay=1.0, time_limit=8)
    if result.status is Status.UNKNOWN:  # a very slow machine: no plan yet after 1 s
        result = _interrupted_solve(catalog, delay=3.0, time_limit=10)
    assert result.interrupted
    assert result.status in PLANNED
    checked(result)


SIGINT_DURING_SOLVE = """
import json, os, signal, threading
from datetime import date
import curriculum as cur
program = cur.Program(start=date(2027, 1, 11), timezone="America/Toronto",
                      balance=cur.Balance(content_share=0.7))
threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()
result = cur.solve(cur.read_catalog(), program, time_limit=8)
print(json.dumps({"status": str(result.status), "interrupted": result.interrupted,
                  "runtime": result.runtime, "problems": result.plan.check()}))
"""

# After a solve, a real Ctrl-C must still raise KeyboardInterrupt.
SIGINT_AFTER_SOLVE = """
import os, signal, time
from datetime import date
import pandas as pd
import curriculum as cur
ROWS = {
    # a module longer than any meeting: the explanation re-solves to verify its suggestion
    "infeasible": [{"id": "big", "title": "Big", "kind": "content", "hours": 4}],
    # 150 modules x 40 meetings = 6000 assignment variables: a large model, warm-started
    "large": [{"id": f"m{i}", "title": f"M{i}", "kind": ("content", "skill")[i % 2],
               "hours": (0.5, 0.75, 1.0)[i % 3], "density": 1 + i % 3} for i in range(150)],
    "small": [{"id": "a", "title": "A", "kind": "content", "hours": 1}],
}[CASE]
program = cur.Program(
    start=date(2027, 1, 11), weeks=20, ramp=cur.Ramp(weeks=0), duties=cur.Duties(None),
    ongoing=None, load=cur.Load(6, 40),
    meetings=(cur.Meeting("tue", "18:00", 3), cur.Meeting("thu", "18:00", 3)))
cur.solve(cur.Catalog.from_frame(pd.DataFrame(ROWS)), program, time_limit=5)
try:
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(2)
except KeyboardInterrupt:
    print("KeyboardInterrupt")
"""


def _run_script(tmp_path: Path, text: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(text, encoding="utf-8")
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)


def test_a_real_sigint_stops_the_search_in_a_subprocess(tmp_path: Path) -> None:
    done = _run_script(tmp_path, SIGINT_DURING_SOLVE)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["interrupted"] is True
    assert outcome["runtime"] < 1.0 + 4
    assert outcome["status"] in ("feasible", "optimal")
    assert outcome["problems"] == []


@pytest.mark.parametrize(
    "case",
    [
        "small",
        "infeasible",
        "large",
    ],
)
def test_a_real_sigint_after_solve_is_still_a_keyboard_interrupt(tmp_path: Path, case: str) -> None:
    done = _run_script(tmp_path, f"CASE = {case!r}\n" + SIGINT_AFTER_SOLVE)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    assert done.stdout.strip() == "KeyboardInterrupt"


def _fake_interrupt(solved: bool) -> Any:
    """`solve_interruptibly` as if Ctrl-C came (after a plan was found, or before any)."""
    original = cpsat_search.solve_interruptibly

    def solve_interruptibly(solver: cp_model.CpSolver, model: cp_model.CpModel) -> Any:
        outcome = list(original(solver, model))  # (status, interrupted, ...)
        if not solved:
            outcome[0] = cp_model.UNKNOWN
        outcome[1] = True
        return tuple(outcome)

    return solve_interruptibly


def test_the_interrupted_flag_reaches_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=True))
    catalog = make_catalog(module("a"), module("b", "skill"))
    result = solve_checked(catalog, make_program(1))
    assert result.interrupted


def test_interrupted_before_any_plan_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    monkeypatch.setattr(cpsat_search, "add_warm_start", lambda plan_model, time_limit: None)
    catalog = make_catalog(module("a"), module("b", "skill"))
    result = solve(catalog, make_program(1))
    assert result.status is Status.UNKNOWN
    assert result.interrupted
    assert result.conflicts == ()


def test_interrupted_search_still_returns_the_greedy_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cpsat_search, "solve_interruptibly", _fake_interrupt(solved=False))
    catalog = make_catalog(module("a"), module("b", "skill"))
    result = solve_checked(catalog, make_program(1))
    assert result.status is Status.FEASIBLE
    assert result.interrupted


# ------------------------------------------------------------------ objective


def test_the_objective_is_a_function_of_the_plan() -> None:
    catalog = make_catalog(module("a"), module("b", "skill"), module("c"), module("d", "skill"))
    program = make_program(2)
    result = solve_checked(catalog, program)
    assert result.objective == 0
    weeks = dict(zip(result.plan.sessions["module"], result.plan.sessions["meeting"]))
    # the same plan, fixed, with the objective pushed up instead of down
    plan_model = PlanModel(catalog, program)
    variables = plan_model.variables
    assert isinstance(variables, MeetingVariables)
    for (m, s), var in variables.x.items():
        plan_model.model.add(var == int(weeks[catalog.modules[m].id] == s))
    plan_model.model.maximize(plan_model.objective.expression())
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False
    solver.parameters.num_workers = 1
    assert solver.solve(plan_model.model) == cp_model.OPTIMAL
    assert solver.objective_value / plan_model.objective.scale == result.objective


# ------------------------------------------------------------------ log


def test_log_prints_the_solver_progress(capfd: pytest.CaptureFixture[str]) -> None:
    catalog = make_catalog(module("a"), module("b", "skill"))
    solve_checked(catalog, make_program(1))
    quiet = capfd.readouterr()
    assert quiet.out == "" and quiet.err == ""
    solve_checked(catalog, make_program(1), log=True)
    shown = capfd.readouterr()
    text = shown.out + shown.err
    assert "CP-SAT" in text
    assert "OPTIMAL" in text


# ------------------------------------------------------------------ Result and Plan API


def test_no_plan_raises_infeasible_error_with_the_conflicts() -> None:
    # a 3 h module and 2 h meetings
    catalog = make_catalog(module("big", hours=3), module("b", "skill"))
    result = solve_checked(catalog, make_program(2))
    assert result.status is Status.INFEASIBLE
    assert result.objective is None and result.bound is None
    assert result.goals == {}
    assert result.conflicts
    with pytest.raises(InfeasibleError) as raised:
        result.plan  # noqa: B018
    assert isinstance(raised.value, ValueError)
    assert raised.value.conflicts == result.conflicts
    assert "big" in str(raised.value)
    assert "infeasible" in str(result)


def test_sessions_and_weekly_columns(default_plan: Plan) -> None:
    sessions = default_plan.sessions
    assert set(SESSION_COLUMNS) <= set(sessions.columns)
    assert "facilitator" in sessions.columns
    assert sessions["week"].dtype.kind == "i"
    assert sessions["hours"].dtype.kind == "f"
    assert sessions["density"].dtype.kind == "i"
    for column in ("start", "end"):
        assert isinstance(sessions[column].dtype, pd.DatetimeTZDtype)
        assert str(sessions[column].dt.tz) == "America/Toronto"
    assert ((sessions["end"] - sessions["start"]) == pd.to_timedelta(sessions["hours"], "h")).all()
    assert set(sessions["kind"]) == {"content", "skill"}
    assert sessions["tags"].map(type).eq(str).all()
    weekly = default_plan.weekly
    assert set(WEEKLY_COLUMNS) <= set(weekly.columns)
    assert list(weekly["week"]) == list(range(1, 13))
    assert (weekly["hours"] == weekly["content_hours"] + weekly["skill_hours"]).all()
    by_week = sessions.groupby("week")["hours"].sum()
    assert by_week.to_dict() == weekly.set_index("week")["hours"][by_week.index].to_dict()


def test_times_are_local_wall_clock_across_daylight_saving(default_plan: Plan) -> None:
    # Toronto moves to daylight time on 2027-03-14: meetings stay at 18:00 local, the
    # UTC offset goes from -5 to -4 hours.
    sessions = default_plan.sessions
    starts = sessions.groupby(sessions["start"].dt.date)["start"].min()
    assert (starts.dt.strftime("%H:%M") == "18:00").all()
    offsets = {s.utcoffset().total_seconds() / 3600 for s in sessions["start"]}
    assert offsets == {-5.0, -4.0}
    assert set(sessions["start"].dt.strftime("%a")) <= {"Tue", "Thu"}


def test_extra_catalog_columns_and_facilitator_pass_through() -> None:
    rows = [
        module("a", facilitator="Nurse", room="Lab 1", cost=120),
        module("b", "skill", facilitator="", room="Hall", cost=80),
    ]
    catalog = make_catalog(*rows)
    result = solve_checked(catalog, make_program(1, (TUE, THU)))
    sessions = result.plan.sessions.set_index("module")
    assert sessions.loc["a", "room"] == "Lab 1" and sessions.loc["b", "room"] == "Hall"
    assert str(sessions.loc["a", "cost"]) == "120"
    assert sessions.loc["a", "facilitator"] == "Nurse"
    assert sessions.loc["b", "facilitator"] == ""
    assert sessions.loc["a", "title"] == "A"


def test_bundled_catalog_file_is_the_one_solved(catalog: Catalog) -> None:
    assert Path(catalog.source) == bundled_catalog_path()
