"""Cohorts built in Python (inputs/cohorts.py): wrong types and clashing names are
`CohortsError`s naming the key; the shared facilitators' days reach each programme."""

from __future__ import annotations

from datetime import date

import pytest

from curriculum.errors import CohortsError
from curriculum.inputs.cohorts import Cohort, Cohorts, SharedFacilitator
from tests.builders import make_catalog, make_program, module

CATALOG = make_catalog(module("a", facilitator="Sam Lee"), module("b", "skill"))


def two(**changes: object) -> dict[str, object]:
    cohorts = (Cohort("One", CATALOG, make_program(2)), Cohort("Two", CATALOG, make_program(2)))
    return {"cohorts": cohorts, **changes}


@pytest.mark.parametrize(
    ("arguments", "key", "words"),
    [
        (two(cohorts=()), "cohort", "there are no cohorts"),
        (two(cohorts=(5,)), "cohort[1]", "expected a Cohort, not 5"),
        (two(cohorts=(Cohort("One", "catalog", make_program(2)),)), "cohort[1]", "needs a Catalog"),  # type: ignore[arg-type]
        (two(facilitators={"Sam Lee": 4}), 'facilitators."Sam Lee"', "a SharedFacilitator"),
        (
            two(facilitators={"Sam Leigh": SharedFacilitator(4)}),
            'facilitators."Sam Leigh"',
            "did you mean 'Sam Lee'?",
        ),
        (two(joint=("a", 5)), "joint.modules", "module ids"),
        (two(joint=("zz",)), "joint.modules", "no cohort has it"),
        (
            two(
                cohorts=(
                    Cohort("One", CATALOG, make_program(2)),
                    Cohort("one", CATALOG, make_program(2)),
                )
            ),
            "cohort[2].name",
            "also cohort 1's",
        ),
        (  # names apart, but not their calendar UIDs (lower-case ASCII, '-' between words)
            two(
                cohorts=(
                    Cohort("Cohort A", CATALOG, make_program(2)),
                    Cohort("Cohort-A!", CATALOG, make_program(2)),
                )
            ),
            "cohort[2].name",
            "gives the calendar UIDs of cohort 1 ('cohort-a.<module>@...')",
        ),
        (
            two(
                cohorts=(
                    Cohort("One", CATALOG, make_program(2)),
                    Cohort("Two", CATALOG, make_program(2, id="one")),
                )
            ),
            "cohort[2].program",
            "its programme's id 'one' gives the calendar UIDs of cohort 1",
        ),
    ],
)
def test_wrong_cohorts_are_named(arguments: dict[str, object], key: str, words: str) -> None:
    with pytest.raises(CohortsError) as info:
        Cohorts(**arguments)  # type: ignore[arg-type]
    assert [p.column for p in info.value.problems] == [key]
    assert words in info.value.problems[0].message


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"max_hours_per_week": float("nan")}, "from 0 to 168, not nan"),
        ({"max_hours_per_week": "4"}, "not '4'"),
        ({"unavailable": "2027-03-09"}, "a list of dates"),
    ],
)
def test_a_shared_facilitator_checks_its_values(arguments: dict[str, object], words: str) -> None:
    with pytest.raises(CohortsError, match=words):
        SharedFacilitator(**arguments)  # type: ignore[arg-type]


def test_shared_days_away_reach_every_cohort_whose_catalog_names_the_person() -> None:
    other = make_catalog(module("c"))  # no facilitator
    cohorts = Cohorts(
        cohorts=(Cohort("One", CATALOG, make_program(2)), Cohort("Two", other, make_program(2))),
        facilitators={"sam lee": SharedFacilitator(3, (date(2027, 1, 12),))},
    )
    assert cohorts["One"].program.unavailable("Sam Lee") == (date(2027, 1, 12),)
    assert cohorts["Two"].program.facilitators == {}
    assert [c.program.id for c in cohorts.cohorts] == ["One", "Two"]
