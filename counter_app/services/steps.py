"""Long housekeeping in small steps that always give way to the officer.

The daily backup of a five-year database takes tens of seconds and its integrity check as long
again. It runs on its own thread and connection; between two steps it looks here: while the
officer's own work is queued or running it waits (so it is never ahead of an officer's action),
and when the window closes it stops at once (the partial copy is removed; the next start makes it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Steps:
    """Shared by the window (which says when the officer is busy and when to stop) and the job."""

    def __init__(self, officer_idle: threading.Event | None = None, breather: float = 0.0) -> None:
        self.officer_idle = officer_idle or threading.Event()
        if officer_idle is None:
            self.officer_idle.set()
        self.stopping = threading.Event()
        self.breather = breather  # seconds of rest after each step, for a disk shared with the officer
        self.report: Callable[[str], None] = lambda text: None
        self.yielded = 0  # how many times a step waited for the officer (figures and tests)

    def cancelled(self) -> bool:
        return self.stopping.is_set()

    def pause(self) -> None:
        """Between two steps: wait while the officer works, rest a moment, return promptly on stop."""
        if not self.officer_idle.is_set():
            self.yielded += 1
            while not self.officer_idle.wait(0.05):
                if self.stopping.is_set():
                    return
        if self.breather:
            self.stopping.wait(self.breather)

    def stop(self) -> None:
        self.stopping.set()
