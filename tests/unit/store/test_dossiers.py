"""Projection, hash chain and search on a real database with demo histories."""

from __future__ import annotations

import sqlite3

import pytest
from helpers import receive

from counter_app.services import maintenance
from counter_app.services.context import Counter
from counter_app.services.demo import generate
from counter_app.store import dossiers as dossier_store


@pytest.fixture
def busy(counter: Counter) -> Counter:
    generate(counter, 300, seed=5, days=40)
    receive(counter)
    return counter


def snapshot(counter: Counter) -> list[tuple]:
    return counter.store.conn.execute("SELECT * FROM dossiers ORDER BY num").fetchall()


def test_rebuild_from_events_gives_identical_rows(busy: Counter) -> None:
    before = snapshot(busy)
    busy.store.conn.execute("UPDATE dossiers SET state = 'cancelled', due_at = NULL, rating = 'x'")
    assert dossier_store.projection_mismatches(busy.store)
    assert dossier_store.rebuild_projection(busy.store) == 301
    assert snapshot(busy) == before
    assert dossier_store.projection_mismatches(busy.store) == []
    assert [d.code for d in dossier_store.search(busy.store, "nguyen van an")][:1]


def test_verify_is_clean_then_detects_edit_delete_and_tail_cut(busy: Counter) -> None:
    assert maintenance.verify(busy).ok
    conn: sqlite3.Connection = busy.store.conn
    conn.execute("UPDATE events SET officer = 'someone' WHERE num = 57")
    report = maintenance.verify(busy)
    assert not report.ok and report.events_break == 57


def test_verify_detects_deleted_row_and_tail(busy: Counter) -> None:
    conn = busy.store.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM outbox WHERE event_num = (SELECT max(num) FROM events)")
    conn.execute("DELETE FROM events WHERE num = (SELECT max(num) FROM events)")
    assert maintenance.verify(busy).events_break is not None
    conn.execute("DELETE FROM events WHERE num = 100")
    assert maintenance.verify(busy).events_break == 101


def test_audit_chain_detects_edit(counter: Counter) -> None:
    assert maintenance.verify(counter).audit_break is None
    counter.store.conn.execute("UPDATE audit_log SET detail = '{}' WHERE num = 1")
    assert maintenance.verify(counter).audit_break == 1


def test_due_lists(busy: Counter) -> None:
    today = busy.now().date()
    overdue = dossier_store.overdue(busy.store, today)
    assert all(d.due_at is not None and d.due_at.date() < today for d in overdue)
    assert dossier_store.count_overdue(busy.store, today) == len(overdue)
