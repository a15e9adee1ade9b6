"""`python -m curriculum.cli`: the same as the `curriculum` command."""

from curriculum.cli.main import run

run()
