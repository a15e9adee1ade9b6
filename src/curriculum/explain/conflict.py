"""A clash explained: what cannot hold together, in plain words, and what would fix it,
named as the key (or option) and value a coordinator writes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One value to write.

    key
        A programme key as dotted TOML (`weeks`, `duties.start_week`, `meetings`), a
        re-plan's `freeze_before`, or, when `module` is given, a catalog column.
    value
        The value to write there, as TOML holds it (`program_from_mapping` reads it).
    text
        What to do, in words: "set weeks = 14 (--weeks 14)", "set start_week = 6 in
        [duties]", "remove [facilitators."Nurse"]".
    module
        The id of the module whose catalog row changes ('' for the programme).
    """

    key: str
    value: object
    text: str
    module: str = ""

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Suggestion:
    """A change verified by re-solving: what to do, and the settings that do it.

    `relaxes` names the evidence-based rule the change loosens ('' when it keeps them all).
    """

    action: str
    settings: tuple[Setting, ...] = ()
    relaxes: str = ""

    @property
    def keeps_evidence(self) -> bool:
        """Whether every evidence-based rule still holds after the change."""
        return not self.relaxes

    def __str__(self) -> str:
        how = "; ".join(str(setting) for setting in self.settings)
        text = f"{self.action}: {how}" if how else self.action
        if self.relaxes:
            text += f" (relaxes {self.relaxes})"
        return text


@dataclass(frozen=True)
class Conflict:
    """Rules that cannot all hold: a headline, one line per rule (each rule once), and
    changes verified by re-solving, those that keep the evidence first."""

    summary: str
    rules: tuple[str, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()

    @property
    def suggestion(self) -> str | None:
        """The first suggestion, in words (None when no change was verified)."""
        return str(self.suggestions[0]) if self.suggestions else None

    def __str__(self) -> str:
        text = self.summary
        if self.rules:
            text += " " + "; ".join(self.rules) + "."
        for suggestion in self.suggestions:
            text += f" Fix (verified by re-solving): {suggestion}."
        return text


@dataclass(frozen=True)
class Explanation:
    """Why no plan exists: the clashes, one change that fixes all of them when one was
    found (verified by re-solving), and whether time ran out before the end."""

    conflicts: tuple[Conflict, ...]
    fix: Suggestion | None = None
    cut: bool = False
