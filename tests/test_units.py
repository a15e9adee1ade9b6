"""Units a programme is written in (units.py): quarter hours, weekdays, clock times."""

from __future__ import annotations

from datetime import time

import pytest

from curriculum.units import (
    exact_quarters,
    floor_quarters,
    hours_text,
    parse_time,
    parse_weekday,
    to_quarters,
)


@pytest.mark.parametrize(("hours", "quarters"), [(1.5, 6), (0.25, 1), (2.0, 8), (0.3, 1), (0.4, 2)])
def test_hours_to_the_nearest_quarter(hours: float, quarters: int) -> None:
    # 0.3 h is 1.2 quarters, nearest 1; 0.4 h is 1.6, nearest 2
    assert to_quarters(hours) == quarters


@pytest.mark.parametrize(
    ("hours", "quarters"),
    # 1e308 h is finite, but not in quarters (it used to raise OverflowError)
    [(1.25, 5), (0.75, 3), (1.1, None), (0.0, None), (-0.25, None), (1e308, None)],
)
def test_exact_quarters_only_for_positive_multiples_of_a_quarter(
    hours: float, quarters: int | None
) -> None:
    assert exact_quarters(hours) == quarters


def test_a_cap_is_floored_to_whole_quarters_but_not_below_a_float_error() -> None:
    assert floor_quarters(3.3) == 13  # 13.2 quarters: 3.25 h of modules fit, 3.5 h do not
    assert floor_quarters(4.0) == 16
    # 0.35 - 0.1 is 0.25 h, computed as 0.24999999999999997: still one quarter
    assert floor_quarters(0.35 - 0.1) == 1


@pytest.mark.parametrize(
    ("hours", "text"), [(1.5, "1.5"), (3.0, "3"), (2.75, "2.75"), (1 / 3, "0.3333")]
)
def test_hours_as_short_text(hours: float, text: str) -> None:
    assert hours_text(hours) == text


@pytest.mark.parametrize(
    ("value", "weekday"), [("tue", 1), ("Tuesday", 1), (" THU ", 3), (6, 6), (0, 0)]
)
def test_weekdays_by_name_or_number_from_monday(value: int | str, weekday: int) -> None:
    assert parse_weekday(value) == weekday


@pytest.mark.parametrize("value", ["funday", "tues", 7, -1])
def test_other_weekdays_are_refused_with_the_words_to_use(value: int | str) -> None:
    with pytest.raises(ValueError, match="use mon, tue, wed, thu, fri, sat or sun"):
        parse_weekday(value)


@pytest.mark.parametrize(
    ("value", "moment"), [("18:00", time(18)), (" 9:05 ", time(9, 5)), (time(7, 30), time(7, 30))]
)
def test_times_of_day(value: str | time, moment: time) -> None:
    assert parse_time(value) == moment


@pytest.mark.parametrize("value", ["25:00", "6pm", "18:00:30", "18"])
def test_other_times_are_refused_with_an_example(value: str) -> None:
    with pytest.raises(ValueError, match=r'use HH:MM, e\.g\. "18:00"'):
        parse_time(value)
