"""curriculum: evidence-based training programme scheduling with OR-Tools CP-SAT.

>>> import curriculum as cur
>>> result = cur.solve(cur.read_catalog(), cur.Program(start=date(2027, 1, 11)))
>>> result.plan.sessions  # doctest: +SKIP
"""

from curriculum.catalog import Catalog, Module, read_catalog
from curriculum.errors import CatalogError, InfeasibleError, ProgramError
from curriculum.meetings import Slot, meeting_slots
from curriculum.plan import Plan
from curriculum.plan_io import PlanFileError, read_plan
from curriculum.program import Balance, Duties, Load, Meeting, Ongoing, Program, Ramp, Weights
from curriculum.program_toml import read_program
from curriculum.result import Conflict, Result, Status
from curriculum.solve import solve

__all__ = [
    "Balance",
    "Catalog",
    "CatalogError",
    "Conflict",
    "Duties",
    "InfeasibleError",
    "Load",
    "Meeting",
    "Module",
    "Ongoing",
    "Plan",
    "PlanFileError",
    "Program",
    "ProgramError",
    "Ramp",
    "Result",
    "Slot",
    "Status",
    "Weights",
    "meeting_slots",
    "read_catalog",
    "read_plan",
    "read_program",
    "solve",
]
