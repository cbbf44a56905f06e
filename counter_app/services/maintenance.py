"""Backup, restore, verification and support figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app.services import attachments as attachment_service
from counter_app.services.changes import EVERYTHING, reports
from counter_app.services.context import Counter
from counter_app.services.steps import Steps
from counter_app.store import audit
from counter_app.store import backup as backup_store
from counter_app.store import dossiers as dossier_store
from counter_app.store.backup import backup_to, integrity_ok, quick_check_ok, restore_from


def backup(
    counter: Counter,
    target: Path,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    pause: Callable[[], None] | None = None,
) -> Path:
    """Audit first, then copy: the backup then holds the record of its own making."""
    with counter.store.atomic() as conn:
        counter.audit(
            conn,
            officer="system",
            action="backup",
            subject=str(target),
            detail={},
        )
    return backup_to(counter.store, target, progress, cancelled, pause)


@reports(EVERYTHING)
def restore(counter: Counter, source: Path) -> None:
    restore_from(counter.store, source)
    counter.reload_calendar()
    with counter.store.atomic() as conn:
        counter.audit(
            conn,
            officer="system",
            action="restore",
            subject=str(source),
            detail={},
        )


@dataclass
class VerifyReport:
    integrity: bool
    events_break: int | None
    audit_break: int | None
    projection_mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.integrity
            and self.events_break is None
            and self.audit_break is None
            and not self.projection_mismatches
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "integrity": self.integrity,
            "events_chain_break": self.events_break,
            "audit_chain_break": self.audit_break,
            "projection_mismatches": self.projection_mismatches[:100],
            "attachments": None if self.attachments is None else self.attachments.to_json(),
        }

    def lines_vi(self) -> list[str]:
        lines = ["Toàn vẹn tệp dữ liệu: " + ("tốt" if self.integrity else "HỎNG")]
        lines.append(
            "Chuỗi nhật ký sự kiện: "
            + ("nguyên vẹn" if self.events_break is None else f"bị sửa/xóa tại dòng {self.events_break}")
        )
        lines.append(
            "Chuỗi nhật ký quản trị: "
            + ("nguyên vẹn" if self.audit_break is None else f"bị sửa/xóa tại dòng {self.audit_break}")
        )
        if self.projection_mismatches:
            lines.append("Hồ sơ lệch với nhật ký: " + ", ".join(self.projection_mismatches[:20]))
        else:
            lines.append("Bảng hồ sơ khớp nhật ký sự kiện.")
        if self.attachments is not None:
            lines += self.attachments.lines_vi()
        return lines


def verify(counter: Counter) -> VerifyReport:
    """Integrity check, both hash chains, and every dossier row against the replay of its events."""
    store = counter.store
    report = VerifyReport(integrity_ok(store.conn), dossier_store.verify_chain(store), audit.verify(store))
    report.projection_mismatches = dossier_store.projection_mismatches(store)
    report.attachments = attachment_service.verify_attachments(counter)
    return report


def quick_check(counter: Counter, steps: Steps | None = None) -> bool:
    """SQLite's quick_check: the page-level half of integrity_check, run after each start; it
    gives way to the officer (``steps``) and stops when the window closes."""
    steps = steps or Steps()
    return quick_check_ok(counter.store, steps.pause, steps.cancelled)


def rebuild(counter: Counter) -> int:
    count = dossier_store.rebuild_projection(counter.store)
    attachment_service.rebuild_attachments(counter.store)
    return count


def stats(counter: Counter) -> dict[str, Any]:
    data: dict[str, Any] = dict(dossier_store.stats(counter.store))
    data["last_sync"] = counter.store.get_setting("last_sync")
    return data


def defer_checkpoints(officer: Counter) -> None:
    """The officer's connection stops checkpointing; call :func:`checkpoint` from another one."""
    backup_store.defer_checkpoints(officer.store)


def checkpoint(counter: Counter) -> int:
    """Fold the write-ahead log back into the database file (housekeeping, every few seconds)."""
    return backup_store.checkpoint(counter.store)
