"""Online backup and restore through SQLite's backup API (safe while the counter is writing).

The daily backup of a large counter (3 GB after five years) runs beside the officer, on its own
connection: it copies in small steps from one read snapshot (so an intake committed meanwhile on
the officer's connection neither blocks nor restarts it), writes the copy without per-step syncs
(the copy is only published, by rename, once it is complete, checked and flushed to disk), and
lets the caller pause or cancel between steps and during the checks.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from counter_app.store.database import Store, StoreError, translate

PAGES_PER_STEP = 512  # 2 MB of 4 KB pages: a few ms to copy, so a pause or cancel is never far
FLUSH_EVERY_STEPS = 4  # write the copy to disk every 8 MB: the officer's commit (synchronous=FULL)
# then never waits behind gigabytes of the copy's dirty pages in the same disk flush
CHECK_OPCODES = 200_000  # SQLite VM steps between two looks at pause/cancel during a check


class BackupCancelled(StoreError):
    code = "cancelled"


def _checked(
    conn: sqlite3.Connection,
    pragma: str,
    pause: Callable[[], None] | None,
    cancelled: Callable[[], bool] | None,
) -> bool:
    """Run ``PRAGMA integrity_check``/``quick_check``, giving way every few thousand steps."""

    def handler() -> int:
        if cancelled and cancelled():
            return 1  # SQLite stops the statement: "interrupted"
        if pause:
            pause()
        return 1 if cancelled and cancelled() else 0

    conn.set_progress_handler(handler, CHECK_OPCODES)
    try:
        return conn.execute(f"PRAGMA {pragma}").fetchone()[0] == "ok"
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc).lower():
            raise BackupCancelled("Đã dừng kiểm tra dữ liệu.") from exc
        raise
    finally:
        conn.set_progress_handler(None, 0)


def quick_check_ok(
    store: Store, pause: Callable[[], None] | None = None, cancelled: Callable[[], bool] | None = None
) -> bool:
    return _checked(store.conn, "quick_check", pause, cancelled)


def integrity_ok(
    conn: sqlite3.Connection,
    pause: Callable[[], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bool:
    return _checked(conn, "integrity_check", pause, cancelled)


def _flush(path: Path) -> None:
    """Make the finished copy durable before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_to(
    store: Store,
    target: Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    pause: Callable[[], None] | None = None,
) -> Path:
    """Copy the live database to ``target`` and check the copy; a bad copy is removed, never left looking good.

    ``progress(done_pages, total_pages)`` is called after each step; ``pause()`` between steps and
    during the check may block (to let the officer go first); ``cancelled()`` returning True stops
    the copy or the check and removes the partial file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    source = store.conn
    try:
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            dest.execute("PRAGMA journal_mode=OFF")  # a copy that fails half-way is thrown away anyway
            dest.execute("PRAGMA synchronous=OFF")  # flushed once, below, before it is published

            steps = 0

            def step(status: int, remaining: int, total: int) -> None:
                nonlocal steps
                if cancelled and cancelled():
                    raise BackupCancelled("Đã hủy sao lưu; không có tệp nào được tạo.")
                steps += 1
                if steps % FLUSH_EVERY_STEPS == 0:
                    _flush(tmp)
                if progress:
                    progress(total - remaining, total)
                if pause:
                    pause()

            with store._lock:  # one snapshot for the whole copy: writes on other connections don't restart it
                source.execute("BEGIN")
                try:
                    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    source.backup(dest, pages=PAGES_PER_STEP, progress=step)
                finally:
                    source.execute("COMMIT")
            dest.execute("PRAGMA journal_mode=DELETE")
            ok = integrity_ok(dest, pause, cancelled)
        finally:
            dest.close()
        if ok:
            _flush(tmp)
    except BackupCancelled:
        tmp.unlink(missing_ok=True)
        raise
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise translate(exc) or StoreError(f"Sao lưu thất bại: {exc}") from exc
    if not ok:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            "Bản sao lưu vừa tạo không qua được kiểm tra toàn vẹn; đã hủy bản sao.", code="backup_corrupt"
        )
    tmp.replace(target)
    return target


def restore_from(store: Store, source: Path) -> None:
    """Replace the live database's content with a checked backup."""
    source = Path(source)
    if not source.is_file():
        raise StoreError(f"Không tìm thấy tệp sao lưu {source}.", code="not_found")
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if not integrity_ok(src):
                raise StoreError("Tệp sao lưu bị hỏng (không qua kiểm tra toàn vẹn).", code="backup_corrupt")
            if not src.execute("SELECT 1 FROM sqlite_master WHERE name = '_migrations'").fetchone():
                raise StoreError("Tệp này không phải bản sao lưu của Quầy một cửa.", code="not_a_backup")
            src.backup(store.conn)
        finally:
            src.close()
    except sqlite3.DatabaseError as exc:
        raise translate(exc) or StoreError(f"Khôi phục thất bại: {exc}") from exc
    store.migrate()


def defer_checkpoints(store: Store) -> None:
    """This connection's commits no longer copy the WAL back into the database (SQLite's
    automatic checkpoint every 1,000 pages, a 0.2–1 s stall inside an officer's intake on a big
    file); the window's housekeeping connection checkpoints instead (:func:`checkpoint`)."""
    with store._lock:
        store.conn.execute("PRAGMA wal_autocheckpoint=0")


def checkpoint(store: Store) -> int:
    """Copy what the WAL holds back into the database without blocking writers; returns the pages
    the WAL holds (SQLite starts it over once every reader has moved past them)."""
    with store._lock:
        _busy, log, _done = store.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return max(int(log), 0)
