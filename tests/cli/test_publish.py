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
from tests.builders import tiny_cohort_files
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


# -- --cohorts: the plans a cohorts file holds as published ---------------------------------

COHORT = '[[cohort]]\nname = "{name}"\nprogram = "{id}.toml"\nmodules = "{id}.csv"\n'
NAMES = (("Spring", "a"), ("Autumn", "b"))


def cohorts_file(folder: Path, published: tuple[str, ...]) -> Path:
    """cohorts.toml in `folder`: the two cohorts, each named in `published` with its plan
    (plans/<cohort>.ics)."""
    text = 'name = "Tiny year"\n'
    for name, module_id in NAMES:
        text += COHORT.format(name=name, id=module_id)
        if name in published:
            text += f'plan = "plans/{name.lower()}.ics"\n'
    path = folder / "cohorts.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cohorts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """cohorts.toml naming each cohort's plan: plans/spring.ics and plans/autumn.ics, as
    `plan --cohorts --out plans` writes them (each checked)."""
    folder = tmp_path_factory.mktemp("cohorts")
    tiny_cohort_files(folder, NAMES)
    planning = cohorts_file(folder, ())
    assert main(["plan", "--cohorts", str(planning), "--out", str(folder / "plans")]) == 0
    for name, _ in NAMES:
        assert read_plan(folder / "plans" / f"{name.lower()}.ics").check() == []
    return cohorts_file(folder, ("Spring", "Autumn"))


def publish_cohorts(server: Radicale, path: Path, *options: str) -> list[str]:
    return ["publish", "--cohorts", str(path), "--caldav", server.url, "--user", USER, *options]


def test_publish_the_cohorts_plans_by_cohort_then_by_facilitator(
    cohorts: Path, server: Radicale, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(publish_cohorts(server, cohorts, "--create")) == 0
    captured = capsys.readouterr()
    assert captured.err == ""  # every rule holds: no warning
    heads = [line for line in captured.out.splitlines() if line.startswith("Calendar")]
    assert heads == [
        f"Calendar '{name}' (created): 1 created, 0 updated, 0 cancelled, 0 unchanged; "
        "0 other events left alone"
        for name in ("Spring", "Autumn")
    ]
    assert main(publish_cohorts(server, cohorts, "--by", "facilitator", "--create")) == 0
    assert capsys.readouterr().out.startswith(
        "Calendar 'Tiny year — Sam' (created): 2 created, 0 updated, 0 cancelled, "
        "0 unchanged; 0 other events left alone\n"
    )
    assert len(server.stored(USER, "tiny-year-sam")) == 2
    writes = len(server.writes())
    again = publish_cohorts(server, cohorts, "--by", "facilitator", "--calendar", "Tiny year")
    assert main(again) == 0
    assert capsys.readouterr().out.startswith(
        "Calendar 'Tiny year — Sam': 0 created, 0 updated, 0 cancelled, 2 unchanged;"
    )
    prefixed = publish_cohorts(server, cohorts, "--calendar", "Year", "--create", "--dry-run")
    assert main(prefixed) == 0
    out = capsys.readouterr().out
    assert "Calendar 'Year — Spring' (would be created): 1 to create," in out
    assert len(server.writes()) == writes


def test_a_cohort_without_its_plan_file_exits_2_naming_file_line_and_cohort(
    cohorts: Path, server: Radicale, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("a.toml", "a.csv", "b.toml", "b.csv", "plans/spring.ics"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes((cohorts.parent / name).read_bytes())
    path = cohorts_file(tmp_path, ("Spring",))
    capsys.readouterr()
    assert main(publish_cohorts(server, path, "--create")) == 2
    err = capsys.readouterr().err
    assert f"{path}, line 7, key 'cohort[2].plan'" in err  # its [[cohort]] line
    assert "cohort 'Autumn' has no plan file to publish" in err
    assert server.writes() == []


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["plan.csv"], "argument PLAN: not allowed with argument --cohorts"),
        (["--cohorts", "c.toml", "--modules", "m.csv"], "--modules cannot be used with --cohorts"),
    ],
)
def test_a_plan_file_and_cohorts_together_exit_2(
    cohorts: Path,
    server: Radicale,
    options: list[str],
    words: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["publish", "--cohorts", str(cohorts), "--caldav", server.url, *options]
    try:
        code = main(argv)
    except SystemExit as exited:  # argparse's own errors
        code = int(str(exited.code))
    assert code == 2
    assert words in capsys.readouterr().err


def test_publish_needs_a_plan_file_or_cohorts_and_a_plan_file_needs_a_calendar(
    files: Path, server: Radicale, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["publish", "--caldav", server.url])
    assert exited.value.code == 2
    assert "one of the arguments PLAN --cohorts is required" in capsys.readouterr().err
    assert main(["publish", str(files / "plan.csv"), "--caldav", server.url]) == 2
    assert "publishing a plan file needs --calendar NAME" in capsys.readouterr().err
