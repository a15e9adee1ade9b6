"""Why no plan exists, in a coordinator's words: clashes found by counting and by CP-SAT
cores, each worded with its numbers and given a relaxation verified by re-solving."""

from curriculum.explain.conflict import Conflict
from curriculum.explain.conflicts import explain_infeasibility
from curriculum.explain.readiness import Readiness, assess

__all__ = ["Conflict", "Readiness", "assess", "explain_infeasibility"]
