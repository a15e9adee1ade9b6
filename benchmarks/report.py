"""The printed table (aligned columns) and the JSON file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

Row = dict[str, Any]
LIMIT_SLACK = 0.5  # seconds past the time limit a run may take (issue 12's target)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _times(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x"


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _number_2(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _violations(row: Row) -> str:
    return "/".join(
        "-" if run.get("violations") is None else str(run["violations"])
        for run in (row, row["baseline"], row["repeatable"], row["solve"])
    )


def note(row: Row) -> str:
    """Extra facts: CLI vs import floor, `solve()` with its explanation, failures."""
    parts = []
    if "cli_over_floor" in row:
        parts.append(
            f"cli {row['cli']['process_s']:.2f}s = {_times(row['cli_over_floor'])} "
            f"import floor {row['floor']['process_s']:.2f}s"
        )
    full = row["solve"]
    if row["expect"] == "limit":
        cli = row["cli"]["process_s"]
        within = (
            full["wall_s"] <= row["time_limit"] + LIMIT_SLACK
            and cli <= row["time_limit"] + LIMIT_SLACK
        )
        parts.append(
            f"solve() returned in {full['wall_s']:.2f}s, the CLI exited in {cli:.2f}s "
            f"(exit {row['cli']['exit']}): {'within' if within else 'NOT within'} the limit + "
            f"{LIMIT_SLACK:g}s"
        )
        if full["status"] == "refused":
            parts.append("refused up front: " + full["extra"]["error"].splitlines()[-1].strip())
    if full["status"] == "infeasible":
        runtime = full.get("extra", {}).get("runtime_s")
        parts.append(f"solve(): proven and explained in {_seconds(runtime)}s")
    parts += [f"FAIL {text}" for text in row.get("failures", [])]
    return "; ".join(parts)


COLUMNS: list[tuple[str, Callable[[Row], str]]] = [
    ("case", lambda r: r["case"]),
    ("mods", lambda r: str(r.get("modules", "-"))),
    ("wks", lambda r: str(r.get("weeks", "-"))),
    ("meet", lambda r: str(r.get("meetings", "-"))),
    ("limit", lambda r: f"{r['time_limit']:g}"),
    ("status", lambda r: r["status"]),
    ("b.status", lambda r: r["baseline"]["status"]),
    ("r.status", lambda r: r["repeatable"]["status"]),
    ("first", lambda r: _seconds(r.get("first_plan_s"))),
    ("b.first", lambda r: _seconds(r["baseline"].get("first_plan_s"))),
    ("first c/b", lambda r: _times(r["ratio"]["first_plan"])),
    ("wall", lambda r: _seconds(r.get("wall_s"))),
    ("b.wall", lambda r: _seconds(r["baseline"].get("wall_s"))),
    ("wall c/b", lambda r: _times(r["ratio"]["wall"])),
    ("s.first", lambda r: _seconds(r["solve"].get("first_plan_s"))),
    ("solve()", lambda r: _seconds(r["solve"].get("wall_s"))),
    ("s/b", lambda r: _times(r["ratio"].get("solve_wall"))),
    ("r.wall", lambda r: _seconds(r["repeatable"].get("wall_s"))),
    ("s/r", lambda r: _times(r["ratio"].get("solve_repeatable"))),
    ("s.dtime", lambda r: _number_2(r["solve"].get("dtime"))),
    ("b.dtime", lambda r: _number_2(r["baseline"].get("dtime"))),
    ("r.dtime", lambda r: _number_2(r["repeatable"].get("dtime"))),
    ("s.status", lambda r: r["solve"]["status"]),
    ("obj", lambda r: _number(r.get("objective"))),
    ("b.obj", lambda r: _number(r["baseline"].get("objective"))),
    ("s.obj", lambda r: _number(r["solve"].get("objective"))),
    ("bound", lambda r: _number(r.get("bound"))),
    ("gap", lambda r: _percent(r.get("gap"))),
    ("MiB", lambda r: _mib(r.get("peak_mib"))),
    ("b.MiB", lambda r: _mib(r["baseline"].get("peak_mib"))),
    ("s.MiB", lambda r: _mib(r["solve"].get("peak_mib"))),
    ("viol c/b/r/s", _violations),
    ("note", note),
]
LEGEND = (
    "c = curriculum model alone (weekly PlanModel + curriculum.cpsat.solver.search_solver), "
    "b = plain baseline, r = the same in CP-SAT's repeatable (interleaved) mode, which "
    "solve() keeps (run where b proved its answer), "
    "s = the public curriculum.solve() (warm start, search phases, "
    "packing, and the explanation when infeasible); times in seconds from the start of model "
    "building (first = first plan, for s the completed warm start; wall = build + search, or "
    "the proof of infeasibility); MiB = peak resident memory of each solver's process; "
    "viol = independent checker violations; obj = solver objective (Σ weight × goal); "
    "dtime = CP-SAT's deterministic time (the same on a busy machine, unlike wall times)."
)


def table(rows: list[Row]) -> str:
    """The rows as a table with aligned columns (text left, figures right)."""
    cells = [[render(row) for _, render in COLUMNS] for row in rows]
    headers = [name for name, _ in COLUMNS]
    widths = [max(len(text) for text in column) for column in zip(headers, *cells)]
    left = {"case", "status", "b.status", "r.status", "s.status", "note"}

    def line(texts: list[str]) -> str:
        parts = [
            text.ljust(width) if name in left else text.rjust(width)
            for (name, _), text, width in zip(COLUMNS, texts, widths)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), rule, *(line(c) for c in cells)])


def progress(row: Row, position: str) -> str:
    """A one-line summary of a finished case."""
    base = row["baseline"]
    return (
        f"[{position}] {row['case']}: curriculum {row['status']} first {_seconds(row.get('first_plan_s'))}s "
        f"wall {_seconds(row.get('wall_s'))}s; baseline {base['status']} "
        f"first {_seconds(base.get('first_plan_s'))}s wall {_seconds(base.get('wall_s'))}s; "
        f"repeatable baseline {row['repeatable']['status']} "
        f"wall {_seconds(row['repeatable'].get('wall_s'))}s; "
        f"solve() {row['solve']['status']} first {_seconds(row['solve'].get('first_plan_s'))}s "
        f"wall {_seconds(row['solve'].get('wall_s'))}s {_mib(row['solve'].get('peak_mib'))} MiB; "
        f"violations {_violations(row)}" + (f"; {note(row)}" if note(row) else "")
    )


def write_json(path: Path, meta: dict[str, Any], rows: list[Row]) -> None:
    """Write the run's settings and every case's figures."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"meta": meta, "cases": rows}, indent=2) + "\n", encoding="utf-8")
