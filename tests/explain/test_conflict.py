"""A clash explained (explain/conflict.py): its headline, its rules once, and its fixes,
each naming the setting that makes it and marked when it loosens an evidence-based rule."""

from curriculum.explain import Conflict, Setting, Suggestion

WEEKS = Suggestion("add 1 week (3 in all)", (Setting("weeks", 3, "set weeks = 3 (--weeks 3)"),))
CAP = Suggestion(
    "raise the weekly cap to 5 hours",
    (Setting("load.max_hours_per_week", 5, "set max_hours_per_week = 5 in [load]"),),
    relaxes="the weekly load cap [17]",
)


def test_a_suggestion_says_what_to_do_and_what_to_set() -> None:
    assert str(WEEKS) == "add 1 week (3 in all): set weeks = 3 (--weeks 3)"
    assert WEEKS.keeps_evidence and not CAP.keeps_evidence
    assert str(CAP) == (
        "raise the weekly cap to 5 hours: set max_hours_per_week = 5 in [load] "
        "(relaxes the weekly load cap [17])"
    )


def test_a_conflict_reads_as_its_summary_its_rules_and_its_fixes() -> None:
    bare = Conflict("Weeks 1-2 allow 4 hours in all, but the 3 modules need 5 hours.")
    assert str(bare) == bare.summary
    assert bare.suggestion is None
    fixed = Conflict("Week 1 allows 2 hours.", ("week 1 allows at most 2 hours",), (WEEKS, CAP))
    assert str(fixed) == (
        "Week 1 allows 2 hours. week 1 allows at most 2 hours. "
        f"Fix (verified by re-solving): {WEEKS}. Fix (verified by re-solving): {CAP}."
    )
    assert fixed.suggestion == str(WEEKS)
