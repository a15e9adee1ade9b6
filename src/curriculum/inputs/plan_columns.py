"""The columns a plan has of its own beside the catalog's: those it adds to each session
(`curriculum.frames.SESSION_COLUMNS` holds them with the catalog's) and those of its file.
A catalog column of one of these names would collide with them, so it is refused."""

from __future__ import annotations

SESSION_OWN = ("week", "start", "end", "module", "intensity", "meeting", "location", "sequence")
# a plan CSV's per-row columns beyond the sessions' ("unedited": an event read from a calendar
# still as written)
PLAN_FILE_COLUMNS = (
    "status",
    "date",
    "start_time",
    "end_time",
    "uid",
    "fingerprint",
    "calendars",
    "unedited",
)
PLAN_OWN = (
    *SESSION_OWN,
    *PLAN_FILE_COLUMNS,
    "programme",
    "timezone",
    "settings",
    "freeze_before",
    "cohort",
)
# the modules' rules a plan file records for each session, beside its kind and hours
MODULE_RULES = ("density", "pre_service", "prerequisites", "earliest_week", "latest_week", "final")
