"""What the .ics tests share: the programmes and the hostile text they write, the plan
builders they need, and what other readers (icalendar, vobject, ical.js) make of a calendar.

The Toronto programme (America/Toronto, 12 weeks from Mon 2027-02-15, Tue/Thu 18:00)
crosses the change to daylight time on Sun 2027-03-14: sessions before it are at UTC-5,
after it at UTC-4. Duties start in week 10, so the weekly ongoing sessions (Fri 12:00) run
from Fri 2027-04-23 to Fri 2027-12-31 (a Friday, the `until` date) and cross the change
back on Sun 2027-11-07; Fri 2027-04-30 is a holiday (an EXDATE), Thu 2027-03-18 one without
an ongoing session. That gives 37 Fridays minus one = 36 ongoing sessions.

The small hostile catalog (Europe/Berlin, 5 weeks from Mon 2027-03-01, DST on 2027-03-28)
puts commas, semicolons, quotes, backslashes, newlines, lines that look like iCalendar
("BEGIN:VEVENT", "UID:evil") and non-ASCII text into every free-text field.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pandas as pd

from curriculum import Duties, Ongoing, Plan, Program
from curriculum.export.ics.events import event_uid
from tests.external import ICALJS_PREFIX, ToolMissingError, require

UTC = timezone.utc
TORONTO_ZONE = ZoneInfo("America/Toronto")
LOCATION = 'Room 2, Centre; "East"'
HOLIDAY_FRIDAY = date(2027, 4, 30)
TITLE = 'Listening, "reflecting"; summarising \\ part 1 in C:\\New\nBEGIN:VEVENT\nUID:evil 😀 é'
DESCRIPTION = 'One; two, "three".\nBEGIN:VEVENT\nUID:evil\nEND:VCALENDAR\n\\n stays — ünï 🌱'
TAGS = 'a,b;c"d;e\\f;BEGIN:VEVENT;x\nUID:evil;ü😀'
FACILITATOR = 'Dr. O\'Neil, "Lead"; trainer \\ 😀\nUID:evil'


TORONTO = Program(
    start=date(2027, 2, 15),
    timezone="America/Toronto",
    holidays=(date(2027, 3, 18), HOLIDAY_FRIDAY),
    location=LOCATION,
    ongoing=Ongoing(until=date(2027, 12, 31)),
)


HOSTILE = Program(
    name='Pairs-aidants, "Québec"; 2027 \\ 🌱',
    start=date(2027, 3, 1),
    weeks=5,
    timezone="Europe/Berlin",
    location=LOCATION + "\nUID:evil",
    duties=Duties(start_week=3),
)


def lines(data: bytes) -> list[str]:
    """Unfolded content lines."""
    return data.decode().replace("\r\n ", "").split("\r\n")[:-1]


def session_times(plan: Plan) -> dict[str, tuple[datetime, datetime]]:
    """UID -> (start, end) in UTC, from the plan itself."""
    return {
        event_uid(plan.program, row.module): (
            row.start.to_pydatetime().astimezone(UTC),
            row.end.to_pydatetime().astimezone(UTC),
        )
        for row in plan.sessions.itertuples()
    }


def fridays_at_noon() -> list[datetime]:
    """The main programme's ongoing sessions in UTC, by hand (see the module docstring)."""
    days = [date(2027, 4, 23) + timedelta(weeks=i) for i in range(37)]
    assert days[-1] == date(2027, 12, 31)
    return [
        datetime.combine(day, time(12), TORONTO_ZONE).astimezone(UTC)
        for day in days
        if day != HOLIDAY_FRIDAY
    ]


def unescaped(component: icalendar.cal.component.Component, name: str, default: str = "") -> str:
    """A property as text: icalendar leaves X- (and NAME) properties escaped."""
    raw = component[name].to_ical().decode() if name in component else default
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), raw)


def icalendar_events(data: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def module_uids(data: bytes) -> dict[str, str]:
    return {str(e.get("X-CURRICULUM-MODULE")): str(e["UID"]) for e in icalendar_events(data)}


ZONE_CASES = [
    ("America/Toronto", date(2027, 2, 15), date(2027, 12, 31)),
    ("Europe/Berlin", date(2027, 3, 1), date(2027, 4, 4)),
    ("Australia/Sydney", date(2026, 12, 1), date(2028, 2, 1)),
    ("Asia/Tokyo", date(2027, 1, 1), date(2027, 6, 1)),
    ("America/Sao_Paulo", date(2018, 6, 1), date(2020, 3, 1)),  # DST abolished in 2019
    ("Europe/Dublin", date(2026, 6, 1), date(2027, 6, 1)),  # negative DST in tzdata
    ("Africa/Casablanca", date(2026, 1, 1), date(2027, 12, 31)),  # Ramadan changes
]


def unambiguous_times(tzid: str, first: date, last: date) -> list[datetime]:
    """Local wall times every 6 hours (at :30) that exist once in the zone."""
    zone, times = ZoneInfo(tzid), []
    moment = datetime.combine(first, time(0, 30))
    while moment.date() <= last:
        if (
            moment.replace(tzinfo=zone).utcoffset()
            == moment.replace(tzinfo=zone, fold=1).utcoffset()
        ):
            times.append(moment)
        moment += timedelta(hours=6)
    return times


ICALJS_ZONE_SCRIPT = """
import ICAL from %s;
import { readFileSync } from "node:fs";
const input = JSON.parse(readFileSync(0, "utf8"));
const zone = new ICAL.Timezone(new ICAL.Component(ICAL.parse(input.vtimezone)));
console.log(JSON.stringify(input.times.map((text) => {
  const local = ICAL.Time.fromDateTimeString(text);
  local.zone = zone;
  return local.toUnixTime();
})));
"""


ICALJS_SCRIPT = """
import ICAL from %s;
import { readFileSync } from "node:fs";
const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
for (const tz of root.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(tz);
const out = {};
for (const comp of root.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(comp);
  const starts = [];
  const it = event.iterator();
  for (let next = it.next(); next && starts.length < 1000; next = it.next())
    starts.push(next.toUnixTime());
  out[event.uid] = {
    starts, end: event.endDate.toUnixTime(), zone: event.startDate.zone.tzid,
    summary: event.summary, description: event.description,
    categories: comp.getAllProperties("categories").flatMap((p) => p.getValues()),
  };
}
console.log(JSON.stringify(out));
"""


def icaljs_module() -> Path:
    """ical.js's entry point, where `.ci/run` installs it (`external.ICALJS_PREFIX`); when
    node or the package is missing, a skip (a failure in CI: `external.require`)."""
    folder = ICALJS_PREFIX / "node_modules" / "ical.js"
    entry = folder / "dist" / "ical.js"
    if shutil.which("node") is None or not entry.is_file():
        require(ToolMissingError(f"ical.js: npm install --prefix {ICALJS_PREFIX} ical.js"))
    return entry


def run_node(script: str, stdin: str, folder: Path) -> object:
    """Run an ES module that imports ical.js (its path in for %s); its JSON output."""
    path = folder / "script.mjs"
    path.write_text(script % json.dumps(icaljs_module().as_uri()))
    result = subprocess.run(
        ["node", str(path)], input=stdin, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def icaljs(data: bytes, folder: Path) -> dict[str, dict[str, object]]:
    """What ical.js makes of a calendar: per UID, starts (expanded), end, zone and text."""
    found = run_node(ICALJS_SCRIPT, data.decode(), folder)
    assert isinstance(found, dict)
    return found


def with_cancellation(plan: Plan) -> Plan:
    """The plan plus a module dropped from the catalog (sequence 3), and a stale
    cancellation of a module that is still scheduled (superseded, so not exported)."""
    first = plan.sessions.iloc[0]
    cancelled = pd.DataFrame(
        {
            "module": ["retired", first["module"]],
            "title": ["Retired module", first["title"]],
            "start": [first["start"] + timedelta(days=7), first["start"]],
            "end": [first["end"] + timedelta(days=7), first["end"]],
            "sequence": [3, 1],
        }
    )
    changed = Plan(plan.catalog, plan.program, plan.sessions, cancelled)
    assert changed.check() == []
    return changed
