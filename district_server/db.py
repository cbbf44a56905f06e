"""PostgreSQL access: a small connection pool and forward-only migrations.

A hand-rolled pool (a queue of psycopg connections) keeps the dependency list to psycopg itself;
a connection that broke (server restart, network) is discarded and replaced on the next checkout.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK = 74_201_901  # pg_advisory_xact_lock key: two servers starting at once migrate once


class DatabaseUnavailable(Exception):
    """PostgreSQL cannot be reached; the API answers 503 and the CLI exits 3."""


def connect(url: str) -> psycopg.Connection:
    try:
        return psycopg.connect(url, row_factory=dict_row, connect_timeout=10, autocommit=True)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else "") from exc


class Pool:
    """At most ``size`` autocommit connections; callers block (up to ``timeout`` s) when all are out.

    Work that must be atomic uses ``with conn.transaction():``; a block that raises rolls back.
    """

    def __init__(self, url: str, size: int = 10, timeout: float = 30.0) -> None:
        self.url = url
        self.size = size
        self.timeout = timeout
        self._idle: queue.LifoQueue[psycopg.Connection] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(size)
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection]:
        if not self._slots.acquire(timeout=self.timeout):
            raise DatabaseUnavailable("pool exhausted")
        conn: psycopg.Connection | None = None
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = connect(self.url)
            if conn.closed:
                conn = connect(self.url)
            try:
                yield conn
            except psycopg.OperationalError as exc:
                conn.close()
                raise DatabaseUnavailable(str(exc)) from exc
        finally:
            if conn is not None:
                idle = not conn.closed and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
                if not idle or conn.broken or self._closed:
                    conn.close()
                else:
                    self._idle.put(conn)
            self._slots.release()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                break


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def migrate(url: str) -> list[str]:
    """Apply the numbered SQL files not yet recorded, each in its own transaction."""
    done: list[str] = []
    with connect(url) as conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
        for path in migration_files():
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
                if conn.execute("SELECT 1 FROM _migrations WHERE name = %s", (path.stem,)).fetchone():
                    continue
                conn.execute(path.read_text(encoding="utf-8"))  # no parameters: many statements allowed
                conn.execute("INSERT INTO _migrations (name) VALUES (%s)", (path.stem,))
                done.append(path.stem)
    return done


def pending_migrations(conn: psycopg.Connection) -> list[str]:
    exists = conn.execute("SELECT to_regclass('_migrations') IS NOT NULL AS ok").fetchone()
    applied = set()
    if exists and exists["ok"]:
        applied = {r["name"] for r in conn.execute("SELECT name FROM _migrations")}
    return [p.stem for p in migration_files() if p.stem not in applied]
