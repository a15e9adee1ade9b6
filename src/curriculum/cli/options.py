"""The command line's options: the parser, and the types that turn text into values."""

from __future__ import annotations

import argparse
import math
import re
from datetime import date, timedelta

from curriculum.version import __version__

DURATION = re.compile(r"(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m?)?")
MOST_REMIND = timedelta(days=28)  # a reminder further ahead than this is a typo


def parser() -> argparse.ArgumentParser:
    """`curriculum validate|plan|replan|check|compare|publish|sweep`, with `--version`."""
    root = argparse.ArgumentParser(
        prog="curriculum", description="Evidence-based training programme scheduling."
    )
    root.add_argument("--version", action="version", version=f"curriculum {__version__}")
    commands = root.add_subparsers(dest="command", required=True)
    for name, text in (
        ("validate", "check the catalog and programme and report what they demand"),
        ("plan", "build the best plan and print it week by week"),
        ("replan", "re-plan after a change: keep what happened, move as little as possible"),
        ("check", "check a plan (e.g. one edited in a spreadsheet) against every rule"),
        (
            "publish",
            "put a plan's (or the cohorts') events on a CalDAV server, in sync with re-plans",
        ),
    ):
        command = commands.add_parser(name, help=text, description=text)
        if name == "check":
            command.add_argument("plan_file", type=given, metavar="PLAN", help="plan .csv or .ics")
        _add_input_options(command, carried=name in ("replan", "check", "publish"))
    for name in ("plan", "replan"):
        _add_plan_options(commands.choices[name])
    for name in ("validate", "plan"):
        commands.choices[name].add_argument(
            "--cohorts",
            type=given,
            metavar="TOML",
            help="several cohorts at once, sharing facilitators, rooms and joint modules "
            "(the file names each cohort's files; --out is then a folder)",
        )
    text = "compare two plans: what moved, each week's hours, each goal"
    compare = commands.add_parser("compare", help=text, description=text)
    compare.add_argument("first", type=given, metavar="A", help="plan .csv or .ics")
    compare.add_argument(
        "second", type=given, metavar="B", help="plan .csv or .ics, read as a change from A"
    )
    compare.add_argument(
        "--timezone",
        type=given,
        metavar="ZONE",
        help="IANA time zone to show the times in (default: B's programme's)",
    )
    replan = commands.choices["replan"]
    replan.add_argument(
        "--previous", required=True, type=given, metavar="PLAN", help="plan .csv or .ics"
    )
    replan.add_argument("--freeze-before", required=True, type=day, metavar="DATE")
    _add_publish_options(commands.choices["publish"])
    _add_sweep(commands.add_parser("sweep", help=SWEEP, description=SWEEP))
    return root


SWEEP = "solve many variants of the programme and compare them"


def _add_sweep(command: argparse.ArgumentParser) -> None:
    """`curriculum sweep`: the input options, what to vary, where to run, what to write."""
    _add_input_options(command, carried=False)
    command.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="KEY=V1,V2,...",
        help="a programme key and its values, e.g. weeks=10,12,14 or load.max_hours_per_week=3,4 "
        "(repeat for more keys: every combination is a scenario)",
    )
    command.add_argument(
        "--scenarios",
        type=given,
        metavar="FILE",
        help="scenarios one by one: a CSV (a key per column) or TOML",
    )
    where = command.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=workers,
        metavar="N",
        help="solve N scenarios at a time in local processes",
    )
    where.add_argument(
        "--scheduler",
        type=given,
        metavar="ADDRESS",
        help="solve on a running Dask cluster, e.g. tcp://10.0.0.5:8786 (the distributed extra)",
    )
    command.add_argument(
        "--csv", type=given, metavar="CSV", help="write one row per scenario to this CSV file"
    )
    command.add_argument(
        "--report",
        type=given,
        metavar="HTML",
        help="write a page comparing the scenarios and their plans",
    )
    command.add_argument(
        "--time-limit", type=seconds, default=10.0, metavar="S", help="seconds per scenario"
    )
    command.add_argument("--seed", type=seed, default=0, help="random seed (same seed, same plans)")
    command.set_defaults(out=None, by=None, remind=None)  # the output checks of `plan`


def _add_input_options(command: argparse.ArgumentParser, *, carried: bool) -> None:
    mine = "the plan's own" if carried else None
    command.add_argument(
        "--modules",
        type=given,
        metavar="CSV",
        help=f"catalog (default: {mine or 'the bundled one'})",
    )
    command.add_argument(
        "--program",
        type=given,
        metavar="TOML",
        help=f"programme (default: {mine or 'the defaults'})",
    )
    command.add_argument("--start", type=day, help="any date in week 1 (YYYY-MM-DD)")
    command.add_argument("--weeks", type=whole_weeks, help="number of weeks")
    command.add_argument(
        "--timezone",
        type=given,
        metavar="ZONE",
        help="IANA time zone, e.g. America/Toronto (default: the programme's, else this "
        "computer's)",
    )


def _add_plan_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--out",
        type=given,
        metavar="ICS",
        help="write the calendar (.ics) here (with --by: a folder)",
    )
    command.add_argument(
        "--by",
        choices=["facilitator"],
        help="with --out FOLDER: one calendar per facilitator in that folder",
    )
    command.add_argument(
        "--remind", type=duration, metavar="30m", help="calendar reminders, e.g. 30m, 1h30m, 2d"
    )
    command.add_argument(
        "--csv", type=given, metavar="CSV", help="write the sessions to this CSV file"
    )
    command.add_argument(
        "--report",
        type=given,
        metavar="HTML",
        help="write a printable HTML report (also when no plan exists: why, and the fixes)",
    )
    command.add_argument(
        "--handout",
        type=given,
        metavar="HTML",
        help="write a printable HTML handout for the trainees",
    )
    command.add_argument("--time-limit", type=seconds, default=10.0, metavar="S", help="seconds")
    command.add_argument(
        "--seed",
        type=seed,
        default=0,
        help="random seed (same seed, same plan, unless the time limit cut the search; with "
        "--cohorts, also unless the weekly search went on in CP-SAT's portfolio)",
    )
    command.add_argument("--log", action="store_true", help="show the solver's progress")


def _add_publish_options(command: argparse.ArgumentParser) -> None:
    what = command.add_mutually_exclusive_group(required=True)
    what.add_argument("plan_file", nargs="?", type=given, metavar="PLAN", help="plan .csv or .ics")
    what.add_argument(
        "--cohorts",
        type=given,
        metavar="TOML",
        help="publish every cohort's published plan instead (each cohort's plan key in the "
        "cohorts file): each to a calendar named after the cohort, or 'NAME — cohort' with "
        "--calendar; with --by facilitator one calendar per facilitator across the cohorts "
        "(a joint session once), named 'NAME — facilitator', NAME defaulting to the cohorts "
        "file's name",
    )
    command.add_argument(
        "--caldav",
        required=True,
        type=given,
        metavar="URL",
        help="the server, e.g. https://cloud.example.org/remote.php/dav",
    )
    command.add_argument(
        "--calendar",
        type=given,
        metavar="NAME",
        help="the calendar's name (or id); required with PLAN, with --cohorts the first part "
        "of every calendar's name",
    )
    command.add_argument(
        "--user",
        type=given,
        metavar="NAME",
        help="user name (default: ~/.netrc's login); the password comes from "
        "CURRICULUM_CALDAV_PASSWORD or ~/.netrc, never from the command line",
    )
    command.add_argument(
        "--by",
        choices=["facilitator"],
        help="one calendar per facilitator, each named 'NAME — facilitator'",
    )
    command.add_argument(
        "--create", action="store_true", help="create a calendar that does not exist yet"
    )
    command.add_argument(
        "--dry-run", action="store_true", help="change nothing: print what would change"
    )


def given(text: str) -> str:
    """Text that is not blank (argparse type): a path, name or address given empty (an
    unset shell variable, say) is a mistake to name, not a reason to use the default."""
    if not text.strip():
        raise argparse.ArgumentTypeError("is empty")
    return text


def day(text: str) -> date:
    """'2027-01-11' -> a date (argparse type)."""
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2027-01-11") from None
    if not 1900 <= value.year <= 9000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date between 1900 and 9000")
    return value


def whole_weeks(text: str) -> int:
    """A number of weeks from 1 to 520 (argparse type)."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 520:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of weeks from 1 to 520")
    return int(text)


def workers(text: str) -> int:
    """A number of worker processes from 1 to 256 (argparse type)."""
    if not text.strip().isdigit() or not 1 <= int(text) <= 256:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of workers from 1 to 256")
    return int(text)


def seconds(text: str) -> float:
    """A positive, finite number of seconds (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number of seconds")
    return value


def seed(text: str) -> int:
    """A seed from 0 to 2^31 - 1 (argparse type)."""
    if not text.isdigit() or int(text) >= 2**31:
        raise argparse.ArgumentTypeError(f"'{text}' is not a seed from 0 to 2147483647")
    return int(text)


def duration(text: str) -> timedelta:
    """'30m', '1h', '1h30m', '2d' or '45' (minutes) -> a timedelta (argparse type)."""
    match = DURATION.fullmatch(text.strip().lower())
    if not match or not any(match.groups()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a duration like 30m, 1h30m or 2d")
    days, hours, minutes = (int(part or 0) for part in match.groups())
    if days > MOST_REMIND.days or hours > 24 * MOST_REMIND.days or minutes > 60 * 24 * 28:
        raise argparse.ArgumentTypeError(f"'{text}' is more than {MOST_REMIND.days} days")
    value = timedelta(days=days, hours=hours, minutes=minutes)
    if value > MOST_REMIND:
        raise argparse.ArgumentTypeError(f"'{text}' is more than {MOST_REMIND.days} days")
    return value
