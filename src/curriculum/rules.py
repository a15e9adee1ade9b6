"""Names of the hard rules, shared by the solver, the explanations and the checker."""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = (
    "meetings",
    "hours",
    "intensity",
    "balance",
    "ramp_density",
    "window",
    "pre_service",
    "facilitator",
    "prerequisite",
)


@dataclass(frozen=True, order=True)
class Rule:
    """One switchable hard rule: a family, and the week or module(s) it is about."""

    family: str
    week: int = 0
    module: str = ""
    other: str = ""
