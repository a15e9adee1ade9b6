"""The `curriculum` command: `validate` checks inputs, `plan` builds a plan, `replan` updates
one after a change, keeping the past, `check` checks a plan file, `compare` sets two plan
files side by side, `sweep` compares variants of the programme, `publish` puts a plan on a
CalDAV calendar server.

Exit codes: 0 success, 1 no plan that keeps every rule (reasons on stderr), 2 bad input
(the error on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings
from collections.abc import Callable, Sequence

from curriculum.cli.commands import warn
from curriculum.cli.options import parser
from curriculum.cli.progress import command_started
from curriculum.cli.terminal import safe_terminal
from curriculum.errors import CurriculumWarning, InputError, PublishError

# Each command's module and function, imported when the command runs: `curriculum plan`
# loads neither the sweeps nor the cohorts (`--cohorts` picks the cohorts' own).
COMMANDS = {
    "validate": ("curriculum.cli.commands", "validate"),
    "plan": ("curriculum.cli.commands", "plan"),
    "replan": ("curriculum.cli.commands", "plan"),
    "check": ("curriculum.cli.commands", "check"),
    "publish": ("curriculum.cli.commands", "publish"),
    "compare": ("curriculum.cli.commands", "compare_plans"),
    "sweep": ("curriculum.cli.sweeping", "sweep"),
}
COHORTS_COMMANDS = {
    "validate": ("curriculum.cli.cohorts", "validate_cohorts"),
    "plan": ("curriculum.cli.cohorts", "plan_cohorts"),
    "publish": ("curriculum.cli.cohorts", "publish_cohorts"),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. What it prints is safe for a terminal
    (`terminal.safe_terminal`)."""
    with safe_terminal():
        return _run(argv)


def _run(argv: Sequence[str] | None) -> int:
    started = command_started(argv is not None)
    args = parser().parse_args(argv)
    args.started = started
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CurriculumWarning)
        try:
            code = _command(args)(args)
        except (InputError, PublishError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            code = 2
        except BrokenPipeError:  # e.g. `curriculum plan | head`: the files are already written
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            code = 0
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            code = 130
        except OSError as exc:
            print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
            code = 2
    warn([str(w.message) for w in caught if issubclass(w.category, CurriculumWarning)])
    return code


def _command(args: argparse.Namespace) -> Callable[[argparse.Namespace], int]:
    """The function that runs the command asked for."""
    cohorts = getattr(args, "cohorts", None) and args.command in COHORTS_COMMANDS
    module, name = (COHORTS_COMMANDS if cohorts else COMMANDS)[args.command]
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), name)
    return run
