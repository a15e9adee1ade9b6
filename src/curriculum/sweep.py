"""`sweep`: one catalog solved under many variants of a programme, in this process or on
any executor (local processes, a Dask cluster), compared in one frame.

Every scenario is solved with the same seed and a fixed number of solver workers (1 unless
told otherwise), so the frame is the same whatever runs it; only `runtime` differs.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from curriculum.errors import InfeasibleError, InputError, NotRunError, Problem, ScenarioError
from curriculum.export.csv import safe_csv
from curriculum.goals import Goal
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.consistency import check_together
from curriculum.inputs.program import Program
from curriculum.inputs.program_keys import program_with
from curriculum.parallel import Progress, run_tasks
from curriculum.plan import Plan
from curriculum.render.progress import ProgressLine, interactive
from curriculum.render.sweep_plot import heat_map
from curriculum.render.sweeps import (
    PlanPanel,
    SweepPage,
    cell_text,
    heat_grid,
    sweep_html,
    sweep_page_html,
    write_sweep_page,
)
from curriculum.result import Result, Status
from curriculum.solve import solve

if TYPE_CHECKING:  # matplotlib is optional (the `plot` extra)
    from matplotlib.axes import Axes

SWEEP_WORKERS = 1  # solver workers per scenario unless told: no oversubscribed cores
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
PROGRAM_COLUMN = "program"  # the name of a programme given whole in `scenarios`
PLANNED = (Status.OPTIMAL, Status.FEASIBLE)
ERROR, CANCELLED = "error", "cancelled"


@dataclass(frozen=True)
class Scenario:
    """One scenario: its values (the frame's columns, as given), and the programme they
    make, or the error that kept them from making one."""

    values: Mapping[str, Any]
    program: Program | None = None
    error: InputError | None = None


@dataclass(frozen=True)
class Task:
    """What a worker needs to solve one scenario; plain data, sent by pickle."""

    catalog: Catalog
    program: Program
    time_limit: float
    seed: int
    workers: int


@dataclass(frozen=True)
class Solved:
    """A scenario's result, and the seconds its whole solve took (explanation included)."""

    result: Result
    seconds: float


def solve_scenario(task: Task) -> Solved:
    """Solve one scenario (the function the workers run).

    Parameters
    ----------
    task
        The catalog, the scenario's programme and the search settings.

    Returns
    -------
    Solved
        The result and the seconds the solve took.
    """
    started = time.perf_counter()
    result = solve(
        task.catalog,
        task.program,
        time_limit=task.time_limit,
        seed=task.seed,
        workers=task.workers,
    )
    return Solved(result, time.perf_counter() - started)


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
        no plan, in one line) and `error`."""
        rows = [
            {
                **{key: scenario.values.get(key) for key in self.keys},
                **self._outcome(index),
            }
            for index, scenario in enumerate(self.scenarios)
        ]
        frame = pd.DataFrame(rows, columns=pd.Index([*self.keys, *RESULT_COLUMNS]))
        frame["weeks_used"] = frame["weeks_used"].astype("Int64")
        frame.index.name = "scenario"
        compared: pd.DataFrame = frame
        return compared

    def result(self, index: int) -> Result:
        """Scenario `index`'s result; raises its error when it could not be solved (a
        `ProgramError` for a bad value) and `NotRunError` when it did not run."""
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
        return safe_csv(self.frame.reset_index(), path)

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
        for index, scenario in enumerate(self.scenarios):
            heading = f"Scenario {index}: {_label(scenario.values)}"
            result = self.solved[index].result if index in self.solved else None
            if result is not None and result.status in PLANNED:
                plan = result.plan
                panels.append(PlanPanel(heading, plan.weekly, plan.program))
            else:
                row = self.frame.loc[index]
                missing.append((heading, row["error"] or row["explanation"] or row["status"]))
        grid = heat_grid(self.frame, *self._axes(None, None), "objective") if self.keys else None
        return SweepPage(title, lede, self.frame, grid, panels, missing)


def sweep(
    catalog: Catalog,
    program: Program,
    vary: Mapping[str, Iterable[Any]] | None = None,
    scenarios: Sequence[Mapping[str, Any] | Program] | None = None,
    *,
    executor: Executor | None = None,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int | None = None,
    progress: bool | Progress | None = None,
) -> Sweep:
    """Solve the catalog under every scenario: each combination of the `vary` values, for
    each of the `scenarios` given.

    Parameters
    ----------
    catalog, program
        What to teach, and the programme every scenario starts from.
    vary
        Programme key -> the values to try, e.g. ``{"weeks": [10, 12, 14],
        "load.max_hours_per_week": [3, 4]}`` (6 scenarios). Keys are dotted, as in the
        TOML file (``duties.start_week``, ``ramp.max_density``, ``meetings[3].weekday``);
        each column of the frame is named after its key.
    scenarios
        Scenarios given one by one, crossed with `vary`: each a mapping of keys to values
        (``{"weeks": 14, "load.max_hours_per_week": 3}``) or a whole `Program` (its name
        goes in a `program` column). None: the programme alone.
    executor
        Any `concurrent.futures.Executor`: a `ProcessPoolExecutor`, or a Dask cluster's
        ``Client(address).get_executor()``. None solves one scenario after another here.
    time_limit, seed
        For each scenario's solve.
    workers
        Solver workers per scenario (default 1, so that tasks running side by side do not
        fight for the cores, and the results are the same whatever the executor).
    progress
        Show "k of n scenarios done" as they finish: True, False, a callable taking
        (finished, failed, total), or None to show it on a terminal or in a notebook.

    Returns
    -------
    Sweep
        A scenario whose values make a bad programme is a row with the `ProgramError` in
        its `error` column, one whose task failed (a worker died) a row with that error;
        neither stops the others. Ctrl-C cancels the scenarios not yet started and
        returns what finished (`Sweep.interrupted`).

    Raises
    ------
    ScenarioError
        When `vary` or `scenarios` is not a set of scenarios (a key whose values are not
        a list, a key both varied and set by a scenario, no scenarios).
    """
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(
            f"executor must be a concurrent.futures.Executor, not {type(executor).__name__}; "
            "for Dask, pass Client(address).get_executor()"
        )
    planned = scenarios_of(catalog, program, vary or {}, scenarios)
    runnable = [index for index, scenario in enumerate(planned) if scenario.program is not None]
    tasks = [
        Task(catalog, planned[index].program, time_limit, seed, workers or SWEEP_WORKERS)  # type: ignore[arg-type]
        for index in runnable
    ]
    line = _progress(progress)
    try:
        finished = run_tasks(
            solve_scenario,
            tasks,
            executor,
            progress=line,
            stop=lambda solved: solved.result.interrupted,
        )
    finally:
        if isinstance(line, ProgressLine):
            line.close()
    return Sweep(
        tuple(planned),
        {runnable[k]: solved for k, solved in finished.outputs.items()},
        {runnable[k]: error for k, error in finished.errors.items()},
        finished.interrupted,
        time_limit,
        seed,
    )


def scenarios_of(
    catalog: Catalog,
    program: Program,
    vary: Mapping[str, Iterable[Any]],
    scenarios: Sequence[Mapping[str, Any] | Program] | None = None,
) -> list[Scenario]:
    """Every scenario of a sweep with the programme it makes (or its error), in order:
    the given scenarios one by one, each crossed with every combination of `vary`."""
    keys, values = _checked(vary)
    given: list[Mapping[str, Any] | Program] = [{}] if scenarios is None else list(scenarios)
    if not given:
        raise _problem("<scenarios>", "there are no scenarios to sweep")
    found: list[Scenario] = []
    for number, base in enumerate(given):
        for combination in itertools.product(*values):
            varied = dict(zip(keys, combination))
            if isinstance(base, Program):
                start, changes = base, varied
                shown: dict[str, Any] = {PROGRAM_COLUMN: base.name, **varied}
            else:
                both = sorted(set(map(str, base)) & set(keys))
                if both:
                    raise _problem(
                        f"scenario {number}", f"key '{both[0]}' is both varied and set here"
                    )
                shown = {**{str(key): value for key, value in base.items()}, **varied}
                start, changes = program, shown
            found.append(_scenario(catalog, start, changes, shown, len(found)))
    clash = sorted({key for s in found for key in s.values} & set(RESULT_COLUMNS))
    if clash:
        raise _problem(
            "<scenarios>",
            f"key '{clash[0]}' has the name of a column of the results; vary the keys inside "
            f"it (e.g. '{clash[0]}.…') instead",
        )
    return found


def _scenario(
    catalog: Catalog,
    start: Program,
    changes: Mapping[str, Any],
    shown: Mapping[str, Any],
    index: int,
) -> Scenario:
    """A scenario with its programme, or with the error its values make."""
    try:
        changed = program_with(start, changes, source=f"scenario {index}")
        check_together(catalog, changed)
    except InputError as error:
        return Scenario(shown, error=error)
    return Scenario(shown, changed)


def _checked(vary: Mapping[str, Iterable[Any]]) -> tuple[list[str], list[list[Any]]]:
    """The varied keys and each one's values, or a ScenarioError."""
    keys, values = [], []
    for key, given in vary.items():
        if not isinstance(key, str):
            raise _problem("<vary>", f"key {key!r} must be text, like 'weeks'")
        if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
            raise _problem("<vary>", f"vary['{key}'] must be a list of values, not {given!r}")
        listed = list(given)
        if not listed:
            raise _problem("<vary>", f"vary['{key}'] has no values")
        keys.append(key)
        values.append(listed)
    return keys, values


def _problem(where: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(where, message)])


def _progress(progress: bool | Progress | None) -> Progress | None:
    if callable(progress):
        return progress
    if progress or (progress is None and interactive()):
        return ProgressLine()
    return None


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
