"""curriculum.scenario: the scenarios of a sweep, given one by one and crossed with the
varied keys, each with its programme or its error; and the task a worker solves."""

from __future__ import annotations

import pytest

from curriculum import Catalog, CatalogError, Load, Program, ProgramError, ScenarioError
from curriculum.scenario import Task, scenarios_of, solve_scenario
from tests.builders import TUE, checked, make_program


def test_the_varied_keys_make_every_combination_first_key_slowest(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    found = scenarios_of(tiny_catalog, two_week_program, {"weeks": [1, 2], "ramp.weeks": [0, 1]})
    assert [dict(s.values) for s in found] == [
        {"weeks": 1, "ramp.weeks": 0},
        {"weeks": 1, "ramp.weeks": 1},
        {"weeks": 2, "ramp.weeks": 0},
        {"weeks": 2, "ramp.weeks": 1},
    ]
    assert [(s.program.weeks, s.program.limits.ramp_weeks) for s in found if s.program] == [
        (1, 0),
        (1, 1),
        (2, 0),
        (2, 1),
    ]
    assert all(s.error is None for s in found)


def test_given_scenarios_are_crossed_with_the_varied_keys(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    other = make_program(1, (TUE,), name="One Tuesday", load=Load(max_hours_per_week=2))
    found = scenarios_of(
        tiny_catalog,
        two_week_program,
        {"balance.content_share": [0.5, 0.4]},
        [{"weeks": 1}, other],
    )
    # a mapping's keys are columns as given; a whole programme is named in `program`
    assert [dict(s.values) for s in found] == [
        {"weeks": 1, "balance.content_share": 0.5},
        {"weeks": 1, "balance.content_share": 0.4},
        {"program": "One Tuesday", "balance.content_share": 0.5},
        {"program": "One Tuesday", "balance.content_share": 0.4},
    ]
    programs = [s.program for s in found if s.program is not None]
    assert [p.weeks for p in programs] == [1, 1, 1, 1]
    assert [p.balance.content_share for p in programs] == [0.5, 0.4, 0.5, 0.4]
    assert programs[3].name == "One Tuesday" and programs[3].load == other.load
    assert programs[1].load == two_week_program.load  # only what is named changes


def test_a_bad_value_is_the_scenario_s_error_not_the_sweep_s(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    found = scenarios_of(tiny_catalog, two_week_program, {"weeks": [0, 1]})
    assert found[0].program is None
    assert isinstance(found[0].error, ProgramError)
    assert str(found[0].error.problems[0]) == (
        "scenario 0, key 'weeks': weeks must be a whole number from 1 to 520, not 0"
    )
    assert found[1].program is not None and found[1].error is None


def test_a_programme_the_catalog_does_not_fit_is_the_scenario_s_error(
    tiny_catalog: Catalog, two_week_program: Program
) -> None:
    half_hour = [{"weekday": "tue", "start": "18:00", "hours": 0.5}]
    found = scenarios_of(tiny_catalog, two_week_program, {"meetings": [half_hour]})
    assert found[0].program is None
    assert isinstance(found[0].error, CatalogError)
    # both 1 h modules are longer than the only, 0.5 h, meeting
    assert [p.message.split(",")[0] for p in found[0].error.problems] == [
        "module 'a' lasts 1 h",
        "module 'b' lasts 1 h",
    ]


@pytest.mark.parametrize(
    ("vary", "scenarios", "words"),
    [
        ({"weeks": 12}, None, "vary['weeks'] must be a list of values, not 12"),
        ({"weeks": "12"}, None, "vary['weeks'] must be a list of values"),
        ({"weeks": {"a": 1}}, None, "vary['weeks'] must be a list of values"),
        ({"weeks": []}, None, "vary['weeks'] has no values"),
        ({3: [1]}, None, "key 3 must be text, like 'weeks'"),
        ({"weeks": [1], "load.hours": [3]}, None, "<vary>: unknown key 'load.hours'"),
        ({}, [{"weeks": 2}, {"wekks": 3}], "scenario 1: unknown key 'wekks'"),
        ({"weeks": [1]}, [{"weeks": 2}], "scenario 0: key 'weeks' is both varied and set here"),
        ({}, [], "there are no scenarios to sweep"),
    ],
)
def test_scenarios_that_are_not_a_set_of_scenarios_are_an_error(
    tiny_catalog: Catalog, two_week_program: Program, vary: dict, scenarios: list | None, words: str
) -> None:
    with pytest.raises(ScenarioError) as info:
        scenarios_of(tiny_catalog, two_week_program, vary, scenarios)
    assert words in str(info.value)


def test_a_worker_solves_a_task_and_says_how_long_it_took(
    tiny_catalog: Catalog, one_week_program: Program
) -> None:
    solved = solve_scenario(Task(tiny_catalog, one_week_program, 10, 0, 1))
    checked(solved.result)
    assert solved.seconds >= solved.result.runtime > 0
