"""What planning several cohorts returns: status, each cohort's plan, every session with its
cohort, the facilitators' weekly load, and the conflicts when there are no plans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from curriculum.cells import name_key
from curriculum.cohorts.checks import check_shared
from curriculum.errors import InfeasibleError
from curriculum.explain import Conflict, Suggestion
from curriculum.export.atomic import write_all_atomically
from curriculum.export.caldav.publish import Publication, publish_plans
from curriculum.export.csv import safe_csv, sessions_table
from curriculum.export.ics.write import export_stamp, facilitators_across, named_files
from curriculum.goals import score
from curriculum.inputs.cohorts import Cohorts
from curriculum.meetings import ongoing_times
from curriculum.plan import Plan
from curriculum.render.cohorts_notebook import cohorts_result_html
from curriculum.render.cohorts_report import (
    CohortsReportData,
    cohorts_handout_html,
    cohorts_report_html,
)
from curriculum.render.page import write_page
from curriculum.render.report import ReportData
from curriculum.result import Status, relative_gap, search_facts
from curriculum.units import calendar_monday, hours_text

LOAD_COLUMNS = ("facilitator", "week", "hours", "cap", "cohorts")
# what the load counts of each session, a weekly ongoing one included (with no module)
SERIES_COLUMNS = ("cohort", "module", "start", "end", "hours", "facilitator")


@dataclass(frozen=True)
class CohortsResult:
    """The cohorts' plans (`plans`, by cohort name) or, with none, why (`conflicts`, and a
    verified `fix` when one change fixes them).

    `objective` sums every cohort's goals and the facilitator-load goal, in hours.
    """

    status: Status
    objective: float | None
    bound: float | None
    runtime: float
    cohorts: Cohorts = field(repr=False)
    plans: Mapping[str, Plan] = field(default_factory=dict, repr=False)
    conflicts: tuple[Conflict, ...] = ()
    fix: Suggestion | None = None
    warnings: tuple[str, ...] = ()
    interrupted: bool = False
    deterministic_time: float = 0.0  # CP-SAT's measure of the search's work (summed)

    @property
    def has_plans(self) -> bool:
        """Whether every cohort has a plan."""
        return bool(self.plans)

    def plan(self, cohort: str) -> Plan:
        """One cohort's plan; raises InfeasibleError (with the conflicts) when there is none."""
        return self._planned()[cohort]

    @property
    def sessions(self) -> pd.DataFrame:
        """Every cohort's sessions in time order, with a first column `cohort` (a joint
        session appears once per cohort)."""
        frames = [plan.sessions.assign(cohort=name) for name, plan in self.plans.items()]
        if not frames:
            empty: pd.DataFrame = pd.DataFrame(columns=["cohort"])
            return empty
        frame: pd.DataFrame = pd.concat(frames, ignore_index=True)
        frame = frame[["cohort", *[c for c in frame.columns if c != "cohort"]]]
        ordered: pd.DataFrame = frame.sort_values(
            ["start", "cohort"], kind="stable", ignore_index=True
        )
        return ordered

    def check(self) -> list[str]:
        """Every rule the plans break, each cohort's own (prefixed with its name) and the
        shared ones, re-derived from the sessions; [] when none. Raises InfeasibleError
        (with the conflicts) when there are no plans."""
        own = [f"{name}: {p}" for name, plan in self._planned().items() for p in plan.check()]
        return [*own, *check_shared(self.sessions, self.cohorts)]

    @property
    def facilitator_load(self) -> pd.DataFrame:
        """Each facilitator's hours per calendar week (from its Monday) across cohorts, a
        joint session once, their weekly ongoing sessions (supervision) included, one held
        for several cohorts once; their cap where the cohorts file sets one, and the cohorts
        taught."""
        sessions = self.sessions
        if sessions.empty:
            empty: pd.DataFrame = pd.DataFrame(columns=LOAD_COLUMNS)
            return empty
        series = self._series()
        sessions = pd.concat([sessions[list(SERIES_COLUMNS)], series])
        sessions = sessions[sessions["facilitator"].astype(str).str.strip() != ""].copy()
        day = sessions["start"].map(lambda t: t.date())
        sessions["week"] = day.map(calendar_monday)
        sessions["who"] = sessions["facilitator"].map(name_key)
        joint = sessions["module"].isin(self.cohorts.joint) | sessions["module"].isna()
        once = sessions[joint].drop_duplicates(["module", "start", "end", "who"])
        taught = pd.concat([sessions[~joint], once])
        rows = []
        for (_, week), group in taught.groupby(["who", "week"], sort=True):
            who = str(group["facilitator"].iloc[0])
            limits = self.cohorts.shared(who)
            cohorts = sessions[(sessions["who"] == name_key(who)) & (sessions["week"] == week)]
            rows.append(
                {
                    "facilitator": who,
                    "week": week,
                    "hours": float(group["hours"].sum()),
                    "cap": limits.max_hours_per_week if limits else None,
                    "cohorts": ";".join(sorted(set(cohorts["cohort"]))),
                }
            )
        load: pd.DataFrame = pd.DataFrame(rows, columns=LOAD_COLUMNS)
        return load

    def _series(self) -> pd.DataFrame:
        """Every planned cohort's weekly ongoing sessions led by someone, as sessions with no
        module (those of several cohorts at one time and place are one, held together)."""
        rows = [
            {
                "cohort": name,
                "module": None,
                "start": pd.Timestamp(start),
                "end": pd.Timestamp(end),
                "hours": ongoing.hours,
                "facilitator": ongoing.facilitator,
            }
            for name, plan in self._planned().items()
            if (ongoing := plan.program.ongoing) is not None and ongoing.facilitator.strip()
            for start, end in ongoing_times(plan.program)
        ]
        frame: pd.DataFrame = pd.DataFrame(rows, columns=list(SERIES_COLUMNS))
        return frame

    # ------------------------------------------------------------------ outputs

    def to_csv(self, path: str | Path | None = None) -> str:
        """Every cohort's sessions as one CSV (the columns of `Plan.to_csv` after a first
        column `cohort`), written atomically when a path is given."""
        frames = [
            sessions_table(plan).assign(cohort=name) for name, plan in self._planned().items()
        ]
        frame = pd.concat(frames, ignore_index=True)
        frame = frame[["cohort", *[c for c in frame.columns if c != "cohort"]]]
        return safe_csv(frame, path)

    def calendars(
        self,
        folder: str | Path,
        *,
        by: str | None = None,
        remind: timedelta | None = None,
        stamp: datetime | None = None,
    ) -> dict[Path, bytes]:
        """The calendars as ``folder/<name>.ics`` paths and their bytes: one per cohort, or
        with ``by="facilitator"`` one per facilitator holding their sessions of every
        cohort (a joint session once). `write_calendars` writes them."""
        plans = self._planned()
        if by == "facilitator":
            mine = facilitators_across(
                list(plans.values()), self.cohorts.name, remind=remind, stamp=stamp
            )
            return named_files(mine, folder, "facilitator")
        if by is not None:
            raise ValueError(f"by must be None or 'facilitator', not {by!r}")
        each = {name: plan.to_ics(remind=remind, stamp=stamp) for name, plan in plans.items()}
        return named_files(each, folder, "cohort")

    def write_calendars(
        self,
        folder: str | Path,
        *,
        by: str | None = None,
        remind: timedelta | None = None,
        stamp: datetime | None = None,
    ) -> list[Path]:
        """Write `calendars` into `folder` (created when missing) as a set: all or none."""
        files = self.calendars(folder, by=by, remind=remind, stamp=stamp)
        Path(folder).mkdir(parents=True, exist_ok=True)
        write_all_atomically(files)
        return list(files)

    def to_html(self, path: str | Path | None = None) -> str:
        """The report of every cohort as one printable HTML file (written atomically when
        a path is given): the cohorts, the facilitators' weekly load across them, then
        each cohort's own report; with no plans, why and the fix."""
        generated = export_stamp()
        reports = []
        for cohort in self.cohorts.cohorts:
            plan = self.plans.get(cohort.name)
            program = cohort.program
            mine = tuple(w for w in self.warnings if w.startswith(f"{cohort.name}: "))
            reports.append(
                (
                    cohort.name,
                    ReportData(
                        program,
                        cohort.catalog,
                        plan=plan,
                        status=str(self.status),
                        goals=score(plan.sessions, plan.weekly, program) if plan else {},
                        warnings=mine,
                        broken=plan.check() if plan else (),
                        generated=generated.astimezone(program.zone),
                    ),
                )
            )
        data = CohortsReportData(
            self.cohorts.name,
            str(self.status),
            reports,
            self.facilitator_load,
            self.conflicts,
            self.fix,
            generated,
        )
        return write_page(cohorts_report_html(data), path)

    def to_handout(self, path: str | Path | None = None) -> str:
        """Every cohort's trainee handout, each from a new page, as one HTML file."""
        plans = list(self._planned().values())
        return write_page(cohorts_handout_html(self.cohorts.name, plans), path)

    def publish(
        self,
        calendar: str | None = None,
        *,
        url: str,
        user: str | None = None,
        password: str | None = None,
        by: str | None = None,
        create: bool = False,
        dry_run: bool = False,
    ) -> Publication:
        """Put the cohorts' plans on the CalDAV server at `url` in one go, each calendar
        synced as `Plan.publish` does (create what is new, update what changed, cancel
        what was removed, touch nothing else); what it did, calendar by calendar.

        Each cohort's plan goes to a calendar named after the cohort, or
        ``"<calendar> — <cohort>"`` when `calendar` is given. With ``by="facilitator"``,
        one calendar per facilitator holds their sessions of every cohort (a joint session
        once), named ``"<calendar> — <facilitator>"``, `calendar` defaulting to the
        cohorts' name (as `write_calendars` names them). See
        `curriculum.export.caldav.publish.publish_plans`.
        """
        return publish_plans(
            self._planned(),
            self.cohorts.name,
            calendar,
            url=url,
            user=user,
            password=password,
            by=by,
            create=create,
            dry_run=dry_run,
        )

    @property
    def gap(self) -> float | None:
        """Relative distance between objective and bound (0 when proven optimal)."""
        return relative_gap(self.objective, self.bound)

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) pairs: status, objective, bound, gap, runtime (and interrupted)."""
        return search_facts(self.status, self.objective, self.bound, self.runtime, self.interrupted)

    def _repr_html_(self) -> str:
        plans = [
            (
                name,
                len(plan.sessions),
                f"{hours_text(float(plan.sessions['hours'].sum()))} h",
                *(f"{moment:%a %d %b %Y %H:%M}" for moment in _first_and_last(plan)),
            )
            for name, plan in self.plans.items()
        ]
        return cohorts_result_html(
            f"Cohorts '{self.cohorts.name}': {self.status}",
            self.facts(),
            self.warnings,
            plans,
            self.facilitator_load if self.plans else pd.DataFrame(),
            self.conflicts,
            self.fix,
        )

    def _planned(self) -> Mapping[str, Plan]:
        if not self.plans:
            raise InfeasibleError(self.conflicts or (f"no plans found ({self.status})",))
        return self.plans

    def __str__(self) -> str:
        lines = [f"Cohorts '{self.cohorts.name}': {self.status}"]
        if self.objective is not None:
            lines.append(f"Objective {self.objective:g} (bound {self.bound:g})")
        for name, plan in self.plans.items():
            lines.append(f"  {name}: {len(plan.sessions)} sessions")
        lines += [f"  - {c}" for c in self.conflicts]
        if self.fix:
            lines.append(f"Fix (verified by re-solving): {self.fix}")
        return "\n".join(lines)


def _first_and_last(plan: Plan) -> tuple[datetime, datetime]:
    """The start of a plan's first session and of its last."""
    starts = plan.sessions["start"]
    return starts.min().to_pydatetime(), starts.max().to_pydatetime()
