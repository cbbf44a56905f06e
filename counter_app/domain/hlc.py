"""Hybrid logical clock: orders events across counters whose wall clocks disagree.

Encoded as a fixed-width string so SQLite and PostgreSQL sort it correctly as text:
``<13-digit ms>-<5-digit counter>``; ties between devices are broken by device id, then event id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Timestamp:
    ms: int
    counter: int

    def encode(self) -> str:
        return f"{self.ms:013d}-{self.counter:05d}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        ms, counter = text.split("-")
        return cls(int(ms), int(counter))


class HybridClock:
    """Monotonic even when the PC's clock is set back (a common sight at counters with a flat CMOS battery)."""

    def __init__(self, last: Timestamp | None = None, now_ms: Callable[[], int] | None = None) -> None:
        self._last = last or Timestamp(0, 0)
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)

    @property
    def last(self) -> Timestamp:
        return self._last

    def advance_to(self, other: Timestamp) -> None:
        """Never fall behind a stamp another writer of the same database already used."""
        if other > self._last:
            self._last = other

    def tick(self) -> Timestamp:
        now = self._now_ms()
        if now > self._last.ms:
            self._last = Timestamp(now, 0)
        else:
            self._last = Timestamp(self._last.ms, self._last.counter + 1)
        return self._last

    def observe(self, remote: Timestamp) -> Timestamp:
        """Merge a timestamp received from another device so later local events sort after it."""
        now = self._now_ms()
        ms = max(now, self._last.ms, remote.ms)
        if ms == self._last.ms == remote.ms:
            counter = max(self._last.counter, remote.counter) + 1
        elif ms == self._last.ms:
            counter = self._last.counter + 1
        elif ms == remote.ms:
            counter = remote.counter + 1
        else:
            counter = 0
        self._last = Timestamp(ms, counter)
        return self._last
