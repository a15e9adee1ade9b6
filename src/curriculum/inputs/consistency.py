"""What the catalog and the programme must agree on: each is valid alone, but a module
must fit a meeting and avoid only weeks the programme has, and a facilitator the programme
names must lead some module."""

from __future__ import annotations

import difflib

from curriculum.cells import name_key
from curriculum.errors import CatalogError, Problem, ProgramError
from curriculum.inputs.catalog import Catalog
from curriculum.inputs.program import Program, ongoing_overlaps
from curriculum.inputs.program_toml import toml_value
from curriculum.inputs.toml_lines import line_of
from curriculum.units import hours_text


def check_together(catalog: Catalog, program: Program, *, planning: bool = True) -> None:
    """Raise CatalogError (modules longer than every meeting, weeks to avoid outside the
    programme) or ProgramError (facilitators no module names; when `planning`, ongoing
    sessions at a time a meeting takes, which no plan can keep: a plan file read as it is
    has them judged by its checks instead) listing every such problem, each located in
    its file."""
    longest = max((m.quarters for m in program.meetings), default=0)
    too_long = [
        catalog.problem(
            module.id,
            "hours",
            f"module '{module.id}' lasts {hours_text(module.hours)} h, longer than every "
            f"meeting of the programme (the longest is {hours_text(longest / 4)} h); a module "
            "is taught in one meeting",
        )
        for module in catalog.modules
        if module.quarters > longest
    ]
    outside = [
        catalog.problem(
            module.id,
            "avoid_weeks",
            f"module '{module.id}' avoids week {week}, outside the programme's weeks "
            f"1-{program.weeks}",
        )
        for module in catalog.modules
        for week in module.avoid_weeks
        if week > program.weeks
    ]
    if too_long or outside:
        raise CatalogError([*too_long, *outside])
    unknown = [
        _unknown_facilitator(who, catalog, program)
        for who in program.facilitators
        if name_key(who) not in {name_key(f) for f in catalog.facilitators}
    ]
    overlaps = ongoing_overlaps(program) if planning else []
    problems = unknown + [
        Problem(
            program.source,
            message,
            line=line_of(key, program.lines),
            column=key,
            column_label="key",
        )
        for key, message in overlaps
    ]
    if problems:
        raise ProgramError(problems)


def _unknown_facilitator(who: str, catalog: Catalog, program: Program) -> Problem:
    key = f"facilitators.{toml_value(who)}"
    known = catalog.facilitators
    close = difflib.get_close_matches(who, known, n=1, cutoff=0.6)
    if close:
        hint = f"; did you mean '{close[0]}'?"
    elif known:
        hint = f"; the catalog's facilitators are {', '.join(repr(k) for k in known)}"
    else:
        hint = "; the catalog names no facilitators"
    return Problem(
        program.source,
        f"no module in the catalog is led by '{who}', so their unavailable days would "
        f"change nothing{hint}",
        line=line_of(key, program.lines),
        column=key,
        column_label="key",
    )
