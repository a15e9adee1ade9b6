"""Characters that are trouble in what curriculum writes: line breaks of every kind, control
characters, terminal escape sequences and text-direction overrides.

Text a user wrote (a catalog title, a facilitator's name) goes into CSV cells, calendar
TEXT and terminal lines. Each has its own trouble: a bare CR or U+2028 starts a new row or
line for some readers, an ESC byte drives the terminal, U+202E reverses what follows.
"""

from __future__ import annotations

import re

# CRLF, CR, LF, VT, FF, the file/group/record separators, NEL, LINE and PARAGRAPH SEPARATOR:
# everything `str.splitlines` breaks on.
LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# C0 and C1 control characters but tab and LF, and DEL (once line breaks are LF).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What a terminal must not receive raw: every control character but tab and LF, and the
# bidirectional overrides and isolates that reorder what is shown (CVE-2021-42574).
UNSAFE_ON_TERMINAL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def plain(text: str) -> str:
    """Every kind of line break as LF, and no other control character: text a CSV cell or a
    calendar TEXT value can hold without any reader taking it for a new row or line."""
    return CONTROL.sub("", LINE_BREAK.sub("\n", text))


def shown_safely(text: str) -> str:
    """Text for a terminal: control characters, escape sequences and direction overrides
    shown as visible escapes (ESC as ``\\x1b``, U+202E as ``\\u202e``); tab and LF kept."""
    return UNSAFE_ON_TERMINAL.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
