"""Packing (cpsat/packing.py), weeks first, meetings second: a fresh solve chooses weeks,
then packs each week's modules into its meetings. Packing is exact (spread, best fit, then
a complete search); a week that cannot be packed is ruled out and the search goes on, and
when no plan packs the solver falls back to choosing meetings itself, so plans and optima
are those of the meeting-level model."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from benchmarks import generator
from curriculum import Catalog, Load, Meeting, Module, Plan, Program, Slot, Status
from curriculum.cpsat import packing
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.search import run
from curriculum.cpsat.solver import SearchSettings, new_solver
from curriculum.cpsat.variables import WeekVariables
from curriculum.meetings import meeting_slots
from tests.builders import (
    TUE,
    checked,
    make_catalog,
    make_program,
    module,
    solve_checked,
    tuesday,
)


def _modules(*quarters: int) -> list[Module]:
    return list(
        make_catalog(*(module(f"m{i}", hours=q / 4) for i, q in enumerate(quarters))).modules
    )


def _week(program: Program) -> list[Slot]:
    return [slot for slot in meeting_slots(program) if slot.week == 1]


def _fits(placed: dict[str, int], modules: list[Module], slots: list[Slot]) -> bool:
    load = {slot.index: 0 for slot in slots}
    for item in modules:
        load[placed[item.id]] += item.quarters
    return all(load[slot.index] <= slot.quarters for slot in slots)


TWO_MEETINGS = make_program(1, (Meeting("tue", "18:00", 2.5), Meeting("thu", "18:00", 2.5)))  # 10 q


def test_modules_spread_over_the_week_longest_first_into_the_emptiest_meeting() -> None:
    modules, slots = _modules(4, 6, 2), _week(TWO_MEETINGS)
    placed = packing.pack({1: [(item, slots) for item in modules]})
    assert placed is not None and _fits(placed, modules, slots)
    # 6 q opens the first meeting, 4 q the second (emptier), 2 q joins the emptier (4 q)
    assert placed == {"m1": slots[0].index, "m0": slots[1].index, "m2": slots[1].index}


def test_best_fit_packs_what_spreading_cannot() -> None:
    # 5, 5, 4, 3, 3 into two 10 q meetings: spreading gives 5+4 | 5+3 and strands a 3;
    # best fit gives 5+5 | 4+3+3
    modules, slots = _modules(5, 5, 4, 3, 3), _week(TWO_MEETINGS)
    options = [(item, slots) for item in modules]
    spread, tight = packing.fit(options, spread=True), packing.fit(options, spread=False)
    assert spread is None
    assert tight is not None and _fits(tight, modules, slots)
    assert sorted(sum(m.quarters for m in modules if tight[m.id] == s.index) for s in slots) == [
        10,
        10,
    ]


def test_the_exact_search_packs_what_neither_greedy_fit_can() -> None:
    # 4+4+3+3+3+3 = 20 q in two 10 q meetings: best fit puts 4+4 together and strands a 3;
    # only 4+3+3 | 4+3+3 works
    modules, slots = _modules(4, 4, 3, 3, 3, 3), _week(TWO_MEETINGS)
    options = [(item, slots) for item in modules]
    assert packing.fit(options, spread=False) is None
    placed = packing.pack({1: options})
    assert placed is not None and _fits(placed, modules, slots)


def test_a_week_that_fits_by_hours_but_not_by_meetings_cannot_be_packed() -> None:
    modules = _modules(4, 4, 4)  # three 1 h modules, two 1.5 h meetings: 3 h fit 3 h
    program = make_program(1, (Meeting("tue", "18:00", 1.5), Meeting("thu", "18:00", 1.5)))
    slots = _week(program)
    assert packing.pack({1: [(item, slots) for item in modules]}) is None


def test_packing_honours_the_meetings_each_module_may_take() -> None:
    modules, slots = _modules(4, 4), _week(TWO_MEETINGS)
    placed = packing.pack({1: [(modules[0], slots[:1]), (modules[1], slots[:1])]})
    assert placed == {"m0": slots[0].index, "m1": slots[0].index}


def test_no_plan_when_the_only_weeks_allowed_cannot_be_packed() -> None:
    # By hours alone all three fit week 1 (3 h of meetings for 3 h); a 1.5 h meeting holds
    # one 1 h module, so there is no plan, and the explanation says why.
    catalog = make_catalog(*(module(f"m{i}", latest_week=1) for i in range(3)))
    program = make_program(
        2, (Meeting("tue", "18:00", 1.5), Meeting("thu", "18:00", 1.5)), load=Load(4, 10)
    )
    result = solve_checked(catalog, program)
    assert result.status is Status.INFEASIBLE
    assert result.conflicts


def test_when_packing_fails_the_meeting_level_model_takes_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = make_catalog(*(module(f"m{i}", "skill" if i % 2 else "content") for i in range(6)))
    program = make_program(3, (TUE, Meeting("thu", "18:00", 1)))
    packed = solve_checked(catalog, program)
    monkeypatch.setattr("curriculum.cpsat.variables.pack", lambda weeks: None)
    fallback = solve_checked(catalog, program)
    assert fallback.status is packed.status is Status.OPTIMAL
    assert fallback.objective == packed.objective


def _meeting_level_optimum(catalog: Catalog, program: Program) -> float:
    plan_model = PlanModel(catalog, program)
    objective = plan_model.objective
    outcome = run(plan_model, objective.expression(), objective.scale, SearchSettings(30))
    assert outcome.status == "optimal"
    assert Plan.from_assignment(catalog, program, outcome.assignment).check() == []
    assert outcome.objective is not None
    return outcome.objective


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_weeks_then_meetings_reaches_the_meeting_level_optimum(seed: int) -> None:
    catalog, program = generator.generate(20, 8, 3, seed)
    result = solve_checked(catalog, program, time_limit=30)
    assert result.status is Status.OPTIMAL
    checked(result)
    assert result.objective == _meeting_level_optimum(catalog, program)


def test_a_holiday_leaves_fewer_meetings_to_pack_into() -> None:
    # week 1 loses its Tuesday: its 2 h module must go to the 2 h Thursday, alone
    catalog = make_catalog(module("long", hours=2.0, latest_week=1), module("short", "skill"))
    program = make_program(2, (TUE, Meeting("thu", "18:00", 2)), holidays=(tuesday(1),))
    plan = solve_checked(catalog, program).plan
    sessions = plan.sessions.set_index("module")
    assert sessions.loc["long", "start"].weekday() == 3


def test_a_week_that_cannot_be_packed_is_ruled_out_exactly() -> None:
    # three 1 h modules and two 1.5 h meetings a week: any two share week 1, not all three
    catalog = make_catalog(*(module(f"m{i}", "skill" if i % 2 else "content") for i in range(3)))
    program = make_program(
        2, (Meeting("tue", "18:00", 1.5), Meeting("thu", "18:00", 1.5)), load=Load(4, 10)
    )
    plan_model = PlanModel(catalog, program, weekly=True)
    variables = plan_model.variables
    assert isinstance(variables, WeekVariables)
    in_week_1 = {variables.y[m, 1] for m in range(3)}
    variables.exclude_unpackable(lambda var: var in in_week_1)

    def feasible_with_week_1(count: int) -> bool:
        trial = plan_model.model.clone()
        for m in range(3):
            var = trial.get_bool_var_from_proto_index(variables.y[m, 1].index)
            trial.add(var == int(m < count))
        solver = new_solver(time_limit=10)
        return solver.solve(trial) in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    assert not feasible_with_week_1(3)
    assert feasible_with_week_1(2)


def test_the_minimal_unpackable_set_leaves_out_what_fits_anyway() -> None:
    # 8 + 6 + 5 q cannot share two 10 q meetings (no two of them fit together); 1 q fits
    modules, slots = _modules(8, 6, 5, 1), _week(TWO_MEETINGS)
    core = packing.minimal_unpackable([(item, slots) for item in modules])
    assert sorted(m.quarters for m in core) == [5, 6, 8]


def test_equal_meetings_count_long_modules_as_whole_meetings() -> None:
    # 8 + 6 + 5 = 19 q fit 20 q by length alone; with sizes s = 4, 8 q and 6 q count as
    # 10 each (longer than 10 - 4): 10 + 10 + 5 = 25 > 20 rules the week out up front
    modules, slots = _modules(8, 6, 5), _week(TWO_MEETINGS)
    choices = [(item, item.id, slots) for item in modules]
    needs = list(packing.packing_needs(slots, choices))
    chosen = {item.id for item in modules}
    assert any(sum(q for q, var in terms if var in chosen) > most for terms, most in needs)
    for packable in ({"m0", "m1"}, {"m0", "m2"}, {"m1", "m2"}, {"m0"}):  # one a meeting
        assert all(sum(q for q, var in terms if var in packable) <= most for terms, most in needs)
