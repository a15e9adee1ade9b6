"""The CP-SAT model of a programme: its decisions, hard rules and soft goals together.

The model only sees integers: weeks, meeting indices, quarter hours and density points.
`Domains` says where each module may go, `Variables` holds the decisions on it (by week
for a fresh plan, by meeting otherwise),
`Constraints` one method per hard rule, `Objective` one term per soft goal, and `Guards`
whether the rules simply hold (a search) or can be switched (an explanation).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from ortools.sat.python import cp_model

from curriculum.cpsat.constraints import Constraints
from curriculum.cpsat.domains import Domains, OutOfTimeError
from curriculum.cpsat.guards import Guards
from curriculum.cpsat.objective import Objective
from curriculum.cpsat.variables import MeetingVariables, Variables, WeekVariables
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import MeetingCalendar, Slot
from curriculum.replanning import Pins
from curriculum.rules import Clause


class PlanModel:
    """A programme's model.

    Parameters
    ----------
    catalog, program
        What to teach, and when.
    slots
        The meetings (re-planning adds stand-ins for the past); the programme's own when None.
    pins
        Re-planning: modules pinned to the meeting they took, and where the others were.
    weekly
        Decide weeks, then pack them into meetings (a fresh plan); else decide meetings.
    explain
        Give every clause a switch (`guards.switches`), so CP-SAT can name clashes.
    dropped
        Clauses left out, to judge one clash apart from the others.
    domains
        Where each module may go, when already worked out for these inputs (a search's
        own, with no clause dropped); else worked out here.
    deadline
        A `time.monotonic()` instant: building past it raises `OutOfTimeError`.
    """

    def __init__(
        self,
        catalog: Catalog,
        program: Program,
        *,
        slots: Sequence[Slot] | None = None,
        pins: Pins | None = None,
        weekly: bool = False,
        explain: bool = False,
        dropped: frozenset[Clause] = frozenset(),
        domains: Domains | None = None,
        deadline: float | None = None,
    ) -> None:
        self.catalog = catalog
        self.program = program
        self.model = cp_model.CpModel()
        if domains is None or explain or dropped:
            calendar = MeetingCalendar.of(program, slots)
            domains = Domains(
                catalog,
                calendar,
                pins or Pins(),
                explain=explain,
                dropped=dropped,
                deadline=deadline,
            )
        self.domains = domains
        self.calendar = domains.calendar
        self.guards = Guards(self.model, explain=explain, dropped=dropped)
        kind = WeekVariables if weekly else MeetingVariables
        self.variables: Variables = kind(self.model, domains, self.guards)
        self.variables.build(deadline)
        self.constraints = Constraints(self.variables, self.guards)
        self.constraints.add_constraints(deadline)
        self.objective = Objective(self.variables)
        if deadline is not None and time.monotonic() > deadline:
            raise OutOfTimeError("building the model")
        self.hinted = False  # whether every variable carries a hint (see warm_start)

    @property
    def size(self) -> int:
        """The number of decision literals."""
        return self.variables.size
