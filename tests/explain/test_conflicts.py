"""Why no plan exists (explain/conflicts.py): each infeasible example names the clash (key
words and numbers, modules by title, each rule once), and every suggestion names the key
or option to set and really makes it solvable: we make the change it names ourselves,
through the programme's TOML keys and the catalog's cells, and re-solve. Suggestions that
keep the evidence-based rules come first; one change fixes every clash when one exists."""

from __future__ import annotations

import dataclasses
import importlib
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from curriculum import (
    Balance,
    Catalog,
    Conflict,
    Duties,
    Load,
    Meeting,
    Plan,
    Program,
    Ramp,
    Result,
    Status,
    read_catalog,
)
from curriculum.explain import Explanation, Suggestion, explain_infeasibility
from curriculum.render.text import no_plan_text
from tests.builders import (
    PLANNED,
    START,
    THU,
    TUE,
    applied,
    laid_out,
    make_catalog,
    make_program,
    module,
    solve_checked,
    thursday,
    tuesday,
    weeks_of,
)

SETTING = re.compile(
    r"(set \w+ = .+|add a \[\[meetings\]\] entry: .+|remove \[facilitators\..+\]"
    r"|remove \w+ from \[\w+\]|use --\S+ .+|clear \w+ for '.+' in the catalog \(leave its "
    r"cell empty\))"
)


def assert_actionable(result: Result) -> None:
    """Every suggestion names what to set, in words that say the key or option; those that
    keep the evidence-based rules come first, those that loosen one are marked."""
    for conflict in result.conflicts:
        keeps = [s.keeps_evidence for s in conflict.suggestions]
        assert keeps == sorted(keeps, reverse=True), f"a loosening fix came first: {conflict}"
        for suggestion in conflict.suggestions:
            assert suggestion.settings, f"no setting named: {suggestion}"
            assert all(SETTING.fullmatch(s.text) for s in suggestion.settings), suggestion
            assert ("(relaxes " in str(suggestion)) != suggestion.keeps_evidence
            assert str(suggestion) in str(conflict)


def assert_suggestions_solve(
    result: Result, catalog: Catalog, program: Program, **options: Any
) -> None:
    """Every conflict has a suggestion, and a plan exists (checked) with the one change
    that fixes every clash applied alone; for a single clash, with each of its suggestions
    applied alone. (Several clashes are each judged apart, with the others' rules off, so
    only the one change is verified with every rule on.) `options` go to `solve`."""
    assert_actionable(result)
    assert all(conflict.suggestions for conflict in result.conflicts)
    assert result.fix is not None, "no single change found"
    assert_fix_solves(result.fix, catalog, program, **options)
    if len(result.conflicts) == 1:
        assert result.fix == result.conflicts[0].suggestions[0]
        for suggestion in result.conflicts[0].suggestions[1:]:
            assert_fix_solves(suggestion, catalog, program, **options)


def assert_fix_solves(
    fix: Suggestion, catalog: Catalog, program: Program, **options: Any
) -> Result:
    """The change applied alone gives a plan (checked)."""
    fixed_catalog, fixed_program, freeze = applied(fix, catalog, program)
    if freeze is not None:
        options["freeze_before"] = freeze
    relaxed = solve_checked(fixed_catalog, fixed_program, **options)
    assert relaxed.status in PLANNED, f"still no plan after {fix}: {relaxed}"
    return relaxed


def infeasible(catalog: Catalog, program: Program) -> tuple[Conflict, ...]:
    result = solve_checked(catalog, program)
    assert result.status is Status.INFEASIBLE, str(result)
    assert result.conflicts
    for conflict in result.conflicts:
        assert str(conflict).startswith(conflict.summary)
        assert len(set(conflict.rules)) == len(conflict.rules)  # each rule once
    return result.conflicts


def described(conflict: Conflict) -> str:
    """The conflict's text and its lines, one per clashing rule."""
    return "\n".join([str(conflict), *conflict.rules])


def the_one(conflicts: Sequence[Conflict], *words: str) -> Conflict:
    """The single conflict whose text has every word."""
    hits = [c for c in conflicts if all(w in str(c) for w in words)]
    assert len(hits) == 1, f"expected one conflict with {words}: {[str(c) for c in conflicts]}"
    return hits[0]


def actions(conflict: Conflict) -> list[str]:
    return [s.action for s in conflict.suggestions]


def settings(suggestion: Suggestion | None) -> list[tuple[str, object]]:
    assert suggestion is not None
    return [(s.key, s.value) for s in suggestion.settings]


# ------------------------------------------------------------------ the bundled catalog


@pytest.fixture(scope="module")
def eight_weeks(
    bundled_catalog: Catalog, default_program: Program
) -> tuple[Catalog, Program, Result]:
    # The bundled catalog in 8 weeks, duties from week 8: ramp weeks 1-4 hold 3 h each and
    # weeks 5-8 hold 4 h each, 28 h in all, for more than 28 h of modules.
    program = dataclasses.replace(default_program, weeks=8, duties=Duties(8), ramp=Ramp(weeks=4))
    return bundled_catalog, program, solve_checked(bundled_catalog, program, time_limit=60)


def test_too_few_weeks_for_the_bundled_catalog(
    eight_weeks: tuple[Catalog, Program, Result],
) -> None:
    catalog, program, result = eight_weeks
    assert catalog.total_hours > 28
    assert result.status is Status.INFEASIBLE
    room = the_one(result.conflicts, "Weeks 1-8 allow 28 hours under their caps")
    assert f"need {catalog.total_hours:g} hours" in str(room)
    assert re.fullmatch(r"add \d+ weeks? \(\d+ in all\)", actions(room)[0])
    for late in (m for m in catalog.modules if (m.earliest_week or 1) > program.weeks):
        the_one(result.conflicts, f"'{late.title}'", f"week {late.earliest_week}")
    assert_suggestions_solve(result, catalog, program)


def test_suggested_weeks_alone_fix_the_room_conflict(
    eight_weeks: tuple[Catalog, Program, Result],
) -> None:
    # judged on its own (the other conflicts' rules off), the room conflict needs enough weeks
    # for the hours: 12 h of ramp + 4 h a week after it
    catalog, program, result = eight_weeks
    room = the_one(result.conflicts, "Weeks 1-8 allow 28 hours under their caps")
    _, relaxed, _ = applied(room.suggestions[0], catalog, program)
    assert 12 + 4 * (relaxed.weeks - 4) >= catalog.total_hours


def _pre_service(catalog: Catalog) -> tuple[int, float, float]:
    """How many pre-service modules, their hours and their intensity."""
    modules = [m for m in catalog.modules if m.pre_service]
    return len(modules), sum(m.hours for m in modules), sum(m.intensity for m in modules)


def test_the_tours_impossible_programme(
    bundled_catalog: Catalog, impossible_result: Result
) -> None:
    result = impossible_result
    assert result.status is Status.INFEASIBLE and result.inputs is not None
    program = result.inputs.program
    assert program.limits.duty_start == 4
    # Counting alone proves two clashes. (1) Weeks 1-3 are ramp weeks (3 h and intensity 7
    # each, two 2 h meetings): 9 h, 12 h of meetings and intensity 21 for every pre-service
    # module (16 of them in the bundled catalog). (2) 'crisis-safety' (density 4) is
    # pre-service, so it must go in weeks 1-3, where the ramp allows density 3 at most.
    count, hours, intensity = _pre_service(bundled_catalog)
    assert hours > 12 and intensity > 21
    room = the_one(
        result.conflicts,
        "Weeks 1-3 allow 9 hours under their caps, 12 hours of meetings and 21 intensity",
        f"the {count} pre-service modules need {hours:g} hours and {intensity:g} intensity",
    )
    crisis = bundled_catalog["crisis-safety"]
    stuck = the_one(result.conflicts, f"No meeting is open to '{crisis.title}'")
    assert f"density {crisis.density}, above the ramp's maximum of 3" in described(stuck)
    # modules by title: no catalog id in the headlines or the rule lines
    said = "\n".join(described(c).split(" Fix")[0] for c in result.conflicts)
    ids = [m.id for m in bundled_catalog.modules if m.id.lower() != m.title.lower()]
    assert [i for i in ids if f"'{i}'" in said] == []
    # the 16 pre-service modules said once, in one line with their hours
    (line,) = [r for r in room.rules if "pre-service" in r]
    assert line.startswith(f"{count} pre-service modules ({hours:g} h) must end before")
    text = no_plan_text(result)
    assert text.count("must end before duties start") == 2  # one line in each clash
    repeated = [ln for ln, n in Counter(text.splitlines()).items() if n > 1]
    assert repeated == []
    # the first fix of each keeps the evidence: duties later, not a looser ramp
    for conflict in (room, stuck):
        assert conflict.suggestions[0].keeps_evidence
        assert settings(conflict.suggestions[0])[0][0] == "duties.start_week"
    assert result.fix is not None and result.fix.keeps_evidence
    assert_suggestions_solve(result, bundled_catalog, program)


def test_six_weeks_shows_every_counted_clash(
    bundled_catalog: Catalog, default_program: Program
) -> None:
    # `--weeks 6`: the defaults fit 6 weeks: a 2-week ramp (3 h, intensity 7) and 4 weeks of
    # 4 h (intensity 10), 22 h and intensity 54 in all, 24 h of meetings; duties from week
    # 5, so weeks 1-4 hold 3 + 3 + 4 + 4 = 14 h (16 h of meetings, intensity 34) for the
    # pre-service modules. The catalog needs more than all of that.
    program = dataclasses.replace(default_program, weeks=6)
    result = solve_checked(bundled_catalog, program, time_limit=60)  # ends once explained
    assert result.status is Status.INFEASIBLE
    count, hours, intensity = _pre_service(bundled_catalog)
    total = sum(m.intensity for m in bundled_catalog.modules)
    the_one(
        result.conflicts,
        "Weeks 1-6 allow 22 hours under their caps, 24 hours of meetings and 54 intensity",
        f"the {len(bundled_catalog)} modules of the catalog need "
        f"{bundled_catalog.total_hours:g} hours and {total:g} intensity",
    )
    the_one(
        result.conflicts,
        "Weeks 1-4 allow 14 hours under their caps, 16 hours of meetings and 34 intensity",
        f"the {count} pre-service modules need {hours:g} hours and {intensity:g} intensity",
    )
    # more weeks keep every rule: the fix is the number of weeks, as key and option
    assert result.fix is not None
    ((key, weeks),) = settings(result.fix)
    assert key == "weeks" and f"set weeks = {weeks} (--weeks {weeks})" in str(result.fix)
    # The greedy plan finds no start in 10 weeks: two interleaved workers need about 3.1
    # deterministic seconds for a first plan, which a busy machine does not reach in 10 s;
    # one worker has one at 0.2.
    assert_suggestions_solve(result, bundled_catalog, program, workers=1)


def test_a_new_holiday_makes_the_replan_impossible(
    bundled_catalog: Catalog, default_plan: Plan, replan_after_a_holiday: Result
) -> None:
    # Frozen before Mon 2027-03-15 (week 10), the default plan still has weeks 10-12 to
    # teach; Tue 2027-03-16 and Tue 2027-03-23 become holidays, so weeks 10-12 keep four
    # 2 h meetings: 8 h.
    result = replan_after_a_holiday
    sessions = default_plan.sessions
    left = sessions[sessions["week"] >= 10]
    assert left["hours"].sum() > 8  # else the holidays would not make it impossible
    assert result.status is Status.INFEASIBLE and result.inputs is not None
    headline = the_one(result.conflicts, "After the freeze on 2027-03-15").summary
    assert headline == (
        f"After the freeze on 2027-03-15, the {len(left)} modules left to teach need "
        f"{left['hours'].sum():g} hours, but the meetings left in weeks 10-12 last 8 hours "
        "in all."
    )
    assert "prerequisite" not in no_plan_text(result)
    assert_actionable(result)
    assert result.fix is not None and result.fix.keeps_evidence
    freeze = result.inputs.freeze_before
    assert_fix_solves(
        result.fix,
        bundled_catalog,
        result.inputs.program,
        previous=default_plan,
        freeze_before=freeze,
    )


def test_a_replan_with_too_few_modules_left_for_the_floor_says_so() -> None:
    # Published with no floor: 'a' on Tue of week 1, 'b' and 'c' in week 2, 'd' and 'e' in
    # week 3. Now 3 modules a week at least, frozen before Fri 2027-01-15: week 1 is past
    # and not judged, but weeks 2 and 3 ask for 6 modules and 4 are left to teach:
    # counting shows it. A floor of 2 lets the plan stand as it was.
    catalog = make_catalog(*(module(m) for m in "abcde"))
    free = make_program(3, (TUE, THU))
    days = {"a": tuesday(1), "b": tuesday(2), "c": thursday(2), "d": tuesday(3), "e": thursday(3)}
    published = laid_out(catalog, free, days)
    floored = make_program(3, (TUE, THU), load=Load(4, 10, min_modules_per_week=3))
    freeze = date(2027, 1, 15)
    result = solve_checked(catalog, floored, previous=published, freeze_before=freeze)
    assert result.status is Status.INFEASIBLE and result.deterministic_time == 0.0
    (conflict,) = result.conflicts
    assert conflict.summary == (
        "After the freeze on 2027-01-15, weeks 2-3 still need at least 6 modules in all, but "
        "there are only the 4 modules left to teach."
    )
    assert conflict.rules == (
        "weeks 2-3 need at least 3 modules each",
        "what happened before 2027-01-15 stays where it was; weeks 2-3 remain open",
    )
    assert settings(result.fix) == [("load.min_modules_per_week", 2)]
    fixed = assert_fix_solves(
        result.fix, catalog, floored, previous=published, freeze_before=freeze
    )
    assert weeks_of(fixed.plan) == {"a": 1, "b": 2, "c": 2, "d": 3, "e": 3}


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
    assert (
        conflict.summary
        == "Weeks 1-2 allow 4 hours in all, but the 5 pre-service modules need 5 hours."
    )
    assert conflict.rules[-1] == (
        "5 pre-service modules (5 h) must end before duties start in week 3: "
        "'P0', 'P1', 'P2', 'P3' and 'P4'"
    )
    assert "'After'" not in described(conflict)
    # Keeping the ramp: duties in week 4 leave weeks 1-3 (2 + 2 + 4 h). Loosening it: 2.5 h
    # would still fit only two 1 h modules a week; the verified cap is 3 h.
    assert [str(s) for s in conflict.suggestions] == [
        "start duties in week 4 instead of week 3: set start_week = 4 in [duties]",
        "raise the ramp weeks' cap to 3 hours: set max_hours_per_week = 3 in [ramp] "
        "(relaxes the gentler first weeks [17])",
    ]
    assert_suggestions_solve(solve_checked(catalog, TIGHT_RAMP), catalog, TIGHT_RAMP)


def test_a_counted_pre_service_clash_names_every_pre_service_module() -> None:
    # removing any one of the five pre-service modules solves: none is left out of the clash
    catalog = _pre_service_catalog(5)
    (conflict,) = infeasible(catalog, TIGHT_RAMP)
    listed = [m for m in catalog.modules if f"'{m.title}'" in described(conflict)]
    assert [m.id for m in listed] == [f"p{i}" for i in range(5)]
    for gone in listed:
        rest = make_catalog(*(row for _, row in catalog.frame.iterrows() if row["id"] != gone.id))
        assert solve_checked(rest, TIGHT_RAMP).status is Status.OPTIMAL, gone.id


def test_duties_starting_too_early_for_a_dense_pre_service_module() -> None:
    # 'crisis' (density 4) is pre-service: with duties in week 2 it must be in week 1, a ramp
    # week allowing density 3. Week 3, after the ramp, is the first week it may take, so
    # duties must start in week 4; or, loosening standards, it leaves pre-service.
    catalog = make_catalog(
        module("crisis", "content", density=4, pre_service=True), module("drill", "skill")
    )
    program = make_program(4, ramp=Ramp(weeks=2, max_density=3), duties=Duties(start_week=2))
    (conflict,) = infeasible(catalog, program)
    assert conflict.summary == "No meeting is open to 'Crisis':"
    assert conflict.rules == (
        "'Crisis' (1 h) is pre-service: it must end before duties start in week 2",
        "'Crisis' has density 4, above the ramp's maximum of 3 in weeks 1-2",
    )
    assert [str(s) for s in conflict.suggestions] == [
        "start duties in week 4 instead of week 2: set start_week = 4 in [duties]",
        "take 'Crisis' out of pre-service (teach it after duties start): set pre_service = "
        "false for 'crisis' in the catalog (relaxes standards before duties [4][5])",
    ]
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_duties_from_week_1_leave_no_week_to_count_and_say_so() -> None:
    # Before: "The meetings in week 0 last 0 hours in all, but the 2 pre-service modules
    # need 2 hours."
    catalog = make_catalog(
        module("a", pre_service=True), module("b", "skill", pre_service=True), module("c")
    )
    program = make_program(2, duties=Duties(start_week=1))
    summaries = [conflict.summary for conflict in infeasible(catalog, program)]
    assert not any("week 0" in summary for summary in summaries), summaries
    assert (
        "The 2 pre-service modules must be taught before duties start in week 1, but no week "
        "comes before it." in summaries
    )


def test_modules_shut_out_for_the_same_reason_are_one_clash() -> None:
    # two dense modules in a 1-week, all-ramp programme: one clash naming both
    catalog = make_catalog(module("x", density=5), module("y", density=4), module("s", "skill"))
    program = make_program(1, ramp=Ramp(weeks=1, max_density=3))
    conflict = the_one(infeasible(catalog, program), "No meeting is open to 'X' and 'Y':")
    assert conflict.rules == (
        "2 modules are denser than the ramp's maximum of 3 in week 1: 'X' (5) and 'Y' (4)",
    )


def test_duties_starting_before_a_pre_service_chain_can_finish() -> None:
    # a -> b -> c, all pre-service, need weeks 1, 2, 3; duties in week 3 leave weeks 1-2.
    catalog = make_catalog(
        module("a", pre_service=True),
        module("b", "skill", prerequisites="a", pre_service=True),
        module("c", "skill", prerequisites="b", pre_service=True),
    )
    program = make_program(5, duties=Duties(start_week=3))
    (conflict,) = infeasible(catalog, program)
    assert "'A', then 'B', then 'C' must each come in a later week" in str(conflict)
    assert "'C' (1 h) is pre-service" in str(conflict)
    assert actions(conflict)[0] == "start duties in week 4 instead of week 3"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def _chain(length: int) -> Catalog:
    return make_catalog(
        module("c1"),
        *(module(f"c{i}", "skill", prerequisites=f"c{i - 1}") for i in range(2, length + 1)),
    )


def test_prerequisite_chain_longer_than_the_programme() -> None:
    # c1 -> c2 -> c3 -> c4 -> c5 needs 5 weeks; the programme has 3. Any 4 of the chain
    # already need 4 weeks, so a minimal conflict names 3 links, said as one chain of 4;
    # 2 more weeks make it fit.
    catalog, program = _chain(5), make_program(3)
    (conflict,) = infeasible(catalog, program)
    assert conflict.summary == "The prerequisite chain needs more weeks than the programme has:"
    (line,) = conflict.rules
    assert re.fullmatch(
        r"'C\d', then 'C\d', then 'C\d', then 'C\d' must each come in a later week than the "
        r"one before \(4 weeks\)",
        line,
    )
    assert str(conflict.suggestions[0]) == "add 2 weeks (5 in all): set weeks = 5 (--weeks 5)"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_conflicts_are_minimal_dropping_any_listed_prerequisite_solves() -> None:
    # c1 -> c2 -> c3 -> c4 in 3 weeks: all three links clash; without any one of them the
    # chain fits.
    catalog, program = _chain(4), make_program(3)
    (conflict,) = infeasible(catalog, program)
    assert "'C1', then 'C2', then 'C3', then 'C4' must each come" in str(conflict)
    for after in ("c2", "c3", "c4"):
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
    assert "'Big' (3 h) is longer than the longest meeting (2 h)" in str(conflict)
    assert str(conflict.suggestions[0]) == (
        "lengthen the Tuesday meeting to 3 hours: set hours = 3 in the Tuesday [[meetings]] entry"
    )
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_suggestion_for_a_module_longer_than_every_meeting_held_is_verified() -> None:
    # with a 2.5 h weekly cap, a longer Tuesday alone would not do: the cap must rise too,
    # which loosens the weekly load cap
    catalog = make_catalog(module("big", hours=3), module("drill", "skill"))
    program = make_program(
        2, (TUE, LONG_THU), load=Load(2.5, 10), holidays=(thursday(1), thursday(2))
    )
    (conflict,) = infeasible(catalog, program)
    assert str(conflict.suggestions[0]) == (
        "lengthen the Tuesday meeting to 3 hours and raise the weekly cap to 3 hours: set "
        "hours = 3 in the Tuesday [[meetings]] entry; set max_hours_per_week = 3 in [load] "
        "(relaxes the weekly load cap [17])"
    )
    assert "longest meeting (2 h)" in str(conflict)
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_module_longer_than_the_weekly_cap_is_named() -> None:
    # 'big' (2.5 h) fits the 3 h meeting but not the 2 h weekly cap; 4.5 h in all < 6 h.
    # No more weeks help (every week has the cap): only a higher cap does.
    catalog = make_catalog(
        module("big", hours=2.5), module("drill", "skill"), module("more", "content")
    )
    program = make_program(3, (Meeting("tue", "18:00", 3),), load=Load(2, 10))
    (conflict,) = infeasible(catalog, program)
    assert conflict.rules == ("'Big' lasts 2.5 h, more than the 2-hour cap of weeks 1-3",)
    assert settings(conflict.suggestions[0]) == [("load.max_hours_per_week", 2.5)]
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


# Smaller clashes of the other rule families: (instance, words in the conflict, the
# suggestions' settings as (key, value), keeping ones first)
FAMILIES: dict[str, tuple[Catalog, Program, tuple[str, ...], list[list[tuple[str, object]]]]] = {
    "facilitator": (
        # someone else leads 'meds' (the nurse's absence then matters to no one), or a
        # second week gives 'meds' a meeting the nurse can take
        make_catalog(module("meds", facilitator="Nurse"), module("drill", "skill")),
        make_program(1, facilitators={"Nurse": (tuesday(1),)}),
        ("'Meds' is led by Nurse", "2027-01-12"),
        [[("facilitators", None), ("facilitator", "")], [("weeks", 2)]],
    ),
    "window": (
        # three 1 h modules in week 1's single 2 h meeting: one leaves week 1, or week 1 gets
        # a second meeting (the first weekday without one, Monday, at the same time)
        make_catalog(*(module(f"w{i}", latest_week=1) for i in range(3))),
        make_program(2),
        ("'W0', 'W1' and 'W2' must be taught in week 1",),
        [
            [("latest_week", None)],
            [
                (
                    "meetings",
                    [
                        {"weekday": 1, "start": "18:00", "hours": 2},
                        {"weekday": 0, "start": "18:00", "hours": 2},
                    ],
                )
            ],
        ],
    ),
    "balance": (
        # week 1 holds 2 h of content and 0.5 h of skills: 80% content, 30 points from the
        # target; only a wider tolerance (in steps of 5, 10, 15, 25 points) lets it be
        make_catalog(module("talk", hours=2.0), module("drill", "skill", hours=0.5)),
        make_program(1, (TUE, THU), balance=Balance(content_share=0.5, weekly_tolerance=0.1)),
        ("week 1", "50%", "10%"),
        [[("balance.weekly_tolerance", 0.35)]],
    ),
    "intensity": (
        # 2 h × density 5 twice is intensity 20 against 10: a second week, or a cap of 20
        make_catalog(module("a", hours=2.0, density=5), module("b", "skill", hours=2.0, density=5)),
        make_program(1, (TUE, THU), load=Load(4, 10)),
        ("Week 1 allows 10 intensity in all", "need 20 intensity"),
        [[("weeks", 2)], [("load.max_intensity_per_week", 20.0)]],
    ),
    "modules": (
        # three 1 h modules in one week of two 2 h meetings: 3 h fit the 4 h cap and the
        # meetings, but the week takes 2 modules; counting: 3 modules need ceil(3 / 2) = 2
        # weeks, or a cap of 3
        make_catalog(module("a"), module("b"), module("drill", "skill")),
        make_program(1, (TUE, THU), load=Load(4, 10, max_modules_per_week=2)),
        ("Week 1 allows 2 modules in all", "the 3 modules of the catalog need 3 modules"),
        [[("weeks", 2)], [("load.max_modules_per_week", 3)]],
    ),
    "fewest modules": (
        # a floor of 2 modules a week over 2 weeks, but 'a', 'b' and 'c' must come in week 1:
        # week 2 can have only 'd'. Counting sees no clash (4 modules for 2 + 2); the search
        # names the floor of week 2 and the three windows. A floor of 1 lets it be, and so
        # does dropping the latest week of 'a' (it joins 'd' in week 2).
        make_catalog(*(module(m, latest_week=1) for m in "abc"), module("d", "skill")),
        make_program(2, (TUE, THU), load=Load(4, 10, min_modules_per_week=2)),
        ("week 2 needs at least 2 modules", "'A', 'B' and 'C' must be taught in week 1"),
        [[("load.min_modules_per_week", 1)], [("latest_week", None)]],
    ),
    "too few modules": (
        # a floor of 2 modules a week over 2 weeks asks for 4 modules; the catalog has 3:
        # counting proves it. A floor of 1 asks for 2 (and 3 h fit 4 h a week); more weeks
        # would ask for more
        make_catalog(module("a"), module("b"), module("drill", "skill")),
        make_program(2, (TUE, THU), load=Load(4, 10, min_modules_per_week=2)),
        (
            "Weeks 1-2 need at least 4 modules in all, but there are only the 3 modules of "
            "the catalog.",
            "weeks 1-2 need at least 2 modules each",
        ),
        [[("load.min_modules_per_week", 1)]],
    ),
    "no floor at all": (
        # a floor of 1 over 3 weeks asks for 3 modules, of 2: a floor cannot go below 1, so
        # the fix is none at all (one week stays empty)
        make_catalog(module("a"), module("drill", "skill")),
        make_program(3, (TUE, THU), load=Load(4, 10, min_modules_per_week=1)),
        ("Weeks 1-3 need at least 3 modules in all, but there are only the 2 modules",),
        [[("load.min_modules_per_week", None)]],
    ),
    "ramp density": (
        # week 2 would be after the one-week ramp; or the ramp allows density 5
        make_catalog(module("dense", density=5), module("drill", "skill")),
        make_program(1, ramp=Ramp(weeks=1, max_density=3)),
        ("'Dense'", "density 5", "3"),
        [[("weeks", 2)], [("ramp.max_density", 5)]],
    ),
    "meetings": (
        # 3 h of modules, one 2 h meeting: a Monday meeting too, or a second week
        make_catalog(module("a"), module("b"), module("drill", "skill")),
        make_program(1),
        ("The meetings in week 1 last 2 hours in all", "need 3"),
        [
            [
                (
                    "meetings",
                    [
                        {"weekday": 1, "start": "18:00", "hours": 2},
                        {"weekday": 0, "start": "18:00", "hours": 2},
                    ],
                )
            ],
            [("weeks", 2)],
        ],
    ),
    "hours and meetings": (
        # caps 1 h + 4 h and meetings 4 h + 2 h (a holiday in week 2): 5 h and 6 h are enough
        # on their own, but together they leave 1 h + 2 h for 4 h of modules. A Monday
        # meeting gives week 2 4 h; a third week 4 h more; a ramp cap of 2 h gives 2 + 2.
        make_catalog(*(module(f"m{i}", "skill" if i % 2 else "content") for i in range(4))),
        make_program(
            2,
            (TUE, THU),
            ramp=Ramp(weeks=1, max_hours_per_week=1, max_intensity_per_week=7, max_density=3),
            holidays=(thursday(2),),
        ),
        ("Weeks 1-2 allow 3 hours in all within their caps and meetings", "need 4 hours"),
        [
            [
                (
                    "meetings",
                    [
                        {"weekday": 1, "start": "18:00", "hours": 2},
                        {"weekday": 3, "start": "18:00", "hours": 2},
                        {"weekday": 0, "start": "18:00", "hours": 2},
                    ],
                )
            ],
            [("weeks", 3)],
            [("ramp.max_hours_per_week", 2.0)],
        ],
    ),
}


def _normal(value: object) -> object:
    """Meeting start times compared as written in TOML."""
    if isinstance(value, list):
        return [{k: f"{v:%H:%M}" if k == "start" else v for k, v in item.items()} for item in value]
    return value


@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_rule_family_explains_itself(family: str) -> None:
    catalog, program, words, expected = FAMILIES[family]
    result = solve_checked(catalog, program)
    assert result.status is Status.INFEASIBLE
    conflict = the_one(result.conflicts, *words)
    found = [[(k, _normal(v)) for k, v in settings(s)] for s in conflict.suggestions]
    assert found == expected
    assert_suggestions_solve(result, catalog, program)


def test_no_meetings_left_has_no_suggestion() -> None:
    catalog = make_catalog(module("a"))
    program = make_program(1, holidays=(tuesday(1),))
    (conflict,) = infeasible(catalog, program)
    assert "no meetings" in conflict.summary
    assert conflict.suggestions == ()


def test_hours_and_intensity_both_short_are_one_clash_with_both_counts() -> None:
    # as in the classic BACP instances one below their optimal cap: density 1 makes the
    # intensity cap bind exactly like the hours cap; counting proves both without search,
    # about the same modules, so they are said together. Six 1.5 h modules over 4 weeks at
    # 2 h: one module a week fits, so 6 weeks do; two more weeks keep the caps.
    catalog = make_catalog(*(module(f"m{i}", density=1, hours=1.5) for i in range(6)))
    program = make_program(4, (TUE, THU), load=Load(2, 2))
    (conflict,) = infeasible(catalog, program)
    assert conflict.summary == (
        "Weeks 1-4 allow 8 hours under their caps and 8 intensity (hours × density) in all, "
        "but the 6 modules of the catalog need 9 hours and 9 intensity."
    )
    assert str(conflict.suggestions[0]) == "add 2 weeks (6 in all): set weeks = 6 (--weeks 6)"
    assert_suggestions_solve(solve_checked(catalog, program), catalog, program)


def test_one_change_fixes_many_clashes() -> None:
    # Five 1 h modules, each led by someone away on the only meeting, Tue of week 1 (one
    # clash, said once), and 6 h of modules for that one 2 h meeting (counted). A 2 h
    # meeting takes two modules; the five must come after week 1, so weeks 2-4 hold them
    # (weeks 2-3 hold only four) and week 1 the skill: 4 weeks in all, 3 more.
    catalog = make_catalog(
        *(module(f"m{i}", facilitator=f"Trainer {i}") for i in range(5)), module("s", "skill")
    )
    program = make_program(1, facilitators={f"Trainer {i}": (tuesday(1),) for i in range(5)})
    result = solve_checked(catalog, program)
    conflicts = result.conflicts
    away = the_one(conflicts, "No meeting is open to 'M0', 'M1', 'M2', 'M3' and 'M4':")
    assert len(away.rules) == 5
    the_one(conflicts, "Week 1 allows 4 hours under its cap, 2 hours of meetings and 10 intensity")
    assert str(result.fix) == "add 3 weeks (4 in all): set weeks = 4 (--weeks 4)"
    assert "One change fixes every clash: add 3 weeks" in no_plan_text(result)
    assert_suggestions_solve(result, catalog, program)


def test_the_explanation_stays_inside_its_time(
    bundled_catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: the explanation's own budgets (2 s a check, 15 s for suggestions) came on top
    # of `time_limit`. With no time left, counting still names the plain clash (no search),
    # and the explanation says it was cut short.
    program = dataclasses.replace(
        Program(start=START, timezone="UTC"), weeks=6, duties=Duties(5), ramp=Ramp(weeks=4)
    )
    explanation = explain_infeasibility(bundled_catalog, program, seconds=0.0)
    assert explanation.cut
    assert any(
        "Weeks 1-6 allow 20 hours under their caps" in c.summary for c in explanation.conflicts
    )
    assert all(c.suggestions == () for c in explanation.conflicts)  # no time to verify one
    assert explanation.fix is None
    # solve() gives the explanation what is left of its time limit, and says when it is cut
    given: list[float] = []

    def explain(*args: Any, seconds: float) -> Explanation:
        given.append(seconds)
        return explain_infeasibility(*args, seconds=0.0)

    solve_module = importlib.import_module("curriculum.solve")  # the package shows solve()
    monkeypatch.setattr(solve_module, "explain_infeasibility", explain)
    result = solve_checked(bundled_catalog, program, time_limit=3)
    assert result.status is Status.INFEASIBLE
    assert len(given) == 1 and 0 < given[0] <= 3
    assert any("time limit ran out before every clash was explained" in w for w in result.warnings)


def test_a_module_too_heavy_for_its_weeks_is_not_blamed_on_the_floor() -> None:
    # One 4 h Tuesday meeting a week over 2 weeks, at most 3 h and at least 1 module a
    # week. 'big' (3.5 h) fits the meeting but no week's cap. The 2 modules meet the floor
    # of 2 weeks; without 'big', 'a' alone would leave a week empty, which is no clash of
    # this programme: the only one is 'big' against the cap.
    catalog = make_catalog(module("big", hours=3.5), module("a"))
    program = make_program(
        2,
        (Meeting("tue", "18:00", 4),),
        load=Load(3, 10, min_modules_per_week=1),
        ramp=Ramp(weeks=0),
    )
    conflicts = infeasible(catalog, program)
    assert len(conflicts) == 1, [described(c) for c in conflicts]
    assert "'Big' lasts 3.5 h" in described(conflicts[0])
    assert "at least" not in described(conflicts[0])


def test_a_module_too_heavy_for_its_weeks_does_not_hide_a_clash_with_the_floor() -> None:
    # Three weeks of one 4 h Tuesday meeting, at most 3 h and at least 1 module a week.
    # 'big' (3.5 h) fits no week's cap; and 'a', 'b' and 'c' must all be in week 1, so with
    # 'big' in one of weeks 2-3 the other is empty, whatever the cap: a second clash, which
    # raising the cap alone would leave.
    catalog = make_catalog(module("big", hours=3.5), *(module(m, latest_week=1) for m in "abc"))
    program = make_program(
        3, (Meeting("tue", "18:00", 4),), load=Load(3, 20, min_modules_per_week=1)
    )
    conflicts = infeasible(catalog, program)
    assert len(conflicts) == 2, [described(c) for c in conflicts]
    heavy, floor = conflicts
    assert "'Big' lasts 3.5 h" in described(heavy)
    assert floor.rules == (
        "weeks 2-3 need at least 1 module each",
        "'A', 'B' and 'C' must be taught in week 1",
    )
    assert floor.suggestions  # verified with the other clash switched off
    raised = dataclasses.replace(program, load=Load(3.5, 20, min_modules_per_week=1))
    assert solve_checked(catalog, raised).status is Status.INFEASIBLE  # the floor's clash


def test_the_hours_clash_beside_a_module_too_heavy_for_its_weeks_counts_its_hours() -> None:
    # Two weeks of a 3 h cap (6 h in all) for 9.5 h of modules, 'big' (3.5 h) more than any
    # week's cap. The hours clash says 9.5 h and its fix is worked out from them: 5 h a week
    # (adding a week would leave 9 h, which is still too little).
    catalog = make_catalog(
        module("big", hours=3.5),
        module("s1", "skill", hours=3),
        module("c1", hours=1.5),
        module("s2", "skill", hours=1.5),
    )
    two_meetings = (Meeting("tue", "18:00", 4), Meeting("thu", "18:00", 4))
    program = make_program(2, two_meetings, load=Load(3, 40))
    conflicts = infeasible(catalog, program)
    hours = the_one(conflicts, "Weeks 1-2 allow 6 hours in all", "need 9.5 hours")
    assert settings(hours.suggestions[0]) == [("load.max_hours_per_week", 5)]
    assert all(("weeks", 3) not in settings(s) for s in hours.suggestions)


def test_an_explanation_the_time_limit_stops_before_it_names_a_clash_says_so() -> None:
    # The bundled catalog's 36.5 h in 11 weeks of 3.5 h: infeasible only by how the modules
    # pack, which no counting shows and a search takes seconds to pin down. Given 0.3 s,
    # the first search stops on the clock with nothing named: the explanation is cut (the
    # result then warns that a longer time limit finds the clashes), not complete and empty.
    program = Program(start=date(2027, 1, 11), weeks=11, load=Load(max_hours_per_week=3.5))
    found = explain_infeasibility(read_catalog(), program, seconds=0.3)
    assert found.conflicts == () and found.cut
