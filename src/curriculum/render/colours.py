"""The palette every picture of a plan shares (plots and the report's chart)."""

CONTENT_COLOUR = "#4c72b0"
SKILL_COLOUR = "#dd8452"
CAP_COLOUR = "#c44e52"
RAMP_COLOUR = "#8da0cb"
DUTIES_COLOUR = "#333333"
KIND_COLOURS = {"content": CONTENT_COLOUR, "skill": SKILL_COLOUR}
