"""Where each module may go, worked out in plain Python before any model exists.

`Domains` holds a programme's meetings week by week and, for each module, the meetings its
own rules allow (`options`: tight domains in a search, every meeting it fits in when
explaining). The greedy warm start places modules from it alone, so a plan exists before
the CP-SAT model is built; `Variables` builds the model's decisions on it.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Collection, Mapping

from curriculum.goals import fair_shares
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar, Slot
from curriculum.replanning import Pins
from curriculum.rules import Clause, Rule, depths, forbidding, unary_keys, week_turns
from curriculum.units import floor_quarters

CHECK_EVERY = 64  # modules between two looks at the clock


class OutOfTimeError(Exception):
    """The time limit ran out while building (raised between modules)."""


class Domains:
    """Each module's meetings, and the weekly numbers every rule and goal is written in.

    Parameters
    ----------
    catalog, calendar, pins
        What to teach, the meetings, and (re-planning) what stays where it was.
    explain
        Offer every meeting a module fits in (rules are switches then), not only allowed ones.
    dropped
        Clauses left out: their unary rules no longer shut meetings out.
    deadline
        A `time.monotonic()` instant; working out the options past it raises `OutOfTimeError`.
    """

    def __init__(
        self,
        catalog: Catalog,
        calendar: MeetingCalendar,
        pins: Pins,
        *,
        explain: bool = False,
        dropped: frozenset[Clause] = frozenset(),
        deadline: float | None = None,
    ) -> None:
        self.catalog = catalog
        self.program: Program = calendar.program
        self.calendar = calendar
        self.pins = pins
        self.explain = explain
        self.dropped = dropped
        self.weeks = calendar.weeks
        self.open_weeks = {s.week for s in calendar.slots if s.index >= pins.open_from}
        self.share = self.program.balance.share
        # the goals judge the programme's own teaching weeks and meetings (as
        # `weekly_frame` has them), without a re-plan's stand-ins for past meetings that are
        # no longer held, which `calendar.teaching_weeks` includes
        self._own = MeetingCalendar.of(self.program)
        self.goal_weeks = self._own.teaching_weeks
        self._depths = depths(catalog)
        self._fitting: dict[tuple[int, int | None], list[Slot]] = {}  # `candidates` by length, pin
        self.options: dict[int, list[Slot]] = {}  # module index -> the meetings it may take
        for m, module in enumerate(catalog.modules):
            if deadline is not None and m % CHECK_EVERY == 0 and time.monotonic() > deadline:
                raise OutOfTimeError("working out where each module may go")
            self.options[m] = self.candidates(module) if explain else self.offered(module)

    def matches(self, catalog: Catalog, calendar: MeetingCalendar, pins: Pins) -> bool:
        """Whether these are the domains of a search on this catalog, calendar and pins."""
        same = self.catalog is catalog and self.calendar.slots == calendar.slots
        return same and self.pins == pins and not self.explain and not self.dropped

    def around(self, weeks: Mapping[int, int], reach: int) -> Domains:
        """These domains with each module's meetings cut to `reach` weeks either side of
        its week in `weeks` (module index -> week)."""
        narrow = copy.copy(self)
        narrow.options = {
            m: [s for s in slots if abs(s.week - weeks[m]) <= reach]
            for m, slots in self.options.items()
        }
        return narrow

    def within(self, meetings: Mapping[str, Collection[int]]) -> Domains:
        """These domains with the meetings of the modules named (by id) cut to those given
        (meeting indices)."""
        narrow = copy.copy(self)
        ids = [module.id for module in self.catalog.modules]
        narrow.options = {
            m: [s for s in slots if s.index in meetings[ids[m]]] if ids[m] in meetings else slots
            for m, slots in self.options.items()
        }
        return narrow

    def candidates(self, module: Module) -> list[Slot]:
        """Meetings a module may take: its pinned one, or open meetings it fits in."""
        pinned = self.pins.pinned.get(module.id)
        if pinned is not None and not self.explain:
            return [s for s in self.calendar.slots if s.index == pinned]
        key = module.quarters, pinned
        if key not in self._fitting:
            self._fitting[key] = [
                s
                for s in self.calendar.slots
                if module.quarters <= s.quarters
                and (s.index >= self.pins.open_from or s.index == pinned)
            ]
        return list(self._fitting[key])

    def broken(self, module: Module, slot: Slot) -> list[Rule]:
        """The module's own rules this meeting breaks (none for a pinned module)."""
        if module.id in self.pins.pinned:
            return []
        return [
            rule
            for rule in forbidding(module, slot, self.program)
            if Clause(rule, module=module.id) not in self.dropped
        ]

    def offered(self, module: Module) -> list[Slot]:
        """The meetings a search offers a module: its `candidates` that are `allowed`,
        judged once per key (`unary_keys`, with the module's `week_turns` and the weeks
        where its `chain_room` begins and ends) rather than once per meeting."""
        room = self.chain_room(module)
        turns = sorted({*week_turns(module, self.program), room.start, room.stop})
        away = frozenset(self.program.unavailable(module.facilitator))
        meetings = self.candidates(module)
        keys = unary_keys(meetings, turns, away)
        judged = {
            key: self.allowed(module, slot) for key, slot in dict(zip(keys, meetings)).items()
        }
        return [slot for slot, key in zip(meetings, keys) if judged[key]]

    def allowed(self, module: Module, slot: Slot) -> bool:
        """Whether a search offers the meeting: no rule broken, room for the chains."""
        if module.id in self.pins.pinned:
            return True
        implied = not self.dropped and slot.week not in self.chain_room(module)
        return not implied and not self.broken(module, slot)

    def chain_room(self, module: Module) -> range:
        """The weeks that leave room for the module's prerequisite chains: a week for each
        module of its longest chain below, and of its longest chain above."""
        before, after = self._depths
        return range(before[module.id] + 1, self.program.weeks - after[module.id] + 1)

    def hours_cap(self, week: int) -> int:
        """The week's hours cap in quarter hours."""
        return floor_quarters(self.program.hours_cap(week))

    def intensity_cap(self, week: int) -> int:
        """The week's intensity cap in quarter-hour density points."""
        return floor_quarters(self.program.intensity_cap(week))

    def modules_cap(self, week: int) -> int | None:
        """The most modules the week may take; None when there is no cap."""
        return self.program.modules_cap(week)

    def fair_quarters(self) -> dict[int, int]:
        """Each of the programme's own teaching weeks' fair share of the hours they hold, in
        quarter hours (as the goals judge it: `goal_weeks`); a re-plan's module pinned to a
        past week that no longer teaches counts for none."""
        room = {week: self._own.room(week) / 4 for week in self._own.weeks}
        week_of = {s.index: s.week for s in self.calendar.slots}
        demand = sum(
            m.hours
            for m in self.catalog.modules
            if (pinned := self.pins.pinned.get(m.id)) is None or room.get(week_of[pinned], 0) > 0
        )
        return {week: round(hours * 4) for week, hours in fair_shares(room, demand).items()}

    def shut_out(self) -> list[Module]:
        """Modules a search can put nowhere (an empty domain: no plan exists)."""
        return [self.catalog.modules[m] for m, slots in self.options.items() if not slots]
