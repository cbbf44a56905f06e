"""An intake runs the statements it needs and no more (issue 14): it made 22 where 6 do the work.

sqlite-utils' ``Database.query`` wrapped every read in SAVEPOINT/RELEASE and the settings were read
one at a time (slot twice). Statements are caught with ``sqlite3.Connection.set_trace_callback``;
lines starting with "--" are FTS5's own statements inside ours and are not counted.
"""

from __future__ import annotations

import re

from helpers import receive

from counter_app.domain import chain
from counter_app.services.context import Counter
from counter_app.store import dossiers as dossier_store

# What each statement is, in order: the floor is BEGIN, the four rows and COMMIT.
EXPECTED = [
    ("the officer", r"^SELECT .* FROM officers "),
    ("the procedure", r"^SELECT data FROM procedures "),
    ("begin", r"^BEGIN IMMEDIATE$"),
    ("settings and the chain's last link", r"^SELECT key, value FROM settings .* FROM events "),
    ("the day's sequence number", r"^INSERT INTO day_sequences "),
    ("the dossier", r"^INSERT INTO dossiers \("),
    ("its search words", r"^INSERT INTO dossiers_fts "),
    ("new words for the prefix lookup", r"^INSERT OR IGNORE INTO dossier_terms "),
    ("the event", r"^INSERT INTO events "),
    ("clock stamp and chain head", r"^INSERT INTO settings .*'hlc'.*'events_head'"),
    ("the outbox row", r"^INSERT INTO outbox "),
    ("commit", r"^COMMIT$"),
]


def traced_intake(counter: Counter, **fields: object) -> list[str]:
    seen: list[str] = []
    counter.store.conn.set_trace_callback(seen.append)
    try:
        receive(counter, **fields)
    finally:
        counter.store.conn.set_trace_callback(None)
    return [" ".join(s.split()) for s in seen if not s.startswith("--")]


def test_intake_statements_are_named_and_bounded(counter: Counter) -> None:
    receive(counter)  # the connection's first FTS5 write reads its configuration once
    sqls = traced_intake(counter, name="Trần Thị Đào", id_number="001190123456")
    assert len(sqls) <= 12, "\n".join(sqls)
    assert not [s for s in sqls if "SAVEPOINT" in s or "RELEASE" in s]
    for sql, (name, pattern) in zip(sqls, EXPECTED, strict=True):
        assert re.search(pattern, sql), f"{name}: {sql}"


def test_the_one_read_keeps_clock_chain_and_numbers_right(counter: Counter) -> None:
    """What the single read feeds: the hash chain, the day's number, the clock stamp."""
    first = receive(counter)
    second = receive(counter, name="Trần Thị Đào", id_number="001190123456")
    assert dossier_store.verify_chain(counter.store) is None
    assert second.dossier.code.endswith("-0002") and first.dossier.code.endswith("-0001")
    assert second.event.hlc > first.event.hlc
    assert counter.store.get_setting("hlc") == second.event.hlc
    assert second.event.device_id == counter.device_id != ""
    head = counter.store.get_setting("events_head") or ""
    last = counter.store.one("SELECT num, chain FROM events ORDER BY num DESC LIMIT 1")
    assert last is not None and head == f"{last['num']}:{bytes(last['chain']).hex()}"
    assert bytes(last["chain"]) != chain.GENESIS
