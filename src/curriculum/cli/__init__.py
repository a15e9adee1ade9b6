"""The `curriculum` command line, a thin front end over the public API."""

from curriculum.cli.main import main, run

__all__ = ["main", "run"]
