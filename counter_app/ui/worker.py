"""One database thread for the whole window (Anki's approach to operations).

Every use case runs here, in submission order, so SQLite sees one writer and the UI thread never
waits on the disk. Results and errors come back to the UI thread through a queued signal.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from counter_app.services.changes import Changes
from counter_app.services.context import Counter
from counter_app.ui.qt import QObject, Signal, Slot, emit

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the UI thread: signals emitted from the worker thread are queued to it."""

    delivered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._deliver)

    @Slot(object)
    def _deliver(self, call: Callable[[], None]) -> None:
        call()


class _Job:
    """One use case and where its outcome goes; run on the worker thread, answered on the UI thread."""

    def __init__(
        self,
        relay: _Relay,
        fn: Callable[[], Any],
        done: Callable[[Any], None],
        failed: Callable[[Exception], None],
    ):
        self.relay, self.fn, self.done, self.failed = relay, fn, done, failed

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the UI thread, which decides how to tell the officer
            err = exc
            emit(self.relay.delivered, lambda: self.failed(err))
            return
        emit(self.relay.delivered, lambda: self.done(result))


class Worker(QObject):
    """Runs ``fn(counter)`` off the UI thread; ``busy_changed`` drives the busy indicator."""

    busy_changed = Signal(bool)
    unexpected = Signal(object)
    changed = Signal(object)  # services.changes.Changes: what the job changed; every page listens

    def __init__(self, counter: Counter) -> None:
        super().__init__()
        self.counter = counter
        # A plain Python thread, not a QThreadPool: PySide6 6.12 loses two references to None on
        # every QRunnable.run() it calls back, and a day of jobs then aborts the interpreter
        # ("none_dealloc"). One thread for the window's life: SQLite prefers a stable writer.
        self._queue: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._unfinished = 0  # submitted and not yet run to the end (wait() waits for these)
        self._finished = threading.Condition()
        self._relay = _Relay()
        self._pending = 0  # submitted and not yet answered on the UI thread (busy, idle)
        self._jobs: set[_Job] = set()
        self.idle = threading.Event()  # housekeeping on other threads waits on this: the officer first
        self.idle.set()

    def submit(
        self,
        fn: Callable[[Counter], Any],
        done: Callable[[Any], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.idle.clear()
            emit(self.busy_changed, True)

        def call() -> tuple[Any, Changes]:
            """On the worker thread: the use case, then what it recorded (no other job runs between)."""
            try:
                return fn(self.counter), self.counter.take_changes()
            except Exception:
                self.counter.take_changes()  # a refused use case committed nothing
                raise

        def finish(outcome: tuple[Any, Changes]) -> None:
            result, changes = outcome
            self._settle(job)
            if done:
                done(result)
            if changes:
                emit(self.changed, changes)

        def fail(exc: Exception) -> None:
            self._settle(job)
            if failed:
                failed(exc)
            else:
                emit(self.unexpected, exc)

        job = _Job(self._relay, call, finish, fail)
        self._jobs.add(job)
        with self._finished:
            self._unfinished += 1
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="counter-worker", daemon=True)
            self._thread.start()
        self._queue.put(job)

    def _loop(self) -> None:
        while True:
            job = self._queue.get()
            try:
                job.run()
            finally:
                with self._finished:
                    self._unfinished -= 1
                    self._finished.notify_all()

    def _settle(self, job: _Job) -> None:
        self._jobs.discard(job)
        self._pending -= 1
        if self._pending == 0:
            self.idle.set()
            emit(self.busy_changed, False)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued jobs have run (shutdown and tests only); their answers are then
        queued to the UI thread. False if ``msecs`` passed first."""
        with self._finished:
            return self._finished.wait_for(lambda: self._unfinished == 0, msecs / 1000)
