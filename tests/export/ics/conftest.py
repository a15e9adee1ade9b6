"""Fixtures of the .ics tests: the Toronto plan across daylight saving time and its
calendar, and the hostile catalog's plan (see `calendars.py` for both programmes)."""

from __future__ import annotations

import pandas as pd
import pytest

from curriculum import Catalog, Plan, Program
from tests.builders import solve_checked
from tests.export.ics.calendars import DESCRIPTION, FACILITATOR, HOSTILE, TAGS, TITLE, TORONTO


@pytest.fixture(scope="session")
def toronto_program() -> Program:
    """12 weeks from Mon 2027-02-15 in Toronto, across the change to daylight time."""
    return TORONTO


@pytest.fixture(scope="session")
def toronto_plan(bundled_catalog: Catalog, toronto_program: Program) -> Plan:
    """The bundled catalog over the Toronto programme (checked)."""
    return solve_checked(bundled_catalog, toronto_program).plan


@pytest.fixture(scope="session")
def toronto_ics(toronto_plan: Plan) -> bytes:
    """The Toronto plan's calendar."""
    return toronto_plan.to_ics()


@pytest.fixture(scope="session")
def hostile_catalog() -> Catalog:
    """Four modules whose every free-text field tries to break a calendar."""
    rows = [
        ("hostile", TITLE, "content", 1.0, TAGS, 2, FACILITATOR, DESCRIPTION),
        ("nobody", "Practice, no facilitator", "skill", 1.0, "practice", 2, "", ""),
        ("calm", "Calm module", "content", 1.0, "", 1, "Peer trainer", "Plain."),
        ("hostile-skill", "Skill; with \\ text", "skill", 1.5, "x", 2, FACILITATOR, "Ok"),
    ]
    columns = ["id", "title", "kind", "hours", "tags", "density", "facilitator", "description"]
    return Catalog.from_frame(pd.DataFrame(rows, columns=columns))


@pytest.fixture(scope="session")
def hostile_plan(hostile_catalog: Catalog) -> Plan:
    """The hostile catalog over 5 weeks in Berlin, across the change to summer time."""
    return solve_checked(hostile_catalog, HOSTILE).plan
