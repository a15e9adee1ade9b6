"""Switches for the hard rules: how the same model serves a search and an explanation."""

from __future__ import annotations

import dataclasses

from ortools.sat.python import cp_model

from curriculum.rules import Clause

Var = cp_model.IntVar


class Guards:
    """Enforcement literals for each clause of a rule.

    In a search every rule simply holds (no literal). When explaining, each clause gets its
    own switch, so CP-SAT can name the clauses that clash (`switches`). A dropped clause
    (left out to judge one clash apart from the others) is enforced by a false literal.
    """

    def __init__(
        self, model: cp_model.CpModel, *, explain: bool, dropped: frozenset[Clause]
    ) -> None:
        self.model = model
        self.explain = explain
        self.dropped = dropped
        self.switches: dict[Clause, Var] = {}

    def __call__(self, clause: Clause) -> list[Var]:
        """The literals that enforce a clause: none, its switch, or a false constant."""
        if clause in self.dropped:
            return [self.model.new_constant(0)]
        if not self.explain:
            return []
        if clause not in self.switches:
            self.switches[clause] = self.model.new_bool_var(f"on[{clause}]")
        return [self.switches[clause]]

    def of_cohort(self, cohort: str) -> Guards:
        """The guards of one cohort planned with others: the same switches, its clauses
        tagged with its name."""
        return _CohortGuards(self, cohort)


class _CohortGuards(Guards):
    """One cohort's view of shared guards."""

    def __init__(self, shared: Guards, cohort: str) -> None:
        super().__init__(shared.model, explain=shared.explain, dropped=shared.dropped)
        self.switches = shared.switches
        self.cohort = cohort

    def __call__(self, clause: Clause) -> list[Var]:
        return super().__call__(dataclasses.replace(clause, cohort=self.cohort))
