"""VTIMEZONE components built from zoneinfo's transitions, for `curriculum.export.ics`.

One STANDARD or DAYLIGHT sub-component per yearly rule, with an RRULE, never a multi-valued
RDATE (ical.js, inside Thunderbird, misreads those).
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class _Change:
    """One transition of a zone: its onset (local time before it) and the new state."""

    onset: datetime
    before: timedelta
    after: timedelta
    name: str
    daylight: bool

    @property
    def signature(self) -> tuple[object, ...]:
        """What the changes of one yearly rule share."""
        return (
            self.daylight,
            self.before,
            self.after,
            self.name,
            self.onset.month,
            self.onset.time(),
        )


def vtimezone(tzid: str, first: date, last: date) -> Timezone:
    """A VTIMEZONE for an IANA zone, exact from the year before `first` to the year after `last`.

    Each run of yearly transitions that follow one rule (e.g. second Sunday of March at
    02:00) becomes a STANDARD or DAYLIGHT sub-component with an RRULE; a run that lasts to
    the end of the covered years is left open, as zones' current rules are. When no
    transition comes before `first`, a sub-component for the state at the start of the
    covered years comes first (for a zone without transitions, the only one).
    """
    zone = ZoneInfo(tzid)
    start = datetime(first.year - 1, 1, 1, tzinfo=zone)
    end = datetime(last.year + 2, 1, 1, tzinfo=zone)
    changes = _changes(zone, start, end)
    component = Timezone()
    component.add("tzid", tzid)
    component.add("x-lic-location", tzid)
    if not changes or changes[0].onset.date() >= first:
        component.add_component(_observance([_initial(zone, start)], "", open_ended=False))
    for run, rule in _runs(changes):
        open_ended = len(run) > 1 and run[-1].onset.year == end.year - 1
        component.add_component(_observance(run, rule, open_ended=open_ended))
    return component


def _state(zone: tzinfo, moment: int) -> tuple[timedelta | None, timedelta | None, str | None]:
    """Offset, DST and abbreviation at a POSIX time; a transition changes one of them."""
    local = datetime.fromtimestamp(moment, zone)
    return local.utcoffset(), local.dst(), local.tzname()


def _changes(zone: tzinfo, start: datetime, end: datetime) -> list[_Change]:
    """Every transition between two instants, found day by day then to the second."""
    changes = []
    moment, last = int(start.timestamp()), int(end.timestamp())
    while moment < last:
        step = min(moment + 86_400, last)
        if _state(zone, moment) == _state(zone, step):
            moment = step
        else:
            moment = _bisect(zone, moment, step)
            changes.append(_change(zone, moment))
    return changes


def _bisect(zone: tzinfo, low: int, high: int) -> int:
    """The first second after `low`, up to `high`, whose state is not `low`'s."""
    before = _state(zone, low)
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if _state(zone, middle) == before else (low, middle)
    return high


def _change(zone: tzinfo, moment: int) -> _Change:
    """The transition at `moment`, the first second of the new state."""
    old = datetime.fromtimestamp(moment - 1, zone)
    new = datetime.fromtimestamp(moment, zone)
    before, after = old.utcoffset() or timedelta(0), new.utcoffset() or timedelta(0)
    onset = datetime.fromtimestamp(moment, timezone.utc).replace(tzinfo=None) + before
    return _Change(onset, before, after, new.tzname() or "", _is_daylight(old, new))


def _is_daylight(old: datetime, new: datetime) -> bool:
    """Whether `new` is daylight time; in zones with negative DST (Europe/Dublin), the
    summer offset, so clients that expect DAYLIGHT for summer (Outlook) get it."""
    zero = timedelta(0)
    if (new.dst() or zero) > zero:
        return True
    negative = (old.dst() or zero) < zero and new.dst() == zero
    return negative and (new.utcoffset() or zero) > (old.utcoffset() or zero)


def _initial(zone: tzinfo, start: datetime) -> _Change:
    """The zone's state at `start`, as a change that changes nothing."""
    offset = start.utcoffset() or timedelta(0)
    return _Change(
        start.replace(tzinfo=None),
        offset,
        offset,
        start.tzname() or "",
        (start.dst() or timedelta(0)) > timedelta(0),
    )


def _rules(onset: datetime) -> list[str]:
    """Yearly rules an onset follows, most telling first: '-1SU', '2SU', 'day14'."""
    weekday = DAYS[onset.weekday()]
    rules = []
    if onset.day + 7 > gregorian.monthrange(onset.year, onset.month)[1]:
        rules.append(f"-1{weekday}")
    if onset.day <= 28:
        rules.append(f"{(onset.day - 1) // 7 + 1}{weekday}")
    return [*rules, f"day{onset.day}"]


def _runs(changes: Iterable[_Change]) -> list[tuple[list[_Change], str]]:
    """Changes grouped into runs of consecutive years that follow one rule."""
    runs: list[tuple[list[_Change], list[str]]] = []
    for change in changes:
        rules = _rules(change.onset)
        for run, shared in runs:
            last = run[-1]
            common = [rule for rule in shared if rule in rules]
            if (
                last.signature == change.signature
                and last.onset.year + 1 == change.onset.year
                and common
            ):
                run.append(change)
                shared[:] = common
                break
        else:
            runs.append(([change], rules))
    return [(run, shared[0]) for run, shared in runs]


def _observance(
    run: list[_Change], rule: str, *, open_ended: bool
) -> TimezoneStandard | TimezoneDaylight:
    """A run as one sub-component; yearly RRULE when it has several changes."""
    first, last = run[0], run[-1]
    observance = TimezoneDaylight() if first.daylight else TimezoneStandard()
    observance.add("dtstart", first.onset)
    if len(run) > 1:
        recur: dict[str, object] = {"FREQ": "YEARLY", "BYMONTH": first.onset.month}
        if rule.startswith("day"):
            recur["BYMONTHDAY"] = int(rule[3:])
        else:
            recur["BYDAY"] = rule
        if not open_ended:
            # A day past the last onset: clients that compare UNTIL naively still keep it.
            recur["UNTIL"] = (last.onset - last.before + timedelta(days=1)).replace(
                tzinfo=timezone.utc
            )
        observance.add("rrule", recur)
    if first.name:
        observance.add("tzname", first.name)
    observance.add("tzoffsetfrom", first.before)
    observance.add("tzoffsetto", first.after)
    return observance
