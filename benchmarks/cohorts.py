"""`python -m benchmarks.cohorts`: several cohorts planned together (issue 15's targets).

- the example cohorts file (`data/cohorts/cohorts.toml`): two cohorts of the bundled
  catalog in one centre, one shared capped facilitator, one joint module;
- two cohorts of the bundled catalog in one room (evenings Tue/Thu and Mon/Wed), sharing
  two facilitators (the clinical supervisor at most 5 h a week, the nurse educator), the
  others their own: target, proven optimal within 5 s;
- ten such cohorts over one year (a new one every 4 weeks, evening and daytime patterns,
  two rooms, the same two shared facilitators): target, a checked plan within 30 s.

Each is solved with seed 0 and the default workers; printed: status, objective and bound,
wall seconds, CP-SAT's deterministic time, and whether every plan passes the checker.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
from datetime import date, timedelta

from curriculum import (
    Catalog,
    Cohort,
    Cohorts,
    Meeting,
    Program,
    SharedFacilitator,
    read_catalog,
    read_cohorts,
    solve_cohorts,
)
from curriculum.inputs.bundled import bundled_path

START = date(2027, 1, 11)  # a Monday
ZONE = "America/Toronto"
SHARED = ("Clinical supervisor", "Nurse educator")
PATTERNS = (
    (Meeting("tue", "18:00", 2), Meeting("thu", "18:00", 2)),
    (Meeting("mon", "18:00", 2), Meeting("wed", "18:00", 2)),
    (Meeting("mon", "10:00", 2), Meeting("wed", "10:00", 2)),
    (Meeting("tue", "10:00", 2), Meeting("thu", "10:00", 2)),
)


def own_facilitators(catalog: Catalog, cohort: str) -> Catalog:
    """The catalog with every facilitator but the shared ones its cohort's own."""
    frame = catalog.frame.copy()
    own = ~frame["facilitator"].isin(SHARED) & (frame["facilitator"].fillna("") != "")
    frame.loc[own, "facilitator"] = frame.loc[own, "facilitator"] + f" ({cohort})"
    return Catalog.from_frame(frame)


def generated(count: int, every_weeks: int) -> Cohorts:
    """`count` cohorts of the bundled catalog, one starting every `every_weeks` weeks, in
    two rooms, sharing the two facilitators."""
    catalog = read_catalog()
    cohorts = []
    for n in range(count):
        name = f"Cohort {n + 1}"
        program = Program(
            name=name,
            start=START + timedelta(weeks=every_weeks * n),
            weeks=12,
            meetings=PATTERNS[n % len(PATTERNS)],
            timezone=ZONE,
            location=f"Room {1 + n % 2}",
        )
        cohorts.append(Cohort(name, own_facilitators(catalog, name), program))
    return Cohorts(
        name=f"{count} cohorts",
        cohorts=tuple(cohorts),
        facilitators={SHARED[0]: SharedFacilitator(5), SHARED[1]: SharedFacilitator()},
    )


def two_in_one_room() -> Cohorts:
    """Two cohorts starting together in Room 1 (Tue/Thu and Mon/Wed evenings)."""
    both = generated(2, 0)
    room = [
        dataclasses.replace(c, program=dataclasses.replace(c.program, location="Room 1"))
        for c in both.cohorts
    ]
    return dataclasses.replace(both, name="2 cohorts, one room", cohorts=tuple(room))


def run(name: str, cohorts: Cohorts, time_limit: float) -> None:
    started = time.perf_counter()
    result = solve_cohorts(cohorts, time_limit=time_limit, seed=0)
    wall = time.perf_counter() - started
    checked = result.check() == [] if result.plans else False
    modules = sum(len(c.catalog) for c in cohorts.cohorts)
    objective = "-" if result.objective is None else f"{result.objective:g}"
    bound = "-" if result.bound is None else f"{result.bound:g}"
    print(
        f"{name:<28} {len(cohorts):>3} {modules:>5} {result.status.value:>10} {objective:>9} "
        f"{bound:>7} {wall:>7.2f} {result.deterministic_time:>7.2f} {'yes' if checked else 'NO':>8}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per case")
    args = parser.parse_args()
    print(
        f"{'case':<28} {'co':>3} {'mods':>5} {'status':>10} {'objective':>9} {'bound':>7} "
        f"{'wall s':>7} {'dtime':>7} {'checked':>8}"
    )
    run(
        "example (data/cohorts)",
        read_cohorts(bundled_path("cohorts/cohorts.toml")),
        args.time_limit,
    )
    run("2 cohorts, one room", two_in_one_room(), args.time_limit)
    run("10 cohorts over a year", generated(10, 4), args.time_limit)


if __name__ == "__main__":
    main()
