"""The programme: weeks, meeting pattern, caps and goals, as frozen, self-validating dataclasses.

Every default is the evidence-based one (numbers are the review's references, see
EVIDENCE.md): 2-hour meetings twice a week for 12 weeks [19]; a gentler ramp over the first
weeks, where trainees struggled with dense material [17]; content balanced with skills
[19]; standards met before duties start [4][5]; weekly supervision after [5].

Defaults fit the programme they land in (all of them, in one place):

- `timezone`: this machine's IANA zone (UTC, with a warning, when none can be found).
- `start`: the next Monday. `weeks`: 12. Meetings: Tuesday and Thursday 18:00, 2 hours.
- `load`: 4 hours a week; intensity left out follows the hours cap at 2.5 per hour (10).
- `ramp.weeks`: a third of the programme (4 of 12); `ramp.max_hours_per_week`: 3, but
  never more than the load's cap; `ramp.max_intensity_per_week`: 7/3 per ramp hour (7),
  never more than the load's; `ramp.max_density`: 3. A ramp the user writes looser than the
  weeks after it is kept, with a warning (`Program.warnings`).
- `duties.start_week`: the last sixth of the programme runs alongside duties (week 10 of
  12, 5 of 6, 3 of 3); a one-week programme has no duties. `duties = None`: no duties.
- `ongoing`: 1 hour on Fridays at 12:00 from the week duties start to the programme's
  last day (`until`); in a file, a weekday or start left out fits around the meetings
  (`fitted_ongoing`), and so do both left at their defaults in a programme built in Python.
- `load.max_modules_per_week`: no cap; `ramp.max_modules_per_week`: the load's.
- `load.min_modules_per_week`: no floor; `ramp.min_modules_per_week`: the load's, but never
  above the ramp's cap.
- `balance.content_share`: 0.5, no hard tolerance. Weights: see `Weights`.

Each section checks its own values when it is made and raises `ProgramError` naming the
key (relative to the section); `Program` checks what depends on more than one section and
resolves the defaults into `Program.limits`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from email.utils import parseaddr
from fractions import Fraction
from zoneinfo import ZoneInfo

from curriculum.cells import hashed_slug, is_number, is_whole, name_key, plain_fields, slug_loses
from curriculum.errors import Problem, ProgramError
from curriculum.html import box, heading
from curriculum.html import facts as facts_table
from curriculum.inputs.zones import machine_zone, zone_problem
from curriculum.units import (
    WEEKDAY_NAMES,
    WEEKDAYS,
    calendar_monday,
    exact_quarters,
    parse_time,
    parse_weekday,
    to_quarters,
)

Found = list[tuple[str, str]]  # (key, message) for each problem


def _raise(section: str, found: Found) -> None:
    """ProgramError for the problems of one section (keys relative to it), if any."""
    if found:
        raise ProgramError(
            [
                Problem(f"<{section}>", message, column=key, column_label="key")
                for key, message in found
            ]
        )


def _in_range(
    section: object, names: Iterable[str], most: float, *, least: float = 0, whole: bool = False
) -> Found:
    """Problems for fields that are not numbers (whole ones, with `whole`) from `least` to
    `most`: bounds at the input, so that no later sum or conversion overflows."""
    found = []
    kind = "a whole number" if whole else "a number"
    for name in names:
        value = getattr(section, name)
        number = is_whole(value) if whole else is_number(value)
        if not number or not least <= value <= most:
            found.append((name, f"{name} must be {kind} from {least:,} to {most:,}, not {value!r}"))
    return found


def _given(section: object, *names: str) -> list[str]:
    """The names among these whose value was given (not left out as None)."""
    return [name for name in names if getattr(section, name) is not None]


def _is_date(value: object) -> bool:
    """A date, not a datetime (which is a date too)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_text(value: object) -> bool:
    return isinstance(value, str)


@dataclass(frozen=True)
class Meeting:
    """One weekly meeting: weekday (0 = Monday, or a name), local start time, length."""

    weekday: int
    start: time
    hours: float = 2.0

    def __post_init__(self) -> None:
        plain_fields(self)
        found = _parse_when(self)
        found += _length_problems("meeting", self.hours, self.start, "meeting")
        _raise("Meeting", found)

    @property
    def quarters(self) -> int:
        """Length in quarter hours."""
        return to_quarters(self.hours)

    @property
    def weekday_name(self) -> str:
        """'Tuesday' for weekday 1."""
        return WEEKDAY_NAMES[self.weekday]

    @property
    def start_minutes(self) -> int:
        """Minutes from midnight to the start."""
        return self.start.hour * 60 + self.start.minute

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.start:%H:%M} ({self.hours:g} h)"


def _parse_when(weekly: Meeting | Ongoing) -> Found:
    """Turn a weekly event's weekday and start, as written, into a weekday number and a
    time (in place); problems for those that are neither."""
    found: Found = []
    try:
        object.__setattr__(weekly, "weekday", parse_weekday(weekly.weekday))
    except ValueError as exc:
        found.append(("weekday", str(exc)))
    try:
        object.__setattr__(weekly, "start", parse_time(weekly.start))
    except ValueError as exc:
        found.append(("start", str(exc)))
    return found


def _length_problems(what: str, hours: object, start: object, noun: str) -> Found:
    """A length in hours: a positive multiple of 0.25 that ends by midnight."""
    if not is_number(hours) or exact_quarters(hours) is None or hours > HOURS_IN_DAY:
        return [
            ("hours", f"{what} hours must be a positive multiple of 0.25 up to 24, not {hours!r}")
        ]
    if isinstance(start, time) and start.hour * 60 + start.minute + round(hours * 60) > 24 * 60:
        return [("hours", f"a {hours}-hour {noun} at {start:%H:%M} ends after midnight")]
    return []


HOURS_IN_DAY = 24
HOURS_IN_WEEK = 7 * HOURS_IN_DAY  # no weekly cap is higher
DENSEST = 5  # density runs from 1 to 5
NO_INTENSITY_CAP = HOURS_IN_WEEK * DENSEST  # an intensity cap no week can reach
MOST_WEEKS = 520  # ten years: far beyond any programme, and within what a calendar holds
MOST_WEIGHT = 1_000_000  # only the ratios between weights matter; this keeps sums exact
MOST_ONGOING_YEARS = 10  # ongoing sessions run on at most this long after the programme
MOST_MODULES_PER_WEEK = 1000  # far beyond any week; a cap this high is no cap
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)  # a start date far outside is a typo
HOURS_CAP = 4.0  # hours a week after the ramp [19]
INTENSITY_PER_HOUR = 2.5  # an intensity cap left out: 2.5 per hour of the hours cap (10 for 4)
RAMP_HOURS_CAP = 3.0  # hours a week in the ramp [17]
RAMP_INTENSITY_PER_HOUR = 7 / 3  # 7 for the ramp's 3 hours
RAMP_SHARE = 1 / 3  # of the programme's weeks (4 of 12) [17]
DUTIES_ALONGSIDE = 6  # the last sixth of the programme runs alongside duties (10 of 12)


@dataclass(frozen=True)
class Load:
    """Weekly caps after the ramp: hours, intensity (Σ hours × density) and, when given,
    the number of modules, with a floor on it when given; intensity left out follows the
    hours cap (`INTENSITY_PER_HOUR`)."""

    max_hours_per_week: float = HOURS_CAP
    max_intensity_per_week: float | None = None
    max_modules_per_week: int | None = None
    min_modules_per_week: int | None = None

    def __post_init__(self) -> None:
        plain_fields(self)
        _raise("Load", _cap_problems(self))


@dataclass(frozen=True)
class Ramp:
    """The first `weeks` weeks: stricter caps, and no module denser than `max_density` [17].

    What is left out (None) fits the programme: see the module docstring.
    """

    weeks: int | None = None
    max_hours_per_week: float | None = None
    max_intensity_per_week: float | None = None
    max_density: int = 3
    max_modules_per_week: int | None = None
    min_modules_per_week: int | None = None

    def __post_init__(self) -> None:
        plain_fields(self)
        found = _cap_problems(self)
        found += _in_range(self, _given(self, "weeks"), MOST_WEEKS, whole=True)
        found += _in_range(self, ["max_density"], DENSEST, least=1, whole=True)
        _raise("Ramp", found)


def _cap_problems(section: Load | Ramp) -> Found:
    """Weekly caps of hours (at most the hours in a week: no cap), intensity (at most
    those hours at the highest density: no cap) and modules (a whole number), and the
    floor on modules (a whole number, not above the section's cap), where given."""
    modules = _in_range(
        section,
        _given(section, "max_modules_per_week", "min_modules_per_week"),
        MOST_MODULES_PER_WEEK,
        least=1,
        whole=True,
    )
    floor, cap = section.min_modules_per_week, section.max_modules_per_week
    if not modules and floor is not None and cap is not None and floor > cap:
        modules.append(
            (
                "min_modules_per_week",
                f"min_modules_per_week {floor} is above max_modules_per_week {cap}: no week "
                f"can teach at least {floor} modules and at most {cap}",
            )
        )
    return [
        *_in_range(section, _given(section, "max_hours_per_week"), HOURS_IN_WEEK),
        *_in_range(section, _given(section, "max_intensity_per_week"), NO_INTENSITY_CAP),
        *modules,
    ]


# Shares of hours are planned and judged as the nearest fraction with a denominator up to
# this, which the model keeps exact in whole units
SHARE_DENOMINATOR = 100
# a share planned this far or more from what was written (as its decimal text) is warned about
SHARE_GAP_WARNED = Fraction(1, 2000)  # 0.0005


def share_fraction(value: float) -> Fraction:
    """The fraction with a denominator up to `SHARE_DENOMINATOR` nearest a share (0.45 ->
    9/20, 1/3 -> 1/3, 0.123 -> 8/65 = 0.12308)."""
    return Fraction(value).limit_denominator(SHARE_DENOMINATOR)


@dataclass(frozen=True)
class Balance:
    """Target share of content hours each week; a hard tolerance when given [19]. Each is
    planned and judged as `share` and `tolerance`: the nearest fraction with a denominator
    up to 100, which the model keeps exact (0.123 as 8/65 = 0.12308)."""

    content_share: float = 0.5
    weekly_tolerance: float | None = None

    def __post_init__(self) -> None:
        plain_fields(self)
        names = ["content_share", *_given(self, "weekly_tolerance")]
        _raise("Balance", _in_range(self, names, 1))

    @property
    def share(self) -> Fraction:
        """The content share as planned and judged (0.45 -> 9/20)."""
        return share_fraction(self.content_share)

    @property
    def tolerance(self) -> Fraction | None:
        """The weekly tolerance as planned and judged, when set."""
        tolerance = self.weekly_tolerance
        return None if tolerance is None else share_fraction(tolerance)


@dataclass(frozen=True)
class Duties:
    """Week duties start; pre-service modules end in an earlier week [4][5]. Left out
    (None), the last sixth of the programme runs alongside duties."""

    start_week: int | None = None

    def __post_init__(self) -> None:
        plain_fields(self)
        _raise(
            "Duties", _in_range(self, _given(self, "start_week"), MOST_WEEKS, least=1, whole=True)
        )


@dataclass(frozen=True)
class Ongoing:
    """Weekly supervision and refresher once duties start, until `until` [4][5]."""

    weekday: int = 4
    start: time = time(12, 0)
    hours: float = 1.0
    title: str = "Supervision and skills refresher"
    until: date | None = None
    facilitator: str = ""

    def __post_init__(self) -> None:
        plain_fields(self)
        found = _parse_when(self)
        found += _length_problems("ongoing", self.hours, self.start, "session")
        for name in ("title", "facilitator"):
            if not _is_text(getattr(self, name)):
                found.append((name, f"{name} must be text, not {getattr(self, name)!r}"))
        if self.until is not None and not _is_date(self.until):
            found.append(("until", f"until must be a date like 2027-06-30, not {self.until!r}"))
        _raise("Ongoing", found)


@dataclass(frozen=True)
class Weights:
    """Weights of the soft goals (the objective is their weighted sum, minimised); the
    fields are named after `curriculum.goals.Goal`, which says what each one measures.

    balance
        Per hour a week's content strays beyond ±0.5 h of the target share [19].
    weeks_without_skills
        Per teaching week with no skills practice: keep practice in most weeks [4][5].
    uneven_load
        Per hour a week's load strays beyond ±1 h of its fair share of the load [17].
    uneven_load_squared
        Per hour², the same hours squared week by week: where one week far off its share
        is worse than two a little off (off by default).
    early_density
        Per hour × density point above 2 taught in the ramp weeks [17].
    avoided_weeks
        Per module taught in one of the weeks its catalog row asks to avoid
        (`avoid_weeks`).
    """

    balance: int = 4
    weeks_without_skills: int = 20
    uneven_load: int = 2
    uneven_load_squared: int = 0
    early_density: int = 1
    avoided_weeks: int = 5

    def __post_init__(self) -> None:
        plain_fields(self)
        names = [item.name for item in fields(self)]
        _raise("Weights", _in_range(self, names, MOST_WEIGHT, whole=True))


FITTED = ("weekday", "start")  # the ongoing sessions' keys fitted around the meetings
DEFAULT_MEETINGS = (Meeting(1, time(18, 0), 2.0), Meeting(3, time(18, 0), 2.0))
UID_DOMAIN = re.compile(r"[^\s@]+")  # what may follow the @ of a UID (any e-mail domain)


@dataclass(frozen=True)
class Limits:
    """The rules' numbers once every default is fitted to the programme (`Program.limits`)."""

    ramp_weeks: int
    ramp_hours: float
    ramp_intensity: float
    ramp_density: int
    hours: float
    intensity: float
    duty_start: int | None  # the week duties start; None: no duties in the programme
    modules: int | None = None  # modules a week after the ramp; None: no cap
    ramp_modules: int | None = None  # modules a ramp week; None: no cap
    modules_floor: int | None = None  # least modules a week after the ramp; None: no floor
    ramp_modules_floor: int | None = None  # least modules a ramp week; None: no floor


@dataclass(frozen=True, kw_only=True)
class Program:
    """A training programme; every field has an evidence-based default that fits the
    programme (module docstring). `limits` holds the numbers the rules use, `warnings`
    what looks wrong but is allowed."""

    name: str = "Peer support worker training"
    start: date = field(default_factory=lambda: next_monday(date.today()))
    weeks: int = 12
    timezone: str = field(default_factory=machine_zone)
    location: str = ""
    holidays: tuple[date, ...] = ()
    meetings: tuple[Meeting, ...] = DEFAULT_MEETINGS
    load: Load = Load()
    ramp: Ramp = Ramp()
    balance: Balance = Balance()
    duties: Duties | None = Duties()
    ongoing: Ongoing | None = Ongoing()
    facilitators: Mapping[str, tuple[date, ...]] = field(default_factory=dict)
    weights: Weights = Weights()
    organizer: str = ""
    id: str = ""
    # the keys a file left out that were fitted around what it wrote (`fitted_ongoing`), so
    # written back left out, to fit again: ("ongoing.weekday", "ongoing.start") or fewer;
    # None for a programme built in Python (what fitting would give counts as left out)
    fitted_keys: tuple[str, ...] | None = field(default=None, compare=False, repr=False)
    # the domain of the calendar's UIDs when kept from published events (a re-plan, a
    # committed cohort) though the organizer changed since; "": the organizer's e-mail's
    uid_domain: str = ""
    source: str = field(default="<Program>", compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    limits: Limits = field(init=False, repr=False, compare=False)
    warnings: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _away: Mapping[str, tuple[date, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        plain_fields(self)
        found = _collection_problems(self)
        if not found:
            object.__setattr__(self, "holidays", tuple(sorted(set(self.holidays))))
            object.__setattr__(self, "meetings", tuple(self.meetings))
            object.__setattr__(
                self, "facilitators", {k: tuple(v) for k, v in dict(self.facilitators).items()}
            )
            found = _problems(self)
        problems = [
            Problem(self.source, message, column=key, column_label="key") for key, message in found
        ]
        if problems:
            raise ProgramError(problems)
        moved: list[str] = []
        if self.fitted_keys is None:  # built in Python: a default fits as in a file
            given = self.ongoing
            object.__setattr__(self, "ongoing", _fitted_default(given, self.meetings))
            moved = _moved(given, self.ongoing, "the default")
        elif self.fitted_keys and self.ongoing and _taken(self.ongoing, self.meetings):
            # left out of a file and fitted, then a meeting put on that time since (by
            # `dataclasses.replace`, which keeps the keys): fitted again, and said
            given = self.ongoing
            written = [key for key in FITTED if f"ongoing.{key}" not in self.fitted_keys]
            fitted = fitted_ongoing(given, self.meetings, written) or given  # none free: as
            object.__setattr__(self, "ongoing", fitted)  # it is (an overlap, named later)
            moved = _moved(given, fitted, "fitted, as the file leaves it out")
        away: dict[str, tuple[date, ...]] = {}
        for who, days in self.facilitators.items():
            away[name_key(who)] = (*away.get(name_key(who), ()), *days)
        object.__setattr__(self, "_away", away)
        object.__setattr__(self, "limits", _limits(self))
        object.__setattr__(self, "warnings", (*moved, *_warnings(self)))

    @property
    def first_monday(self) -> date:
        """Monday of week 1."""
        return calendar_monday(self.start)

    @property
    def last_day(self) -> date:
        """Sunday of the last week."""
        return self.first_monday + timedelta(weeks=self.weeks, days=-1)

    @property
    def zone(self) -> ZoneInfo:
        """The programme's time zone."""
        return ZoneInfo(self.timezone)

    def week_of(self, day: date | datetime) -> int:
        """1-based programme week of a date (may fall outside 1..weeks)."""
        day = day.date() if isinstance(day, datetime) else day
        return (day - self.first_monday).days // 7 + 1

    def monday_of(self, week: int) -> date:
        """The Monday of a programme week."""
        return self.first_monday + timedelta(weeks=week - 1)

    def is_ramp_week(self, week: int) -> bool:
        """Whether the ramp's stricter caps apply in this week."""
        return week <= self.limits.ramp_weeks

    def hours_cap(self, week: int) -> float:
        """Maximum hours of modules in a week."""
        return self.limits.ramp_hours if self.is_ramp_week(week) else self.limits.hours

    def intensity_cap(self, week: int) -> float:
        """Maximum Σ hours × density in a week."""
        return self.limits.ramp_intensity if self.is_ramp_week(week) else self.limits.intensity

    def modules_cap(self, week: int) -> int | None:
        """Most modules taught in a week; None when there is no cap."""
        return self.limits.ramp_modules if self.is_ramp_week(week) else self.limits.modules

    def modules_floor(self, week: int) -> int:
        """Fewest modules taught in a week that teaches (the ramp's in ramp weeks); 0 when
        there is no floor."""
        limits = self.limits
        floor = limits.ramp_modules_floor if self.is_ramp_week(week) else limits.modules_floor
        return floor or 0

    @property
    def modules_limits(self) -> str:
        """The floors and caps on modules a week in words ('at least 2, at most 6 a week;
        at most 2 in weeks 1-4'), '' for none."""
        limits = self.limits
        after = _modules_bounds(limits.modules_floor, limits.modules)
        ramp = _modules_bounds(limits.ramp_modules_floor, limits.ramp_modules)
        if after == ANY_NUMBER and (ramp == after or not limits.ramp_weeks):
            return ""
        text = f"{after} a week"
        if limits.ramp_weeks and ramp != after:
            text += f"; {ramp} in weeks 1-{limits.ramp_weeks}"
        return text

    def density_cap(self, week: int) -> int:
        """Densest module allowed in a week."""
        return self.limits.ramp_density if self.is_ramp_week(week) else 5

    @property
    def ongoing_until(self) -> date:
        """Last day of the ongoing sessions (the programme's last day unless set)."""
        if self.ongoing is None or self.ongoing.until is None:
            return self.last_day
        return self.ongoing.until

    @property
    def organizer_address(self) -> tuple[str, str] | None:
        """The organizer's (name, e-mail address), or None when there is none."""
        if not self.organizer.strip():
            return None
        name, address = parseaddr(self.organizer)
        return name, address

    @property
    def calendar_id(self) -> str:
        """What tells this cohort's calendar events apart from every other's (their UIDs
        carry its `slug`): the `id` given, else the programme's name and start date; when
        the slug would leave part of those out (letters with no ASCII form, or a name too
        long to keep the date), the name's ASCII words, a short hash of it and the date."""
        day = f"{self.start:%Y%m%d}"
        if self.id.strip():
            return self.id.strip()
        if slug_loses(f"{self.name} {day}"):
            return hashed_slug(self.name, day)
        return f"{self.name} {day}"

    def unavailable(self, facilitator: str) -> tuple[date, ...]:
        """The days a facilitator cannot teach (names match whatever their case or spacing)."""
        if not self._away:
            return ()
        return self._away.get(name_key(facilitator), ())

    @property
    def calendar_end(self) -> date:
        """The last day anything of the programme happens: its last week, or the end of the
        ongoing sessions when they run on after it."""
        return max(self.last_day, self.ongoing_until) if self.ongoing else self.last_day

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) pairs: the programme in plain words, every default fitted."""
        limits = self.limits
        ramp = (
            f"weeks 1-{limits.ramp_weeks}: {limits.ramp_hours:g} h and intensity "
            f"{limits.ramp_intensity:g} a week, density up to {limits.ramp_density}"
            if limits.ramp_weeks
            else "none"
        )
        tolerance = self.balance.weekly_tolerance
        ongoing = self.ongoing
        return [
            ("meetings", ", ".join(str(m) for m in self.meetings)),
            ("location", self.location or "not set"),
            ("holidays", ", ".join(str(d) for d in self.holidays) or "none"),
            ("weekly caps", f"{limits.hours:g} h and intensity {limits.intensity:g}"),
            *([("modules a week", self.modules_limits)] if self.modules_limits else []),
            ("ramp", ramp),
            (
                "content share",
                f"{self.balance.content_share:.0%}"
                + (f" ± {tolerance:.0%} each week" if tolerance is not None else " (a goal)"),
            ),
            ("duties from", f"week {limits.duty_start}" if limits.duty_start else "none"),
            (
                "supervision",
                f"{WEEKDAYS[ongoing.weekday]} {ongoing.start:%H:%M} ({ongoing.hours:g} h) "
                f"until {self.ongoing_until}"
                if ongoing
                else "none",
            ),
            *(
                (f"{who} away", ", ".join(map(str, days)))
                for who, days in self.facilitators.items()
            ),
            (
                "weights",
                ", ".join(
                    f"{f.name} {getattr(self.weights, f.name)}" for f in fields(self.weights)
                ),
            ),
        ]

    def _repr_html_(self) -> str:
        head = (
            f"Programme: {self.name}, {self.weeks} weeks from {self.first_monday:%a %d %b %Y} "
            f"({self.timezone})"
        )
        return box([heading(head), facts_table(self.facts())])


ANY_NUMBER = "any number"  # of modules a week, with neither a floor nor a cap


def _modules_bounds(floor: int | None, cap: int | None) -> str:
    """'at least 2, at most 6', 'at most 6', 'at least 2' or 'any number'."""
    bounds = [f"at least {floor}"] * (floor is not None) + [f"at most {cap}"] * (cap is not None)
    return ", ".join(bounds) or ANY_NUMBER


def next_monday(today: date) -> date:
    """The first Monday after `today` (the default start when none is given)."""
    return today + timedelta(days=7 - today.weekday())


SECTIONS: dict[str, type] = {
    "load": Load,
    "ramp": Ramp,
    "balance": Balance,
    "duties": Duties,
    "ongoing": Ongoing,
    "weights": Weights,
}


def _limits(p: Program) -> Limits:
    """The defaults, fitted to the programme (the module docstring says each one)."""
    hours = p.load.max_hours_per_week
    intensity = p.load.max_intensity_per_week
    if intensity is None:
        intensity = hours * INTENSITY_PER_HOUR
    ramp = p.ramp
    ramp_hours = ramp.max_hours_per_week
    if ramp_hours is None:
        ramp_hours = min(RAMP_HOURS_CAP, hours)
    ramp_intensity = ramp.max_intensity_per_week
    if ramp_intensity is None:
        ramp_intensity = min(_quarter(ramp_hours * RAMP_INTENSITY_PER_HOUR), intensity)
    ramp_weeks = ramp.weeks if ramp.weeks is not None else round(p.weeks * RAMP_SHARE)
    modules = p.load.max_modules_per_week
    ramp_modules = ramp.max_modules_per_week
    if ramp_modules is None:
        ramp_modules = modules
    modules_floor = p.load.min_modules_per_week
    ramp_modules_floor = ramp.min_modules_per_week
    if ramp_modules_floor is None and modules_floor is not None:
        ramp_modules_floor = min(modules_floor, ramp_modules or modules_floor)
    duty_start = None if p.duties is None else p.duties.start_week
    if p.duties is not None and duty_start is None:
        duty_start = p.weeks - p.weeks // DUTIES_ALONGSIDE if p.weeks > 1 else None
    return Limits(
        ramp_weeks=ramp_weeks,
        ramp_hours=ramp_hours,
        ramp_intensity=ramp_intensity,
        ramp_density=ramp.max_density,
        hours=hours,
        intensity=intensity,
        duty_start=duty_start,
        modules=modules,
        ramp_modules=ramp_modules,
        modules_floor=modules_floor,
        ramp_modules_floor=ramp_modules_floor,
    )


def _quarter(value: float) -> float:
    """Down to a multiple of 0.25."""
    return int(value * 4 + 1e-9) / 4


def _warnings(p: Program) -> list[str]:
    """What the user wrote that is allowed but looks wrong: a ramp looser than the weeks
    after it, a share that is planned as another (`_share_warnings`)."""
    limits = p.limits
    found = _share_warnings(p.balance)
    for written, ramp, after, what in (
        (p.ramp.max_hours_per_week, limits.ramp_hours, limits.hours, "{:g} hours"),
        (p.ramp.max_intensity_per_week, limits.ramp_intensity, limits.intensity, "intensity {:g}"),
    ):
        if limits.ramp_weeks and written is not None and ramp > after:
            found.append(
                f"the ramp allows {what.format(ramp)} a week, more than the {after:g} of the "
                "weeks after it: the first weeks are meant to be gentler"
            )
    ramp_modules, modules = limits.ramp_modules, limits.modules
    written = p.ramp.max_modules_per_week is not None
    if limits.ramp_weeks and written and ramp_modules and modules and ramp_modules > modules:
        found.append(
            f"the ramp allows {ramp_modules} modules a week, more than the {modules} of the "
            "weeks after it: the first weeks are meant to be gentler"
        )
    return found


def _share_warnings(balance: Balance) -> list[str]:
    """A share planned `SHARE_GAP_WARNED` or more from what was written (0.004 is planned
    as 0; 0.123 as 8/65 = 0.12308 is not worth a word)."""
    found = []
    for key, written, planned in (
        ("content_share", balance.content_share, balance.share),
        ("weekly_tolerance", balance.weekly_tolerance, balance.tolerance),
    ):
        if (
            written is not None
            and planned is not None
            and abs(Fraction(str(written)) - planned) >= SHARE_GAP_WARNED
        ):
            found.append(
                f"[balance] {key} {written:g} is planned as {float(planned):.4g}: shares are "
                f"planned as the nearest fraction with a denominator up to {SHARE_DENOMINATOR}"
            )
    return found


def _collection_problems(p: Program) -> Found:
    """Holidays, meetings and facilitators that are not collections of the right shape."""
    found: Found = []
    for name in ("holidays", "meetings"):
        value = getattr(p, name)
        if not isinstance(value, Iterable) or isinstance(value, (str, bytes, Mapping)):
            found.append((name, f"{name} must be a list, not {value!r}"))
        elif name == "holidays":  # before they are sorted: a text among dates cannot be
            odd = [day for day in value if not _is_date(day)]
            if odd:
                found.append(
                    ("holidays", f"holidays must be dates like 2027-02-15, not {odd[0]!r}")
                )
    facilitators: object = p.facilitators  # as given, before it is known to be a mapping
    if not isinstance(facilitators, Mapping):
        found.append(("facilitators", f"facilitators must map names to days, not {facilitators!r}"))
        return found
    for who, days in facilitators.items():
        if not _is_text(who) or not isinstance(days, Iterable) or isinstance(days, (str, bytes)):
            found.append(
                (f'facilitators."{who}"', f"expected a name and a list of days, not {days!r}")
            )
    return found


def _problems(p: Program) -> Found:
    """(key, message) for every inconsistency in a programme."""
    found: Found = []
    if not _is_text(p.name) or not p.name.strip():
        found.append(
            ("name", "name is empty" if _is_text(p.name) else f"name must be text, not {p.name!r}")
        )
    found += _in_range(p, ["weeks"], MOST_WEEKS, least=1, whole=True)
    if not _is_date(p.start):
        found.append(("start", f"start must be a date like 2027-01-11, not {p.start!r}"))
    elif not EARLIEST <= p.start <= LATEST:
        found.append(("start", f"start {p.start} is not a date from {EARLIEST} to {LATEST}"))
    if found:
        return found
    found += _section_types(p)
    if found:
        return found
    zone = zone_problem(p.timezone)
    if zone:
        found.append(("timezone", zone))
    found += _meeting_problems(p.meetings)
    end = max(p.last_day, p.ongoing.until) if p.ongoing and p.ongoing.until else p.last_day
    for day in p.holidays:
        if not p.first_monday <= day <= end:
            found.append(
                ("holidays", f"holiday {day} is outside the programme ({p.first_monday} to {end})")
            )
    if p.ramp.weeks is not None and p.ramp.weeks > p.weeks:
        found.append(("ramp.weeks", f"ramp of {p.ramp.weeks} weeks; the programme has {p.weeks}"))
    ramp_floor, load_cap = p.ramp.min_modules_per_week, p.load.max_modules_per_week
    if p.ramp.max_modules_per_week is None and ramp_floor and load_cap and ramp_floor > load_cap:
        found.append(
            (
                "ramp.min_modules_per_week",
                f"ramp.min_modules_per_week {ramp_floor} is above the ramp's cap, "
                f"load.max_modules_per_week {load_cap}: no ramp week can teach at least "
                f"{ramp_floor} modules and at most {load_cap}",
            )
        )
    start_week = p.duties.start_week if p.duties else None
    if start_week is not None and start_week > p.weeks:
        found.append(
            ("duties.start_week", f"duty start week {start_week} is outside weeks 1-{p.weeks}")
        )
    until = p.ongoing.until if p.ongoing is not None else None
    if until is not None and until < p.first_monday:
        found.append(("ongoing.until", f"until {until} is before the programme starts"))
    latest = p.last_day.replace(year=p.last_day.year + MOST_ONGOING_YEARS, day=28)
    if until is not None and until > latest:
        found.append(
            (
                "ongoing.until",
                f"until {until} is more than {MOST_ONGOING_YEARS} years after the programme "
                f"ends ({p.last_day}); plan ongoing sessions up to {latest} at most, and "
                "extend them later",
            )
        )
    return found


def ongoing_overlaps(p: Program) -> Found:
    """The ongoing sessions at a time a meeting takes, in the weeks both are held (from the
    week duties start): the trainees cannot be at both."""
    ongoing = p.ongoing
    if ongoing is None:
        return []
    first = p.monday_of(p.limits.duty_start or 1) + timedelta(days=ongoing.weekday)
    if ongoing.until is not None and ongoing.until < first:
        return []
    return [
        (
            "ongoing.start",
            f"the ongoing sessions ({WEEKDAYS[ongoing.weekday]} {ongoing.start:%H:%M}, "
            f"{ongoing.hours:g} h) overlap the meeting {meeting} from {first}: the trainees "
            "cannot be at both; move one",
        )
        for meeting in p.meetings
        if _overlap(meeting, ongoing.weekday, ongoing.start, ongoing.hours)
    ]


def fitted_ongoing(
    ongoing: Ongoing, meetings: tuple[Meeting, ...], written: Collection[str]
) -> Ongoing | None:
    """The ongoing sessions at the first time no meeting takes, for the weekday and start
    the user did not write (`written` holds the keys they did): Friday 12:00 when free, else
    the next free half hour that day up to 22:00, else the morning from 08:00, else the
    other days (Thursday back to Monday, then the weekend); None when no time is free."""
    days = [ongoing.weekday] if "weekday" in written else [4, 3, 2, 1, 0, 5, 6]
    if "start" in written:
        starts = [ongoing.start]
    else:
        half_hours = [*range(12 * 60, 22 * 60 + 1, 30), *range(8 * 60, 12 * 60, 30)]
        within_the_day = [m for m in half_hours if m + ongoing.hours * 60 <= 24 * 60]
        starts = [time(minutes // 60, minutes % 60) for minutes in within_the_day]
    for day in days:
        for start in starts:
            if not any(_overlap(meeting, day, start, ongoing.hours) for meeting in meetings):
                return replace(ongoing, weekday=day, start=start)
    return None


def _fitted_default(ongoing: Ongoing | None, meetings: tuple[Meeting, ...]) -> Ongoing | None:
    """Ongoing sessions at their default weekday and start, fitted around the meetings
    (`fitted_ongoing`), as a file that leaves both out has them; others as they are."""
    default = Ongoing()
    if ongoing is None or (ongoing.weekday, ongoing.start) != (default.weekday, default.start):
        return ongoing
    return fitted_ongoing(ongoing, meetings, ()) or ongoing


def _moved(given: Ongoing | None, fitted: Ongoing | None, was: str) -> list[str]:
    """A word on ongoing sessions fitting moved off a meeting's time, where that time `was`
    a default or fitted one (built in Python, a default cannot be told from the same time
    given, nor a fitted one from one set since reading), so as not to move it silently."""
    if given is None or fitted is None or given == fitted:
        return []
    return [
        f"the weekly '{fitted.title}' is on {WEEKDAY_NAMES[fitted.weekday]} "
        f"{fitted.start:%H:%M}, not {WEEKDAY_NAMES[given.weekday]} {given.start:%H:%M} "
        f"({was}), which a meeting takes; give Ongoing another weekday or start to choose"
    ]


def _taken(ongoing: Ongoing, meetings: tuple[Meeting, ...]) -> bool:
    """Whether a meeting overlaps the ongoing sessions' time."""
    return any(_overlap(m, ongoing.weekday, ongoing.start, ongoing.hours) for m in meetings)


def _overlap(meeting: Meeting, weekday: int, start: time, hours: float) -> bool:
    """Whether a weekly session on `weekday` at `start` overlaps the meeting."""
    begins = start.hour * 60 + start.minute
    return (
        meeting.weekday == weekday
        and begins < meeting.start_minutes + meeting.hours * 60
        and meeting.start_minutes < begins + hours * 60
    )


def _section_types(p: Program) -> Found:
    """Sections, meetings, holidays and facilitators of the right types."""
    found: Found = []
    for name, kind in SECTIONS.items():
        value = getattr(p, name)
        if not isinstance(value, kind) and not (name in ("ongoing", "duties") and value is None):
            found.append((name, f"{name} must be a {kind.__name__}, not {value!r}"))
    meetings: tuple[object, ...] = p.meetings
    if not all(isinstance(m, Meeting) for m in meetings):
        found.append(("meetings", "meetings must be Meeting(weekday, start, hours) values"))
    if not _is_text(p.location):
        found.append(("location", f"location must be text, not {p.location!r}"))
    if not _is_text(p.uid_domain) or not UID_DOMAIN.fullmatch(p.uid_domain.strip() or "x"):
        message = f"uid_domain must be a domain like example.org (or ''), not {p.uid_domain!r}"
        found.append(("uid_domain", message))
    for who, days in p.facilitators.items():
        if not all(_is_date(d) for d in days):
            found.append((f'facilitators."{who}"', "unavailable days must be dates"))
    for key in ("organizer", "id"):
        if not _is_text(getattr(p, key)):
            found.append((key, f"{key} must be text, not {getattr(p, key)!r}"))
    if _is_text(p.organizer) and p.organizer.strip():
        address = parseaddr(p.organizer)[1]
        if "@" not in address or "." not in address.rpartition("@")[2]:
            found.append(
                (
                    "organizer",
                    f"organizer '{p.organizer}' has no e-mail address; write it like "
                    '"Training Office <training@example.org>"',
                )
            )
    return found


def _meeting_problems(meetings: tuple[Meeting, ...]) -> Found:
    if not meetings:
        return [("meetings", "the programme has no meetings")]
    found = []
    ordered = sorted(meetings, key=lambda m: (m.weekday, m.start_minutes))
    for first, second in itertools.pairwise(ordered):
        if (
            first.weekday == second.weekday
            and second.start_minutes < first.start_minutes + first.hours * 60
        ):
            found.append(("meetings", f"meetings {first} and {second} overlap"))
    return found
