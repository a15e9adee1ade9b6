"""Run libical's RFC 5546 restriction check on one .ics file; print JSON.

Must run under Debian's /usr/bin/python3 (needs python3-gi + gir1.2-ical-3.0).
Usage: /usr/bin/python3 libical_check.py FILE.ics
"""

import json
import sys
from pathlib import Path

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I  # noqa: E402

K = I.ComponentKind
P = I.PropertyKind


def errors_in(comp, path):
    """Collect X-LIC-ERROR properties of comp and its sub-components (recursively)."""
    out = []
    prop = comp.get_first_property(P.XLICERROR_PROPERTY)
    while prop is not None:
        par = prop.get_first_parameter(I.ParameterKind.XLICERRORTYPE_PARAMETER)
        out.append(
            {
                "component": path,
                # e.g. INVALID-ITIP, VALUE-PARSE-ERROR, PROPERTY-PARSE-ERROR
                "type": par.as_ical_string().split("=", 1)[1].strip() if par is not None else None,
                "message": prop.get_xlicerror(),
            }
        )
        prop = comp.get_next_property(P.XLICERROR_PROPERTY)
    sub = comp.get_first_component(K.ANY_COMPONENT)
    i = 0
    while sub is not None:
        out.extend(errors_in(sub, f"{path}/{I.Component.kind_to_string(sub.isa())}[{i}]"))
        i += 1
        sub = comp.get_next_component(K.ANY_COMPONENT)
    return out


def component_label(comp):
    kind = I.Component.kind_to_string(comp.isa())
    uid = comp.get_first_property(P.UID_PROPERTY)
    tzid = comp.get_first_property(P.TZID_PROPERTY)
    if uid is not None:
        return f"{kind} UID={uid.get_uid()}"
    if tzid is not None:
        return f"{kind} TZID={tzid.get_tzid()}"
    return kind


def main(path):
    text = Path(path).read_text(encoding="utf-8")
    try:  # PyGObject raises TypeError("constructor returned NULL") on unparsable input
        cal = I.Component.new_from_string(text)
    except TypeError:
        cal = None
    if cal is None:
        print(
            json.dumps(
                {
                    "ok": False,
                    "parse_errors": [{"message": "libical could not parse the file"}],
                    "restriction_errors": [],
                }
            )
        )
        return
    if cal.isa() != K.VCALENDAR_COMPONENT:
        print(
            json.dumps(
                {
                    "ok": False,
                    "parse_errors": [
                        {
                            "message": "top-level component is "
                            + I.Component.kind_to_string(cal.isa())
                        }
                    ],
                    "restriction_errors": [],
                }
            )
        )
        return
    # 1. errors the parser itself inserted (bad values, unknown lines, ...)
    parse_errors = errors_in(cal, "VCALENDAR")
    cal.strip_errors()
    # 2. restriction check. libical 3.0's icalrestriction_check() evaluates
    #    `valid = valid && check(inner)`, so it STOPS at the first failing inner
    #    component. To see every failure, check each inner component in its own
    #    copy of the calendar (same top-level properties: METHOD, VERSION, ...).
    restriction_errors = []
    inner = []
    sub = cal.get_first_component(K.ANY_COMPONENT)
    while sub is not None:
        inner.append(sub)
        sub = cal.get_next_component(K.ANY_COMPONENT)
    method = cal.get_first_property(P.METHOD_PROPERTY)
    # 2a. the VCALENDAR's own properties (PRODID, VERSION, METHOD, CALSCALE ...)
    top = cal.clone()
    s = top.get_first_component(K.ANY_COMPONENT)
    while s is not None:  # keep top-level properties only
        top.remove_component(s)
        s = top.get_first_component(K.ANY_COMPONENT)
    valid_all = bool(I.restriction_check(top))
    restriction_errors.extend(errors_in(top, "VCALENDAR"))
    # 2b. each inner component, in a minimal valid VCALENDAR carrying the same
    #     METHOD (a failing top level would short-circuit the inner checks too)
    for idx, comp in enumerate(inner):
        one = I.Component.new_vcalendar()
        one.add_property(I.Property.new_version("2.0"))
        one.add_property(I.Property.new_prodid("-//restriction-check//EN"))
        if method is not None:
            one.add_property(method.clone())
        one.add_component(comp.clone())
        valid_all = bool(I.restriction_check(one)) and valid_all
        label = component_label(comp)
        for err in errors_in(one, "VCALENDAR"):
            err["component"] = f"VCALENDAR/{label}[{idx}]" + err["component"].split("]", 1)[1]
            restriction_errors.append(err)
    # libical repeats some messages (e.g. DTEND+DURATION once per table row): dedupe
    seen = set()
    restriction_errors = [
        e
        for e in restriction_errors
        if (k := (e["component"], e["type"], e["message"])) not in seen and not seen.add(k)
    ]
    print(
        json.dumps(
            {
                "ok": valid_all and not parse_errors and not restriction_errors,
                "method": method.get_value_as_string() if method is not None else None,
                "parse_errors": parse_errors,
                "restriction_errors": restriction_errors,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
