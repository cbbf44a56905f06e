"""The outbox on a real SQLite counter: leases, expiry after a crash, answers, and no regressions."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from helpers import receive

from counter_app.services import actions
from counter_app.store import outbox

LEASE = timedelta(seconds=60)
T0 = datetime(2026, 11, 16, 9, 0)


def states(counter) -> dict[str, int]:
    return dict(counter.store.conn.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())


def test_lease_takes_the_oldest_rows_in_order_with_the_event_as_stored(counter) -> None:
    d = receive(counter).dossier
    actions.perform(counter, actions.ActionRequest(code=d.code, action="transfer", handler="Tư pháp"))
    receive(counter)
    first = outbox.lease(counter.store, 2, now=T0, lease=LEASE)
    assert [i.seq for i in first] == [1, 2] and first[0].dossier_id == d.id == first[1].dossier_id
    assert first[0].payload["code"] == d.code and first[0].at == "2026-11-16T09:00:00"
    assert states(counter) == {"sending": 2, "pending": 1}
    assert counter.store.scalar("SELECT attempts FROM outbox WHERE event_num = ?", (first[0].event_num,)) == 1


def test_one_pusher_at_a_time(counter) -> None:
    for _ in range(3):
        receive(counter)
    assert len(outbox.lease(counter.store, 1, now=T0, lease=LEASE)) == 1
    assert outbox.lease(counter.store, 10, now=T0 + timedelta(seconds=30), lease=LEASE) == []
    assert outbox.counts(counter.store) == {"pending": 2, "sending": 1, "rejected": 0}


def test_a_dead_pushers_lease_expires_and_the_rows_go_again(counter) -> None:
    receive(counter)
    [item] = outbox.lease(counter.store, 10, now=T0, lease=LEASE)
    # The process holding the lease was killed: nothing happens until the lease runs out.
    assert outbox.lease(counter.store, 10, now=T0 + timedelta(seconds=59), lease=LEASE) == []
    [again] = outbox.lease(counter.store, 10, now=T0 + timedelta(seconds=61), lease=LEASE)
    assert again.event_num == item.event_num
    assert counter.store.scalar("SELECT attempts FROM outbox") == 2


def test_a_clock_set_back_does_not_freeze_the_outbox(counter) -> None:
    receive(counter)
    outbox.lease(counter.store, 10, now=T0, lease=LEASE)
    # The PC clock was two hours fast and got corrected: the lease lies in the far future.
    assert len(outbox.lease(counter.store, 10, now=T0 - timedelta(hours=2), lease=LEASE)) == 1


def test_answers_and_release(counter) -> None:
    for _ in range(4):
        receive(counter)
    items = outbox.lease(counter.store, 4, now=T0, lease=LEASE)
    nums = [i.event_num for i in items]
    outbox.settle(
        counter.store,
        acknowledged=[nums[0]],
        rejected={nums[1]: "Máy chủ từ chối: lý do (mã seq_taken)"},
        retry={nums[2]: "hẹn gửi lại"},
    )
    outbox.release(counter.store, [nums[3]], "Không kết nối được máy chủ")
    assert states(counter) == {"acknowledged": 1, "rejected": 1, "pending": 2}
    [row] = outbox.rejected(counter.store)
    assert row["reason"].startswith("Máy chủ từ chối") and row["action"] == "receive"
    # A late duplicate answer never moves an acknowledged row back.
    outbox.release(counter.store, [nums[0]], "x")
    outbox.settle(counter.store, rejected={nums[0]: "x"})
    assert counter.store.scalar("SELECT state FROM outbox WHERE event_num = ?", (nums[0],)) == "acknowledged"
    assert [i.event_num for i in outbox.lease(counter.store, 10, now=T0, lease=LEASE)] == [nums[2], nums[3]]


def test_pulled_events_never_enter_the_outbox(counter, tmp_path, clock) -> None:
    from counter_app.services.context import open_counter
    from counter_app.services.setup import initialize
    from counter_app.store import dossiers as dossier_store

    other = open_counter(tmp_path / "other.db", now=clock)
    try:
        initialize(other, agency_code="000.00.21.H40")
        d = receive(other).dossier
        events = dossier_store.events_of(other.store, d)
        with counter.store.atomic():
            result = outbox.apply_remote(counter.store, events, agency_code=counter.agency_code, slot=5)
        assert result.applied == 1
        assert counter.store.scalar("SELECT count(*) FROM outbox") == 0
    finally:
        other.store.close()


def test_the_leased_wire_text_is_the_event_as_the_wire_format_has_it(counter) -> None:
    """SQLite writes the wire JSON; it must parse strictly and equal the stored event, payload and all."""
    from counter_app.store import dossiers as dossier_store
    from counter_app.wire import PushRequest, WireEvent, dumps, inflate, push_body

    d = receive(counter, name='Đặng Thị "Bé" Hoa\\', address="Tổ 1\nẤp 2").dossier
    actions.perform(counter, actions.ActionRequest(code=d.code, action="transfer", handler="Tư pháp"))
    items = outbox.lease(counter.store, 10, now=T0, lease=LEASE)
    stored = [WireEvent.from_event(e) for e in dossier_store.events_of(counter.store, d)]
    assert [WireEvent.model_validate_json(i.wire) for i in items] == stored
    body = json.loads(inflate(push_body(i.wire for i in items)))
    assert body == json.loads(dumps(PushRequest(events=stored)))


def test_the_pusher_leases_its_next_batch_while_one_is_on_the_way(counter) -> None:
    for _ in range(5):
        receive(counter)
    first = outbox.lease(counter.store, 2, now=T0, lease=LEASE)
    assert outbox.lease(counter.store, 2, now=T0, lease=LEASE) == []  # another pusher: no
    second = outbox.lease(counter.store, 2, now=T0, lease=LEASE, held=True)
    assert [i.event_num for i in second] == [first[-1].event_num + 1, first[-1].event_num + 2]
    outbox.give_back(counter.store, [i.event_num for i in second])  # never sent: as if never taken
    assert states(counter) == {"sending": 2, "pending": 3}
    assert counter.store.conn.execute(
        "SELECT attempts, last_error FROM outbox WHERE event_num = ?", (second[0].event_num,)
    ).fetchone() == (0, None)
