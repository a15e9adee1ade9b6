"""`python -m curriculum.cli`: the same as the `curriculum` command."""

import sys

from curriculum.cli.main import main

sys.exit(main())
