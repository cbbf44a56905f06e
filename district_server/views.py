"""The upper level's read side: dossiers of all communes, search, overdue lists, conflicts.

Every query takes the asking principal's area (one commune, or all for a district-wide officer), so
commune A's account can never read commune B's rows, whatever the parameters say.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import psycopg

from counter_app.domain.codes import parse_code
from counter_app.domain.lifecycle import STATE_LABELS, Dossier
from counter_app.domain.text import fold_words
from district_server.merge import DOSSIER_FIELDS, dossier_from_row

MAX_LIST = 500


def _minutes(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="minutes")


def dossier_json(d: Dossier, commune: str) -> dict[str, Any]:
    return {
        "id": d.id,
        "code": d.code,
        "commune": commune,
        "state": d.state.value,
        "state_label": STATE_LABELS[d.state],
        "procedure": d.procedure_code,
        "procedure_name": d.procedure_name,
        "field": d.field,
        "name": d.applicant_name,
        "id_number": d.id_number,
        "channel": d.channel,
        "fee": d.fee,
        "handler": d.handler,
        "received": _minutes(d.received_at),
        "due": _minutes(d.due_at),
        "original_due": _minutes(d.original_due_at),
        "finished": _minutes(d.finished_at),
        "result": None if d.result_class is None else d.result_class.value,
        "returned": _minutes(d.returned_at),
        "rating": d.rating,
        "last_seq": d.last_seq,
    }


def _scope(commune_ids: list[int] | None) -> tuple[str, tuple]:
    if commune_ids is None:
        return "TRUE", ()
    return "d.commune_id = ANY(%s)", (commune_ids,)


_SELECT = (
    "SELECT d.id::text AS id, d.commune_id, d.status_token, "
    + ", ".join(f"d.{c}" for c in DOSSIER_FIELDS if c != "id")
    + ", c.code AS commune_code, c.name AS commune_name FROM dossiers d JOIN communes c ON c.id = d.commune_id"
)


def list_dossiers(
    conn: psycopg.Connection,
    commune_ids: list[int] | None,
    *,
    text: str = "",
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Newest first; ``text`` is a dossier code, an ID number, or accent-free words of names."""
    where, params = _scope(commune_ids)
    clauses, args = [where], list(params)
    text = text.strip()
    if text:
        compact = text.replace(" ", "").replace(".", "")
        if parse_code(text):
            clauses.append("d.code = %s")
            args.append(text.upper())
        elif compact.isdigit():
            clauses.append("d.id_number = %s")
            args.append(compact)
        else:
            words = fold_words(text)
            if not words:
                return []
            clauses.append("to_tsvector('simple', d.search) @@ to_tsquery('simple', %s)")
            args.append(" & ".join(f"{w}:*" for w in words))
    if state:
        clauses.append("d.state = %s")
        args.append(state)
    args += [min(max(limit, 1), MAX_LIST), max(offset, 0)]
    rows = conn.execute(
        _SELECT + " WHERE " + " AND ".join(clauses) + " ORDER BY d.received_at DESC, d.id LIMIT %s OFFSET %s",
        args,
    ).fetchall()
    return [dossier_json(dossier_from_row(r), r["commune_code"]) for r in rows]


def get_dossier(conn: psycopg.Connection, commune_ids: list[int] | None, key: str) -> dict[str, Any] | None:
    """One dossier (by id or code) with its events in merge order; None outside the caller's area."""
    where, params = _scope(commune_ids)
    if parse_code(key):
        column, value = "d.code", key.strip().upper()
    else:
        column, value = "d.id::text", key.strip().lower()
    row = conn.execute(_SELECT + f" WHERE {where} AND {column} = %s", (*params, value)).fetchone()
    if row is None:
        return None
    events = conn.execute(
        """SELECT id::text AS id, seq, action, at, hlc, officer, device_id, payload, pushed_by
           FROM events WHERE dossier_id = %s ORDER BY hlc, device_id, id""",
        (row["id"],),
    ).fetchall()
    return {**dossier_json(dossier_from_row(row), row["commune_code"]), "events": events}


def overdue(
    conn: psycopg.Connection, commune_ids: list[int] | None, today: date, limit: int = 200
) -> list[dict[str, Any]]:
    """Per commune: dossiers still processing whose due date is before ``today`` (classified by date)."""
    where, params = _scope(commune_ids)
    communes = conn.execute(
        "SELECT c.id, c.code, c.name FROM communes c WHERE "
        + where.replace("d.commune_id", "c.id")
        + " ORDER BY c.code",
        params,
    ).fetchall()
    out = []
    for c in communes:
        count = conn.execute(
            "SELECT count(*) AS n FROM dossiers WHERE commune_id = %s AND state IN ('received', 'in_progress') "
            "AND due_at < %s",
            (c["id"], today),
        ).fetchone()["n"]
        rows = conn.execute(
            _SELECT + " WHERE d.commune_id = %s AND d.state IN ('received', 'in_progress') AND d.due_at < %s "
            "ORDER BY d.due_at LIMIT %s",
            (c["id"], today, limit),
        ).fetchall()
        out.append(
            {
                "commune": c["code"],
                "name": c["name"],
                "overdue": int(count),
                "dossiers": [dossier_json(dossier_from_row(r), c["code"]) for r in rows],
            }
        )
    return out


def conflicts(
    conn: psycopg.Connection, commune_ids: list[int] | None, limit: int = 100
) -> list[dict[str, Any]]:
    where, params = _scope(commune_ids)
    rows = conn.execute(
        """SELECT k.id, c.code AS commune, k.device_id, k.event_id::text AS event_id,
                  k.dossier_id::text AS dossier_id, k.seq, k.code, k.message, k.body, k.created_at,
                  (SELECT code FROM dossiers x WHERE x.id = k.dossier_id AND x.commune_id = k.commune_id)
                    AS dossier_code
           FROM conflicts k JOIN communes c ON c.id = k.commune_id
           WHERE """
        + where.replace("d.commune_id", "k.commune_id")
        + " ORDER BY k.id DESC LIMIT %s",
        (*params, min(max(limit, 1), MAX_LIST)),
    ).fetchall()
    return [
        {
            "id": r["id"],
            "commune": r["commune"],
            "device_id": r["device_id"],
            "event_id": r["event_id"],
            "dossier_id": r["dossier_id"],
            "dossier_code": r["dossier_code"] or r["body"].get("payload", {}).get("code"),
            "seq": r["seq"],
            "action": r["body"].get("action"),
            "code": r["code"],
            "message": r["message"],
            "at": r["created_at"].isoformat(timespec="seconds"),
        }
        for r in rows
    ]


def status_of(conn: psycopg.Connection, code: str) -> tuple[Dossier, str, str] | None:
    """(dossier, status token, commune name) for the public page; the caller checks the token."""
    if parse_code(code) is None:
        return None
    row = conn.execute(
        _SELECT + " WHERE d.code = %s",
        (code.strip().upper(),),
    ).fetchone()
    if row is None:
        return None
    return dossier_from_row(row), row["status_token"], row["commune_name"]
