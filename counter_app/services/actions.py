"""Lifecycle actions after intake, each one event in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from counter_app.domain.deadlines import Pause, PauseMode, ProcessingTime, compute_due
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import (
    ACTION_LABELS,
    ACTIONS_NEEDING_REASON,
    RATINGS,
    Action,
    Dossier,
    Event,
    State,
)
from counter_app.domain.text import nfc
from counter_app.services.changes import DOSSIERS, reports
from counter_app.services.context import Counter
from counter_app.services.intake import FUTURE_TOLERANCE
from counter_app.services.officers import default_officer, require
from counter_app.services.queries import expand_code
from counter_app.store import dossiers as dossier_store

MAX_REASON = 1000
# Actions made by their own use case (intake, calendar recompute, attachments), never directly.
OWN_SERVICE = frozenset({Action.RECEIVE, Action.RESCHEDULE, Action.ATTACH, Action.DETACH, Action.ARRANGE})


@dataclass(frozen=True)
class ActionRequest:
    code: str
    action: str
    officer: str | None = None
    at: datetime | None = None
    reason: str = ""
    handler: str = ""
    rating: str | None = None
    comment: str = ""
    new_due: datetime | None = None


def find(counter: Counter, code: str) -> Dossier:
    dossier = dossier_store.get_by_code(counter.store, expand_code(counter, code))
    if dossier is None:
        raise NotFoundError(f"Không tìm thấy hồ sơ mã «{code.strip()}».", field="code")
    return dossier


def processing_of(counter: Counter, dossier: Dossier) -> ProcessingTime:
    receive = dossier_store.events_of(counter.store, dossier)[0]
    return ProcessingTime.from_dict(receive.payload["procedure"]["processing"])


def pauses_of(counter: Counter, dossier: Dossier) -> list[Pause]:
    pauses: list[Pause] = []
    start: datetime | None = None
    for e in dossier_store.events_of(counter.store, dossier):
        if e.action == Action.REQUEST_SUPPLEMENT:
            start = e.at
        elif e.action == Action.RECEIVE_SUPPLEMENT and start is not None:
            pauses.append(Pause(start, e.at))
            start = None
    if start is not None:
        pauses.append(Pause(start, None))
    return pauses


def _due_after_supplement(counter: Counter, dossier: Dossier, at: datetime) -> datetime | None:
    """The same rule the calendar recompute uses, so a later recompute never moves this date again.
    A dossier given a new date by apology keeps that date plus the pause."""
    assert dossier.paused_since is not None
    pauses = [p if p.end is not None else Pause(p.start, at) for p in pauses_of(counter, dossier)]
    if dossier.apologies and dossier.due_at is not None and counter.pause_mode == PauseMode.PAUSE_RESUME:
        paused = counter.calendar.working_minutes_between(dossier.paused_since, at)
        return counter.calendar.add_working_minutes(dossier.due_at, paused) if paused else dossier.due_at
    return compute_due(
        counter.calendar, dossier.received_at, processing_of(counter, dossier), pauses, counter.pause_mode
    )


@reports(DOSSIERS)
def perform(counter: Counter, req: ActionRequest) -> Dossier:
    try:
        action = Action(req.action)
    except ValueError:
        known = ", ".join(a.value for a in Action if a not in (Action.RECEIVE, Action.RESCHEDULE))
        raise ValidationError(
            f"Thao tác «{req.action}» không có. Các thao tác: {known}.", field="action"
        ) from None
    if action in (Action.RECEIVE, Action.RESCHEDULE):
        raise ValidationError(
            f"Thao tác «{ACTION_LABELS[action]}» không thực hiện trực tiếp được.", field="action"
        )
    officer = require(counter, req.officer, action) if req.officer else default_officer(counter)
    now = counter.now()
    at = (req.at or now).replace(microsecond=0)
    if at > now + FUTURE_TOLERANCE:
        raise ValidationError(f"Thời điểm {at:%H:%M %d/%m/%Y} ở tương lai.", field="at")
    reason = nfc(req.reason)
    if action in ACTIONS_NEEDING_REASON and not reason:
        raise ValidationError(f"Cần ghi lý do khi «{ACTION_LABELS[action].lower()}».", field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationError(f"Lý do dài quá {MAX_REASON} ký tự.", field="reason")
    payload: dict = {}
    if reason:
        payload["reason"] = reason
    if action == Action.TRANSFER:
        payload["handler"] = nfc(req.handler)
    if action in (Action.RETURN, Action.RATE):
        if req.rating is not None and req.rating not in RATINGS:
            raise ValidationError(
                "Đánh giá phải là «satisfied» (hài lòng) hoặc «unsatisfied».", field="rating"
            )
        if action == Action.RATE and req.rating is None:
            raise ValidationError("Chưa chọn mức đánh giá của công dân.", field="rating")
        if req.rating:
            payload["rating"] = req.rating
        if req.comment:
            payload["comment"] = nfc(req.comment)[:MAX_REASON]

    with counter.store.atomic() as conn:
        dossier = find(counter, req.code)  # read again inside the transaction: no lost update
        if action == Action.RECEIVE_SUPPLEMENT and dossier.state == State.SUPPLEMENT:
            due = _due_after_supplement(counter, dossier, at)
            payload["due_at"] = due.isoformat(timespec="seconds") if due else None
        if action == Action.APOLOGIZE:
            if req.new_due is None:
                raise ValidationError("Cần ngày hẹn trả kết quả mới.", field="new_due")
            new_due = req.new_due.replace(microsecond=0)
            if dossier.due_at is not None and new_due <= dossier.due_at:
                raise ValidationError(
                    f"Ngày hẹn mới phải sau ngày hẹn hiện tại ({dossier.due_at:%d/%m/%Y}).", field="new_due"
                )
            if not counter.calendar.is_working_day(new_due.date()):
                info = counter.calendar.day_info(new_due.date())
                raise ValidationError(
                    f"Ngày {new_due:%d/%m/%Y} không phải ngày làm việc ({info.reason}).", field="new_due"
                )
            payload["due_at"] = new_due.isoformat(timespec="seconds")
        event = Event(
            id=uuid7(),
            dossier_id=dossier.id,
            seq=dossier.last_seq + 1,
            action=action,
            at=at,
            hlc=counter.next_hlc(conn),
            officer=officer.username,
            device_id=counter.device_id,
            payload=payload,
        )
        return dossier_store.append(conn, dossier, event)
