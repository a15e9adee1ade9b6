"""The fuzz suite: generated catalogs, programmes, raw bytes and tampered plans. Each
property: the input is refused with its documented error type (naming the file), or it
gives a plan that passes `check()` (or an explained "no plan"). Fixed seeds
(`derandomize`) and budgets that keep the suite to about a minute."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from curriculum import (
    CatalogError,
    Duties,
    InputError,
    PlanFileError,
    ProgramError,
    Result,
    Status,
    read_catalog,
    read_plan,
    read_program,
    solve,
)
from curriculum.inputs.catalog import bundled_catalog_path
from curriculum.solve import EXPLANATION_CUT
from tests.builders import PLANNED, TEST_DATA, THU, TUE, checked, make_catalog, make_program, module
from tests.strategies import catalogs, csv_rows, damaged, junk, programmes, toml_text

CHEAP = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
SOLVING = settings(CHEAP, max_examples=60)
SMALL_CATALOG = make_catalog(
    module("listen", hours=1.0),
    module("practice", "skill", hours=0.5, prerequisites="listen"),
    module("boundaries", hours=0.75, density=3),
)
FIRST_WEEKS = make_program(2, (TUE, THU))


def planned_or_explained(result: Result) -> None:
    """A plan that passes the checker, or no plan with its reasons (or the time ran out)."""
    if result.status in PLANNED:
        event("plan")
        checked(result)
    elif result.status is Status.INFEASIBLE:
        event("no plan")
        assert result.conflicts or EXPLANATION_CUT in result.warnings
    else:
        event(result.status.value)


def refused_in(error: InputError, path: Path) -> None:
    """The documented error, naming the file in every problem."""
    event(type(error).__name__)
    assert error.problems
    assert all(problem.file.startswith(str(path)) for problem in error.problems), str(error)


# ------------------------------------------------------------------ raw bytes

CATALOG_BYTES = bundled_catalog_path().read_bytes()
PROGRAMME_BYTES = (TEST_DATA / "program" / "full.toml").read_bytes()


READERS = {
    "modules.csv": (read_catalog, CatalogError, CATALOG_BYTES),
    "programme.toml": (read_program, ProgramError, PROGRAMME_BYTES),
}


@pytest.mark.parametrize("name", list(READERS))
@CHEAP
@given(data=st.data())
def test_any_bytes_as_a_catalog_or_programme(
    tmp_path: Path, name: str, data: st.DataObject
) -> None:
    read, error_type, good = READERS[name]
    path = tmp_path / name
    path.write_bytes(data.draw(st.binary(max_size=400) | damaged(good)))
    try:
        read(path)  # type: ignore[operator]
    except error_type as error:  # type: ignore[misc]
        refused_in(error, path)
    else:
        event("read")


@pytest.fixture(scope="module")
def plan_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A small plan (checked) as CSV and as .ics."""
    result = solve(SMALL_CATALOG, FIRST_WEEKS, time_limit=10)
    plan = checked(result)
    return {".csv": plan.to_csv().encode("utf-8"), ".ics": plan.to_ics()}


@CHEAP
@given(suffix=st.sampled_from([".csv", ".ics"]), data=st.data())
def test_any_damage_to_a_plan_file(
    tmp_path: Path, plan_files: dict[str, bytes], suffix: str, data: st.DataObject
) -> None:
    path = tmp_path / f"plan{suffix}"
    path.write_bytes(data.draw(damaged(plan_files[suffix])))
    try:
        plan = read_plan(path)
    except PlanFileError as error:
        refused_in(error, path)
    else:
        event("plan file")
        assert all(isinstance(problem, str) for problem in plan.check())


# ------------------------------------------------------------------ generated inputs


@SOLVING
@given(table=programmes())
def test_generated_programmes_plan_or_are_refused(tmp_path: Path, table: dict[str, object]) -> None:
    path = tmp_path / "programme.toml"
    path.write_text(toml_text(table), encoding="utf-8")
    try:
        program = read_program(path)
    except ProgramError as error:
        refused_in(error, path)
        return
    try:
        result = solve(SMALL_CATALOG, program, time_limit=3)
    except (CatalogError, ProgramError) as error:  # the two do not fit together
        event(f"together: {type(error).__name__}")
        return
    planned_or_explained(result)


@SOLVING
@given(rows=catalogs(), weeks=st.integers(1, 3), duties=st.sampled_from([None, 2, 3]))
def test_plausible_catalogs_plan_or_explain_why_not(
    rows: list[dict[str, object]], weeks: int, duties: int | None
) -> None:
    catalog = make_catalog(*rows)
    program = make_program(weeks, (TUE, THU), duties=Duties(min(duties, weeks)) if duties else None)
    planned_or_explained(solve(catalog, program, time_limit=3))


@SOLVING
@given(table=csv_rows())
def test_generated_catalogs_plan_or_are_refused(
    tmp_path: Path, table: tuple[list[str], list[list[str]]]
) -> None:
    header, rows = table
    path = tmp_path / "modules.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    try:
        catalog = read_catalog(path)
    except CatalogError as error:
        refused_in(error, path)
        return
    planned_or_explained(solve(catalog, FIRST_WEEKS, time_limit=3))


@SOLVING
@given(data=st.data())
def test_tampered_plans_are_checked_or_refused_and_replan(
    tmp_path: Path, plan_files: dict[str, bytes], data: st.DataObject
) -> None:
    # a spreadsheet user changes a few cells of the plan's CSV to anything at all
    rows = list(csv.reader(io.StringIO(plan_files[".csv"].decode("utf-8"))))
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.integers(1, len(rows) - 1))
        column = data.draw(st.integers(0, len(rows[0]) - 1))
        rows[row][column] = data.draw(junk)
    path = tmp_path / "plan.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    try:
        previous = read_plan(path)
    except PlanFileError as error:
        refused_in(error, path)
        return
    assert all(isinstance(problem, str) for problem in previous.check())
    try:
        result = solve(
            SMALL_CATALOG,
            FIRST_WEEKS,
            previous=previous,
            freeze_before=date(2027, 1, 15),
            time_limit=3,
        )
    except InputError as error:  # e.g. sessions held before week 1
        event(f"replan: {type(error).__name__}")
        return
    planned_or_explained(result)


def test_the_undamaged_plan_files_read_back_clean(
    tmp_path: Path, plan_files: dict[str, bytes]
) -> None:
    # so that what the fuzzing above finds is the damage, not the files
    for suffix, data in plan_files.items():
        path = tmp_path / f"plan{suffix}"
        path.write_bytes(data)
        plan = read_plan(path)
        assert plan.check() == []
        assert sorted(plan.sessions["module"]) == sorted(m.id for m in SMALL_CATALOG.modules)
