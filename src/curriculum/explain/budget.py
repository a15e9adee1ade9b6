"""The time an explanation may take, shared by its checks."""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class Budget:
    """The time an explanation may take (until `deadline`, a `time.monotonic()` instant);
    `cut` records that it ran out."""

    deadline: float
    cut: bool = False

    def seconds(self, most: float) -> float:
        """Seconds for the next check: at most `most`, never past the deadline."""
        left = self.deadline - time.monotonic()
        if left <= 0.05:
            self.cut = True
        return max(min(most, left), 0.01)

    @property
    def over(self) -> bool:
        """Whether the time has run out (then `cut`)."""
        if time.monotonic() >= self.deadline:
            self.cut = True
        return self.cut
