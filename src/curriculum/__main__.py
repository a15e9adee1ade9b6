"""`python -m curriculum`: the same as the `curriculum` command."""

from curriculum.cli.main import run

run()
