"""What the printed pages share (render/page.py): dates as people write them, each week's
agenda in time order (sessions, holidays, supervision), the supervision in one sentence,
and a reference list of exactly what a text cites."""

from __future__ import annotations

import dataclasses
from datetime import date

from curriculum import Duties, Ongoing, Plan
from curriculum.inputs.evidence import read_evidence
from curriculum.render.page import agenda, day, references_section, supervision_text
from tests.builders import TUE, make_catalog, make_program, module, tuesday


def test_dates_as_people_write_them() -> None:
    assert day(date(2027, 1, 5)) == "Tue 5 Jan 2027"  # no leading zero


def test_each_week_in_time_order_with_holidays_and_supervision() -> None:
    # Two weeks, one Tuesday meeting; duties from week 2, supervision on Mondays at 09:00
    # (before Tuesday's meeting) from week 2; Tue of week 2 is a holiday, so 'a' and 'b'
    # share week 1's meeting, back to back, and week 2 has the supervision, then the holiday.
    program = make_program(2, (TUE,), duties=Duties(start_week=2), holidays=(tuesday(2),))
    program = dataclasses.replace(program, ongoing=Ongoing(weekday="mon", start="09:00"))
    plan = Plan.from_assignment(
        make_catalog(module("a"), module("b", "skill")), program, {"a": 0, "b": 0}
    )
    weeks = agenda(plan.sessions, program)
    assert [(e.kind, e.title, f"{e.start:%a %H:%M}" if e.start else "") for e in weeks[1]] == [
        ("session", "A", "Tue 18:00"),
        ("session", "B", "Tue 19:00"),
    ]
    assert [(e.kind, str(e.day)) for e in weeks[2]] == [
        ("supervision", "2027-01-18"),
        ("holiday", "2027-01-19"),
    ]
    assert supervision_text(program) == (
        "Supervision and skills refresher: every Monday 09:00–10:00 from Mon 18 Jan 2027 to "
        "Mon 18 Jan 2027 (1 session)."
    )


def test_supervision_skips_holidays_and_says_so() -> None:
    # duties from week 1 of 2: Fridays 15 and 22 Jan; the 22nd is a holiday
    program = make_program(2, duties=Duties(start_week=1), holidays=(date(2027, 1, 22),))
    program = dataclasses.replace(program, ongoing=Ongoing(facilitator="Clinical supervisor"))
    assert supervision_text(program) == (
        "Supervision and skills refresher: every Friday 12:00–13:00 from Fri 15 Jan 2027 to "
        "Fri 15 Jan 2027 (1 session), led by Clinical supervisor; none on Fri 22 Jan (holiday)."
    )
    assert supervision_text(dataclasses.replace(program, ongoing=None)) == ""


def test_the_reference_list_holds_exactly_what_the_text_cites() -> None:
    evidence = read_evidence()
    html = references_section("ramp [17] and balance [19]; [16] too", evidence)
    listed = [r for r in evidence.references if r.text in html]
    assert [r.numbers for r in listed] == [(17,), (19,), (10, 13, 14, 16)]
    assert "<span>[10] [13] [14] [16]</span>" in html
