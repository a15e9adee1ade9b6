"""What a solve returns: status, objective explained goal by goal, the plan or the conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path

import pandas as pd

from curriculum.errors import InfeasibleError
from curriculum.explain import Conflict, Suggestion
from curriculum.export.ics.ledger import updated_events
from curriculum.export.ics.write import export_stamp
from curriculum.goals import Goal
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.plan import Plan
from curriculum.render.notebook import result_html
from curriculum.render.page import write_page
from curriculum.render.report import ReportData, report_html


class Status(str, Enum):
    """How the search ended."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Inputs:
    """What a solve was given: the catalog and programme, and for a re-plan the previous
    plan and the freeze date."""

    catalog: Catalog
    program: Program
    previous: Plan | None = None
    freeze_before: date | None = None


@dataclass(frozen=True)
class Result:
    """The outcome of `solve`; `plan` raises InfeasibleError when there is none.

    `conflicts` says why no plan exists and `fix` is one change that removes every
    conflict (verified by re-solving) when one was found; `inputs` is what the solve was
    given.
    """

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
    fix: Suggestion | None = None
    inputs: Inputs | None = field(default=None, repr=False)
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
        return relative_gap(self.objective, self.bound)

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
        return search_facts(self.status, self.objective, self.bound, self.runtime, self.interrupted)

    def to_html(self, path: str | Path | None = None) -> str:
        """The report for a steering committee, as one printable HTML file (written
        atomically when a path is given): the plan week by week with every session's date,
        time, facilitator and description, the goals in plain words, what a re-plan
        changed, and the evidence; or, with no plan, why and the changes that would let
        one keep every rule.

        Raises InfeasibleError (with the conflicts) when there is neither a plan nor the
        inputs to report on.
        """
        return write_page(report_html(self._report_data()), path)

    def to_handout(self, path: str | Path | None = None) -> str:
        """The trainees' handout of the plan (`Plan.to_handout`)."""
        return self.plan.to_handout(path)

    def _report_data(self) -> ReportData:
        generated = export_stamp().astimezone(self._program().zone)
        if self._plan is None:
            if self.inputs is None:
                raise InfeasibleError(self.conflicts or (f"no plan found ({self.status})",))
            return ReportData(
                self.inputs.program,
                self.inputs.catalog,
                status=str(self.status),
                warnings=self.warnings,
                conflicts=self.conflicts,
                fix=self.fix,
                freeze_before=self.inputs.freeze_before if self.inputs.previous else None,
                generated=generated,
            )
        plan = self._plan
        previous = self.inputs.previous if self.inputs else None
        changes = plan.diff(previous) if previous is not None else None
        updated = (
            updated_events(plan, previous, set(changes["module"]))
            if previous is not None and changes is not None
            else []
        )
        return ReportData(
            plan.program,
            plan.catalog,
            plan,
            status=str(self.status),
            goals=self.goals,
            warnings=self.warnings,
            broken=plan.check(),
            changes=changes,
            updated=tuple(updated),
            freeze_before=self.inputs.freeze_before if self.inputs else None,
            generated=generated,
        )

    def _program(self) -> Program:
        if self._plan is not None:
            return self._plan.program
        if self.inputs is not None:
            return self.inputs.program
        raise InfeasibleError(self.conflicts or (f"no plan found ({self.status})",))

    def _repr_html_(self) -> str:
        if self._plan is None:
            return result_html(self.facts(), self.warnings, self.conflicts, fix=self.fix)
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


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    """Relative distance between an objective and its bound (None without either)."""
    if objective is None or bound is None:
        return None
    return abs(objective - bound) / max(1.0, abs(objective))


def search_facts(
    status: Status, objective: float | None, bound: float | None, runtime: float, interrupted: bool
) -> list[tuple[str, str]]:
    """(label, value) pairs of how a search ended: status, objective, bound, gap, runtime
    (and interrupted), as a result's display and report show them."""

    def number(value: float | None) -> str:
        return "—" if value is None else f"{value:g}"

    gap = relative_gap(objective, bound)
    facts = [
        ("status", str(status)),
        ("objective", number(objective)),
        ("bound", number(bound)),
        ("gap", "—" if gap is None else f"{gap:.1%}"),
        ("runtime", f"{runtime:.2f} s"),
    ]
    if interrupted:
        facts.append(("interrupted", "yes: the best plan found before the interrupt"))
    return facts
