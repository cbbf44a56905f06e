"""Draining the outbox: lease a batch, push it, record each event's answer; repeat until empty.

The loop holds no state outside SQLite. If the process dies mid-push, its rows stay ``sending``
until their lease runs out and are then sent again; if the answer is lost on the way back, the
re-send costs only bandwidth, since the server answers a replay with the same ``ok``.

Batches go out one at a time, in order, but the counter's share overlaps the server's: while a
second thread waits for one batch's answer, the next batch is leased and encoded, and the answer
of one is recorded while the next is on the way (issue 14).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from counter_app.domain.errors import DomainError
from counter_app.store import outbox
from counter_app.store.database import Store
from counter_app.sync.client import SyncClient
from counter_app.wire import MAX_BATCH, PushResponse, push_body

DEFAULT_BATCH = 500
DEFAULT_LEASE = timedelta(seconds=90)  # longer than a request can take (20 s timeout, 5 s connect)
BROKEN_OFF = "Đồng bộ bị ngắt giữa chừng; sẽ gửi lại."


@dataclass
class PushOutcome:
    pushed: int = 0
    rejected: int = 0
    deferred: int = 0
    busy: bool = False  # another process holds the outbox lease


def rejection_text(code: str | None, message: str | None) -> str:
    return f"Máy chủ từ chối: {message or 'không rõ lý do'} (mã {code or 'conflict'})"


@dataclass
class _Answers:
    acknowledged: list[int]
    rejected: dict[int, str]
    retry: dict[int, str]


def _sort(items: list[outbox.Outgoing], response: PushResponse) -> _Answers:
    answers = {r.id: r for r in response.results}
    out = _Answers([], {}, {})
    for item in items:
        answer = answers.get(item.id)
        if answer is None:
            out.retry[item.event_num] = "Máy chủ chưa trả lời về sự kiện này; sẽ gửi lại."
        elif answer.status == "ok":
            out.acknowledged.append(item.event_num)
        elif answer.status == "conflict":
            out.rejected[item.event_num] = rejection_text(answer.code, answer.message)
        else:
            out.retry[item.event_num] = answer.message or "Máy chủ hẹn gửi lại sau."
    return out


def push_pending(
    store: Store,
    client: SyncClient,
    *,
    batch: int = DEFAULT_BATCH,
    lease: timedelta = DEFAULT_LEASE,
    wall: Callable[[], datetime] = datetime.now,
    stop: threading.Event | None = None,
    outcome: PushOutcome | None = None,
) -> PushOutcome:
    """Push until nothing is pending; raises ServerUnavailable / ServerRefused after giving the rows back."""
    outcome = outcome or PushOutcome()
    batch = max(1, min(batch, MAX_BATCH))

    def stopped() -> bool:
        return stop is not None and stop.is_set()

    if stopped():
        return outcome
    inflight = outbox.lease(store, batch, now=wall(), lease=lease)  # sent, answer awaited
    if not inflight:
        outcome.busy = outbox.counts(store)["sending"] > 0
        return outcome
    ready: list[outbox.Outgoing] = []  # leased and encoded, not sent yet
    unsettled: list[outbox.Outgoing] = []  # answered, answer not recorded yet
    with ThreadPoolExecutor(1, thread_name_prefix="sync-push") as pool:
        answer: Future[PushResponse] = pool.submit(client.push_body, push_body(i.wire for i in inflight))
        try:
            while True:
                ready = [] if stopped() else outbox.lease(store, batch, now=wall(), lease=lease, held=True)
                body = push_body(i.wire for i in ready) if ready else b""
                response = answer.result()
                unsettled, inflight = inflight, []
                result = _sort(unsettled, response)
                # Only deferred answers: sending again right now would change nothing.
                progress = bool(result.acknowledged or result.rejected) and not stopped()
                go_on = progress and bool(ready)
                if go_on:
                    inflight, ready = ready, []
                    answer = pool.submit(client.push_body, body)
                outbox.settle(
                    store, acknowledged=result.acknowledged, rejected=result.rejected, retry=result.retry
                )
                unsettled = []
                outcome.pushed += len(result.acknowledged)
                outcome.rejected += len(result.rejected)
                outcome.deferred = len(result.retry)
                if not go_on:
                    if progress and result.retry and not ready:  # the deferred ones, once more
                        inflight = outbox.lease(store, batch, now=wall(), lease=lease)
                        if inflight:
                            answer = pool.submit(client.push_body, push_body(i.wire for i in inflight))
                            continue
                    break
        except BaseException as exc:
            if not answer.done():
                answer.exception()  # rows on the way are given back only once their request ended
            message = exc.message if isinstance(exc, DomainError) else BROKEN_OFF
            if inflight or unsettled:
                outbox.release(store, [i.event_num for i in inflight + unsettled], message)
            if ready:
                outbox.give_back(store, [i.event_num for i in ready])
            raise
        if ready:
            outbox.give_back(store, [i.event_num for i in ready])
    return outcome
