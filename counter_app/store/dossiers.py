"""Dossiers and their events in SQLite.

The ``dossiers`` table is the projection of ``events`` through :func:`counter_app.domain.lifecycle.apply`;
every write here stores the event, its outbox row, the hash-chain link and the new projection in the
caller's transaction, so one can never exist without the others.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields
from datetime import date, datetime, timedelta
from typing import Any

from counter_app.domain import chain
from counter_app.domain.codes import parse_code
from counter_app.domain.deadlines import ResultClass
from counter_app.domain.errors import DomainError, ValidationError
from counter_app.domain.lifecycle import Action, Dossier, Event, State, apply
from counter_app.domain.text import fold_words
from counter_app.store.database import Store, put_setting, put_settings

DOSSIER_FIELDS = [f.name for f in fields(Dossier)]
_DATETIME_FIELDS = {
    "received_at",
    "due_at",
    "original_due_at",
    "paused_since",
    "finished_at",
    "returned_at",
    "updated_at",
}


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def to_row(d: Dossier) -> dict[str, Any]:
    row = {name: getattr(d, name) for name in DOSSIER_FIELDS}  # not asdict(): it deep-copies, 10x slower
    for key in _DATETIME_FIELDS:
        row[key] = iso(row[key])
    row["state"] = str(d.state)
    row["result_class"] = None if d.result_class is None else str(d.result_class)
    return row


def from_row(row: dict[str, Any]) -> Dossier:
    values = {k: row[k] for k in DOSSIER_FIELDS}
    for key in _DATETIME_FIELDS:
        if values[key] is not None:
            values[key] = datetime.fromisoformat(values[key])
    values["state"] = State(values["state"])
    if values["result_class"] is not None:
        values["result_class"] = ResultClass(values["result_class"])
    return Dossier(**values)


def _chain_row(e: Event, dossier_num: int, payload_json: str) -> dict[str, Any]:
    return {
        "id": e.id,
        "dossier_num": dossier_num,
        "seq": e.seq,
        "action": str(e.action),
        "at": iso(e.at),
        "hlc": e.hlc,
        "officer": e.officer,
        "device_id": e.device_id,
        "payload": payload_json,
    }


def event_from_values(
    dossier_id: str,
    event_id: str,
    seq: int,
    action: str,
    at: str,
    hlc: str,
    officer: str,
    device: str,
    payload: str,
) -> Event:
    """An Event from the stored columns (as read back for replays)."""
    return Event(
        event_id,
        dossier_id,
        seq,
        Action(action),
        datetime.fromisoformat(at),
        hlc,
        officer,
        device,
        json.loads(payload),
    )


def _event_from_row(row: dict[str, Any], dossier_id: str) -> Event:
    return Event(
        id=row["id"],
        dossier_id=dossier_id,
        seq=row["seq"],
        action=Action(row["action"]),
        at=datetime.fromisoformat(row["at"]),
        hlc=row["hlc"],
        officer=row["officer"],
        device_id=row["device_id"],
        payload=json.loads(row["payload"]),
    )


def search_words(d: Dossier) -> str:
    """The folded words of the applicant's and the procedure's names (same as folding both at once)."""
    return f"{' '.join(fold_words(d.applicant_name))} {_procedure_words(d.procedure_name)}".strip()


@functools.lru_cache(maxsize=1024)
def _procedure_words(name: str) -> str:
    """The catalog has a few hundred names; folding one again at each intake was ~30 µs."""
    return " ".join(fold_words(name))


def add_terms(conn: sqlite3.Connection, words: Iterable[str]) -> None:
    """Record the words put into ``dossiers_fts`` (space-separated strings), for :func:`search`'s
    prefix lookup; every writer of that index calls this in the same transaction."""
    terms = sorted({t for text in words for t in text.split()})
    conn.execute(
        "INSERT OR IGNORE INTO dossier_terms (term) SELECT value FROM json_each(?)", (json.dumps(terms),)
    )


def next_number(conn: sqlite3.Connection, day: date, slot: int) -> int:
    """The next sequence number of ``day`` for counter ``slot``; part of the intake transaction."""
    row = conn.execute(
        """INSERT INTO day_sequences (day, slot, last) VALUES (?, ?, 1)
           ON CONFLICT (day, slot) DO UPDATE SET last = last + 1 RETURNING last""",
        (day.isoformat(), slot),
    ).fetchone()
    return int(row[0])


def _last_chain(conn: sqlite3.Connection) -> bytes:
    row = conn.execute("SELECT chain FROM events ORDER BY num DESC LIMIT 1").fetchone()
    return bytes(row[0]) if row else chain.GENESIS


def settings_and_last_chain(conn: sqlite3.Connection, keys: Sequence[str]) -> tuple[dict[str, str], bytes]:
    """The settings a write needs and the newest hash link, in one statement of the caller's transaction.

    Intake reads these inside its write transaction (the sync worker writes through its own
    connection), and one statement instead of one per key keeps it close to its floor."""
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT key, value FROM settings WHERE key IN ({marks}) "
        "UNION ALL SELECT NULL, chain FROM (SELECT chain FROM events ORDER BY num DESC LIMIT 1)",
        list(keys),
    ).fetchall()
    values = {k: v for k, v in rows if k is not None}
    last = next((bytes(v) for k, v in rows if k is None), chain.GENESIS)
    return values, last


def _insert_event(
    conn: sqlite3.Connection,
    e: Event,
    dossier_num: int,
    *,
    outbox: bool,
    last_chain: bytes | None = None,
    settings: dict[str, str] | None = None,
) -> int:
    """Store one event, its hash link and its outbox row; ``settings`` are written with ``events_head``
    in one statement (intake passes its clock stamp), ``last_chain`` if the caller read it already."""
    payload_json = json.dumps(e.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    crow = _chain_row(e, dossier_num, payload_json)
    link = chain.link(_last_chain(conn) if last_chain is None else last_chain, crow)
    cur = conn.execute(
        """INSERT INTO events (id, dossier_num, seq, action, at, hlc, officer, device_id, payload, chain)
           VALUES (:id, :dossier_num, :seq, :action, :at, :hlc, :officer, :device_id, :payload, :chain)""",
        {**crow, "chain": link},
    )
    num = int(cur.lastrowid)
    put_settings(conn, {**(settings or {}), "events_head": f"{num}:{link.hex()}"})
    if outbox:
        conn.execute("INSERT INTO outbox (event_num) VALUES (?)", (num,))
    return num


_INSERT_DOSSIER = "INSERT INTO dossiers ({cols}) VALUES ({vals})".format(
    cols=", ".join(DOSSIER_FIELDS), vals=", ".join(f":{c}" for c in DOSSIER_FIELDS)
)
_UPDATE_DOSSIER = "UPDATE dossiers SET {sets} WHERE id = :id".format(
    sets=", ".join(f"{c} = :{c}" for c in DOSSIER_FIELDS if c != "id")
)
# Fields fixed at intake; appends leave them (and the indexes over them) untouched.
_IMMUTABLE = {"id", "code", "procedure_code", "procedure_name", "field", "applicant_name", "id_type", "id_number",
              "phone", "address", "channel", "fee", "sets", "received_at", "original_due_at", "officer", "device_id"}  # fmt: skip
_APPEND_UPDATE = "UPDATE dossiers SET {sets} WHERE id = :id".format(
    sets=", ".join(f"{c} = :{c}" for c in DOSSIER_FIELDS if c not in _IMMUTABLE)
)


def insert_new(
    conn: sqlite3.Connection,
    event: Event,
    *,
    outbox: bool = True,
    last_chain: bytes | None = None,
    settings: dict[str, str] | None = None,
) -> Dossier:
    """Store a dossier's opening ``receive`` event and its first projection (``last_chain`` and
    ``settings``: see :func:`_insert_event`)."""
    dossier = apply(None, event)
    cur = conn.execute(_INSERT_DOSSIER, to_row(dossier))
    num = int(cur.lastrowid)
    words = search_words(dossier)
    conn.execute("INSERT INTO dossiers_fts (rowid, words) VALUES (?, ?)", (num, words))
    add_terms(conn, [words])
    _insert_event(conn, event, num, outbox=outbox, last_chain=last_chain, settings=settings)
    return dossier


def num_of(conn: sqlite3.Connection, dossier_id: str) -> int:
    return int(conn.execute("SELECT num FROM dossiers WHERE id = ?", (dossier_id,)).fetchone()[0])


def append(conn: sqlite3.Connection, dossier: Dossier, event: Event, *, outbox: bool = True) -> Dossier:
    """Apply and store one more event; raises the domain's error (and writes nothing) if it is not allowed."""
    updated = apply(dossier, event)
    num = conn.execute("SELECT num FROM dossiers WHERE id = ?", (dossier.id,)).fetchone()[0]
    _insert_event(conn, event, num, outbox=outbox)
    conn.execute(_APPEND_UPDATE, to_row(updated))
    return updated


def append_many(
    conn: sqlite3.Connection, items: list[tuple[Dossier, Event]], *, outbox: bool = True
) -> list[Dossier]:
    """:func:`append` for many dossiers at once (calendar recompute): same rows, batched statements."""
    if not items:
        return []
    nums: dict[str, int] = {}
    ids = [d.id for d, _ in items]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        nums.update(conn.execute(f"SELECT id, num FROM dossiers WHERE id IN ({marks})", chunk).fetchall())
    last = _last_chain(conn)
    event_num = int(conn.execute("SELECT coalesce(max(num), 0) FROM events").fetchone()[0])
    updated, event_rows = [], []
    for dossier, event in items:
        new = apply(dossier, event)
        payload_json = json.dumps(event.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        crow = _chain_row(event, nums[dossier.id], payload_json)
        last = chain.link(last, crow)
        event_num += 1
        event_rows.append({**crow, "num": event_num, "chain": last})
        updated.append(new)
    conn.executemany(
        """INSERT INTO events (num, id, dossier_num, seq, action, at, hlc, officer, device_id, payload, chain)
           VALUES (:num, :id, :dossier_num, :seq, :action, :at, :hlc, :officer, :device_id, :payload, :chain)""",
        event_rows,
    )
    if outbox:
        conn.executemany("INSERT INTO outbox (event_num) VALUES (?)", [(r["num"],) for r in event_rows])
    conn.executemany(_APPEND_UPDATE, [to_row(d) for d in updated])
    put_setting(conn, "events_head", f"{event_num}:{last.hex()}")
    return updated


def unchanged_since(conn: sqlite3.Connection, items: list[tuple[Dossier, Any]]) -> list[tuple[Dossier, Any]]:
    """Keep the items whose dossier got no new event since it was read (another writer may have acted)."""
    current: dict[str, int] = {}
    for start in range(0, len(items), 500):
        ids = [d.id for d, _ in items[start : start + 500]]
        marks = ",".join("?" * len(ids))
        current.update(
            conn.execute(f"SELECT id, last_seq FROM dossiers WHERE id IN ({marks})", ids).fetchall()
        )
    return [(d, extra) for d, extra in items if current.get(d.id) == d.last_seq]


_SELECT = "SELECT " + ", ".join(DOSSIER_FIELDS) + " FROM dossiers"


def get_by_code(store: Store, code: str) -> Dossier | None:
    row = store.one(_SELECT + " WHERE code = ?", (code.strip().upper(),))
    return from_row(row) if row else None


def get_by_id(store: Store, dossier_id: str) -> Dossier | None:
    row = store.one(_SELECT + " WHERE id = ?", (dossier_id,))
    return from_row(row) if row else None


def events_of(store: Store, dossier: Dossier) -> list[Event]:
    rows = store.query(
        """SELECT e.* FROM events e JOIN dossiers d ON d.num = e.dossier_num
           WHERE d.id = ? ORDER BY e.seq""",
        (dossier.id,),
    )
    return [_event_from_row(r, dossier.id) for r in rows]


# A word being typed becomes at most this many whole words; a shorter prefix (rare: one letter
# in a large vocabulary) is left to FTS5's own prefix query.
MAX_EXPANSION = 200


def match_expression(text: str, expand: Callable[[str], list[str]] | None = None) -> str | None:
    """The FTS5 query for what the officer typed: whole words, the last one a prefix while being typed.

    Only the last word can be unfinished ("Nguyen Ho" finds Nguyễn Hoa, Nguyễn Hoài, Nguyễn Hoàng);
    the earlier ones were finished with a space, so "Ng Hoa" does not find Nguyễn Hoa. Text that
    ends with a space has no prefix at all. ``expand`` gives the indexed words that start with the
    unfinished one; they are OR-ed as whole words (FTS5 walks them lazily, newest first), where a
    ``"hoa"*`` prefix query would merge all their postings first: linear in the number of dossiers,
    and a prefix on every word made full-name searches 8x slower from 100k to 1M dossiers."""
    words = fold_words(text)
    if not words:
        return None
    terms = [f'"{w}"' for w in words]
    if not text[-1:].isspace():
        longer = expand(words[-1]) if expand else []
        if longer:
            terms[-1] = "(" + " OR ".join(f'"{t}"' for t in longer) + ")"
        else:
            terms[-1] += "*"
    return " AND ".join(terms)


def terms_with_prefix(store: Store, prefix: str) -> list[str]:
    """The indexed words that start with ``prefix``; empty when none or more than MAX_EXPANSION."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    rows = store.query(
        "SELECT term FROM dossier_terms WHERE term >= ? AND term < ? LIMIT ?",
        (prefix, upper, MAX_EXPANSION + 1),
    )
    return [r["term"] for r in rows] if len(rows) <= MAX_EXPANSION else []


def search(store: Store, text: str, limit: int = 50) -> list[Dossier]:
    """Code, ID number, phone (exact or prefix) or folded words of applicant and procedure names; newest first."""
    raw = text
    text = text.strip()
    if not text:
        return []
    if parse_code(text):
        found = get_by_code(store, text)
        return [found] if found else []
    compact = text.replace(" ", "").replace(".", "").replace("-", "")
    if compact.isdigit():
        rows = store.query(  # two indexed lookups: an OR across both columns would scan the table
            "SELECT * FROM ("
            + _SELECT
            + " WHERE id_number = ? UNION "
            + _SELECT
            + " WHERE phone = ? AND phone <> '') "
            "ORDER BY received_at DESC LIMIT ?",
            (compact, compact, limit),
        )
        if rows:
            return [from_row(r) for r in rows]
    match = match_expression(raw, lambda prefix: terms_with_prefix(store, prefix))
    if match is None:
        return []
    rows = store.query(
        _SELECT + " WHERE num IN (SELECT rowid FROM dossiers_fts WHERE dossiers_fts MATCH ? "
        "ORDER BY rowid DESC LIMIT ?) ORDER BY num DESC",
        (match, limit),
    )
    if not rows and "-" in text:  # part of a code, e.g. "H40-2611"
        rows = store.query(
            _SELECT + " WHERE code LIKE ? ORDER BY num DESC LIMIT ?", (text.upper() + "%", limit)
        )
    return [from_row(r) for r in rows]


def due_between(store: Store, start: datetime, end: datetime, limit: int = 500) -> list[Dossier]:
    """Dossiers still being processed whose due moment falls in [start, end)."""
    rows = store.query(
        _SELECT
        + " WHERE state IN ('received', 'in_progress') AND due_at >= ? AND due_at < ? ORDER BY due_at LIMIT ?",
        (iso(start), iso(end), limit),
    )
    return [from_row(r) for r in rows]


def overdue(store: Store, today: date, limit: int = 500) -> list[Dossier]:
    """Still processing and the due date is before today (classification is by date)."""
    rows = store.query(
        _SELECT + " WHERE state IN ('received', 'in_progress') AND due_at < ? ORDER BY due_at LIMIT ?",
        (today.isoformat(), limit),
    )
    return [from_row(r) for r in rows]


def count_overdue(store: Store, today: date) -> int:
    return int(
        store.scalar(
            "SELECT count(*) FROM dossiers WHERE state IN ('received', 'in_progress') AND due_at < ?",
            (today.isoformat(),),
        )
    )


def in_state(store: Store, state: State, limit: int = 500) -> list[Dossier]:
    rows = store.query(_SELECT + " WHERE state = ? ORDER BY updated_at LIMIT ?", (str(state), limit))
    return [from_row(r) for r in rows]


def open_processing(store: Store) -> list[Dossier]:
    """Every dossier whose due date depends on the calendar (for recomputation after a calendar change)."""
    rows = store.query(_SELECT + " WHERE state IN ('received', 'in_progress', 'supplement')")
    return [from_row(r) for r in rows]


def replays(store: Store) -> Iterator[tuple[int, Dossier | None]]:
    """(num, dossier replayed from its events) for every dossier with events, in num order;
    None where the events themselves do not form a valid history (a gap, an illegal step)."""
    rows = store.conn.execute(
        "SELECT e.dossier_num, d.id, e.id, e.seq, e.action, e.at, e.hlc, e.officer, e.device_id, e.payload "
        "FROM events e JOIN dossiers d ON d.num = e.dossier_num ORDER BY e.dossier_num, e.seq"
    )
    current: int | None = None
    dossier: Dossier | None = None
    broken = False
    for num, did, eid, seq, action, at, hlc, officer, device, payload in rows:
        if num != current:
            if current is not None:
                yield current, None if broken else dossier
            current, dossier, broken = num, None, False
        if broken:
            continue
        event = event_from_values(did, eid, seq, action, at, hlc, officer, device, payload)
        try:
            dossier = apply(dossier, event)
        except DomainError:
            broken = True
    if current is not None:
        yield current, None if broken else dossier


def rebuild_projection(store: Store) -> int:
    """Recompute every dossier row and the search index from the events alone."""
    count = 0
    with store.atomic() as conn:
        conn.execute("INSERT INTO dossiers_fts (dossiers_fts) VALUES ('delete-all')")
        conn.execute("DELETE FROM dossier_terms")
        all_words = []
        for num, d in list(replays(store)):
            if d is None:
                raise ValidationError(
                    f"Nhật ký sự kiện của hồ sơ số {num} không hợp lệ; không dựng lại được."
                )
            conn.execute(_UPDATE_DOSSIER, to_row(d))
            words = search_words(d)
            conn.execute("INSERT INTO dossiers_fts (rowid, words) VALUES (?, ?)", (num, words))
            all_words.append(words)
            count += 1
        add_terms(conn, all_words)
    return count


def verify_chain(store: Store) -> int | None:
    """Number of the first event row whose hash link is broken, None if intact."""

    def rows():
        for r in store.db.query("SELECT * FROM events ORDER BY num"):
            crow = {
                k: r[k]
                for k in (
                    "id",
                    "dossier_num",
                    "seq",
                    "action",
                    "at",
                    "hlc",
                    "officer",
                    "device_id",
                    "payload",
                )
            }
            yield r["num"], crow, r["chain"]

    broken = chain.first_break(rows())
    if broken is not None:
        return broken
    # A deleted tail leaves an intact chain; the head remembered by every write shows it.
    head = store.get_setting("events_head")
    last = store.one("SELECT num, chain FROM events ORDER BY num DESC LIMIT 1")
    actual = f"{last['num']}:{bytes(last['chain']).hex()}" if last else None
    if head != actual:
        return int(last["num"]) + 1 if last else 1
    return None


def stats(store: Store) -> dict[str, int]:
    return {
        "dossiers": int(store.scalar("SELECT count(*) FROM dossiers")),
        "events": int(store.scalar("SELECT count(*) FROM events")),
        "pending_events": int(store.scalar("SELECT count(*) FROM outbox WHERE state <> 'acknowledged'")),
    }


def schedule_inputs(store: Store) -> list[tuple[Dossier, dict[str, Any], list[tuple[str, datetime]]]]:
    """For each dossier whose due date the calendar decides (processing, no manual new date):
    the dossier, its procedure's processing rule, and its supplement events in order."""
    open_rows = store.query(
        "SELECT num AS _num, "
        + _SELECT[len("SELECT ") :]
        + " WHERE state IN ('received', 'in_progress') AND apologies = 0"
    )
    nums = [r["_num"] for r in open_rows]
    processing: dict[int, dict[str, Any]] = {}
    pauses: dict[int, list[tuple[str, datetime]]] = {}
    for start in range(0, len(nums), 500):
        chunk = nums[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for num, seq, action, at, payload in store.conn.execute(
            "SELECT dossier_num, seq, action, at, json_extract(payload, '$.procedure.processing') FROM events "
            f"WHERE dossier_num IN ({marks}) "
            "AND (seq = 1 OR action IN ('request-supplement', 'receive-supplement')) ORDER BY dossier_num, seq",
            chunk,
        ):
            if seq == 1:
                processing[num] = json.loads(payload)
            else:
                pauses.setdefault(num, []).append((action, datetime.fromisoformat(at)))
    return [(from_row(r), processing[r["_num"]], pauses.get(r["_num"], [])) for r in open_rows]


def projection_mismatches(store: Store) -> list[str]:
    """Codes of dossiers whose stored row differs from the replay of their events (or that have none)."""
    replayed = replays(store)
    pending = next(replayed, None)
    bad = []
    for r in store.db.query("SELECT num, " + _SELECT[len("SELECT ") :] + " ORDER BY num"):
        stored = from_row(r)
        while pending is not None and pending[0] < r["num"]:
            pending = next(replayed, None)
        if pending is None or pending[0] != r["num"] or pending[1] != stored:
            bad.append(stored.code)
    return bad


def bulk_insert(conn: sqlite3.Connection, histories: list[list[Event]], *, outbox: bool = False) -> None:
    """Store many complete dossier histories at once (demo data, imports): same rows, one chain update."""
    last = _last_chain(conn)
    dossier_rows, fts_rows, event_rows = [], [], []
    first_num = int(conn.execute("SELECT coalesce(max(num), 0) FROM dossiers").fetchone()[0]) + 1
    first_event = int(conn.execute("SELECT coalesce(max(num), 0) FROM events").fetchone()[0]) + 1
    event_num = first_event
    for offset, events in enumerate(histories):
        num = first_num + offset
        dossier: Dossier | None = None
        for e in events:
            dossier = apply(dossier, e)
            payload_json = json.dumps(e.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            crow = _chain_row(e, num, payload_json)
            last = chain.link(last, crow)
            event_rows.append({**crow, "num": event_num, "chain": last})
            event_num += 1
        assert dossier is not None
        dossier_rows.append({**to_row(dossier), "num": num})
        fts_rows.append((num, search_words(dossier)))
    conn.executemany(
        "INSERT INTO dossiers (num, {cols}) VALUES (:num, {vals})".format(
            cols=", ".join(DOSSIER_FIELDS), vals=", ".join(f":{c}" for c in DOSSIER_FIELDS)
        ),
        dossier_rows,
    )
    conn.executemany("INSERT INTO dossiers_fts (rowid, words) VALUES (?, ?)", fts_rows)
    add_terms(conn, (words for _, words in fts_rows))
    conn.executemany(
        """INSERT INTO events (num, id, dossier_num, seq, action, at, hlc, officer, device_id, payload, chain)
           VALUES (:num, :id, :dossier_num, :seq, :action, :at, :hlc, :officer, :device_id, :payload, :chain)""",
        event_rows,
    )
    if outbox:
        conn.executemany(
            "INSERT INTO outbox (event_num) VALUES (?)", [(n,) for n in range(first_event, event_num)]
        )
    if event_rows:
        put_setting(conn, "events_head", f"{event_num - 1}:{last.hex()}")


def sequences(store: Store) -> dict[tuple[date, int], int]:
    """The last number used per (day, slot)."""
    return {
        (date.fromisoformat(d), slot): last
        for d, slot, last in store.conn.execute("SELECT day, slot, last FROM day_sequences")
    }


def raise_sequences(conn: sqlite3.Connection, used: dict[tuple[date, int], int]) -> None:
    """Make sure later intakes continue after numbers a bulk load used."""
    conn.executemany(
        """INSERT INTO day_sequences (day, slot, last) VALUES (?, ?, ?)
           ON CONFLICT (day, slot) DO UPDATE SET last = max(last, excluded.last)""",
        [(day.isoformat(), slot, last) for (day, slot), last in used.items()],
    )


def count_due_between(store: Store, start: datetime, end: datetime) -> int:
    return int(
        store.scalar(
            "SELECT count(*) FROM dossiers WHERE state IN ('received', 'in_progress') AND due_at >= ? AND due_at < ?",
            (iso(start), iso(end)),
        )
    )


def count_in_state(store: Store, state: State) -> int:
    return int(store.scalar("SELECT count(*) FROM dossiers WHERE state = ?", (str(state),)))


def page(
    store: Store, flt: Any, *, before_num: int | None = None, limit: int = 200
) -> list[tuple[int, Dossier]]:
    """Keyset page of the dossier list (newest first) for the lazy table; ``flt`` is a queries.DossierFilter."""
    where, params = [], []
    if before_num is not None:
        where.append("num < ?")
        params.append(before_num)
    if flt.states:
        where.append(f"state IN ({','.join('?' * len(flt.states))})")
        params += [str(s) for s in flt.states]
    if flt.field:
        where.append("field = ?")
        params.append(flt.field)
    if flt.received_from:
        where.append("received_at >= ?")
        params.append(flt.received_from.isoformat())
    if flt.received_to:
        where.append("received_at < ?")
        params.append((flt.received_to + timedelta(days=1)).isoformat())
    if flt.officer:
        where.append("officer = ?")
        params.append(flt.officer)
    if flt.text.strip():
        matches = search(store, flt.text, limit=2000)
        if not matches:
            return []
        codes = [d.code for d in matches]
        where.append(f"code IN ({','.join('?' * len(codes))})")
        params += codes
    sql = "SELECT num, " + _SELECT[len("SELECT ") :]
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY num DESC LIMIT ?"
    params.append(limit)
    cur = store.conn.execute(sql, params)
    names = [c[0] for c in cur.description]
    out = []
    for row in cur:
        r = dict(zip(names, row, strict=True))
        out.append((r["num"], from_row(r)))
    return out


def received_between(store: Store, start: date, end: date) -> list[Dossier]:
    """Dossiers received on days start..end inclusive, in order of receipt (the register's order)."""
    rows = store.query(
        _SELECT + " WHERE received_at >= ? AND received_at < ? ORDER BY received_at, num",
        (start.isoformat(), (end + timedelta(days=1)).isoformat()),
    )
    return [from_row(r) for r in rows]


def first_action_at(store: Store, dossier_ids: list[str], action: str) -> dict[str, datetime]:
    """When each dossier first had ``action`` (e.g. its transfer to the handler)."""
    out: dict[str, datetime] = {}
    for start in range(0, len(dossier_ids), 500):
        chunk = dossier_ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for did, at in store.conn.execute(
            f"SELECT d.id, min(e.at) FROM events e JOIN dossiers d ON d.num = e.dossier_num "
            f"WHERE d.id IN ({marks}) AND e.action = ? GROUP BY d.id",
            [*chunk, action],
        ):
            out[did] = datetime.fromisoformat(at)
    return out


def position_in_year(store: Store, dossier: Dossier) -> int:
    """The dossier's line in this year's register book (order of receipt)."""
    year = dossier.received_at.year
    return int(
        store.scalar(
            "SELECT count(*) FROM dossiers WHERE received_at >= ? AND "
            "(received_at < ? OR (received_at = ? AND num <= (SELECT num FROM dossiers WHERE id = ?)))",
            (f"{year}-01-01", iso(dossier.received_at), iso(dossier.received_at), dossier.id),
        )
    )
