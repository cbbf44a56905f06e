"""Background sync: a plain thread with a stop event, so nothing in the officer's day waits for the network.

The worker calls one ``run_once(stop, forced)`` function (services.sync builds it) at start, every
``interval`` seconds, and whenever ``wake()`` is called ("sync now" in the UI). ``forced`` is true for
the first round and for "sync now": the function may then push even a small batch, while timer
rounds let events gather (small gzip batches cost more bytes per event). After a failure the worker
waits with exponential backoff and jitter instead. ``wake``, ``status`` and ``stop`` return
at once (``stop`` waits at most its timeout for an HTTP request in flight).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from counter_app.sync.backoff import Backoff

log = logging.getLogger("counter_app.sync")


class Outcome(Protocol):
    complete: bool
    error: str | None
    pending: int


@dataclass(frozen=True)
class WorkerState:
    running: bool
    last_success: datetime | None
    last_error: str | None
    pending: int | None
    next_attempt_in: float | None


class SyncWorker:
    def __init__(
        self,
        run_once: Callable[[threading.Event, bool], Outcome],
        *,
        interval: float = 600.0,
        backoff: Backoff | None = None,
        on_exit: Callable[[], None] | None = None,
        on_result: Callable[[Outcome], None] | None = None,
        name: str = "sync-worker",
    ) -> None:
        self._run_once = run_once
        self.interval = interval
        self.backoff = backoff or Backoff(base=5.0, cap=600.0)
        self._on_exit = on_exit
        self._on_result = on_result
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name=name, daemon=True)
        self._last_success: datetime | None = None
        self._last_error: str | None = None
        self._pending: int | None = None
        self._next_at: float | None = None
        self._forced = True  # the first round pushes whatever waited while the app was closed
        self.runs = 0

    # -- the caller's side (never blocks) -------------------------------------------------------------
    def start(self) -> SyncWorker:
        self._thread.start()
        return self

    def wake(self) -> None:
        """Sync now: the worker starts a full round as soon as the current one (if any) ends."""
        self._forced = True
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the worker to end; True when its thread has finished within ``timeout``."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    def state(self) -> WorkerState:
        with self._lock:
            wait = None if self._next_at is None else max(0.0, self._next_at - time.monotonic())
            return WorkerState(
                self._thread.is_alive(), self._last_success, self._last_error, self._pending, wait
            )

    # -- the thread -----------------------------------------------------------------------------------
    def _loop(self) -> None:
        try:
            while not self._stop.is_set():
                self._wake.clear()
                forced, self._forced = self._forced, False
                self.runs += 1
                try:
                    outcome = self._run_once(self._stop, forced)
                    ok, error, pending = outcome.complete, outcome.error, outcome.pending
                except Exception as exc:  # a bug must not kill background sync for the rest of the day
                    log.exception("sync round failed")
                    outcome, ok, pending = None, False, None
                    error = (
                        getattr(exc, "message", None)
                        or f"Lỗi không mong đợi khi đồng bộ ({type(exc).__name__})."
                    )
                if ok:
                    self.backoff.reset()
                    delay = self.interval
                else:
                    delay = self.backoff.next_delay()
                with self._lock:
                    if ok:
                        self._last_success = datetime.now().replace(microsecond=0)
                    self._last_error = None if ok else error
                    self._pending = pending
                    self._next_at = time.monotonic() + delay
                if outcome is not None and self._on_result is not None:
                    try:
                        self._on_result(outcome)
                    except Exception:
                        log.exception("sync status listener failed")
                self._wake.wait(delay)
        finally:
            with self._lock:
                self._next_at = None
            if self._on_exit is not None:
                self._on_exit()
