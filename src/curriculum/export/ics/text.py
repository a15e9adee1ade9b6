"""iCalendar TEXT escaped exactly as RFC 5545 says, working around icalendar's escaping."""

from __future__ import annotations

from icalendar import vText

from curriculum.characters import plain


class EscapedText(vText):
    """TEXT escaped exactly as RFC 5545 says, for every property (also X- ones).

    icalendar 7 turns a literal backslash-N into a line break ('C:\\New' would come out as
    'C:' and 'ew') and leaves X- properties unescaped (a newline would break the line).
    """

    def to_ical(self) -> bytes:
        """Backslash, semicolon and comma escaped; every kind of line break as backslash-n."""
        text = plain(str(self))
        for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
            text = text.replace(raw, escaped)
        return text.encode("utf-8")
