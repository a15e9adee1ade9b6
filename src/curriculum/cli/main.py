"""The `curriculum` command: `validate` checks inputs, `plan` builds a plan, `replan` updates
one after a change, keeping the past, `check` checks a plan file, `compare` sets two plan
files side by side, `sweep` compares variants of the programme, `publish` puts a plan on a
CalDAV calendar server.

Exit codes: 0 success, 1 no plan that keeps every rule (reasons on stderr), 2 bad input
(the error on stderr, never a traceback).
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings
from collections.abc import Sequence
from typing import NoReturn

from curriculum.cli.commands import check, compare_plans, plan, publish, sweep, validate, warn
from curriculum.cli.options import parser
from curriculum.cli.progress import INTERRUPTED_EXIT, command_started
from curriculum.cli.terminal import safe_terminal
from curriculum.errors import CurriculumWarning, InputError, PublishError

COMMANDS = {
    "validate": validate,
    "plan": plan,
    "replan": plan,
    "check": check,
    "publish": publish,
    "compare": compare_plans,
    "sweep": sweep,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code. What it prints is safe for a terminal
    (`terminal.safe_terminal`)."""
    with safe_terminal():
        return _run(argv)


def run() -> NoReturn:
    """The `curriculum` executable: `main`, then exit at once. Tearing the interpreter down
    object by object (pandas', OR-Tools') takes about 0.1 s that a finished command does
    not need: its files are written and closed (atomically), its pools and connections shut,
    and the streams are flushed here (a reader that has gone away changes nothing: the exit
    code stays the command's)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away: nothing left to tell
            stream.flush()
    os._exit(code)


def _run(argv: Sequence[str] | None) -> int:
    started = command_started(argv is not None)
    args = parser().parse_args(argv)
    args.started = started
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CurriculumWarning)
        try:
            code = COMMANDS[args.command](args)
        except (InputError, PublishError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            code = 2
        except BrokenPipeError:  # e.g. `curriculum plan | head`: the files are already written
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            code = 0
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            code = INTERRUPTED_EXIT
        except OSError as exc:
            print(f"error: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
            code = 2
    warn([str(w.message) for w in caught if issubclass(w.category, CurriculumWarning)])
    return code
