"""What the command prints, made safe for the terminal it lands on: escape sequences and other
control characters from a catalog shown as text, not obeyed; characters the terminal's
encoding cannot show replaced, not raised as an error."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from typing import TextIO

from curriculum.characters import shown_safely


class SafeStream(io.TextIOBase):
    """A text stream that writes through to `stream`, every control character (but tab and
    LF) shown as an escape, and what its encoding lacks as '?'."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._encoding = getattr(stream, "encoding", None) or "utf-8"

    def write(self, text: str) -> int:
        shown = shown_safely(text).encode(self._encoding, "replace").decode(self._encoding)
        self.stream.write(shown)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()


def unfiltered(stream: TextIO) -> TextIO:
    """The stream beneath a `SafeStream`: for the control codes the command writes on
    purpose (the progress line)."""
    return stream.stream if isinstance(stream, SafeStream) else stream


@contextlib.contextmanager
def safe_terminal() -> Iterator[None]:
    """Within: `sys.stdout` and `sys.stderr` are `SafeStream`s."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
