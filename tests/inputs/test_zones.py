"""Time zones (inputs/zones.py): the machine's own zone by default, UTC only when asked for
or when none can be found (with a warning), and a did-you-mean for names that are not zones."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import tzlocal

from curriculum import Program, ProgramError
from curriculum.errors import ZoneWarning
from curriculum.inputs.zones import machine_zone, zone_problem
from tests.builders import START


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> object:
    """Set TZ for this test (tzlocal caches the zone it finds, so it is reloaded)."""

    def set_zone(value: str) -> None:
        monkeypatch.setenv("TZ", value)
        tzlocal.reload_localzone()

    yield set_zone
    monkeypatch.undo()
    tzlocal.reload_localzone()


def test_the_machine_zone_is_the_default(zone: object) -> None:
    zone("America/Toronto")  # type: ignore[operator]
    assert machine_zone() == "America/Toronto"
    assert Program(start=START).timezone == "America/Toronto"
    assert Program(start=START, timezone="UTC").timezone == "UTC"  # UTC when asked for


def test_no_zone_found_means_utc_with_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: None)
    with pytest.warns(ZoneWarning, match="could not be found, so times are in UTC"):
        assert machine_zone() == "UTC"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Program(start=START, timezone="Europe/London")  # given: no search, no warning


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Toronto", "did you mean 'America/Toronto'?"),
        ("Mars/Olympus_Mons", ""),
        ("America/Torronto", "did you mean 'America/Toronto'"),
    ],
)
def test_unknown_zones_get_a_did_you_mean(name: str, hint: str) -> None:
    problem = zone_problem(name) or ""
    assert f"unknown time zone '{name}'" in problem and hint in problem
    with pytest.raises(ProgramError, match="unknown time zone") as error:
        Program(start=START, timezone=name)
    assert "key 'timezone'" in str(error.value)


def test_the_readme_command_in_toronto_writes_local_times_and_says_so(tmp_path: Path) -> None:
    # The README's first command, run where TZ says America/Toronto: 18:00 local meetings,
    # written with TZID=America/Toronto, and the summary names the zone.
    env = {"TZ": "America/Toronto", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "curriculum.cli",
            "plan",
            "--start",
            "2027-01-11",
            "--out",
            "plan.ics",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Times are local to America/Toronto (this computer's time zone)." in done.stdout
    assert "Tue 12 Jan 18:00" in done.stdout
    text = (tmp_path / "plan.ics").read_text()
    assert "DTSTART;TZID=America/Toronto:20270112T180000" in text
