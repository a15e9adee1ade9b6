"""Several cohorts in one CP-SAT model: each cohort's own model (by meeting), tied together
by the shared rules, one method each, listed in `rules`.

A weekly model (`weekly`) decides each cohort's weeks only, as a fresh single-cohort plan
does: it keeps the rules and goals judged by the week (shared weekly caps, the
facilitator-load goal), joint modules at one place for all their cohorts, only as many as
the meetings there hold (`joint_weeks`), and leaves out the clashes, judged by the
meeting, so it is a relaxation of the model by meeting with the same goals: its best plan
is a lower bound, and a plan by meeting in its weeks with its objective is optimal. A
programme's weeks are calendar weeks (Monday to Sunday), which is what the shared weekly
rules judge.

Each cohort keeps every rule and goal of its own (`Variables`, `Constraints`, `Objective`
built on the shared model, its clauses tagged with its name). A committed cohort is pinned
to its published plan, so that the others are planned around the facilitator and room time
it holds; each cohort's weekly ongoing series (supervision) is fixed time too, for its
facilitator and at its programme's location (`Held`). The shared rules are judged per
meeting, which is conservative: two meetings that
overlap in time are never both given to one facilitator (or, at one location, to two
cohorts), even when the sessions inside them would not overlap.

A joint meeting is one where cohorts meeting at the very same time and place are taught
their joint modules together: it then holds only those modules, the same ones for each
cohort, so that it is one session for the facilitator and the room.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from ortools.sat.python import cp_model

from curriculum.cells import name_key
from curriculum.cohorts.sharing import (
    Held,
    Place,
    committed_pins,
    held_series,
    overlapping_pairs,
    place_of,
)
from curriculum.cpsat.constraints import Constraints
from curriculum.cpsat.domains import Domains
from curriculum.cpsat.guards import Guards
from curriculum.cpsat.objective import Objective
from curriculum.cpsat.variables import MeetingVariables, WeekVariables, weighted_sum
from curriculum.goals import LOAD_BAND
from curriculum.inputs.catalog import Module
from curriculum.inputs.cohorts import Cohort, Cohorts
from curriculum.meetings import MeetingCalendar, Slot
from curriculum.rules import Clause, SharedRule
from curriculum.units import calendar_monday, floor_quarters

Var = cp_model.IntVar
LinearExpr = cp_model.LinearExprT

# The facilitator-load goal's weight: per hour a shared facilitator teaches in a calendar
# week above their even share by more than LOAD_BAND (as uneven load judges a cohort's weeks).
FACILITATOR_LOAD_WEIGHT = 1


@dataclass
class Part:
    """One cohort in the shared model (`position` in the file): its decisions, its rules,
    its goals."""

    position: int
    cohort: Cohort
    variables: MeetingVariables | WeekVariables
    objective: Objective

    def literals(
        self,
        slot: Slot,
        *,
        among: Collection[str] | None = None,
        outside: Collection[str] = (),
        facilitator: str | None = None,
    ) -> list[Var]:
        """The decision literals in this meeting of the modules `among` these ids (all by
        default), not `outside` those, taught by `facilitator` (a name key) when given."""
        return [
            var
            for module, var in self.by_meeting().slot_vars[slot.index]
            if (among is None or module.id in among)
            and module.id not in outside
            and (facilitator is None or name_key(module.facilitator) == facilitator)
        ]

    def by_meeting(self) -> MeetingVariables:
        """The decisions, which are by meeting (the model is not weekly)."""
        assert isinstance(self.variables, MeetingVariables)
        return self.variables

    def by_week(self) -> WeekVariables:
        """The decisions, which are by week (the model is weekly)."""
        assert isinstance(self.variables, WeekVariables)
        return self.variables

    def calendar_weeks(self, weight: Callable[[Module], int]) -> dict[date, list[LinearExpr]]:
        """Σ weight(module) over the modules placed, by meeting (or by week, in a weekly
        model), by calendar week: only where some module of non-zero weight may go."""
        found: dict[date, list[LinearExpr]] = {}
        variables = self.variables
        if isinstance(variables, WeekVariables):
            for week in variables.weeks:
                if any(weight(module) for module, _ in variables.week_literals[week]):
                    monday = calendar_monday(variables.calendar.in_week(week)[0].day)
                    found.setdefault(monday, []).append(variables.in_week(week, weight))
            return found
        for slot in variables.calendar.slots:
            if any(weight(module) for module, _ in variables.slot_vars[slot.index]):
                found.setdefault(calendar_monday(slot.day), []).append(
                    variables.placed([slot], weight)
                )
        return found


class CohortsModel:
    """The cohorts' model.

    Parameters
    ----------
    cohorts
        The cohorts, their shared facilitators and joint modules.
    places
        Each joint module's possible meeting times and places (`joint_places`).
    explain
        Give every clause a switch, so CP-SAT can name clashes.
    dropped
        Clauses left out, to judge one clash apart from the others.
    caps
        Shared facilitators' weekly caps in hours, replacing the cohorts file's (to try
        a relaxation).
    weekly
        Decide weeks, not meetings, under the rules judged by the week only.
    """

    def __init__(
        self,
        cohorts: Cohorts,
        places: Mapping[str, Iterable[Place]],
        *,
        explain: bool = False,
        dropped: frozenset[Clause] = frozenset(),
        caps: Mapping[str, float] | None = None,
        weekly: bool = False,
    ) -> None:
        self.cohorts = cohorts
        self.weekly = weekly
        self.model = cp_model.CpModel()
        self.guards = Guards(self.model, explain=explain, dropped=dropped)
        self.places = {j: tuple(p) for j, p in places.items()}
        self._at_places = not explain and not dropped  # joint modules only where they may be
        self.parts = [self._part(n, cohort) for n, cohort in enumerate(cohorts.cohorts)]
        self._joint_of = [
            frozenset(j for j in cohorts.joint if j in part.cohort.catalog) for part in self.parts
        ]
        self._having = {
            j: {p.position for p in self.parts if j in p.cohort.catalog} for j in cohorts.joint
        }
        self._first_having = {
            j: next(p for p in self.parts if j in p.cohort.catalog) for j in cohorts.joint
        }
        # meetings of two cohorts that overlap in time, the cohort first in the file first
        self.overlaps = [
            (self.parts[a], s, self.parts[b], t) if a < b else (self.parts[b], t, self.parts[a], s)
            for (a, s), (b, t) in overlapping_pairs(cohorts)
        ]
        self.caps = {
            name_key(who): limits.max_hours_per_week
            for who, limits in cohorts.facilitators.items()
            if limits.max_hours_per_week is not None
        }
        self.caps.update({name_key(who): cap for who, cap in (caps or {}).items()})
        self.series = held_series(cohorts)
        self._joint_meetings = {} if weekly else self._joint_meeting_literals()
        self.rules: dict[SharedRule, Callable[[], None]] = {
            SharedRule.FACILITATOR_CLASH: self.facilitator_clash,
            SharedRule.SHARED_HOURS: self.shared_hours,
            SharedRule.ROOM_CLASH: self.room_clash,
            SharedRule.JOINT: self.joint_weeks if weekly else self.joint,
        }
        if weekly:  # judged by the meeting
            del self.rules[SharedRule.FACILITATOR_CLASH], self.rules[SharedRule.ROOM_CLASH]
        for add in self.rules.values():
            add()
        self.scale = math.lcm(4, *(part.objective.scale for part in self.parts))

    def _part(self, position: int, cohort: Cohort) -> Part:
        calendar = MeetingCalendar.of(cohort.program)
        pins = committed_pins(cohort, calendar)
        guards = self.guards.of_cohort(cohort.name)
        domains = Domains(cohort.catalog, calendar, pins, explain=self.guards.explain)
        if self._at_places:  # as the JOINT rule has it, which no clause switches off here
            domains = domains.within(
                {
                    j: {s.index for s in calendar.slots if place_of(cohort, s) in at}
                    for j, at in self.places.items()
                    if j in cohort.catalog
                }
            )
        kind = WeekVariables if self.weekly else MeetingVariables
        variables = kind(self.model, domains, guards)
        variables.build()
        Constraints(variables, guards).add_constraints()
        return Part(position, cohort, variables, Objective(variables))

    # ------------------------------------------------------------------ what is shared

    def _joint_with(self, first: Part, second: Part) -> frozenset[str]:
        """The joint modules both cohorts have."""
        return self._joint_of[first.position] & self._joint_of[second.position]

    def _same_place(self, first: Part, s: Slot, second: Part, t: Slot) -> bool:
        location = name_key(first.cohort.program.location)
        return (s.start, s.end, location) == (
            t.start,
            t.end,
            name_key(second.cohort.program.location),
        )

    def _any(self, literals: list[Var]) -> Var | int:
        """1 when any literal is true (0 for none)."""
        if not literals:
            return 0
        if len(literals) == 1:
            return literals[0]
        used = self.model.new_bool_var("any")
        self.model.add_max_equality(used, literals)
        return used

    def _joint_meeting_literals(self) -> dict[tuple[int, int, int, int], Var | int]:
        """For meetings of two cohorts at the same time and place: whether they hold joint
        modules (then a joint meeting, holding only those, under the JOINT clauses)."""
        found: dict[tuple[int, int, int, int], Var | int] = {}
        for first, s, second, t in self.overlaps:
            shared = self._joint_with(first, second)
            if not shared or not self._same_place(first, s, second, t):
                continue
            joint = self._any(first.literals(s, among=shared))
            guards = [
                g for j in sorted(shared) for g in self.guards(Clause(SharedRule.JOINT, module=j))
            ]
            for part, slot in ((first, s), (second, t)):
                for var in part.literals(slot, outside=shared):
                    self.model.add(var + joint <= 1).only_enforce_if(guards)
            found[first.position, s.index, second.position, t.index] = joint
        return found

    def _joint_meeting(self, first: Part, s: Slot, second: Part, t: Slot) -> Var | int:
        return self._joint_meetings.get((first.position, s.index, second.position, t.index), 0)

    def counted(self, part: Part, module: Module) -> bool:
        """Whether a module's hours count for this cohort in shared sums (a joint module
        counts once: for the first cohort that has it)."""
        first = self._first_having.get(module.id)
        return first is None or first is part

    def _quarters_of(self, who: str, part: Part) -> Callable[[Module], int]:
        """A module's quarter hours when `who` teaches it and it counts for this cohort."""
        return lambda m: (
            m.quarters if name_key(m.facilitator) == who and self.counted(part, m) else 0
        )

    # ------------------------------------------------------------------ the shared rules

    def facilitator_clash(self) -> None:
        """No facilitator in two overlapping meetings of different cohorts, except one
        joint meeting."""
        for first, s, second, t in self.overlaps:
            joint = self._joint_meeting(first, s, second, t)
            for who in sorted(self._facilitators(first, s) & self._facilitators(second, t)):
                teaching = [
                    self._any(part.literals(slot, facilitator=who))
                    for part, slot in ((first, s), (second, t))
                ]
                self.model.add(sum(teaching) <= 1 + joint).only_enforce_if(
                    self.guards(Clause(SharedRule.FACILITATOR_CLASH, other=who))
                )
        for part, slot, held in self._during_series():
            if not held.facilitator:
                continue
            guards = self.guards(Clause(SharedRule.FACILITATOR_CLASH, other=held.facilitator))
            for var in part.literals(slot, facilitator=held.facilitator):
                self.model.add(var == 0).only_enforce_if(guards)

    def _during_series(self) -> Iterable[tuple[Part, Slot, Held]]:
        """Each meeting of a cohort that overlaps another cohort's ongoing session led by
        someone who teaches in it, or held at its location."""
        for part in self.parts:
            leaders = {name_key(m.facilitator) for m in part.cohort.catalog.modules}
            location = name_key(part.cohort.program.location)
            others = [
                h
                for h in self.series
                if h.position != part.position
                and (
                    (h.facilitator and h.facilitator in leaders)
                    or (h.location and h.location == location)
                )
            ]
            for slot in part.by_meeting().calendar.slots if others else ():
                yield from ((part, slot, held) for held in others if held.during(slot))

    def _facilitators(self, part: Part, slot: Slot) -> set[str]:
        return {
            name_key(m.facilitator)
            for m, _ in part.by_meeting().slot_vars[slot.index]
            if m.facilitator.strip()
        }

    def shared_hours(self) -> None:
        """A shared facilitator's hours in a calendar week, across cohorts, within the cap."""
        once = {h.session: h for h in self.series}.values()  # one held for several, once
        for who, cap in sorted(self.caps.items()):
            by_week: dict[date, list[LinearExpr]] = {}
            for part in self.parts:
                for week, loads in part.calendar_weeks(self._quarters_of(who, part)).items():
                    by_week.setdefault(week, []).extend(loads)
            held: dict[date, int] = {}  # their ongoing sessions' quarter hours
            for series in once:
                if series.facilitator == who:
                    monday = calendar_monday(series.start.date())
                    held[monday] = held.get(monday, 0) + series.quarters
                    by_week.setdefault(monday, [])
            for week, loads in sorted(by_week.items()):
                room = floor_quarters(cap) - held.get(week, 0)
                self.model.add(sum(loads) <= room).only_enforce_if(
                    self.guards(Clause(SharedRule.SHARED_HOURS, week=week.toordinal(), other=who))
                )

    def room_clash(self) -> None:
        """No two cohorts in overlapping meetings at one location, except one joint
        meeting."""
        for first, s, second, t in self.overlaps:
            location = name_key(first.cohort.program.location)
            if not location or location != name_key(second.cohort.program.location):
                continue
            used = [self._any(part.literals(slot)) for part, slot in ((first, s), (second, t))]
            joint = self._joint_meeting(first, s, second, t)
            self.model.add(sum(used) <= 1 + joint).only_enforce_if(
                self.guards(Clause(SharedRule.ROOM_CLASH, other=location))
            )
        for part, slot, held in self._during_series():
            if held.location and held.location == name_key(part.cohort.program.location):
                guards = self.guards(Clause(SharedRule.ROOM_CLASH, other=held.location))
                for var in part.literals(slot):
                    self.model.add(var == 0).only_enforce_if(guards)

    def joint(self) -> None:
        """Each joint module in one of its places, the same for every cohort that has it."""
        for module_id, places in sorted(self.places.items()):
            guard = self.guards(Clause(SharedRule.JOINT, module=module_id))
            chosen = [self.model.new_bool_var(f"place[{module_id}]") for _ in places]
            self.model.add_exactly_one(chosen).only_enforce_if(guard)
            for part in self.parts:
                if module_id not in part.cohort.catalog:
                    continue
                m = _module_index(part, module_id)
                at = _slots_by_place(part)
                for place, flag in zip(places, chosen):
                    var = part.by_meeting().x.get((m, at[place].index)) if place in at else None
                    self.model.add(flag == (var if var is not None else 0)).only_enforce_if(guard)

    def joint_weeks(self) -> None:
        """The weekly model's twin of `joint` and of joint meetings: each joint module at
        one of its places that every cohort having it allows, the same for all, in that
        place's week; joint modules whose sets of cohorts overlap but differ never at one
        place (one joint meeting cannot hold both); in each cohort, the joint modules at one
        meeting fit in it, and the modules it shares with no one fit in the week's meetings
        that hold none of its modules taught to several cohorts (such a meeting holds only
        modules its cohorts share)."""
        slot_at = [_slots_by_place(part) for part in self.parts]
        held: dict[tuple[int, int], list[tuple[int, Var]]] = {}  # cohort, meeting -> flags
        at_place: dict[Place, list[tuple[str, Var]]] = {}
        shared: dict[tuple[int, int], list[Var]] = {}  # those of modules several cohorts have
        for module_id, places in sorted(self.places.items()):
            guard = self.guards(Clause(SharedRule.JOINT, module=module_id))
            having = [part for part in self.parts if module_id in part.cohort.catalog]
            allowed = [_allowed_slots(part, module_id) for part in having]
            usable = [
                place
                for place in places
                if all(
                    slot_at[part.position][place].index in indices
                    for part, indices in zip(having, allowed)
                )
            ]
            flags = [self.model.new_bool_var(f"place[{module_id}]") for _ in usable]
            self.model.add_exactly_one(flags).only_enforce_if(guard)
            for place, flag in zip(usable, flags):
                at_place.setdefault(place, []).append((module_id, flag))
            for part in having:
                at = [slot_at[part.position][place] for place in usable]
                quarters = part.cohort.catalog[module_id].quarters
                for slot, flag in zip(at, flags):
                    held.setdefault((part.position, slot.index), []).append((quarters, flag))
                    if len(having) > 1:
                        shared.setdefault((part.position, slot.index), []).append(flag)
                by_week = {
                    week: var
                    for week in part.variables.weeks
                    for module, var in part.variables.week_literals[week]
                    if module.id == module_id
                }
                for week in sorted({slot.week for slot in at} | set(by_week)):
                    in_week = [flag for slot, flag in zip(at, flags) if slot.week == week]
                    self.model.add(sum(in_week) == by_week.get(week, 0)).only_enforce_if(guard)
        for found in at_place.values():
            by_cohorts: dict[frozenset[int], list[Var]] = {}  # by the cohorts having them
            for j, flag in found:
                by_cohorts.setdefault(frozenset(self._having[j]), []).append(flag)
            apart = [  # one joint meeting cannot hold both sets' modules
                (one, other) for one, other in itertools.combinations(by_cohorts, 2) if one & other
            ]
            kept_apart = {key for pair in apart for key in pair}
            holds = {key: self._any(by_cohorts[key]) for key in by_cohorts if key in kept_apart}
            for one, other in apart:
                self.model.add(holds[one] + holds[other] <= 1)
        for part in self.parts:
            for week in part.variables.weeks:
                room: list[LinearExpr] = []  # each meeting's, for modules shared with no one
                for slot in part.variables.calendar.in_week(week):
                    joint = held.get((part.position, slot.index), [])
                    if sum(q for q, _ in joint) > slot.quarters:
                        self.model.add(weighted_sum(joint) <= slot.quarters)
                    used = self._any(shared.get((part.position, slot.index), []))
                    room.append(slot.quarters * (1 - used))
                own = part.variables.in_week(
                    week, lambda m: 0 if m.id in self.places else m.quarters
                )
                self.model.add(own <= sum(room))

    # ------------------------------------------------------------------ the goals

    def expression(self) -> LinearExpr:
        """Every cohort's goals and the facilitator-load goal, in units of 1/`scale` hour."""
        own = sum(
            (self.scale // part.objective.scale) * part.objective.expression()
            for part in self.parts
        )
        return own + FACILITATOR_LOAD_WEIGHT * (self.scale // 4) * sum(self._excess())

    def _excess(self) -> list[Var]:
        """Each shared facilitator's quarter hours, in each calendar week, above their even
        share (their hours over the calendar weeks they can teach in) by more than
        `LOAD_BAND`, as the uneven-load goal judges a cohort's weeks."""
        shared = sorted(self.shared_facilitators())
        band = round(LOAD_BAND * 4)
        excess = []
        for who in shared:
            by_week: dict[date, list[LinearExpr]] = {}
            total = 0
            for part in self.parts:
                weight = self._quarters_of(who, part)
                for week, loads in part.calendar_weeks(weight).items():
                    by_week.setdefault(week, []).extend(loads)
                total += sum(map(weight, part.cohort.catalog.modules))
            if not by_week:
                continue
            even = math.ceil(total / len(by_week))
            for week, loads in sorted(by_week.items()):
                over = self.model.new_int_var(0, total, f"over[{who},{week}]")
                self.model.add(over >= sum(loads) - even - band)
                excess.append(over)
        return excess

    def shared_facilitators(self) -> set[str]:
        """Facilitators (name keys) the cohorts file names, or who teach in two cohorts."""
        teaching: dict[str, set[int]] = {}
        for n, part in enumerate(self.parts):
            for module in part.cohort.catalog.modules:
                if module.facilitator.strip():
                    teaching.setdefault(name_key(module.facilitator), set()).add(n)
        shared = {name_key(who) for who in self.cohorts.facilitators}
        return shared | {who for who, parts in teaching.items() if len(parts) > 1}


def _slots_by_place(part: Part) -> dict[Place, Slot]:
    """A cohort's meetings by their time and place."""
    return {place_of(part.cohort, s): s for s in part.variables.calendar.slots}


def _module_index(part: Part, module_id: str) -> int:
    """A module's position in a cohort's catalog."""
    return next(n for n, m in enumerate(part.cohort.catalog.modules) if m.id == module_id)


def _allowed_slots(part: Part, module_id: str) -> set[int]:
    """The meetings (indices) a module's domain allows it in, in a cohort."""
    return {slot.index for slot in part.variables.options[_module_index(part, module_id)]}
