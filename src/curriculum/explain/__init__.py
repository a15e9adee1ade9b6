"""Why no plan exists, in a coordinator's words: clashes found by counting and by CP-SAT
cores, each worded with its numbers and given relaxations verified by re-solving, named as
the keys and options to set."""

from curriculum.explain.conflict import Conflict, Explanation, Setting, Suggestion
from curriculum.explain.conflicts import explain_infeasibility
from curriculum.explain.readiness import Readiness, assess

__all__ = [
    "Conflict",
    "Explanation",
    "Readiness",
    "Setting",
    "Suggestion",
    "assess",
    "explain_infeasibility",
]
