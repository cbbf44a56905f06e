"""Calendar adjustments in SQLite: bundled with the release, sent by the server, or added by an admin."""

from __future__ import annotations

import sqlite3
from datetime import date

from counter_app.domain.calendar import Adjustment
from counter_app.store.database import Store

# When two origins speak of the same day, the more local one wins.
PRIORITY = {"bundled": 0, "server": 1, "admin": 2}


def replace_origin(conn: sqlite3.Connection, origin: str, adjustments: list[Adjustment]) -> None:
    conn.execute("DELETE FROM calendar_adjustments WHERE origin = ?", (origin,))
    conn.executemany(
        "INSERT INTO calendar_adjustments (day, origin, kind, name, source) VALUES (?, ?, ?, ?, ?)",
        [(a.day.isoformat(), origin, a.kind, a.name, a.source) for a in adjustments],
    )


def upsert(conn: sqlite3.Connection, origin: str, adjustment: Adjustment) -> None:
    a = adjustment
    conn.execute(
        """INSERT INTO calendar_adjustments (day, origin, kind, name, source) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (day, origin) DO UPDATE SET kind = excluded.kind, name = excluded.name, source = excluded.source""",
        (a.day.isoformat(), origin, a.kind, a.name, a.source),
    )


def remove(conn: sqlite3.Connection, origin: str, day: date) -> int:
    return conn.execute(
        "DELETE FROM calendar_adjustments WHERE origin = ? AND day = ?", (origin, day.isoformat())
    ).rowcount


def effective(store: Store) -> list[Adjustment]:
    """One adjustment per day, the highest-priority origin winning."""
    best: dict[str, tuple[int, Adjustment]] = {}
    for r in store.query("SELECT day, origin, kind, name, source FROM calendar_adjustments"):
        prio = PRIORITY[r["origin"]]
        if r["day"] not in best or best[r["day"]][0] < prio:
            best[r["day"]] = (
                prio,
                Adjustment(date.fromisoformat(r["day"]), r["kind"], r["name"], r["source"]),
            )
    return [adj for _, adj in sorted(best.values(), key=lambda item: item[1].day)]


def listing(store: Store) -> list[dict]:
    return store.query(
        "SELECT day, origin, kind, name, source FROM calendar_adjustments ORDER BY day, origin"
    )
