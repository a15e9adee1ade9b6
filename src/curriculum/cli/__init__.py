"""The `curriculum` command line, a thin front end over the public API."""

from curriculum.cli.main import main

__all__ = ["main"]
