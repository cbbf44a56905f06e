"""Officer accounts and login."""

from __future__ import annotations

import re

from counter_app.domain.errors import DomainError, NotFoundError, ValidationError
from counter_app.domain.lifecycle import ROLE_ACTIONS, ROLE_LABELS, Action, Role
from counter_app.domain.passwords import check_strength, hash_password, verify_password
from counter_app.domain.text import nfc
from counter_app.services.changes import OFFICERS, reports
from counter_app.services.context import Counter
from counter_app.store import officers as repo
from counter_app.store.officers import Officer

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


class AuthError(DomainError):
    code = "auth_failed"


class PermissionDenied(DomainError):
    code = "forbidden"


@reports(OFFICERS)
def add_officer(
    counter: Counter,
    *,
    username: str,
    password: str,
    role: str,
    full_name: str,
    by: str = "system",
    must_change_password: bool = False,
) -> Officer:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise ValidationError(
            "Tên đăng nhập chỉ gồm chữ thường không dấu, số, dấu chấm, gạch (2–32 ký tự).", field="username"
        )
    try:
        role_value = Role(role)
    except ValueError:
        labels = ", ".join(f"{r.value} ({ROLE_LABELS[r]})" for r in Role)
        raise ValidationError(f"Vai trò «{role}» không có. Chọn một trong: {labels}.", field="role") from None
    name = nfc(full_name)
    if not name:
        raise ValidationError("Họ tên cán bộ không được để trống.", field="full_name")
    check_strength(password)
    if repo.get(counter.store, username):
        raise ValidationError(f"Tên đăng nhập «{username}» đã có.", field="username", code="duplicate")
    officer = Officer(username, name, role_value, True, must_change_password)
    now = counter.now().isoformat(timespec="seconds")
    with counter.store.atomic() as conn:
        repo.insert(conn, officer, hash_password(password), now)
        counter.audit(
            conn,
            at=now,
            officer=by,
            action="officer.add",
            subject=username,
            detail={"role": role_value.value, "full_name": name},
        )
    return officer


@reports(OFFICERS)
def change_password(counter: Counter, username: str, new_password: str, by: str) -> None:
    """Set a new password (the officer's own, or any officer's by an admin); clears the one-time flag."""
    username = username.strip().lower()
    if repo.get(counter.store, username) is None:
        raise NotFoundError(f"Không có cán bộ «{username}».", field="username")
    check_strength(new_password)
    with counter.store.atomic() as conn:
        repo.set_password(conn, username, hash_password(new_password))
        counter.audit(
            conn,
            officer=by,
            action="officer.password",
            subject=username,
            detail={},
        )


@reports(OFFICERS)
def set_active(counter: Counter, username: str, active: bool, by: str) -> None:
    """Disable an officer who left (their events keep naming them) or enable them again."""
    username = username.strip().lower()
    officer = repo.get(counter.store, username)
    if officer is None:
        raise NotFoundError(f"Không có cán bộ «{username}».", field="username")
    if not active and officer.role == Role.ADMIN and repo.count_active_admins(counter.store) <= 1:
        raise ValidationError("Không thể khóa tài khoản quản trị cuối cùng.", field="username")
    with counter.store.atomic() as conn:
        repo.set_active(conn, username, active)
        counter.audit(
            conn,
            officer=by,
            action="officer.enable" if active else "officer.disable",
            subject=username,
            detail={},
        )


def login(counter: Counter, username: str, password: str) -> Officer:
    username = username.strip().lower()
    stored = repo.password_hash(counter.store, username)
    if stored is None or not verify_password(password, stored):
        raise AuthError("Sai tên đăng nhập hoặc mật khẩu.")
    officer = repo.get(counter.store, username)
    assert officer is not None
    return officer


def require(counter: Counter, username: str, action: Action) -> Officer:
    """The acting officer, checked to exist, be active and have a role allowing ``action``."""
    officer = repo.get(counter.store, username.strip().lower())
    if officer is None or not officer.active:
        raise NotFoundError(f"Không có cán bộ «{username}» đang hoạt động.", field="officer")
    if action not in ROLE_ACTIONS[officer.role]:
        raise PermissionDenied(
            f"Cán bộ {officer.full_name} ({ROLE_LABELS[officer.role]}) không có quyền thực hiện việc này."
        )
    return officer


def default_officer(counter: Counter) -> Officer:
    admin = repo.first_admin(counter.store)
    if admin is None:
        raise NotFoundError("Chưa có tài khoản quản trị: hãy chạy «counter-admin init».")
    return admin


def list_all(counter: Counter) -> list[Officer]:
    return repo.list_all(counter.store)
