"""Named fixtures shared across the test modules: the tiny instances, the bundled catalog
over the evidence-based default programme (solved once per session), and the hand-made
valid plan the checker tests break.

The builders they use are plain functions in `tests/builders.py`. Every plan a fixture
produces has passed the independent checker (`solve_checked`).
"""

from __future__ import annotations

import pytest

from curriculum import Catalog, Plan, Program, Result, read_catalog
from tests.builders import (
    DEFAULT_PROGRAM,
    THU,
    TUE,
    make_catalog,
    make_program,
    module,
    solve_checked,
)

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
