"""Officer accounts."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from counter_app.domain.lifecycle import Role
from counter_app.store.database import Store


@dataclass(frozen=True)
class Officer:
    username: str
    full_name: str
    role: Role
    active: bool = True
    must_change_password: bool = False


def _from_row(row: dict) -> Officer:
    return Officer(
        row["username"],
        row["full_name"],
        Role(row["role"]),
        bool(row["active"]),
        bool(row["must_change_password"]),
    )


def insert(conn: sqlite3.Connection, officer: Officer, password_hash: str, created_at: str) -> None:
    conn.execute(
        """INSERT INTO officers (username, full_name, role, password_hash, active, must_change_password, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (
            officer.username,
            officer.full_name,
            str(officer.role),
            password_hash,
            int(officer.active),
            int(officer.must_change_password),
            created_at,
        ),
    )


def get(store: Store, username: str) -> Officer | None:
    row = store.one("SELECT * FROM officers WHERE username = ?", (username,))
    return _from_row(row) if row else None


def password_hash(store: Store, username: str) -> str | None:
    return store.scalar("SELECT password_hash FROM officers WHERE username = ? AND active = 1", (username,))


def list_all(store: Store) -> list[Officer]:
    return [_from_row(r) for r in store.query("SELECT * FROM officers ORDER BY username")]


def first_admin(store: Store) -> Officer | None:
    row = store.one("SELECT * FROM officers WHERE role = 'admin' AND active = 1 ORDER BY created_at LIMIT 1")
    return _from_row(row) if row else None


def set_password(conn: sqlite3.Connection, username: str, password_hash: str) -> None:
    conn.execute(
        "UPDATE officers SET password_hash = ?, must_change_password = 0 WHERE username = ?",
        (password_hash, username),
    )


def set_active(conn: sqlite3.Connection, username: str, active: bool) -> None:
    conn.execute("UPDATE officers SET active = ? WHERE username = ?", (int(active), username))


def count_active_admins(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM officers WHERE role = 'admin' AND active = 1"))
