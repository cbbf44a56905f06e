from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from helpers import receive

from counter_app.services import autobackup, settings
from counter_app.services.context import Counter


def test_daily_copy_is_checked_once_a_day_and_rotated(counter: Counter, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    settings.change(counter, "backup_dir", str(usb), "admin")
    settings.change(counter, "backup_keep", "3", "admin")
    receive(counter)
    first = autobackup.run_daily(counter, date(2026, 11, 16))
    assert first.made == usb / "quay-mot-cua-20261116.db"
    with sqlite3.connect(first.made) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM dossiers").fetchone()[0] == 1
    assert autobackup.run_daily(counter, date(2026, 11, 16)).made is None  # already done today
    for i in range(1, 5):
        autobackup.run_daily(counter, date(2026, 11, 16) + timedelta(days=i))
    kept = autobackup.existing(usb)
    assert [p.name for p in kept] == [f"quay-mot-cua-202611{d}.db" for d in (20, 19, 18)]
    assert autobackup.newest_backup(counter) == kept[0]
    assert counter.store.get_setting("last_backup").startswith("2026-11-20")
