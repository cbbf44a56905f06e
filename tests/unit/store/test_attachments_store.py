"""The attachments table as the projection of attach / detach / arrange events, on a real database."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from helpers import receive

from counter_app.domain.errors import ValidationError
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import Action, Dossier, Event
from counter_app.services.context import Counter
from counter_app.store import attachments as store
from counter_app.store import dossiers as dossier_store

SHA = "ab" * 32


def add(counter: Counter, dossier: Dossier, action: Action, payload: dict[str, Any]) -> Dossier:
    """Append one event the way the service does: event, projection, one transaction."""
    with counter.store.atomic() as conn:
        event = Event(
            uuid7(),
            dossier.id,
            dossier.last_seq + 1,
            action,
            dossier.updated_at + timedelta(minutes=1),
            counter.next_hlc(conn),
            "admin",
            counter.device_id,
            payload,
        )
        updated = dossier_store.append(conn, dossier, event)
        store.project(conn, store.dossier_num(conn, dossier.id), event)
    return updated


def attach_payload(document: int | str = 0, sha: str = SHA) -> dict[str, Any]:
    return {"attachment_id": uuid7(), "sha256": sha, "document": document, "pages": 2, "bytes": 4096,
            "mime": "application/pdf", "original_name": "scan.pdf", "source_sha256": sha, "conversion": "as_is"}  # fmt: skip


def rows(counter: Counter) -> list[tuple]:
    return counter.store.conn.execute("SELECT * FROM attachments ORDER BY id").fetchall()


def test_projection_of_attach_arrange_detach(counter: Counter) -> None:
    d = receive(counter).dossier
    first, second, result = attach_payload(0), attach_payload(1), attach_payload("result")
    for p in (first, second, result):
        d = add(counter, d, Action.ATTACH, p)
    num = store.dossier_num(counter.store.conn, d.id)
    shown = store.list_for(counter.store, num)
    assert [(a.id, a.order, a.document) for a in shown] == [
        (first["attachment_id"], 0, 0),
        (second["attachment_id"], 1, 1),
        (result["attachment_id"], 2, None),
    ]
    d = add(
        counter, d, Action.ARRANGE, {"attachment_id": result["attachment_id"], "order": -1, "rotation": 90}
    )
    d = add(counter, d, Action.DETACH, {"attachment_id": first["attachment_id"]})
    shown = store.list_for(counter.store, num)
    assert [(a.id, a.rotation) for a in shown] == [
        (result["attachment_id"], 90),
        (second["attachment_id"], 0),
    ]
    gone = store.rows_of(counter.store.conn, num)[first["attachment_id"]]
    assert gone.removed_at == d.updated_at and gone.removed_by == "admin" and gone.updated_seq == d.last_seq
    # a new file goes after every earlier one (orders now -1, 0 removed, 1)
    new = attach_payload(2)
    d = add(counter, d, Action.ATTACH, new)
    assert [(a.id, a.order) for a in store.list_for(counter.store, num)][-1] == (new["attachment_id"], 2)
    # detach / arrange of an id the dossier never had change nothing (they may come from elsewhere)
    before = rows(counter)
    d = add(counter, d, Action.DETACH, {"attachment_id": "nope"})
    assert rows(counter) == before
    assert store.live_references(counter.store) == {SHA}
    assert dossier_store.projection_mismatches(counter.store) == []  # the dossier row still folds


def test_rebuild_is_identical_and_mismatches_name_the_dossier(counter: Counter) -> None:
    a = receive(counter).dossier
    b = receive(counter, name="Trần Thị Bình", id_number="001190123457").dossier
    pa, pb = attach_payload(0), attach_payload("result", "cd" * 32)
    a = add(counter, a, Action.ATTACH, pa)
    a = add(counter, a, Action.ATTACH, attach_payload(1))
    b = add(counter, b, Action.ATTACH, pb)
    a = add(counter, a, Action.ARRANGE, {"attachment_id": pa["attachment_id"], "order": 5, "rotation": 180})
    b = add(counter, b, Action.DETACH, {"attachment_id": pb["attachment_id"]})
    before = rows(counter)
    assert store.mismatches(counter.store) == []
    counter.store.conn.execute("UPDATE attachments SET ord = 0 WHERE id = ?", (pa["attachment_id"],))
    counter.store.conn.execute(
        "INSERT INTO attachments SELECT 'stray', dossier_num, sha256, document, pages, bytes, mime, original_name, "
        "source_sha256, original_sha256, conversion, ord, rotation, attached_at, attached_by, attach_seq, "
        "removed_at, removed_by, updated_seq FROM attachments WHERE id = ?",
        (pb["attachment_id"],),
    )
    assert store.mismatches(counter.store) == [a.code, b.code]
    assert store.rebuild_attachments(counter.store) == 3
    assert rows(counter) == before and store.mismatches(counter.store) == []


def test_malformed_events_are_refused(counter: Counter) -> None:
    d = receive(counter).dossier
    bad = attach_payload(0)
    bad["document"] = -1
    with pytest.raises(ValidationError, match="thiếu giấy tờ"):
        add(counter, d, Action.ATTACH, bad)
    ok = attach_payload(0)
    d = add(counter, d, Action.ATTACH, ok)
    with pytest.raises(ValidationError, match="góc xoay 45"):
        add(counter, d, Action.ARRANGE, {"attachment_id": ok["attachment_id"], "order": 0, "rotation": 45})
    assert len(rows(counter)) == 1  # the refused ones wrote nothing, the event included
    assert counter.store.scalar("SELECT count(*) FROM events") == 2


def test_schema_guards_rotation_and_dossier(counter: Counter) -> None:
    d = add(counter, receive(counter).dossier, Action.ATTACH, attach_payload(0))
    conn = counter.store.conn
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE attachments SET rotation = 45")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE attachments SET dossier_num = 999")
    assert "0004_attachments" in counter.store.applied_migrations()
    assert d.last_seq == 2


def test_register_file_is_idempotent(counter: Counter) -> None:
    with counter.store.atomic() as conn:
        store.register_file(conn, SHA, 10, "application/pdf", datetime(2026, 11, 16, 9, 0))
        store.register_file(conn, SHA, 10, "application/pdf", datetime(2026, 11, 16, 10, 0))
    assert counter.store.query("SELECT * FROM attachment_files") == [
        {
            "sha256": SHA,
            "bytes": 10,
            "mime": "application/pdf",
            "stored_at": "2026-11-16T09:00:00",
            "upload": "pending",
        }
    ]
    with counter.store.atomic() as conn:
        store.forget_files(conn, [SHA])
    assert counter.store.scalar("SELECT count(*) FROM attachment_files") == 0


def test_coverage_queries(counter: Counter) -> None:
    d = receive(counter).dossier
    d = add(counter, d, Action.ATTACH, attach_payload(1))
    d = add(counter, d, Action.ATTACH, attach_payload("result"))
    [(field, documents, targets)] = store.received_with_targets(
        counter.store, date(2026, 11, 16), date(2026, 11, 16)
    )
    assert field == "Hộ tịch" and len(documents) == 3 and targets == {1, "result"}
    assert store.received_with_targets(counter.store, date(2026, 11, 17), date(2026, 11, 30)) == []
    assert store.returned_with_result(counter.store, date(2026, 11, 16), date(2026, 11, 16)) == []
