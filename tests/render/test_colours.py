"""The shared palette (render/colours.py): a colour for each kind of module, all distinct."""

from __future__ import annotations

import re

from curriculum.inputs.catalog_rows import KINDS
from curriculum.render import colours


def test_every_kind_has_its_own_colour_and_every_colour_is_a_hex_triplet() -> None:
    assert set(colours.KIND_COLOURS) == set(KINDS.values())
    named = [
        colours.CONTENT_COLOUR,
        colours.SKILL_COLOUR,
        colours.CAP_COLOUR,
        colours.RAMP_COLOUR,
        colours.DUTIES_COLOUR,
    ]
    assert all(re.fullmatch(r"#[0-9a-f]{6}", colour) for colour in named)
    assert len(set(named)) == len(named)  # nothing on a chart shares a colour
