"""The Jupyter tour runs top to bottom in this interpreter and leaves no files behind."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.builders import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOKS = ROOT / "notebooks"
TOUR = NOTEBOOKS / "tour.ipynb"
CELL_TIMEOUT = 180  # seconds; the slowest cells, the sweep and the impossible cohorts, take 20


def code_cells(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def text(outputs: list[nbformat.NotebookNode]) -> str:
    """What a cell printed and the plain text of what it showed, in order."""
    return "".join(
        out.text if out.output_type == "stream" else out.data.get("text/plain", "")
        for out in outputs
    )


def test_tour_is_stored_without_outputs() -> None:
    notebook = nbformat.read(TOUR, as_version=4)
    nbformat.validate(notebook)
    cells = code_cells(notebook)
    assert cells
    assert all(cell.outputs == [] and cell.execution_count is None for cell in cells)
    assert notebook.metadata.kernelspec.name == "python3"


def test_tour_runs_in_this_interpreter_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = nbformat.read(TOUR, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)"))
    work, scratch = tmp_path / "work", tmp_path / "tmp"
    work.mkdir()
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))  # the kernel's tempfile.mkdtemp lands here
    before = sorted(NOTEBOOKS.iterdir())

    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(work)}},
    )
    client.execute()  # raises CellExecutionError, with the traceback, if any cell fails

    cells = code_cells(notebook)
    errors = [out for cell in cells for out in cell.outputs if out.output_type == "error"]
    assert errors == []
    assert cells[0].outputs[0].text.strip() == sys.prefix  # the kernel is this venv's Python
    export = next(cell for cell in cells if "to_html" in cell.source)
    for name in ("tour.ics", "report.html", "handout.html", "why-no-plan.html"):
        assert name in export.outputs[0].data["text/plain"]
    shown = {cell.source.splitlines()[-1]: cell.outputs for cell in cells if cell.outputs}
    assert "<h4>Catalog: 36 modules" in shown["catalog"][0].data["text/html"]
    assert "<h4>Programme: " in shown["program"][0].data["text/html"]
    assert "Hours each week, of what the week can hold" in shown["comparison"][0].data["text/html"]
    assert "image/png" in shown["plot.comparison(comparison);"][0].data
    assert (
        shown["setting.key, setting.value"][0]
        .data["text/plain"]
        .startswith("('duties.start_week', ")
    )
    # several cohorts: shown as tables, both planned and checked (the cell asserts it),
    # self-care once for both at the same time, the supervisor's load drawn, and a cap of
    # 1 h explained by the clashing rules
    cohorts = shown[next(line for line in shown if line.startswith("cohorts  # "))]
    assert (
        "<h4>Cohorts: 2027 training year, 2 planned together</h4>" in cohorts[0].data["text/html"]
    )
    together = shown[next(line for line in shown if line.startswith("both  # "))][0].data
    assert re.search(
        r"<h4>Cohorts &#x27;2027 training year&#x27;: (optimal|feasible)</h4>",
        together["text/html"],
    )
    assert "<td>Clinical supervisor</td>" in together["text/html"]
    joint = text(shown['joint[["cohort", "week", "start", "end", "location", "facilitator"]]'])
    assert "Evening cohort" in joint and "Daytime cohort" in joint
    assert "Clinical supervisor" in text(shown["supervisor"])
    assert "image/png" in shown["plot.facilitator_load(load);"][0].data
    overbooked = text(shown["print(overbooked)"])
    assert "Cohorts '2027 training year': infeasible" in overbooked
    assert "Clinical supervisor would need 29.5 h in the 12 weeks from 2027-01-11" in overbooked
    assert "Fix (verified by re-solving): let Clinical supervisor teach up to" in overbooked
    enough = text(shown["print(enough)"])
    assert re.search(r"^Cohorts '2027 training year': (optimal|feasible)$", enough, re.M)
    assert list(scratch.glob("curriculum-tour-*")) == []  # the tour removed its directory
    assert list(work.iterdir()) == []
    assert sorted(NOTEBOOKS.iterdir()) == before
