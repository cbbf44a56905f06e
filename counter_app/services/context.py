"""The open counter: its database, identity, working calendar and clocks, shared by every use case."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from counter_app.domain.calendar import WorkingCalendar, WorkingHours
from counter_app.domain.deadlines import PauseMode
from counter_app.domain.hlc import HybridClock, Timestamp
from counter_app.services.changes import NOTHING, Changes
from counter_app.store import audit as audit_store
from counter_app.store import calendar as calendar_store
from counter_app.store.database import Store, StoreError, put_setting

__all__ = ["Counter", "StoreError", "local_now", "open_counter"]

DEFAULT_AGENCY_CODE = "000.00.00.H00"
DEFAULT_AGENCY_NAME = "UBND xã Mẫu (dữ liệu trình diễn)"


def local_now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class Counter:
    """Everything a service needs; built once per process by :func:`open_counter`."""

    store: Store
    now: Callable[[], datetime] = local_now
    calendar: WorkingCalendar = field(init=False)
    clock: HybridClock = field(init=False)
    changes: Changes = field(init=False, default=NOTHING)

    def __post_init__(self) -> None:
        self.reload_calendar()
        last = self.store.get_setting("hlc")
        self.clock = HybridClock(Timestamp.decode(last) if last else None)

    # -- identity ------------------------------------------------------------------------------
    @property
    def device_id(self) -> str:
        return self.store.get_setting("device_id") or ""

    @property
    def slot(self) -> int:
        return int(self.store.get_setting("slot", "0") or 0)

    @property
    def agency_code(self) -> str:
        return self.store.get_setting("agency_code", DEFAULT_AGENCY_CODE) or DEFAULT_AGENCY_CODE

    @property
    def agency_name(self) -> str:
        return self.store.get_setting("agency_name", DEFAULT_AGENCY_NAME) or DEFAULT_AGENCY_NAME

    @property
    def pause_mode(self) -> PauseMode:
        return PauseMode(self.store.get_setting("pause_mode", PauseMode.PAUSE_RESUME.value))

    # -- calendar ------------------------------------------------------------------------------
    def record(self, changes: Changes) -> None:
        """A use case says what it changed (after its transaction committed)."""
        self.changes = self.changes | changes

    def take_changes(self) -> Changes:
        """What changed since the last call; the window's worker asks after each job."""
        taken, self.changes = self.changes, NOTHING
        return taken

    def reload_calendar(self) -> None:
        hours = WorkingHours.parse(self.store.get_setting("working_hours") or str(WorkingHours()))
        weekend = [int(x) for x in (self.store.get_setting("weekend") or "5,6").split(",") if x.strip()]
        self.calendar = WorkingCalendar(hours, weekend, calendar_store.effective(self.store))

    def next_hlc(self, conn: sqlite3.Connection) -> str:
        """Tick the clock and persist it in the caller's transaction, so a restart never reuses a stamp.

        The sync worker writes through its own connection; reading the persisted stamp first (inside
        the same write transaction) keeps both writers' stamps strictly increasing."""
        persisted = conn.execute("SELECT value FROM settings WHERE key = 'hlc'").fetchone()
        if persisted:
            self.clock.advance_to(Timestamp.decode(persisted[0]))
        stamp = self.clock.tick().encode()
        put_setting(conn, "hlc", stamp)
        return stamp

    def audit(
        self,
        conn: sqlite3.Connection,
        *,
        officer: str,
        action: str,
        subject: str,
        detail: dict,
        at: str | None = None,
    ) -> None:
        """Append an administrative action to the hash-chained log, stamped with this counter and time."""
        audit_store.record(
            conn,
            at=at or self.now().isoformat(timespec="seconds"),
            officer=officer,
            device_id=self.device_id,
            action=action,
            subject=subject,
            detail=detail,
        )

    def save_clock(self, conn: sqlite3.Connection) -> None:
        """Persist the clock after ticking it many times in one transaction."""
        put_setting(conn, "hlc", self.clock.last.encode())


def open_counter(path: Path | str, now: Callable[[], datetime] = local_now) -> Counter:
    return Counter(Store(path), now=now)
