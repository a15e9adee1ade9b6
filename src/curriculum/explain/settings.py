"""What a change to the catalog or programme is, in the words a coordinator writes: each
programme key (dotted, as in the TOML file) or catalog cell whose value differs, with the
command-line option that sets it where there is one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from curriculum.explain.conflict import Setting
from curriculum.inputs.catalog import Catalog, Module
from curriculum.inputs.program import Program
from curriculum.inputs.program_toml import program_mapping, toml_value
from curriculum.units import WEEKDAY_NAMES, WEEKDAYS

OPTIONS = {"weeks": "--weeks", "start": "--start", "timezone": "--timezone"}
MODULE_FIELDS = ("pre_service", "earliest_week", "latest_week", "final", "facilitator")


def settings_between(
    catalog: Catalog,
    program: Program,
    changed_catalog: Catalog,
    changed_program: Program,
    freeze: tuple[date, date] | None = None,
) -> tuple[Setting, ...]:
    """Every value that differs from (`catalog`, `program`) to the changed ones, and a
    re-plan's freeze date when `freeze` (before, after) moved."""
    found = [*_program_settings(program, changed_program)]
    found += _catalog_settings(catalog, changed_catalog)
    if freeze is not None and freeze[0] != freeze[1]:
        text = f"use --freeze-before {freeze[1]} (not {freeze[0]})"
        found.append(Setting("freeze_before", freeze[1], text))
    return tuple(found)


def _flat(data: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """{"ramp": {"weeks": 4}} -> {"ramp.weeks": 4}; lists and the facilitators stay whole."""
    flat: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict) and key != "facilitators":
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _program_settings(before: Program, after: Program) -> list[Setting]:
    old, new = _flat(program_mapping(before)), _flat(program_mapping(after))
    found = []
    for key in [*new, *(k for k in old if k not in new)]:
        value = new.get(key)
        if old.get(key) == value:
            continue
        section, _, name = key.rpartition(".")
        if key == "meetings":
            text = _meetings_text(before, after)
        elif key == "facilitators":
            text = _facilitators_text(before, after)
        elif value is None:  # a key left out now: its default holds
            text = f"remove {name}" + (f" from [{section}]" if section else "")
        else:
            text = f"set {name} = {written(value)}" + (f" in [{section}]" if section else "")
            if key in OPTIONS:
                text += f" ({OPTIONS[key]} {value})"
        found.append(Setting(key, value, text))
    return found


def _meetings_text(before: Program, after: Program) -> str:
    """A meeting added or lengthened, as its `[[meetings]]` entry says it."""
    old = list(before.meetings)
    added = [m for m in after.meetings if m not in old]
    if len(after.meetings) > len(old):
        return "; ".join(
            f'add a [[meetings]] entry: weekday = "{WEEKDAYS[m.weekday]}", '
            f'start = "{m.start:%H:%M}", hours = {m.hours:g}'
            for m in added
        )
    return "; ".join(
        f"set hours = {m.hours:g} in the {WEEKDAY_NAMES[m.weekday]} [[meetings]] entry"
        for m in added
    )


def _facilitators_text(before: Program, after: Program) -> str:
    """Facilitators whose unavailable days no longer matter, as the tables to remove."""
    gone = [who for who in before.facilitators if who not in after.facilitators]
    tables = ", ".join(f"[facilitators.{toml_value(who)}]" for who in gone)
    return f"remove {tables}" if gone else f"set facilitators = {toml_value(after.facilitators)}"


def _catalog_settings(before: Catalog, after: Catalog) -> list[Setting]:
    found = []
    for module in after.modules:
        if module.id not in before:
            continue
        old = before[module.id]
        for name in MODULE_FIELDS:
            value = getattr(module, name)
            if getattr(old, name) != value:
                found.append(Setting(name, value, _cell_text(module, name, value), module.id))
    return found


def _cell_text(module: Module, column: str, value: object) -> str:
    if column == "facilitator" and not value:
        cell = "someone else"
    elif value is None or value == "":  # 'set latest_week = empty' was typed as the word
        return f"clear {column} for '{module.id}' in the catalog (leave its cell empty)"
    else:
        cell = written(value)
    return f"set {column} = {cell} for '{module.id}' in the catalog"


def written(value: object) -> str:
    """A value as TOML writes it, whole numbers without a decimal point (3, not 3.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return toml_value(value)
