"""The programme: weeks, meeting pattern, caps and goals, as frozen, self-validating dataclasses.

Every default below is the evidence-based one (numbers are the review's references,
see EVIDENCE.md): 2-hour meetings twice a week for 12 weeks [19]; a gentler ramp over the
first 4 weeks, where trainees struggled with dense material [17]; content balanced with
skills [19]; standards met before duties start [4][5]; weekly supervision after [5].
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from curriculum.errors import Problem, ProgramError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekday(value: int | str) -> int:
    """'tue', 'Tuesday' or 1 -> 1 (Monday is 0); raise ValueError otherwise."""
    if isinstance(value, int) and 0 <= value < 7:
        return value
    if isinstance(value, str) and value.strip().lower()[:3] in WEEKDAYS:
        word = value.strip().lower()
        full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
        if word in WEEKDAYS or word in full:
            return WEEKDAYS.index(word[:3])
    raise ValueError(f"'{value}' is not a weekday; use mon, tue, wed, thu, fri, sat or sun")


def parse_time(value: time | str) -> time:
    """'18:00' -> time(18, 0); raise ValueError otherwise."""
    if isinstance(value, time):
        return value
    try:
        hour, minute = (int(part) for part in str(value).strip().split(":"))
        return time(hour, minute)
    except ValueError:
        raise ValueError(f"'{value}' is not a time of day; use HH:MM, e.g. \"18:00\"") from None


def _quarters(hours: float) -> int | None:
    """Hours as whole quarter hours, or None when not a positive multiple of 0.25."""
    quarters = hours * 4
    return round(quarters) if hours > 0 and abs(quarters - round(quarters)) < 1e-9 else None


@dataclass(frozen=True)
class Meeting:
    """One weekly meeting: weekday (0 = Monday, or a name), local start time, length."""

    weekday: int
    start: time
    hours: float = 2.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekday", parse_weekday(self.weekday))
        object.__setattr__(self, "start", parse_time(self.start))
        if _quarters(self.hours) is None:
            raise ValueError(f"meeting hours {self.hours} must be a positive multiple of 0.25")
        if self.start_minutes + round(self.hours * 60) > 24 * 60:
            raise ValueError(
                f"a {self.hours}-hour meeting at {self.start:%H:%M} ends after midnight"
            )

    @property
    def quarters(self) -> int:
        """Length in quarter hours."""
        return round(self.hours * 4)

    @property
    def weekday_name(self) -> str:
        """'Tuesday' for weekday 1."""
        return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[
            self.weekday
        ]

    @property
    def start_minutes(self) -> int:
        """Minutes from midnight to the start."""
        return self.start.hour * 60 + self.start.minute

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.start:%H:%M} ({self.hours:g} h)"


@dataclass(frozen=True)
class Load:
    """Weekly caps after the ramp: hours, and intensity (Σ hours × density)."""

    max_hours_per_week: float = 4.0
    max_intensity_per_week: float = 10.0


@dataclass(frozen=True)
class Ramp:
    """The first `weeks` weeks: stricter caps, and no module denser than `max_density` [17]."""

    weeks: int = 4
    max_hours_per_week: float = 3.0
    max_intensity_per_week: float = 7.0
    max_density: int = 3


@dataclass(frozen=True)
class Balance:
    """Target share of content hours each week; a hard tolerance when given [19]."""

    content_share: float = 0.5
    weekly_tolerance: float | None = None


@dataclass(frozen=True)
class Duties:
    """Week duties start; pre-service modules end in an earlier week [4][5]."""

    start_week: int | None = 10


@dataclass(frozen=True)
class Ongoing:
    """Weekly supervision and refresher once duties start, until `until` [4][5]."""

    weekday: int = 4
    start: time = time(12, 0)
    hours: float = 1.0
    title: str = "Supervision and skills refresher"
    until: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "weekday", parse_weekday(self.weekday))
        object.__setattr__(self, "start", parse_time(self.start))
        if _quarters(self.hours) is None:
            raise ValueError(f"ongoing hours {self.hours} must be a positive multiple of 0.25")
        if self.start.hour * 60 + self.start.minute + round(self.hours * 60) > 24 * 60:
            raise ValueError(
                f"a {self.hours}-hour session at {self.start:%H:%M} ends after midnight"
            )


@dataclass(frozen=True)
class Weights:
    """Weights of the soft goals (the objective is their weighted sum, minimised).

    balance
        Per hour a week's content strays beyond ±0.5 h of the target share [19].
    weeks_without_skills
        Per teaching week with no skills practice: keep practice in most weeks [4][5].
    uneven_load
        Per hour a week's load strays beyond ±1 h of its fair share of the total [17].
    early_density
        Per hour × density point above 2 taught in the ramp weeks [17].
    """

    balance: int = 4
    weeks_without_skills: int = 20
    uneven_load: int = 2
    early_density: int = 1


@dataclass(frozen=True, kw_only=True)
class Program:
    """A training programme; every field has an evidence-based default (module docstring)."""

    name: str = "Peer support worker training"
    start: date = field(default_factory=lambda: next_monday(date.today()))
    weeks: int = 12
    timezone: str = "UTC"
    location: str = ""
    holidays: tuple[date, ...] = ()
    meetings: tuple[Meeting, ...] = (Meeting(1, time(18, 0), 2.0), Meeting(3, time(18, 0), 2.0))
    load: Load = Load()
    ramp: Ramp = Ramp()
    balance: Balance = Balance()
    duties: Duties = Duties()
    ongoing: Ongoing | None = Ongoing()
    facilitators: Mapping[str, tuple[date, ...]] = field(default_factory=dict)
    weights: Weights = Weights()
    source: str = field(default="<Program>", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holidays", tuple(sorted(set(self.holidays))))
        object.__setattr__(self, "meetings", tuple(self.meetings))
        object.__setattr__(
            self, "facilitators", {k: tuple(v) for k, v in dict(self.facilitators).items()}
        )
        problems = [
            Problem(self.source, message, column=key, column_label="key")
            for key, message in _problems(self)
        ]
        if problems:
            raise ProgramError(problems)

    @property
    def first_monday(self) -> date:
        """Monday of week 1."""
        return self.start - timedelta(days=self.start.weekday())

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

    def is_ramp_week(self, week: int) -> bool:
        """Whether the ramp's stricter caps apply in this week."""
        return week <= self.ramp.weeks

    def hours_cap(self, week: int) -> float:
        """Maximum hours of modules in a week."""
        return (
            self.ramp.max_hours_per_week
            if self.is_ramp_week(week)
            else self.load.max_hours_per_week
        )

    def intensity_cap(self, week: int) -> float:
        """Maximum Σ hours × density in a week."""
        return (
            self.ramp.max_intensity_per_week
            if self.is_ramp_week(week)
            else self.load.max_intensity_per_week
        )

    def density_cap(self, week: int) -> int:
        """Densest module allowed in a week."""
        return self.ramp.max_density if self.is_ramp_week(week) else 5

    @property
    def ongoing_until(self) -> date:
        """Last day of the ongoing sessions (the programme's last day unless set)."""
        if self.ongoing is None or self.ongoing.until is None:
            return self.last_day
        return self.ongoing.until


def next_monday(today: date) -> date:
    """The first Monday after `today` (the default start when none is given)."""
    return today + timedelta(days=7 - today.weekday())


def _problems(p: Program) -> list[tuple[str, str]]:
    """(key, message) for every inconsistency in a programme."""
    found: list[tuple[str, str]] = []
    if not p.name.strip():
        found.append(("name", "name is empty"))
    if not isinstance(p.weeks, int) or p.weeks < 1:
        return [*found, ("weeks", f"weeks must be a positive whole number, not {p.weeks!r}")]
    if isinstance(p.start, date) and (p.start.year > 9000 or p.weeks > 520):
        return [
            *found,
            ("weeks", f"{p.weeks} weeks from {p.start} is beyond what a calendar holds"),
        ]
    if not isinstance(p.start, date) or isinstance(p.start, datetime):
        return [*found, ("start", f"start must be a date like 2027-01-11, not {p.start!r}")]
    try:
        ZoneInfo(p.timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        found.append(("timezone", f"unknown time zone '{p.timezone}'; use an IANA name"))
    found += _meeting_problems(p.meetings)
    for day in p.holidays:
        if not p.first_monday <= day <= p.last_day:
            found.append(
                (
                    "holidays",
                    f"holiday {day} is outside the programme ({p.first_monday} to {p.last_day})",
                )
            )
    if not 0 <= p.ramp.weeks <= p.weeks:
        found.append(("ramp.weeks", f"ramp of {p.ramp.weeks} weeks; the programme has {p.weeks}"))
    if not 1 <= p.ramp.max_density <= 5:
        found.append(("ramp.max_density", f"max_density {p.ramp.max_density} is not 1-5"))
    for key, value in (
        ("load.max_hours_per_week", p.load.max_hours_per_week),
        ("load.max_intensity_per_week", p.load.max_intensity_per_week),
        ("ramp.max_hours_per_week", p.ramp.max_hours_per_week),
        ("ramp.max_intensity_per_week", p.ramp.max_intensity_per_week),
    ):
        if not value >= 0:
            found.append((key, f"{key} must be 0 or more, not {value}"))
    if not 0 <= p.balance.content_share <= 1:
        found.append(("balance.content_share", f"{p.balance.content_share} is not in 0-1"))
    tolerance = p.balance.weekly_tolerance
    if tolerance is not None and not 0 <= tolerance <= 1:
        found.append(("balance.weekly_tolerance", f"{tolerance} is not in 0-1"))
    start_week = p.duties.start_week
    if start_week is not None and not 1 <= start_week <= p.weeks:
        found.append(
            ("duties.start_week", f"duty start week {start_week} is outside weeks 1-{p.weeks}")
        )
    if p.ongoing is not None and p.ongoing.until is not None and p.ongoing.until < p.first_monday:
        found.append(("ongoing.until", f"until {p.ongoing.until} is before the programme starts"))
    for weight, value in vars(p.weights).items():
        if not isinstance(value, int) or value < 0:
            found.append((f"weights.{weight}", f"weight must be a whole number ≥ 0, not {value!r}"))
    return found


def _meeting_problems(meetings: tuple[Meeting, ...]) -> list[tuple[str, str]]:
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
