"""The programme: defaults, week arithmetic and caps, and sections that validate
themselves when built in Python (reading TOML is in test_program_toml.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, time
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from curriculum import SharedFacilitator
from curriculum.errors import ProgramError
from curriculum.inputs.program import (
    Balance,
    Duties,
    Limits,
    Load,
    Meeting,
    Ongoing,
    Program,
    Ramp,
    Weights,
)
from tests.builders import START

# --------------------------------------------------------------------------- defaults


def test_defaults() -> None:
    program = Program(start=START)
    assert program.weeks == 12
    assert program.meetings == (Meeting(1, time(18, 0), 2.0), Meeting(3, time(18, 0), 2.0))
    assert [str(m) for m in program.meetings] == ["tue 18:00 (2 h)", "thu 18:00 (2 h)"]
    # what was left out stays left out, and the defaults fit the 12 weeks
    assert program.ramp == Ramp() and program.duties == Duties() and program.load == Load()
    assert program.limits == Limits(
        ramp_weeks=4,
        ramp_hours=3.0,
        ramp_intensity=7.0,
        ramp_density=3,
        hours=4.0,
        intensity=10.0,
        duty_start=10,
    )
    assert program.holidays == ()
    assert program.warnings == ()


def test_week_arithmetic() -> None:
    program = Program(start=date(2027, 1, 13))  # a Wednesday: week 1 still starts Monday
    assert program.first_monday == START
    assert program.last_day == date(2027, 4, 4)  # the Sunday of week 12
    assert program.week_of(date(2027, 1, 17)) == 1
    assert program.week_of(date(2027, 1, 18)) == 2
    assert program.week_of(date(2027, 4, 4)) == 12


def test_ramp_caps_replace_load_caps_in_ramp_weeks() -> None:
    program = Program(start=START)
    assert [program.hours_cap(w) for w in (1, 4, 5, 12)] == [3.0, 3.0, 4.0, 4.0]
    assert [program.intensity_cap(w) for w in (4, 5)] == [7.0, 10.0]
    assert [program.density_cap(w) for w in (4, 5)] == [3, 5]


def test_meeting_accepts_names() -> None:
    assert Meeting("Thursday", "09:30", 1.5) == Meeting(3, time(9, 30), 1.5)
    assert Meeting("tue", "18:00").quarters == 8


# --------------------------------------------------------------------------- Python construction


@pytest.mark.parametrize(
    ("kwargs", "key", "words"),
    [
        ({"weeks": 0}, "weeks", "whole number from 1 to 520, not 0"),
        ({"weeks": -3}, "weeks", "whole number from 1 to 520"),
        ({"weeks": 2**63}, "weeks", "whole number from 1 to 520"),
        ({"weeks": "12"}, "weeks", "whole number from 1 to 520, not '12'"),
        ({"start": date(1, 1, 1)}, "start", "start 0001-01-01 is not a date from 1900-01-01"),
        ({"holidays": 5}, "holidays", "holidays must be a list, not 5"),
        ({"holidays": "2027-02-15"}, "holidays", "must be a list, not '2027-02-15'"),
        # a text or a Timestamp among dates: a TypeError from sorting them
        (
            {"holidays": [date(2027, 2, 15), "2027-04-02"]},
            "holidays",
            "holidays must be dates like 2027-02-15, not '2027-04-02'",
        ),
        ({"holidays": [date(2027, 2, 15), [1]]}, "holidays", "must be dates like 2027-02-15"),
        ({"meetings": 5}, "meetings", "meetings must be a list, not 5"),
        ({"facilitators": 5}, "facilitators", "must map names to days, not 5"),
        ({"facilitators": {"Sam": 5}}, 'facilitators."Sam"', "a list of days, not 5"),
        ({"facilitators": {5: []}}, 'facilitators."5"', "expected a name"),
        ({"name": None}, "name", "name must be text, not None"),
        (
            {"ongoing": Ongoing(until=date(9999, 12, 31))},
            "ongoing.until",
            "more than 10 years after the programme ends (2027-04-04)",
        ),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "unknown time zone 'Mars/Olympus_Mons'"),
        ({"start": "2027-01-11"}, "start", "must be a date"),
        ({"holidays": (date(2027, 12, 25),)}, "holidays", "2027-12-25 is outside"),
        ({"ramp": Ramp(weeks=13)}, "ramp.weeks", "ramp of 13 weeks"),
        ({"duties": Duties(start_week=13)}, "duties.start_week", "week 13 is outside weeks 1-12"),
        ({"meetings": ()}, "meetings", "no meetings"),
        (
            {"meetings": (Meeting("mon", "10:00", 2), Meeting("mon", "11:30", 1))},
            "meetings",
            "overlap",
        ),
        ({"load": "heavy"}, "load", "must be a Load"),
        # it was not checked: 5 was an AttributeError when writing a calendar
        ({"uid_domain": 5}, "uid_domain", "must be a domain like example.org (or ''), not 5"),
        ({"uid_domain": "x@y"}, "uid_domain", "must be a domain like example.org"),
        (
            {"ongoing": Ongoing(until=date(2026, 12, 1))},
            "ongoing.until",
            "before the programme starts",
        ),
    ],
)
def test_python_construction_with_bad_value(
    kwargs: dict[str, object], key: str, words: str
) -> None:
    with pytest.raises(ProgramError) as info:
        Program(**{"start": START, **kwargs})  # type: ignore[arg-type]
    err = info.value
    assert [p.column for p in err.problems] == [key]
    assert words in str(err)
    assert "<Program>" in str(err)


def test_python_construction_reports_every_problem() -> None:
    with pytest.raises(ProgramError) as info:
        Program(start=START, timezone="Nowhere", ramp=Ramp(weeks=20), duties=Duties(start_week=13))
    assert {p.column for p in info.value.problems} == {
        "timezone",
        "ramp.weeks",
        "duties.start_week",
    }


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("funday", "18:00"), "not a weekday"),
        ((7, "18:00"), "not a weekday"),
        (("tue", "25:00"), "not a time of day"),
        (("tue", "6pm"), "not a time of day"),
        (("tue", "18:00", 0), "positive multiple of 0.25"),
        (("tue", "18:00", 1.1), "positive multiple of 0.25"),
        (("tue", "23:00", 2), "ends after midnight"),
        (("tue", "18:00", math.inf), "up to 24, not inf"),
        (("tue", "18:00", math.nan), "up to 24, not nan"),
        (("tue", "18:00", "2"), "up to 24, not '2'"),
        (("tue", "00:00", 25), "up to 24, not 25"),
    ],
)
def test_bad_meeting_is_a_program_error(args: tuple[object, ...], words: str) -> None:
    with pytest.raises(ProgramError, match=words) as info:
        Meeting(*args)  # type: ignore[arg-type]
    assert "<Meeting>" in str(info.value)


@pytest.mark.parametrize(
    ("make", "where", "words"),
    [
        (lambda: Balance(content_share=1.5), "<Balance>, key 'content_share'", "from 0 to 1"),
        (lambda: Balance(content_share="0.5"), "key 'content_share'", "a number from 0 to 1"),
        (lambda: Balance(content_share=math.nan), "key 'content_share'", "from 0 to 1, not nan"),
        (lambda: Balance(weekly_tolerance=-0.1), "key 'weekly_tolerance'", "from 0 to 1"),
        (lambda: Load(max_hours_per_week=-1), "<Load>, key 'max_hours_per_week'", "0 to 168"),
        # a cap far beyond a week's 168 hours would overflow the solver's integer sums
        (lambda: Load(max_hours_per_week=math.inf), "key 'max_hours_per_week'", "not inf"),
        (lambda: Load(max_hours_per_week=1e308), "key 'max_hours_per_week'", "not 1e+308"),
        (lambda: Load(max_hours_per_week=2**63 - 1), "max_hours_per_week", "0 to 168"),
        (lambda: Load(max_intensity_per_week="ten"), "key 'max_intensity_per_week'", "0 to 840"),
        (lambda: Load(max_intensity_per_week=841), "key 'max_intensity_per_week'", "0 to 840"),
        (lambda: Ramp(max_hours_per_week=math.inf), "<Ramp>, key 'max_hours_per_week'", "168"),
        (lambda: Load(max_modules_per_week=0), "<Load>, key 'max_modules_per_week'", "1 to 1,000"),
        (lambda: Load(max_modules_per_week=2.5), "key 'max_modules_per_week'", "whole number"),
        (lambda: Ramp(max_modules_per_week=1001), "<Ramp>, key 'max_modules_per_week'", "1,000"),
        (lambda: Load(min_modules_per_week=0), "<Load>, key 'min_modules_per_week'", "1 to 1,000"),
        (lambda: Ramp(min_modules_per_week=1.5), "key 'min_modules_per_week'", "whole number"),
        (
            lambda: Load(max_modules_per_week=2, min_modules_per_week=3),
            "<Load>, key 'min_modules_per_week'",
            "min_modules_per_week 3 is above max_modules_per_week 2",
        ),
        (
            lambda: Ramp(max_modules_per_week=1, min_modules_per_week=2),
            "<Ramp>, key 'min_modules_per_week'",
            "min_modules_per_week 2 is above max_modules_per_week 1",
        ),
        (lambda: Weights(balance=-1), "<Weights>, key 'balance'", "whole number"),
        (lambda: Weights(balance=2**63 - 1), "key 'balance'", "from 0 to 1,000,000"),
        (lambda: Weights(uneven_load=1.5), "key 'uneven_load'", "whole number"),
        (lambda: Ramp(weeks=-1), "<Ramp>, key 'weeks'", "whole number from 0 to 520"),
        (lambda: Ramp(max_density=6), "<Ramp>, key 'max_density'", "from 1 to 5, not 6"),
        (lambda: Ramp(max_density="3"), "<Ramp>, key 'max_density'", "from 1 to 5, not '3'"),
        (lambda: Duties(start_week=0), "<Duties>, key 'start_week'", "from 1 to 520, not 0"),
        (lambda: Duties(start_week=2**70), "<Duties>, key 'start_week'", "from 1 to 520"),
        (lambda: Ongoing(hours=0), "<Ongoing>, key 'hours'", "positive multiple of 0.25"),
        (lambda: Ongoing(hours=math.inf), "<Ongoing>, key 'hours'", "up to 24, not inf"),
        (lambda: Ongoing(weekday="someday"), "<Ongoing>, key 'weekday'", "not a weekday"),
        (lambda: Ongoing(until="june"), "<Ongoing>, key 'until'", "must be a date"),
    ],
)
def test_each_section_validates_itself(make: Callable[[], object], where: str, words: str) -> None:
    with pytest.raises(ProgramError) as info:
        make()
    assert where in str(info.value)
    assert words in str(info.value)


# --------------------------------------------------------------------------- TOML


def test_a_programme_shows_compactly_in_a_notebook() -> None:
    # the defaults over 12 weeks: a 4-week ramp (3 h, 7, density 3), duties from week 10
    program = Program(start=START, timezone="UTC", name="<i>Spring</i>")
    html = program._repr_html_()
    assert (
        "<h4>Programme: &lt;i&gt;Spring&lt;/i&gt;, 12 weeks from Mon 11 Jan 2027 (UTC)</h4>" in html
    )
    facts = dict(program.facts())
    assert facts["meetings"] == "tue 18:00 (2 h), thu 18:00 (2 h)"
    assert facts["ramp"] == "weeks 1-4: 3 h and intensity 7 a week, density up to 3"
    assert facts["duties from"] == "week 10"
    assert facts["supervision"] == "fri 12:00 (1 h) until 2027-04-04"
    assert html.count("<tr>") == len(facts)


def test_modules_caps_default_to_none_and_the_ramp_follows_the_load() -> None:
    # no cap at all by default; a load cap of 3 holds in the ramp weeks too (weeks 1-4 of
    # 12), unless the ramp sets its own (2)
    assert Program().modules_cap(1) is None and Program().modules_cap(12) is None
    capped = Program(load=Load(max_modules_per_week=3))
    assert [capped.modules_cap(w) for w in (1, 4, 5, 12)] == [3, 3, 3, 3]
    ramp = Program(load=Load(max_modules_per_week=3), ramp=Ramp(max_modules_per_week=2))
    assert [ramp.modules_cap(w) for w in (1, 4, 5, 12)] == [2, 2, 3, 3]
    assert ("modules a week", "at most 3 a week; at most 2 in weeks 1-4") in ramp.facts()
    assert not any(label == "modules a week" for label, _ in Program().facts())
    looser = Program(load=Load(max_modules_per_week=2), ramp=Ramp(max_modules_per_week=3))
    assert looser.warnings == (
        "the ramp allows 3 modules a week, more than the 2 of the weeks after it: the "
        "first weeks are meant to be gentler",
    )


def test_modules_floors_default_to_none_and_the_ramp_follows_the_load_below_its_cap() -> None:
    # no floor by default (0 a week); a load floor of 2 holds in the ramp weeks too (weeks
    # 1-4 of 12), unless the ramp sets its own (1), and never above the ramp's own cap (1)
    assert [Program().modules_floor(w) for w in (1, 12)] == [0, 0]
    floored = Program(load=Load(max_modules_per_week=6, min_modules_per_week=2))
    assert [floored.modules_floor(w) for w in (1, 4, 5, 12)] == [2, 2, 2, 2]
    assert ("modules a week", "at least 2, at most 6 a week") in floored.facts()
    own = Program(load=Load(min_modules_per_week=2), ramp=Ramp(min_modules_per_week=1))
    assert [own.modules_floor(w) for w in (1, 4, 5, 12)] == [1, 1, 2, 2]
    assert ("modules a week", "at least 2 a week; at least 1 in weeks 1-4") in own.facts()
    below = Program(load=Load(min_modules_per_week=2), ramp=Ramp(max_modules_per_week=1))
    assert [below.modules_floor(w) for w in (1, 5)] == [1, 2]
    assert ("modules a week", "at least 2 a week; at least 1, at most 1 in weeks 1-4") in (
        below.facts()
    )
    ramp_only = Program(ramp=Ramp(min_modules_per_week=1))
    assert ("modules a week", "any number a week; at least 1 in weeks 1-4") in ramp_only.facts()


def test_a_ramp_floor_above_the_cap_it_takes_from_the_load_names_both_keys() -> None:
    with pytest.raises(ProgramError) as info:
        Program(load=Load(max_modules_per_week=2), ramp=Ramp(min_modules_per_week=3))
    (problem,) = info.value.problems
    assert problem.column == "ramp.min_modules_per_week"
    assert problem.message == (
        "ramp.min_modules_per_week 3 is above the ramp's cap, load.max_modules_per_week 2: "
        "no ramp week can teach at least 3 modules and at most 2"
    )


def test_numpy_numbers_from_a_frame_are_taken_as_python_s() -> None:
    # a notebook's values often come from a frame: np.int64 weeks, np.float64 hours
    frame = pd.DataFrame({"weeks": [12, 14], "hours": [2.0, 2.5], "share": [0.5, 0.6]})
    program = Program(
        start=START,
        weeks=frame["weeks"].max(),
        timezone="UTC",
        meetings=(Meeting(np.int64(1), "18:00", frame["hours"].max()),),
        load=Load(np.float64(6), max_modules_per_week=np.int64(4)),
        ramp=Ramp(weeks=np.int64(2)),
        balance=Balance(frame["share"].iloc[1]),
        duties=Duties(np.int64(10)),
        ongoing=Ongoing(hours=np.float64(1.5)),
        weights=Weights(balance=np.int64(3)),
    )
    values = (
        program.weeks,
        program.meetings[0].weekday,
        program.meetings[0].hours,
        program.load.max_hours_per_week,
        program.load.max_modules_per_week,
        program.ramp.weeks,
        program.balance.content_share,
        program.duties.start_week if program.duties else None,
        program.ongoing.hours if program.ongoing else None,
        program.weights.balance,
    )
    assert values == (14, 1, 2.5, 6.0, 4, 2, 0.6, 10, 1.5, 3)
    assert [type(v) for v in values] == [int, int, float, float, int, int, float, int, float, int]
    shared = SharedFacilitator(np.float64(5), (START,))  # a cohorts file's, built in Python
    assert type(shared.max_hours_per_week) is float
    with pytest.raises(
        ProgramError, match=r"weeks must be a whole number from 1 to 520, not 12\.5$"
    ):
        Program(start=START, weeks=np.float64(12.5))  # still checked as Python's


@pytest.mark.parametrize(
    ("value", "exact"),
    [
        (0.45, Fraction(9, 20)),
        (1 / 3, Fraction(1, 3)),
        (0.125, Fraction(1, 8)),
        (0.1 + 0.25, Fraction(7, 20)),  # 0.35000000000000003
        (float(np.linspace(0.4, 0.6, 7)[1]), Fraction(13, 30)),
        (np.float64(0.7), Fraction(7, 10)),
        (np.float32(0.45), Fraction(9, 20)),  # 0.44999998807907104
        (0.123, Fraction(8, 65)),  # 0.12308, the nearest with a denominator up to 100
    ],
)
def test_a_share_is_planned_and_judged_as_the_nearest_simple_fraction(
    value: float, exact: Fraction
) -> None:
    balance = Balance(content_share=value, weekly_tolerance=value)
    assert (balance.share, balance.tolerance) == (exact, exact)


@pytest.mark.parametrize(
    ("value", "planned"),
    [
        (0.004, "0"),
        (0.0049, "0"),
        (0.005, "0.01"),
        (0.996, "1"),
        (0.09941, "0.0989"),  # 9/91
        (0.0005, "0"),  # exactly the gap warned about, whichever way the float falls
        (0.5005, "0.5"),
        (0.9995, "1"),
    ],
)
def test_a_share_planned_as_another_number_is_said(value: float, planned: str) -> None:
    program = Program(balance=Balance(content_share=value, weekly_tolerance=value))
    assert program.warnings == tuple(
        f"[balance] {key} {value:g} is planned as {planned}: shares are planned as the "
        "nearest fraction with a denominator up to 100"
        for key in ("content_share", "weekly_tolerance")
    )


@pytest.mark.parametrize(
    "value",
    [
        0.123,
        0.4567,
        1 / 3,
        0.0151,
        0.0,
        1.0,
        0.01249,  # 1/80 = 0.0125
        float(np.arange(0.2, 0.3, 0.0125)[1]),  # 0.21250000000000002, 17/80
        float(np.linspace(0, 1, 81)[5]),  # 0.0625, 1/16
        np.float32(0.45),  # 0.44999998807907104, shown as 0.45
        0.50049,
    ],
)
def test_a_share_planned_within_a_twentieth_of_a_percent_is_not_worth_a_word(value: float) -> None:
    assert Program(balance=Balance(content_share=value, weekly_tolerance=value)).warnings == ()
