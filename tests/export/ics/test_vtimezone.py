"""VTIMEZONE components built from RRULEs (never multi-valued RDATEs), matching zoneinfo
in vobject and ical.js, through daylight saving time, its abolition, negative DST and
Ramadan changes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from curriculum.export.ics.vtimezone import vtimezone
from tests.export.ics.calendars import (
    ICALJS_ZONE_SCRIPT,
    ZONE_CASES,
    lines,
    run_node,
    unambiguous_times,
)


def test_vtimezone_uses_rrules_not_multi_valued_rdates(toronto_ics: bytes) -> None:
    calendar = icalendar.Calendar.from_ical(toronto_ics)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "America/Toronto"
    assert {c.name for c in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}
    assert all("RRULE" in c for c in zone.subcomponents)
    assert not [line for line in lines(toronto_ics) if line.startswith("RDATE") and "," in line]
    assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize(("tzid", "first", "last"), ZONE_CASES)
def test_vtimezone_matches_zoneinfo_in_vobject(tzid: str, first: date, last: date) -> None:
    component = vtimezone(tzid, first, last)
    wrapped = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{}END:VCALENDAR\r\n"
    theirs = vobject.readOne(wrapped.format(component.to_ical().decode())).vtimezone.gettzinfo()
    for local in unambiguous_times(tzid, first, last):
        assert (
            local.replace(tzinfo=theirs).utcoffset()
            == local.replace(tzinfo=ZoneInfo(tzid)).utcoffset()
        ), local
    assert not [c for c in component.subcomponents if "RDATE" in c]


@pytest.mark.parametrize(("tzid", "first", "last"), ZONE_CASES)
def test_icaljs_reads_our_vtimezones(tzid: str, first: date, last: date, tmp_path: Path) -> None:
    times = unambiguous_times(tzid, first, last)
    request = {
        "vtimezone": vtimezone(tzid, first, last).to_ical().decode(),
        "times": [moment.strftime("%Y-%m-%dT%H:%M:%S") for moment in times],
    }
    found = run_node(ICALJS_ZONE_SCRIPT, json.dumps(request), tmp_path)
    assert found == [moment.replace(tzinfo=ZoneInfo(tzid)).timestamp() for moment in times]
