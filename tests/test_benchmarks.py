"""The benchmark suite: the quick run end to end, the lenient BACP reader, the generator.

No timings are asserted: only that everything runs, the expected cases are there, and
every plan passes the independent checker.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bacp, baseline, generator
from benchmarks.__main__ import DEFAULT_SHARED
from benchmarks.files import write_catalog, write_program
from curriculum import Weights, read_catalog, read_program, solve
from tests.builders import ROOT, checked

# Three courses in two periods, with every quirk of the CSPLib files: an unclosed comment
# (the `courses` block must survive it), `%` and `//` comments, a pair with no comma
# before it, and a repeated pair. Credits 3 + 2 + 2 = 7 over 2 periods: the lower bound is
# ceil(7 / 2) = 4, reached by {intro} | {advanced, lab} (both need intro first).
QUIRKY = """\
%data file for a tiny bacp
p=2; // two periods
a=1; /* minimum load
        per period */
b=9; /* maximum load, never closed

courses = {intro, advanced ,
           lab};
credit = [3, 2,
          2];
prereq = {<advanced, intro>
          <advanced , intro>,<lab,intro>
};
"""


def test_quick_suite_runs_and_every_plan_passes_the_checker(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    cases = {row["case"]: row for row in json.loads(out.read_text())["cases"]}
    expected = {"default", "gen-25x12", "gen-50x12"}
    if (DEFAULT_SHARED / "bacp").is_dir():
        expected |= {f"{n}@{v}" for n, o in bacp.OPTIMA.items() for v in (o, o - 1)}
    else:
        assert "skipping the BACP cases" in done.stdout
        print(f"note: {DEFAULT_SHARED / 'bacp'} is absent, so the BACP cases were skipped")
    assert set(cases) == expected
    for name, row in cases.items():
        assert row["failures"] == [], name
        runs = [row, row["baseline"], row["repeatable"], row["solve"]]
        if row["expect"] == "plan":
            assert row["status"] in ("optimal", "feasible"), name
        proved = row["baseline"]["status"] in ("optimal", "infeasible")
        assert (row["repeatable"]["status"] != "skipped") == proved, name
        if not proved:
            runs.remove(row["repeatable"])
        for run in runs:
            if run["status"] in ("optimal", "feasible"):
                assert run["violations"] == 0, (name, run["solver"], run["problems"])
            else:
                assert run["status"] in ("infeasible", "unknown"), (name, run["solver"])
    assert cases["default"]["cli"]["exit"] == 0


def test_the_repeatable_baseline_gives_the_same_plan_twice() -> None:
    catalog, program = generator.generate(30, 12, 2, seed=7)
    runs = [baseline.run_repeatable(catalog, program, time_limit=30, workers=2) for _ in "ab"]
    assert [run.solver for run in runs] == ["repeatable baseline"] * 2
    assert [(run.status, run.violations) for run in runs] == [("optimal", 0)] * 2
    first, second = runs
    assert len(first.assignment) == 30
    # the same plan, found in the same deterministic time (the plans found on the way are
    # not compared: the callback that records them may see two of them as one)
    assert first.assignment == second.assignment
    assert first.dtime == second.dtime


def test_bacp_reader_forgives_the_quirks() -> None:
    data = bacp.parse(QUIRKY, name="tiny")
    assert (data.periods, data.min_load, data.max_load) == (2, 1, 9)
    assert data.min_courses is None and data.max_courses is None
    assert data.courses == ("intro", "advanced", "lab")
    assert data.credits == (3, 2, 2)
    assert data.prerequisites == (("advanced", "intro"), ("lab", "intro"))
    assert data.lower_bound == 4


def test_closed_comments_end_at_their_close_and_unclosed_ones_at_their_line() -> None:
    text = "a=1; /* two\nlines */ b=2; /* open\nc=3; /* shut */ d=4;"
    assert bacp.strip_comments(text).split() == ["a=1;", "b=2;", "c=3;", "d=4;"]


def test_bacp_reader_rejects_counts_that_differ() -> None:
    with pytest.raises(ValueError, match="3 courses but 2 credits"):
        bacp.parse(QUIRKY.replace("[3, 2,", "[3,"))


def test_bacp_instance_is_feasible_at_the_bound_and_infeasible_below() -> None:
    data = bacp.parse(QUIRKY, name="tiny")
    catalog, program = bacp.instance(data, data.lower_bound)
    plan = checked(solve(catalog, program, time_limit=10, workers=1))
    assert plan.weekly["hours"].max() == 4
    catalog, program = bacp.instance(data, data.lower_bound - 1)
    assert solve(catalog, program, time_limit=10, workers=1).status == "infeasible"


def test_generator_is_deterministic_for_a_seed() -> None:
    first = generator.generate(30, 12, 2, seed=7)
    assert generator.generate(30, 12, 2, seed=7) == first
    assert generator.generate(30, 12, 2, seed=8) != first


def test_generated_instance_is_realistic_and_feasible() -> None:
    catalog, program = generator.generate(30, 12, 2, seed=7)
    frame = catalog.frame
    assert len(frame) == 30 and program.weeks == 12 and len(program.meetings) == 2
    assert frame["hours"].between(0.5, 2).all() and (frame["hours"] * 4 % 1 == 0).all()
    assert frame["density"].between(1, 5).all()
    assert set(frame["kind"]) == {"content", "skill"}
    assert frame["prerequisites"].ne("").any() and frame["pre_service"].any()
    checked(solve(catalog, program, time_limit=10, workers=1))


def test_an_instance_written_as_files_reads_back_the_same(tmp_path: Path) -> None:
    # the time-limit cases run the command line on these files
    catalog, program = generator.generate(30, 12, 2, seed=7)
    write_catalog(catalog, tmp_path / "modules.csv")
    write_program(program, tmp_path / "program.toml")
    assert read_catalog(tmp_path / "modules.csv").modules == catalog.modules
    assert read_program(tmp_path / "program.toml") == program


def test_bacp_as_a_user_catalog_alternates_kinds_with_the_default_goals() -> None:
    # intro, advanced, lab: content, skill, content; six 5 h meetings; cap 4 as written
    data = bacp.parse(QUIRKY, name="tiny")
    catalog, program = bacp.user_instance(data, data.lower_bound)
    assert [m.kind for m in catalog.modules] == ["content", "skill", "content"]
    assert len(program.meetings) == 6 and {m.hours for m in program.meetings} == {5.0}
    assert program.limits.hours == 4 and program.weights == Weights()
    plan = checked(solve(catalog, program, time_limit=10, workers=1))
    assert plan.weekly["hours"].max() == 4
