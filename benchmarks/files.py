"""A catalog and a programme written back as the files a user would give the command line."""

from __future__ import annotations

from pathlib import Path

from curriculum import Catalog, Program
from curriculum.inputs.catalog import text_frame
from curriculum.inputs.program_toml import program_file_text


def write_catalog(catalog: Catalog, path: Path) -> None:
    """Write the catalog as catalog CSV."""
    text_frame(catalog).to_csv(path, index=False)


def write_program(program: Program, path: Path) -> None:
    """Write the programme as a TOML file."""
    path.write_text(program_file_text(program), encoding="utf-8")
