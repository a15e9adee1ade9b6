"""Time zones: the machine's own IANA zone as the default, and a did-you-mean for names
that are not zones."""

from __future__ import annotations

import difflib
import warnings
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import tzlocal

from curriculum.errors import ZoneWarning

UTC = "UTC"


def machine_zone() -> str:
    """This machine's IANA time zone (from TZ, /etc/localtime, ...: `tzlocal`).

    When none can be found, "UTC", with a `ZoneWarning` saying so.
    """
    try:
        name = tzlocal.get_localzone_name()
    except (ValueError, OSError, LookupError):  # an unreadable or invalid TZ setting
        name = None
    if name and zone_problem(name) is None:
        return name
    warnings.warn(
        ZoneWarning(
            "this machine's time zone could not be found, so times are in UTC; "
            "set `timezone` in the programme (or --timezone), e.g. America/Toronto"
        ),
        stacklevel=2,
    )
    return UTC


def machine_zone_quietly() -> str | None:
    """This machine's IANA zone, or None when it cannot be found (no warning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ZoneWarning)
        name = machine_zone()
    return name if name != UTC or tzlocal.get_localzone_name() else None


def zone_problem(name: object) -> str | None:
    """Why a name is not an IANA time zone (with a did-you-mean), or None when it is one."""
    if not isinstance(name, str) or not name.strip():
        return f"timezone must be an IANA name like America/Toronto, not {name!r}"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        close = _close_zones(name)
        hint = f"; did you mean {' or '.join(repr(z) for z in close)}?" if close else ""
        return f"unknown time zone '{name}'; use an IANA name like America/Toronto{hint}"
    return None


def _close_zones(name: str) -> list[str]:
    """Zones whose city part is the name ('Toronto' -> America/Toronto), else the closest."""
    wanted = name.strip().replace(" ", "_").casefold()
    by_city = [z for z in _zones() if z.rsplit("/", 1)[-1].casefold() == wanted]
    if by_city:
        return by_city[:3]
    return difflib.get_close_matches(name, _zones(), n=2, cutoff=0.75)


@cache
def _zones() -> list[str]:
    return sorted(available_timezones())
