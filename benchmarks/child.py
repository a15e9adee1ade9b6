"""One measured run in a fresh process: `python -m benchmarks.child '<json request>'`.

The request names the case, the solver ("curriculum", "baseline", "repeatable" or
"solve"), the time limit, the workers and the shared folder; the last stdout line is the
JSON record, with the instance's size under "instance".
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from benchmarks import baseline, ours
from benchmarks.cases import Case, instance
from curriculum import meeting_slots

SOLVERS = {
    "curriculum": ours.run_model,
    "baseline": baseline.run,
    "repeatable": baseline.run_repeatable,
    "solve": ours.run_solve,
}


def main(request: dict[str, Any]) -> dict[str, Any]:
    """Build the instance, run the requested solver, return the record as a dict."""
    case = Case(**request["case"])
    catalog, program = instance(case, Path(request["shared"]))
    run = SOLVERS[request["solver"]]
    record = run(catalog, program, time_limit=request["time_limit"], workers=request["workers"])
    result = asdict(record)
    result["instance"] = {
        "modules": len(catalog),
        "weeks": program.weeks,
        "meetings": len(meeting_slots(program)),
        "hours": catalog.total_hours,
    }
    return result


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
