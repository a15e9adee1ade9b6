"""Candidate relaxations for a clash, least disruptive first; `explain` verifies them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from curriculum.catalog import Catalog, Module
from curriculum.errors import ProgramError
from curriculum.freezing import Replanning
from curriculum.program import Program
from curriculum.rules import Rule

MORE_WEEKS = 12  # the most extra weeks a suggestion adds


@dataclass(frozen=True)
class Relaxation:
    """A changed catalog or programme, and how to say it."""

    description: str
    catalog: Catalog
    program: Program
    replanning: Replanning | None = None


def candidates(
    core: Sequence[Rule],
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None = None,
) -> Iterator[Relaxation]:
    """Relaxations aimed at the families in the clash, then more weeks as a last resort."""
    for relaxation in _candidates(core, catalog, program, replanning):
        if relaxation.replanning is None and replanning is not None:
            relaxation = dataclasses.replace(relaxation, replanning=replanning)
        yield relaxation


def _candidates(
    core: Sequence[Rule], catalog: Catalog, program: Program, replanning: Replanning | None
) -> Iterator[Relaxation]:
    families = {rule.family for rule in core}
    modules = [catalog[rule.module] for rule in core if rule.module in catalog]
    if "frozen" in families and replanning is not None:
        yield from _thaw(core, catalog, program, replanning)
    if "hours" in families:
        yield from _raise_hours(core, catalog, program)
    if "weekly_length" in families:
        need = max(m.hours for m in modules)
        for name, section in (("ramp", program.ramp), ("load", program.load)):
            if section.max_hours_per_week < need:
                raised = dataclasses.replace(section, max_hours_per_week=need)
                where = "the ramp weeks' cap" if name == "ramp" else "the weekly cap"
                yield from _program(
                    f"raise {where} to {need:g} hours", catalog, program, **{name: raised}
                )
    if "intensity" in families:
        yield from _raise_intensity(core, catalog, program)
    if "pre_service" in families:
        yield from _later_duties(catalog, program)
        for module in sorted(modules, key=lambda m: -m.hours):
            if module.pre_service:
                changed = _replace_module(catalog, module, pre_service=False)
                text = f"take '{module.id}' out of pre-service (teach it after duties start)"
                yield Relaxation(text, changed, program)
    if "window" in families:
        yield from _widen_windows(modules, catalog, program)
    if "ramp_density" in families:
        yield from _gentler_ramp(catalog, program)
    if "balance" in families:
        tolerance = program.balance.weekly_tolerance or 0.0
        for step in (0.05, 0.1, 0.15, 0.25, 0.5):
            wider = min(1.0, round(tolerance + step, 2))
            balance = dataclasses.replace(program.balance, weekly_tolerance=wider)
            yield from _program(
                f"widen the weekly balance tolerance to {wider:.0%}",
                catalog,
                program,
                balance=balance,
            )
    if "facilitator" in families:
        for module in modules:
            if module.facilitator in program.facilitators:
                changed = _replace_module(catalog, module, facilitator="")
                text = f"ask someone other than {module.facilitator} to lead '{module.id}'"
                yield Relaxation(text, changed, program)
    yield from _more_weeks(catalog, program)


def longer_meetings(
    oversized: Sequence[Module],
    catalog: Catalog,
    program: Program,
    replanning: Replanning | None = None,
) -> Iterator[Relaxation]:
    """Lengthen a weekly meeting to hold the longest module (and raise caps below it)."""
    need = max((m.hours for m in oversized), default=0.0)
    for index, meeting in enumerate(program.meetings):
        try:
            longer = dataclasses.replace(meeting, hours=max(need, meeting.hours))
        except ValueError:
            continue  # it would run past midnight
        meetings = (*program.meetings[:index], longer, *program.meetings[index + 1 :])
        load = dataclasses.replace(
            program.load, max_hours_per_week=max(program.load.max_hours_per_week, need)
        )
        text = f"lengthen the {longer.weekday_name} meeting to {need:g} hours"
        if load != program.load:
            text += f" and raise the weekly cap to {need:g} hours"
        for relaxation in _program(text, catalog, program, meetings=meetings, load=load):
            yield dataclasses.replace(relaxation, replanning=replanning)


def _thaw(
    core: Sequence[Rule], catalog: Catalog, program: Program, replanning: Replanning
) -> Iterator[Relaxation]:
    """Freeze an earlier date, so the clashing past blocks may be re-scheduled."""
    sessions = replanning.sessions
    frozen = {rule.module for rule in core if rule.family == "frozen"}
    starts = sessions[sessions["module"].isin(frozen)]["start"]
    if starts.empty:
        return
    earliest = starts.min().date()
    text = (
        f"freeze only what happened before {earliest} (not {replanning.freeze_before}), "
        f"so {', '.join(repr(m) for m in sorted(frozen))} can be re-scheduled"
    )
    earlier = dataclasses.replace(replanning, freeze_before=earliest)
    yield Relaxation(text, catalog, program, earlier)


def _program(
    description: str, catalog: Catalog, program: Program, **changes: Any
) -> Iterator[Relaxation]:
    """A relaxation of the programme, skipped when the change itself is invalid."""
    try:
        yield Relaxation(description, catalog, dataclasses.replace(program, **changes))
    except ProgramError:
        return


def _replace_module(catalog: Catalog, module: Module, **changes: Any) -> Catalog:
    modules = tuple(
        dataclasses.replace(m, **changes) if m.id == module.id else m for m in catalog.modules
    )
    return dataclasses.replace(catalog, modules=modules)


def _raise_hours(core: Sequence[Rule], catalog: Catalog, program: Program) -> Iterator[Relaxation]:
    weeks = [rule.week for rule in core if rule.family == "hours"]
    longest_week = max(sum(m.hours for m in program.meetings), 0.25)
    if any(program.is_ramp_week(w) for w in weeks):
        for cap in _steps(program.ramp.max_hours_per_week, longest_week):
            ramp = dataclasses.replace(program.ramp, max_hours_per_week=cap)
            text = f"raise the ramp weeks' cap to {cap:g} hours"
            yield from _program(text, catalog, program, ramp=ramp)
    if any(not program.is_ramp_week(w) for w in weeks):
        for cap in _steps(program.load.max_hours_per_week, longest_week):
            load = dataclasses.replace(program.load, max_hours_per_week=cap)
            yield from _program(
                f"raise the weekly cap to {cap:g} hours", catalog, program, load=load
            )


def _raise_intensity(
    core: Sequence[Rule], catalog: Catalog, program: Program
) -> Iterator[Relaxation]:
    weeks = [rule.week for rule in core if rule.family == "intensity"]
    if any(program.is_ramp_week(w) for w in weeks):
        cap = program.ramp.max_intensity_per_week
        for higher in _steps(cap, cap * 2, step=1.0):
            ramp = dataclasses.replace(program.ramp, max_intensity_per_week=higher)
            text = f"raise the ramp weeks' intensity cap to {higher:g}"
            yield from _program(text, catalog, program, ramp=ramp)
    if any(not program.is_ramp_week(w) for w in weeks):
        cap = program.load.max_intensity_per_week
        for higher in _steps(cap, cap * 2, step=1.0):
            load = dataclasses.replace(program.load, max_intensity_per_week=higher)
            text = f"raise the weekly intensity cap to {higher:g}"
            yield from _program(text, catalog, program, load=load)


def _later_duties(catalog: Catalog, program: Program) -> Iterator[Relaxation]:
    start = program.duties.start_week
    if start is None:
        return
    for week in range(start + 1, program.weeks + 1):
        duties = dataclasses.replace(program.duties, start_week=week)
        text = f"start duties in week {week} instead of week {start}"
        yield from _program(text, catalog, program, duties=duties)


def _widen_windows(
    modules: Sequence[Module], catalog: Catalog, program: Program
) -> Iterator[Relaxation]:
    for module in modules:
        if module.latest_week is not None and module.latest_week < program.weeks:
            changed = _replace_module(catalog, module, latest_week=None)
            yield Relaxation(f"drop the latest week of '{module.id}'", changed, program)
        if module.earliest_week is not None and module.earliest_week > 1:
            changed = _replace_module(catalog, module, earliest_week=None)
            yield Relaxation(f"drop the earliest week of '{module.id}'", changed, program)


def _gentler_ramp(catalog: Catalog, program: Program) -> Iterator[Relaxation]:
    for density in range(program.ramp.max_density + 1, 6):
        ramp = dataclasses.replace(program.ramp, max_density=density)
        text = f"allow density up to {density} in the ramp weeks"
        yield from _program(text, catalog, program, ramp=ramp)
    for weeks in range(program.ramp.weeks - 1, -1, -1):
        ramp = dataclasses.replace(program.ramp, weeks=weeks)
        yield from _program(f"shorten the ramp to {weeks} weeks", catalog, program, ramp=ramp)


def _more_weeks(catalog: Catalog, program: Program) -> Iterator[Relaxation]:
    for extra in range(1, MORE_WEEKS + 1):
        text = f"add {extra} week{'s' if extra > 1 else ''} ({program.weeks + extra} in all)"
        yield from _program(text, catalog, program, weeks=program.weeks + extra)


def _steps(current: float, limit: float, step: float = 0.5) -> list[float]:
    """Higher values than `current`, `step` apart, up to `limit`."""
    values = []
    value = current
    while value + step <= limit + 1e-9:
        value += step
        values.append(value)
    return values
