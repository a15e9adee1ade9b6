"""The benchmark cases, and the instance (catalog, programme) each one stands for."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks import bacp, generator
from curriculum import Catalog, Program, Ramp, read_catalog

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
    (1600, 104, 3, 60.0),
)
# The ladder with tighter caps (below 1.2 x the average weekly load; the generator raises
# them until its witness packs): (modules, weeks, meetings a week, limit, slack), each slack
# chosen so that the optimum is not 0 (measured: 24, 1.25 and 4.75; 400 x 52 stays at 0
# even at 0.85).
TIGHT_LADDER = ((25, 12, 2, 10.0, 0.95), (100, 26, 2, 30.0, 0.95), (200, 52, 3, 60.0, 0.85))
# A catalog of 80% content (modules, weeks, meetings a week, limit, content share): far from
# the 50% target and with fewer skill modules than weeks, so goals no plan can meet; the
# search knows that floor (`Objective.floor`), so its bound holds it (measured at 30 s, seed
# 0: objective 399.5, bound 379.5, where the neighbourhood search alone had bound 0; seed 1
# reached the floor, proven optimal, in 25 s).
CONTENT_HEAVY = ((200, 52, 3, 30.0, 0.8),)
# Time-limit adherence (issue 12: 1, 5 and 10 s): (modules, weeks, meetings a week), each at
# every limit; the last
# is far beyond any programme (copies of the 1,600-module catalog), refused up front.
LIMIT_SIZES = ((400, 52, 3), (800, 104, 3), (10_000, 104, 3))
LIMITS = (1.0, 5.0, 10.0)
QUICK_LADDER = 2
QUICK_LIMIT = 5.0
DEFAULT_LIMIT = 10.0  # the `curriculum plan` default
BACP_LIMIT = 30.0
TOUR_LIMIT = 10.0


@dataclass(frozen=True)
class Case:
    """One instance to solve; `expect` is "plan", "infeasible", or "limit" (a plan, or a
    refusal, within the time limit: only `solve()` and the CLI are timed)."""

    name: str
    source: str  # "default", "tour", "generated", "bacp" or "bacp-user"
    time_limit: float
    params: dict[str, Any] = field(default_factory=dict)
    expect: str = "plan"


def all_cases(*, quick: bool) -> list[Case]:
    """The full suite, or with `quick` the two smallest generated instances at short limits."""
    cases = [Case("default", "default", DEFAULT_LIMIT)]
    if not quick:
        cases.append(Case("tour-what-if", "tour", TOUR_LIMIT))
    ladder = LADDER[:QUICK_LADDER] if quick else LADDER
    for modules, weeks, per_week, limit in ladder:
        params: dict[str, Any] = {
            "modules": modules,
            "weeks": weeks,
            "meetings_per_week": per_week,
            "seed": SEED,
        }
        limit = min(limit, QUICK_LIMIT) if quick else limit
        cases.append(Case(f"gen-{modules}x{weeks}", "generated", limit, params))
    for modules, weeks, per_week, limit, slack in () if quick else TIGHT_LADDER:
        params = {"modules": modules, "weeks": weeks, "meetings_per_week": per_week, "seed": SEED}
        params = {**params, "slack": slack}
        cases.append(Case(f"tight-{modules}x{weeks}", "generated", limit, params))
    for modules, weeks, per_week, limit, content in () if quick else CONTENT_HEAVY:
        params = {"modules": modules, "weeks": weeks, "meetings_per_week": per_week, "seed": SEED}
        params = {**params, "content": content}
        cases.append(Case(f"heavy-{modules}x{weeks}", "generated", limit, params))
    for source, suffix in (("bacp", ""), ("bacp-user", "-user")):
        if quick and source == "bacp-user":
            continue
        for name, optimum in bacp.OPTIMA.items():
            limit = min(BACP_LIMIT, QUICK_LIMIT) if quick else BACP_LIMIT
            for cap in (optimum, optimum - 1):
                expect = "plan" if cap == optimum else "infeasible"
                params = {"instance": name, "cap": cap}
                cases.append(Case(f"{name}{suffix}@{cap}", source, limit, params, expect))
    for modules, weeks, per_week in () if quick else LIMIT_SIZES:
        for limit in LIMITS:
            params = {"modules": modules, "weeks": weeks, "meetings_per_week": per_week}
            name = f"limit-{modules}x{weeks}@{limit:g}s"
            cases.append(Case(name, "generated", limit, {**params, "seed": SEED}, "limit"))
    return cases


def instance(case: Case, shared: Path) -> tuple[Catalog, Program]:
    """Build the case's catalog and programme (BACP files are read from `shared`/bacp)."""
    if case.source == "default":
        return read_catalog(), Program(start=DEFAULT_START)
    if case.source == "tour":
        return read_catalog(), tour_what_if()
    if case.source == "generated":
        return _generated(**case.params)
    if case.source in ("bacp", "bacp-user"):
        data = bacp.read(shared / "bacp" / f"{case.params['instance']}.dat")
        build = bacp.instance if case.source == "bacp" else bacp.user_instance
        return build(data, int(case.params["cap"]))
    raise ValueError(f"unknown case source '{case.source}'")


def tour_what_if() -> Program:
    """The notebook tour's what-if: a gentler ramp and a closed Tuesday (16 Feb 2027)."""
    program = Program(start=DEFAULT_START, timezone="America/Toronto")
    gentler = Ramp(weeks=4, max_hours_per_week=2.5, max_intensity_per_week=6)
    return dataclasses.replace(program, ramp=gentler, holidays=(date(2027, 2, 16),))


def _generated(modules: int, **params: Any) -> tuple[Catalog, Program]:
    """A generated instance; beyond the ladder's top, copies of its largest catalog."""
    largest = max(size for size, *_ in LADDER)
    if modules <= largest:
        return generator.generate(modules, **params)
    catalog, program = generator.generate(largest, **params)
    return generator.copies(catalog, modules), program
