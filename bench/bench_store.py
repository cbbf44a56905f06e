"""Figures for the foundation budgets (issue 3) and the calendar-recompute budget (issue 4).

Usage: python bench/bench_store.py [--db PATH] [--dossiers N]
Builds the database with `counter-admin demo` data if it does not exist yet (1,000,000 dossiers
takes a few minutes), then prints one line per budget. Nothing is asserted: read the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from counter_app.services import calendar as calendar_service
from counter_app.services import queries
from counter_app.services.context import open_counter
from counter_app.services.demo import generate
from counter_app.services.intake import IntakeRequest, intake
from counter_app.services.setup import initialize
from counter_app.store import dossiers as dossier_store
from counter_app.store.database import Store


def timed(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def line(label: str, values: list[float], budget: str) -> None:
    print(
        f"{label:44} median {statistics.median(values):8.2f} ms   p95 {pct(values, 0.95):8.2f} ms   (budget {budget})"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench/1m.db")
    ap.add_argument("--dossiers", type=int, default=1_000_000)
    ap.add_argument("--forced-open", type=int, default=200_000, help="worst-case recompute size (0 to skip)")
    args = ap.parse_args()
    path = Path(args.db)
    if not path.exists():
        counter = open_counter(path)
        initialize(counter, agency_code="000.00.21.H40")
        t = time.perf_counter()
        generate(counter, args.dossiers, seed=42)
        print(f"generated {args.dossiers:,} dossiers in {time.perf_counter() - t:.0f} s")
        counter.store.close()

    opens = []
    for _ in range(10):
        t = time.perf_counter()
        s = Store(path)  # open + pragmas + migration check
        opens.append((time.perf_counter() - t) * 1000)
        s.close()
    line("open + migrate-check", opens, "≤ 300 ms")
    t = time.perf_counter()
    counter = open_counter(path)
    print(f"{'open counter (store + calendar + clock)':44} {(time.perf_counter() - t) * 1000:8.2f} ms")
    store = counter.store
    n = store.scalar("SELECT count(*) FROM dossiers")
    ev = store.scalar("SELECT count(*) FROM events")
    size = os.path.getsize(path) + (os.path.getsize(f"{path}-wal") if os.path.exists(f"{path}-wal") else 0)
    print(
        f"{'database':44} {n:,} dossiers, {ev:,} events, {size / 1e6:,.0f} MB, {size / n:,.0f} bytes/dossier"
    )

    rng = random.Random(1)
    maxnum = store.scalar("SELECT max(num) FROM dossiers")
    codes = [
        store.scalar("SELECT code FROM dossiers WHERE num = ?", (rng.randint(1, maxnum),))
        for _ in range(1000)
    ]
    it = iter(codes * 2)
    line("lookup by code", timed(lambda: dossier_store.get_by_code(store, next(it)), 1000), "≤ 1 ms")
    names = [
        r[0] for r in store.conn.execute("SELECT applicant_name FROM dossiers WHERE num % 997 = 0 LIMIT 200")
    ]
    folded = [" ".join(name.split()[-2:]) for name in names]  # e.g. "Thị Hoa": broad
    it2 = iter(folded * 2)
    line(
        "folded search (2 words, 50 newest)",
        timed(lambda: queries.search_dossiers(counter, next(it2)), 200),
        "p95 ≤ 50 ms",
    )
    it3 = iter(names * 2)
    line(
        "folded search (full name)",
        timed(lambda: queries.search_dossiers(counter, next(it3)), 200),
        "p95 ≤ 50 ms",
    )
    ids = [r[0] for r in store.conn.execute("SELECT id_number FROM dossiers WHERE num % 991 = 0 LIMIT 200")]
    it4 = iter(ids * 2)
    line(
        "search by ID number", timed(lambda: queries.search_dossiers(counter, next(it4)), 200), "p95 ≤ 50 ms"
    )
    line("due today list", timed(lambda: queries.due_today(counter), 50), "≤ 50 ms")
    line("overdue list (first 500)", timed(lambda: queries.overdue(counter), 50), "≤ 50 ms")
    line("overdue count", timed(lambda: queries.count_overdue(counter), 50), "≤ 50 ms")
    line("due within 2 working days", timed(lambda: queries.due_within(counter, 2), 50), "≤ 50 ms")

    def one_intake() -> None:
        intake(
            counter, IntakeRequest(procedure_code="2.000815", name="Lê Văn Lương", id_number="089202017098")
        )

    line("intake commit (synchronous=FULL)", timed(one_intake, 100), "median ≤ 20 ms")

    t = time.perf_counter()
    inputs = dossier_store.schedule_inputs(store)
    load_ms = (time.perf_counter() - t) * 1000
    closure = counter.calendar.next_working_day(counter.now().date())
    t = time.perf_counter()
    result = calendar_service.add_adjustment(
        counter, day=closure, kind="off", name="Bench: commune closure", source="bench", officer="admin"
    )
    total = (time.perf_counter() - t) * 1000
    print(
        f"{'calendar change → recompute open dossiers':44} {total:8.0f} ms for {result.checked:,} open "
        f"({result.moved:,} moved; loading inputs {load_ms:.0f} ms for {len(inputs):,})   (budget ≤ 10 s)"
    )
    calendar_service.remove_adjustment(counter, day=closure, officer="admin")
    counter.store.close()
    if args.forced_open:
        worst_case(path, args.forced_open)


def worst_case(path: Path, forced_open: int) -> None:
    """A calendar change that moves very many dossiers: force ``forced_open`` rows open on a scratch copy.

    The forced rows no longer match their events (this is a cost measurement, not a realistic state).
    """
    import shutil

    scratch = path.with_name(path.stem + "-worstcase.db")
    shutil.copyfile(path, scratch)
    counter = open_counter(scratch)
    with counter.store.atomic() as conn:
        conn.execute(
            "UPDATE dossiers SET state = 'in_progress', apologies = 0 WHERE num IN "
            "(SELECT num FROM dossiers WHERE state = 'returned' ORDER BY num DESC LIMIT ?)",
            (forced_open,),
        )
    weekend = "6"  # opening on Saturdays moves nearly every due date
    t = time.perf_counter()
    from counter_app.services import settings

    result = settings.change(counter, "weekend", weekend, "admin")
    total = time.perf_counter() - t
    assert result is not None
    print(
        f"{'worst case: weekend change, forced-open rows':44} {total:8.2f} s for {result.checked:,} open "
        f"({result.moved:,} moved, each a reschedule event)   (budget ≤ 10 s)"
    )
    counter.store.close()
    scratch.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
