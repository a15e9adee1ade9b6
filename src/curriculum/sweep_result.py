"""What a sweep returns: every scenario with its result or error, compared in one frame,
with the page, the heat map and the notebook display written from that frame."""

from __future__ import annotations

import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, SupportsIndex

import pandas as pd

from curriculum.errors import InfeasibleError, InputError, NotRunError
from curriculum.export.csv import safe_csv
from curriculum.goals import Goal
from curriculum.inputs.program_toml import program_mapping
from curriculum.inputs.scenarios import flat_keys
from curriculum.plan import Plan
from curriculum.render.sweep_plot import heat_map
from curriculum.render.sweeps import (
    PlanPanel,
    SweepPage,
    as_written,
    cell_text,
    heat_grid,
    sweep_html,
    sweep_page_html,
    write_sweep_page,
    written_text,
)
from curriculum.result import Result, Status
from curriculum.scenario import PROGRAM_COLUMN, Scenario, Solved

if TYPE_CHECKING:  # matplotlib is optional (the `plot` extra)
    from matplotlib.axes import Axes

GOAL_COLUMNS = tuple(goal.value for goal in Goal)
RESULT_COLUMNS = (
    "status",
    "objective",
    "bound",
    *GOAL_COLUMNS,
    "runtime",
    "weeks_used",
    "peak_hours",
    "explanation",
    "error",
)
PLANNED = (Status.OPTIMAL, Status.FEASIBLE)
ERROR, CANCELLED = "error", "cancelled"


@dataclass(frozen=True)
class Sweep:
    """The scenarios of a sweep and what each one gave: `frame` compares them,
    `result(i)` and `plan(i)` hold scenario i's own (rows count from 0)."""

    scenarios: tuple[Scenario, ...]
    solved: Mapping[int, Solved] = field(default_factory=dict, repr=False)
    failed: Mapping[int, Exception] = field(default_factory=dict, repr=False)
    interrupted: bool = False
    time_limit: float = 10.0
    seed: int = 0

    @property
    def keys(self) -> list[str]:
        """The columns that tell the scenarios apart, in the order given."""
        return list(dict.fromkeys(key for s in self.scenarios for key in s.values))

    @cached_property
    def frame(self) -> pd.DataFrame:
        """One row per scenario (index `scenario`, from 0): the varied values, then
        `status` ("optimal", "feasible", "infeasible", "unknown"; "error" when the
        scenario could not be solved, "cancelled" when an interrupt came first),
        `objective`, `bound`, each goal's value, `runtime` (seconds), `weeks_used` (the
        last week taught), `peak_hours` (the busiest week), `explanation` (why there is
        no plan, in one line) and `error`. A programme given whole is named in `program`,
        with what tells it from others of that name: 'Evening (weeks = 14)'."""
        rows = [
            {**{key: values.get(key) for key in self.keys}, **self._outcome(index)}
            for index, values in enumerate(self._shown)
        ]
        frame = pd.DataFrame(rows, columns=pd.Index([*self.keys, *RESULT_COLUMNS]))
        frame["weeks_used"] = frame["weeks_used"].astype("Int64")
        frame.index.name = "scenario"
        compared: pd.DataFrame = frame
        return compared

    def result(self, index: int) -> Result:
        """Scenario `index`'s result; raises its error when it could not be solved (a
        `ProgramError` for a bad value) and `NotRunError` when it did not run; `index`
        is the frame's (0 to one less than the number of scenarios)."""
        index = _position(index, len(self))
        scenario = self.scenarios[index]
        if scenario.error is not None:
            raise scenario.error
        if index in self.failed:
            raise self.failed[index]
        if index not in self.solved:
            raise NotRunError(f"scenario {index} did not run: the sweep was interrupted first")
        return self.solved[index].result

    def plan(self, index: int) -> Plan:
        """Scenario `index`'s plan; raises `InfeasibleError` when it has none (and what
        `result` raises)."""
        return self.result(index).plan

    def to_csv(self, path: str | Path | None = None) -> str:
        """The frame as CSV, safe to open in a spreadsheet (written atomically when a path
        is given)."""
        written = self.frame.copy()
        written[self.keys] = self.frame[self.keys].map(as_written)
        return safe_csv(written.reset_index(), path)

    def to_html(self, path: str | Path | None = None) -> str:
        """A self-contained page comparing the scenarios: a heat map of the objective over
        the first two varied keys, the frame, and each plan's weekly load (written
        atomically when a path is given)."""
        page = self._page()
        return write_sweep_page(page, path) if path is not None else sweep_page_html(page)

    def plot(
        self,
        value: str = "objective",
        x: str | None = None,
        y: str | None = None,
        ax: Axes | None = None,
    ) -> Axes:
        """A heat map of a column of the frame over two varied keys (default: the first
        two), grey where there is no plan, labelled with the value or the reason.

        Parameters
        ----------
        value
            A numeric column: "objective", a goal, "runtime", "weeks_used", "peak_hours".
        x, y
            Varied keys across and down; with one varied key, one row.
        ax
            Axes to draw on; a new figure when None.

        Returns
        -------
        Axes
            The heat map (needs matplotlib: the `plot` extra).
        """
        x, y = self._axes(x, y)
        return heat_map(heat_grid(self.frame, x, y, value), ax)

    def __len__(self) -> int:
        return len(self.scenarios)

    def __str__(self) -> str:
        return self.summary

    def __repr__(self) -> str:
        return f"Sweep({self.summary.removeprefix('Sweep of ')})"  # Sweep(9 scenarios: ...)

    @property
    def summary(self) -> str:
        """One sentence: how many scenarios, with and without a plan, failed, not run."""
        statuses = list(self.frame["status"])
        planned = sum(status in PLANNED for status in statuses)
        text = f"Sweep of {len(statuses)} scenarios: {planned} with a plan"
        for status, words in (
            (Status.INFEASIBLE, "proven impossible"),
            (Status.UNKNOWN, "without an answer in the time limit"),
            (ERROR, "failed"),
            (CANCELLED, "not run (interrupted)"),
        ):
            count = statuses.count(status)
            if count:
                text += f", {count} {words}"
        return text

    def _repr_html_(self) -> str:
        return sweep_html(self.frame, self.summary)

    @cached_property
    def _shown(self) -> list[dict[str, Any]]:
        """Each scenario's values as the frame shows them (`_program_labels`)."""
        labels = _program_labels(self.scenarios)
        return [
            {**scenario.values, **({PROGRAM_COLUMN: labels[index]} if index in labels else {})}
            for index, scenario in enumerate(self.scenarios)
        ]

    def _outcome(self, index: int) -> dict[str, Any]:
        """The result columns of one scenario's row."""
        empty: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS, math.nan)
        empty.update(explanation="", error="", weeks_used=None)
        error = self.scenarios[index].error or self.failed.get(index)
        if error is not None:
            return {**empty, "status": ERROR, "error": _one_line(error)}
        if index not in self.solved:
            return {**empty, "status": CANCELLED, "error": "not run: the sweep was interrupted"}
        solved = self.solved[index]
        result = solved.result
        row = {
            **empty,
            "status": str(result.status),
            "objective": _number(result.objective),
            "bound": _number(result.bound),
            "runtime": solved.seconds,
            **{goal.value: result.goals.get(goal, math.nan) for goal in Goal},
        }
        if result.interrupted:
            row["error"] = "interrupted (Ctrl-C): the best plan found before it"
        try:
            plan = result.plan
        except InfeasibleError:
            row["explanation"] = _why_not(result)
            return row
        row["weeks_used"] = int(plan.sessions["week"].max()) if len(plan.sessions) else 0
        row["peak_hours"] = float(plan.weekly["hours"].max())
        return row

    def _axes(self, x: str | None, y: str | None) -> tuple[str, str | None]:
        """The keys across and down: those given, else the first two that vary."""
        keys = self.keys
        if x is None:
            if not keys:
                raise ValueError("nothing varies in this sweep, so there is no axis to plot")
            x = keys[0]
            y = y if y is not None else next(iter(keys[1:]), None)
        return x, y

    def _page(self) -> SweepPage:
        names = dict.fromkeys(s.program.name for s in self.scenarios if s.program is not None)
        title = f"Scenario sweep: {', '.join(names) or 'no programme'}"
        lede = (
            f"{self.summary}. Each scenario was solved for at most {self.time_limit:g} s "
            f"with seed {self.seed}."
        )
        panels: list[PlanPanel] = []
        missing: list[tuple[str, str]] = []
        for index, values in enumerate(self._shown):
            heading = f"Scenario {index}: {_label(values)}"
            result = self.solved[index].result if index in self.solved else None
            if result is not None and result.status in PLANNED:
                plan = result.plan
                panels.append(PlanPanel(heading, plan.weekly, plan.program))
            else:
                row = self.frame.loc[index]
                missing.append((heading, row["error"] or row["explanation"] or row["status"]))
        grid = heat_grid(self.frame, *self._axes(None, None), "objective") if self.keys else None
        return SweepPage(title, lede, self.frame, grid, panels, missing)


def _one_line(error: BaseException) -> str:
    """An error in one line: an input error's problems joined, else its type and text."""
    if isinstance(error, InputError):
        return "; ".join(str(problem) for problem in error.problems)
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _why_not(result: Result) -> str:
    """The first line of the explanation of a result with no plan."""
    if result.conflicts:
        return str(result.conflicts[0]).splitlines()[0]
    if result.status is Status.UNKNOWN:
        return "no plan found within the time limit"
    return f"no plan found ({result.status})"


def _number(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _label(values: Mapping[str, Any]) -> str:
    """'weeks = 12, load.max_hours_per_week = 3'."""
    return ", ".join(f"{key} = {cell_text(value)}" for key, value in values.items()) or "as given"


def _program_labels(scenarios: Sequence[Scenario]) -> dict[int, str]:
    """The `program` value of each scenario given as a whole programme: its name, and where
    programmes of that name differ by more than the varied values, the fields that differ
    ('Evening (weeks = 14, load.max_hours_per_week = 3)'); the scenario's number when its
    values made no programme, so that no two are shown alike unless they are alike."""
    twins = _twins(scenarios)
    fields = {
        index: flat_keys(program_mapping(program))
        for group in twins.values()
        for index in group
        if (program := scenarios[index].program) is not None
    }
    differing: dict[str, list[str]] = {}
    for (name, _), group in twins.items():
        known = differing.setdefault(name, [])
        known += _differing([fields[index] for index in group if index in fields], known)
    labels = {}
    for (name, _), group in twins.items():
        for index in group:
            if index in fields:
                labels[index] = _program_label(name, fields[index], differing[name])
            else:  # no programme to tell it by
                labels[index] = name if len(group) == 1 else f"{name} (scenario {index})"
    return labels


def _twins(scenarios: Sequence[Scenario]) -> dict[tuple[str, str], list[int]]:
    """The scenarios given as whole programmes, by name and the other values they have."""
    twins: dict[tuple[str, str], list[int]] = {}
    for index, scenario in enumerate(scenarios):
        values = dict(scenario.values)
        if PROGRAM_COLUMN in values:
            name = str(values.pop(PROGRAM_COLUMN))
            twins.setdefault((name, written_text(list(values.values()))), []).append(index)
    return twins


def _differing(programmes: list[dict[str, Any]], known: list[str]) -> list[str]:
    """The keys, other than those `known`, whose values are not the same in all these
    programmes (each a mapping of dotted keys)."""
    keys = dict.fromkeys(key for fields in programmes for key in fields if key not in known)
    return [
        key for key in keys if len({written_text(fields.get(key)) for fields in programmes}) > 1
    ]


def _program_label(name: str, fields: Mapping[str, Any], differing: list[str]) -> str:
    """'Evening (weeks = 14)': a programme's name and its values of the differing keys."""
    if not differing:
        return name
    shown = ", ".join(
        f"{key} = {written_text(fields[key]) if key in fields else '—'}" for key in differing
    )
    return f"{name} ({shown})"


def _position(index: object, count: int) -> int:
    """`index` as a scenario's place (numpy's integers too: the frame's labels), or an
    IndexError saying which there are."""
    place = operator.index(index) if isinstance(index, SupportsIndex) else -1
    if not isinstance(index, bool) and 0 <= place < count:
        return place
    raise IndexError(
        f"scenario {index!r} is not one of this sweep's: they are numbered 0 to {count - 1}, "
        "as the frame's index"
    )
