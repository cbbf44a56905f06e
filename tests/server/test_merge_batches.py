"""The bulk write path of a push (COPY for new rows, one UPDATE for dossiers that moved) stores exactly
what the row-by-row path did: the counter's projection, its search text, payloads and body hashes."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

from helpers import receive
from hypothesis import given
from hypothesis import strategies as st
from psycopg.rows import dict_row
from server_harness import District, ServerThread, api, push_raw, wire_events

from counter_app.domain.text import fold_words
from counter_app.services import sync as sync_service
from counter_app.services.demo import generate
from counter_app.store import dossiers as dossier_store
from counter_app.wire import canonical
from district_server.merge import SELECT_DOSSIER, dossier_from_row, search_text

A = "000.00.21.H40"
WORDS = st.text(
    alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyÀÁẢÃẠĐÊẾỀỂỄỆƯỨỪỬỮỰ0123456789 \t-.,/\u0301\u0303", max_size=40
)


@given(name=WORDS, procedure=WORDS, code=WORDS, id_number=WORDS)
def test_search_text_folds_like_fold_words(name: str, procedure: str, code: str, id_number: str) -> None:
    d = SimpleNamespace(applicant_name=name, procedure_name=procedure, code=code, id_number=id_number)
    assert search_text(d) == " ".join(fold_words(f"{name} {procedure} {code} {id_number}"))  # type: ignore[arg-type]


def test_dossiers_moved_across_many_small_batches_match_the_counter(
    server: ServerThread, district: District, make_counter
) -> None:
    counter = make_counter("c")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    generate(counter, 80, seed=5, days=6)  # every state: returned, rated, paused, apologised, refused …
    with counter.store.atomic() as conn:  # demo data never enters the outbox; here it must
        conn.execute("INSERT INTO outbox (event_num) SELECT num FROM events ORDER BY num")
    result = sync_service.sync_now(counter, batch=7)  # most dossiers move in several pushes
    assert result.complete and result.pending == 0 and result.rejected == 0, result

    with district._conn() as conn:
        conn.row_factory = dict_row
        rows = conn.execute(SELECT_DOSSIER.replace(" FROM dossiers", ", search FROM dossiers")).fetchall()
        events = {
            r["id"]: r
            for r in conn.execute("SELECT id::text AS id, payload, body_hash FROM events").fetchall()
        }
    assert len(rows) == 80
    for row in rows:
        mine = dossier_store.get_by_id(counter.store, row["id"])
        assert dossier_from_row(row) == mine
        assert row["search"] == " ".join(
            fold_words(f"{mine.applicant_name} {mine.procedure_name} {mine.code} {mine.id_number}")
        )
    sent = wire_events(counter)
    assert len(events) == len(sent)
    for e in sent:
        stored = events[e.id]
        assert stored["payload"] == e.payload
        assert stored["body_hash"] == hashlib.sha256(canonical(e.model_dump())).hexdigest()


def test_a_time_with_an_offset_is_a_conflict_not_a_shifted_date(server, district, make_counter) -> None:
    counter = make_counter("c")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    receive(counter)
    [event] = wire_events(counter)
    shifted = event.model_copy(update={"payload": {**event.payload, "due_at": "2026-11-20T17:00:00+07:00"}})
    with api(server.url, counter.store.get_setting("sync_token")) as http:
        [answer] = push_raw(http, [shifted]).json()["results"]
    assert answer["code"] == "invalid_event" and "due_at" in answer["message"]
    assert district.scalar("SELECT count(*) FROM dossiers") == 0
