"""iCalendar TEXT escaped exactly as RFC 5545 says, working around icalendar's escaping."""

from __future__ import annotations

import re

from icalendar import vText

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class EscapedText(vText):
    """TEXT escaped exactly as RFC 5545 says, for every property (also X- ones).

    icalendar 7 turns a literal backslash-N into a line break ('C:\\New' would come out as
    'C:' and 'ew') and leaves X- properties unescaped (a newline would break the line).
    """

    def to_ical(self) -> bytes:
        """Backslash, semicolon and comma escaped; line breaks as backslash-n."""
        text = clean(str(self))
        for plain, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(plain, escaped)
        return text.encode("utf-8")


def clean(text: str) -> str:
    """Line breaks as LF and no other control characters (TEXT may not hold them)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
