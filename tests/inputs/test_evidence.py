"""The review's references as data (inputs/evidence.py, data/evidence.toml): the file says
where it comes from, every reference number from 1 to 21 is there once, and every number
the bundled catalog cites has its entry."""

from __future__ import annotations

from curriculum import read_catalog
from curriculum.inputs.bundled import bundled_path
from curriculum.inputs.evidence import citations, read_evidence


def test_the_file_says_where_it_comes_from() -> None:
    text = bundled_path("evidence.toml").read_text(encoding="utf-8")
    assert "EVIDENCE.md" in text.split("[review]")[0]


def test_the_review_and_every_reference_number_once() -> None:
    evidence = read_evidence()
    assert evidence.series == "Rapid Review #76" and evidence.date == "December 2013"
    assert evidence.title == (
        "How to support and facilitate peer engagement in service provision roles"
    )
    numbers = [n for reference in evidence.references for n in reference.numbers]
    assert sorted(numbers) == list(range(1, 22))
    # the four the review cites only for general points stay one entry, as it says them
    (general,) = [r for r in evidence.references if len(r.numbers) > 1]
    assert general.numbers == (10, 13, 14, 16) and general.text.startswith("Cited for general")


def test_every_number_the_catalog_cites_has_an_entry() -> None:
    cited = set().union(*(citations(m.evidence) for m in read_catalog().modules))
    assert cited and cited <= {n for r in read_evidence().references for n in r.numbers}
    assert citations("[4][17] and [19]") == {4, 17, 19}
