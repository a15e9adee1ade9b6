"""Every calendar the project writes passes libical's strict iTIP check (RFC 5546 §3.2,
the check Evolution applies): with an organizer, METHOD:PUBLISH and ORGANIZER on every
event; without one, a plain calendar with no METHOD. Before, every file said
METHOD:PUBLISH with no ORGANIZER, which libical rejects."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from curriculum import Ongoing, Plan
from tests.export.ics.calendars import with_cancellation
from tests.external import ToolMissingError, libical_restriction_errors, require

ORGANIZER = "Training Office <training@example.org>"


def assert_valid(path: Path) -> None:
    try:
        found = libical_restriction_errors(path)
    except ToolMissingError as missing:
        require(missing)
        return
    assert found["parse_errors"] == [] and found["restriction_errors"] == [], found
    assert found["ok"] is True


def organized(plan: Plan) -> Plan:
    program = dataclasses.replace(plan.program, organizer=ORGANIZER)
    return dataclasses.replace(plan, program=program)


@pytest.mark.parametrize("organizer", [False, True], ids=["plain", "organizer"])
def test_the_calendar_passes_libical(toronto_plan: Plan, tmp_path: Path, organizer: bool) -> None:
    plan = organized(toronto_plan) if organizer else toronto_plan
    path = tmp_path / "plan.ics"
    plan.to_ics(path, remind=timedelta(minutes=30))
    text = path.read_text()
    assert ("METHOD:PUBLISH" in text) is organizer
    assert_valid(path)


@pytest.mark.parametrize("organizer", [False, True], ids=["plain", "organizer"])
def test_cancellations_and_every_facilitator_calendar_pass_libical(
    hostile_plan: Plan, tmp_path: Path, organizer: bool
) -> None:
    plan = with_cancellation(hostile_plan)
    plan = organized(plan) if organizer else plan
    plan.to_ics(tmp_path / "plan.ics")
    assert_valid(tmp_path / "plan.ics")
    paths = plan.to_ics_by_facilitator(tmp_path / "by")
    assert len(paths) >= 2
    for path in paths:
        assert_valid(path)


def test_the_series_across_a_daylight_saving_change_passes_libical(
    toronto_plan: Plan, tmp_path: Path
) -> None:
    # supervision on Sundays at 02:30 through the spring-forward night
    ongoing = Ongoing(weekday="sun", start="02:30", hours=1, until=date(2027, 4, 30))
    program = dataclasses.replace(organized(toronto_plan).program, ongoing=ongoing)
    plan = dataclasses.replace(toronto_plan, program=program)
    plan.to_ics(tmp_path / "plan.ics")
    assert "X-CURRICULUM-SERIES:weekly" in (tmp_path / "plan.ics").read_text()
    assert_valid(tmp_path / "plan.ics")
