"""Seeded generator of realistic catalogs and programmes that are feasible by construction.

A hidden plan (the witness) is packed first, under caps of 1.2 × the average weekly load
(raised a quarter hour at a time until the packing succeeds); every other rule is then drawn
so that the witness keeps it: prerequisites point to modules taught in earlier weeks, week
windows contain the witness week, pre-service modules come before duties start, and
facilitators are away only on days they teach nothing. The intensity caps are the larger of
the witness's busiest week and 1.2 × the average.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, time

from curriculum import (
    Balance,
    Catalog,
    Duties,
    Load,
    Meeting,
    Module,
    Program,
    Ramp,
    Slot,
    meeting_slots,
)
from curriculum.inputs.program import NO_INTENSITY_CAP

START = date(2027, 1, 11)
HOURS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
HOURS_WEIGHTS = (2, 2, 4, 3, 3, 1, 2)
DENSITY_WEIGHTS = (30, 30, 20, 12, 8)  # densities 1-5, skewed low
WEEKDAYS = {1: (2,), 2: (1, 3), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}
SLACK = 1.2  # caps over the average weekly load
RAMP_SHARE = 0.75  # a ramp week's load relative to a normal week's
RAMP_DENSITY = 3
MAX_DEPTH = 5  # longest prerequisite chain, in modules
PRE_SERVICE_SHARE = 0.4
FACILITATORS = (
    "Peer trainer",
    "Clinical lead",
    "Nurse educator",
    "Social worker",
    "Pharmacist",
    "Counsellor",
    "Programme manager",
    "Guest speaker",
)


@dataclass
class _Draft:
    """A module before its rules are drawn, with its witness meeting."""

    index: int
    hours: float
    density: int
    kind: str
    slot: Slot | None = None
    prerequisites: list[str] = field(default_factory=list)
    depth: int = 1

    @property
    def id(self) -> str:
        return f"m{self.index:04d}"

    @property
    def week(self) -> int:
        assert self.slot is not None
        return self.slot.week


def generate(
    modules: int,
    weeks: int,
    meetings_per_week: int,
    seed: int,
    slack: float = SLACK,
    content: float | None = None,
) -> tuple[Catalog, Program]:
    """A catalog and programme with a known feasible plan.

    Parameters
    ----------
    modules, weeks
        Size of the instance.
    meetings_per_week
        Weekly meetings (1-5); their length follows from the weekly cap (at least 2 h).
    seed
        Same arguments, same instance.
    slack
        The hours caps over the average weekly load (tighter caps leave the goals less
        room, so that the optimum is not 0).
    content
        The share of modules that are content, the rest skills (None: even odds each). A
        catalog far from the programme's target share cannot meet the balance goal, nor,
        with fewer skill modules than weeks, skills practice every week.

    Returns
    -------
    tuple of Catalog and Program
    """
    rng = random.Random(seed)
    drafts = [_draft(i, rng, content) for i in range(modules)]
    program = _program(drafts, weeks, meetings_per_week, rng, slack)
    slots = meeting_slots(program)
    while not _pack(drafts, slots, program, rng):
        program = replace(
            program,
            load=Load(program.load.max_hours_per_week + 0.25, NO_INTENSITY_CAP),
            ramp=replace(program.ramp, max_hours_per_week=program.ramp.max_hours_per_week + 0.25),
        )
    program = _intensity_caps(drafts, program, slack)
    _prerequisites(drafts, rng)
    catalog = _catalog(drafts, program, rng)
    program = replace(program, facilitators=_absences(catalog, drafts, slots, rng))
    return Catalog.from_frame(catalog.frame, source=f"generated {modules}x{weeks}"), program


def _draft(index: int, rng: random.Random, content: float | None) -> _Draft:
    hours = rng.choices(HOURS, HOURS_WEIGHTS)[0]
    density = rng.choices(range(1, 6), DENSITY_WEIGHTS)[0]
    if content is None:
        return _Draft(index, hours, density, rng.choice(("content", "skill")))
    return _Draft(index, hours, density, "content" if rng.random() < content else "skill")


def _program(
    drafts: list[_Draft], weeks: int, per_week: int, rng: random.Random, slack: float
) -> Program:
    """Meetings, ramp, duties and holidays; hours caps at `slack` × the average load."""
    ramp_weeks = min(4, weeks // 3)
    normal = sum(d.hours for d in drafts) / (weeks - ramp_weeks * (1 - RAMP_SHARE))
    cap = _quarter_ceil(max(normal * slack, 2.0))
    ramp_cap = _quarter_ceil(max(normal * slack * RAMP_SHARE, 2.0))
    length = max(2.0, math.ceil(cap * 1.25 / per_week * 2) / 2)
    begins = time(18, 0) if length <= 5 else time(9, 0)
    meetings = tuple(Meeting(day, begins, length) for day in WEEKDAYS[per_week])
    program = Program(
        name=f"Generated {len(drafts)} modules x {weeks} weeks",
        start=START,
        weeks=weeks,
        timezone="America/Toronto",
        location="Training room",
        meetings=meetings,
        load=Load(cap, NO_INTENSITY_CAP),
        ramp=Ramp(ramp_weeks, ramp_cap, NO_INTENSITY_CAP, RAMP_DENSITY),
        balance=Balance(0.5, None),
        duties=Duties(max(2, round(weeks * 5 / 6))),
    )
    days = [s.day for s in meeting_slots(program) if s.week > 1]
    holidays = rng.sample(days, k=min(len(days) // 2, max(1, weeks // 12)))
    return replace(program, holidays=tuple(holidays))


def _pack(
    drafts: list[_Draft], slots: tuple[Slot, ...], program: Program, rng: random.Random
) -> bool:
    """Greedy witness: largest modules first, each into the least-filled week it fits."""
    free = {s.index: s.quarters for s in slots}
    load = dict.fromkeys(range(1, program.weeks + 1), 0)
    order = sorted(rng.sample(drafts, len(drafts)), key=lambda d: -d.hours)
    for draft in order:
        quarters = round(draft.hours * 4)
        options = [
            s
            for s in slots
            if free[s.index] >= quarters
            and load[s.week] + quarters <= _quarters(program.hours_cap(s.week))
            and draft.density <= program.density_cap(s.week)
        ]
        if not options:
            return False
        best = min(
            options,
            key=lambda s: (load[s.week] / _quarters(program.hours_cap(s.week)), -free[s.index]),
        )
        draft.slot = best
        free[best.index] -= quarters
        load[best.week] += quarters
    return True


def _intensity_caps(drafts: list[_Draft], program: Program, slack: float) -> Program:
    """Intensity caps: the witness's busiest week, and at least `slack` × the average."""
    intensity = dict.fromkeys(range(1, program.weeks + 1), 0.0)
    for draft in drafts:
        intensity[draft.week] += draft.hours * draft.density
    ramp = [v for w, v in intensity.items() if program.is_ramp_week(w)]
    normal = [v for w, v in intensity.items() if not program.is_ramp_week(w)]
    return replace(
        program,
        load=replace(program.load, max_intensity_per_week=_cap(normal, slack)),
        ramp=replace(program.ramp, max_intensity_per_week=_cap(ramp, slack) if ramp else 0.0),
    )


def _cap(loads: list[float], slack: float) -> float:
    return _quarter_ceil(max(max(loads), slack * sum(loads) / len(loads)))


def _prerequisites(drafts: list[_Draft], rng: random.Random) -> None:
    """A DAG along the witness: 1-2 prerequisites from the previous four weeks, chains of
    at most MAX_DEPTH modules."""
    by_week = sorted(drafts, key=lambda d: (d.week, d.index))
    for draft in by_week:
        if rng.random() > 0.45:
            continue
        pool = [d for d in by_week if draft.week - 4 <= d.week < draft.week and d.depth < MAX_DEPTH]
        chosen = rng.sample(pool, k=min(len(pool), 1 if rng.random() < 0.7 else 2))
        draft.prerequisites = [d.id for d in chosen]
        draft.depth = 1 + max((d.depth for d in chosen), default=0)


def _catalog(drafts: list[_Draft], program: Program, rng: random.Random) -> Catalog:
    """Modules with windows, pre-service flags and facilitators that the witness keeps."""
    duty = program.duties.start_week or program.weeks + 1
    early = sum(d.week < duty for d in drafts) or 1
    pre_share = min(1.0, PRE_SERVICE_SHARE * len(drafts) / early)
    people = FACILITATORS[: min(len(FACILITATORS), 2 + len(drafts) // 50)]
    modules = []
    for d in drafts:
        earliest = max(1, d.week - rng.randint(0, 3)) if rng.random() < 0.06 else None
        latest = min(program.weeks, d.week + rng.randint(0, 3)) if rng.random() < 0.06 else None
        modules.append(
            Module(
                id=d.id,
                title=f"{d.kind.title()} module {d.index + 1}",
                kind="content" if d.kind == "content" else "skill",
                hours=d.hours,
                tags=(f"topic-{d.index % 7}",),
                density=d.density,
                prerequisites=tuple(d.prerequisites),
                earliest_week=earliest,
                latest_week=latest,
                pre_service=d.week < duty and rng.random() < pre_share,
                facilitator=rng.choice(people),
            )
        )
    return Catalog(tuple(modules))


def _absences(
    catalog: Catalog, drafts: list[_Draft], slots: tuple[Slot, ...], rng: random.Random
) -> dict[str, tuple[date, ...]]:
    """For each facilitator, a few meeting days on which the witness gives them nothing."""
    busy: dict[str, set[date]] = {}
    for module, draft in zip(catalog.modules, drafts):
        assert draft.slot is not None
        busy.setdefault(module.facilitator, set()).add(draft.slot.day)
    days = sorted({s.day for s in slots})
    away = {}
    for person in sorted(busy):
        free = [day for day in days if day not in busy[person]]
        count = min(len(free), 1 + len(days) // 20)
        away[person] = tuple(sorted(rng.sample(free, k=count)))
    return away


def _quarters(hours: float) -> int:
    return math.floor(hours * 4 + 1e-9)


def _quarter_ceil(hours: float) -> float:
    return math.ceil(hours * 4 - 1e-9) / 4


def copies(catalog: Catalog, modules: int) -> Catalog:
    """A catalog of `modules` modules made of copies of `catalog` (ids and prerequisites
    suffixed by the copy's number): a size no programme has, for refusals and limits."""
    made: list[Module] = []
    copy = 0
    while len(made) < modules:
        for module in catalog.modules[: modules - len(made)]:
            made.append(
                replace(
                    module,
                    id=f"{module.id}.{copy}",
                    prerequisites=tuple(f"{p}.{copy}" for p in module.prerequisites),
                )
            )
        copy += 1
    kept = {m.id for m in made}
    made = [replace(m, prerequisites=tuple(p for p in m.prerequisites if p in kept)) for m in made]
    return Catalog(tuple(made), source=f"{modules} modules")
