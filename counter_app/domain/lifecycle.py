"""The dossier lifecycle: immutable events, an explicit state machine, and the projection.

A dossier row is only ever the fold of its events through :func:`apply`, both when an event is
appended and when every row is rebuilt from the event log, so the two can never disagree. Due
dates are computed by the service when an event is made (they need the working calendar) and
travel inside the event payload; the projection itself needs nothing but the events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from counter_app.domain.deadlines import OpenClass, ResultClass, classify_open, classify_result
from counter_app.domain.errors import TransitionError, ValidationError


class State(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    SUPPLEMENT = "supplement"
    READY = "ready"
    RETURNED = "returned"
    REFUSED = "refused"
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


STATE_LABELS: dict[State, str] = {
    State.RECEIVED: "Mới tiếp nhận",
    State.IN_PROGRESS: "Đang giải quyết",
    State.SUPPLEMENT: "Chờ bổ sung",
    State.READY: "Có kết quả, chờ trả",
    State.RETURNED: "Đã trả kết quả",
    State.REFUSED: "Từ chối giải quyết",
    State.STOPPED: "Dừng giải quyết",
    State.WITHDRAWN: "Công dân rút hồ sơ",
    State.CANCELLED: "Đã hủy",
}

OPEN_STATES = frozenset({State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT, State.READY})
PROCESSING_STATES = frozenset({State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT})


class Action(StrEnum):
    RECEIVE = "receive"
    TRANSFER = "transfer"
    REQUEST_SUPPLEMENT = "request-supplement"
    RECEIVE_SUPPLEMENT = "receive-supplement"
    REFUSE = "refuse"
    STOP = "stop"
    READY = "ready"
    RETURN = "return"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"
    APOLOGIZE = "apologize"
    RATE = "rate"
    RESCHEDULE = "reschedule"
    ATTACH = "attach"
    DETACH = "detach"
    ARRANGE = "arrange"


ACTION_LABELS: dict[Action, str] = {
    Action.RECEIVE: "Tiếp nhận hồ sơ",
    Action.TRANSFER: "Chuyển xử lý",
    Action.REQUEST_SUPPLEMENT: "Yêu cầu bổ sung hồ sơ",
    Action.RECEIVE_SUPPLEMENT: "Nhận hồ sơ bổ sung",
    Action.REFUSE: "Từ chối giải quyết",
    Action.STOP: "Dừng giải quyết",
    Action.READY: "Có kết quả",
    Action.RETURN: "Trả kết quả",
    Action.WITHDRAW: "Công dân rút hồ sơ",
    Action.CANCEL: "Hủy hồ sơ",
    Action.APOLOGIZE: "Xin lỗi và hẹn lại ngày trả",
    Action.RATE: "Ghi nhận đánh giá",
    Action.RESCHEDULE: "Tính lại hạn theo lịch làm việc",
    Action.ATTACH: "Số hóa tài liệu",
    Action.DETACH: "Gỡ tài liệu số hóa",
    Action.ARRANGE: "Sắp xếp, xoay trang tài liệu số hóa",
}

# action -> (states it may be applied in, state afterwards; None keeps the state)
TRANSITIONS: dict[Action, tuple[frozenset[State], State | None]] = {
    Action.TRANSFER: (frozenset({State.RECEIVED, State.IN_PROGRESS}), State.IN_PROGRESS),
    Action.REQUEST_SUPPLEMENT: (frozenset({State.RECEIVED, State.IN_PROGRESS}), State.SUPPLEMENT),
    Action.RECEIVE_SUPPLEMENT: (frozenset({State.SUPPLEMENT}), State.IN_PROGRESS),
    Action.REFUSE: (PROCESSING_STATES, State.REFUSED),
    Action.STOP: (PROCESSING_STATES, State.STOPPED),
    Action.READY: (frozenset({State.RECEIVED, State.IN_PROGRESS}), State.READY),
    Action.RETURN: (frozenset({State.READY}), State.RETURNED),
    Action.WITHDRAW: (OPEN_STATES, State.WITHDRAWN),
    Action.CANCEL: (frozenset({State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT}), State.CANCELLED),
    Action.APOLOGIZE: (frozenset({State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT}), None),
    Action.RATE: (frozenset({State.RETURNED}), None),
    Action.RESCHEDULE: (frozenset({State.RECEIVED, State.IN_PROGRESS, State.SUPPLEMENT}), None),
    # Digitizing papers and results goes on through the whole life, also after the return.
    Action.ATTACH: (frozenset(State) - {State.CANCELLED}, None),
    Action.DETACH: (frozenset(State) - {State.CANCELLED}, None),
    Action.ARRANGE: (frozenset(State) - {State.CANCELLED}, None),
}

ACTIONS_NEEDING_REASON = frozenset({Action.REQUEST_SUPPLEMENT, Action.REFUSE, Action.STOP, Action.APOLOGIZE})
RATINGS = ("satisfied", "unsatisfied")


class Role(StrEnum):
    RECEIVING = "receiving"
    HANDLING = "handling"
    LEADER = "leader"
    ADMIN = "admin"


ROLE_LABELS: dict[Role, str] = {
    Role.RECEIVING: "Cán bộ tiếp nhận",
    Role.HANDLING: "Cán bộ xử lý",
    Role.LEADER: "Lãnh đạo",
    Role.ADMIN: "Quản trị",
}

_ALL = frozenset(Action)
ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: _ALL,
    Role.LEADER: _ALL,
    Role.RECEIVING: _ALL - {Action.CANCEL, Action.STOP},
    Role.HANDLING: frozenset(
        {
            Action.TRANSFER,
            Action.REQUEST_SUPPLEMENT,
            Action.RECEIVE_SUPPLEMENT,
            Action.READY,
            Action.STOP,
            Action.REFUSE,
            Action.APOLOGIZE,
            Action.RESCHEDULE,
            Action.ATTACH,
            Action.DETACH,
            Action.ARRANGE,
        }
    ),
}


@dataclass(frozen=True)
class Event:
    """One immutable fact about a dossier; ``seq`` counts from 1 per dossier."""

    id: str
    dossier_id: str
    seq: int
    action: Action
    at: datetime
    hlc: str
    officer: str
    device_id: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Dossier:
    """The projection: what the counter shows and reports, derived from events only."""

    id: str
    code: str
    procedure_code: str
    procedure_name: str
    field: str
    applicant_name: str
    id_type: str
    id_number: str
    phone: str
    address: str
    channel: str
    fee: int
    sets: int
    received_at: datetime
    due_at: datetime | None
    original_due_at: datetime | None
    state: State
    officer: str
    device_id: str
    handler: str = ""
    paused_since: datetime | None = None
    finished_at: datetime | None = None
    result_class: ResultClass | None = None
    returned_at: datetime | None = None
    rating: str | None = None
    apologies: int = 0
    last_seq: int = 1
    updated_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def open_class(self, now: datetime) -> OpenClass | None:
        """Within / overdue for dossiers still being processed; None once there is a result or the clock is paused."""
        if self.state not in (State.RECEIVED, State.IN_PROGRESS) or self.due_at is None:
            return None
        return classify_open(self.due_at, now)


def _dt(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def check_transition(dossier: Dossier, action: Action, at: datetime) -> State | None:
    """The state after ``action``; raises TransitionError (Vietnamese) when the action is not allowed."""
    if action == Action.RECEIVE:
        raise TransitionError(f"Hồ sơ {dossier.code} đã được tiếp nhận trước đó.")
    allowed, target = TRANSITIONS[action]
    if dossier.state not in allowed:
        if action == Action.RETURN and dossier.state == State.RETURNED:
            raise TransitionError(
                f"Hồ sơ {dossier.code} đã trả kết quả lúc {dossier.returned_at:%H:%M ngày %d/%m/%Y}; không thể trả lần nữa."
            )
        raise TransitionError(
            f"Không thể «{ACTION_LABELS[action].lower()}» hồ sơ {dossier.code} "
            f"đang ở trạng thái «{STATE_LABELS[dossier.state]}»."
        )
    if action == Action.RATE and dossier.rating is not None:
        raise TransitionError(f"Hồ sơ {dossier.code} đã có đánh giá của công dân.")
    if dossier.updated_at is not None and at < dossier.updated_at:
        raise ValidationError(
            f"Thời điểm {at:%H:%M %d/%m/%Y} sớm hơn sự kiện trước đó của hồ sơ "
            f"({dossier.updated_at:%H:%M %d/%m/%Y}).",
            field="at",
        )
    return target


def start(event: Event) -> Dossier:
    """The projection after the ``receive`` event that opens every dossier."""
    if event.action != Action.RECEIVE or event.seq != 1:
        raise ValidationError("Sự kiện đầu tiên của hồ sơ phải là tiếp nhận.", code="invalid_event")
    p = event.payload
    applicant = p["applicant"]
    due = _dt(p.get("due_at"))
    return Dossier(
        id=event.dossier_id,
        code=p["code"],
        procedure_code=p["procedure"]["code"],
        procedure_name=p["procedure"]["name"],
        field=p["procedure"]["field"],
        applicant_name=applicant["name"],
        id_type=applicant["id_type"],
        id_number=applicant["id_number"],
        phone=applicant.get("phone", ""),
        address=applicant.get("address", ""),
        channel=p["channel"],
        fee=int(p.get("fee", 0)),
        sets=int(p.get("sets", 1)),
        received_at=event.at,
        due_at=due,
        original_due_at=due,
        state=State.RECEIVED,
        officer=event.officer,
        device_id=event.device_id,
        last_seq=1,
        updated_at=event.at,
    )


def apply(dossier: Dossier | None, event: Event) -> Dossier:
    """Fold one event into the projection. Pure: the same events always give the same row."""
    if dossier is None:
        return start(event)
    if event.seq != dossier.last_seq + 1:
        raise ValidationError(
            f"Sự kiện số {event.seq} của hồ sơ {dossier.code} không liền sau sự kiện số {dossier.last_seq}.",
            code="invalid_event",
        )
    action = Action(event.action)
    target = check_transition(dossier, action, event.at)
    p = event.payload
    changes: dict[str, Any] = {"last_seq": event.seq, "updated_at": event.at}
    if target is not None:
        changes["state"] = target
    if "due_at" in p:
        changes["due_at"] = _dt(p["due_at"])
    if action == Action.TRANSFER:
        changes["handler"] = p.get("handler", "")
    elif action == Action.REQUEST_SUPPLEMENT:
        changes["paused_since"] = event.at
    elif action == Action.RECEIVE_SUPPLEMENT:
        changes["paused_since"] = None
    elif action == Action.READY:
        changes["finished_at"] = event.at
        due = changes.get("due_at", dossier.due_at)
        changes["result_class"] = classify_result(due, event.at) if due is not None else None
    elif action == Action.RETURN:
        changes["returned_at"] = event.at
        if p.get("rating"):
            changes["rating"] = p["rating"]
    elif action == Action.RATE:
        changes["rating"] = p["rating"]
    elif action == Action.APOLOGIZE:
        changes["apologies"] = dossier.apologies + 1
    elif action in (Action.REFUSE, Action.STOP, Action.WITHDRAW, Action.CANCEL):
        changes["paused_since"] = None
        changes["finished_at"] = event.at
    return replace(dossier, **changes)


def replay(events: list[Event]) -> Dossier:
    """Rebuild a dossier from its events alone."""
    dossier: Dossier | None = None
    for event in sorted(events, key=lambda e: e.seq):
        dossier = apply(dossier, event)
    if dossier is None:
        raise ValidationError("Hồ sơ không có sự kiện nào.", code="invalid_event")
    return dossier
