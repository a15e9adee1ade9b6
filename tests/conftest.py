"""Named fixtures shared across the test modules: the tiny instances, the bundled catalog
over the evidence-based default programme, and the re-planning scenario, each solved once
per session and reused by every module that needs it; the ways to run tasks (this process,
local processes, Dask clusters started for the session).

The builders they use are plain functions in `tests/builders.py`; the calendar tests have
their own fixtures in `tests/export/ics/conftest.py`. Every plan a fixture produces has
passed the independent checker (`solve_checked`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from concurrent.futures import Executor
from datetime import date

import distributed
import pytest

from curriculum import Catalog, Duties, Plan, Program, Result, Sweep, read_catalog, sweep
from curriculum.parallel import local_processes
from tests.builders import (
    AWAY,
    DEFAULT_PROGRAM,
    FREEZE,
    HOLIDAY,
    SWEEP_VARY,
    THU,
    TRAINER,
    TUE,
    make_catalog,
    make_program,
    module,
    solve_checked,
)
from tests.clusters import command_cluster, local_cluster

# ------------------------------------------------------------------ tiny instances


@pytest.fixture(scope="session")
def tiny_catalog() -> Catalog:
    """A 1 h content block 'a' and a 1 h skill block 'b' (density 2)."""
    return make_catalog(module("a"), module("b", "skill"))


@pytest.fixture(scope="session")
def one_week_program() -> Program:
    """One week from Mon 2027-01-11 (UTC): a 2 h meeting on Tuesday at 18:00, caps 4 h and
    intensity 10, no ramp, no duties."""
    return make_program(1)


@pytest.fixture(scope="session")
def two_week_program() -> Program:
    """Two weeks from Mon 2027-01-11 (UTC), 2 h meetings on Tuesday and Thursday at 18:00,
    caps 4 h and intensity 10, no ramp, no duties."""
    return make_program(2, (TUE, THU))


# ------------------------------------------------------------------ the bundled catalog


@pytest.fixture(scope="session")
def bundled_catalog() -> Catalog:
    """The evidence-based catalog shipped with the package."""
    return read_catalog()


@pytest.fixture(scope="session")
def default_program() -> Program:
    """The evidence-based default programme: 12 weeks from Mon 2027-01-11 in Toronto
    (daylight time from Sun 2027-03-14), Tue/Thu 18:00-20:00."""
    return DEFAULT_PROGRAM


@pytest.fixture(scope="session")
def default_result(bundled_catalog: Catalog, default_program: Program) -> Result:
    """The bundled catalog over the default programme, solved once for the whole session
    (seed 0) and checked."""
    return solve_checked(bundled_catalog, default_program, time_limit=60, seed=0)


@pytest.fixture(scope="session")
def default_plan(default_result: Result) -> Plan:
    """The plan of `default_result` (already through the independent checker)."""
    return default_result.plan


@pytest.fixture(scope="session")
def impossible_result(bundled_catalog: Catalog, default_program: Program) -> Result:
    """The tour's impossible programme: the default one with duties from week 4 (too soon
    for the pre-service modules under the ramp), solved and explained once."""
    program = dataclasses.replace(default_program, duties=Duties(start_week=4))
    return solve_checked(bundled_catalog, program, time_limit=60)  # ends once explained


# ------------------------------------------------------------------ re-planning


@pytest.fixture(scope="session")
def published_program(default_program: Program) -> Program:
    """The default programme with a location, as first published."""
    return dataclasses.replace(default_program, location="Room 2")


@pytest.fixture(scope="session")
def published_plan(bundled_catalog: Catalog, published_program: Program) -> Plan:
    """The bundled catalog's plan as first published (checked)."""
    return solve_checked(bundled_catalog, published_program).plan


@pytest.fixture(scope="session")
def changed_program(published_program: Program) -> Program:
    """After publication: a holiday on Tue 2027-02-16 and the peer trainer away in week 7."""
    return dataclasses.replace(published_program, holidays=(HOLIDAY,), facilitators={TRAINER: AWAY})


@pytest.fixture(scope="session")
def replanned_result(
    bundled_catalog: Catalog, changed_program: Program, published_plan: Plan
) -> Result:
    """The changed programme re-planned from the published plan, frozen before week 5."""
    return solve_checked(
        bundled_catalog, changed_program, previous=published_plan, freeze_before=FREEZE
    )


@pytest.fixture(scope="session")
def replan_after_a_holiday(bundled_catalog: Catalog, default_plan: Plan) -> Result:
    """The default plan re-planned from Mon 2027-03-15 (week 10) after Tue 2027-03-16 and
    Tue 2027-03-23 became holidays: too little meeting time is left, so no plan (explained
    once)."""
    program = dataclasses.replace(
        default_plan.program, holidays=(date(2027, 3, 16), date(2027, 3, 23))
    )
    return solve_checked(
        bundled_catalog,
        program,
        previous=default_plan,
        freeze_before=date(2027, 3, 15),
        time_limit=60,  # ends once explained
    )


# ------------------------------------------------------------------ sweeps


@pytest.fixture(scope="session")
def tiny_sweep(tiny_catalog: Catalog, two_week_program: Program) -> Sweep:
    """The tiny catalog over the two-week programme with `SWEEP_VARY` (1, 2 or 0 weeks x a
    cap of 1 or 2 hours: the six scenarios described in tests/builders.py), solved in this
    process."""
    return sweep(tiny_catalog, two_week_program, SWEEP_VARY, time_limit=10, progress=False)


# ------------------------------------------------------------------ Dask clusters


@pytest.fixture(scope="session")
def dask_client() -> Iterator[distributed.Client]:
    """A client of a Dask LocalCluster of 2 worker processes (1 thread each) on 127.0.0.1,
    started for the session and closed after it."""
    with local_cluster() as client:
        yield client


@pytest.fixture(params=["here", "processes", "dask"])
def executor(request: pytest.FixtureRequest) -> Iterator[Executor | None]:
    """Each way to run tasks: None (this process), 2 local worker processes, or the
    session's Dask LocalCluster."""
    if request.param == "here":
        yield None
    elif request.param == "processes":
        with local_processes(2) as pool:
            yield pool
    else:
        client: distributed.Client = request.getfixturevalue("dask_client")
        yield client.get_executor(pure=False)


@pytest.fixture(scope="session")
def dask_scheduler() -> Iterator[str]:
    """The address of a real `dask scheduler` with a `dask worker` of 2 processes, both
    started as commands on 127.0.0.1 for the session and stopped after it."""
    with command_cluster() as address:
        yield address
