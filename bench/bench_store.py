"""Figures for the foundation budgets (issue 3), the calendar recompute (issue 4) and the floors (issue 14).

Usage: python bench/bench_store.py [--db PATH] [--dossiers N] [--forced-open N]
       python bench/bench_store.py --db /tmp/bench/1m.db --growth-from /tmp/bench/100k.db
Builds the database with `counter-admin demo` data if it does not exist yet (1,000,000 dossiers
takes a few minutes), then prints one line per budget. Nothing is asserted: read the figures.

Search and intake are measured against their floor in alternating rounds (app, floor, app, …) so
both see the same machine load: the floor of a search is the whole-word FTS5 query and its rows
with sqlite3 alone; the floor of an intake is a bare sqlite3 transaction writing the same four rows
(dossier, search words, event, outbox) with ``synchronous=FULL``. Intakes run on a scratch copy
of the database, so the shared file gets no floor rows.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from counter_app.domain.ids import uuid7
from counter_app.domain.text import fold_words
from counter_app.services import calendar as calendar_service
from counter_app.services import queries
from counter_app.services.context import Counter, open_counter
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
    ap.add_argument(
        "--growth-from",
        metavar="SMALL_DB",
        help="only the search growth from SMALL_DB to --db, in alternating rounds",
    )
    args = ap.parse_args()
    path = Path(args.db)
    if args.growth_from:
        growth(Path(args.growth_from), path)
        return
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
    it = itertools.cycle(codes)
    line("lookup by code", timed(lambda: dossier_store.get_by_code(store, next(it)), 1000), "≤ 1 ms")
    names = [
        r[0] for r in store.conn.execute("SELECT applicant_name FROM dossiers WHERE num % 997 = 0 LIMIT 200")
    ]
    raw = sqlite3.connect(str(path), isolation_level=None)
    folded = [" ".join(name.split()[-2:]) for name in names]  # e.g. "Thị Hoa": broad
    against_floor("folded search (2 words, 50 newest)", counter, raw, folded, "p95 ≤ 50 ms")
    against_floor("folded search (full name)", counter, raw, names, "p95 ≤ 25 ms")
    ids = [r[0] for r in store.conn.execute("SELECT id_number FROM dossiers WHERE num % 991 = 0 LIMIT 200")]
    it4 = itertools.cycle(ids)
    line(
        "search by ID number", timed(lambda: queries.search_dossiers(counter, next(it4)), 200), "p95 ≤ 50 ms"
    )
    raw.close()
    line("due today list", timed(lambda: queries.due_today(counter), 50), "≤ 50 ms")
    line("overdue list (first 500)", timed(lambda: queries.overdue(counter), 50), "≤ 50 ms")
    line("overdue count", timed(lambda: queries.count_overdue(counter), 50), "≤ 0.1 ms")
    line("due within 2 working days", timed(lambda: queries.due_within(counter, 2), 50), "≤ 50 ms")
    intake_against_floor(path)

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


def floor_search(raw: sqlite3.Connection, text: str) -> list[tuple]:
    """The least a name search can do: whole words (no prefix), 50 newest rows, sqlite3 alone."""
    match = " ".join(f'"{w}"' for w in fold_words(text))
    return raw.execute(
        "SELECT * FROM dossiers WHERE num IN (SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ? "
        "ORDER BY rowid DESC LIMIT 50) ORDER BY num DESC",
        (match,),
    ).fetchall()


def against_floor(
    label: str, counter: Counter, raw: sqlite3.Connection, texts: list[str], budget: str
) -> None:
    """App search and its floor in alternating rounds over the same texts."""
    app, floor = [], []
    for text in texts:
        t = time.perf_counter()
        queries.search_dossiers(counter, text)
        app.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        floor_search(raw, text)
        floor.append((time.perf_counter() - t) * 1000)
    line(label, app, budget)
    ratio(label, app, floor)


def ratio(label: str, app: list[float], floor: list[float]) -> None:
    print(
        f"{'  floor: ' + label:44} median {statistics.median(floor):8.2f} ms   p95 {pct(floor, 0.95):8.2f} ms   "
        f"(app/floor: median {statistics.median(app) / statistics.median(floor):.2f}x, "
        f"p95 {pct(app, 0.95) / pct(floor, 0.95):.2f}x)"
    )


def growth(small: Path, large: Path, rounds: int = 5) -> None:
    """Search p95 on both databases, measured in alternating rounds so both see the same load."""
    sides = []
    for path in (small, large):
        counter = open_counter(path)
        names = [
            r[0]
            for r in counter.store.conn.execute(
                "SELECT applicant_name FROM dossiers WHERE num % 97 = 0 LIMIT 200"
            )
        ]
        sides.append((counter, sqlite3.connect(str(path)), names))
    for label, pick in (("full name", lambda n: n), ("2 words", lambda n: " ".join(n.split()[-2:]))):
        times: list[tuple[list[float], list[float]]] = [([], []), ([], [])]
        for _ in range(rounds):
            for (counter, raw, names), (app, floor) in zip(sides, times, strict=True):
                for name in names:
                    text = pick(name)
                    t = time.perf_counter()
                    queries.search_dossiers(counter, text)
                    app.append((time.perf_counter() - t) * 1000)
                    t = time.perf_counter()
                    floor_search(raw, text)
                    floor.append((time.perf_counter() - t) * 1000)
        (small_app, small_floor), (large_app, large_floor) = times
        print(
            f"search, {label}: p95 {pct(small_app, 0.95):.2f} ms -> {pct(large_app, 0.95):.2f} ms, "
            f"growth {pct(large_app, 0.95) / pct(small_app, 0.95):.2f}x (budget ≤ 2x); median "
            f"{statistics.median(small_app):.2f} -> {statistics.median(large_app):.2f} ms; floor p95 "
            f"{pct(small_floor, 0.95):.2f} -> {pct(large_floor, 0.95):.2f} ms, "
            f"growth {pct(large_floor, 0.95) / pct(small_floor, 0.95):.2f}x"
        )
    for counter, raw, _ in sides:
        raw.close()
        counter.store.close()


def scratch_copy(path: Path, name: str) -> Path:
    """A copy of the database (with its WAL) that a measurement may write into."""
    scratch = path.with_name(f"{path.stem}-{name}.db")
    remove(scratch)
    shutil.copyfile(path, scratch)
    if os.path.exists(f"{path}-wal"):
        shutil.copyfile(f"{path}-wal", f"{scratch}-wal")
    return scratch


def remove(scratch: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{scratch}{suffix}").unlink(missing_ok=True)


DOSSIER_COLS = dossier_store.DOSSIER_FIELDS
EVENT_COLS = ["seq", "action", "at", "hlc", "officer", "device_id", "payload"]


def intake_against_floor(path: Path, rounds: int = 200) -> None:
    """App intakes and bare 4-row transactions, alternating, on a scratch copy; and the app's statements."""
    scratch = scratch_copy(path, "intake")
    counter = open_counter(scratch)
    request = IntakeRequest(procedure_code="2.000815", name="Lê Văn Lương", id_number="089202017098")
    intake(counter, request)  # the connection's first FTS5 write reads its configuration once
    statements: list[str] = []
    counter.store.conn.set_trace_callback(statements.append)
    first = intake(counter, request)
    counter.store.conn.set_trace_callback(None)
    top = [s for s in statements if not s.startswith("--")]  # "--" lines are FTS5's own inner statements
    raw = sqlite3.connect(str(scratch), isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        raw.execute(f"PRAGMA {pragma}")
    num = counter.store.scalar("SELECT num FROM dossiers WHERE id = ?", (first.dossier.id,))
    d_row = raw.execute(f"SELECT {', '.join(DOSSIER_COLS)} FROM dossiers WHERE num = ?", (num,)).fetchone()
    e_row = raw.execute(
        f"SELECT {', '.join(EVENT_COLS)} FROM events WHERE dossier_num = ?", (num,)
    ).fetchone()
    dossier = dict(zip(DOSSIER_COLS, d_row, strict=True))
    event = dict(zip(EVENT_COLS, e_row, strict=True))
    words = dossier_store.search_words(first.dossier)
    cols = ", ".join(DOSSIER_COLS)
    insert_dossier = f"INSERT INTO dossiers ({cols}) VALUES ({', '.join(':' + c for c in DOSSIER_COLS)})"
    insert_event = (
        "INSERT INTO events (id, dossier_num, chain, " + ", ".join(EVENT_COLS) + ") "
        "VALUES (:id, :dossier_num, :chain, " + ", ".join(":" + c for c in EVENT_COLS) + ")"
    )

    def floor_intake(n: int) -> None:
        raw.execute("BEGIN IMMEDIATE")
        dnum = raw.execute(insert_dossier, {**dossier, "id": uuid7(), "code": f"FLOOR-{n}"}).lastrowid
        raw.execute("INSERT INTO dossiers_fts (rowid, words) VALUES (?, ?)", (dnum, words))
        chain = os.urandom(16)
        enum = raw.execute(
            insert_event, {**event, "id": uuid7(), "dossier_num": dnum, "chain": chain}
        ).lastrowid
        raw.execute("INSERT INTO outbox (event_num) VALUES (?)", (enum,))
        raw.execute("COMMIT")

    app, floor = [], []
    for n in range(rounds):
        t = time.perf_counter()
        intake(counter, request)
        app.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        floor_intake(n)
        floor.append((time.perf_counter() - t) * 1000)
    line("intake commit (synchronous=FULL)", app, "≤ 1.5x floor")
    ratio("intake", app, floor)
    print(f"{'SQL statements per intake':44} {len(top)} (the floor: 6)")
    for sql in top:
        print(f"    {' '.join(sql.split())[:100]}")
    raw.close()
    counter.store.close()
    remove(scratch)


def worst_case(path: Path, forced_open: int) -> None:
    """A calendar change that moves very many dossiers: force ``forced_open`` rows open on a scratch copy.

    The forced rows no longer match their events (this is a cost measurement, not a realistic state).
    """
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
