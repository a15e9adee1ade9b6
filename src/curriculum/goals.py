"""The soft goals, scored from a plan's frames alone (the solver mirrors them exactly).

Each goal measures how far a plan strays beyond an evidence-based band; the objective is
Σ weight × value, so 0 means every goal is met. Units are hours, or weeks.
"""

from __future__ import annotations

import pandas as pd

from curriculum.program import Program

BALANCE_BAND = 0.5  # hours a week's content may stray from the target share at no cost [19]
LOAD_BAND = 1.0  # hours a week's load may stray from its fair share at no cost [17]
GENTLE_DENSITY = 2  # ramp-week material up to this density costs nothing [17]

GOALS = {
    "balance": "hours of content beyond ±0.5 h of the target share, summed over weeks",
    "weeks_without_skills": "teaching weeks with no skills practice",
    "uneven_load": "hours beyond ±1 h of each week's fair share of the total load",
    "early_density": "hours × density points above 2 taught in the ramp weeks",
}


def fair_shares(week_room: dict[int, float], demand: float) -> dict[int, float]:
    """Each teaching week's share of the total hours, in proportion to its room (in hours,
    rounded to the quarter hour)."""
    total_room = sum(week_room.values()) or 1.0
    return {
        week: round(demand * room / total_room * 4) / 4
        for week, room in week_room.items()
        if room > 0
    }


def score(sessions: pd.DataFrame, weekly: pd.DataFrame, program: Program) -> dict[str, float]:
    """Value of each goal for a plan (before weights)."""
    teaching = weekly[weekly["room"] > 0]
    share = program.balance.content_share
    gap = (teaching["content_hours"] - share * teaching["hours"]).abs()
    balance = (gap - BALANCE_BAND).clip(lower=0).sum()
    no_skills = int((teaching["skill_hours"] == 0).sum())
    shares = fair_shares(dict(zip(weekly["week"], weekly["room"])), sessions["hours"].sum())
    target = teaching["week"].map(shares)
    uneven = ((teaching["hours"] - target).abs() - LOAD_BAND).clip(lower=0).sum()
    ramp = sessions[sessions["week"] <= program.ramp.weeks]
    early = (ramp["hours"] * (ramp["density"] - GENTLE_DENSITY).clip(lower=0)).sum()
    return {
        "balance": float(balance),
        "weeks_without_skills": float(no_skills),
        "uneven_load": float(uneven),
        "early_density": float(early),
    }


def weighted(values: dict[str, float], program: Program) -> dict[str, float]:
    """Each goal's contribution to the objective: weight × value."""
    return {name: getattr(program.weights, name) * value for name, value in values.items()}
