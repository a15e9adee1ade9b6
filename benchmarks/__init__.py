"""Benchmarks of the curriculum solver: `python -m benchmarks --help`.

The suite times the bundled default plan, a ladder of generated instances and the public
BACP instances, each solved by the curriculum model and by a plain CP-SAT baseline
(`benchmarks.baseline`), every case in a fresh subprocess, and checks every plan with the
independent checker (`Plan.check`).
"""
