"""The counter's own chores beside the officer: daily backup, integrity check, slow figures.

They run on a second thread with a second database connection, so an officer who searches the
moment the dashboard appears is answered at once, not after a 3 GB copy (WAL lets the officer's
connection read and write while this one reads). Every step first waits while the officer's
worker has work (``Worker.idle``), and closing the window stops the chore between two steps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from counter_app.domain.errors import DomainError
from counter_app.services.context import Counter, open_counter
from counter_app.services.steps import Steps
from counter_app.ui.qt import QObject, QtCore, Signal, emit
from counter_app.ui.worker import Worker

log = logging.getLogger(__name__)

CHECK_EVERY_MS = 10 * 60 * 1000  # a window left open past midnight makes the new day's copy
CHECKPOINT_EVERY_MS = 5_000


class Housekeeping(QObject):
    status = Signal(str)  # a line for the status bar while a chore runs ("" when it is done)
    backed_up = Signal(str)  # the new copy's path
    backup_failed = Signal(str)  # a Vietnamese reason
    damaged = Signal()  # the integrity check found damage

    def __init__(self, db_path: Path, officer: Worker) -> None:
        super().__init__()
        self.officer = officer
        self.worker = Worker(open_counter(db_path, now=officer.counter.now))
        self.steps = Steps(officer_idle=officer.idle)
        self.steps.report = lambda text: emit(self.status, text)
        self._day: date | None = None
        self._checked = False
        self.timer = QtCore.QTimer(self)
        self.timer.timeout.connect(self.daily)
        # The officer's commits never stop to fold the WAL into a multi-GB file; this thread does.
        from counter_app.services import maintenance

        maintenance.defer_checkpoints(officer.counter)
        self.checkpoints = QtCore.QTimer(self)
        self.checkpoints.timeout.connect(self.checkpoint)

    @property
    def counter(self) -> Counter:
        return self.worker.counter

    def submit(
        self,
        fn: Callable[[Counter], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """Slow reads that can wait their turn (the digitization share of the dashboard)."""
        self.worker.submit(fn, done, failed or (lambda exc: log.warning("housekeeping read failed: %s", exc)))

    def start(self) -> None:
        self.daily()
        self.timer.start(CHECK_EVERY_MS)
        self.checkpoints.start(CHECKPOINT_EVERY_MS)

    def checkpoint(self) -> None:
        """Queued behind a running backup, whose snapshot would keep the WAL's tail anyway."""
        if self.worker.busy:
            return
        from counter_app.services import maintenance

        self.worker.submit(maintenance.checkpoint)

    def daily(self) -> None:
        """Today's copy if it is missing (its check stands for the day's integrity check); else,
        once per start, SQLite's quick_check."""
        today = self.counter.now().date()
        if today == self._day:
            return
        self._day = today
        from counter_app.services import autobackup

        def made(result: autobackup.AutoBackupResult) -> None:
            if result.made:
                self._checked = True
                emit(self.backed_up, str(result.made))
            else:
                self._quick_check()

        def failed(exc: Exception) -> None:
            emit(self.status, "")
            if getattr(exc, "code", "") == "cancelled":
                return
            emit(self.backup_failed, exc.message if isinstance(exc, DomainError) else str(exc))
            self._quick_check()

        self.worker.submit(lambda counter: autobackup.run_daily(counter, steps=self.steps), made, failed)

    def _quick_check(self) -> None:
        if self._checked:
            return
        self._checked = True
        from counter_app.services.maintenance import quick_check

        def checked(ok: bool) -> None:
            emit(self.status, "")
            if not ok:
                emit(self.damaged)

        def failed(exc: Exception) -> None:
            emit(self.status, "")
            if getattr(exc, "code", "") != "cancelled":
                log.warning("quick_check failed: %s", exc)

        emit(self.status, "Đang kiểm tra nhanh dữ liệu…")
        self.worker.submit(lambda counter: quick_check(counter, self.steps), checked, failed)

    def stop(self, msecs: int = 10_000) -> None:
        """At exit: the chore stops between two steps (a partial copy is removed), then the connection closes."""
        self.timer.stop()
        self.checkpoints.stop()
        self.steps.stop()
        self.worker.wait(msecs)
        self.counter.store.close()
