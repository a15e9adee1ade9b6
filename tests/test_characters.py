"""Characters that are trouble (characters.py): every line break as LF and no control
characters for files; visible escapes for a terminal."""

from __future__ import annotations

import pytest

from curriculum.characters import plain, shown_safely


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CR LF and a lone CR become LF; NUL, BEL, ESC and DEL go; a tab stays
        ("a\r\nb\rc\x00d\x07e\tf\x1bg\x7fh", "a\nb\ncde\tfgh"),
        # VT, FF, the separators, NEL, U+2028 and U+2029 are line breaks too
        ("1\x0b2\x0c3\x1c4\x1d5\x1e6\x857\u20288\u20299", "1\n2\n3\n4\n5\n6\n7\n8\n9"),
        # C1 controls (0x9b is a one-byte CSI to some terminals) go
        ("x\x9b31my\x80z", "x31myz"),
        ("café 🌱 ‘quoted’", "café 🌱 ‘quoted’"),
    ],
)
def test_plain_text_has_one_kind_of_line_break_and_no_controls(text: str, expected: str) -> None:
    assert plain(text) == expected
    assert plain(expected) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),  # colour codes do nothing
        ("\x1b]8;;http://evil\x07link", "\\x1b]8;;http://evil\\x07link"),  # no hyperlink
        ("over\rwritten", "over\\rwritten".replace("\\r", "\\x0d")),  # no return to column 0
        ("abc\u202edcba", "abc\\u202edcba"),  # no right-to-left override
        ("x\x9b2Jy", "x\\x9b2Jy"),
        ("line one\n\tline two", "line one\n\tline two"),  # our own layout stays
        ("a\u2028b", "a\\u2028b"),
    ],
)
def test_a_terminal_sees_escapes_as_text(text: str, shown: str) -> None:
    assert shown_safely(text) == shown
