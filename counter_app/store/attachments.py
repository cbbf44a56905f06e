"""Attachment metadata in SQLite: the projection of attach / detach / arrange events, and the files held.

Rows change only through :func:`project`, called in the transaction that appends the event, and
:func:`rebuild_attachments` recomputes them from the events with the same fold, so a rebuilt table
is identical to the live one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from counter_app.domain.attachments import ATTACHMENT_ACTIONS, Attachment, fold, in_order
from counter_app.domain.lifecycle import Event
from counter_app.store import dossiers as dossier_store
from counter_app.store.database import Store

_COLUMNS = (
    "id",
    "dossier_num",
    "sha256",
    "document",
    "pages",
    "bytes",
    "mime",
    "original_name",
    "source_sha256",
    "original_sha256",
    "conversion",
    "ord",
    "rotation",
    "attached_at",
    "attached_by",
    "attach_seq",
    "removed_at",
    "removed_by",
    "updated_seq",
)
_UPSERT = "INSERT OR REPLACE INTO attachments ({cols}) VALUES ({vals})".format(
    cols=", ".join(_COLUMNS), vals=", ".join(f":{c}" for c in _COLUMNS)
)
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM attachments"


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def to_row(a: Attachment, dossier_num: int) -> dict[str, Any]:
    return {
        "id": a.id,
        "dossier_num": dossier_num,
        "sha256": a.sha256,
        "document": a.document,
        "pages": a.pages,
        "bytes": a.bytes,
        "mime": a.mime,
        "original_name": a.original_name,
        "source_sha256": a.source_sha256,
        "original_sha256": a.original_sha256,
        "conversion": a.conversion,
        "ord": a.order,
        "rotation": a.rotation,
        "attached_at": _iso(a.attached_at),
        "attached_by": a.attached_by,
        "attach_seq": a.attach_seq,
        "removed_at": _iso(a.removed_at),
        "removed_by": a.removed_by,
        "updated_seq": a.updated_seq,
    }


def from_row(row: sqlite3.Row | tuple | dict[str, Any]) -> Attachment:
    r = row if isinstance(row, dict) else dict(zip(_COLUMNS, row, strict=True))
    return Attachment(
        id=r["id"],
        sha256=r["sha256"],
        document=r["document"],
        pages=r["pages"],
        bytes=r["bytes"],
        mime=r["mime"],
        original_name=r["original_name"],
        source_sha256=r["source_sha256"],
        original_sha256=r["original_sha256"],
        conversion=r["conversion"],
        order=r["ord"],
        rotation=r["rotation"],
        attached_at=datetime.fromisoformat(r["attached_at"]),
        attached_by=r["attached_by"],
        attach_seq=r["attach_seq"],
        removed_at=None if r["removed_at"] is None else datetime.fromisoformat(r["removed_at"]),
        removed_by=r["removed_by"],
        updated_seq=r["updated_seq"],
    )


def dossier_num(conn: sqlite3.Connection, dossier_id: str) -> int:
    return int(conn.execute("SELECT num FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()[0])


def rows_of(conn: sqlite3.Connection, num: int) -> dict[str, Attachment]:
    """Every attachment of one dossier, removed ones included (the fold needs them for the order)."""
    return {a.id: a for a in map(from_row, conn.execute(_SELECT + " WHERE dossier_num = ?", (num,)))}


def project(conn: sqlite3.Connection, num: int, event: Event) -> Attachment | None:
    """Fold one appended event into the table, in the caller's transaction."""
    if event.action not in ATTACHMENT_ACTIONS:
        return None
    changed = fold(rows_of(conn, num), event)
    if changed is not None:
        conn.execute(_UPSERT, to_row(changed, num))
    return changed


def list_for(store: Store, num: int, *, include_removed: bool = False) -> list[Attachment]:
    rows = rows_of(store.conn, num).values()
    return in_order(a for a in rows if include_removed or a.live)


def register_file(conn: sqlite3.Connection, sha256: str, size: int, mime: str, at: datetime) -> None:
    """Record a file now present in the store (idempotent: content addressing dedupes)."""
    conn.execute(
        "INSERT OR IGNORE INTO attachment_files (sha256, bytes, mime, stored_at) VALUES (?, ?, ?, ?)",
        (sha256, size, mime, _iso(at)),
    )


def forget_files(conn: sqlite3.Connection, shas: list[str]) -> None:
    conn.executemany("DELETE FROM attachment_files WHERE sha256 = ?", [(s,) for s in shas])


# -- upload of file contents (counter_app.sync.uploads) -------------------------------------------
UPLOAD_STATES = ("pending", "sending", "acknowledged")


def uploadable_files(store: Store, limit: int = 1000) -> list[tuple[str, int]]:
    """(hash, size) of files the server does not have yet and may take now: an attach event naming them
    (as the stored file or the kept original) was acknowledged, since the server refuses bytes that
    no event of the commune names. Oldest first, so files go up in the order they were made."""
    return [
        (sha, int(size))
        for sha, size in store.conn.execute(
            "SELECT f.sha256, f.bytes FROM attachment_files f WHERE f.upload <> 'acknowledged' AND EXISTS ("
            " SELECT 1 FROM events e JOIN outbox o ON o.event_num = e.num"
            " WHERE e.action = 'attach' AND o.state = 'acknowledged'"
            " AND (json_extract(e.payload, '$.sha256') = f.sha256"
            " OR json_extract(e.payload, '$.original.sha256') = f.sha256))"
            " ORDER BY f.stored_at, f.sha256 LIMIT ?",
            (limit,),
        )
    ]


def set_upload(store: Store, sha256: str, state: str) -> None:
    if state not in UPLOAD_STATES:
        raise ValueError(state)
    with store.atomic() as conn:
        conn.execute("UPDATE attachment_files SET upload = ? WHERE sha256 = ?", (state, sha256))


def upload_counts(store: Store) -> dict[str, int]:
    """Files per upload state, every state present (0 when none)."""
    counts = dict.fromkeys(UPLOAD_STATES, 0)
    for state, n in store.conn.execute("SELECT upload, count(*) FROM attachment_files GROUP BY upload"):
        counts[state] = int(n)
    return counts


def live_references(store: Store) -> set[str]:
    """Hashes a file must be kept for: a live attachment's stored file and kept original, and any file
    an attachment ever named (removed or not) that the server has not yet confirmed receiving."""
    refs: set[str] = set()
    for sha, original in store.conn.execute(
        "SELECT sha256, original_sha256 FROM attachments WHERE removed_at IS NULL"
    ):
        refs.add(sha)
        if original:
            refs.add(original)
    for (sha,) in store.conn.execute(
        "SELECT f.sha256 FROM attachment_files f WHERE f.upload <> 'acknowledged' AND EXISTS "
        "(SELECT 1 FROM attachments a WHERE a.sha256 = f.sha256 OR a.original_sha256 = f.sha256)"
    ):
        refs.add(sha)
    return refs


@dataclass(frozen=True)
class FileRef:
    code: str
    attachment: Attachment


def live_files(store: Store) -> Iterator[FileRef]:
    """Every live attachment with its dossier's code, for the verification of the files."""
    cur = store.conn.execute(
        "SELECT d.code, "
        + ", ".join(f"a.{c}" for c in _COLUMNS)
        + " FROM attachments a JOIN dossiers d ON d.num = a.dossier_num"
        " WHERE a.removed_at IS NULL ORDER BY a.dossier_num, a.ord"
    )
    for code, *rest in cur:
        yield FileRef(code, from_row(tuple(rest)))


# -- rebuild and its check -------------------------------------------------------------------------
def _attachment_events(store: Store) -> Iterator[tuple[int, Event]]:
    marks = ",".join("?" * len(ATTACHMENT_ACTIONS))
    cur = store.conn.execute(
        "SELECT e.dossier_num, d.id, e.id, e.seq, e.action, e.at, e.hlc, e.officer, e.device_id, e.payload "
        "FROM events e JOIN dossiers d ON d.num = e.dossier_num "
        f"WHERE e.action IN ({marks}) ORDER BY e.dossier_num, e.seq",
        [str(a) for a in sorted(ATTACHMENT_ACTIONS)],
    )
    for num, did, eid, seq, action, at, hlc, officer, device, payload in cur:
        yield num, dossier_store.event_from_values(did, eid, seq, action, at, hlc, officer, device, payload)


def replayed(store: Store) -> dict[str, tuple[int, Attachment]]:
    """id -> (dossier num, attachment) from the events alone."""
    out: dict[str, tuple[int, Attachment]] = {}
    per_dossier: dict[str, Attachment] = {}
    current: int | None = None
    for num, event in _attachment_events(store):
        if num != current:
            current, per_dossier = num, {}
        changed = fold(per_dossier, event)
        if changed is not None:
            per_dossier[changed.id] = changed
            out[changed.id] = (num, changed)
    return out


def rebuild_attachments(store: Store) -> int:
    """Recompute every attachment row from the event log; returns the number of rows."""
    expected = replayed(store)
    with store.atomic() as conn:
        conn.execute("DELETE FROM attachments")
        conn.executemany(_UPSERT, [to_row(a, num) for num, a in expected.values()])
    return len(expected)


def mismatches(store: Store) -> list[str]:
    """Codes of dossiers whose attachment rows differ from the replay of their events."""
    expected = replayed(store)
    stored: dict[str, tuple[int, Attachment]] = {}
    for row in store.conn.execute(_SELECT):
        stored[row[0]] = (row[1], from_row(row))
    nums = {
        (expected.get(key) or stored[key])[0]
        for key in expected.keys() | stored.keys()
        if expected.get(key) != stored.get(key)
    }
    if not nums:
        return []
    marks = ",".join("?" * len(nums))
    return [
        r[0]
        for r in store.conn.execute(
            f"SELECT code FROM dossiers WHERE num IN ({marks}) ORDER BY num", sorted(nums)
        )
    ]


# -- digitization figures --------------------------------------------------------------------------
def _day_bounds(start: date, end: date) -> tuple[str, str]:
    return start.isoformat(), (end + timedelta(days=1)).isoformat()


def _live_targets(store: Store, nums: list[int]) -> dict[int, set[int | str]]:
    out: dict[int, set[int | str]] = {}
    for chunk_start in range(0, len(nums), 500):
        chunk = nums[chunk_start : chunk_start + 500]
        marks = ",".join("?" * len(chunk))
        for num, document in store.conn.execute(
            f"SELECT dossier_num, document FROM attachments WHERE removed_at IS NULL AND dossier_num IN ({marks})",
            chunk,
        ):
            out.setdefault(num, set()).add("result" if document is None else document)
    return out


def received_with_targets(
    store: Store, start: date, end: date
) -> list[tuple[str, list[dict[str, Any]], set[int | str]]]:
    """(field, documents handed over, live attachment targets) for each dossier received on start..end,
    cancelled ones left out (a cancelled dossier was a mistake, not a service)."""
    lo, hi = _day_bounds(start, end)
    rows = store.conn.execute(
        "SELECT d.num, d.field, json_extract(e.payload, '$.documents') FROM dossiers d "
        "JOIN events e ON e.dossier_num = d.num AND e.seq = 1 "
        "WHERE d.received_at >= ? AND d.received_at < ? AND d.state <> 'cancelled' ORDER BY d.num",
        (lo, hi),
    ).fetchall()
    targets = _live_targets(store, [r[0] for r in rows])
    return [(field, json.loads(docs or "[]"), targets.get(num, set())) for num, field, docs in rows]


def returned_with_result(store: Store, start: date, end: date) -> list[tuple[str, bool]]:
    """(field, has a live "result" attachment) for each dossier whose result was returned on start..end."""
    lo, hi = _day_bounds(start, end)
    return [
        (field, bool(has))
        for field, has in store.conn.execute(
            "SELECT d.field, EXISTS (SELECT 1 FROM attachments a WHERE a.dossier_num = d.num "
            "AND a.document IS NULL AND a.removed_at IS NULL) FROM dossiers d "
            "WHERE d.returned_at >= ? AND d.returned_at < ? ORDER BY d.num",
            (lo, hi),
        )
    ]
