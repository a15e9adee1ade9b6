"""Several cohorts planned together: each with its own catalog and programme, the
facilitators they share (a weekly cap across cohorts, days away) and the modules taught to
them together (joint modules), as frozen, self-validating dataclasses.

`Cohorts` checks what depends on more than one cohort and can be said from the inputs
alone: names and calendar ids told apart, shared facilitators that some catalog names, and
joint modules that two or more cohorts have, with the same length and facilitator. Whether
a joint module's cohorts share a meeting time and place is checked from their meetings
(`curriculum.cohorts.sharing`).
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from curriculum.cells import is_number, name_key, plain_fields, slug
from curriculum.errors import CohortsError, Problem
from curriculum.export.ics.events import carried_calendar_id, carried_domain, owns_uid
from curriculum.frames import PlanData
from curriculum.html import box, heading, table
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import HOURS_IN_WEEK, Program
from curriculum.inputs.toml_lines import line_of
from curriculum.units import hours_text


@dataclass(frozen=True)
class SharedFacilitator:
    """A person who teaches in several cohorts: at most `max_hours_per_week` across all of
    them (None: only each cohort's own caps), and not on the `unavailable` days."""

    max_hours_per_week: float | None = None
    unavailable: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        plain_fields(self)
        found = []
        cap = self.max_hours_per_week
        if cap is not None and (not is_number(cap) or not 0 <= cap <= HOURS_IN_WEEK):
            found.append(
                (
                    "max_hours_per_week",
                    f"max_hours_per_week must be a number from 0 to 168, not {cap!r}",
                )
            )
        days: object = self.unavailable
        if not isinstance(days, (list, tuple)) or not all(_is_date(d) for d in days):
            found.append(
                (
                    "unavailable",
                    f"unavailable must be a list of dates like [2027-03-09], not {days!r}",
                )
            )
        else:
            object.__setattr__(self, "unavailable", tuple(sorted(set(days))))
        if found:
            raise CohortsError(
                [Problem("<SharedFacilitator>", m, column=k, column_label="key") for k, m in found]
            )


@dataclass(frozen=True)
class Cohort:
    """One cohort: its name (part of every calendar UID), its catalog and programme, and,
    when its plan is already published, that plan (`committed`, as read from its file, with
    its calendar's SEQUENCE numbers and cancellations): its sessions stay exactly as they
    are, while the other cohorts are planned around them."""

    name: str
    catalog: Catalog
    program: Program
    committed: PlanData | None = field(default=None, compare=False)

    @property
    def is_committed(self) -> bool:
        """Whether the cohort's plan is published and stays as it is."""
        return self.committed is not None


@dataclass(frozen=True, kw_only=True)
class Cohorts:
    """The cohorts of a training year, planned together.

    Each cohort's programme takes the shared facilitators' days away for the facilitators
    its catalog names, and the cohort's name as its `id` when it has none (so that calendar
    UIDs differ across cohorts).
    """

    cohorts: tuple[Cohort, ...]
    name: str = "Training year"
    facilitators: Mapping[str, SharedFacilitator] = field(default_factory=dict)
    joint: tuple[str, ...] = ()
    source: str = field(default="<Cohorts>", compare=False)
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    # every file the cohorts file names (programmes, catalogs, plans): outputs must spare them
    files: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "cohorts", tuple(self.cohorts))
        object.__setattr__(self, "joint", tuple(dict.fromkeys(self.joint)))
        object.__setattr__(self, "facilitators", dict(self.facilitators))
        found = _shape_problems(self) or [*_name_problems(self), *_facilitator_problems(self)]
        found = found or _joint_problems(self)
        if found:
            raise CohortsError(
                [
                    Problem(self.source, message, line_of(key, self.lines), key, column_label="key")
                    for key, message in found
                ]
            )
        object.__setattr__(self, "cohorts", tuple(_fitted(c, self) for c in self.cohorts))

    def __len__(self) -> int:
        return len(self.cohorts)

    def __getitem__(self, name: str) -> Cohort:
        return next(c for c in self.cohorts if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        """The cohorts' names, in file order."""
        return tuple(c.name for c in self.cohorts)

    def having(self, module_id: str) -> tuple[Cohort, ...]:
        """The cohorts whose catalog has this module."""
        return tuple(c for c in self.cohorts if module_id in c.catalog)

    def shared(self, facilitator: str) -> SharedFacilitator | None:
        """The shared facilitator of this name (any case or spacing), or None."""
        wanted = name_key(facilitator)
        return next(
            (limits for who, limits in self.facilitators.items() if name_key(who) == wanted), None
        )

    def _repr_html_(self) -> str:
        rows = [
            (
                c.name,
                f"{c.program.first_monday:%a %d %b %Y} to {c.program.last_day:%a %d %b %Y}",
                c.program.timezone,
                ", ".join(str(m) for m in c.program.meetings),
                len(c.catalog.modules),
                f"{hours_text(c.catalog.total_hours)} h",
                "published: kept as it is" if c.is_committed else "to plan",
            )
            for c in self.cohorts
        ]
        headers = ("cohort", "dates", "time zone", "meetings", "modules", "hours", "plan")
        parts = [heading(f"Cohorts: {self.name}, {len(self.cohorts)} planned together")]
        parts.append(table(headers, rows))
        if self.facilitators:
            shared = [
                (
                    who,
                    "—"
                    if f.max_hours_per_week is None
                    else f"{hours_text(f.max_hours_per_week)} h",
                    ", ".join(f"{day:%a %d %b %Y}" for day in f.unavailable) or "—",
                )
                for who, f in self.facilitators.items()
            ]
            parts.append(heading("Shared facilitators", level=5))
            parts.append(table(("facilitator", "weekly cap", "away"), shared))
        if self.joint:
            joint = [(m, ", ".join(c.name for c in self.having(m))) for m in self.joint]
            parts.append(heading("Joint modules (one session for every cohort having one)", 5))
            parts.append(table(("module", "cohorts"), joint))
        return box(parts)


Found = list[tuple[str, str]]  # (key, message)


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not hasattr(value, "hour")


def _of_type(value: object, kind: type) -> bool:
    return isinstance(value, kind)


def _shape_problems(cohorts: Cohorts) -> Found:
    """Fields of the wrong types."""
    if not cohorts.cohorts:
        return [("cohort", "there are no cohorts; add [[cohort]] tables")]
    found: Found = []
    given: tuple[object, ...] = cohorts.cohorts  # as given, before their types are known
    for number, cohort in enumerate(given, start=1):
        if not isinstance(cohort, Cohort):
            found.append((f"cohort[{number}]", f"expected a Cohort, not {cohort!r}"))
        elif not (_of_type(cohort.catalog, Catalog) and _of_type(cohort.program, Program)):
            found.append((f"cohort[{number}]", "a cohort needs a Catalog and a Program"))
    facilitators: list[tuple[object, object]] = list(cohorts.facilitators.items())
    for who, limits in facilitators:
        if not isinstance(who, str) or not isinstance(limits, SharedFacilitator):
            found.append((f'facilitators."{who}"', "expected a name and a SharedFacilitator"))
    joint: tuple[object, ...] = cohorts.joint
    if not all(isinstance(module, str) for module in joint):
        found.append(("joint.modules", "joint modules must be module ids"))
    return found


def _name_problems(cohorts: Cohorts) -> Found:
    """Cohort names (and calendar ids) that are empty or not told apart."""
    found: Found = []
    first: dict[str, int] = {}
    ids: dict[str, int] = {}
    for number, cohort in enumerate(cohorts.cohorts, start=1):
        key = f"cohort[{number}].name"
        if not isinstance(cohort.name, str) or not cohort.name.strip():
            found.append((key, "every cohort needs a name"))
            continue
        named_twice = name_key(cohort.name) in first
        if named_twice:
            found.append(
                (
                    key,
                    f"cohort name '{cohort.name}' is also cohort {first[name_key(cohort.name)]}'s",
                )
            )
        first.setdefault(name_key(cohort.name), number)
        # calendar UIDs are made of the slug of the calendar id (the cohort's name by
        # default): 'Cohort A' and 'cohort-a' would share every UID
        calendar_id = _calendar_id(cohort)
        calendar = slug(calendar_id)
        if calendar in ids and (calendar_id != cohort.name or not named_twice):
            what = (
                ("program", f"its programme's id '{cohort.program.id}'")
                if cohort.program.id.strip()
                else ("name", f"its name '{cohort.name}'")
                if calendar_id == cohort.name
                else ("plan", f"the calendar id of its published plan's events '{calendar_id}'")
            )
            found.append(
                (
                    f"cohort[{number}].{what[0]}",
                    f"{what[1]} gives the calendar UIDs of cohort {ids[calendar]} "
                    f"('{calendar}.<module>@...'): name it apart, or give its programme an id",
                )
            )
        ids.setdefault(calendar, number)
    return found


def _facilitator_problems(cohorts: Cohorts) -> Found:
    """Shared facilitators that no cohort's catalog names."""
    known = list(dict.fromkeys(f for c in cohorts.cohorts for f in c.catalog.facilitators))
    found: Found = []
    for who in cohorts.facilitators:
        if name_key(who) not in {name_key(k) for k in known}:
            close = difflib.get_close_matches(who, known, n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            found.append(
                (f'facilitators."{who}"', f"no module of any cohort is led by '{who}'{hint}")
            )
    return found


def _joint_problems(cohorts: Cohorts) -> Found:
    """Joint modules that fewer than two cohorts have, or that differ between them."""
    found: Found = []
    for module_id in cohorts.joint:
        having = cohorts.having(module_id)
        if len(having) < 2:
            where = f"only '{having[0].name}' has it" if having else "no cohort has it"
            found.append(("joint.modules", f"joint module '{module_id}': {where}"))
            continue
        modules = {c.name: c.catalog[module_id] for c in having}
        for what, values in (
            ("lasts", {n: f"{hours_text(m.hours)} h" for n, m in modules.items()}),
            ("is led by", {n: m.facilitator or "nobody" for n, m in modules.items()}),
        ):
            if len({name_key(v) for v in values.values()}) > 1:
                each = "; ".join(f"in '{name}' it {what} {v}" for name, v in values.items())
                found.append(
                    ("joint.modules", f"joint module '{module_id}' differs between cohorts: {each}")
                )
    return found


def _calendar_id(cohort: Cohort) -> str:
    """The calendar id a cohort's events are given: its programme's id; else, for a
    committed cohort, the one its published events carry (the cohort's name, its
    programme's name and start when it was planned on its own, or whatever id they carry,
    e.g. of a programme renamed since), so that their UIDs stay the same; else the
    cohort's name."""
    program = cohort.program
    published = cohort.committed
    if program.id.strip() or published is None or published.events is None:
        return program.id.strip() or cohort.name
    carried = carried_calendar_id(published.events)
    for candidate in (cohort.name, program.calendar_id, *([carried] if carried else [])):
        named = dataclasses.replace(program, id=candidate, uid_domain=_kept_domain(cohort))
        if any(owns_uid(named, str(uid)) for uid in published.events["uid"]):
            return candidate
    return cohort.name


def _kept_domain(cohort: Cohort) -> str:
    """The UID domain a committed cohort's published events carry (kept though its
    organizer changed since), else its programme's own."""
    events = None if cohort.committed is None else cohort.committed.events
    return (None if events is None else carried_domain(events)) or cohort.program.uid_domain


def _fitted(cohort: Cohort, cohorts: Cohorts) -> Cohort:
    """The cohort with its calendar id (`_calendar_id`) as its programme's id, and the
    shared facilitators' days away for those its catalog names."""
    program = cohort.program
    away = dict(program.facilitators)
    for who in cohort.catalog.facilitators:
        limits = cohorts.shared(who)
        if limits and limits.unavailable:
            away[who] = tuple(sorted({*away.get(who, ()), *limits.unavailable}))
    fitted = dataclasses.replace(
        program, facilitators=away, id=_calendar_id(cohort), uid_domain=_kept_domain(cohort)
    )
    return cohort if fitted == program else dataclasses.replace(cohort, program=fitted)
