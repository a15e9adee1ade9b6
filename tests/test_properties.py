"""Property tests: any small catalog and programme give either a plan the independent
checker finds clean, or "infeasible" with at least one (and at most three) conflicts; never
another outcome, never another exception."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings, target
from hypothesis import strategies as st

from curriculum import (
    Balance,
    Catalog,
    CatalogError,
    Duties,
    InfeasibleError,
    Load,
    Meeting,
    Program,
    ProgramError,
    Ramp,
    Status,
    Weights,
    solve,
)
from curriculum.cpsat.domains import Domains
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.objective import Objective
from curriculum.meetings import MeetingCalendar
from curriculum.replanning import Pins
from tests.builders import PLANNED, assert_objective_consistent, checked, make_catalog, module

FACILITATORS = ("", "Nurse", "Peer trainer")
STARTS = (date(2027, 1, 11), date(2027, 1, 13), date(2027, 3, 8))  # Mon, Wed, before DST
quarters = st.integers(min_value=1, max_value=8).map(lambda q: q / 4)  # 0.25 .. 2 h
# sampled_from picks evenly, so repeats make the roomy (feasible) values more likely
# Hypothesis favours the first values of sampled_from: the roomy, feasible ones come first
# (and repeats make them likelier still), so that about half the examples have a plan.
hour_caps = st.sampled_from([12.0, 12.0, 6.0, 3.0, 1.5, 0.0])
intensity_caps = st.sampled_from([80.0, 80.0, 20.0, 6.0, 0.0])
rarely = st.sampled_from([*[False] * 7, True])


def sometimes(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value one time in eight, else None."""
    return rarely.flatmap(lambda present: values if present else st.none())


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """1-8 modules: random kinds, quarter hours up to 2, densities, acyclic prerequisites
    (only on earlier modules), windows, pre-service flags and facilitators."""
    count = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for i in range(count):
        fields: dict[str, Any] = {}
        earlier = [f"m{j}" for j in range(i)]
        if earlier and draw(rarely):
            fields["prerequisites"] = ";".join(
                draw(st.lists(st.sampled_from(earlier), min_size=1, max_size=2, unique=True))
            )
        earliest = draw(sometimes(st.integers(min_value=1, max_value=3)))
        latest = draw(sometimes(st.integers(min_value=earliest or 1, max_value=6)))
        if earliest is not None:
            fields["earliest_week"] = earliest
        if latest is not None:
            fields["latest_week"] = latest
        rows.append(
            module(
                f"m{i}",
                draw(st.sampled_from(["content", "skill"])),
                draw(quarters),
                density=draw(st.integers(min_value=1, max_value=5)),
                pre_service=draw(rarely),
                facilitator=draw(st.sampled_from(FACILITATORS)),
                **fields,
            )
        )
    return make_catalog(*rows)


@st.composite
def programs(draw: st.DrawFn) -> Program:
    """1-6 weeks, 1-2 meetings a week, random caps, ramp, duty start, holidays, facilitator
    unavailability and an optional balance tolerance."""
    weeks = draw(st.sampled_from([4, 6, 5, 3, 2, 1]))
    start = draw(st.sampled_from(STARTS))
    days = draw(st.lists(st.integers(0, 6), min_size=1, max_size=2, unique=True))
    meetings = tuple(
        Meeting(
            day,
            draw(st.sampled_from(["18:00", "09:00"])),
            draw(st.sampled_from([2.0, 3.0, 2.5, 1.5, 1.25, 1.0])),
        )
        for day in days
    )
    first_monday = start - timedelta(days=start.weekday())
    meeting_days = [
        first_monday + timedelta(weeks=w, days=m.weekday) for w in range(weeks) for m in meetings
    ]
    holidays = draw(sometimes(st.lists(st.sampled_from(meeting_days), max_size=2, unique=True)))
    hours = hour_caps
    load = Load(draw(hours), draw(intensity_caps))
    ramp = Ramp(
        weeks=draw(st.integers(min_value=0, max_value=weeks)) if draw(rarely) else 0,
        max_hours_per_week=draw(hours),
        max_intensity_per_week=draw(intensity_caps),
        max_density=draw(st.sampled_from([5, 4, 3, 2, 1])),
    )
    balance = Balance(
        content_share=draw(st.sampled_from([0.5, 0.6, 0.25, 0.75, 0.0, 1.0])),
        weekly_tolerance=draw(sometimes(st.sampled_from([0.5, 0.25, 0.1, 0.0]))),
    )
    away = {
        name: tuple(draw(sometimes(st.sampled_from(meeting_days).map(lambda d: [d]))) or ())
        for name in FACILITATORS[1:]
    }
    weights = Weights(*(draw(st.integers(min_value=0, max_value=20)) for _ in range(4)))
    return Program(
        start=start,
        weeks=weeks,
        timezone=draw(st.sampled_from(["UTC", "America/Toronto"])),
        meetings=meetings,
        holidays=tuple(holidays or ()),
        load=load,
        ramp=ramp,
        balance=balance,
        duties=Duties(duty) if (duty := draw(sometimes(st.integers(1, weeks)))) else None,
        facilitators=away,
        weights=weights,
        ongoing=None,
    )


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(catalog=catalogs(), program=programs())
def test_a_checked_plan_or_explained_infeasibility(catalog: Catalog, program: Program) -> None:
    longest = max(m.quarters for m in program.meetings)
    leads = {m.facilitator for m in catalog.modules}
    try:
        result = solve(catalog, program, time_limit=5)
    except CatalogError as error:  # only for a module longer than every meeting, named
        too_long = [m.id for m in catalog.modules if m.quarters > longest]
        assert too_long and all(f"module '{m}' lasts" in str(error) for m in too_long)
        return
    except ProgramError as error:  # only for facilitators no module names, each named
        unknown = [who for who in program.facilitators if who not in leads]
        assert unknown and all(f"led by '{who}'" in str(error) for who in unknown)
        return
    if result.status in PLANNED:
        checked(result)  # the checker, every module once, bound <= objective, the goals
        assert set(result.goals) == set(vars(program.weights))
    else:
        assert result.status is Status.INFEASIBLE, str(result)
        assert result.conflicts  # every counted clash, and up to 3 found by search
        for conflict in result.conflicts:
            assert conflict.summary and len(set(conflict.rules)) == len(conflict.rules)
        with pytest.raises(InfeasibleError) as raised:
            result.plan  # noqa: B018
        assert raised.value.conflicts == result.conflicts


@SETTINGS
@given(catalog=catalogs(), program=programs())
def test_objective_is_the_weighted_sum_of_the_goals(catalog: Catalog, program: Program) -> None:
    # (weeks with meetings but a cap of 0 included: they once counted as weeks without skills)
    try:
        result = solve(catalog, program, time_limit=5)
    except (CatalogError, ProgramError):  # inputs that do not fit together: no objective
        return
    if result.status is Status.OPTIMAL:
        assert_objective_consistent(result)
        assert result.objective is not None
        assert math.isclose(result.objective, result.bound or 0.0, abs_tol=1e-9)


@st.composite
def roomy_instances(draw: st.DrawFn) -> tuple[Catalog, Program]:
    """2-5 weeks of one or two 2 h meetings under roomy caps, 2-8 modules with any kind,
    density, deadline and weeks to avoid, every goal weighted: mostly plans, whose goals
    often cannot all be met (a catalog far from the content share, too few skill modules,
    dense material due in the ramp)."""
    weeks = draw(st.integers(2, 5))
    days = draw(st.lists(st.integers(0, 4), min_size=1, max_size=2, unique=True))
    rows = []
    for i in range(draw(st.integers(2, 8))):
        fields: dict[str, Any] = {}
        if draw(st.booleans()):
            fields["latest_week"] = draw(st.integers(1, weeks))
        if avoid := draw(st.lists(st.integers(1, weeks), max_size=2, unique=True)):
            fields["avoid_weeks"] = ";".join(map(str, avoid))
        kind = draw(st.sampled_from(["content", "skill"]))
        density = draw(st.integers(1, 5))
        rows.append(module(f"m{i}", kind, draw(quarters), density=density, **fields))
    program = Program(
        start=STARTS[0],
        weeks=weeks,
        timezone="UTC",
        meetings=tuple(Meeting(day, "18:00", 2.0) for day in days),
        load=Load(12.0, 80.0),
        ramp=Ramp(weeks=draw(st.integers(0, weeks)), max_hours_per_week=12.0),
        balance=Balance(content_share=draw(st.sampled_from([0.5, 0.6, 0.25]))),
        duties=None,
        weights=Weights(*(draw(st.integers(0, 20)) for _ in range(6))),
        ongoing=None,
    )
    return make_catalog(*rows), program


@SETTINGS
@given(instance=roomy_instances())
def test_no_plan_is_below_the_objectives_floor(instance: tuple[Catalog, Program]) -> None:
    # the optimum a search proves without the floor is at or above it, and the search with
    # it ends on the same optimum
    catalog, program = instance
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Objective, "floor", lambda self, domains: 0)
        unfloored = solve(catalog, program, time_limit=5)
    assume(unfloored.status is Status.OPTIMAL)
    domains = Domains(catalog, MeetingCalendar.of(program), Pins())
    plan_model = PlanModel(catalog, program, weekly=True, domains=domains)
    floor = plan_model.objective.floor(domains) / plan_model.objective.scale
    target(floor)  # towards instances whose floor is high
    assert unfloored.objective is not None and floor <= unfloored.objective + 1e-9
    floored = solve(catalog, program, time_limit=5)
    checked(floored)
    assert floored.status is Status.OPTIMAL and floored.objective == unfloored.objective
