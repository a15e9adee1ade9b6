"""What a solve returns: status, objective explained goal by goal, the plan or the conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import pandas as pd

from curriculum.errors import InfeasibleError
from curriculum.goals import GOALS
from curriculum.plan import Plan


class Status(str, Enum):
    """How the search ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Conflict:
    """Rules that cannot all hold, in plain words, with a relaxation verified by re-solving."""

    summary: str
    rules: tuple[str, ...] = ()
    suggestion: str | None = None

    def __str__(self) -> str:
        text = self.summary
        if self.suggestion:
            text += f" Suggestion (verified by re-solving): {self.suggestion}."
        return text


@dataclass(frozen=True)
class Result:
    """The outcome of `solve`; `plan` raises InfeasibleError when there is none."""

    status: Status
    objective: float | None
    bound: float | None
    runtime: float
    conflicts: tuple[Conflict, ...] = ()
    goals: dict[str, float] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    interrupted: bool = False
    _plan: Plan | None = field(default=None, repr=False)

    @property
    def plan(self) -> Plan:
        """The plan found; raises InfeasibleError (with the conflicts) when there is none."""
        if self._plan is None:
            raise InfeasibleError(self.conflicts or (f"no plan found ({self.status})",))
        return self._plan

    @property
    def gap(self) -> float | None:
        """Relative distance between objective and bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    @property
    def objective_terms(self) -> pd.DataFrame:
        """How much each soft goal contributed to the objective, and why."""
        rows = [
            {
                "goal": name,
                "value": value,
                "weight": self.weights.get(name, 0),
                "contribution": self.weights.get(name, 0) * value,
                "measures": GOALS[name],
            }
            for name, value in self.goals.items()
        ]
        columns = ["goal", "value", "weight", "contribution", "measures"]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=pd.Index(columns))
        return frame

    def _repr_html_(self) -> str:
        from curriculum.display import result_html

        return result_html(self)

    def __str__(self) -> str:
        head = f"{self.status}"
        if self.objective is not None:
            head += f", objective {self.objective:g} (bound {self.bound:g})"
        head += f" in {self.runtime:.2f} s"
        if self.conflicts:
            head += "\n" + "\n".join(f"  - {c}" for c in self.conflicts)
        return head
