"""Reading a cohorts file (cohorts/read.py) and what cohorts share in meetings
(cohorts/sharing.py): the example in data/, and every mistake named by file, line and key."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from curriculum import Cohort, Cohorts, Plan
from curriculum.cells import slug
from curriculum.cohorts.read import read_cohorts
from curriculum.cohorts.sharing import joint_places, overlapping_pairs
from curriculum.errors import CohortsError, ProgramError
from curriculum.export.ics.events import event_uid
from curriculum.export.ics.ledger import renumbered
from curriculum.inputs.program_toml import program_file_text
from tests.builders import ROOT

EXAMPLE = ROOT / "data" / "cohorts"


def test_the_example_reads_with_its_shared_facilitator_and_joint_module() -> None:
    cohorts = read_cohorts(EXAMPLE / "cohorts.toml")
    assert cohorts.name == "2027 training year"
    assert cohorts.names == ("Evening cohort", "Daytime cohort")
    assert cohorts.joint == ("self-care",)
    assert cohorts.shared("clinical  SUPERVISOR") is not None  # names match as people's do
    for cohort in cohorts.cohorts:
        # the cohort's name is its calendar id, and the supervisor's day away is in its programme
        assert cohort.program.id == cohort.name
        assert cohort.program.unavailable("Clinical supervisor") == (date(2027, 3, 9),)
        assert not cohort.is_committed
    # 12 Friday workshops at 14:00 in Room 2 are the only meetings both cohorts hold, and the
    # only meetings of the two that overlap in time (the others are Mon/Wed 10:00, Tue/Thu 18:00)
    places = joint_places(cohorts)["self-care"]
    assert [start.strftime("%a %H:%M") for start, _, _ in places] == ["Fri 14:00"] * 12
    pairs = list(overlapping_pairs(cohorts))
    assert len(pairs) == 12
    assert all(a[1].start == b[1].start and a[0] != b[0] for a, b in pairs)


def with_file(tmp_path: Path, text: str) -> Path:
    """The example's programmes beside a cohorts file with this text."""
    for name in ("evening.toml", "daytime.toml"):
        shutil.copy(EXAMPLE / name, tmp_path / name)
    path = tmp_path / "cohorts.toml"
    path.write_text(text, encoding="utf-8")
    return path


TWO = """
[[cohort]]
name = "Evening cohort"
program = "evening.toml"

[[cohort]]
name = "Daytime cohort"
program = "daytime.toml"
"""


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        (TWO.replace("Daytime cohort", "evening  COHORT"), 7, "cohort[2].name", "also cohort 1's"),
        (
            TWO.replace('program = "daytime.toml"', 'program = "nights.toml"'),
            8,
            "cohort[2].program",
            "no file 'nights.toml'",
        ),
        (
            TWO.replace('program = "daytime.toml"', 'program = "."'),
            8,
            "cohort[2].program",
            "'.' is a folder, not a file",  # it said "no file '.'"
        ),
        (
            TWO + '[facilitators."Clinical supervisr"]\nmax_hours_per_week = 4\n',
            9,
            'facilitators."Clinical supervisr"',
            "did you mean 'Clinical supervisor'?",
        ),
        (
            TWO + '[facilitators."Clinical supervisor"]\nmax_hours_per_week = inf\n',
            10,
            'facilitators."Clinical supervisor".max_hours_per_week',
            "from 0 to 168, not inf",
        ),
        (TWO + '[joint]\nmodules = ["no-such-module"]\n', 10, "joint.modules", "no cohort has it"),
        (
            TWO + '[joint]\nmodules = ["self-care"]\n',
            10,
            "joint.modules",
            "share no meeting at the same time and place",
        ),
        (
            TWO + '[joint]\nmodules = ["self-care"]\n',
            10,
            "joint.modules",
            "it lasts 1 h, longer than every meeting they share",
        ),
        (TWO + "[joint]\nmodule = []\n", 10, "joint.module", "did you mean 'modules'?"),
        ('name = "Year"\n', None, "cohort", "there are no cohorts"),
        (
            TWO.replace('name = "Daytime cohort"\n', ""),
            6,
            "cohort[2].name",
            "every cohort needs a name",
        ),
    ],
)
def test_mistakes_name_file_line_and_key(
    tmp_path: Path, text: str, line: int | None, key: str, words: str
) -> None:
    path = with_file(tmp_path, text)
    if "share no meeting" in words:  # the daytime cohort loses its Friday workshop
        daytime = (
            (tmp_path / "daytime.toml").read_text().split("[[meetings]]                    #")[0]
        )
        (tmp_path / "daytime.toml").write_text(daytime)
    if "longer than" in words:  # both cohorts' Friday workshop shortened to half an hour
        for name in ("evening.toml", "daytime.toml"):
            head, workshop = (
                (tmp_path / name).read_text().split("[[meetings]]                    #")
            )
            shorter = workshop.replace("hours = 2", "hours = 0.5")
            (tmp_path / name).write_text(f"{head}[[meetings]]                    #{shorter}")
    with pytest.raises(CohortsError) as info:
        read_cohorts(path)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), line, key)
    assert words in problem.message


def test_every_mistake_of_a_facilitators_table_is_named(tmp_path: Path) -> None:
    # Before: only the bad `unavailable` was named, the bad cap left to the next run
    table = '[facilitators."Clinical supervisor"]\nmax_hours_per_week = -1\nunavailable = ["mon"]\n'
    path = with_file(tmp_path, TWO + table)
    with pytest.raises(CohortsError) as info:
        read_cohorts(path)
    key = 'facilitators."Clinical supervisor"'
    assert [(p.line, p.column) for p in info.value.problems] == [
        (10, f"{key}.max_hours_per_week"),
        (11, f"{key}.unavailable"),
    ]
    assert "a list of dates like [2027-03-09], not ['mon']" in str(info.value)


def test_a_joint_module_of_different_lengths_is_named_with_each(tmp_path: Path) -> None:
    catalog = (ROOT / "data" / "modules.csv").read_text(encoding="utf-8")
    (tmp_path / "longer.csv").write_text(
        catalog.replace(
            "self-care,Self-care and burnout prevention,content,1.0",
            "self-care,Self-care and burnout prevention,content,1.5",
        ),
        encoding="utf-8",
    )
    text = TWO.replace(
        'program = "daytime.toml"', 'program = "daytime.toml"\nmodules = "longer.csv"'
    )
    path = with_file(tmp_path, text + '[joint]\nmodules = ["self-care"]\n')
    with pytest.raises(CohortsError) as info:
        read_cohorts(path)
    message = info.value.problems[0].message
    assert "in 'Evening cohort' it lasts 1 h; in 'Daytime cohort' it lasts 1.5 h" in message


def test_a_cohorts_own_file_reports_its_own_mistakes(tmp_path: Path) -> None:
    path = with_file(tmp_path, TWO)
    (tmp_path / "evening.toml").write_text("weeks = 0\n")
    with pytest.raises(ProgramError) as info:
        read_cohorts(path)
    assert info.value.problems[0].file == str(tmp_path / "evening.toml")


def test_a_cohort_given_by_its_published_plan_is_committed(
    tmp_path: Path, default_plan: Plan
) -> None:
    default_plan.to_csv(tmp_path / "published.csv")
    text = TWO.replace('program = "evening.toml"', 'plan = "published.csv"')
    cohorts = read_cohorts(with_file(tmp_path, text))
    committed = cohorts["Evening cohort"]
    assert committed.is_committed and committed.committed is not None
    assert sorted(committed.committed.sessions["module"]) == sorted(default_plan.sessions["module"])
    # the programme the plan carries, with the calendar id it was published under (it had
    # none: its name and start), not the cohort's name, so that its events keep their UIDs
    assert committed.program.start == default_plan.program.start
    assert committed.program.calendar_id == default_plan.program.calendar_id
    assert event_uid(committed.program, "orientation") == event_uid(
        default_plan.program, "orientation"
    )
    assert cohorts["Daytime cohort"].program.id == "Daytime cohort"
    assert not cohorts["Daytime cohort"].is_committed


def test_a_published_plan_that_no_longer_matches_its_catalog_is_named_with_each_change(
    tmp_path: Path, default_plan: Plan
) -> None:
    # The other cohorts are planned around the published sessions, so a catalog edited
    # since (a module gone, one longer, one led by someone else, one new) must not stand in
    # for them: each change is named, with the two ways out.
    default_plan.to_csv(tmp_path / "published.csv")
    catalog = pd.read_csv(ROOT / "data" / "modules.csv", dtype=str, keep_default_na=False)
    catalog = catalog[catalog["id"] != "peer-role"].copy()
    catalog.loc[catalog["id"] == "orientation", "hours"] = "2"
    catalog.loc[catalog["id"] == "listening-basics", "facilitator"] = "Someone new"
    new = {**catalog.iloc[-1].to_dict(), "id": "extra", "prerequisites": "", "final": ""}
    pd.concat([catalog, pd.DataFrame([new])]).to_csv(tmp_path / "now.csv", index=False)
    text = TWO.replace(
        'program = "evening.toml"',
        'program = "evening.toml"\nmodules = "now.csv"\nplan = "published.csv"',
    )
    with pytest.raises(CohortsError) as info:
        read_cohorts(with_file(tmp_path, text))
    (problem,) = info.value.problems
    assert (problem.line, problem.column) == (6, "cohort[1].plan")
    for words in (
        "'peer-role' is published but not in the catalog",
        "'extra' is in the catalog but not in the published plan",
        "'orientation' is published as 1 h, the catalog says 2 h",
        "'listening-basics' is published with facilitator 'Peer trainer', the catalog says 'Someone new'",
        "Leave out its modules to keep the cohort as published, or its plan to plan it again",
    ):
        assert words in problem.message


def test_a_plan_published_by_a_cohorts_run_keeps_the_cohort_s_name_as_calendar_id(
    tmp_path: Path, default_plan: Plan
) -> None:
    # Planned with the other cohorts, its events were named after the cohort; given again
    # by its own programme file (no id) and its published plan, it keeps those UIDs.
    named = dataclasses.replace(default_plan.program, id="Evening cohort")
    dataclasses.replace(default_plan, program=named).to_csv(tmp_path / "published.csv")
    (tmp_path / "own.toml").write_text(program_file_text(default_plan.program), encoding="utf-8")
    text = TWO.replace('program = "evening.toml"', 'program = "own.toml"\nplan = "published.csv"')
    committed = read_cohorts(with_file(tmp_path, text))["Evening cohort"]
    assert committed.is_committed and not default_plan.program.id
    assert slug(committed.program.calendar_id) == "evening-cohort"
    assert event_uid(committed.program, "orientation") == event_uid(named, "orientation")


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Spring intake, renamed"},
        {"name": "Spring intake, renamed", "organizer": "Team <team@example.org>"},
    ],
)
def test_a_published_plan_keeps_its_uids_under_a_programme_renamed_since(
    change: dict[str, str], tmp_path: Path, default_plan: Plan
) -> None:
    # Planned on its own (no id: its name and start make its UIDs), then the programme was
    # renamed (and given an organizer, whose e-mail domain new UIDs end in): given by the
    # changed file and its published plan, it keeps those UIDs.
    default_plan.to_csv(tmp_path / "published.csv")
    renamed = dataclasses.replace(default_plan.program, **change)
    (tmp_path / "own.toml").write_text(program_file_text(renamed), encoding="utf-8")
    text = TWO.replace('program = "evening.toml"', 'program = "own.toml"\nplan = "published.csv"')
    committed = read_cohorts(with_file(tmp_path, text))["Evening cohort"]
    assert committed.program.name == "Spring intake, renamed"
    assert event_uid(committed.program, "orientation") == event_uid(
        default_plan.program, "orientation"
    )


def test_two_committed_plans_published_under_one_calendar_id_are_told_apart(
    default_plan: Plan,
) -> None:
    # Both planned on their own from one programme (one name and start, no id): their
    # events share every UID, so cohorts holding both would mix them up.
    published = renumbered(default_plan, default_plan)  # as read from its file: a ledger
    cohorts = tuple(
        Cohort(name, published.catalog, published.program, committed=published)
        for name in ("Spring", "Autumn")
    )
    with pytest.raises(CohortsError) as info:
        Cohorts(cohorts=cohorts)
    message = info.value.problems[0].message
    assert f"published plan's events '{default_plan.program.calendar_id}'" in message
