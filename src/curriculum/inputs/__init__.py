"""The inputs: a catalog of modules and a programme, read from files (or built in Python)
and validated into frozen dataclasses. Nothing here knows about the solver."""
