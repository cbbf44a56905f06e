"""Backoff: grows exponentially, stays under the cap, and two counters do not retry in lockstep."""

from __future__ import annotations

import random

from counter_app.sync.backoff import Backoff


def test_delays_grow_within_equal_jitter_bounds_and_cap() -> None:
    b = Backoff(base=1.0, cap=60.0, rng=random.Random(1))
    for n in range(12):
        ceiling = min(60.0, 2.0**n)
        assert ceiling / 2 <= b.next_delay() <= ceiling
    b.reset()
    assert 0.5 <= b.next_delay() <= 1.0


def test_jitter_spreads_counters_apart() -> None:
    firsts = {round(Backoff(base=10.0, rng=random.Random(seed)).next_delay(), 3) for seed in range(50)}
    assert len(firsts) > 40


def test_huge_attempt_counts_do_not_overflow() -> None:
    b = Backoff(base=1.0, cap=5.0, attempt=10_000)
    assert 2.5 <= b.next_delay() <= 5.0
