"""What a solve returns: status, objective explained goal by goal, the plan or the conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pandas as pd

from curriculum.errors import InfeasibleError
from curriculum.explain import Conflict
from curriculum.goals import Goal
from curriculum.plan import Plan
from curriculum.render.notebook import result_html
from curriculum.render.report import ReportData, report_html, write_report


class Status(str, Enum):
    """How the search ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Result:
    """The outcome of `solve`; `plan` raises InfeasibleError when there is none."""

    status: Status
    objective: float | None
    bound: float | None
    runtime: float
    conflicts: tuple[Conflict, ...] = ()
    goals: dict[Goal, float] = field(default_factory=dict)
    weights: dict[Goal, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    interrupted: bool = False
    deterministic_time: float = 0.0  # CP-SAT's, of the search: the same on any machine
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
                "goal": goal.value,
                "value": value,
                "weight": self.weights.get(goal, 0),
                "contribution": self.weights.get(goal, 0) * value,
                "measures": goal.measures,
            }
            for goal, value in self.goals.items()
        ]
        columns = ["goal", "value", "weight", "contribution", "measures"]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=pd.Index(columns))
        return frame

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) pairs: status, objective, bound, gap, runtime (and interrupted)."""

        def number(value: float | None) -> str:
            return "—" if value is None else f"{value:g}"

        gap = "—" if self.gap is None else f"{self.gap:.1%}"
        facts = [
            ("status", str(self.status)),
            ("objective", number(self.objective)),
            ("bound", number(self.bound)),
            ("gap", gap),
            ("runtime", f"{self.runtime:.2f} s"),
        ]
        if self.interrupted:
            facts.append(("interrupted", "yes: the best plan found before the interrupt"))
        return facts

    def to_html(self, path: str | Path | None = None) -> str:
        """The printable report of the plan (written atomically when a path is given).

        Raises InfeasibleError (with the conflicts) when there is no plan.
        """
        plan = self.plan
        data = ReportData(
            sessions=plan.sessions,
            weekly=plan.weekly,
            program=plan.program,
            facts=self.facts(),
            terms=self.objective_terms,
            objective=self.objective,
            warnings=self.warnings,
        )
        return write_report(data, path) if path is not None else report_html(data)

    def _repr_html_(self) -> str:
        if self._plan is None:
            return result_html(self.facts(), self.warnings, self.conflicts)
        return result_html(
            self.facts(),
            self.warnings,
            self.conflicts,
            terms=self.objective_terms,
            weekly=self._plan.weekly,
            program=self._plan.program,
        )

    def __str__(self) -> str:
        head = f"{self.status}"
        if self.objective is not None:
            head += f", objective {self.objective:g} (bound {self.bound:g})"
        head += f" in {self.runtime:.2f} s"
        if self.conflicts:
            head += "\n" + "\n".join(f"  - {c}" for c in self.conflicts)
        return head
