from __future__ import annotations

from pathlib import Path

import pytest
from helpers import receive

from counter_app.services import maintenance
from counter_app.services.context import Counter
from counter_app.store.database import StoreError

TABLES = ["settings", "officers", "procedures", "dossiers", "events", "outbox", "day_sequences", "audit_log"]


def dump(counter: Counter) -> dict[str, list]:
    return {t: counter.store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def test_backup_then_restore_gives_back_every_table(counter: Counter, tmp_path: Path) -> None:
    receive(counter)
    target = maintenance.backup(counter, tmp_path / "bk" / "counter-backup.db")
    saved = dump(counter)
    receive(counter, name="Người Sau Sao Lưu")
    maintenance.restore(counter, target)
    restored = dump(counter)
    restored["audit_log"] = restored["audit_log"][: len(saved["audit_log"])]  # restore itself is audited
    for table in ("settings",):  # audit_head moves with the restore record
        restored[table] = [r for r in restored[table] if r[0] != "audit_head"]
        saved[table] = [r for r in saved[table] if r[0] != "audit_head"]
    assert restored == saved
    assert maintenance.verify(counter).ok


def test_restore_refuses_garbage(counter: Counter, tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        maintenance.restore(counter, bad)
    with pytest.raises(StoreError, match="Không tìm thấy"):
        maintenance.restore(counter, tmp_path / "missing.db")


def test_backup_reports_progress_and_can_be_cancelled(counter: Counter, tmp_path: Path) -> None:
    from counter_app.store.backup import BackupCancelled

    seen: list[tuple[int, int]] = []
    maintenance.backup(counter, tmp_path / "ok.db", progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[-1][0] == seen[-1][1] > 0
    with pytest.raises(BackupCancelled, match="Đã hủy sao lưu"):
        maintenance.backup(counter, tmp_path / "stopped.db", cancelled=lambda: True)
    assert not (tmp_path / "stopped.db").exists() and not (tmp_path / "stopped.db.partial").exists()
