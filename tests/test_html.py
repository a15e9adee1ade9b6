"""HTML building blocks (html.py): every header, cell, label and heading escaped."""

from curriculum.html import box, facts, heading, table


def test_tables_and_headings_escape_what_they_show() -> None:
    assert heading("a < b", level=5) == "<h5>a &lt; b</h5>"
    assert table(("x&y",), [("<i>",)], foot=("total",)) == (
        "<table><thead><tr><th>x&amp;y</th></tr></thead><tbody><tr><td>&lt;i&gt;</td></tr>"
        "</tbody><tfoot><tr><td>total</td></tr></tfoot></table>"
    )
    shown = facts([("<k>", "<v>")])
    assert "&lt;k&gt;" in shown and "&lt;v&gt;" in shown and "<k>" not in shown
    assert box(["<p>1</p>", "<p>2</p>"]) == '<div class="curriculum"><p>1</p><p>2</p></div>'
