"""Benchmark: due dates for a million dossiers, and a recompute after a calendar change.

Budgets (issue "working calendar and deadlines"): 1,000,000 compute_due calls <= 5 s on one
core; recomputing all open dossiers after a calendar change <= 10 s.

Run:  .venv/bin/python bench/bench_deadlines.py [--n 1000000] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from counter_app.domain.calendar import Adjustment, WorkingCalendar, parse_adjustments  # noqa: E402
from counter_app.domain.deadlines import Pause, PauseMode, ProcessingTime, Unit, compute_due  # noqa: E402

FIFTEEN = time(15, 0)


def realistic_processing(rng: random.Random) -> ProcessingTime:
    """A catalogue-like mix: many same-day civil-status copies, a long tail of multi-day procedures."""
    x = rng.random()
    if x < 0.30:
        return ProcessingTime(Unit.SAME_DAY, 0, FIFTEEN)
    if x < 0.40:
        return ProcessingTime(Unit.WORKING_HOURS, rng.choice((2, 4, 8)), None)
    if x < 0.70:
        return ProcessingTime(Unit.WORKING_DAYS, rng.choice((1, 2, 3)), rng.choice((None, FIFTEEN)))
    if x < 0.95:
        return ProcessingTime(Unit.WORKING_DAYS, rng.choice((5, 7, 10, 12, 15)), None)
    return ProcessingTime(Unit.WORKING_DAYS, rng.choice((20, 30, 45)), None)


def realistic_receipt(rng: random.Random, cal: WorkingCalendar, first: date, span_days: int) -> datetime:
    """Mostly counter hours on working days; some online submissions at night or on days off."""
    while True:
        d = first + timedelta(days=rng.randrange(span_days))
        online = rng.random() < 0.08
        if online or cal.is_working_day(d):
            break
    if online:
        seconds = rng.randrange(24 * 3600)
    else:
        seconds = rng.choice(
            (rng.randrange(7 * 3600 + 1800, 11 * 3600 + 1800), rng.randrange(13 * 3600 + 1800, 17 * 3600))
        )
        if rng.random() < 0.03:  # during lunch or just after closing
            seconds = rng.randrange(11 * 3600 + 1800, 18 * 3600)
    return datetime.combine(d, time()) + timedelta(seconds=seconds)


def build(
    n: int, seed: int, cal: WorkingCalendar
) -> list[tuple[datetime, ProcessingTime, list[Pause], PauseMode]]:
    rng = random.Random(seed)
    first, last = date(2024, 1, 1), date(2026, 12, 31)
    span = (last - first).days + 1
    rows = []
    for _ in range(n):
        received = realistic_receipt(rng, cal, first, span)
        processing = realistic_processing(rng)
        pauses: list[Pause] = []
        mode = PauseMode.PAUSE_RESUME
        x = rng.random()
        if x < 0.10:  # supplement requested and received
            start = received + timedelta(hours=rng.randrange(1, 48))
            pauses = [Pause(start, start + timedelta(hours=rng.randrange(1, 24 * 10)))]
            mode = PauseMode.RESTART if rng.random() < 0.3 else PauseMode.PAUSE_RESUME
        elif x < 0.12:  # still waiting for the citizen
            pauses = [Pause(received + timedelta(hours=rng.randrange(1, 48)), None)]
        rows.append((received, processing, pauses, mode))
    return rows


def run(rows: list[tuple[datetime, ProcessingTime, list[Pause], PauseMode]], cal: WorkingCalendar) -> list:
    return [compute_due(cal, r, p, ps, m) for r, p, ps, m in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    data = json.loads((ROOT / "resources" / "calendar" / "adjustments.json").read_text(encoding="utf-8"))
    t0 = clock.perf_counter()
    adjustments = parse_adjustments(data)
    cal = WorkingCalendar(adjustments=adjustments)
    cal.is_working_day(date(2024, 1, 1))
    for year in (2025, 2026, 2027):
        cal.is_working_day(date(year, 6, 1))
    t_cold = clock.perf_counter() - t0
    print(f"calendar build + load 2024-2027 (cold, incl. holidays package): {t_cold * 1000:.1f} ms")

    t0 = clock.perf_counter()
    rows = build(args.n, args.seed, cal)
    print(f"built {len(rows):,} dossiers in {clock.perf_counter() - t0:.1f} s (not part of the budget)")
    paused = sum(1 for row in rows if row[2])

    plain = [(r, p) for r, p, ps, _ in rows]
    t0 = clock.perf_counter()
    for r, p in plain:
        compute_due(cal, r, p)
    t_plain = clock.perf_counter() - t0
    print(
        f"compute_due x {len(plain):,} (no pauses): {t_plain:.2f} s "
        f"({t_plain / len(plain) * 1e6:.2f} µs/call)  budget 5 s"
    )

    t0 = clock.perf_counter()
    dues = run(rows, cal)
    t_mixed = clock.perf_counter() - t0
    print(
        f"compute_due x {len(rows):,} ({paused:,} with pauses): {t_mixed:.2f} s "
        f"({t_mixed / len(rows) * 1e6:.2f} µs/call)  budget 5 s"
    )

    # A calendar change: the commune closes on Friday 13/11/2026 (storm), pushed by the server.
    t0 = clock.perf_counter()
    changed_adjustments = [
        *adjustments,
        Adjustment(date(2026, 11, 13), "off", "Nghỉ phòng, chống bão", "Quyết định 1/QĐ-UBND (ví dụ)"),
    ]
    new_cal = WorkingCalendar(adjustments=changed_adjustments)
    stale = new_cal.fingerprint() != cal.fingerprint()
    open_rows = rows  # worst case: every dossier still open
    new_dues = run(open_rows, new_cal) if stale else dues
    t_recompute = clock.perf_counter() - t0
    moved = sum(1 for a, b in zip(dues, new_dues, strict=True) if a != b)
    print(
        f"calendar change -> recompute {len(open_rows):,} open dossiers: {t_recompute:.2f} s "
        f"({moved:,} due dates moved)  budget 10 s"
    )


if __name__ == "__main__":
    main()
