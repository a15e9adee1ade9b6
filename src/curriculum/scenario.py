"""One scenario of a sweep: the values that make it, the programme they make (or the error
they make instead), and the task a worker solves, as plain data sent by pickle.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from curriculum.cells import plain
from curriculum.errors import InputError, Problem, ScenarioError
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.consistency import check_together
from curriculum.inputs.program import Program
from curriculum.inputs.program_keys import key_problem, program_with
from curriculum.result import Result
from curriculum.solve import solve

PROGRAM_COLUMN = "program"  # the name of a programme given whole in `scenarios`


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
    for number, base in enumerate(given):
        written = [] if isinstance(base, Program) else [str(key) for key in base]
        if problem := next(filter(None, map(key_problem, written)), None):
            raise _problem(f"scenario {number}", problem)
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
        if problem := key_problem(key):
            raise _problem("<vary>", problem)
        if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
            raise _problem("<vary>", f"vary['{key}'] must be a list of values, not {given!r}")
        listed = [plain(value) for value in given]  # np.arange's numbers as Python's
        if not listed:
            raise _problem("<vary>", f"vary['{key}'] has no values")
        keys.append(key)
        values.append(listed)
    return keys, values


def _problem(where: str, message: str) -> ScenarioError:
    return ScenarioError([Problem(where, message)])
