"""A plan: which module is taught when, as pandas frames, with an independent check and
its exports (each written from the frames by the module that owns that output)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from curriculum.checks import check_plan
from curriculum.errors import PublishError
from curriculum.export.caldav.publish import Publication, publish_plans, publish_to
from curriculum.export.csv import sessions_csv
from curriculum.export.ics.write import plan_to_ics, write_by_facilitator
from curriculum.frames import PlanData, diff_frame, session_frame, weekly_frame
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program
from curriculum.meetings import Slot
from curriculum.render.handout import handout_html
from curriculum.render.notebook import plan_html
from curriculum.render.page import write_page


class Plan(PlanData):
    """A scheduled programme: `sessions` (one row per module block) and `weekly` totals,
    with its check and exports (its data is `PlanData`'s: `cancelled` lists modules a
    re-plan removed, and its weekly series if it dropped it, `frozen` what it kept because
    it had happened, `events` its calendar events so far).
    """

    @classmethod
    def from_assignment(
        cls,
        catalog: Catalog,
        program: Program,
        assignment: Mapping[str, int],
        *,
        slots: Sequence[Slot] | None = None,
        fixed_times: Mapping[str, tuple[Any, Any]] | None = None,
        kept_times: Mapping[str, tuple[Any, Any]] | None = None,
    ) -> Plan:
        """Lay modules out in their meetings (module id -> meeting index), back to back.

        `slots` replaces the programme's meetings (re-planning adds stand-ins for the past);
        `fixed_times` keeps some modules at exactly the start and end they had, `kept_times`
        others at theirs where their meeting's order allows (`session_frame`).
        """
        frame = session_frame(catalog, program, assignment, slots, fixed_times, kept_times)
        return cls(catalog, program, frame)

    @property
    def sessions(self) -> pd.DataFrame:
        """One row per module block (`curriculum.frames.SESSION_COLUMNS`, then the catalog's
        extra columns): a copy, so that editing it (a column added, times converted) leaves
        the plan, its check and its exports as they are."""
        frame: pd.DataFrame = self.__dict__["sessions"].copy()
        return frame

    @sessions.setter
    def sessions(self, frame: pd.DataFrame) -> None:
        # set once, by the dataclass's __init__ (which frozen instances go through)
        self.__dict__["sessions"] = frame

    @property
    def weekly(self) -> pd.DataFrame:
        """One row per week (`curriculum.frames.WEEKLY_COLUMNS` says what each holds):

        week, hours, content_hours, skill_hours, content_share (to 2 decimals), intensity
        (Σ hours × density), modules (how many), max_hours and max_intensity (the week's
        caps), meeting_hours (its meetings' length, less holidays), usable_hours (what the
        week can really hold: the least of its cap and its meetings) and ramp.
        """
        return weekly_frame(self.sessions, self.program)

    def check(self) -> list[str]:
        """Every hard rule this plan breaks, re-derived from the frames; [] when none."""
        return check_plan(
            self.sessions,
            self.catalog,
            self.program,
            frozen=self.frozen,
            freeze_before=self.freeze_before,
        )

    def diff(self, other: Plan) -> pd.DataFrame:
        """What moved, appeared or disappeared going from `other` (earlier) to this plan."""
        return diff_frame(other.sessions, self.sessions)

    def to_ics(
        self,
        path: str | Path | None = None,
        *,
        remind: timedelta | None = None,
        stamp: datetime | None = None,
    ) -> bytes:
        """The plan as an RFC 5545 calendar (written atomically when a path is given);
        `remind` adds reminders, `stamp` sets DTSTAMP (default: `SOURCE_DATE_EPOCH`, else
        now)."""
        return plan_to_ics(self, path, remind=remind, stamp=stamp)

    def to_ics_by_facilitator(
        self,
        folder: str | Path,
        *,
        remind: timedelta | None = None,
        stamp: datetime | None = None,
    ) -> list[Path]:
        """One calendar per facilitator in `folder` (each written atomically); the paths."""
        return write_by_facilitator(self, folder, remind=remind, stamp=stamp)

    def publish(
        self,
        calendar: object,
        *,
        url: str | None = None,
        user: str | None = None,
        password: str | None = None,
        by: str | None = None,
        create: bool = False,
        dry_run: bool = False,
    ) -> Publication:
        """Put the plan's events on a CalDAV server (Nextcloud, Radicale, ...): create what
        is new, update what changed (SEQUENCE raised, ETag-guarded), cancel what was
        removed, touch nothing else; the same plan twice changes nothing.

        `calendar` is a `caldav.Calendar` already connected (its client's credentials are
        used, nothing else is needed), or a calendar's name on the server at `url` (with
        ``by="facilitator"``, each facilitator's is ``"<calendar> — <name>"``); the
        password, when not given, comes from `CURRICULUM_CALDAV_PASSWORD` or ~/.netrc.
        `create` makes missing calendars, `dry_run` only reports. Needs
        ``pip install "curriculum[caldav]"``; see
        `curriculum.export.caldav.publish.publish_plans`.

        Raises
        ------
        PublishError
            As `publish_plans`; and when a name comes with no `url`, or a connected
            calendar with options only a name takes.
        """
        if not isinstance(calendar, str):
            given = [
                k
                for k, v in (
                    ("url", url),
                    ("user", user),
                    ("password", password),
                    ("by", by),
                    ("create", create),
                )
                if v
            ]
            if given:
                raise PublishError(
                    f"{', '.join(given)} cannot be used with a connected caldav.Calendar: "
                    "its client says where and as whom"
                )
            return publish_to(self, calendar, dry_run=dry_run)
        if url is None:
            raise PublishError(
                f"url is needed to publish to the calendar named '{calendar}' (the server's "
                "address), or pass a connected caldav.Calendar"
            )
        return publish_plans(
            {calendar: self},
            calendar,
            url=url,
            user=user,
            password=password,
            by=by,
            create=create,
            dry_run=dry_run,
        )

    def to_handout(self, path: str | Path | None = None) -> str:
        """The trainees' handout: a printable HTML page with every session's date, time,
        place, title, description and who leads it, holidays and supervision, and no
        scheduling terms (written atomically when a path is given)."""
        return write_page(handout_html(self), path)

    def to_csv(self, path: str | Path | None = None) -> str:
        """The sessions as CSV text (written atomically when a path is given)."""
        return sessions_csv(self, path)

    def _repr_html_(self) -> str:
        return plan_html(self.sessions, self.weekly, self.program)

    def __repr__(self) -> str:
        return (
            f"Plan({self.program.name!r}: {len(self.sessions)} sessions over "
            f"{self.program.weeks} weeks, {self.sessions['hours'].sum():g} h)"
        )
