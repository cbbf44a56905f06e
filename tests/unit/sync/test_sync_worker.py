"""Background sync never blocks the caller; with no server it reports why in Vietnamese and backs off."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

import pytest
from helpers import receive

from counter_app.domain.errors import DomainError
from counter_app.services import sync as sync_service
from counter_app.sync.backoff import Backoff
from counter_app.sync.worker import SyncWorker


def closed_port() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def pretend_enrolled(counter) -> None:
    counter.store.set_setting("sync_server", closed_port())
    counter.store.set_setting("sync_token", "qd1.test")


def test_sync_now_without_a_server_keeps_everything_and_says_why(counter) -> None:
    pretend_enrolled(counter)
    receive(counter)
    result = sync_service.sync_now(counter, attempts=2, backoff=Backoff(base=0.01, cap=0.02))
    assert not result.complete and result.unreachable and result.pending == 1
    status = sync_service.status(counter)
    assert status.pending == 1 and status.last_success is None and "Không kết nối được" in status.last_error
    assert counter.store.scalar("SELECT state FROM outbox") == "pending"  # released, not left leased
    assert "chờ gửi: 1" in status.line_vi()


def test_not_enrolled_is_a_clear_error(counter) -> None:
    with pytest.raises(DomainError) as info:
        sync_service.sync_now(counter)
    assert info.value.code == "not_enrolled"
    assert sync_service.status(counter).line_vi() == "Chưa đăng ký đồng bộ"


def test_background_worker_does_not_block_and_stops(counter, tmp_path) -> None:
    pretend_enrolled(counter)
    receive(counter)
    worker = sync_service.start_worker(counter.store.path, interval=60)
    try:
        started = time.monotonic()
        worker.wake()
        state = worker.state()
        assert time.monotonic() - started < 0.1
        deadline = time.monotonic() + 10
        while worker.state().last_error is None and time.monotonic() < deadline:
            time.sleep(0.01)
        state = worker.state()
        assert state.running and "Không kết nối được" in state.last_error and state.pending == 1
        assert state.next_attempt_in is not None and state.next_attempt_in > 0
    finally:
        assert worker.stop(timeout=10)
    assert not worker.state().running


@dataclass
class Outcome:
    complete: bool
    error: str | None = None
    pending: int = 0


def test_worker_backs_off_after_failures_and_wakes_on_demand() -> None:
    calls: list[float] = []
    gate = threading.Event()

    def run_once(stop: threading.Event, forced: bool) -> Outcome:
        calls.append(time.monotonic())
        assert forced  # the first round and every wake() push at once
        gate.set()
        if len(calls) == 2:
            raise RuntimeError("bug")
        return Outcome(complete=len(calls) >= 3, error=None if len(calls) >= 3 else "Lỗi mạng")

    worker = SyncWorker(run_once, interval=30, backoff=Backoff(base=30, cap=30)).start()
    try:
        assert gate.wait(5)
        assert worker.state().last_error == "Lỗi mạng"
        gate.clear()
        worker.wake()  # "sync now" does not wait for the backoff
        assert gate.wait(5)
        deadline = time.monotonic() + 5
        while "RuntimeError" not in (worker.state().last_error or "") and time.monotonic() < deadline:
            time.sleep(0.01)
        assert "RuntimeError" in worker.state().last_error  # a bug is reported, the worker lives on
        gate.clear()
        worker.wake()
        assert gate.wait(5)
        deadline = time.monotonic() + 5
        while worker.state().last_success is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert worker.state().last_error is None and worker.state().last_success is not None
        assert worker.backoff.attempt == 0
    finally:
        assert worker.stop(timeout=5)
    assert len(calls) == 3


def test_timer_rounds_let_small_batches_gather(counter, clock) -> None:
    assert not sync_service.push_due(counter)
    receive(counter)
    assert not sync_service.push_due(counter)
    clock.value += sync_service.PUSH_MAX_AGE
    assert sync_service.push_due(counter)  # the oldest has waited long enough
    clock.value -= sync_service.PUSH_MAX_AGE
    for _ in range(sync_service.PUSH_MIN_BATCH - 1):
        receive(counter)
    assert sync_service.push_due(counter)  # enough for a good gzip batch
