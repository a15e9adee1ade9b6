"""curriculum.inputs.scenarios: scenarios from CSV and TOML files and from `--vary` text,
values read as TOML values, errors that say where."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from curriculum.errors import ScenarioError
from curriculum.inputs.program import Program
from curriculum.inputs.program_keys import program_with
from curriculum.inputs.scenarios import parse_vary, parsed_value, read_scenarios
from tests.builders import AWAY, START, TORONTO, TRAINER


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("14", 14),
        (" 3.5 ", 3.5),
        ("false", False),
        ("2027-02-15", date(2027, 2, 15)),
        ("[2027-02-15, 2027-02-16]", [date(2027, 2, 15), date(2027, 2, 16)]),
        ('"quoted"', "quoted"),
        ("tue", "tue"),  # not TOML: the text itself
        ("18:00", "18:00"),
        ("{weekday = 'sat', start = '10:00'}", {"weekday": "sat", "start": "10:00"}),
    ],
)
def test_a_value_is_read_as_toml_else_kept_as_text(text: str, value: object) -> None:
    assert parsed_value(text) == value


def test_vary_text_gives_a_key_and_its_values() -> None:
    assert parse_vary("weeks=10,12,14") == ("weeks", [10, 12, 14])
    assert parse_vary(" load.max_hours_per_week = 3, 3.5 ") == ("load.max_hours_per_week", [3, 3.5])
    # commas inside brackets belong to the value
    assert parse_vary("holidays=[2027-02-15, 2027-02-16],[]") == (
        "holidays",
        [[date(2027, 2, 15), date(2027, 2, 16)], []],
    )
    assert parse_vary("ongoing.weekday=fri") == ("ongoing.weekday", ["fri"])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("weeks", "'weeks' is not KEY=V1,V2,..."),
        ("=10,12", "'=10,12' is not KEY=V1,V2,..."),
        ("weeks=10,,12", "'weeks=10,,12' has an empty value"),
        ("weeks=", "'weeks=' has an empty value"),
        # a key no programme has would fail every scenario: refused before any is made
        ("wekks=10,12", "unknown key 'wekks'; did you mean 'weeks'?"),
        (
            "load.hours=3",
            "unknown key 'load.hours'; known keys: max_hours_per_week, "
            "max_intensity_per_week, max_modules_per_week, min_modules_per_week",
        ),
        ("meetings[1].day=tue", "unknown key 'meetings[1].day'; did you mean 'weekday'?"),
        ("weeks.foo=1", "'weeks' is not a table, so it has no key 'foo'"),
        ("ramp[1].weeks=2", "'ramp' is not a list, so it has no 'ramp[1]'"),
        (
            "holidays[0]=2027-02-16",
            "'holidays[0]': entries count from 1 ('holidays[1]' is the first)",
        ),
        ("duties.start_week[2]=3", "'start_week' is not a list, so it has no 'start_week[2]'"),
        (
            "load.max_hours_per_week.x=1",
            "'load.max_hours_per_week' is not a table, so it has no key 'x'",
        ),
        (
            "meetings.weekday=tue",
            "'meetings' is a list: name one meeting, as in 'meetings[1].weekday'",
        ),
        (
            'facilitators."Peer trainer".away=[]',
            "unknown key 'facilitators.\"Peer trainer\".away'; known keys: unavailable",
        ),
    ],
)
def test_bad_vary_text_names_the_option(text: str, words: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_vary(text)
    assert str(info.value.problems[0]) == f"command line, option '--vary': {words}" + (
        ", e.g. weeks=10,12,14" if "KEY=" in words else ""
    )


def test_a_csv_has_a_scenario_per_row_and_empty_cells_change_nothing(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.csv"
    path.write_text(
        "\ufeffweeks, load.max_hours_per_week ,meetings[3].weekday\n"
        "14,3,sat\n"
        "\n"  # a blank line is skipped
        "12,,\n"
        ',,"[1, 2]"\r\n',
        encoding="utf-8",
    )
    assert read_scenarios(path) == [
        {"weeks": 14, "load.max_hours_per_week": 3, "meetings[3].weekday": "sat"},
        {"weeks": 12},
        {"meetings[3].weekday": [1, 2]},
    ]


def test_a_toml_has_a_scenario_per_table_with_dotted_keys(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.toml"
    path.write_text(
        "[[scenario]]\n"
        "weeks = 14\n"
        "load.max_hours_per_week = 3\n"
        "[[scenario]]\n"
        "duties = false\n"
        'meetings = [{weekday = "tue", start = "18:00"}]\n'
        '"meetings[3]".weekday = "sat"\n'  # a key as a CSV header writes it
        '[scenario.facilitators."Peer trainer"]\n'
        "unavailable = [2027-03-09]\n"
        "[scenario.facilitators.dr-ng]\n"
        "unavailable = []\n",
        encoding="utf-8",
    )
    assert read_scenarios(path) == [
        {"weeks": 14, "load.max_hours_per_week": 3},
        {
            "duties": False,
            "meetings": [{"weekday": "tue", "start": "18:00"}],
            "meetings[3].weekday": "sat",
            # a name that is not a bare key is quoted, as --vary writes it
            'facilitators."Peer trainer".unavailable': [date(2027, 3, 9)],
            "facilitators.dr-ng.unavailable": [],
        },
    ]


def test_a_toml_scenario_s_facilitator_joins_the_programme_s_others(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.toml"
    path.write_text(
        '[[scenario]]\n[scenario.facilitators."Clinical supervisor"]\nunavailable = [2027-01-26]\n',
        encoding="utf-8",
    )
    base = Program(start=START, timezone=TORONTO, facilitators={TRAINER: AWAY})
    (scenario,) = read_scenarios(path)
    changed = program_with(base, scenario)
    # the base's Peer trainer is still away: the scenario adds to the table, as
    # [scenario.load] does, rather than replacing it
    assert changed.facilitators == {TRAINER: AWAY, "Clinical supervisor": (date(2027, 1, 26),)}


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("s.csv", "", "the file is empty; write a header of keys first"),
        ("s.csv", "weeks\n", "the file has a header but no scenarios"),
        ("s.csv", "weeks,,weeks\n1,2,3\n", "line 1, column '2': a column has no key"),
        (
            "s.csv",
            "weeks,weeks\n1,2\n",
            "line 1, column 'weeks': key 'weeks' is in the header twice",
        ),
        ("s.csv", "weeks\n1\n2,3\n", "line 3: 2 cells, but the header has 1 keys"),
        # a quote left open used to be read as closed: weeks = 10
        ("s.csv", 'weeks\n"10\n', "line 2: the row cannot be split into cells"),
        (
            "s.csv",
            "weeks,ramp.wekks\n1,2\n",
            "line 1, column 'ramp.wekks': unknown key 'ramp.wekks'; did you mean 'weeks'?",
        ),
        (
            "s.toml",
            "[[scenario]]\nweeks = 1\n[[scenario]]\nramp.wekks = 2\n",
            "line 4, key 'ramp.wekks': scenario 1: unknown key 'ramp.wekks'; did you mean 'weeks'?",
        ),
        ("s.toml", "weeks = 1\n", "unknown key 'weeks'; write one [[scenario]] table per scenario"),
        ("s.toml", "scenario = 1\n", "write one [[scenario]] table per scenario"),
        ("s.toml", "scenario = []\n", "the file has no [[scenario]] tables"),
        ("s.toml", "[[scenario]\n", "not valid TOML"),
        ("s.txt", "weeks\n1\n", "a scenarios file is a .csv or a .toml file"),
    ],
)
def test_a_bad_scenarios_file_says_where(tmp_path: Path, name: str, text: str, words: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        read_scenarios(path)
    assert f"{path}, {words}" in str(info.value) or f"{path}: {words}" in str(info.value)


def test_a_missing_or_undecodable_file_is_a_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read the file"):
        read_scenarios(tmp_path / "missing.csv")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("weeks,name\n1,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="the file is not UTF-8"):
        read_scenarios(latin)
