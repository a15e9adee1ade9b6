"""The pre-solve report `curriculum validate` prints (explain/readiness.py): what the catalog
needs against what the programme allows, overall, in the ramp and before duties, and the
modules that cannot go anywhere, and the goals no plan can fully meet."""

from __future__ import annotations

import dataclasses

from curriculum import Duties, Load, Ramp
from curriculum.explain import assess
from tests.builders import THU, TUE, make_catalog, make_program, module, thursday, tuesday


def test_needs_against_room_and_the_modules_that_cannot_go_anywhere() -> None:
    # Two weeks of one 2 h Tuesday meeting; week 1 is a ramp week capped at 1 h (density up
    # to 3), duties start in week 2. Room: week 1 min(1, 2) = 1 h, week 2 min(4, 2) = 2 h.
    #   a: 1 h content, by week 1;  b: 1 h skill, pre-service;
    #   c: 2.5 h content, longer than any meeting;  d: 0.5 h, density 4, by week 1.
    # Whole programme: 5 h for 3 h. Due in the ramp (by week 1): a and d, 1.5 h for 1 h.
    # Pre-service: b, 1 h for week 1's 1 h. d may only take week 1, too dense for the ramp.
    # Content: a, c and d, 4 h of 5 h: 80 %.
    # Goals no plan meets, over 2 teaching weeks: 1 skill module leaves a week without
    # skills; content is 4 h against 2.5 h, less the 0.5 h band of each week: 0.5 h off;
    # a, b and d must come in the ramp week 1 (b pre-service before week 2), d with
    # 0.5 h × (4 - 2) = 1 point above density 2.
    catalog = make_catalog(
        module("a", latest_week=1),
        module("b", "skill", pre_service=True),
        module("c", hours=2.5),
        module("d", hours=0.5, density=4, latest_week=1),
    )
    program = make_program(
        2,
        ramp=Ramp(weeks=1, max_hours_per_week=1, max_intensity_per_week=7, max_density=3),
        duties=Duties(start_week=2),
    )
    readiness = assess(catalog, program)
    assert readiness.lines == (
        "Whole programme: 5 h needed, 3 h available (TOO MUCH)",
        "Ramp weeks 1-1: 1.5 h needed, 1 h available (TOO MUCH)",
        "Pre-service (before duties in week 2): 1 h needed, 1 h available (ok)",
        "Content share of the catalog: 80% (target 50%)",
        "No plan can fully meet the goal 'content and skills balanced every week [19]': the "
        "catalog is 80% content against a target of 50%: at least 0.5 h of content off the "
        "target over the weeks",
        "No plan can fully meet the goal 'skills practice every teaching week [4][5]': 1 skill "
        "module for 2 teaching weeks leaves at least 1 week without skills practice",
        "No plan can fully meet the goal 'gentle material in the ramp weeks [17]': 3 modules "
        "must come in the ramp weeks; their material above density 2 comes to at least 1 "
        "hours × density points",
    )
    assert readiness.blockers[:2] == (
        "Whole programme: 5 h needed but only 3 h available",
        "Ramp weeks 1-1: 1.5 h needed but only 1 h available",
    )
    assert readiness.blockers[2] == "'c' lasts 2.5 h; the longest meeting is 2 h"
    assert readiness.blockers[3].startswith("'d' has no possible week")
    assert len(readiness.blockers) == 4


def test_a_catalog_that_fits_has_no_blockers() -> None:
    catalog = make_catalog(module("a"), module("b", "skill"))
    readiness = assess(catalog, make_program(2, duties=None))
    assert readiness.blockers == ()
    assert readiness.lines[0] == "Whole programme: 2 h needed, 4 h available (ok)"


def test_a_modules_cap_too_low_for_the_catalog_is_a_blocker() -> None:
    # 5 modules, 2 weeks at a cap of 2 a week: 4 allowed; at 2 a week they need 3 weeks
    catalog = make_catalog(*(module(f"m{i}", hours=0.5) for i in range(5)))
    program = make_program(2, load=Load(4, 10, max_modules_per_week=2), duties=None)
    readiness = assess(catalog, program)
    assert "Modules: 5 modules, 4 allowed by the weekly caps (TOO MANY)" in readiness.lines
    assert readiness.blockers == (
        "Modules: 5 modules need at least 3 teaching weeks at the cap of 2 a week; the caps "
        "allow 4 in all",
    )
    uncapped = assess(catalog, make_program(2, duties=None))
    assert not any(line.startswith("Modules:") for line in uncapped.lines)


def test_weekly_floors_asking_for_more_modules_than_the_catalog_has_are_a_blocker() -> None:
    # a floor of 2 a week over 3 weeks, but week 2 is all holidays (Tue and Thu): 2
    # teaching weeks ask for 4 modules, of 3
    catalog = make_catalog(module("a"), module("b"), module("drill", "skill"))
    program = make_program(
        3,
        (TUE, THU),
        load=Load(4, 10, min_modules_per_week=2),
        holidays=(tuesday(2), thursday(2)),
        duties=None,
    )
    readiness = assess(catalog, program)
    assert "Modules: 3 modules, 4 needed by the weekly floors (TOO FEW)" in readiness.lines
    assert readiness.blockers == (
        "Modules: the floors ask for 4 modules over the 2 teaching weeks; the catalog has 3",
    )
    lower = dataclasses.replace(program, load=Load(4, 10, min_modules_per_week=1))
    assert "Modules: 3 modules, 2 needed by the weekly floors (ok)" in assess(catalog, lower).lines
