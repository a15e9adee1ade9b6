"""A clash explained (explain/conflict.py): its summary, and the verified suggestion."""

from __future__ import annotations

from curriculum import Conflict


def test_a_conflict_reads_as_its_summary_and_its_suggestion() -> None:
    bare = Conflict("Weeks 1-2 allow 4 hours in all, but the 3 modules need 5 hours.")
    assert str(bare) == bare.summary
    fixed = Conflict("Week 1 allows 2 hours.", ("week 1 allows at most 2 hours",), "add 1 week")
    assert str(fixed) == "Week 1 allows 2 hours. Suggestion (verified by re-solving): add 1 week."
    assert fixed.rules == ("week 1 allows at most 2 hours",)
