"""The lifecycle after intake, through the real services."""

from __future__ import annotations

from datetime import datetime

import pytest
from helpers import MARRIAGE, receive, table_counts

from counter_app.domain.deadlines import ResultClass
from counter_app.domain.errors import TransitionError, ValidationError
from counter_app.domain.lifecycle import State
from counter_app.services import officers
from counter_app.services.actions import ActionRequest, perform
from counter_app.services.context import Counter
from counter_app.services.officers import PermissionDenied
from counter_app.store import dossiers as dossier_store


def act(counter: Counter, code: str, action: str, at: str, **kw: object):
    return perform(counter, ActionRequest(code=code, action=action, at=datetime.fromisoformat(at), **kw))


def test_full_day_of_a_dossier(counter: Counter, clock) -> None:
    clock.set("2026-11-30T17:00")
    code = receive(counter, procedure_code="1.001022", received_at=datetime(2026, 11, 16, 9, 0)).dossier.code
    # 3 working days from Mon 16/11 09:00 -> Thu 19/11 09:00
    d = act(counter, code, "transfer", "2026-11-16T10:00", handler="Công chức tư pháp - hộ tịch")
    assert d.due_at == datetime(2026, 11, 19, 9, 0)
    act(counter, code, "request-supplement", "2026-11-17T09:00", reason="Thiếu bản sao giấy khai sinh")
    d = act(counter, code, "receive-supplement", "2026-11-18T09:00")
    # paused one full working day: due moves one working day
    assert d.state == State.IN_PROGRESS and d.due_at == datetime(2026, 11, 20, 9, 0)
    d = act(counter, code, "ready", "2026-11-20T16:59")
    assert d.result_class == ResultClass.ON_TIME
    d = act(counter, code, "return", "2026-11-23T08:00", rating="satisfied")
    assert d.state == State.RETURNED and d.rating == "satisfied"
    with pytest.raises(TransitionError, match="không thể trả lần nữa"):
        act(counter, code, "return", "2026-11-23T08:05")
    assert [e.action.value for e in dossier_store.events_of(counter.store, d)] == [
        "receive", "transfer", "request-supplement", "receive-supplement", "ready", "return",
    ]  # fmt: skip


def test_restart_mode_counts_full_time_from_completed_dossier(counter: Counter, clock) -> None:
    counter.store.set_setting("pause_mode", "restart")
    clock.set("2026-11-30T17:00")
    code = receive(counter, procedure_code="1.001022", received_at=datetime(2026, 11, 16, 9, 0)).dossier.code
    act(counter, code, "request-supplement", "2026-11-17T09:00", reason="thiếu")
    d = act(counter, code, "receive-supplement", "2026-11-18T10:00")
    assert d.due_at == datetime(2026, 11, 23, 10, 0)  # 3 working days from Wed 18/11 10:00


def test_apology_sets_new_working_day(counter: Counter, clock) -> None:
    code = receive(counter, procedure_code=MARRIAGE).dossier.code
    with pytest.raises(ValidationError, match="không phải ngày làm việc"):
        act(
            counter,
            code,
            "apologize",
            "2026-11-16T09:00",
            reason="Chờ xác minh",
            new_due=datetime(2026, 11, 24, 9, 0),
        )
    d = act(
        counter,
        code,
        "apologize",
        "2026-11-16T09:00",
        reason="Chờ xác minh",
        new_due=datetime(2026, 11, 25, 9, 0),
    )
    assert d.due_at == datetime(2026, 11, 25, 9, 0) and d.original_due_at == datetime(2026, 11, 17, 9, 0)
    assert d.apologies == 1


@pytest.mark.parametrize(
    ("action", "kw", "message"),
    [
        ("refuse", {}, "Cần ghi lý do"),
        ("fly", {}, "không có"),
        ("return", {}, "Không thể «trả kết quả»"),
        ("rate", {"rating": "great"}, "Đánh giá phải là"),
    ],
)
def test_refused_actions_write_nothing(counter: Counter, action: str, kw: dict, message: str) -> None:
    code = receive(counter).dossier.code
    before = table_counts(counter)
    with pytest.raises((ValidationError, TransitionError), match=message):
        act(counter, code, action, "2026-11-16T09:00", **kw)
    assert table_counts(counter) == before


def test_role_limits_actions(counter: Counter) -> None:
    officers.add_officer(
        counter, username="xuly", password="secret1", role="handling", full_name="Cán bộ xử lý"
    )
    code = receive(counter).dossier.code
    with pytest.raises(PermissionDenied, match="không có quyền"):
        act(counter, code, "withdraw", "2026-11-16T09:00", officer="xuly")
    d = act(counter, code, "transfer", "2026-11-16T09:00", officer="xuly")
    assert dossier_store.events_of(counter.store, d)[-1].officer == "xuly"


def test_login(counter: Counter) -> None:
    officers.add_officer(
        counter, username="tiepnhan", password="matkhau1", role="receiving", full_name="Lê Thu Hà"
    )
    assert officers.login(counter, "TiepNhan", "matkhau1").full_name == "Lê Thu Hà"
    with pytest.raises(officers.AuthError):
        officers.login(counter, "tiepnhan", "wrong")


def test_password_change_and_disable(counter: Counter) -> None:
    officers.add_officer(counter, username="thu", password="matkhau1", role="receiving", full_name="Lê Thu")
    officers.change_password(counter, "thu", "moi12345", by="admin")
    assert officers.login(counter, "thu", "moi12345").username == "thu"
    officers.set_active(counter, "thu", False, by="admin")
    with pytest.raises(officers.AuthError):
        officers.login(counter, "thu", "moi12345")
    with pytest.raises(ValidationError, match="quản trị cuối cùng"):
        officers.set_active(counter, "admin", False, by="admin")
