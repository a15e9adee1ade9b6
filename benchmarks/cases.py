"""The benchmark cases, and the instance (catalog, programme) each one stands for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import bacp, generator
from curriculum import Catalog, Program, read_catalog

DEFAULT_START = date(2027, 1, 11)
SEED = 2027
# (modules, weeks, meetings a week, time limit in seconds)
LADDER = (
    (25, 12, 2, 10.0),
    (50, 12, 2, 10.0),
    (100, 26, 2, 30.0),
    (200, 52, 3, 60.0),
    (400, 52, 3, 60.0),
    (800, 104, 3, 60.0),
)
QUICK_LADDER = 2
QUICK_LIMIT = 5.0
DEFAULT_LIMIT = 10.0  # the `curriculum plan` default
BACP_LIMIT = 30.0


@dataclass(frozen=True)
class Case:
    """One instance to solve; `expect` is "plan" or "infeasible"."""

    name: str
    source: str  # "default", "generated" or "bacp"
    time_limit: float
    params: dict[str, Any] = field(default_factory=dict)
    expect: str = "plan"


def all_cases(*, quick: bool) -> list[Case]:
    """The full suite, or with `quick` the two smallest generated instances at short limits."""
    cases = [Case("default", "default", DEFAULT_LIMIT)]
    ladder = LADDER[:QUICK_LADDER] if quick else LADDER
    for modules, weeks, per_week, limit in ladder:
        params = {"modules": modules, "weeks": weeks, "meetings_per_week": per_week, "seed": SEED}
        limit = min(limit, QUICK_LIMIT) if quick else limit
        cases.append(Case(f"gen-{modules}x{weeks}", "generated", limit, params))
    for name, optimum in bacp.OPTIMA.items():
        limit = min(BACP_LIMIT, QUICK_LIMIT) if quick else BACP_LIMIT
        cases.append(Case(f"{name}@{optimum}", "bacp", limit, {"instance": name, "cap": optimum}))
        cases.append(
            Case(
                f"{name}@{optimum - 1}",
                "bacp",
                limit,
                {"instance": name, "cap": optimum - 1},
                expect="infeasible",
            )
        )
    return cases


def instance(case: Case, shared: Path) -> tuple[Catalog, Program]:
    """Build the case's catalog and programme (BACP files are read from `shared`/bacp)."""
    if case.source == "default":
        return read_catalog(), Program(start=DEFAULT_START)
    if case.source == "generated":
        return generator.generate(**case.params)
    if case.source == "bacp":
        data = bacp.read(shared / "bacp" / f"{case.params['instance']}.dat")
        return bacp.instance(data, int(case.params["cap"]))
    raise ValueError(f"unknown case source '{case.source}'")
