"""Clashes found without search: a module its own rules shut out of every meeting, more
hours (or intensity) due by a week than the caps or meetings before it allow (when
re-planning: than the meetings left after the freeze), and fewer modules than the weekly
floors ask for; and the catalog without the modules that cannot go anywhere, for the
search for further clashes."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar, Slot
from curriculum.replanning import Pins, floor_weeks
from curriculum.rules import (
    Clause,
    Rule,
    SharedRule,
    forbidding,
    prerequisite_order,
    unary_keys,
    week_turns,
)
from curriculum.units import floor_quarters

Weight = Callable[[Module], int]
by_hours: Weight = lambda m: m.quarters  # noqa: E731
by_intensity: Weight = lambda m: m.quarters * m.density  # noqa: E731
by_count: Weight = lambda m: 1  # noqa: E731


@dataclass(frozen=True)
class Room:
    """What a week's open meetings can still take: quarter hours under its hours cap, of
    meeting time, and both together; density points under its intensity cap; modules
    under its modules cap (None: no cap)."""

    hours: int
    meetings: int
    intensity: int
    modules: int | None = None

    @property
    def both(self) -> int:
        """Quarter hours under the cap and inside the meetings."""
        return min(self.hours, self.meetings)


def rooms(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins | None = None
) -> dict[int, Room]:
    """Each week with an open meeting (all of them, unless re-planning), and what it can
    still take: its caps less what the pinned past already put there (as the model counts
    it), and its open meetings."""
    pins = pins or Pins()
    calendar = MeetingCalendar.of(program, slots)
    week_of = {slot.index: slot.week for slot in calendar.slots}
    pinned: dict[int, list[Module]] = {}
    for module_id, index in pins.pinned.items():
        if module_id in catalog and index in week_of:
            pinned.setdefault(week_of[index], []).append(catalog[module_id])
    found = {}
    for week in calendar.weeks:
        meetings = sum(s.quarters for s in calendar.in_week(week) if s.index >= pins.open_from)
        if not meetings:
            continue
        past = pinned.get(week, [])
        hours, intensity = (
            max(cap, sum(map(weight, past))) - sum(map(weight, past))
            for cap, weight in (
                (floor_quarters(program.hours_cap(week)), by_hours),
                (floor_quarters(program.intensity_cap(week)), by_intensity),
            )
        )
        cap = program.modules_cap(week)
        modules = None if cap is None else max(cap, len(past)) - len(past)
        found[week] = Room(hours, meetings, intensity, modules)
    return found


def proven(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins | None = None
) -> list[list[Clause]]:
    """Every clash counting proves: the modules with nowhere to go, the overloads, too few
    modules for the floors, then prerequisite chains with too few weeks."""
    return [
        *unplaceable(catalog, program, slots, pins),
        *overloaded(catalog, program, slots, pins),
        *too_few(catalog, program, slots, pins),
        *unchained(catalog, program, slots, pins),
    ]


def clashes(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins | None = None
) -> list[list[Clause]]:
    """Every clash counting proves, as an explanation shows them: the modules shut out of
    every meeting for one reason as one clash, the overloads about the same modules as one,
    too few modules for the floors, then prerequisite chains with too few weeks."""
    return [
        *_merged(unplaceable(catalog, program, slots, pins), by_rules=True),
        *_merged(overloaded(catalog, program, slots, pins)),
        *too_few(catalog, program, slots, pins),
        *unchained(catalog, program, slots, pins),
    ]


def _merged(cores: list[list[Clause]], *, by_rules: bool = False) -> list[list[Clause]]:
    """Counted clashes about the same modules (hours, meetings, intensity) as one; or,
    `by_rules`, those of the same rules (modules shut out of every meeting for one reason)."""
    groups: dict[frozenset[object], list[Clause]] = {}
    for core in cores:
        key = frozenset(c.rule if by_rules else c for c in core if by_rules or c.module)
        group = groups.setdefault(key, [])
        group += [c for c in core if c not in group]
    return list(groups.values())


def unplaceable(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins | None = None
) -> list[list[Clause]]:
    """Modules whose own rules leave them no open meeting: the smallest set of those rules
    (the pinned past is not judged again)."""
    pins = pins or Pins()
    open_slots = [s for s in slots if s.index >= pins.open_from]
    cores = []
    for module in catalog.modules:
        if module.id in pins.pinned:
            continue
        blocked = set(_Weeks(module, program, open_slots).blocked(0))
        if all(blocked):
            cores.append([Clause(rule, module=module.id) for rule in _fewest(blocked)])
    return cores


def _fewest(blocked: Collection[frozenset[Rule]]) -> tuple[Rule, ...]:
    """The fewest rules that keep a module out of every meeting, when each meeting is kept
    out by one of these sets of rules; where several such sets are as small, the rules of
    all of them (a fix must loosen each: 'by week 9' and 'before duties in week 10')."""
    families = sorted(frozenset().union(*blocked))
    for size in range(1, len(families) + 1):
        found = [c for c in combinations(families, size) if all(b & set(c) for b in blocked)]
        if found:
            return tuple(dict.fromkeys(rule for rules in found for rule in rules))
    return ()


def unchained(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins | None = None
) -> list[list[Clause]]:
    """Prerequisite chains that need more weeks with meetings than their modules' own rules
    leave them (each module in a later week than its prerequisites): for the first module
    of each that finds no week, the links of the chain that pushed it there and the rules
    that bound its ends (a window, pre-service), none when the weeks with meetings simply
    run out. Modules with no week at all are `unplaceable`'s; the past (pinned modules) is
    not judged again, as the model does not.

    Each module's weeks are looked at from its prerequisites' on, so that a catalog whose
    chains fit costs about one meeting per module."""
    pins = pins or Pins()
    week_of = {s.index: s.week for s in slots}
    open_slots = [s for s in slots if s.index >= pins.open_from]
    earliest: dict[str, int] = {}  # the first week each module can take after its chain
    pushed: set[str] = set()  # modules its prerequisites kept from their first week
    tainted: set[str] = set()  # modules after a chain that found no week
    weeks: dict[str, _Weeks] = {}
    cores = []
    for module_id in prerequisite_order(catalog)[0]:
        if module_id in pins.pinned:
            earliest[module_id] = week_of[pins.pinned[module_id]]
            continue
        mine = weeks[module_id] = _Weeks(catalog[module_id], program, open_slots)
        first = mine.first_after(0)
        if first is None:
            continue  # no week at all: unplaceable's clash; the chains after it still count
        before = [p for p in catalog[module_id].prerequisites if p in earliest]
        after = max((earliest[p] for p in before), default=0)
        # pushed only by modules after a clash: its own clash would be theirs, only longer
        after_clash = bool(before) and all(p in tainted for p in before if earliest[p] == after)
        week = mine.first_after(after)
        if week is not None:
            earliest[module_id] = week
            if week > first:
                pushed.add(module_id)
                tainted.update([module_id] if after_clash else [])
            continue
        earliest[module_id] = after + 1  # a bound still, so that later clashes show too
        pushed.add(module_id)
        tainted.add(module_id)
        own = _fewest(mine.blocked(after))
        if after_clash and not own:
            continue
        chain = [module_id]
        while chain[-1] in pushed and (
            before := [p for p in catalog[chain[-1]].prerequisites if p in earliest]
        ):
            chain.append(max(before, key=lambda p: earliest[p]))
        chain.reverse()
        bounds = [Clause(rule, module=module_id) for rule in own]
        for low, module in zip([0, *(earliest[m] for m in chain)], chain[:-1]):
            kept_out = (
                (Rule.FROZEN,)
                if module in pins.pinned
                else _fewest(weeks[module].blocked(low, earliest[module]))
            )
            bounds += [Clause(rule, module=module) for rule in kept_out]
        links = [Clause(Rule.PREREQUISITES, module=b, other=a) for a, b in pairwise(chain)]
        cores.append([*links, *dict.fromkeys(bounds)])
    return cores


class _Weeks:
    """One module's open meetings, judged as they are asked for: the unary rules that
    keep it out of each it fits in (judged once for meetings the rules cannot tell apart,
    `unary_keys`)."""

    def __init__(self, module: Module, program: Program, open_slots: Sequence[Slot]) -> None:
        self.module, self.program, self.slots = module, program, open_slots
        self.starts = [slot.week for slot in open_slots]
        self.turns = week_turns(module, program)
        self.away = frozenset(program.unavailable(module.facilitator))
        self.judged: dict[tuple[int, bool], frozenset[Rule]] = {}

    def first_after(self, week: int) -> int | None:
        """The first week after `week` with a meeting the module may take."""
        for slot in self.slots[bisect_right(self.starts, week) :]:
            if self._rules(slot) == frozenset():
                return slot.week
        return None

    def blocked(self, low: int, high: int | None = None) -> list[frozenset[Rule]]:
        """The rules that keep it out of each meeting it fits in, in the weeks strictly
        between `low` and `high` (None: to the last)."""
        end = len(self.slots) if high is None else bisect_left(self.starts, high)
        inside = self.slots[bisect_right(self.starts, low) : end]
        return [rules for slot in inside if (rules := self._rules(slot)) is not None]

    def _rules(self, slot: Slot) -> frozenset[Rule] | None:
        """None when the module does not fit in the meeting."""
        if self.module.quarters > slot.quarters:
            return None
        (key,) = unary_keys([slot], self.turns, self.away)
        if key not in self.judged:
            self.judged[key] = frozenset(forbidding(self.module, slot, self.program))
        return self.judged[key]


def overloaded(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins | None = None
) -> list[list[Clause]]:
    """The modules still to teach, or the pre-service ones, need more hours (or
    intensity) than their weeks' caps, or their meetings, can hold: a clash proven by
    counting alone. A pre-service clash names every pre-service module still to teach."""
    pins = pins or Pins()
    start_week = program.limits.duty_start
    room = rooms(catalog, program, slots, pins)
    cores = []
    for pre_service_only in (False, True) if start_week else (False,):
        last = start_week - 1 if pre_service_only and start_week else max(room, default=0)
        due = [
            m
            for m in catalog.modules
            if m.id not in pins.pinned and (m.pre_service or not pre_service_only)
        ]
        weeks = {w: r for w, r in room.items() if w <= last}
        found: set[Rule | SharedRule] = set()
        for clauses, total, weight in _counts(weeks):
            rules = {clause.rule for clause in clauses}
            if not found & rules and sum(map(weight, due)) > total:
                found |= rules
                extra = [Clause(Rule.PRE_SERVICE, module=m.id) for m in due if pre_service_only]
                cores.append([*clauses, *extra])
    return cores


def too_few(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins | None = None
) -> list[list[Clause]]:
    """The modules still to teach are fewer than the weeks the floor judges still ask for
    (`floor_asks`): a clash proven by counting alone, naming each week that asks."""
    asks, due = floor_asks(catalog, program, slots, pins or Pins())
    if due >= sum(asks.values()):
        return []
    return [[Clause(Rule.WEEKLY_MODULES_FLOOR, week=w) for w, ask in asks.items() if ask]]


def floor_asks(
    catalog: Catalog, program: Program, slots: Sequence[Slot], pins: Pins
) -> tuple[dict[int, int], int]:
    """How many more modules each week the floor judges (`floor_weeks`) asks for (its
    floor, less what the pinned past holds in it), and how many modules are still to
    teach."""
    calendar = MeetingCalendar.of(program, slots)
    week_of = {slot.index: slot.week for slot in calendar.slots}
    held = Counter(week_of[index] for index in pins.pinned.values() if index in week_of)
    asks = {
        week: max(program.modules_floor(week) - held[week], 0)
        for week in floor_weeks(calendar, pins)
    }
    return asks, sum(1 for m in catalog.modules if m.id not in pins.pinned)


def _counts(weeks: Mapping[int, Room]) -> Iterator[tuple[list[Clause], int, Weight]]:
    """Counting arguments as (rules, room, weight), in quarter hours, density points or
    modules: the hours caps, the meetings' lengths, both together (looked at only when
    neither alone is short), the intensity caps, and the modules caps when every week has
    one (N modules need at least N / cap weeks)."""
    caps = [Clause(Rule.WEEKLY_HOURS, week=w) for w in weeks]
    meetings = Clause(Rule.MEETINGS)
    yield caps, sum(r.hours for r in weeks.values()), by_hours
    yield [meetings], sum(r.meetings for r in weeks.values()), by_hours
    yield [*caps, meetings], sum(r.both for r in weeks.values()), by_hours
    intensity = [Clause(Rule.WEEKLY_INTENSITY, week=w) for w in weeks]
    yield intensity, sum(r.intensity for r in weeks.values()), by_intensity
    counts = [r.modules for r in weeks.values()]
    if all(count is not None for count in counts):
        modules = [Clause(Rule.WEEKLY_MODULES, week=w) for w in weeks]
        yield modules, sum(count or 0 for count in counts), by_count
