"""`curriculum publish` against a real Radicale (tests/export/caldav/radicale.py): plan
files as the command line writes them (CSV and .ics carry their programme and ledger),
a dry run, a re-plan, and the failures that exit 2 with one line and no password."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from curriculum import read_plan
from curriculum.cli import main
from curriculum.export.caldav.credentials import PASSWORD_VARIABLE
from tests.export.caldav.radicale import PASSWORD, USER, Radicale, isolate, strict_server


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Radicale]:
    isolate(monkeypatch, tmp_path / "home")
    with strict_server(tmp_path / "radicale") as running:
        yield running


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """plan.csv (the bundled catalog, Toronto, from 2027-01-11) and replan.ics (a holiday
    on Tue 2027-02-16, re-planned from 2027-02-08), written by the command line."""
    folder = tmp_path_factory.mktemp("publish")
    common = ["--start", "2027-01-11", "--timezone", "America/Toronto"]
    assert main(["plan", *common, "--csv", str(folder / "plan.csv")]) == 0
    (folder / "holiday.toml").write_text(
        'start = 2027-01-11\ntimezone = "America/Toronto"\nholidays = [2027-02-16]\n'
    )
    replan = ["replan", "--program", str(folder / "holiday.toml")]
    replan += ["--previous", str(folder / "plan.csv"), "--freeze-before", "2027-02-08"]
    assert main([*replan, "--out", str(folder / "replan.ics")]) == 0
    return folder


def publish(server: Radicale, plan: Path, *options: str) -> list[str]:
    return [
        "publish",
        str(plan),
        "--caldav",
        server.url,
        "--calendar",
        "Training",
        "--user",
        USER,
        *options,
    ]


def test_publish_a_plan_file_then_its_re_plan(
    files: Path, server: Radicale, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(publish(server, files / "plan.csv", "--create")) == 0
    out = capsys.readouterr().out
    # 36 sessions and the series (Fridays from week 10)
    assert out.startswith(
        "Calendar 'Training' (created): 37 created, 0 updated, 0 cancelled, 0 unchanged; "
        "0 other events left alone\n"
    )
    assert out.count("\n  created ") == 37

    writes = len(server.writes())
    assert main(publish(server, files / "plan.csv", "--dry-run")) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == (
        "Calendar 'Training': 0 to create, 0 to update, 0 to cancel, 37 unchanged; "
        "0 other events left alone"
    )
    assert len(server.writes()) == writes

    moved = read_plan(files / "replan.ics").diff(read_plan(files / "plan.csv"))
    assert set(moved["change"]) == {"moved"}
    assert main(publish(server, files / "replan.ics", "--dry-run")) == 0
    dry = capsys.readouterr().out
    assert len(server.writes()) == writes
    assert main(publish(server, files / "replan.ics")) == 0
    out = capsys.readouterr().out
    n = len(moved)
    assert out.splitlines()[0] == (
        f"Calendar 'Training': 0 created, {n} updated, 0 cancelled, {37 - n} unchanged; "
        "0 other events left alone"
    )
    assert dry.splitlines()[1:-1] == [
        line.replace("updated", "update ", 1) for line in out.splitlines()[1:]
    ]
    assert len(server.writes()) == writes + n


def test_a_wrong_password_exits_2_with_one_line_and_no_password(
    files: Path,
    server: Radicale,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "not the password")
    capsys.readouterr()
    assert main(publish(server, files / "plan.csv", "--create")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"error: the server at {server.url} refused the user name or password of 'alice' "
        "(HTTP 401)\n"
    )
    assert "not the password" not in captured.err and PASSWORD not in captured.err


def test_a_missing_calendar_exits_2_and_changes_nothing(
    files: Path, server: Radicale, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(publish(server, files / "plan.csv")) == 2
    assert capsys.readouterr().err == (
        f"error: no calendar 'Training' for alice at {server.url}: create it, or publish "
        "with --create (create=True)\n"
    )
    assert server.writes() == []


def test_there_is_no_password_option(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(
            [
                "publish",
                str(files / "plan.csv"),
                "--caldav",
                "https://x.org/",
                "--calendar",
                "T",
                "--password",
                "pw",
            ]
        )
    assert exit_.value.code == 2
    assert "unrecognized arguments: --password pw" in capsys.readouterr().err
