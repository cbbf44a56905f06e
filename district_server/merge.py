"""Merging pushed events into the server's view, and handing them out again by cursor.

A push is one transaction under the commune row's lock. Inside it, events are applied in merge
order (hybrid logical clock, device, event id) through ``counter_app.domain.lifecycle.apply``, the
same fold the counter uses, so a dossier's projection on the server equals the counter's. Every
event gets an answer: ``ok`` (stored now, or earlier by an identical copy: a replayed batch inserts
nothing and answers the same), ``conflict`` (kept in ``conflicts`` with a code and a Vietnamese
message, never merged), or ``deferred`` (its predecessor has not arrived; send it again).

Cost (issue 14): each event is encoded once (its body hash and the payload text for jsonb come
from the same encoding), checked only in the projection fields its step changed, and the batch is
written with ``COPY`` (new dossiers, events) and one ``UPDATE … FROM unnest(…)`` for dossiers that
moved, instead of a statement per row. ``bench/bench_sync.py`` section 5 measures it against a raw
``COPY`` of the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.types.json import Jsonb
from pydantic import TypeAdapter

from counter_app.domain.codes import parse_code
from counter_app.domain.deadlines import ResultClass
from counter_app.domain.errors import DomainError
from counter_app.domain.hlc import HybridClock, Timestamp
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import Action, Dossier, Event, State, apply, check_transition
from counter_app.domain.text import fold_words
from counter_app.wire import (
    KNOWN_ACTIONS,
    MAX_PULL,
    CalendarUpdate,
    CatalogUpdate,
    EventResult,
    PullResponse,
    WireEvent,
    conflict_message,
)
from district_server.auth import Principal

DOSSIER_FIELDS = [f.name for f in fields(Dossier)]
SELECT_DOSSIER = f"SELECT id::text AS id, commune_id, status_token, {', '.join(c for c in DOSSIER_FIELDS if c != 'id')} FROM dossiers"
SERVER_DEVICE = "server"


def dossier_from_row(row: dict[str, Any]) -> Dossier:
    values = {k: row[k] for k in DOSSIER_FIELDS}
    values["id"] = str(values["id"])
    values["state"] = State(values["state"])
    if values["result_class"] is not None:
        values["result_class"] = ResultClass(values["result_class"])
    return Dossier(**values)


def _dossier_params(d: Dossier) -> dict[str, Any]:
    """The mutable columns of one dossier, for ``_UPDATE_DOSSIER``."""
    row = {name: getattr(d, name) for name in [*_MUTABLE, "id"]}
    row["state"] = str(d.state)
    row["result_class"] = None if d.result_class is None else str(d.result_class)
    return row


_MUTABLE = [
    c
    for c in DOSSIER_FIELDS
    if c
    in {
        "due_at",
        "state",
        "handler",
        "paused_since",
        "finished_at",
        "result_class",
        "returned_at",
        "rating",
        "apologies",
        "last_seq",
        "updated_at",
    }
]
_UPDATE_DOSSIER = (
    "UPDATE dossiers SET " + ", ".join(f"{c} = %({c})s" for c in _MUTABLE) + " WHERE id = %(id)s"
)
_INSERT_EVENT = """INSERT INTO events (id, dossier_id, commune_id, commune_seq, seq, action, at, hlc, officer,
    device_id, payload, body_hash, pushed_by) VALUES (%(id)s, %(dossier_id)s, %(commune_id)s, %(commune_seq)s,
    %(seq)s, %(action)s, %(at)s, %(hlc)s, %(officer)s, %(device_id)s, %(payload)s, %(body_hash)s, %(pushed_by)s)"""
_EVENT_COLUMNS = ("id", "dossier_id", "commune_id", "commune_seq", "seq", "action", "at", "hlc", "officer",
                  "device_id", "payload", "body_hash", "pushed_by")  # fmt: skip
_COPY_EVENTS = f"COPY events ({', '.join(_EVENT_COLUMNS)}) FROM STDIN"
_DOSSIER_COLUMNS = (*DOSSIER_FIELDS, "commune_id", "status_token", "search")
_COPY_DOSSIERS = f"COPY dossiers ({', '.join(_DOSSIER_COLUMNS)}) FROM STDIN"
_PG_TYPES = {"due_at": "timestamp", "paused_since": "timestamp", "finished_at": "timestamp",
             "returned_at": "timestamp", "updated_at": "timestamp", "apologies": "integer",
             "last_seq": "integer"}  # fmt: skip
# Dossiers a batch moved, one statement: every mutable column as an array, joined on the id.
_UPDATE_DOSSIERS = (
    "UPDATE dossiers AS d SET "
    + ", ".join(f"{c} = v.{c}" for c in _MUTABLE)
    + " FROM unnest(%s::uuid[], "
    + ", ".join(f"%s::{_PG_TYPES.get(c, 'text')}[]" for c in _MUTABLE)
    + f") AS v(id, {', '.join(_MUTABLE)}) WHERE d.id = v.id"
)
_INSERT_CONFLICT = """INSERT INTO conflicts (commune_id, device_id, event_id, dossier_id, seq, code, message, body,
    body_hash) VALUES (%(commune_id)s, %(device_id)s, %(event_id)s, %(dossier_id)s, %(seq)s, %(code)s,
    %(message)s, %(body)s, %(body_hash)s) ON CONFLICT (event_id, body_hash) DO NOTHING"""


@dataclass
class _Tracked:
    dossier: Dossier
    commune_id: int
    status_token: str
    new: bool = False
    changed: bool = False


class _Refused(Exception):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = conflict_message(code, detail)


class _Later(Exception):
    """The predecessor is not on the server yet."""


class _Unknown(Exception):
    """An action of a newer counter release: kept waiting on the counter until the server is updated."""


_TEXT_FIELDS = ("code", "procedure_code", "procedure_name", "field", "applicant_name", "id_type", "id_number",
                "phone", "address", "channel", "officer", "device_id", "handler")  # fmt: skip
_TIME_FIELDS = ("received_at", "due_at", "original_due_at", "paused_since", "finished_at", "returned_at",
                "updated_at")  # fmt: skip


_CHECKED_TEXT = frozenset(_TEXT_FIELDS)
_CHECKED_TIME = frozenset(_TIME_FIELDS)


def _checked(d: Dossier, before: Dossier | None = None) -> Dossier:
    """Payload values end up in typed columns: a counter bug or a forged event must not become a 500.

    With ``before`` (the projection the step started from, already checked or read from the
    database), only the fields the step changed are looked at: a step touches two or three.
    """
    values = vars(d)
    if before is None:
        names = list(values)
    else:
        old = vars(before)
        names = [f for f, v in values.items() if v is not old[f]]
    bad = []
    for f in names:
        v = values[f]
        if f in _CHECKED_TEXT:
            if not isinstance(v, str) or len(v) > 2000:
                bad.append(f)
        elif f in _CHECKED_TIME:  # wall times without offset, as the counter records them
            if v is not None and (not isinstance(v, datetime) or v.tzinfo is not None):
                bad.append(f)
        elif f in ("fee", "sets"):
            if type(v) is not int or not 0 <= v <= 10**12:
                bad.append(f)
        elif f == "rating" and v is not None and not isinstance(v, str):
            bad.append(f)
    if bad:
        order = [*_TEXT_FIELDS, "fee", "sets", *_TIME_FIELDS, "rating"]
        bad.sort(key=order.index)
        raise _Refused("invalid_event", f"Trường không hợp lệ: {', '.join(bad)}.")
    return d


_RESULTS = TypeAdapter(list[EventResult])  # one validation for the batch's answers, not one each


def _ok(event_id: str) -> dict[str, Any]:
    return {"id": event_id, "status": "ok"}


def _answer(event_id: str, status: str, code: str, message: str) -> dict[str, Any]:
    return {"id": event_id, "status": status, "code": code, "message": message}


def push(conn: psycopg.Connection, device: Principal, events: list[WireEvent]) -> list[EventResult]:
    """Merge one batch from ``device``; answers are in the order of ``events``."""
    assert device.commune_id is not None
    prints = [e.fingerprint() for e in events]  # (body hash, payload JSON): one encoding per event
    ids = list({e.id for e in events})
    dossier_ids = list({e.dossier_id for e in events})
    with conn.transaction():
        commune = conn.execute(
            "SELECT id, code, last_event_seq FROM communes WHERE id = %s FOR UPDATE", (device.commune_id,)
        ).fetchone()
        commune_id: int = commune["id"]
        existing: dict[str, tuple[str, int]] = {
            r["id"]: (r["body_hash"], r["commune_id"])
            for r in conn.execute(
                "SELECT id::text AS id, body_hash, commune_id FROM events WHERE id = ANY(%s::uuid[])", (ids,)
            )
        }
        recorded: dict[tuple[str, str], tuple[str, str]] = {
            (r["event_id"], r["body_hash"]): (r["code"], r["message"])
            for r in conn.execute(
                "SELECT event_id::text AS event_id, body_hash, code, message FROM conflicts "
                "WHERE event_id = ANY(%s::uuid[])",
                (ids,),
            )
        }
        # The first refused step of each (dossier, device): later steps of that device build on it.
        refused_from: dict[tuple[str, str], int] = {
            (r["dossier_id"], r["device_id"]): r["seq"]
            for r in conn.execute(
                "SELECT dossier_id::text AS dossier_id, device_id, min(seq) AS seq FROM conflicts "
                "WHERE dossier_id = ANY(%s::uuid[]) GROUP BY 1, 2",
                (dossier_ids,),
            )
        }
        tracked: dict[str, _Tracked] = {
            r["id"]: _Tracked(dossier_from_row(r), r["commune_id"], r["status_token"])
            for r in conn.execute(SELECT_DOSSIER + " WHERE id = ANY(%s::uuid[])", (dossier_ids,))
        }
        codes = [str(e.payload.get("code", "")) for e in events if e.seq == 1]
        code_owner: dict[str, str] = {
            r["code"]: r["id"]
            for r in conn.execute("SELECT code, id::text AS id FROM dossiers WHERE code = ANY(%s)", (codes,))
        }

        next_seq = int(commune["last_event_seq"])
        results: dict[int, dict[str, Any]] = {}
        event_rows: list[tuple[Any, ...]] = []
        conflict_rows: list[dict[str, Any]] = []

        def refuse(i: int, code: str, message: str) -> dict[str, Any]:
            e, digest = events[i], prints[i][0]
            key = (e.dossier_id, device.name)
            refused_from[key] = min(refused_from.get(key, e.seq), e.seq)
            if (e.id, digest) not in recorded:
                recorded[(e.id, digest)] = (code, message)
                conflict_rows.append(
                    {
                        "commune_id": commune_id,
                        "device_id": device.name,
                        "event_id": e.id,
                        "dossier_id": e.dossier_id,
                        "seq": e.seq,
                        "code": code,
                        "message": message,
                        "body": Jsonb(e.model_dump()),
                        "body_hash": digest,
                    }
                )
            return _answer(e.id, "conflict", code, message)

        def merge_one(i: int) -> dict[str, Any]:
            nonlocal next_seq
            e = events[i]
            digest, payload_json = prints[i]
            if e.id in existing:
                stored_hash, stored_commune = existing[e.id]
                if stored_commune != commune_id:
                    raise _Refused("dossier_unavailable")
                if stored_hash == digest:
                    return _ok(e.id)
                if (e.id, digest) in recorded:
                    code, message = recorded[(e.id, digest)]
                    return _answer(e.id, "conflict", code, message)
                raise _Refused("event_id_reused")
            if (e.id, digest) in recorded:
                code, message = recorded[(e.id, digest)]
                return _answer(e.id, "conflict", code, message)
            if e.device_id != device.name:
                raise _Refused("device_mismatch")
            if e.action not in KNOWN_ACTIONS:
                raise _Unknown()
            first_refused = refused_from.get((e.dossier_id, device.name))
            if first_refused is not None and first_refused < e.seq:
                raise _Refused("predecessor_rejected")
            t = tracked.get(e.dossier_id)
            event = e.to_event()
            if e.seq == 1:
                if t is not None:
                    raise _Refused("dossier_unavailable" if t.commune_id != commune_id else "seq_taken")
                if e.action != Action.RECEIVE:
                    raise _Refused("invalid_event", "Bước đầu tiên phải là tiếp nhận.")
                try:
                    dossier = _checked(apply(None, event))
                except DomainError as exc:
                    raise _Refused("invalid_event", exc.message) from None
                except (KeyError, TypeError, ValueError, AttributeError):
                    raise _Refused("invalid_event", "Thiếu thông tin tiếp nhận.") from None
                parsed = parse_code(dossier.code)
                if parsed is None or dossier.code != dossier.code.strip().upper():
                    raise _Refused("invalid_event", f"Mã hồ sơ «{dossier.code}» không đúng dạng.")
                if parsed.agency != commune["code"]:
                    raise _Refused("wrong_agency", f"({dossier.code}; mã xã {commune['code']})")
                owner = code_owner.get(dossier.code)
                if owner is not None and owner != e.dossier_id:
                    raise _Refused("code_taken", f"({dossier.code})")
                token = e.payload.get("status_token")
                t = _Tracked(dossier, commune_id, token if isinstance(token, str) else "", new=True)
                tracked[e.dossier_id] = t
                code_owner[dossier.code] = e.dossier_id
            else:
                if t is None:
                    raise _Later()
                if t.commune_id != commune_id:
                    raise _Refused("dossier_unavailable")
                if e.seq <= t.dossier.last_seq:
                    # Someone else acted first. Say why in the lifecycle's words when the action no
                    # longer fits the dossier's state (refused by the district, say), else "taken".
                    try:
                        check_transition(t.dossier, Action(e.action), t.dossier.updated_at or event.at)
                    except DomainError as exc:
                        raise _Refused("transition_not_allowed", exc.message) from None
                    raise _Refused("seq_taken", f"(hồ sơ {t.dossier.code}, bước {e.seq})")
                if e.seq > t.dossier.last_seq + 1:
                    raise _Later()
                try:
                    dossier = _checked(apply(t.dossier, event), t.dossier)
                except DomainError as exc:
                    raise _Refused("transition_not_allowed", exc.message) from None
                except (KeyError, TypeError, ValueError, AttributeError):
                    raise _Refused("invalid_event", "Nội dung thao tác thiếu thông tin.") from None
                t.dossier = dossier
                t.changed = True
            next_seq += 1
            existing[e.id] = (digest, commune_id)
            event_rows.append(
                (e.id, e.dossier_id, commune_id, next_seq, e.seq, e.action, e.at, e.hlc, e.officer,
                 e.device_id, payload_json, digest, device.name)
            )  # fmt: skip
            return _ok(e.id)

        waiting = sorted(range(len(events)), key=lambda i: events[i].order_key)
        while waiting:
            deferred: list[int] = []
            for i in waiting:
                try:
                    results[i] = merge_one(i)
                except _Refused as r:
                    results[i] = refuse(i, r.code, r.message)
                except _Later:
                    deferred.append(i)
                except _Unknown:
                    results[i] = _answer(
                        events[i].id,
                        "deferred",
                        "unknown_action",
                        f"Máy chủ chưa biết thao tác «{events[i].action}»; cần cập nhật phần mềm máy chủ.",
                    )
            if len(deferred) == len(waiting):
                break
            waiting = deferred
        for i in waiting:
            results[i] = _answer(
                events[i].id,
                "deferred",
                "waiting_for_predecessor",
                "Chưa có bước trước đó của hồ sơ trên máy chủ; sẽ gửi lại sau.",
            )

        _write(conn, tracked, event_rows, conflict_rows)
        if next_seq != commune["last_event_seq"]:
            conn.execute("UPDATE communes SET last_event_seq = %s WHERE id = %s", (next_seq, commune_id))
        conn.execute("UPDATE devices SET last_seen_at = now() WHERE id = %s", (device.name,))
    return _RESULTS.validate_python([results[i] for i in range(len(events))])


def _event_params(
    e: WireEvent, commune_id: int, commune_seq: int, digest: str, pushed_by: str | None
) -> dict:
    return {
        "id": e.id,
        "dossier_id": e.dossier_id,
        "commune_id": commune_id,
        "commune_seq": commune_seq,
        "seq": e.seq,
        "action": e.action,
        "at": e.at,
        "hlc": e.hlc,
        "officer": e.officer,
        "device_id": e.device_id,
        "payload": Jsonb(e.payload),
        "body_hash": digest,
        "pushed_by": pushed_by,
    }


@lru_cache(maxsize=1 << 16)
def _folded(part: str) -> tuple[str, ...]:
    return tuple(fold_words(part))


def search_text(d: Dossier) -> str:
    """``fold_words`` of applicant, procedure, code and ID number, joined by spaces.

    Folded a white-space-separated part at a time through a cache: folding never joins or splits
    words across white space, so the words come out the same, and names and procedure names repeat.
    """
    text = f"{d.applicant_name} {d.procedure_name} {d.code} {d.id_number}"
    return " ".join(w for part in text.split() for w in _folded(part))


def _dossier_row(t: _Tracked) -> tuple[Any, ...]:
    """A new dossier in ``_DOSSIER_COLUMNS`` order, for COPY."""
    d = t.dossier
    values = vars(d)
    row = [values[name] for name in DOSSIER_FIELDS]
    row[DOSSIER_FIELDS.index("state")] = str(d.state)
    row[DOSSIER_FIELDS.index("result_class")] = None if d.result_class is None else str(d.result_class)
    return (*row, t.commune_id, t.status_token, search_text(d))


def _write(
    conn: psycopg.Connection,
    tracked: dict[str, _Tracked],
    event_rows: list[tuple[Any, ...]],
    conflict_rows: list[dict[str, Any]],
) -> None:
    """New dossiers and events by COPY, moved dossiers by one UPDATE; conflicts are rare."""
    new = [t for t in tracked.values() if t.new]
    changed = [t.dossier for t in tracked.values() if t.changed and not t.new]
    with conn.cursor() as cur:
        if new:
            with cur.copy(_COPY_DOSSIERS) as copy:
                for t in new:
                    copy.write_row(_dossier_row(t))
        if changed:
            columns: list[list[Any]] = [[d.id for d in changed]]
            for name in _MUTABLE:
                values = [getattr(d, name) for d in changed]
                if name in ("state", "result_class"):
                    values = [None if v is None else str(v) for v in values]
                columns.append(values)
            cur.execute(_UPDATE_DOSSIERS, columns)
        if event_rows:
            with cur.copy(_COPY_EVENTS) as copy:
                for row in event_rows:
                    copy.write_row(row)
        if conflict_rows:
            cur.executemany(_INSERT_CONFLICT, conflict_rows)


# -- pull -----------------------------------------------------------------------------------------
def pull(
    conn: psycopg.Connection,
    device: Principal,
    after: int,
    limit: int,
    catalog_version: str | None,
    calendar_version: str | None,
) -> PullResponse:
    """Events of the device's commune it did not push itself, after ``after``; one consistent snapshot."""
    assert device.commune_id is not None
    limit = max(1, min(limit, MAX_PULL))
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        last = int(
            conn.execute(
                "SELECT last_event_seq FROM communes WHERE id = %s", (device.commune_id,)
            ).fetchone()["last_event_seq"]
        )
        if after > last:  # the server was restored from an older backup: start again, ids deduplicate
            after = 0
        rows = conn.execute(
            """SELECT id::text AS id, dossier_id::text AS dossier_id, seq, action, at, hlc, officer, device_id,
                      payload, commune_seq FROM events
               WHERE commune_id = %s AND commune_seq > %s AND commune_seq <= %s
                 AND pushed_by IS DISTINCT FROM %s
               ORDER BY commune_seq LIMIT %s""",
            (device.commune_id, after, last, device.name, limit),
        ).fetchall()
        cursor = int(rows[-1]["commune_seq"]) if len(rows) == limit else last
        published = {
            r["kind"]: r for r in conn.execute("SELECT kind, version, data FROM published").fetchall()
        }
    events = [WireEvent.model_construct(**{k: r[k] for k in r if k != "commune_seq"}) for r in rows]
    catalog = published.get("catalog")
    calendar = published.get("calendar")
    return PullResponse(
        events=events,
        cursor=cursor,
        more=cursor < last,
        catalog=CatalogUpdate(version=catalog["version"], data=catalog["data"])
        if catalog and catalog["version"] != catalog_version
        else None,
        calendar=CalendarUpdate(version=calendar["version"], data=calendar["data"])
        if calendar and calendar["version"] != calendar_version
        else None,
    )


# -- events added on the server -------------------------------------------------------------------
SERVER_ACTIONS = frozenset(
    {Action.TRANSFER, Action.REQUEST_SUPPLEMENT, Action.REFUSE, Action.STOP, Action.READY}
)


def add_event(
    conn: psycopg.Connection,
    officer: Principal,
    dossier_id: str,
    action: Action,
    payload: dict[str, Any],
    now: datetime,
) -> Dossier | None:
    """An officer of the upper level acts on a dossier (e.g. hands a result back); counters pull it.
    None when the dossier does not exist or is outside the officer's area."""
    with conn.transaction():
        row = conn.execute("SELECT commune_id FROM dossiers WHERE id = %s", (dossier_id,)).fetchone()
        if row is None or not officer.may_see(row["commune_id"]):
            return None
        commune_id = row["commune_id"]
        seq_row = conn.execute(
            "SELECT last_event_seq FROM communes WHERE id = %s FOR UPDATE", (commune_id,)
        ).fetchone()
        current = conn.execute(SELECT_DOSSIER + " WHERE id = %s", (dossier_id,)).fetchone()
        dossier = dossier_from_row(current)
        last_hlc = conn.execute(
            "SELECT max(hlc) AS hlc FROM events WHERE dossier_id = %s", (dossier_id,)
        ).fetchone()["hlc"]
        state = conn.execute("SELECT value FROM server_state WHERE key = 'hlc' FOR UPDATE").fetchone()
        clock = HybridClock(Timestamp.decode(state["value"]) if state else None)
        stamp = clock.observe(Timestamp.decode(last_hlc)) if last_hlc else clock.tick()
        at = max(now.replace(microsecond=0), dossier.updated_at or now)
        event = Event(
            id=uuid7(),
            dossier_id=dossier_id,
            seq=dossier.last_seq + 1,
            action=action,
            at=at,
            hlc=stamp.encode(),
            officer=officer.name,
            device_id=SERVER_DEVICE,
            payload=payload,
        )
        updated = apply(dossier, event)  # DomainError: the caller answers 409 with its message
        wire = WireEvent.from_event(event)
        commune_seq = int(seq_row["last_event_seq"]) + 1
        conn.execute(
            "INSERT INTO server_state (key, value) VALUES ('hlc', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (stamp.encode(),),
        )
        conn.execute(_INSERT_EVENT, _event_params(wire, commune_id, commune_seq, wire.body_hash(), None))
        conn.execute(_UPDATE_DOSSIER, _dossier_params(updated))
        conn.execute("UPDATE communes SET last_event_seq = %s WHERE id = %s", (commune_seq, commune_id))
    return updated
