"""Error and warning types: every user mistake becomes one of these, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located as precisely as we can."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    line_label: str = "line"
    column_label: str = "column"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", {self.line_label} {self.line}"
        if self.column is not None:
            where += f", {self.column_label} '{self.column}'"
        return f"{where}: {self.message}"


class InputError(ValueError):
    """Bad user input; the message lists every problem found, one per line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} found:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))

    def __reduce__(self) -> tuple[type[InputError], tuple[tuple[Problem, ...]]]:
        # rebuilt from its problems, not its message: it comes back whole from a worker
        return type(self), (self.problems,)


class CatalogError(InputError):
    """The module catalog (CSV or DataFrame) is invalid."""


class ProgramError(InputError):
    """The programme (TOML or `Program` arguments) is invalid."""


class CohortsError(InputError):
    """The cohorts file (or `Cohorts` arguments) is invalid, or its cohorts do not fit
    together (a joint module whose cohorts share no meeting time and place)."""


class ScenarioError(InputError):
    """Scenarios to sweep that cannot be read: a scenarios file (CSV or TOML), or varied
    keys and values."""


class PlanFileError(InputError):
    """A plan file (CSV or .ics) that cannot be read back."""


class PlanWithoutProgramError(PlanFileError):
    """A plan file that does not carry its programme, read without one given."""


class InfeasibleError(ValueError):
    """No plan satisfies every hard rule; `conflicts` says which rules clash."""

    def __init__(self, conflicts: Sequence[object]) -> None:
        self.conflicts = tuple(conflicts)
        lines = "\n".join(f"  - {c}" for c in self.conflicts) or "  (no explanation found)"
        super().__init__(f"No plan satisfies every rule:\n{lines}")

    def __reduce__(self) -> tuple[type[InfeasibleError], tuple[tuple[object, ...]]]:
        return type(self), (self.conflicts,)


class NotRunError(LookupError):
    """A scenario of a sweep that did not run: the sweep was interrupted first."""


class CurriculumWarning(UserWarning):
    """Something in the inputs or the plan a user should know about; the command line
    prints each as a `warning:` line."""


class ZoneWarning(CurriculumWarning):
    """The machine's time zone could not be found, so times are in UTC."""


class PublishError(RuntimeError):
    """Publishing to a calendar server failed (unreachable, credentials refused, a missing
    calendar, an event refused); the message says how far it got, if anywhere."""


class ConflictError(PublishError):
    """An event changed on the server after it was read (its ETag no longer matches), so
    it was not overwritten."""
