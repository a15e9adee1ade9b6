"""The hard rules (rules.py), each as a pair: the model enforces it, the checker catches it.

Every member of `Rule` has two tests, listed in `PAIRS` (the last test fails for a rule
without both):

* `test_model_enforces_<rule>`: a tiny instance whose optimum *without* the rule breaks it.
  The solved plan keeps the rule, in the placement derived by hand; and the same model with
  the rule's clauses dropped (`PlanModel(dropped=...)`) finds the better plan the rule
  forbids, which the checker flags under that rule and no other.
* `test_checker_catches_<rule>`: the valid plan of the same instance, laid out by hand,
  checks clean; moving one session to where the rule forbids it (editing the sessions
  frame) makes that rule's check (`CHECKS[rule]`), and no other, name the module or week.

Most instances follow one pattern: 'theory' (content, 2 h) and 'practice' (skill, 2 h) over
two weeks of Tuesday and Thursday 2 h meetings at 18:00 from Mon 2027-01-11 (UTC), with only
the balance goal weighted (4 per hour beyond ±0.5 h of half a week's hours). Together in one
week they are on target (2 h of content in 4 h): objective 0. Apart, each week is 1 h off
its target, 0.5 h beyond the band: 4 × (0.5 + 0.5) = 4. So without its rule each instance
puts the two together, and the rule keeps them apart. The meetings are Tue 2027-01-12 and
Thu 2027-01-14 in week 1, Tue 2027-01-19 and Thu 2027-01-21 in week 2.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from unittest.mock import patch

import pandas as pd
import pytest

from benchmarks import generator
from curriculum import Balance, Catalog, Duties, Load, Meeting, Plan, Program, Ramp, Weights
from curriculum.checks import CHECKS
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.search import run
from curriculum.cpsat.solver import SearchSettings
from curriculum.meetings import meeting_slots
from curriculum.rules import UNARY, Clause, Rule, depths, forbidding, unary_keys, week_turns
from tests.builders import (
    THU,
    TUE,
    laid_out,
    make_catalog,
    make_program,
    module,
    moved,
    slots_of,
    solve_optimal,
    thursday,
    together,
    tuesday,
    weeks_of,
)

ONLY_BALANCE = Weights(balance=4, weeks_without_skills=0, uneven_load=0, early_density=0)
TOGETHER, APART = 0.0, 4.0  # the objective of the two blocks in one week, and apart


def blocks(theory: Mapping[str, Any] = {}, practice: Mapping[str, Any] = {}) -> Catalog:
    """'theory' (content) and 'practice' (skill), 2 h and density 2 each, plus fields."""
    return make_catalog(
        module("theory", "content", 2.0, **theory), module("practice", "skill", 2.0, **practice)
    )


def two_weeks(**changes: Any) -> Program:
    """Two weeks of Tue and Thu 2 h meetings, caps 4 h and 10, only balance weighted."""
    return make_program(2, (TUE, THU), weights=ONLY_BALANCE, **changes)


def caught(plan: Plan) -> dict[Rule, list[str]]:
    """What each rule's check reports on the plan, run alone (rules that report nothing are
    left out); the plan must be a plan of its catalog, and together the rules say all that
    `Plan.check` says."""
    twins = dict(CHECKS)
    found: dict[Rule, list[str]] = {}
    with patch.dict(CHECKS, clear=True):
        assert plan.check() == [], "the integrity checks fail: not a plan of its catalog"
        for rule, check in twins.items():
            CHECKS.clear()
            CHECKS[rule] = check
            if messages := plan.check():
                found[rule] = messages
    assert [m for messages in found.values() for m in messages] == plan.check()
    return found


def every_clause(rule: Rule, catalog: Catalog, program: Program) -> frozenset[Clause]:
    """Every clause the rule can have here: the rule, each week, each module, each link."""
    return frozenset(
        {Clause(rule)}
        | {Clause(rule, week=week) for week in range(1, program.weeks + 1)}
        | {Clause(rule, module=m.id) for m in catalog.modules}
        | {Clause(rule, module=m.id, other=p) for m in catalog.modules for p in m.prerequisites}
    )


def optimum_without(rule: Rule, catalog: Catalog, program: Program) -> tuple[float, Plan]:
    """The proven optimum of the model with every clause of the rule dropped, and its plan."""
    plan_model = PlanModel(catalog, program, dropped=every_clause(rule, catalog, program))
    objective = plan_model.objective
    outcome = run(plan_model, objective.expression(), objective.scale, SearchSettings(10))
    assert outcome.status == "optimal" and outcome.objective is not None
    return outcome.objective, Plan.from_assignment(catalog, program, outcome.assignment)


def enforced(
    rule: Rule,
    catalog: Catalog,
    program: Program,
    *,
    with_rule: float = APART,
    without_rule: float = TOGETHER,
) -> Plan:
    """The checked optimal plan, after showing the rule is what stands between the two
    optima: without it the model finds a better plan, and that plan breaks this rule."""
    result, plan = solve_optimal(catalog, program)
    assert result.objective == with_rule
    relaxed, unruled = optimum_without(rule, catalog, program)
    assert relaxed == without_rule < with_rule
    assert set(caught(unruled)) == {rule}
    return plan


# ================================================================== Rule.MEETINGS
# One 3 h Tuesday meeting a week: the two 2 h blocks (4 h) cannot share one. Practice must
# come in week 1, so theory goes to week 2. Without the rule both go into Tuesday's meeting
# of week 1, running an hour past its end. (The model holds this rule twice over: a week's
# modules must fit its meetings in the weekly model, and then they are packed into them.)
MEETINGS_CATALOG = blocks(practice={"latest_week": 1})
MEETINGS_PROGRAM = make_program(2, (Meeting("tue", "18:00", 3),), weights=ONLY_BALANCE)


def test_model_enforces_meetings() -> None:
    plan = enforced(Rule.MEETINGS, MEETINGS_CATALOG, MEETINGS_PROGRAM)
    assert slots_of(plan) == {"practice": "Tue 2027-01-12 18:00", "theory": "Tue 2027-01-19 18:00"}
    assert (plan.sessions["end"].dt.strftime("%H:%M") == "20:00").all()


def test_checker_catches_meetings() -> None:
    days = {"practice": tuesday(1), "theory": tuesday(2)}
    plan = laid_out(MEETINGS_CATALOG, MEETINGS_PROGRAM, days)
    assert caught(plan) == {}
    broken = moved(plan, "theory", tuesday(1), "20:00")  # after practice, in the same meeting
    assert caught(broken) == {
        Rule.MEETINGS: [
            "module 'theory' runs Tue 2027-01-12 20:00-22:00, past the end of the "
            "tue 18:00 (3 h) meeting on Tue 2027-01-12 at 21:00"
        ]
    }


# ================================================================== Rule.WEEKLY_HOURS
# A 3 h weekly cap: the blocks (4 h together) cannot share a week, though the week's two
# meetings would hold them. Practice must come in week 1, so theory goes to week 2.
HOURS_CATALOG = blocks(practice={"latest_week": 1})
HOURS_PROGRAM = two_weeks(load=Load(max_hours_per_week=3, max_intensity_per_week=10))


def test_model_enforces_weekly_hours() -> None:
    plan = enforced(Rule.WEEKLY_HOURS, HOURS_CATALOG, HOURS_PROGRAM)
    assert weeks_of(plan) == {"practice": 1, "theory": 2}
    assert plan.weekly["hours"].tolist() == [2.0, 2.0]


def test_checker_catches_weekly_hours() -> None:
    plan = laid_out(HOURS_CATALOG, HOURS_PROGRAM, {"practice": tuesday(1), "theory": tuesday(2)})
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(1))
    assert caught(broken) == {Rule.WEEKLY_HOURS: ["week 1 has 4 h of modules; the cap is 3 h"]}


# ================================================================== Rule.WEEKLY_INTENSITY
# An intensity cap of 6: each block weighs 2 h × density 2 = 4, together 8. Practice must
# come in week 1, so theory goes to week 2.
INTENSITY_CATALOG = blocks(practice={"latest_week": 1})
INTENSITY_PROGRAM = two_weeks(load=Load(max_hours_per_week=4, max_intensity_per_week=6))


def test_model_enforces_weekly_intensity() -> None:
    plan = enforced(Rule.WEEKLY_INTENSITY, INTENSITY_CATALOG, INTENSITY_PROGRAM)
    assert weeks_of(plan) == {"practice": 1, "theory": 2}
    assert plan.weekly["intensity"].tolist() == [4.0, 4.0]


def test_checker_catches_weekly_intensity() -> None:
    days = {"practice": tuesday(1), "theory": tuesday(2)}
    plan = laid_out(INTENSITY_CATALOG, INTENSITY_PROGRAM, days)
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(1))
    assert caught(broken) == {
        Rule.WEEKLY_INTENSITY: ["week 1 has intensity 8 (hours times density); the cap is 6"]
    }


# ================================================================== Rule.WEEKLY_MODULES
# A cap of 1 module a week: the blocks cannot share a week, though its hours (4 h under the
# 4 h cap) and meetings would hold them. Practice must come in week 1, so theory goes to
# week 2.
MODULES_CATALOG = blocks(practice={"latest_week": 1})
MODULES_PROGRAM = two_weeks(load=Load(max_hours_per_week=4, max_modules_per_week=1))


def test_model_enforces_weekly_modules() -> None:
    plan = enforced(Rule.WEEKLY_MODULES, MODULES_CATALOG, MODULES_PROGRAM)
    assert weeks_of(plan) == {"practice": 1, "theory": 2}


def test_checker_catches_weekly_modules() -> None:
    days = {"practice": tuesday(1), "theory": tuesday(2)}
    plan = laid_out(MODULES_CATALOG, MODULES_PROGRAM, days)
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(1))
    assert caught(broken) == {Rule.WEEKLY_MODULES: ["week 1 has 2 modules; the cap is 1 a week"]}


# ================================================================== Rule.WEEKLY_MODULES_FLOOR
# A floor of 1 module a week: both weeks must teach, so the blocks cannot share a week,
# though together they would meet the balance goal. Practice must come in week 1, so theory
# goes to week 2. Without the rule both go to week 1 and week 2 teaches nothing.
FLOOR_CATALOG = blocks(practice={"latest_week": 1})
FLOOR_PROGRAM = two_weeks(load=Load(max_hours_per_week=4, min_modules_per_week=1))


def test_model_enforces_weekly_modules_floor() -> None:
    plan = enforced(Rule.WEEKLY_MODULES_FLOOR, FLOOR_CATALOG, FLOOR_PROGRAM)
    assert weeks_of(plan) == {"practice": 1, "theory": 2}


def test_checker_catches_weekly_modules_floor() -> None:
    days = {"practice": tuesday(1), "theory": tuesday(2)}
    plan = laid_out(FLOOR_CATALOG, FLOOR_PROGRAM, days)
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(1))
    assert caught(broken) == {
        Rule.WEEKLY_MODULES_FLOOR: ["week 2 has 0 modules; the floor is 1 a week"]
    }


# ================================================================== Rule.RAMP_DENSITY
# Week 1 is a ramp week (4 h, intensity 12, density up to 3) and theory has density 4, so it
# may not come in week 1, where practice must be. (Early density is not weighted: only the
# rule keeps theory out.) Together in week 1: 4 h, intensity 8 + 4 = 12, within the caps.
RAMP_CATALOG = blocks(theory={"density": 4}, practice={"latest_week": 1})
RAMP_PROGRAM = two_weeks(
    ramp=Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=12, max_density=3)
)


def test_model_enforces_ramp_density() -> None:
    plan = enforced(Rule.RAMP_DENSITY, RAMP_CATALOG, RAMP_PROGRAM)
    assert weeks_of(plan) == {"practice": 1, "theory": 2}


def test_checker_catches_ramp_density() -> None:
    plan = laid_out(RAMP_CATALOG, RAMP_PROGRAM, {"practice": tuesday(1), "theory": tuesday(2)})
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(1))
    assert caught(broken) == {
        Rule.RAMP_DENSITY: [
            "module 'theory' has density 4 in week 1, a ramp week; ramp weeks allow density up to 3"
        ]
    }


# ================================================================== Rule.PREREQUISITES
# Practice needs theory in an earlier week, and must come by week 2: theory in week 1,
# practice in week 2 (week 3 stays empty, at no cost). Three weeks, not two: with two, the
# chain alone would keep theory out of week 2 and practice out of week 1 (the model's
# domains leave room for every chain), and the rule itself would never be asked.
PREREQUISITES_CATALOG = blocks(practice={"prerequisites": "theory", "latest_week": 2})
PREREQUISITES_PROGRAM = make_program(3, (TUE, THU), weights=ONLY_BALANCE)


def test_model_enforces_prerequisites() -> None:
    plan = enforced(Rule.PREREQUISITES, PREREQUISITES_CATALOG, PREREQUISITES_PROGRAM)
    assert weeks_of(plan) == {"theory": 1, "practice": 2}


def test_checker_catches_prerequisites() -> None:
    days = {"theory": tuesday(1), "practice": tuesday(2)}
    plan = laid_out(PREREQUISITES_CATALOG, PREREQUISITES_PROGRAM, days)
    assert caught(plan) == {}
    broken = moved(plan, "practice", thursday(1))
    assert caught(broken) == {
        Rule.PREREQUISITES: [
            "module 'practice' (week 1) needs 'theory' in an earlier week, "
            "but 'theory' is in week 1"
        ]
    }


# ================================================================== Rule.WEEK_WINDOW
# Theory may not start before week 2 and practice must end by week 1: one week each.
WINDOW_CATALOG = blocks(theory={"earliest_week": 2}, practice={"latest_week": 1})
WINDOW_PROGRAM = two_weeks()


def test_model_enforces_week_window() -> None:
    plan = enforced(Rule.WEEK_WINDOW, WINDOW_CATALOG, WINDOW_PROGRAM)
    assert weeks_of(plan) == {"practice": 1, "theory": 2}


def test_checker_catches_week_window() -> None:
    plan = laid_out(WINDOW_CATALOG, WINDOW_PROGRAM, {"practice": tuesday(1), "theory": tuesday(2)})
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(1))
    assert caught(broken) == {
        Rule.WEEK_WINDOW: ["module 'theory' is in week 1; its window is weeks 2-2"]
    }


# ================================================================== Rule.PRE_SERVICE
# Duties start in week 2 and theory is pre-service, so it comes in week 1; practice may not
# start before week 2. Without the rule both go to week 2.
PRE_SERVICE_CATALOG = blocks(theory={"pre_service": True}, practice={"earliest_week": 2})
PRE_SERVICE_PROGRAM = two_weeks(duties=Duties(start_week=2))


def test_model_enforces_pre_service() -> None:
    plan = enforced(Rule.PRE_SERVICE, PRE_SERVICE_CATALOG, PRE_SERVICE_PROGRAM)
    assert weeks_of(plan) == {"theory": 1, "practice": 2}


def test_checker_catches_pre_service() -> None:
    days = {"theory": tuesday(1), "practice": tuesday(2)}
    plan = laid_out(PRE_SERVICE_CATALOG, PRE_SERVICE_PROGRAM, days)
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(2))
    assert caught(broken) == {
        Rule.PRE_SERVICE: [
            "pre-service module 'theory' is in week 2; duties start in week 2, "
            "so it must come by week 1"
        ]
    }


# ================================================================== Rule.FACILITATOR_AVAILABLE
# The nurse, who leads theory, is away on both meeting days of week 1, where practice must
# come: theory goes to week 2.
FACILITATOR_CATALOG = blocks(theory={"facilitator": "Nurse"}, practice={"latest_week": 1})
FACILITATOR_PROGRAM = two_weeks(facilitators={"Nurse": (tuesday(1), thursday(1))})


def test_model_enforces_facilitator_available() -> None:
    plan = enforced(Rule.FACILITATOR_AVAILABLE, FACILITATOR_CATALOG, FACILITATOR_PROGRAM)
    assert weeks_of(plan) == {"practice": 1, "theory": 2}


def test_checker_catches_facilitator_available() -> None:
    days = {"practice": tuesday(1), "theory": tuesday(2)}
    plan = laid_out(FACILITATOR_CATALOG, FACILITATOR_PROGRAM, days)
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(1))
    assert caught(broken) == {
        Rule.FACILITATOR_AVAILABLE: [
            "module 'theory' is on Thu 2027-01-14 in week 1, "
            "when its facilitator 'Nurse' is unavailable"
        ]
    }


# ================================================================== Rule.BALANCE_TOLERANCE
# Share 50 % ± 25 % in every week with hours. A 2 h content block needs at least 2/3 h of
# skills beside it (2 / (2 + x) <= 75 %), and a 1 h skill block alone is 0 % content, out of
# bounds: so all three go in one week (2 h content of 4: 50 %), the other week empty. Only
# uneven load is weighted (2): targets 4 × 4/8 = 2 h, loads 4 and 0 are each 1 h beyond the
# band: objective 2 × 2 = 4. Without the tolerance, 3 h + 1 h (each within 1 h of 2) costs 0.
TOLERANCE_CATALOG = make_catalog(
    module("theory", "content", 2.0), module("s1", "skill"), module("s2", "skill")
)
TOLERANCE_PROGRAM = make_program(
    2,
    (TUE, THU),
    weights=Weights(balance=0, weeks_without_skills=0, uneven_load=2, early_density=0),
    balance=Balance(content_share=0.5, weekly_tolerance=0.25),
)


def test_model_enforces_balance_tolerance() -> None:
    plan = enforced(
        Rule.BALANCE_TOLERANCE, TOLERANCE_CATALOG, TOLERANCE_PROGRAM, with_rule=4, without_rule=0
    )
    assert together(plan) == {frozenset({"theory", "s1", "s2"})}
    loose = dataclasses.replace(TOLERANCE_PROGRAM, balance=Balance(content_share=0.5))
    assert solve_optimal(TOLERANCE_CATALOG, loose)[0].objective == 0


def test_checker_catches_balance_tolerance() -> None:
    days = {"theory": tuesday(1), "s1": thursday(1), "s2": thursday(1)}
    plan = laid_out(TOLERANCE_CATALOG, TOLERANCE_PROGRAM, days)
    assert caught(plan) == {}
    # s2 alone in week 2 (0 % content); week 1 keeps theory and s1: 2 h of 3 h, 67 %, allowed
    broken = moved(plan, "s2", tuesday(2))
    assert caught(broken) == {
        Rule.BALANCE_TOLERANCE: [
            "week 2 has 0 h of content in 1 h (0%); the content share must be 50% ± 25%"
        ]
    }


# ================================================================== Rule.FROZEN
# Published: theory on Tue 2027-01-12 and practice on Thu 2027-01-14 (together: 0). Then
# Thu 2027-01-14 becomes a holiday, and the plan is re-made frozen before Wed 2027-01-13:
# theory has taken place. Without the freeze, the best plan moves both to week 2 (Tue and
# Thu, 0), theory included; frozen, theory stays where it was and practice, whose meeting is
# gone, takes week 2, the only week left: apart, 4.
FROZEN_CATALOG = blocks()
PUBLISHED = two_weeks()
CHANGED = two_weeks(holidays=(thursday(1),))
FREEZE = date(2027, 1, 13)


def published() -> Plan:
    plan = laid_out(FROZEN_CATALOG, PUBLISHED, {"theory": tuesday(1), "practice": thursday(1)})
    assert plan.check() == []
    return plan


def test_model_enforces_frozen() -> None:
    before = published()
    result, plan = solve_optimal(FROZEN_CATALOG, CHANGED, previous=before, freeze_before=FREEZE)
    assert result.objective == APART
    assert weeks_of(plan) == {"theory": 1, "practice": 2}
    assert slots_of(plan)["theory"] == "Tue 2027-01-12 18:00"
    assert plan.frozen is not None and list(plan.frozen["module"]) == ["theory"]
    fresh, unfrozen = solve_optimal(FROZEN_CATALOG, CHANGED)  # the same change, no freeze
    assert fresh.objective == TOGETHER < result.objective
    assert weeks_of(unfrozen) == {"theory": 2, "practice": 2}
    assert set(caught(dataclasses.replace(unfrozen, frozen=plan.frozen))) == {Rule.FROZEN}


def test_checker_catches_frozen() -> None:
    before = published()
    past = before.sessions[before.sessions["start"] < pd.Timestamp(FREEZE, tz="UTC")]
    days = {"theory": tuesday(1), "practice": tuesday(2)}
    plan = dataclasses.replace(laid_out(FROZEN_CATALOG, CHANGED, days), frozen=past)
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(2))
    assert caught(broken) == {
        Rule.FROZEN: [
            "module 'theory' took place on Tue 2027-01-12 18:00-20:00 but the plan has it "
            "on Thu 2027-01-21 18:00-20:00"
        ]
    }


# ================================================================== Rule.FINAL
# One 2 h Tuesday meeting a week, so each week takes one block; week 1 is a ramp week that
# admits density 4 but charges early density (weight 1) for it. 'theory' has density 4, the
# final 'exam' density 1. Without the rule the exam takes week 1 (free) and theory week 2
# (not a ramp week: free): 0. With it the exam must come last: theory in week 1, costing
# 2 h × (4 - 2) = 4, the exam in week 2.
FINAL_CATALOG = make_catalog(
    module("theory", "content", 2.0, density=4), module("exam", "skill", 2.0, density=1, final=True)
)
FINAL_PROGRAM = make_program(
    2,
    (TUE,),
    ramp=Ramp(weeks=1, max_hours_per_week=4, max_intensity_per_week=10, max_density=5),
    weights=Weights(balance=0, weeks_without_skills=0, uneven_load=0, early_density=1),
)


def test_model_enforces_final() -> None:
    plan = enforced(Rule.FINAL, FINAL_CATALOG, FINAL_PROGRAM, with_rule=4, without_rule=0)
    assert weeks_of(plan) == {"theory": 1, "exam": 2}


def test_checker_catches_final() -> None:
    catalog = blocks(practice={"final": True})
    days = {"theory": tuesday(1), "practice": thursday(1)}  # the final block last: allowed
    plan = laid_out(catalog, two_weeks(), days)
    assert caught(plan) == {}
    broken = moved(plan, "theory", thursday(2))
    assert caught(broken) == {
        Rule.FINAL: [
            "final module 'practice' starts Thu 2027-01-14 18:00-20:00, before 'theory' "
            "(Thu 2027-01-21 18:00-20:00) ended; it must come after every other module"
        ]
    }


# ================================================================== every rule has its pair

PAIRS: dict[Rule, tuple[Callable[[], None], Callable[[], None]]] = {
    Rule.MEETINGS: (test_model_enforces_meetings, test_checker_catches_meetings),
    Rule.WEEKLY_HOURS: (test_model_enforces_weekly_hours, test_checker_catches_weekly_hours),
    Rule.WEEKLY_INTENSITY: (
        test_model_enforces_weekly_intensity,
        test_checker_catches_weekly_intensity,
    ),
    Rule.WEEKLY_MODULES: (test_model_enforces_weekly_modules, test_checker_catches_weekly_modules),
    Rule.WEEKLY_MODULES_FLOOR: (
        test_model_enforces_weekly_modules_floor,
        test_checker_catches_weekly_modules_floor,
    ),
    Rule.RAMP_DENSITY: (test_model_enforces_ramp_density, test_checker_catches_ramp_density),
    Rule.PREREQUISITES: (test_model_enforces_prerequisites, test_checker_catches_prerequisites),
    Rule.WEEK_WINDOW: (test_model_enforces_week_window, test_checker_catches_week_window),
    Rule.PRE_SERVICE: (test_model_enforces_pre_service, test_checker_catches_pre_service),
    Rule.FACILITATOR_AVAILABLE: (
        test_model_enforces_facilitator_available,
        test_checker_catches_facilitator_available,
    ),
    Rule.BALANCE_TOLERANCE: (
        test_model_enforces_balance_tolerance,
        test_checker_catches_balance_tolerance,
    ),
    Rule.FROZEN: (test_model_enforces_frozen, test_checker_catches_frozen),
    Rule.FINAL: (test_model_enforces_final, test_checker_catches_final),
}


@pytest.mark.parametrize("rule", list(Rule), ids=lambda rule: rule.name)
def test_every_rule_has_a_model_test_and_a_checker_test(rule: Rule) -> None:
    assert rule in PAIRS, f"Rule.{rule.name} needs a model test and a checker test in PAIRS"
    enforcing, catching = PAIRS[rule]
    assert enforcing.__name__ == f"test_model_enforces_{rule.name.lower()}"
    assert catching.__name__ == f"test_checker_catches_{rule.name.lower()}"
    for test in (enforcing, catching):
        assert globals()[test.__name__] is test, f"{test.__name__} is not collected here"


# ================================================================== the rules' own functions


def test_forbidding_names_each_unary_rule_a_meeting_breaks() -> None:
    # Week 1 is a ramp week (1 h cap, density up to 3), duties start in week 2, and the nurse
    # is away on Tue 2027-01-12. A 2 h, density 4, pre-service module led by the nurse that
    # may not start before week 2:
    #   Tue w1: longer than the 1 h cap, too dense, before its window, nurse away;
    #   Tue w2: all fine but pre-service (duties have started).
    program = make_program(
        2,
        ramp=Ramp(weeks=1, max_hours_per_week=1, max_intensity_per_week=10, max_density=3),
        duties=Duties(start_week=2),
        facilitators={"Nurse": (tuesday(1),)},
    )
    (item,) = make_catalog(
        module("m", hours=2.0, density=4, pre_service=True, facilitator="Nurse", earliest_week=2)
    ).modules
    first, second = meeting_slots(program)
    assert forbidding(item, first, program) == [
        Rule.WEEKLY_HOURS,
        Rule.RAMP_DENSITY,
        Rule.WEEK_WINDOW,
        Rule.FACILITATOR_AVAILABLE,
    ]
    assert forbidding(item, second, program) == [Rule.PRE_SERVICE]


def test_meetings_with_one_unary_key_are_forbidden_by_the_same_rules() -> None:
    # Tue and Thu meetings over two weeks; the nurse is away on Tue of week 1 only, and the
    # module may not come before week 2. Its turns: week 1 (after a ramp of no weeks), 2
    # (its window opens) and 3 (its window shuts after the programme's last week); no
    # duties. Keys: Tue w1 (one turn reached, away), Thu w1 (one, not away), Tue w2 and Thu
    # w2 both (two, not away): the two meetings of week 2 share a key, and both are
    # allowed; Tue w1 breaks the window and the facilitator rule, Thu w1 the window.
    program = make_program(2, (TUE, THU), facilitators={"Nurse": (tuesday(1),)})
    (item,) = make_catalog(module("m", facilitator="nurse ", earliest_week=2)).modules
    away = program.unavailable(item.facilitator)
    tue1, thu1, tue2, thu2 = meeting_slots(program)
    turns = week_turns(item, program)
    assert turns == [1, 2, 3]
    keys = unary_keys([tue1, thu1, tue2, thu2], turns, away)
    assert keys == [(1, True), (1, False), (2, False), (2, False)]
    assert forbidding(item, tue1, program) == [Rule.WEEK_WINDOW, Rule.FACILITATOR_AVAILABLE]
    assert forbidding(item, thu1, program) == [Rule.WEEK_WINDOW]
    assert forbidding(item, tue2, program) == forbidding(item, thu2, program) == []


@pytest.mark.parametrize("seed", range(3))
def test_each_unary_rule_judges_a_meeting_by_its_turns_and_day_alone(seed: int) -> None:
    # Generated modules (windows, pre-service, facilitators away on some days) under a
    # six-week ramp of 1 h and density 2 at most, duties from week 4: grouped by the key
    # that a rule's own turns give, every meeting of a group gets one verdict from it; and
    # each rule both forbids and allows somewhere, so every turn is put to the test.
    catalog, program = generator.generate(40, weeks=12, meetings_per_week=2, seed=seed)
    ramp = Ramp(weeks=6, max_hours_per_week=1.0, max_density=2)
    program = dataclasses.replace(program, ramp=ramp, duties=Duties(start_week=4))
    slots = meeting_slots(program)
    seen = set()
    for item in catalog.modules:
        away = program.unavailable(item.facilitator)
        for rule, unary in UNARY.items():
            keys = unary_keys(slots, sorted(unary.turns(item, program)), away)
            verdicts: dict[tuple[int, bool], set[bool]] = {}
            for key, slot in zip(keys, slots):
                verdicts.setdefault(key, set()).add(unary.forbids(item, slot, program))
            assert all(len(found) == 1 for found in verdicts.values()), (rule, item.id)
            seen |= {(rule, verdict) for found in verdicts.values() for verdict in found}
    assert seen == {(rule, verdict) for rule in UNARY for verdict in (True, False)}


def test_depths_are_the_longest_prerequisite_chains_below_and_above() -> None:
    # a -> b -> c -> d, and a -> d directly too; e stands alone
    catalog = make_catalog(
        module("d", prerequisites="a;c"),
        module("c", prerequisites="b"),
        module("b", prerequisites="a"),
        module("a"),
        module("e"),
    )
    before, after = depths(catalog)
    assert before == {"a": 0, "b": 1, "c": 2, "d": 3, "e": 0}
    assert after == {"a": 3, "b": 2, "c": 1, "d": 0, "e": 0}


def test_a_chain_far_deeper_than_the_recursion_limit_is_walked() -> None:
    # m0 -> m1 -> ... -> m4999: a recursive walk would stop near 1000 (Python's limit)
    rows = [module(f"m{i}", prerequisites=f"m{i - 1}" if i else "") for i in range(5000)]
    before, after = depths(make_catalog(*rows))
    assert (before["m4999"], after["m0"], before["m0"], after["m4999"]) == (4999, 4999, 0, 0)


def test_a_rule_reads_as_its_short_key() -> None:
    # the keys appear in re-planning warnings ("the window rule now forbids it")
    assert [str(rule) for rule in (Rule.WEEK_WINDOW, Rule.WEEKLY_HOURS)] == ["window", "hours"]
    assert Rule("ramp_density") is Rule.RAMP_DENSITY
