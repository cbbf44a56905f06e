"""The counter's SQLite file: pragmas, forward-only migrations, one-transaction use cases.

Writes go through :meth:`Store.atomic` only. sqlite-utils' own write helpers commit on their own
(``with conn:``), so they are used for reads and introspection, never inside a use case.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from counter_app import paths
from counter_app.domain.errors import DomainError

if TYPE_CHECKING:
    import sqlite_utils


class StoreError(DomainError):
    """A problem with the database file the officer or admin can act on (disk full, read-only, locked)."""

    code = "store_error"


def translate(exc: sqlite3.Error) -> StoreError | None:
    """Map SQLite errors a person can fix to a Vietnamese message; None for programming errors."""
    text = str(exc).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(
            "Ổ đĩa đã đầy: không lưu được. Hãy giải phóng dung lượng rồi thử lại.", code="disk_full"
        )
    if "readonly" in text or "read-only" in text:
        return StoreError("Tệp dữ liệu đang ở chế độ chỉ đọc: không lưu được.", code="read_only")
    if "locked" in text or "busy" in text:
        return StoreError("Dữ liệu đang bận (một chương trình khác đang ghi). Hãy thử lại.", code="locked")
    if "not a database" in text or "malformed" in text:
        return StoreError("Tệp dữ liệu bị hỏng. Hãy khôi phục từ bản sao lưu.", code="corrupt")
    if "unable to open" in text:
        return StoreError("Không mở được tệp dữ liệu.", code="cannot_open")
    return None


def migration_files(folder: Path = paths.MIGRATIONS) -> list[Path]:
    return sorted(p for p in folder.glob("[0-9][0-9][0-9][0-9]_*.sql"))


class Store:
    """One connection per store; SQLite serialises writers, and the UI talks to it from one worker thread."""

    def __init__(self, path: Path | str, *, migrate: bool = True) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=10000")
        except sqlite3.Error as exc:
            raise translate(exc) or StoreError(f"Không mở được tệp dữ liệu: {exc}") from exc
        self.conn = conn
        self._depth = 0
        self._lock = threading.RLock()
        if migrate:
            self.migrate()

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils for streaming reads and introspection; imported on first use (it costs
        ~60 ms of the window's start-up and the login needs none of it)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    # -- transactions -------------------------------------------------------------------------
    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """All or nothing; nested calls join the outer transaction through savepoints."""
        with self._lock:
            depth = self._depth
            try:
                if depth == 0:
                    self.conn.execute("BEGIN IMMEDIATE")
                else:
                    self.conn.execute(f"SAVEPOINT sp{depth}")
            except sqlite3.Error as exc:
                raise translate(exc) or exc from exc
            self._depth += 1
            try:
                yield self.conn
            except BaseException:
                self._depth -= 1
                if depth == 0:
                    self.conn.execute("ROLLBACK")
                else:
                    self.conn.execute(f"ROLLBACK TO sp{depth}")
                    self.conn.execute(f"RELEASE sp{depth}")
                raise
            self._depth -= 1
            try:
                self.conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")
            except sqlite3.Error as exc:
                if depth == 0 and self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise translate(exc) or exc from exc

    # -- reads --------------------------------------------------------------------------------
    # Reads take the same lock as writes: the window's thread reads a setting now and then while the
    # worker thread runs a use case, and Python's sqlite3 connection is not safe for concurrent use.
    # Plain ``conn.execute``: sqlite-utils' ``Database.query`` wraps every read in SAVEPOINT/RELEASE,
    # two statements more per read (an intake made 22 statements where 6 do the work).
    def query(self, sql: str, params: tuple | dict = ()) -> list[dict[str, Any]]:
        with self._lock:
            cur = self.conn.execute(sql, params)
            if cur.description is None:  # a statement that returns no rows
                return []
            names = [c[0] for c in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur]

    def one(self, sql: str, params: tuple | dict = ()) -> dict[str, Any] | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def scalar(self, sql: str, params: tuple | dict = ()) -> Any:
        with self._lock:
            row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    # -- migrations ---------------------------------------------------------------------------
    def applied_migrations(self) -> set[str]:
        if not self.db["_migrations"].exists():
            return set()
        return {r[0] for r in self.conn.execute("SELECT name FROM _migrations")}

    def migrate(self) -> list[str]:
        """Apply the numbered SQL files not yet recorded; each in its own transaction."""
        applied = self.applied_migrations()
        files = migration_files()
        pending = [f for f in files if f.stem not in applied]
        if not pending:
            return []
        done = []
        with self.atomic() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
        for f in pending:
            sql = f.read_text(encoding="utf-8")
            with self.atomic() as conn:
                for statement in _split_sql(sql):
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                    (f.stem, datetime.now().isoformat(timespec="seconds")),
                )
            done.append(f.stem)
        return done

    # -- settings -----------------------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self.atomic() as conn:
            put_setting(conn, key, value)


def put_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Write a setting inside the caller's transaction."""
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def put_settings(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    """Write several settings in one statement inside the caller's transaction."""
    rows = list(values.items())
    conn.execute(
        "INSERT INTO settings (key, value) VALUES "
        + ", ".join("(?, ?)" for _ in rows)
        + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [x for row in rows for x in row],
    )


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (sqlite3 executes one at a time inside our transaction)."""
    statements, buf = [], []
    for line in sql.splitlines():
        stripped = line.strip()
        if stripped.startswith("--") or not stripped:
            continue
        buf.append(line)
        if sqlite3.complete_statement("\n".join(buf)):
            statements.append("\n".join(buf))
            buf = []
    if buf and "\n".join(buf).strip():
        statements.append("\n".join(buf))
    return statements
