"""Where the data files shipped with the package live: in the installed wheel
(`curriculum/data/`), or in a source checkout (`data/` at the repository's root)."""

from __future__ import annotations

from pathlib import Path


def bundled_path(name: str) -> Path:
    """The path of a bundled data file, e.g. `modules.csv` or `evidence.toml`."""
    package = Path(__file__).resolve().parents[1]  # curriculum/, above inputs/
    packaged = package / "data" / name
    if packaged.is_file():
        return packaged
    return package.parents[1] / "data" / name
