"""The package's version, written once: pyproject.toml reads it from here (hatch), and
`curriculum --version` shows it without asking the installed metadata at every start."""

__version__ = "0.1.0"
