from __future__ import annotations

from counter_app.domain.hlc import HybridClock, Timestamp


def test_clock_is_monotonic_when_wall_clock_goes_back() -> None:
    times = iter([1000, 1000, 900, 2000])
    clock = HybridClock(now_ms=lambda: next(times))
    stamps = [clock.tick() for _ in range(4)]
    assert stamps == sorted(stamps)
    assert len({s.encode() for s in stamps}) == 4
    assert [s.encode() for s in stamps] == sorted(s.encode() for s in stamps)


def test_observe_moves_past_remote() -> None:
    clock = HybridClock(now_ms=lambda: 100)
    merged = clock.observe(Timestamp(5000, 7))
    assert merged > Timestamp(5000, 7)
    assert clock.tick() > merged


def test_encode_round_trip() -> None:
    ts = Timestamp(1_763_000_000_000, 42)
    assert Timestamp.decode(ts.encode()) == ts
