from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from counter_app.store.database import Store, StoreError, migration_files, translate


def test_pragmas_and_migrations_recorded(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    assert store.scalar("PRAGMA journal_mode") == "wal"
    assert store.scalar("PRAGMA synchronous") == 2  # FULL
    assert store.scalar("PRAGMA foreign_keys") == 1
    assert store.applied_migrations() == {f.stem for f in migration_files()}
    assert store.migrate() == []  # idempotent
    store.close()
    again = Store(tmp_path / "a.db")
    assert again.migrate() == []


def test_atomic_rolls_back_everything_on_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    with pytest.raises(RuntimeError), store.atomic() as conn:
        conn.execute("INSERT INTO settings VALUES ('a', '1')")
        with store.atomic() as inner:
            inner.execute("INSERT INTO settings VALUES ('b', '2')")
        raise RuntimeError("boom")
    assert store.get_setting("a") is None and store.get_setting("b") is None


def test_nested_savepoint_failure_keeps_outer_work(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    with store.atomic() as conn:
        conn.execute("INSERT INTO settings VALUES ('a', '1')")
        with pytest.raises(RuntimeError), store.atomic() as inner:
            inner.execute("INSERT INTO settings VALUES ('b', '2')")
            raise RuntimeError("inner")
    assert store.get_setting("a") == "1" and store.get_setting("b") is None


def test_sqlite_errors_a_person_can_fix_are_translated() -> None:
    err = translate(sqlite3.OperationalError("attempt to write a readonly database"))
    assert err is not None and err.code == "read_only" and "chỉ đọc" in err.message
    full = translate(sqlite3.OperationalError("database or disk is full"))
    assert full is not None and full.code == "disk_full"
    assert translate(sqlite3.OperationalError("no such column: x")) is None


def test_write_to_read_only_database_is_a_store_error(tmp_path: Path) -> None:
    store = Store(tmp_path / "a.db")
    store.conn.execute("PRAGMA query_only = 1")  # what a read-only mount looks like to SQLite
    with pytest.raises(StoreError) as info:
        store.set_setting("x", "1")
    assert info.value.code == "read_only"
