"""The only subpackage that imports OR-Tools: the model, the search, and clash cores.

`model` ties together `variables` (the decisions), `constraints` (one method per hard
rule), `objective` (one term per soft goal) and `guards` (rules that hold, or switches);
`cohorts` ties several cohorts' models together under the shared rules and
`cohort_search` searches it; `search` runs the phases from a `warm_start`, `packing`
places a week's modules in its meetings, `cores` finds clauses that cannot hold together,
`solver` sets CP-SAT up.
"""

from curriculum.cpsat.cohort_search import CohortsOutcome, cohorts_hold, optimise_cohorts
from curriculum.cpsat.cohorts import FACILITATOR_LOAD_WEIGHT, CohortsModel
from curriculum.cpsat.cores import has_plan, minimal_core
from curriculum.cpsat.domains import OutOfTimeError
from curriculum.cpsat.model import PlanModel
from curriculum.cpsat.search import Outcome, optimise
from curriculum.cpsat.solver import SearchSettings

__all__ = [
    "FACILITATOR_LOAD_WEIGHT",
    "CohortsModel",
    "CohortsOutcome",
    "OutOfTimeError",
    "Outcome",
    "PlanModel",
    "SearchSettings",
    "cohorts_hold",
    "has_plan",
    "minimal_core",
    "optimise",
    "optimise_cohorts",
]
