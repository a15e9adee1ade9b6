"""Where each module may go (cpsat/domains.py), worked out before any model: the options
a search offers, a module shut out of every meeting, and the clock.

The programme: two weeks of Tue and Thu 2 h meetings from Mon 2027-01-11 (UTC), meetings
0 Tue w1, 1 Thu w1, 2 Tue w2, 3 Thu w2.
"""

from __future__ import annotations

import dataclasses
import time

import pytest

from benchmarks import generator
from curriculum import Duties, Ramp
from curriculum.cpsat.domains import Domains, OutOfTimeError
from curriculum.cpsat.search import optimise
from curriculum.cpsat.solver import SearchSettings
from curriculum.meetings import MeetingCalendar
from curriculum.replanning import Pins
from curriculum.rules import Clause, Rule
from tests.builders import THU, TUE, make_catalog, make_program, module, tuesday

PROGRAM = make_program(2, (TUE, THU), facilitators={"Nurse": (tuesday(2),)})


def test_options_are_the_meetings_each_module_may_take() -> None:
    # 'late' may not come before week 2; the nurse's module not on Tue of week 2 (meeting 2);
    # 'after' needs 'first' in an earlier week, so not week 1
    catalog = make_catalog(
        module("late", earliest_week=2),
        module("nursing", facilitator="Nurse"),
        module("first"),
        module("after", prerequisites="first"),
    )
    domains = Domains(catalog, MeetingCalendar.of(PROGRAM), Pins())
    options = {
        catalog.modules[m].id: [s.index for s in slots] for m, slots in domains.options.items()
    }
    assert options == {
        "late": [2, 3],
        "nursing": [0, 1, 3],
        "first": [0, 1],  # room for 'after' in week 2
        "after": [2, 3],
    }
    assert domains.shut_out() == []


def test_a_module_its_rules_allow_nowhere_makes_the_search_infeasible_at_once() -> None:
    # 'early' must come in week 1, but it needs 'first' in an earlier week: no meeting
    # is left, so the search stops before any model (no deterministic time spent)
    catalog = make_catalog(module("first"), module("early", latest_week=1, prerequisites="first"))
    domains = Domains(catalog, MeetingCalendar.of(PROGRAM), Pins())
    assert [m.id for m in domains.shut_out()] == ["early"]
    outcome = optimise(catalog, PROGRAM, SearchSettings(10))
    assert (outcome.status, outcome.assignment, outcome.dtime) == ("infeasible", {}, 0.0)


def test_the_options_are_the_meetings_allowed_one_by_one() -> None:
    # Judged once per key, the options are what judging every meeting gives: generated
    # modules under a six-week ramp of 1 h and density 2 at most, duties from week 4;
    # plain, with a pinned past, and with clauses dropped
    catalog, program = generator.generate(60, weeks=12, meetings_per_week=3, seed=1)
    ramp = Ramp(weeks=6, max_hours_per_week=1.0, max_density=2)
    program = dataclasses.replace(program, ramp=ramp, duties=Duties(start_week=4))
    calendar = MeetingCalendar.of(program)
    first = catalog.modules[0].id
    dropped = frozenset(Clause(Rule.WEEK_WINDOW, module=m.id) for m in catalog.modules[::3])
    cut = 0
    for pins, clauses in (
        (Pins(), frozenset()),
        (Pins(pinned={first: 0}, open_from=9), frozenset()),
        (Pins(), dropped),
    ):
        domains = Domains(catalog, calendar, pins, dropped=clauses)
        for m, item in enumerate(catalog.modules):
            fitting = domains.candidates(item)
            allowed = [slot for slot in fitting if domains.allowed(item, slot)]
            assert domains.options[m] == allowed
            cut += 0 < len(allowed) < len(fitting)
    assert cut > 0  # some modules lose some meetings, not all


def test_past_its_deadline_working_out_the_domains_stops() -> None:
    catalog = make_catalog(module("a"))
    with pytest.raises(OutOfTimeError, match="where each module may go"):
        Domains(catalog, MeetingCalendar.of(PROGRAM), Pins(), deadline=time.monotonic() - 1)
