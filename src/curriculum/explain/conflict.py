"""A clash explained: what cannot hold together, in plain words, and what would fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Conflict:
    """Rules that cannot all hold, in plain words, with a relaxation verified by re-solving."""

    summary: str
    rules: tuple[str, ...] = ()
    suggestion: str | None = None

    def __str__(self) -> str:
        text = self.summary
        if self.suggestion:
            text += f" Suggestion (verified by re-solving): {self.suggestion}."
        return text
