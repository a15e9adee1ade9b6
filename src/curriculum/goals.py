"""The soft goals: one identity each, and their scores from a plan's frames alone.

Each goal measures how far a plan strays beyond an evidence-based band; the objective is
Σ weight × value, so 0 means every goal is met. Units are hours, or weeks. Every member
of `Goal` has, keyed by the member, a term of the CP-SAT objective
(`curriculum.cpsat.objective`, which mirrors the scorer exactly), a scorer here, and a
weight: the field of `Weights` with the member's value as its name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import Enum

import pandas as pd

from curriculum.cells import cell_text
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.catalog_rows import split_list
from curriculum.inputs.program import Program, Weights
from curriculum.meetings import MeetingCalendar

BALANCE_BAND = 0.5  # hours a week's content may stray from the target share at no cost [19]
LOAD_BAND = 1.0  # hours a week's load may stray from its fair share at no cost [17]
GENTLE_DENSITY = 2  # ramp-week material up to this density costs nothing [17]


class Goal(str, Enum):
    """A soft goal; its value is its name in `Weights`, `Result.goals` and the reports."""

    BALANCE = "balance"
    WEEKS_WITHOUT_SKILLS = "weeks_without_skills"
    UNEVEN_LOAD = "uneven_load"
    UNEVEN_LOAD_SQUARED = "uneven_load_squared"
    EARLY_DENSITY = "early_density"
    AVOIDED_WEEKS = "avoided_weeks"

    def __str__(self) -> str:
        return self.value

    @property
    def measures(self) -> str:
        """What the goal measures, in plain words."""
        return MEASURES[self]

    @property
    def label(self) -> str:
        """The goal as a coordinator says it, with its evidence: "skills practice every
        teaching week [4][5]"."""
        return LABELS[self]

    def shortfall(self, value: float) -> str:
        """How far a value misses the goal, in plain words ("met" for 0)."""
        return "met" if value == 0 else SHORTFALLS[self].format(value, "" if value == 1 else "s")

    def weight(self, weights: Weights) -> int:
        """The goal's weight in the objective."""
        value: int = getattr(weights, self.value)
        return value


MEASURES: dict[Goal, str] = {
    Goal.BALANCE: "hours of content beyond ±0.5 h of the target share, summed over weeks",
    Goal.WEEKS_WITHOUT_SKILLS: "teaching weeks with no skills practice",
    Goal.UNEVEN_LOAD: "hours beyond ±1 h of each week's fair share of the load",
    Goal.UNEVEN_LOAD_SQUARED: "the same hours squared (h²), summed over weeks: one week far "
    "off its share costs more than two a little off",
    Goal.EARLY_DENSITY: "hours × density points above 2 taught in the ramp weeks",
    Goal.AVOIDED_WEEKS: "modules taught in a week their catalog row asks to avoid",
}


LABELS: dict[Goal, str] = {
    Goal.BALANCE: "content and skills balanced every week [19]",
    Goal.WEEKS_WITHOUT_SKILLS: "skills practice every teaching week [4][5]",
    Goal.UNEVEN_LOAD: "an even load from week to week [17]",
    Goal.UNEVEN_LOAD_SQUARED: "no week far heavier or lighter than its share [17]",
    Goal.EARLY_DENSITY: "gentle material in the ramp weeks [17]",
    Goal.AVOIDED_WEEKS: "modules kept out of the weeks they should avoid",
}
SHORTFALLS: dict[Goal, str] = {
    Goal.BALANCE: "not met: {:g} h of content off the target share, over the weeks",
    Goal.WEEKS_WITHOUT_SKILLS: "not met: {:g} week{} without skills practice",
    Goal.UNEVEN_LOAD: "not met: {:g} h beyond the weeks' fair shares",
    Goal.UNEVEN_LOAD_SQUARED: "not met: {:g} h² beyond the weeks' fair shares, squared week by week",
    Goal.EARLY_DENSITY: "not met: {:g} hours × density points above 2 in the ramp weeks",
    Goal.AVOIDED_WEEKS: "not met: {:g} module{} in a week it should avoid",
}


def fair_shares(week_room: Mapping[int, float], demand: float) -> dict[int, float]:
    """Each teaching week's share of the hours `demand`, in proportion to its room (in
    hours, rounded to the quarter hour)."""
    total_room = sum(week_room.values()) or 1.0
    return {
        week: round(demand * room / total_room * 4) / 4
        for week, room in week_room.items()
        if room > 0
    }


Scorer = Callable[[pd.DataFrame, pd.DataFrame, Program], float]


def _teaching(weekly: pd.DataFrame) -> pd.DataFrame:
    teaching: pd.DataFrame = weekly[weekly["usable_hours"] > 0]
    return teaching


def _balance(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> float:
    teaching = _teaching(weekly)
    gap = (teaching["content_hours"] - float(program.balance.share) * teaching["hours"]).abs()
    return float((gap - BALANCE_BAND).clip(lower=0).sum())


def _weeks_without_skills(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> float:
    return float((_teaching(weekly)["skill_hours"] == 0).sum())


def _load_excess(sessions: pd.DataFrame, weekly: pd.DataFrame) -> pd.Series:
    """Each teaching week's hours beyond ±`LOAD_BAND` of its fair share of the hours the
    teaching weeks hold (a re-plan's past week that no longer teaches holds hours no plan
    can move: they count for none)."""
    teaching = _teaching(weekly)
    room = dict(zip(teaching["week"], teaching["usable_hours"]))
    held = sessions.loc[sessions["week"].isin(teaching["week"]), "hours"].sum()
    shares = fair_shares(room, held)
    target = teaching["week"].map(shares)
    excess: pd.Series = ((teaching["hours"] - target).abs() - LOAD_BAND).clip(lower=0)
    return excess


def _uneven_load(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> float:
    return float(_load_excess(sessions, weekly).sum())


def _uneven_load_squared(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> float:
    return float((_load_excess(sessions, weekly) ** 2).sum())


def _early_density(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> float:
    ramp = sessions[sessions["week"] <= program.limits.ramp_weeks]
    return float((ramp["hours"] * (ramp["density"] - GENTLE_DENSITY).clip(lower=0)).sum())


def _avoided_weeks(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> float:
    avoids = sessions.get("avoid_weeks", pd.Series("", index=sessions.index))
    return float(
        sum(
            str(week) in split_list(cell_text(avoid))
            for week, avoid in zip(sessions["week"], avoids)
        )
    )


SCORERS: dict[Goal, Scorer] = {
    Goal.BALANCE: _balance,
    Goal.WEEKS_WITHOUT_SKILLS: _weeks_without_skills,
    Goal.UNEVEN_LOAD: _uneven_load,
    Goal.UNEVEN_LOAD_SQUARED: _uneven_load_squared,
    Goal.EARLY_DENSITY: _early_density,
    Goal.AVOIDED_WEEKS: _avoided_weeks,
}


def score(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> dict[Goal, float]:
    """Value of each goal for a plan (before weights)."""
    return {goal: scorer(sessions, weekly, program) for goal, scorer in SCORERS.items()}


def weights_of(program: Program) -> dict[Goal, int]:
    """Each goal's weight in a programme."""
    return {goal: goal.weight(program.weights) for goal in Goal}


def unavoidable(catalog: Catalog, program: Program) -> dict[Goal, tuple[float, str]]:
    """The goals no plan can fully meet: for each, the least value any plan has and why.

    Skills: each skill module fills one week, so teaching weeks beyond the number of skill
    modules go without. Balance: a week's gap is at least its share of the catalog's own
    gap (Σ|x| ≥ |Σx|), less the band in every teaching week. Early density: dense modules
    that must fall in the ramp weeks (by their latest week, or pre-service before duties
    that start inside it).
    """
    calendar = MeetingCalendar.of(program)
    teaching = sum(1 for week in range(1, program.weeks + 1) if calendar.room(week) > 0)
    skills = sum(1 for m in catalog.modules if m.kind == "skill")
    content = sum(m.hours for m in catalog.modules if m.kind == "content")
    share = float(program.balance.share)
    gap = abs(content - share * catalog.total_hours) - BALANCE_BAND * teaching
    ramp = program.limits.ramp_weeks
    duties = program.limits.duty_start
    early = [
        m
        for m in catalog.modules
        if (m.latest_week or program.weeks + 1) <= ramp
        or (m.pre_service and duties is not None and duties - 1 <= ramp)
    ]
    dense = sum(m.hours * max(0, m.density - GENTLE_DENSITY) for m in early)
    found = {
        Goal.BALANCE: (
            gap,
            f"the catalog is {content / catalog.total_hours:.0%} content against a target of "
            f"{share:.0%}: at least {gap:g} h of content off the target over the weeks",
        ),
        Goal.WEEKS_WITHOUT_SKILLS: (
            teaching - skills,
            f"{skills} skill module{'s' if skills != 1 else ''} for {teaching} teaching weeks "
            f"leave{'s' if skills == 1 else ''} at least {teaching - skills} week{'s' if teaching - skills != 1 else ''} "
            "without skills practice",
        ),
        Goal.EARLY_DENSITY: (
            dense,
            f"{len(early)} modules must come in the ramp weeks; their material above density "
            f"2 comes to at least {dense:g} hours × density points",
        ),
    }
    return {goal: (value, why) for goal, (value, why) in found.items() if value > 0}
