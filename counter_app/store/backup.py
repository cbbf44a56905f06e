"""Online backup and restore through SQLite's backup API (safe while the counter is writing)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from counter_app.store.database import Store, StoreError, translate


def quick_check_ok(store: Store) -> bool:
    return store.scalar("PRAGMA quick_check") == "ok"


def integrity_ok(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


class BackupCancelled(StoreError):
    code = "cancelled"


def backup_to(
    store: Store,
    target: Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Copy the live database to ``target`` and check the copy; a bad copy is removed, never left looking good.

    ``progress(done_pages, total_pages)`` is called as pages are copied; ``cancelled()`` returning
    True stops the copy and removes the partial file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        dest = sqlite3.connect(str(tmp))
        try:

            def step(status: int, remaining: int, total: int) -> None:
                if cancelled and cancelled():
                    raise BackupCancelled("Đã hủy sao lưu; không có tệp nào được tạo.")
                if progress:
                    progress(total - remaining, total)

            store.conn.backup(dest, pages=256, progress=step)
            dest.execute("PRAGMA journal_mode=DELETE")
            ok = integrity_ok(dest)
        finally:
            dest.close()
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
