"""Why no plan exists (explain/conflicts.py): each infeasible example names the clash (key
words and numbers), and every suggestion really makes it solvable: we apply the change it
names ourselves and re-solve. The conflicts are few (at most 3) and minimal."""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from curriculum import (
    Balance,
    Catalog,
    Conflict,
    Duties,
    Load,
    Meeting,
    Program,
    Ramp,
    Result,
    Status,
)
from curriculum.explain import explain_infeasibility
from tests.builders import (
    PLANNED,
    START,
    THU,
    TUE,
    make_catalog,
    make_program,
    module,
    solve_checked,
    thursday,
    tuesday,
    with_changes,
)

# ------------------------------------------------------------------ suggestions -> changes

Change = Callable[[Catalog, Program, "re.Match[str]"], tuple[Catalog, Program]]


def _edit_module(catalog: Catalog, module_id: str, **values: Any) -> Catalog:
    """The catalog with some fields of one module changed, via its DataFrame."""
    frame = catalog.frame
    assert module_id in set(frame["id"]), f"the suggestion names unknown module {module_id}"
    row = frame.index[frame["id"] == module_id][0]
    for column, value in values.items():
        frame.loc[row, column] = value
    return Catalog.from_frame(frame)


def _number(match: re.Match[str]) -> float:
    return float(match["n"])


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _lengthen_meeting(catalog: Catalog, program: Program, match: re.Match[str]) -> Any:
    """The first meeting on the named weekday gets longer (and the weekly cap higher)."""
    day = WEEKDAYS.index(match["day"])
    (index, meeting), *_ = [(i, m) for i, m in enumerate(program.meetings) if m.weekday == day]
    longer = dataclasses.replace(meeting, hours=max(meeting.hours, _number(match)))
    meetings = (*program.meetings[:index], longer, *program.meetings[index + 1 :])
    program = dataclasses.replace(program, meetings=meetings)
    if match["cap"]:
        cap = max(program.limits.hours, float(match["cap"]))
        program = with_changes(program, load={"max_hours_per_week": cap})
    return catalog, program


# Every kind of suggestion the explainer makes, and the change it names. Values only ever
# move in the relaxing direction, so applying several suggestions keeps each one's effect.
SUGGESTIONS: dict[str, Change] = {
    r"raise the ramp weeks' cap to (?P<n>[\d.]+) hours": lambda c, p, m: (
        c,
        with_changes(p, ramp={"max_hours_per_week": max(p.limits.ramp_hours, _number(m))}),
    ),
    r"raise the weekly cap to (?P<n>[\d.]+) hours": lambda c, p, m: (
        c,
        with_changes(p, load={"max_hours_per_week": max(p.limits.hours, _number(m))}),
    ),
    r"raise the ramp weeks' intensity cap to (?P<n>[\d.]+)": lambda c, p, m: (
        c,
        with_changes(
            p,
            ramp={"max_intensity_per_week": max(p.limits.ramp_intensity, _number(m))},
        ),
    ),
    r"raise the weekly intensity cap to (?P<n>[\d.]+)": lambda c, p, m: (
        c,
        with_changes(
            p,
            load={"max_intensity_per_week": max(p.limits.intensity, _number(m))},
        ),
    ),
    r"start duties in week (?P<n>\d+) instead of week \d+": lambda c, p, m: (
        c,
        with_changes(p, duties={"start_week": max(p.limits.duty_start or 0, int(m["n"]))}),
    ),
    r"take '(?P<id>[^']+)' out of pre-service \(teach it after duties start\)": lambda c, p, m: (
        _edit_module(c, m["id"], pre_service=False),
        p,
    ),
    r"drop the latest week of '(?P<id>[^']+)'": lambda c, p, m: (
        _edit_module(c, m["id"], latest_week=None),
        p,
    ),
    r"drop the earliest week of '(?P<id>[^']+)'": lambda c, p, m: (
        _edit_module(c, m["id"], earliest_week=None),
        p,
    ),
    r"allow density up to (?P<n>[1-5]) in the ramp weeks": lambda c, p, m: (
        c,
        with_changes(p, ramp={"max_density": max(p.limits.ramp_density, int(m["n"]))}),
    ),
    r"shorten the ramp to (?P<n>\d+) weeks": lambda c, p, m: (
        c,
        with_changes(p, ramp={"weeks": min(p.limits.ramp_weeks, int(m["n"]))}),
    ),
    r"widen the weekly balance tolerance to (?P<n>\d+)%": lambda c, p, m: (
        c,
        with_changes(
            p, balance={"weekly_tolerance": max(p.balance.weekly_tolerance or 0, _number(m) / 100)}
        ),
    ),
    r"ask someone other than (?P<who>.+) to lead '(?P<id>[^']+)'": lambda c, p, m: (
        _edit_module(c, m["id"], facilitator="Someone else"),
        dataclasses.replace(
            p, facilitators={k: v for k, v in p.facilitators.items() if k != m["who"]}
        ),
    ),
    r"add (?P<n>\d+) weeks? \((?P<total>\d+) in all\)": lambda c, p, m: (
        c,
        dataclasses.replace(p, weeks=max(p.weeks, int(m["total"]))),
    ),
    r"lengthen the (?P<day>\w+) meeting to (?P<n>[\d.]+) hours"
    r"( and raise the weekly cap to (?P<cap>[\d.]+) hours)?": _lengthen_meeting,
}


def apply_suggestion(
    suggestion: str, catalog: Catalog, program: Program
) -> tuple[Catalog, Program]:
    """The change a suggestion names, applied; fails on a suggestion of unknown kind."""
    for pattern, change in SUGGESTIONS.items():
        match = re.fullmatch(pattern, suggestion)
        if match:
            return change(catalog, program, match)
    pytest.fail(f"suggestion of an unknown kind: {suggestion!r}")


def assert_suggestions_solve(
    result: Result, catalog: Catalog, program: Program
) -> tuple[Catalog, Program]:
    """Every conflict has a suggestion; with all of them applied, a plan exists (checked)."""
    for conflict in result.conflicts:
        assert conflict.suggestion, f"no suggestion for: {conflict}"
        assert conflict.suggestion in str(conflict)
        catalog, program = apply_suggestion(conflict.suggestion, catalog, program)
    relaxed = solve_checked(catalog, program)
    assert relaxed.status in PLANNED, f"still no plan after {result.conflicts}: {relaxed}"
    return catalog, program


def infeasible(catalog: Catalog, program: Program) -> tuple[Conflict, ...]:
    result = solve_checked(catalog, program)
    assert result.status is Status.INFEASIBLE, str(result)
    assert 1 <= len(result.conflicts) <= 3
    for conflict in result.conflicts:
        assert str(conflict).startswith(conflict.summary)
    return result.conflicts


def described(conflict: Conflict) -> str:
    """The conflict's text and its lines, one per clashing rule."""
    return "\n".join([str(conflict), *conflict.rules])


def the_one(conflicts: Sequence[Conflict], *words: str) -> Conflict:
    """The single conflict whose text has every word."""
    hits = [c for c in conflicts if all(w in str(c) for w in words)]
    assert len(hits) == 1, f"expected one conflict with {words}: {[str(c) for c in conflicts]}"
    return hits[0]


# ------------------------------------------------------------------ the bundled catalog


@pytest.fixture(scope="module")
def eight_weeks(
    bundled_catalog: Catalog, default_program: Program
) -> tuple[Catalog, Program, Result]:
    # The bundled catalog in 8 weeks, duties from week 8: ramp weeks 1-4 hold 3 h each and
    # weeks 5-8 hold 4 h each, 28 h in all, for more than 28 h of modules.
    program = dataclasses.replace(default_program, weeks=8, duties=Duties(8), ramp=Ramp(weeks=4))
    return bundled_catalog, program, solve_checked(bundled_catalog, program)


def test_too_few_weeks_for_the_bundled_catalog(
    eight_weeks: tuple[Catalog, Program, Result],
) -> None:
    catalog, program, result = eight_weeks
    assert catalog.total_hours > 28
    assert result.status is Status.INFEASIBLE
    assert 1 <= len(result.conflicts) <= 3
    room = the_one(result.conflicts, "Weeks 1-8 allow 28 hours in all")
    assert f"need {catalog.total_hours:g} hours" in str(room)
    assert re.search(r"add \d+ weeks? \(\d+ in all\)", room.suggestion or "")
    for late in (m for m in catalog.modules if (m.earliest_week or 1) > program.weeks):
        the_one(result.conflicts, f"'{late.id}'", f"week {late.earliest_week}")
    assert_suggestions_solve(result, catalog, program)


def test_suggested_weeks_alone_fix_the_room_conflict(
    eight_weeks: tuple[Catalog, Program, Result],
) -> None:
    # judged on its own (the other conflicts' rules off), the room conflict needs enough weeks
    # for the hours: 12 h of ramp + 4 h a week after it
    catalog, program, result = eight_weeks
    room = the_one(result.conflicts, "Weeks 1-8 allow 28 hours in all")
    _, relaxed = apply_suggestion(room.suggestion or "", catalog, program)
    assert 12 + 4 * (relaxed.weeks - 4) >= catalog.total_hours


# ------------------------------------------------------------------ small examples


LONG_THU = Meeting("thu", "18:00", 3)


def _pre_service_catalog(count: int) -> Catalog:
    return make_catalog(
        *(module(f"p{i}", "skill" if i % 2 else "content", pre_service=True) for i in range(count)),
        module("after", "skill"),
    )


TIGHT_RAMP = make_program(
    4,
    (TUE, THU),
    ramp=Ramp(weeks=2, max_hours_per_week=2, max_intensity_per_week=7, max_density=3),
    duties=Duties(start_week=3),
)


def test_ramp_too_tight_for_the_pre_service_load() -> None:
    # Five pre-service modules of 1 h must be done by week 2 (duties start in week 3), and
    # the ramp caps weeks 1-2 at 2 h each: 4 h for 5 h.
    catalog = _pre_service_catalog(5)
    (conflict,) = infeasible(catalog, TIGHT_RAMP)
    assert "Weeks 1-2 allow 4 hours in all" in str(conflict)
    assert "the 5 modules that must fall there need 5 hours" in str(conflict)
    assert all(f"'p{i}'" in described(conflict) for i in range(5))
    assert "'after'" not in described(conflict)
    # 2.5 h would still only fit two 1 h modules a week; the verified cap is 3 h
    assert conflict.suggestion == "raise the ramp weeks' cap to 3 hours"
    assert_suggestions_solve(solve_checked(catalog, TIGHT_RAMP), catalog, TIGHT_RAMP)


def test_conflicts_are_minimal_removing_any_listed_module_solves() -> None:
    catalog = _pre_service_catalog(5)
    (conflict,) = infeasible(catalog, TIGHT_RAMP)
    listed = [m for m in catalog.modules if f"'{m.id}'" in described(conflict)]
    assert len(listed) == 5
    for gone in listed:
        rest = make_catalog(*(row for _, row in catalog.frame.iterrows() if row["id"] != gone.id))
        assert solve_checked(rest, TIGHT_RAMP).status is Status.OPTIMAL, gone.id


def test_duties_starting_too_early_for_a_dense_pre_service_module() -> None:
    # 'crisis' (density 4) is pre-service: with duties in week 2 it must be in week 1, a ramp
    # week allowing density 3. Week 3, after the ramp, is the first week it may take, so
    # duties must start in week 4.
    catalog = make_catalog(
        module("crisis", "content", density=4, pre_service=True), module("drill", "skill")
    )
    program = make_program(4, ramp=Ramp(weeks=2, max_density=3), duties=Duties(start_week=2))
    (conflict,) = infeasible(catalog, program)
    text = str(conflict)
    assert all(w in text for w in ("'crisis'", "pre-service", "week 2", "density 4", "3"))
    assert conflict.suggestion == "start duties in week 4 instead of week 2"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_duties_starting_before_a_pre_service_chain_can_finish() -> None:
    # a -> b -> c, all pre-service, need weeks 1, 2, 3; duties in week 3 leave weeks 1-2.
    catalog = make_catalog(
        module("a", pre_service=True),
        module("b", "skill", prerequisites="a", pre_service=True),
        module("c", "skill", prerequisites="b", pre_service=True),
    )
    program = make_program(5, duties=Duties(start_week=3))
    (conflict,) = infeasible(catalog, program)
    assert "pre-service" in str(conflict) and "must come in a week before" in str(conflict)
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def _chain(length: int) -> Catalog:
    return make_catalog(
        module("c1"),
        *(module(f"c{i}", "skill", prerequisites=f"c{i - 1}") for i in range(2, length + 1)),
    )


def test_prerequisite_chain_longer_than_the_programme() -> None:
    # c1 -> c2 -> c3 -> c4 -> c5 needs 5 weeks; the programme has 3. Any 4 of the chain
    # already need 4 weeks, so a minimal conflict names 3 links; 2 more weeks make it fit.
    catalog, program = _chain(5), make_program(3)
    (conflict,) = infeasible(catalog, program)
    assert str(conflict).count("must come in a week before") == 3
    assert conflict.suggestion == "add 2 weeks (5 in all)"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_conflicts_are_minimal_dropping_any_listed_prerequisite_solves() -> None:
    # c1 -> c2 -> c3 -> c4 in 3 weeks: all three links clash; without any one of them the
    # chain fits.
    catalog, program = _chain(4), make_program(3)
    (conflict,) = infeasible(catalog, program)
    links = [(f"c{i - 1}", f"c{i}") for i in range(2, 5)]
    for before, after in links:
        assert f"'{before}' must come in a week before '{after}'" in str(conflict)
        loose = _edit_module_prerequisites(catalog, after)
        assert solve_checked(loose, program).status is Status.OPTIMAL


def _edit_module_prerequisites(catalog: Catalog, module_id: str) -> Catalog:
    frame = catalog.frame
    frame.loc[frame["id"] == module_id, "prerequisites"] = ""
    return Catalog.from_frame(frame)


def test_module_longer_than_every_meeting_held() -> None:
    # Thursday's 3 h meeting would hold 'big', but both Thursdays are holidays; a meeting
    # longer than every module is a catalog error instead (inputs/test_consistency.py)
    catalog = make_catalog(module("big", hours=3), module("drill", "skill"))
    program = make_program(2, (TUE, LONG_THU), holidays=(thursday(1), thursday(2)))
    (conflict,) = infeasible(catalog, program)
    assert "'big' (3 h) is longer than the longest meeting (2 h)" in str(conflict)
    assert conflict.suggestion == "lengthen the Tuesday meeting to 3 hours"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_suggestion_for_a_module_longer_than_every_meeting_held_is_verified() -> None:
    # with a 3 h weekly cap, a longer Tuesday alone would not do: the cap must rise too
    catalog = make_catalog(module("big", hours=3), module("drill", "skill"))
    program = make_program(
        2, (TUE, LONG_THU), load=Load(2.5, 10), holidays=(thursday(1), thursday(2))
    )
    (conflict,) = infeasible(catalog, program)
    assert conflict.suggestion == (
        "lengthen the Tuesday meeting to 3 hours and raise the weekly cap to 3 hours"
    )
    assert "longest meeting (2 h)" in str(conflict)
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_module_longer_than_the_weekly_cap_is_named() -> None:
    # 'big' (2.5 h) fits the 3 h meeting but not the 2 h weekly cap; 4.5 h in all < 6 h
    catalog = make_catalog(
        module("big", hours=2.5), module("drill", "skill"), module("more", "content")
    )
    program = make_program(3, (Meeting("tue", "18:00", 3),), load=Load(2, 10))
    (conflict,) = infeasible(catalog, program)
    assert conflict.suggestion == "raise the weekly cap to 2.5 hours"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)
    assert "'big'" in described(conflict)


# Smaller clashes of the other rule families: (instance, words in the conflict, suggestion)
FAMILIES = {
    "facilitator": (
        make_catalog(module("meds", facilitator="Nurse"), module("drill", "skill")),
        make_program(1, facilitators={"Nurse": (tuesday(1),)}),
        ("'meds'", "Nurse", "2027-01-12"),
        "ask someone other than Nurse to lead 'meds'",
    ),
    "window": (
        make_catalog(*(module(f"w{i}", latest_week=1) for i in range(3))),
        make_program(2),
        ("must be taught in week 1",),
        None,
    ),
    "balance": (
        make_catalog(module("talk", hours=2.0), module("drill", "skill", hours=0.5)),
        make_program(1, (TUE, THU), balance=Balance(content_share=0.5, weekly_tolerance=0.1)),
        ("week 1", "50%", "10%"),
        "widen the weekly balance tolerance to 35%",
    ),
    "intensity": (
        make_catalog(module("a", hours=2.0, density=5), module("b", "skill", hours=2.0, density=5)),
        make_program(1, (TUE, THU), load=Load(4, 10)),
        ("Week 1 allows 10 intensity", "need 20 intensity"),
        "raise the weekly intensity cap to 20",
    ),
    "ramp density": (
        make_catalog(module("dense", density=5), module("drill", "skill")),
        make_program(1, ramp=Ramp(weeks=1, max_density=3)),
        ("'dense'", "density 5", "3"),
        "allow density up to 5 in the ramp weeks",
    ),
    "meetings": (
        make_catalog(module("a"), module("b"), module("drill", "skill")),
        make_program(1),
        ("meetings hold at most 2 hours", "need 3"),
        "add 1 week (2 in all)",
    ),
    "hours and meetings": (
        # caps 1 h + 4 h and meetings 4 h + 2 h (a holiday in week 2): 5 h and 6 h are enough
        # on their own, but together they leave 1 h + 2 h for 4 h of modules
        make_catalog(*(module(f"m{i}", "skill" if i % 2 else "content") for i in range(4))),
        make_program(
            2,
            (TUE, THU),
            ramp=Ramp(weeks=1, max_hours_per_week=1, max_intensity_per_week=7, max_density=3),
            holidays=(thursday(2),),
        ),
        ("Weeks 1-2 allow 3 hours in all", "need 4 hours"),
        "raise the ramp weeks' cap to 2 hours",
    ),
    "no meetings": (
        make_catalog(module("a")),
        make_program(1, holidays=(tuesday(1),)),
        ("no meetings",),
        None,
    ),
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_rule_family_explains_itself(family: str) -> None:
    catalog, program, words, expected = FAMILIES[family]
    conflicts = infeasible(catalog, program)
    conflict = the_one(conflicts, *words)
    if expected is not None:
        assert conflict.suggestion == expected
    if conflict.suggestion is not None:
        assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_hours_and_intensity_both_short_are_two_conflicts_fixed_apart() -> None:
    # as in the classic BACP instances one below their optimal cap: density 1 makes the
    # intensity cap bind exactly like the hours cap; counting proves both without search
    catalog = make_catalog(*(module(f"m{i}", density=1, hours=1.5) for i in range(6)))
    program = make_program(4, (TUE, THU), load=Load(2, 2))
    conflicts = infeasible(catalog, program)
    hours = the_one(conflicts, "Weeks 1-4 allow 8 hours in all", "need 9 hours")
    intensity = the_one(conflicts, "Weeks 1-4 allow 8 intensity in all", "need 9 intensity")
    # judged apart: each cap alone must rise to 3 (two 1.5 h modules in one week)
    assert hours.suggestion == "raise the weekly cap to 3 hours"
    assert intensity.suggestion == "raise the weekly intensity cap to 3"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_conflicts_are_few() -> None:
    # five modules, each led by someone away on the only meeting: five separate clashes,
    # at most three reported
    catalog = make_catalog(
        *(module(f"m{i}", facilitator=f"Trainer {i}") for i in range(5)), module("s", "skill")
    )
    program = make_program(1, facilitators={f"Trainer {i}": (tuesday(1),) for i in range(5)})
    conflicts = infeasible(catalog, program)
    assert len(conflicts) == 3
    named = [c for c in conflicts if any(f"'m{i}'" in str(c) for i in range(5))]
    assert len(named) == 3


def test_the_explanation_stays_inside_its_time(
    bundled_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: the explanation's own budgets (2 s a check, 15 s for suggestions) came on top
    # of `time_limit`. With no time left, counting still names the plain clash (no search),
    # and the explanation says it was cut short.
    program = dataclasses.replace(
        Program(start=START, timezone="UTC"), weeks=6, duties=Duties(5), ramp=Ramp(weeks=4)
    )
    conflicts, cut = explain_infeasibility(bundled_catalog, program, seconds=0.0)
    assert cut
    assert any("Weeks 1-6 allow 20 hours in all" in c.summary for c in conflicts)
    assert all(c.suggestion is None for c in conflicts)  # no time to verify one
    # solve() gives the explanation what is left of its time limit, and says when it is cut
    given: list[float] = []

    def explain(*args: Any, seconds: float) -> tuple[list[Conflict], bool]:
        given.append(seconds)
        return explain_infeasibility(*args, seconds=0.0)

    solve_module = importlib.import_module("curriculum.solve")  # the package shows solve()
    monkeypatch.setattr(solve_module, "explain_infeasibility", explain)
    result = solve_checked(bundled_catalog, program, time_limit=3)
    assert result.status is Status.INFEASIBLE
    assert len(given) == 1 and 0 < given[0] <= 3
    assert any("time limit ran out before every clash was explained" in w for w in result.warnings)
