"""The review behind the defaults and the bundled catalog, and its numbered references,
read from the bundled `evidence.toml` (a copy of what the project brief, EVIDENCE.md,
records of each reference, and no more)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from curriculum.inputs.bundled import bundled_path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CITATION = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class Reference:
    """What the review says of one reference number (or of a few cited together)."""

    numbers: tuple[int, ...]
    text: str

    @property
    def label(self) -> str:
        """'[17]', or '[10] [13] [14] [16]'."""
        return " ".join(f"[{n}]" for n in self.numbers)


@dataclass(frozen=True)
class Evidence:
    """The review (title, series, date, question, what it searched) and its references."""

    title: str
    series: str
    date: str
    question: str
    searched: str
    references: tuple[Reference, ...]

    def cited(self, numbers: Iterable[int]) -> list[Reference]:
        """The references among `numbers`, in the review's order."""
        wanted = set(numbers)
        return [r for r in self.references if wanted.intersection(r.numbers)]


def citations(text: str) -> set[int]:
    """The reference numbers a text cites as [n]."""
    return {int(number) for number in CITATION.findall(text)}


@cache
def read_evidence() -> Evidence:
    """The bundled review and references (read once)."""
    data = tomllib.loads(bundled_path("evidence.toml").read_text(encoding="utf-8"))
    review = data["review"]
    references = tuple(
        Reference(tuple(item["numbers"]), item["text"]) for item in data["reference"]
    )
    return Evidence(
        review["title"],
        review["series"],
        review["date"],
        review["question"],
        review["searched"],
        references,
    )
