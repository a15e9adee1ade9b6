"""A catalog built in Python validates itself like one read from a file."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

import curriculum as cur


def test_a_hand_built_catalog_reports_every_problem_by_row() -> None:
    modules = (
        cur.Module("a", "A", "bogus", -1, prerequisites=("zz",)),  # type: ignore[arg-type]
        cur.Module("a", "Again", "skill", 1.3),
    )
    with pytest.raises(cur.CatalogError) as error:
        cur.Catalog(modules)
    text = str(error.value)
    assert "row 1, column 'kind'" in text
    assert "row 1, column 'hours'" in text
    assert "unknown prerequisite 'zz'" in text
    assert "row 2, column 'id': duplicate id 'a'" in text
    assert "row 2, column 'hours': hours 1.3 is not a multiple of 0.25" in text


def test_replacing_modules_validates_again() -> None:
    catalog = cur.read_catalog()
    broken = dataclasses.replace(catalog.modules[0], density=9)
    with pytest.raises(cur.CatalogError, match="density '9'"):
        dataclasses.replace(catalog, modules=(broken, *catalog.modules[1:]))


def test_a_valid_hand_built_catalog_solves_and_checks() -> None:
    catalog = cur.Catalog(
        (
            cur.Module("intro", "Intro", "content", 1.0, density=1),
            cur.Module("drill", "Drill", "skill", 1.0, density=2, prerequisites=("intro",)),
        )
    )
    program = cur.Program(
        start=date(2027, 1, 11), weeks=2, ramp=cur.Ramp(weeks=0), duties=cur.Duties(start_week=None)
    )
    plan = cur.solve(catalog, program).plan
    assert plan.check() == []
    weeks = plan.sessions.set_index("module")["week"]
    assert weeks["drill"] > weeks["intro"]
