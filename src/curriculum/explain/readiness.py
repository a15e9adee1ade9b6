"""The pre-solve report: what the inputs demand against what the programme allows."""

from __future__ import annotations

from dataclasses import dataclass

from curriculum.explain.counting import floor_asks
from curriculum.goals import unavoidable
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar
from curriculum.replanning import Pins
from curriculum.rules import depths, forbidding


@dataclass(frozen=True)
class Readiness:
    """Lines to print, and the blockers among them (anything that rules a plan out)."""

    lines: tuple[str, ...]
    blockers: tuple[str, ...]


def assess(catalog: Catalog, program: Program) -> Readiness:
    """Compare demand with room overall, in the ramp, and before duties; find dead modules;
    name the goals no plan can fully meet, and by how much."""
    calendar = MeetingCalendar.of(program)
    slots = calendar.slots
    room = {week: calendar.room(week) / 4 for week in range(1, program.weeks + 1)}
    lines: list[str] = []
    blockers: list[str] = []

    def compare(label: str, need: float, allowed: float) -> None:
        verdict = "ok" if need <= allowed else "TOO MUCH"
        lines.append(f"{label}: {need:g} h needed, {allowed:g} h available ({verdict})")
        if need > allowed:
            blockers.append(f"{label}: {need:g} h needed but only {allowed:g} h available")

    compare("Whole programme", catalog.total_hours, sum(room.values()))
    ramp_weeks = range(1, program.limits.ramp_weeks + 1)
    due_in_ramp = [
        m for m in catalog.modules if (m.latest_week or 10**6) <= program.limits.ramp_weeks
    ]
    compare(
        f"Ramp weeks 1-{program.limits.ramp_weeks}",
        sum(m.hours for m in due_in_ramp),
        sum(room[w] for w in ramp_weeks),
    )
    start_week = program.limits.duty_start
    if start_week is not None:
        pre_service = [m for m in catalog.modules if m.pre_service]
        compare(
            f"Pre-service (before duties in week {start_week})",
            sum(m.hours for m in pre_service),
            sum(room[w] for w in range(1, start_week)),
        )
    caps = [program.modules_cap(w) for w in range(1, program.weeks + 1) if room[w] > 0]
    counted = [cap for cap in caps if cap is not None]
    if caps and len(counted) == len(caps):
        count, allowed = len(catalog.modules), sum(counted)
        verdict = "ok" if count <= allowed else "TOO MANY"
        lines.append(f"Modules: {count} modules, {allowed} allowed by the weekly caps ({verdict})")
        if count > allowed:
            blockers.append(
                f"Modules: {count} modules need at least {-(-count // max(counted))} teaching "
                f"weeks at the cap of {max(counted)} a week; the caps allow {allowed} in all"
            )
    asks, count = floor_asks(catalog, program, calendar.slots, Pins())
    floors = [ask for ask in asks.values() if ask]
    if floors:
        needed = sum(floors)
        verdict = "ok" if count >= needed else "TOO FEW"
        lines.append(f"Modules: {count} modules, {needed} needed by the weekly floors ({verdict})")
        if count < needed:
            blockers.append(
                f"Modules: the floors ask for {needed} modules over the "
                f"{len(floors)} teaching weeks; the catalog has {count}"
            )
    longest = calendar.longest
    before, after = depths(catalog)
    for module in catalog.modules:
        if module.quarters > longest:
            blockers.append(
                f"'{module.id}' lasts {module.hours:g} h; the longest meeting is {longest / 4:g} h"
            )
            continue
        open_slots = [
            s
            for s in slots
            if module.quarters <= s.quarters
            and not forbidding(module, s, program)
            and before[module.id] < s.week <= program.weeks - after[module.id]
        ]
        if not open_slots:
            blockers.append(
                f"'{module.id}' has no possible week: its week window, density, pre-service "
                "deadline, facilitator or prerequisite chain rules every meeting out"
            )
    content = sum(m.hours for m in catalog.modules if m.kind == "content")
    share = content / catalog.total_hours
    lines.append(
        f"Content share of the catalog: {share:.0%} (target {program.balance.content_share:.0%})"
    )
    for goal, (_, why) in unavoidable(catalog, program).items():
        lines.append(f"No plan can fully meet the goal '{goal.label}': {why}")
    return Readiness(tuple(lines), tuple(blockers))
