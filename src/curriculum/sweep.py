"""`sweep`: one catalog solved under many variants of a programme, in this process or on
any executor (local processes, a Dask cluster), compared in one frame.

Every scenario is solved with the same seed and a fixed number of solver workers (1 unless
told otherwise), so the frame is the same whatever runs it; only `runtime` differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

from curriculum.errors import Problem, ScenarioError
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.parallel import Progress, run_tasks
from curriculum.render.progress import ProgressLine, interactive
from curriculum.scenario import Scenario, Task, scenarios_of, solve_scenario
from curriculum.sweep_result import RESULT_COLUMNS, Sweep

SWEEP_WORKERS = 1  # solver workers per scenario unless told: no oversubscribed cores


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
        When `vary` or `scenarios` is not a set of scenarios (a key no programme has, a
        key whose values are not a list, a key both varied and set by a scenario, no
        scenarios). A value a scenario cannot take is that scenario's error instead.
    """
    if executor is not None and not isinstance(executor, Executor):
        raise TypeError(
            f"executor must be a concurrent.futures.Executor, not {type(executor).__name__}; "
            "for Dask, pass Client(address).get_executor()"
        )
    planned = scenarios_of(catalog, program, vary or {}, scenarios)
    _clashing(planned)
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


def _progress(progress: bool | Progress | None) -> Progress | None:
    if callable(progress):
        return progress
    if progress or (progress is None and interactive()):
        return ProgressLine()
    return None


def _clashing(scenarios: Sequence[Scenario]) -> None:
    """A ScenarioError when a key has the name of one of the frame's result columns."""
    clash = sorted({key for s in scenarios for key in s.values} & set(RESULT_COLUMNS))
    if clash:
        message = (
            f"key '{clash[0]}' has the name of a column of the results; vary the keys inside "
            f"it (e.g. '{clash[0]}.…') instead"
        )
        raise ScenarioError([Problem("<scenarios>", message)])
