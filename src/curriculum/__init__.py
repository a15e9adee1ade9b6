"""curriculum: evidence-based training programme scheduling with OR-Tools CP-SAT.

>>> import curriculum as cur
>>> result = cur.solve(cur.read_catalog(), cur.Program(start=date(2027, 1, 11)))
>>> result.plan.sessions  # doctest: +SKIP

This module is only the public face; the code lives in the subpackages, floor by floor
(see the README's "How the code is laid out"). Names are imported when first used (PEP 562), so that `import curriculum` costs no more
than what the call at hand needs: the command line plans a programme without loading
cohorts, sweeps, explanations, reports or the calendar server's client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Each public name: the module it lives in, and its name there (None: the module itself).
_WHERE: dict[str, tuple[str, str | None]] = {
    "Balance": ("curriculum.inputs.program", "Balance"),
    "Catalog": ("curriculum.inputs.catalog", "Catalog"),
    "CatalogError": ("curriculum.errors", "CatalogError"),
    "Cohort": ("curriculum.inputs.cohorts", "Cohort"),
    "Cohorts": ("curriculum.inputs.cohorts", "Cohorts"),
    "CohortsError": ("curriculum.errors", "CohortsError"),
    "CohortsResult": ("curriculum.cohorts.result", "CohortsResult"),
    "compare": ("curriculum.compare", "compare"),
    "Comparison": ("curriculum.compare", "Comparison"),
    "Conflict": ("curriculum.explain", "Conflict"),
    "Duties": ("curriculum.inputs.program", "Duties"),
    "Goal": ("curriculum.goals", "Goal"),
    "InfeasibleError": ("curriculum.errors", "InfeasibleError"),
    "InputError": ("curriculum.errors", "InputError"),
    "Load": ("curriculum.inputs.program", "Load"),
    "Meeting": ("curriculum.inputs.program", "Meeting"),
    "meeting_slots": ("curriculum.meetings", "meeting_slots"),
    "Module": ("curriculum.inputs.catalog", "Module"),
    "NotRunError": ("curriculum.errors", "NotRunError"),
    "Ongoing": ("curriculum.inputs.program", "Ongoing"),
    "Plan": ("curriculum.plan", "Plan"),
    "PlanFileError": ("curriculum.errors", "PlanFileError"),
    "plot": ("curriculum.render.plots", None),
    "Program": ("curriculum.inputs.program", "Program"),
    "ProgramError": ("curriculum.errors", "ProgramError"),
    "Ramp": ("curriculum.inputs.program", "Ramp"),
    "read_catalog": ("curriculum.inputs.catalog", "read_catalog"),
    "read_cohorts": ("curriculum.cohorts.read", "read_cohorts"),
    "read_plan": ("curriculum.export.plan_file", "read_plan"),
    "read_program": ("curriculum.inputs.program_toml", "read_program"),
    "Result": ("curriculum.result", "Result"),
    "Rule": ("curriculum.rules", "Rule"),
    "ScenarioError": ("curriculum.errors", "ScenarioError"),
    "SharedFacilitator": ("curriculum.inputs.cohorts", "SharedFacilitator"),
    "Slot": ("curriculum.meetings", "Slot"),
    "solve": ("curriculum.solve", "solve"),
    "solve_cohorts": ("curriculum.cohorts.solve", "solve_cohorts"),
    "Status": ("curriculum.result", "Status"),
    "sweep": ("curriculum.sweep", "sweep"),
    "Sweep": ("curriculum.sweep_result", "Sweep"),
    "Weights": ("curriculum.inputs.program", "Weights"),
}

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


def __getattr__(name: str) -> Any:
    """Import a public name on its first use, then keep it here."""
    if name not in _WHERE:
        raise AttributeError(f"module 'curriculum' has no attribute '{name}'")
    module, attribute = _WHERE[name]
    imported = importlib.import_module(module)
    value = imported if attribute is None else getattr(imported, attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
