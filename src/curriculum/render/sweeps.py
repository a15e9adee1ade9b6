"""A sweep of scenarios for people: the notebook table, the heat map's cells, and the
self-contained page that compares the scenarios with each plan's weekly load.

Renderers take the sweep's frame (`curriculum.sweep.Sweep.frame`), never the solver; every
piece of text is escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from curriculum.cells import is_missing, is_number
from curriculum.export.atomic import write_atomically
from curriculum.html import table
from curriculum.inputs.program import Program
from curriculum.inputs.program_keys import plain_value
from curriculum.inputs.program_toml import toml_value
from curriculum.render.chart import weekly_load_svg
from curriculum.render.report import CSS

PLANNED = ("optimal", "feasible")
LOW, HIGH = (232, 245, 233), (198, 40, 40)  # the heat map's colours: best pale, worst red
NO_PLAN = "#d9d9d9"
DARK = 0.6  # cells beyond this share of the way from the lowest to the highest value
SWEEP_CSS = """
table.heat { width: auto; }
table.heat td { text-align: center; font-variant-numeric: tabular-nums; min-width: 5rem; }
table.heat th { white-space: nowrap; }
.wide { overflow-x: auto; }
table.scenarios { font-size: .85em; }
table.scenarios td { font-variant-numeric: tabular-nums; white-space: nowrap; }
.panels { display: grid; grid-template-columns: repeat(auto-fill, minmax(24rem, 1fr));
  gap: 0 1.5rem; }
section.scenario h3 { font-size: 1rem; margin: .8rem 0 0; }
section.scenario { break-inside: avoid; page-break-inside: avoid; }
"""


@dataclass(frozen=True)
class HeatGrid:
    """A value over two varied keys: `xs` across, `ys` down (one row, "", when only one key
    varies). Each cell holds the lowest value among its scenarios (None when none has one)
    and its text: the number, or why there is none ("infeasible", "error", ...)."""

    x: str
    y: str | None
    value: str
    xs: tuple[str, ...]
    ys: tuple[str, ...]
    numbers: tuple[tuple[float | None, ...], ...]
    texts: tuple[tuple[str, ...], ...]

    @property
    def span(self) -> tuple[float, float]:
        """The lowest and the highest value (0 and 0 when no cell has one)."""
        known = [number for row in self.numbers for number in row if number is not None]
        return (min(known), max(known)) if known else (0.0, 0.0)

    def dark(self, number: float | None) -> bool:
        """Whether a cell's colour is dark enough to want white text on it."""
        low, high = self.span
        return number is not None and high > low and number - low > DARK * (high - low)


@dataclass(frozen=True)
class PlanPanel:
    """One scenario's plan on the page: its heading, weekly frame and programme."""

    heading: str
    weekly: pd.DataFrame
    program: Program


@dataclass(frozen=True)
class SweepPage:
    """What the page shows: a title and a sentence about the sweep, its frame, the heat
    map (None when nothing varies), each plan's panel, and what did not plan."""

    title: str
    lede: str
    frame: pd.DataFrame
    grid: HeatGrid | None
    panels: Sequence[PlanPanel]
    missing: Sequence[tuple[str, str]] = ()  # (scenario heading, why there is no plan)


def heat_grid(frame: pd.DataFrame, x: str, y: str | None, value: str) -> HeatGrid:
    """The cells of a heat map of `value` over the keys `x` and `y` of a sweep's frame.

    Where several scenarios share a cell (more keys vary than the two shown), the cell
    holds the lowest value among them and says so; scenarios share a cell only when their
    values of `x` and `y` are equal, not merely shown alike.
    """
    for key in (x, y, value):
        if key is not None and key not in frame.columns:
            raise KeyError(f"'{key}' is not a column of the sweep (columns: {list(frame)})")
    xs, x_labels = _axis(frame[x])
    ys, y_labels = _axis(frame[y] if y is not None else pd.Series("", index=frame.index))
    numbers, texts = [], []
    for row in dict.fromkeys(ys):
        number_row, text_row = [], []
        for column in dict.fromkeys(xs):
            group = frame[(xs == column) & (ys == row)]
            number, text = _cell(group, value)
            number_row.append(number)
            text_row.append(text)
        numbers.append(tuple(number_row))
        texts.append(tuple(text_row))
    return HeatGrid(x, y, value, x_labels, y_labels, tuple(numbers), tuple(texts))


def _cell(group: pd.DataFrame, value: str) -> tuple[float | None, str]:
    if group.empty:
        return None, ""
    known = pd.to_numeric(group[value], errors="coerce").dropna()
    if known.empty:
        statuses = list(dict.fromkeys(group["status"]))
        return None, " / ".join(statuses)
    best = float(known.min())
    many = f" (best of {len(group)})" if len(group) > 1 else ""
    return best, f"{best:g}{many}"


def _axis(column: pd.Series) -> tuple[pd.Series, tuple[str, ...]]:
    """Each row's value exactly (as its TOML text), and the label of each distinct value in
    order: its cell text, or its exact text where two values would look alike."""
    exact: pd.Series = column.map(written_text)
    labels = {key: cell_text(value) for key, value in zip(exact, column)}
    seen = Counter(labels.values())
    return exact, tuple(label if seen[label] == 1 else key for key, label in labels.items())


def written_text(value: object) -> str:
    """A value as a user writes it in TOML: `[2027-02-16, 2027-02-18]`, `true`,
    `{"Peer trainer" = {"unavailable" = [2027-01-26]}}`, `"text"`; the programme's own
    dataclasses as their tables; what TOML cannot write as Python shows it."""
    try:
        return toml_value(plain_value(value))
    except TypeError:
        return str(value)


def as_written(value: object) -> object:
    """A varied value for a table or a CSV: text, numbers and missing values as they are,
    anything else (lists, tables, flags, dates, times) as its TOML text (`written_text`)."""
    if isinstance(value, str) or is_number(value) or is_missing(value):
        return value
    return written_text(value)


def cell_text(value: object) -> str:
    """A frame cell as text: numbers short, a missing value as '—', lists and tables as
    TOML writes them."""
    shown = as_written(value)
    if is_missing(shown):
        return "—"
    if isinstance(shown, float):
        return f"{shown:g}"
    return str(shown)


def shade(number: float | None, low: float, high: float) -> str:
    """The colour of a cell: pale for the lowest value, red for the highest, grey for none."""
    if number is None:
        return NO_PLAN
    share = 0.0 if high <= low else (number - low) / (high - low)
    channels = (round(a + (b - a) * share) for a, b in zip(LOW, HIGH))
    return "#{:02x}{:02x}{:02x}".format(*channels)


def heat_table(grid: HeatGrid) -> str:
    """The heat map as an HTML table of coloured cells."""
    low, high = grid.span
    corner = f"{grid.y} ↓ / {grid.x} →" if grid.y else grid.x
    head = f"<th>{escape(corner)}</th>" + "".join(f"<th>{escape(x)}</th>" for x in grid.xs)
    rows = []
    for label, numbers, texts in zip(grid.ys, grid.numbers, grid.texts):
        cells = "".join(
            f'<td style="background:{shade(number, low, high)}'
            f'{";color:#fff" if grid.dark(number) else ""}">{escape(text)}</td>'
            for number, text in zip(numbers, texts)
        )
        rows.append(f"<tr><th>{escape(label or grid.value)}</th>{cells}</tr>")
    return (
        f'<table class="heat"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def sweep_html(frame: pd.DataFrame, summary: str) -> str:
    """The notebook display: a sentence, then one row per scenario."""
    return (
        f'<div class="curriculum"><h4>{escape(summary)}</h4>'
        f"{_frame_table(frame, css_class='scenarios')}</div>"
    )


def _frame_table(frame: pd.DataFrame, css_class: str) -> str:
    headers = ["scenario", *map(str, frame.columns)]
    rows = [
        [str(index), *(cell_text(value) for value in row)]
        for index, row in zip(frame.index, frame.itertuples(index=False))
    ]
    return table(headers, rows, css_class=css_class)


def write_sweep_page(page: SweepPage, path: str | Path) -> str:
    """Write the page to `path` (atomically) and return its HTML."""
    text = sweep_page_html(page)
    write_atomically(path, text.encode("utf-8"))
    return text


def sweep_page_html(page: SweepPage) -> str:
    """The whole comparison as one HTML document (inline CSS and SVG, nothing fetched)."""
    parts = [f"<h1>{escape(page.title)}</h1>", f'<p class="lede">{escape(page.lede)}</p>']
    if page.grid is not None:
        parts.append(
            f"<h2>{escape(page.grid.value)} by scenario</h2>{heat_table(page.grid)}"
            '<p class="meta">Grey: no plan (the cell says why). Pale is the lowest value, '
            "red the highest.</p>"
        )
    numbers = page.frame.drop(columns=["explanation", "error"])
    parts.append(f'<h2>Scenarios</h2><div class="wide">{_frame_table(numbers, "scenarios")}</div>')
    if page.missing:
        items = "".join(
            f"<li><strong>{escape(heading)}</strong>: {escape(why)}</li>"
            for heading, why in page.missing
        )
        parts.append(f"<h2>Scenarios without a plan</h2><ul>{items}</ul>")
    if page.panels:
        charts = "".join(
            f'<section class="scenario"><h3>{escape(panel.heading)}</h3><figure>'
            f"{weekly_load_svg(panel.weekly, panel.program)}</figure></section>"
            for panel in page.panels
        )
        parts.append(f'<h2>Weekly load of each plan</h2><div class="panels">{charts}</div>')
    parts.append("<footer>Made with curriculum.</footer>")
    title = escape(page.title)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{CSS}{SWEEP_CSS}</style>\n</head>\n"
        f"<body>\n{''.join(parts)}\n</body>\n</html>\n"
    )


def sweep_text(frame: pd.DataFrame, summary: str) -> str:
    """For the terminal: the sentence, one line per scenario (the varied values, status,
    objective and its goals, weeks used, busiest week, seconds), then why each scenario
    without a plan has none (and what stopped a search early)."""
    shown = frame.drop(columns=["explanation", "error"]).assign(runtime=frame["runtime"].round(2))
    table_text = shown.map(cell_text).to_string()
    notes = [
        f"scenario {index}: {error or explanation}"
        for index, status, error, explanation in zip(
            frame.index, frame["status"], frame["error"], frame["explanation"]
        )
        if (error or explanation) and status != "cancelled"  # its status says it all
    ]
    return "\n".join([summary, "", table_text, *([""] if notes else []), *notes])
