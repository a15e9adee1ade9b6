"""curriculum: evidence-based training programme scheduling with OR-Tools CP-SAT.

>>> import curriculum as cur
>>> result = cur.solve(cur.read_catalog(), cur.Program(start=date(2027, 1, 11)))
>>> result.plan.sessions  # doctest: +SKIP

This module is only the public face; the code lives in the subpackages, floor by floor
(see the README's "How the code is laid out").
"""

from curriculum.cohorts.read import read_cohorts
from curriculum.cohorts.result import CohortsResult
from curriculum.cohorts.solve import solve_cohorts
from curriculum.compare import Comparison, compare
from curriculum.errors import (
    CatalogError,
    CohortsError,
    InfeasibleError,
    InputError,
    NotRunError,
    PlanFileError,
    ProgramError,
    ScenarioError,
)
from curriculum.explain import Conflict
from curriculum.export.plan_file import read_plan
from curriculum.goals import Goal
from curriculum.inputs.catalog import Catalog, Module, read_catalog
from curriculum.inputs.cohorts import Cohort, Cohorts, SharedFacilitator
from curriculum.inputs.program import (
    Balance,
    Duties,
    Load,
    Meeting,
    Ongoing,
    Program,
    Ramp,
    Weights,
)
from curriculum.inputs.program_toml import read_program
from curriculum.meetings import Slot, meeting_slots
from curriculum.plan import Plan
from curriculum.render import plots as plot
from curriculum.result import Result, Status
from curriculum.rules import Rule
from curriculum.solve import solve
from curriculum.sweep import sweep
from curriculum.sweep_result import Sweep
from curriculum.version import __version__

__all__ = [
    "Balance",
    "Catalog",
    "CatalogError",
    "Cohort",
    "Cohorts",
    "CohortsError",
    "CohortsResult",
    "Comparison",
    "Conflict",
    "Duties",
    "Goal",
    "InfeasibleError",
    "InputError",
    "Load",
    "Meeting",
    "Module",
    "NotRunError",
    "Ongoing",
    "Plan",
    "PlanFileError",
    "Program",
    "ProgramError",
    "Ramp",
    "Result",
    "Rule",
    "ScenarioError",
    "SharedFacilitator",
    "Slot",
    "Status",
    "Sweep",
    "Weights",
    "__version__",
    "compare",
    "meeting_slots",
    "plot",
    "read_catalog",
    "read_cohorts",
    "read_plan",
    "read_program",
    "solve",
    "solve_cohorts",
    "sweep",
]
