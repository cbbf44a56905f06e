"""The sync outbox (leases, acknowledgements, rejections) and events that arrive from the server.

Outbox rows are written with their event (store.dossiers); this module only moves them along:
``pending`` → ``sending`` (leased until a deadline) → ``acknowledged`` or ``rejected``, or back to
``pending``. A process killed mid-push leaves its rows ``sending``; once the lease runs out they are
pending again and are re-sent, which the server answers idempotently. Only one pusher holds leases
at a time, so a dossier's events always reach the server in the order they were made; that pusher
may lease its next batch while the previous one is on the way (``held=True``).

SQLite itself writes each leased event as wire JSON (``json_object``, the stored payload spliced in
by ``json()``), so nothing is parsed and encoded again in Python on the way out (issue 14).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from counter_app.domain.codes import parse_code
from counter_app.domain.errors import DomainError
from counter_app.domain.lifecycle import Action, Event
from counter_app.store import attachments as attachment_store
from counter_app.store import dossiers as dossier_store
from counter_app.store.database import Store

_STAMP = "%Y-%m-%dT%H:%M:%S.%f"  # fixed width, so text comparison is time comparison


def _stamp(t: datetime) -> str:
    return t.strftime(_STAMP)


@dataclass(frozen=True)
class Outgoing:
    """One leased outbox row: the event exactly as stored (``at`` as the stored text, ``payload``
    as the stored JSON object), already as the JSON object it travels as. The other attributes
    read that text back, for callers that look inside (tests, tools)."""

    event_num: int
    id: str
    wire: str

    @cached_property
    def fields(self) -> dict[str, Any]:
        return json.loads(self.wire)

    @property
    def dossier_id(self) -> str:
        return self.fields["dossier_id"]

    @property
    def seq(self) -> int:
        return self.fields["seq"]

    @property
    def action(self) -> str:
        return self.fields["action"]

    @property
    def at(self) -> str:
        return self.fields["at"]

    @property
    def payload(self) -> dict[str, Any]:
        return self.fields["payload"]


# The wire format's event object (counter_app.wire.WireEvent), keys in its field order.
_WIRE_JSON = """json_object('id', e.id, 'dossier_id', d.id, 'seq', e.seq, 'action', e.action, 'at', e.at,
    'hlc', e.hlc, 'officer', e.officer, 'device_id', e.device_id, 'payload', json(e.payload))"""


def requeue_expired(conn: sqlite3.Connection, now: datetime, lease: timedelta) -> int:
    """Leases that ran out (their pusher died) go back to pending. A lease further away than one lease
    length can only come from a clock set back; it is treated as expired too."""
    return conn.execute(
        "UPDATE outbox SET state = 'pending', lease_until = NULL "
        "WHERE state = 'sending' AND (lease_until < ? OR lease_until > ?)",
        (_stamp(now), _stamp(now + lease)),
    ).rowcount


def lease(store: Store, limit: int, *, now: datetime, lease: timedelta, held: bool = False) -> list[Outgoing]:
    """Take the oldest pending rows for one push; nothing while another pusher's lease is alive.

    ``held``: the caller holds the live leases itself (its previous batch is on the way), so
    they do not stop it; its batches still go out one after the other, in order.
    """
    with store.atomic() as conn:
        requeue_expired(conn, now, lease)
        if not held and conn.execute("SELECT 1 FROM outbox WHERE state = 'sending' LIMIT 1").fetchone():
            return []
        rows = conn.execute(
            f"""SELECT o.event_num, e.id, {_WIRE_JSON}
               FROM outbox o JOIN events e ON e.num = o.event_num JOIN dossiers d ON d.num = e.dossier_num
               WHERE o.state = 'pending' ORDER BY o.event_num LIMIT ?""",
            (limit,),
        ).fetchall()
        if not rows:
            return []
        # The rows just read are exactly the pending ones up to the last of them (same transaction).
        conn.execute(
            "UPDATE outbox SET state = 'sending', lease_until = ?, attempts = attempts + 1 "
            "WHERE state = 'pending' AND event_num <= ?",
            (_stamp(now + lease), rows[-1][0]),
        )
    return [Outgoing(num, eid, wire) for num, eid, wire in rows]


def _set_state(conn: sqlite3.Connection, nums: list[int], state: str, error: str | None) -> None:
    for start in range(0, len(nums), 500):
        chunk = nums[start : start + 500]
        conn.execute(
            f"UPDATE outbox SET state = ?, lease_until = NULL, last_error = ? "
            f"WHERE event_num IN ({','.join('?' * len(chunk))}) AND state <> 'acknowledged'",
            [state, error, *chunk],
        )


def settle(
    store: Store,
    *,
    acknowledged: Iterable[int] = (),
    rejected: dict[int, str] | None = None,
    retry: dict[int, str] | None = None,
) -> None:
    """Record the server's answer for leased rows in one transaction."""
    with store.atomic() as conn:
        _set_state(conn, list(acknowledged), "acknowledged", None)
        for num, message in (rejected or {}).items():
            conn.execute(
                "UPDATE outbox SET state = 'rejected', lease_until = NULL, last_error = ? "
                "WHERE event_num = ? AND state <> 'acknowledged'",
                (message, num),
            )
        for num, message in (retry or {}).items():
            conn.execute(
                "UPDATE outbox SET state = 'pending', lease_until = NULL, last_error = ? "
                "WHERE event_num = ? AND state = 'sending'",
                (message, num),
            )


def release(store: Store, nums: list[int], error: str) -> None:
    """Give leased rows back after a failed exchange, so the next attempt need not wait for the lease."""
    with store.atomic() as conn:
        for start in range(0, len(nums), 500):
            chunk = nums[start : start + 500]
            conn.execute(
                f"UPDATE outbox SET state = 'pending', lease_until = NULL, last_error = ? "
                f"WHERE state = 'sending' AND event_num IN ({','.join('?' * len(chunk))})",
                [error, *chunk],
            )


def give_back(store: Store, nums: list[int]) -> None:
    """Unlease rows that were leased but never sent (the push stopped first): pending again, as if
    never taken, their last error and attempt count as before."""
    with store.atomic() as conn:
        for start in range(0, len(nums), 500):
            chunk = nums[start : start + 500]
            conn.execute(
                f"UPDATE outbox SET state = 'pending', lease_until = NULL, attempts = max(attempts - 1, 0) "
                f"WHERE state = 'sending' AND event_num IN ({','.join('?' * len(chunk))})",
                chunk,
            )


def counts(store: Store) -> dict[str, int]:
    rows = store.conn.execute(
        "SELECT state, count(*) FROM outbox WHERE state <> 'acknowledged' GROUP BY state"
    ).fetchall()
    found = dict(rows)
    return {s: int(found.get(s, 0)) for s in ("pending", "sending", "rejected")}


def rejected(store: Store, limit: int = 100) -> list[dict]:
    """Events the server refused, newest first, for the person who must sort them out."""
    return store.query(
        """SELECT d.code, e.seq, e.action, e.at, o.last_error AS reason, e.id AS event_id
           FROM outbox o JOIN events e ON e.num = o.event_num JOIN dossiers d ON d.num = e.dossier_num
           WHERE o.state = 'rejected' ORDER BY o.event_num DESC LIMIT ?""",
        (limit,),
    )


# -- events from the server ------------------------------------------------------------------------
@dataclass
class Applied:
    applied: int = 0
    skipped: int = 0
    problems: list[dict] = field(default_factory=list)


def apply_remote(store: Store, events: list[Event], *, agency_code: str, slot: int) -> Applied:
    """Store events other counters or the upper level made, inside the caller's transaction.

    Known event ids are skipped (our own, or a page pulled twice). Each event goes in under its own
    savepoint with ``outbox=False``; one that does not fit this counter's copy of the dossier (the
    counter acted on it meanwhile) is left out and reported, never merged by guesswork.
    """
    result = Applied()
    if not events:
        return result
    known: set[str] = set()
    ids = [e.id for e in events]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        known.update(
            r[0]
            for r in store.conn.execute(
                f"SELECT id FROM events WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        )
    used: dict[tuple[date, int], int] = {}
    for e in events:
        if e.id in known:
            result.skipped += 1
            continue
        current = None
        try:
            with store.atomic() as conn:
                current = dossier_store.get_by_id(store, e.dossier_id)
                if current is None:
                    if e.seq != 1 or e.action != Action.RECEIVE:
                        raise DomainError(
                            "Chưa có hồ sơ này trên máy (thiếu bước tiếp nhận).", code="unknown_dossier"
                        )
                    d = dossier_store.insert_new(conn, e, outbox=False)
                    parsed = parse_code(d.code)
                    if parsed is not None and parsed.agency == agency_code and parsed.slot == slot:
                        key = (parsed.day, slot)
                        used[key] = max(used.get(key, 0), parsed.number)
                else:
                    dossier_store.append(conn, current, e, outbox=False)
                    # digitized files added on another counter: keep the attachments projection in step
                    attachment_store.project(conn, dossier_store.num_of(conn, e.dossier_id), e)
            known.add(e.id)
            result.applied += 1
        except (DomainError, sqlite3.IntegrityError) as exc:
            message = (
                exc.message if isinstance(exc, DomainError) else "Mã hồ sơ trùng với một hồ sơ trên máy."
            )
            result.problems.append(
                {
                    "event_id": e.id,
                    "dossier_id": e.dossier_id,
                    "seq": e.seq,
                    "action": str(e.action),
                    "code": current.code if current else str(e.payload.get("code", "")),
                    "message": message,
                }
            )
    if used:
        with store.atomic() as conn:  # a restored counter continues after its own numbers
            dossier_store.raise_sequences(conn, used)
    return result
