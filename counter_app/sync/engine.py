"""Draining the outbox: lease a batch, push it, record each event's answer; repeat until empty.

The loop holds no state outside SQLite. If the process dies mid-push, its rows stay ``sending``
until their lease runs out and are then sent again; if the answer is lost on the way back, the
re-send costs only bandwidth, since the server answers a replay with the same ``ok``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from counter_app.store import outbox
from counter_app.store.database import Store
from counter_app.sync.client import ServerRefused, ServerUnavailable, SyncClient
from counter_app.wire import MAX_BATCH, WireEvent

DEFAULT_BATCH = 500
DEFAULT_LEASE = timedelta(seconds=90)  # longer than a request can take (20 s timeout, 5 s connect)


@dataclass
class PushOutcome:
    pushed: int = 0
    rejected: int = 0
    deferred: int = 0
    busy: bool = False  # another process holds the outbox lease


def rejection_text(code: str | None, message: str | None) -> str:
    return f"Máy chủ từ chối: {message or 'không rõ lý do'} (mã {code or 'conflict'})"


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
    while stop is None or not stop.is_set():
        items = outbox.lease(store, batch, now=wall(), lease=lease)
        if not items:
            outcome.busy = outbox.counts(store)["sending"] > 0
            break
        events = [
            WireEvent.model_construct(
                id=i.id,
                dossier_id=i.dossier_id,
                seq=i.seq,
                action=i.action,
                at=i.at,
                hlc=i.hlc,
                officer=i.officer,
                device_id=i.device_id,
                payload=i.payload,
            )
            for i in items
        ]
        try:
            response = client.push(events)
        except (ServerUnavailable, ServerRefused) as exc:
            outbox.release(store, [i.event_num for i in items], exc.message)
            raise
        answers = {r.id: r for r in response.results}
        acknowledged: list[int] = []
        rejected: dict[int, str] = {}
        retry: dict[int, str] = {}
        for item in items:
            answer = answers.get(item.id)
            if answer is None:
                retry[item.event_num] = "Máy chủ chưa trả lời về sự kiện này; sẽ gửi lại."
            elif answer.status == "ok":
                acknowledged.append(item.event_num)
            elif answer.status == "conflict":
                rejected[item.event_num] = rejection_text(answer.code, answer.message)
            else:
                retry[item.event_num] = answer.message or "Máy chủ hẹn gửi lại sau."
        outbox.settle(store, acknowledged=acknowledged, rejected=rejected, retry=retry)
        outcome.pushed += len(acknowledged)
        outcome.rejected += len(rejected)
        outcome.deferred = len(retry)
        if not acknowledged and not rejected:
            break  # only deferred answers: sending again right now would change nothing
    return outcome
