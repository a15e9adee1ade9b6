"""The only subpackage that imports OR-Tools: the model, its runs, and explanations."""

from curriculum.cpsat.explain import explain_infeasibility
from curriculum.cpsat.model import Pins
from curriculum.cpsat.run import optimise

__all__ = ["Pins", "explain_infeasibility", "optimise"]
