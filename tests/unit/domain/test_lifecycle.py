from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from counter_app.domain.deadlines import ResultClass
from counter_app.domain.errors import TransitionError, ValidationError
from counter_app.domain.lifecycle import TRANSITIONS, Action, Event, State, apply, replay

T0 = datetime(2026, 11, 16, 9, 0)


def receive(due: datetime = datetime(2026, 11, 19, 9, 0)) -> Event:
    return Event(
        "e1", "d1", 1, Action.RECEIVE, T0, "0000000000001-00000", "canbo", "dev",
        {
            "code": "000.00.21.H40-261116-0001",
            "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "processing": {}},
            "applicant": {"name": "Lê Văn Lương", "id_type": "cccd", "id_number": "089202017098"},
            "channel": "direct", "fee": 0, "sets": 1, "due_at": due.isoformat(),
        },
    )  # fmt: skip


def step(dossier, action: Action, hours: int, **payload):
    e = Event(
        f"e{dossier.last_seq + 1}",
        "d1",
        dossier.last_seq + 1,
        action,
        T0 + timedelta(hours=hours),
        "x",
        "u",
        "dev",
        payload,
    )
    return apply(dossier, e)


def test_happy_path_states() -> None:
    d = apply(None, receive())
    assert d.state == State.RECEIVED and d.due_at == datetime(2026, 11, 19, 9, 0)
    d = step(d, Action.TRANSFER, 1, handler="Tư pháp")
    d = step(d, Action.REQUEST_SUPPLEMENT, 2, reason="thiếu")
    assert d.state == State.SUPPLEMENT and d.paused_since == T0 + timedelta(hours=2)
    d = step(d, Action.RECEIVE_SUPPLEMENT, 24, due_at="2026-11-20T09:00:00")
    assert (
        d.state == State.IN_PROGRESS and d.paused_since is None and d.due_at == datetime(2026, 11, 20, 9, 0)
    )
    d = step(d, Action.READY, 48)
    assert d.state == State.READY and d.result_class == ResultClass.EARLY
    d = step(d, Action.RETURN, 50, rating="satisfied")
    assert d.state == State.RETURNED and d.rating == "satisfied"
    assert d.original_due_at == datetime(2026, 11, 19, 9, 0)


def test_late_result_classified_late() -> None:
    d = step(apply(None, receive()), Action.READY, 24 * 4)
    assert d.result_class == ResultClass.LATE


@pytest.mark.parametrize(
    "action", [a for a, (allowed, _) in TRANSITIONS.items() if State.RETURNED not in allowed]
)
def test_every_action_refused_outside_its_states(action: Action) -> None:
    d = step(step(apply(None, receive()), Action.READY, 1), Action.RETURN, 2)  # RETURNED
    with pytest.raises(TransitionError):
        step(d, action, 3, reason="x", rating="satisfied")


def test_second_return_names_the_first() -> None:
    d = step(step(apply(None, receive()), Action.READY, 1), Action.RETURN, 2)
    with pytest.raises(TransitionError, match="đã trả kết quả lúc"):
        step(d, Action.RETURN, 3)


def test_event_earlier_than_previous_refused() -> None:
    d = step(apply(None, receive()), Action.TRANSFER, 5)
    with pytest.raises(ValidationError, match="sớm hơn"):
        step(d, Action.READY, 1)


def test_gap_in_sequence_refused() -> None:
    d = apply(None, receive())
    e = Event("e3", "d1", 3, Action.TRANSFER, T0, "x", "u", "dev", {})
    with pytest.raises(ValidationError):
        apply(d, e)


def test_replay_equals_incremental_projection() -> None:
    d = apply(None, receive())
    events = [receive()]
    for action, hours, payload in [
        (Action.TRANSFER, 1, {"handler": "A"}),
        (Action.APOLOGIZE, 2, {"reason": "chậm", "due_at": "2026-11-25T17:00:00"}),
        (Action.READY, 30, {}),
    ]:
        e = Event(
            f"e{d.last_seq + 1}",
            "d1",
            d.last_seq + 1,
            action,
            T0 + timedelta(hours=hours),
            "x",
            "u",
            "dev",
            payload,
        )
        events.append(e)
        d = apply(d, e)
    assert replay(list(reversed(events))) == d
    assert d.apologies == 1 and d.due_at == datetime(2026, 11, 25, 17, 0)
