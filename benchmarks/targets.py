"""The targets of issue 14 (and issue 12's time limits), judged from a run's rows: each
one met, not met, or not measured in this run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.bacp import OPTIMA
from benchmarks.report import LIMIT_SLACK

Row = dict[str, Any]
Verdict = tuple[bool | None, str]  # met (None: not measured), and the figures behind it


def _rows(rows: list[Row], names: list[str]) -> list[Row] | None:
    found = {row["case"]: row for row in rows}
    return [found[name] for name in names] if all(n in found for n in names) else None


def _solve(row: Row) -> dict[str, Any]:
    solve: dict[str, Any] = row["solve"]
    return solve


def _within(names: list[str], status: str, seconds: float) -> Callable[[list[Row]], Verdict]:
    def judge(rows: list[Row]) -> Verdict:
        chosen = _rows(rows, names)
        if chosen is None:
            return None, "not run"
        runs = [_solve(row) for row in chosen]
        ok = all(r["status"] == status and r["wall_s"] <= seconds for r in runs)
        if status == "infeasible":  # explained too: every clash with a verified fix
            ok = ok and all(
                r["extra"]["conflicts"] and all(r["extra"]["suggestions"]) for r in runs
            )
        figures = ", ".join(f"{r['status']} {r['wall_s']:.2f}s" for r in runs)
        return ok, figures

    return judge


def _not_slower(rows: list[Row]) -> Verdict:
    generated = [r for r in rows if r["case"].startswith(("gen-", "tight-"))]
    if not generated:
        return None, "not run"
    slower = [
        f"{r['case']} {_solve(r)['wall_s']:.2f}s vs {r['baseline']['wall_s']:.2f}s" + _repeatable(r)
        for r in generated
        if r["baseline"]["status"] in ("optimal", "feasible")
        and _solve(r)["wall_s"] > r["baseline"]["wall_s"]
    ]
    return not slower, "; ".join(slower) or f"{len(generated)} cases"


def _repeatable(row: Row) -> str:
    """The repeatable baseline's time, where it ran: the target stays the plain one's."""
    wall = row.get("repeatable", {}).get("wall_s")
    return "" if wall is None else f" (repeatable baseline {wall:.2f}s)"


def _large(rows: list[Row]) -> Verdict:
    chosen = _rows(rows, ["gen-1600x104"])
    if chosen is None:
        return None, "not run"
    run = _solve(chosen[0])
    first, gap, mib = run.get("first_plan_s"), run.get("gap"), run.get("peak_mib", 0)
    ok = first is not None and first <= 5 and gap is not None and gap <= 0.01 and mib < 2048
    shown = "none" if first is None else f"{first:.2f}s"
    gap_shown = "none" if gap is None else f"{gap:.1%}"
    return ok, f"first plan {shown}, gap {gap_shown} at {chosen[0]['time_limit']:g}s, {mib:.0f} MiB"


def _medium(rows: list[Row]) -> Verdict:
    chosen = _rows(rows, ["gen-800x104"])
    if chosen is None:
        return None, "not run"
    run = _solve(chosen[0])
    first = run.get("first_plan_s")
    ok = first is not None and first <= 2 and run["status"] == "optimal" and run["wall_s"] <= 30
    shown = "none" if first is None else f"{first:.2f}s"
    return ok, f"first plan {shown}, {run['status']} in {run['wall_s']:.2f}s"


def _limits(rows: list[Row]) -> Verdict:
    chosen = [r for r in rows if r["expect"] == "limit"]
    if not chosen:
        return None, "not run"
    bad = []
    for row in chosen:
        run, limit = _solve(row), row["time_limit"] + LIMIT_SLACK
        planned = run["status"] in ("optimal", "feasible", "refused")
        cli = row["cli"]  # a plan (exit 0), or the same refusal as solve() (exit 2)
        cli_planned = cli["exit"] == 0 or (run["status"] == "refused" and cli["exit"] == 2)
        late = run["wall_s"] > limit or cli["process_s"] > limit
        if not planned or not cli_planned or late:
            bad.append(
                f"{row['case']}: {run['status']} {run['wall_s']:.2f}s, CLI exit {cli['exit']} "
                f"{cli['process_s']:.2f}s"
            )
    return not bad, "; ".join(bad) or f"{len(chosen)} runs"


def _cli(rows: list[Row]) -> Verdict:
    chosen = _rows(rows, ["default"])
    if chosen is None or chosen[0].get("cli_over_floor") is None:
        return None, "not run"
    ratio = chosen[0]["cli_over_floor"]
    return ratio <= 1.3, f"{ratio:.2f}x the import floor"


def _bacp(cap: Callable[[int], int]) -> list[str]:
    return [f"{name}-user@{cap(optimum)}" for name, optimum in OPTIMA.items()]


TARGETS: list[tuple[str, Callable[[list[Row]], Verdict]]] = [
    (
        "BACP 8/10/12 user catalogs proven optimal within 1 s each",
        _within(_bacp(lambda o: o), "optimal", 1.0),
    ),
    (
        "one below the optimal cap, proven infeasible and explained within 1 s each",
        _within(_bacp(lambda o: o - 1), "infeasible", 1.0),
    ),
    ("the tour's what-if proven optimal within 1 s", _within(["tour-what-if"], "optimal", 1.0)),
    ("no generated case slower than the plain baseline", _not_slower),
    ("200 x 52 proven within 10 s", _within(["gen-200x52"], "optimal", 10.0)),
    ("800 x 104 first plan within 2 s and proven within 30 s", _medium),
    ("1,600 x 104 a checked plan within 5 s, within 1% of the bound at 60 s, under 2 GiB", _large),
    (
        "every time limit returns a plan (or refuses up front) within the limit + 0.5 s, solve() and CLI",
        _limits,
    ),
    ("the default `curriculum plan` at most 1.3x the import floor", _cli),
]


def judged(rows: list[Row]) -> str:
    """One line per target: met, NOT met or not run, with the figures."""
    lines = []
    for text, judge in TARGETS:
        met, figures = judge(rows)
        word = "not run" if met is None else ("met" if met else "NOT met")
        lines.append(f"[{word}] {text}: {figures}")
    return "\n".join(lines)
