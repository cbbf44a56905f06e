"""Hash-chained log of administrative actions; dossier events carry their own chain (store.dossiers)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from counter_app.domain import chain
from counter_app.store.database import Store, put_setting

_FIELDS = ("at", "officer", "device_id", "action", "subject", "detail")


def record(
    conn: sqlite3.Connection,
    *,
    at: str,
    officer: str,
    device_id: str,
    action: str,
    subject: str,
    detail: dict[str, Any],
) -> None:
    """Append one audit row inside the caller's transaction."""
    row = {
        "at": at,
        "officer": officer,
        "device_id": device_id,
        "action": action,
        "subject": subject,
        "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True),
    }
    last = conn.execute("SELECT chain FROM audit_log ORDER BY num DESC LIMIT 1").fetchone()
    link = chain.link(bytes(last[0]) if last else chain.GENESIS, row)
    cur = conn.execute(
        "INSERT INTO audit_log (at, officer, device_id, action, subject, detail, chain) "
        "VALUES (:at, :officer, :device_id, :action, :subject, :detail, :chain)",
        {**row, "chain": link},
    )
    put_setting(conn, "audit_head", f"{cur.lastrowid}:{link.hex()}")


def verify(store: Store) -> int | None:
    """Number of the first audit row that was edited or follows a deleted one; None if intact."""

    def rows():
        for r in store.db.query("SELECT * FROM audit_log ORDER BY num"):
            yield r["num"], {k: r[k] for k in _FIELDS}, r["chain"]

    broken = chain.first_break(rows())
    if broken is not None:
        return broken
    head = store.get_setting("audit_head")
    last = store.one("SELECT num, chain FROM audit_log ORDER BY num DESC LIMIT 1")
    actual = f"{last['num']}:{bytes(last['chain']).hex()}" if last else None
    if head != actual:
        return int(last["num"]) + 1 if last else 1
    return None


def recent(store: Store, limit: int = 100) -> list[dict[str, Any]]:
    return store.query(
        "SELECT num, at, officer, action, subject, detail FROM audit_log ORDER BY num DESC LIMIT ?", (limit,)
    )
