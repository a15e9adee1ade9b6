"""HTML building blocks any floor may use for its notebook display: a heading, an escaped
table, a table of facts, and the box that holds them. Every header and cell is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape


def heading(text: str, level: int = 4) -> str:
    """`<h4>text</h4>`, escaped."""
    return f"<h{level}>{escape(text)}</h{level}>"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    css_class: str = "",
    foot: Sequence[object] = (),
) -> str:
    """An HTML table (with an optional footer row); every header and cell is escaped."""
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(row(cells) for cells in rows)
    footer = f"<tfoot>{row(foot)}</tfoot>" if foot else ""
    attribute = f' class="{escape(css_class)}"' if css_class else ""
    return f"<table{attribute}><thead><tr>{head}</tr></thead><tbody>{body}</tbody>{footer}</table>"


def row(cells: Sequence[object]) -> str:
    """One table row, every cell escaped."""
    return "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in cells) + "</tr>"


def facts(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column table: a label (header cell) and its value on each row."""
    rows = "".join(
        f'<tr><th style="text-align: left">{escape(label)}</th>'
        f'<td style="text-align: left">{escape(value)}</td></tr>'
        for label, value in pairs
    )
    return f"<table><tbody>{rows}</tbody></table>"


def box(parts: Sequence[str]) -> str:
    """The notebook display's outer `<div>`."""
    return '<div class="curriculum">' + "".join(parts) + "</div>"
