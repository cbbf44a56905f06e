"""The daily backup a commune without IT staff never has to remember.

Once a day (at the first start or when the window has been open past midnight) the database is
copied with SQLite's online backup API to the backup folder (an admin may point it at a USB
stick), checked with ``PRAGMA integrity_check``, and older copies beyond the kept number are
deleted. A copy that fails its check is never kept, so the newest file is always a good one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from counter_app import paths
from counter_app.services import maintenance
from counter_app.services.context import Counter
from counter_app.services.steps import Steps
from counter_app.store.database import put_setting

NAME = re.compile(r"^quay-mot-cua-(\d{8})\.db$")
DEFAULT_KEEP = 14


@dataclass(frozen=True)
class AutoBackupResult:
    made: Path | None  # None when today's copy already existed
    removed: list[Path]


def backup_dir(counter: Counter) -> Path:
    configured = counter.store.get_setting("backup_dir")
    return Path(configured) if configured else paths.data_dir() / "backups"


def keep_count(counter: Counter) -> int:
    value = counter.store.get_setting("backup_keep") or ""
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_KEEP


def existing(folder: Path) -> list[Path]:
    """Backups in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if NAME.match(p.name)), key=lambda p: p.name, reverse=True)


def newest_backup(counter: Counter) -> Path | None:
    found = existing(backup_dir(counter))
    return found[0] if found else None


def run_daily(counter: Counter, today: date | None = None, steps: Steps | None = None) -> AutoBackupResult:
    """Make today's copy if missing, then rotate; safe to call at every start.

    ``steps`` lets the copy give way to the officer and stop when the window closes; it hears
    the progress as a status line."""
    steps = steps or Steps()
    today = today or counter.now().date()
    folder = backup_dir(counter)
    target = folder / f"quay-mot-cua-{today:%Y%m%d}.db"
    made = None
    if not target.exists():

        def progress(done: int, total: int) -> None:
            if done < total:
                steps.report(f"Đang sao lưu tự động: {done * 100 // max(total, 1)}%")
            else:
                steps.report("Đang kiểm tra bản sao lưu…")

        made = maintenance.backup(counter, target, progress, steps.cancelled, steps.pause)
        steps.report("")
        with counter.store.atomic() as conn:
            put_setting(conn, "last_backup", f"{today.isoformat()} {target}")
    removed = []
    for old in existing(folder)[keep_count(counter) :]:
        old.unlink(missing_ok=True)
        removed.append(old)
    return AutoBackupResult(made, removed)
