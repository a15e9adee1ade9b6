"""Errors: every user mistake is a ValueError that lists each problem with where it is."""

from __future__ import annotations

import pickle

import pytest

from curriculum.errors import (
    CatalogError,
    InfeasibleError,
    InputError,
    PlanFileError,
    Problem,
    ProgramError,
)


def test_errors_are_value_errors() -> None:
    assert issubclass(ProgramError, ValueError)
    assert issubclass(CatalogError, ValueError)


@pytest.mark.parametrize("kind", [CatalogError, ProgramError, PlanFileError])
def test_bad_input_errors_are_input_errors(kind: type[InputError]) -> None:
    assert issubclass(kind, InputError)
    assert not issubclass(InfeasibleError, InputError)  # no plan is not a bad input


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (Problem("plan.csv", "no modules"), "plan.csv: no modules"),
        (Problem("a.csv", "bad", line=3), "a.csv, line 3: bad"),
        (Problem("a.csv", "bad", line=3, column="hours"), "a.csv, line 3, column 'hours': bad"),
        (Problem("<DataFrame>", "bad", line=2, line_label="row"), "<DataFrame>, row 2: bad"),
        (Problem("<Ramp>", "m", column="weeks", column_label="key"), "<Ramp>, key 'weeks': m"),
    ],
)
def test_a_problem_says_where_it_is(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_an_input_error_lists_every_problem_under_a_count() -> None:
    one, two = Problem("a.csv", "first", line=2), Problem("a.csv", "second", line=5)
    assert str(CatalogError([one])) == "1 problem found:\n  a.csv, line 2: first"
    error = ProgramError([one, two])
    assert error.problems == (one, two)
    assert str(error) == ("2 problems found:\n  a.csv, line 2: first\n  a.csv, line 5: second")


def test_infeasible_error_lists_the_conflicts() -> None:
    error = InfeasibleError(["weeks 1-2 allow 4 hours", "'a' must come before 'b'"])
    assert error.conflicts == ("weeks 1-2 allow 4 hours", "'a' must come before 'b'")
    assert str(error) == (
        "No plan satisfies every rule:\n  - weeks 1-2 allow 4 hours\n  - 'a' must come before 'b'"
    )
    assert str(InfeasibleError([])).endswith("(no explanation found)")


@pytest.mark.parametrize("kind", [CatalogError, ProgramError, PlanFileError])
def test_an_input_error_comes_back_whole_from_another_process(kind: type[InputError]) -> None:
    # sweeps send errors back from worker processes with pickle
    problems = [Problem("p.toml", "weeks must be positive", line=2, column="weeks")]
    error = kind(problems)
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is kind
    assert again.problems == tuple(problems)
    assert (
        str(again) == "1 problem found:\n  p.toml, line 2, column 'weeks': weeks must be positive"
    )


def test_an_infeasible_error_comes_back_whole_from_another_process() -> None:
    again = pickle.loads(pickle.dumps(InfeasibleError(["too many hours"])))
    assert again.conflicts == ("too many hours",)
    assert str(again) == "No plan satisfies every rule:\n  - too many hours"
