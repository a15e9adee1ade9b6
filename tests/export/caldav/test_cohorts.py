"""Publishing cohorts planned together to a real Radicale server (CohortsResult.publish):
one calendar per cohort, each holding only its cohort's events; the same plans again
change nothing."""

from __future__ import annotations

from curriculum import Cohort, Cohorts, Weights
from tests.builders import THU, TUE, make_catalog, make_program, module, solve_cohorts_checked
from tests.export.caldav.radicale import USER, Radicale

NO_GOALS = Weights(balance=0, weeks_without_skills=0, uneven_load=0, early_density=0)


def two_cohorts() -> Cohorts:
    """Sam leads 'a' in A and 'b' in B (no supervision series: one event a module)."""
    return Cohorts(
        cohorts=tuple(
            Cohort(
                name,
                make_catalog(module(m, facilitator="Sam"), module(f"{m}2")),
                make_program(1, (TUE, THU), weights=NO_GOALS, location=f"{name} site"),
            )
            for name, m in (("Spring", "a"), ("Autumn", "b"))
        )
    )


def test_each_cohort_gets_its_own_calendar_and_a_second_publish_writes_nothing(
    server: Radicale,
) -> None:
    result = solve_cohorts_checked(two_cohorts())
    done = result.publish(url=server.url, user=USER, create=True)
    assert {name: d.count("create") for name, d in done.items()} == {"Spring": 2, "Autumn": 2}
    spring = server.stored(USER, "spring")
    autumn = server.stored(USER, "autumn")
    assert len(spring) == 2 and len(autumn) == 2
    assert not set(spring) & set(autumn)  # UIDs differ across cohorts
    writes = len(server.writes())
    again = result.publish(url=server.url, user=USER)
    assert all(
        d.count("create") + d.count("update") + d.count("cancel") == 0 for d in again.values()
    )
    assert len(server.writes()) == writes
