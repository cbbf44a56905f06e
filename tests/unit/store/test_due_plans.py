"""The due lists and the overdue count read the small partial index of open dossiers (issue 14).

Without sqlite_stat1 SQLite took dossiers_state_num for `state IN (...)` and read every row of
both states (6.8 ms for the overdue count on 1M dossiers against 0.03 ms). The plans are checked
for the statements the store really runs (caught with the trace callback), in three situations: no
statistics (a counter is rarely analysed), ANALYZE on this small database, and the statistics of a
1,000,000-dossier counter.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Clock

from counter_app.services import queries
from counter_app.services.context import Counter
from counter_app.services.demo import generate

LISTS: dict[str, Callable[[Counter], object]] = {
    "overdue count": queries.count_overdue,
    "overdue list": queries.overdue,
    "due today": queries.due_today,
    "due within 2 working days": lambda c: queries.due_within(c, 2),
    "dashboard": queries.dashboard,
}

# sqlite_stat1 shaped like the benchmark database's (1,000,000 dossiers, 9 states, 1,460 being processed).
BIG_COUNTER_STATS = [
    ("dossiers", "dossiers_state_num", "1000000 111112 1"),
    ("dossiers", "dossiers_field_num", "1000000 90910 1"),
    ("dossiers", "dossiers_open_due", "1460 730 2"),
    ("dossiers", "dossiers_received", "1000000 2"),
    ("dossiers", "dossiers_returned", "950000 2"),
    ("dossiers", "dossiers_long_open", "2100 1"),
    ("dossiers", "dossiers_id_number", "1000000 2"),
    ("dossiers", "dossiers_phone", "700000 2"),
    ("dossiers", "sqlite_autoindex_dossiers_1", "1000000 1"),
    ("dossiers", "sqlite_autoindex_dossiers_2", "1000000 1"),
]


def statements(counter: Counter, run: Callable[[Counter], object]) -> list[str]:
    seen: list[str] = []
    counter.store.conn.set_trace_callback(seen.append)
    try:
        run(counter)
    finally:
        counter.store.conn.set_trace_callback(None)
    return [s for s in seen if "dossiers" in s and "due_at" in s]


def plan(counter: Counter, sql: str) -> str:
    return " / ".join(r[3] for r in counter.store.conn.execute("EXPLAIN QUERY PLAN " + sql))


@pytest.fixture
def busy(counter: Counter) -> Counter:
    generate(counter, 400, seed=7, days=60)
    return counter


@pytest.mark.parametrize("stats", ["none", "analyzed", "big counter"])
def test_due_lists_use_the_partial_index(busy: Counter, stats: str) -> None:
    conn = busy.store.conn
    if stats != "none":
        conn.execute("ANALYZE")
    if stats == "big counter":
        conn.execute("DELETE FROM sqlite_stat1")
        conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", BIG_COUNTER_STATS)
        conn.execute("ANALYZE sqlite_schema")  # reload the statistics
    analysed = conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").fetchone()[0]
    assert analysed == (stats != "none")
    for name, run in LISTS.items():
        sqls = statements(busy, run)
        assert sqls, name
        for sql in sqls:
            assert "USING INDEX dossiers_open_due" in plan(busy, sql) or (
                "USING COVERING INDEX dossiers_open_due" in plan(busy, sql)
            ), f"{name} ({stats}): {plan(busy, sql)}"


def test_the_counts_do_not_touch_the_table(busy: Counter) -> None:
    """Counting reads the index alone, whatever the number of dossiers."""
    for sql in statements(busy, queries.count_overdue) + statements(busy, queries.dashboard):
        assert "COVERING INDEX dossiers_open_due" in plan(busy, sql), plan(busy, sql)


def test_the_lists_are_still_right(busy: Counter, clock: Clock) -> None:
    clock.set("2026-12-01T09:00")  # two weeks on: some of the open dossiers are late
    today = busy.now().date()
    late = queries.overdue(busy)
    assert late and all(d.due_at is not None and d.due_at.date() < today for d in late)
    assert [d.due_at for d in late] == sorted(d.due_at for d in late if d.due_at)
    assert queries.count_overdue(busy) == len(late)
    by_scan = busy.store.scalar(
        "SELECT count(*) FROM dossiers NOT INDEXED WHERE state IN ('received', 'in_progress') AND due_at < ?",
        (today.isoformat(),),
    )
    assert by_scan == len(late)
    soon = queries.due_within(busy, 5)
    assert soon and all(d.due_at is not None and d.due_at >= busy.now() for d in soon)
