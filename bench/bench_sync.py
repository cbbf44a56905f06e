"""Figures for the sync budgets (issue 7).

Usage: python bench/bench_sync.py
Starts a throw-away PostgreSQL (tests/server/pg_cluster.py) and the real server, builds counters on
temp SQLite files and prints one line per budget. Nothing is asserted: read the figures.

  1. bytes per event on the wire (gzip) over a realistic day of intakes and actions, pushed at the
     background worker's cadence (every 10 minutes), plus the whole day as one batch and the worst
     case (every event alone);                                                   budget <= 250 B
  2. 10,000 events pushed over loopback;                                         budget <= 10 s
  3. 1,000 dossiers through the faulty proxy (10% of requests dropped, 300 ms delay each way);
     0 lost, 0 duplicated;                                                       budget <= 60 s
  4. the push endpoint with 20 devices pushing at once;                          budget >= 500 events/s
  5. pushing 10,000 events against the floor: a raw PostgreSQL ``COPY`` of the very rows the push
     stored, into the same tables, committed the same way; alternating rounds;  budget <= 2x COPY

``--only 2,5`` runs some sections; ``--rounds N`` sets the rounds of section 5 (default 5).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "server")]

from faulty_proxy import Faults, FaultyProxy  # noqa: E402
from pg_cluster import Cluster  # noqa: E402
from server_harness import District, ServerProcess  # noqa: E402

from counter_app.domain.errors import DomainError  # noqa: E402
from counter_app.services import actions  # noqa: E402
from counter_app.services import sync as sync_service  # noqa: E402
from counter_app.services.context import Counter, open_counter  # noqa: E402
from counter_app.services.demo import _person, generate  # noqa: E402
from counter_app.services.intake import IntakeRequest, intake  # noqa: E402
from counter_app.services.setup import initialize  # noqa: E402
from counter_app.store import dossiers as dossier_store  # noqa: E402
from counter_app.store import outbox  # noqa: E402
from counter_app.store import procedures as procedure_store  # noqa: E402
from counter_app.store.database import Store  # noqa: E402
from counter_app.sync.client import SyncClient  # noqa: E402
from counter_app.sync.engine import push_pending  # noqa: E402
from counter_app.wire import PushRequest, WireEvent, compress, dumps, push_body  # noqa: E402
from district_server.db import migrate  # noqa: E402
from district_server.merge import SELECT_DOSSIER, dossier_from_row  # noqa: E402

COMMUNES = [f"000.00.{n:02d}.H40" for n in range(21, 24)]
DEVICE_COMMUNES = [f"000.00.{n:02d}.H41" for n in range(1, 21)]  # demo data numbers dossiers as slot 0


class Clock:
    def __init__(self, now: datetime) -> None:
        self.value = now

    def __call__(self) -> datetime:
        return self.value


class Counting(httpx.HTTPTransport):
    """Counts request bodies by path: what actually goes on the wire for the sync calls."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: dict[str, int] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        self.sent[request.url.path] = self.sent.get(request.url.path, 0) + len(body)
        return super().handle_request(request)


def counter_for(folder: Path, name: str, district: District, url: str, commune: str, clock: Clock) -> Counter:
    counter = open_counter(folder / f"{name}.db", now=clock)
    initialize(counter)
    sync_service.enroll(counter, url, district.enrollment_code(commune))
    return counter


# -- 1. bytes per event ------------------------------------------------------------------------------
NEXT = {"received": "transfer", "in_progress": "ready", "ready": "return"}


def realistic_day(counter: Counter, clock: Clock, on_tick: Callable[[], None], rng: random.Random) -> int:
    """A commune's day: ~60 intakes 07:30–17:00, and the officers moving older dossiers along."""
    procedures = procedure_store.list_active(counter.store)
    weights = [6 if p.field in ("Chứng thực", "Hộ tịch") else 1 for p in procedures]
    open_codes: list[str] = []
    start = clock.value.replace(hour=7, minute=30)
    clock.value = start
    next_tick = start + timedelta(minutes=10)
    made = 0
    while clock.value < start.replace(hour=17, minute=0):
        clock.value += timedelta(minutes=rng.randint(3, 15))
        while clock.value >= next_tick:
            on_tick()
            next_tick += timedelta(minutes=10)
        p = rng.choices(procedures, weights)[0]
        person = _person(rng, clock.value.date())
        try:
            r = intake(
                counter,
                IntakeRequest(
                    procedure_code=p.code, name=person["name"], id_number=person["id_number"],
                    phone=person["phone"], address=person["address"],
                    channel=rng.choices(["direct", "post", "online"], [80, 5, 15])[0],
                ),
            )  # fmt: skip
        except DomainError:
            continue
        made += 1
        open_codes.append(r.dossier.code)
        for code in rng.sample(open_codes, min(len(open_codes), 3)):
            d = dossier_store.get_by_code(counter.store, code)
            if d is None or d.state.value not in NEXT or rng.random() < 0.4:
                continue
            action = NEXT[d.state.value]
            if action == "ready" and rng.random() < 0.1:
                action = "request-supplement"
            actions.perform(
                counter,
                actions.ActionRequest(
                    code=code, action=action, handler="Công chức tư pháp - hộ tịch",
                    reason="Bổ sung bản sao giấy tờ còn thiếu." if action == "request-supplement" else "",
                    rating=rng.choice(["satisfied", None]) if action == "return" else None,
                ),
            )  # fmt: skip
    on_tick()
    return made


def bench_bytes(folder: Path, district: District, url: str) -> None:
    rng = random.Random(7)
    clock = Clock(datetime(2026, 11, 16, 7, 0))
    counter = counter_for(folder, "day", district, url, COMMUNES[0], clock)
    transport = Counting()

    def tick() -> None:  # what the background worker does every 10 minutes
        result = sync_service.sync_now(counter, transport=transport, push=sync_service.push_due(counter))
        assert result.complete, result

    made = realistic_day(counter, clock, tick, rng)
    assert sync_service.sync_now(counter, transport=transport).pending == 0  # closing the app: "sync now"
    events = counter.store.scalar("SELECT count(*) FROM events")
    pushed = transport.sent.get("/api/v1/push", 0)
    rows = counter.store.conn.execute(
        "SELECT e.id, d.id, e.seq, e.action, e.at, e.hlc, e.officer, e.device_id, e.payload FROM events e "
        "JOIN dossiers d ON d.num = e.dossier_num ORDER BY e.num"
    ).fetchall()
    import json

    evs = [
        WireEvent.model_construct(id=i, dossier_id=d, seq=s, action=a, at=at, hlc=h, officer=o, device_id=v,
                                  payload=json.loads(p))
        for i, d, s, a, at, h, o, v, p in rows
    ]  # fmt: skip
    whole_day = len(compress(dumps(PushRequest.model_construct(events=evs))))
    alone = sum(len(compress(dumps(PushRequest.model_construct(events=[e])))) for e in evs)
    hourly = 0
    for _, grp in groupby(evs, key=lambda e: e.at[:13]):
        hourly += len(compress(dumps(PushRequest.model_construct(events=list(grp)))))
    raw = sum(len(dumps(e)) for e in evs)
    print(f"1. realistic day: {made} intakes, {events} events ({raw / events:.0f} B/event as plain JSON)")
    print(
        f"   pushed by the background worker (10-min rounds; push when >= {sync_service.PUSH_MIN_BATCH} wait or the"
        f" oldest waited {sync_service.PUSH_MAX_AGE.seconds // 60} min): {pushed / events:.0f} B/event"
        " (gzip bodies)   budget <= 250"
    )
    print(f"   whole day in one batch: {whole_day / events:.0f} B/event; hourly batches: {hourly / events:.0f} B/event;"
          f" every event alone: {alone / events:.0f} B/event")  # fmt: skip
    counter.store.close()


# -- 2. 10,000 events over loopback -------------------------------------------------------------------
def demo_counter(
    folder: Path, name: str, district: District, url: str, commune: str, dossiers: int, events: int = -1
) -> Counter:
    clock = Clock(datetime(2026, 11, 16, 16, 0))
    counter = counter_for(folder, name, district, url, commune, clock)
    generate(counter, dossiers, seed=sum(map(ord, name)), days=max(5, dossiers // 300))
    with counter.store.atomic() as conn:  # demo data never enters the outbox; for the benchmark it must
        conn.execute("INSERT INTO outbox (event_num) SELECT num FROM events ORDER BY num LIMIT ?", (events,))
    return counter


def bench_loopback(folder: Path, district: District, url: str) -> None:
    counter = demo_counter(folder, "loopback", district, url, COMMUNES[1], 3600, events=10_000)
    events = counter.store.scalar("SELECT count(*) FROM outbox WHERE state = 'pending'")
    assert events == 10_000, events
    started = time.perf_counter()
    result = sync_service.sync_now(counter)
    took = time.perf_counter() - started
    assert result.complete and result.pending == 0, result
    print(f"2. {result.pushed:,} events pushed over loopback in {took:.2f} s ({result.pushed / took:,.0f} events/s,"
          f" batches of 500, client and server on 2 cores)   budget <= 10 s for 10,000")  # fmt: skip
    assert result.pushed == events
    counter.store.close()


# -- 3. 1,000 dossiers through the faulty proxy --------------------------------------------------------
def bench_faulty(folder: Path, district: District, server: ServerProcess, database_url: str) -> None:
    counter = demo_counter(folder, "faulty", district, server.url, COMMUNES[2], 1000)
    events = counter.store.scalar("SELECT count(*) FROM events")
    proxy = FaultyProxy(
        server.port, Faults(drop_request=0.05, drop_response=0.05, fixed_delay=0.3), seed=3
    ).start()
    rounds = 0
    try:
        started = time.perf_counter()
        while True:
            rounds += 1
            result = sync_service.sync_now(counter, server=proxy.url, attempts=1, timeout=10)
            if result.complete and result.pending == 0:
                break
            time.sleep(0.2)
        took = time.perf_counter() - started
    finally:
        proxy.stop()
    local = {r[0] for r in counter.store.conn.execute("SELECT id FROM events")}
    with psycopg.connect(database_url) as conn:
        commune = conn.execute("SELECT id FROM communes WHERE code = %s", (COMMUNES[2],)).fetchone()[0]
        on_server = [
            r[0] for r in conn.execute("SELECT id::text FROM events WHERE commune_id = %s", (commune,))
        ]
        from psycopg.rows import dict_row

        conn.row_factory = dict_row  # type: ignore[assignment]
        projections = {
            r["id"]: dossier_from_row(r)
            for r in conn.execute(SELECT_DOSSIER + " WHERE commune_id = %s", (commune,))
        }
    lost = len(local - set(on_server))
    duplicated = len(on_server) - len(set(on_server))
    differ = sum(1 for did, d in projections.items() if dossier_store.get_by_id(counter.store, did) != d)
    print(f"3. 1,000 dossiers ({events:,} events) through the faulty proxy in {took:.1f} s, {rounds} sync rounds,"
          f" {proxy.stats['drop_request'] + proxy.stats['drop_response']} of {proxy.stats['requests']} requests dropped;"
          f" lost {lost}, duplicated {duplicated}, projections differing {differ}   budget <= 60 s, 0 lost, 0 duplicated")  # fmt: skip
    counter.store.close()


# -- 4. 20 devices pushing at once ---------------------------------------------------------------------
def bench_concurrent(folder: Path, district: District, url: str) -> None:
    """Half of each device's events in batches of 500 (catching up), the other half in batches of 20
    (the background worker's usual size): the endpoint's throughput both ways."""
    devices: list[tuple[str, list[outbox.Outgoing]]] = []
    for n in range(20):
        counter = demo_counter(folder, f"device{n}", district, url, DEVICE_COMMUNES[n], 300)
        items = outbox.lease(counter.store, 100_000, now=datetime.now(), lease=timedelta(hours=1))
        devices.append((counter.store.get_setting("sync_token"), items))
        counter.store.close()
    for size, part in ((500, 0), (20, 1)):
        bodies = []
        for token, events in devices:
            half = events[: len(events) // 2] if part == 0 else events[len(events) // 2 :]
            batches = [push_body(e.wire for e in half[i : i + size]) for i in range(0, len(half), size)]
            bodies.append((token, batches, len(half)))
        total = sum(n for _, _, n in bodies)
        errors: list[str] = []
        barrier = threading.Barrier(len(bodies) + 1)

        def device(token: str, batches: list[bytes], errors: list[str] = errors, barrier=barrier) -> None:
            with SyncClient(url, token, timeout=120) as client:
                headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
                barrier.wait()
                for body in batches:
                    resp = client._http.post("/api/v1/push", content=body, headers=headers)
                    if resp.status_code != 200 or '"conflict"' in resp.text:
                        errors.append(resp.text[:200])

        threads = [threading.Thread(target=device, args=(t, b)) for t, b, _ in bodies]
        for t in threads:
            t.start()
        barrier.wait()
        started = time.perf_counter()
        for t in threads:
            t.join()
        took = time.perf_counter() - started
        label = "4." if size == 500 else "  "
        print(f"{label} 20 devices (20 communes) pushing {total:,} events at once in batches of {size}: {took:.2f} s,"
              f" {total / took:,.0f} events/s at the push endpoint; errors {len(errors)}   budget >= 500 events/s")  # fmt: skip


# -- 5. push against the COPY floor ----------------------------------------------------------------
FLOOR_TABLES = ("dossiers", "events")  # in FK order


def _reset_server(conn: psycopg.Connection, commune_id: int) -> None:
    """Take the commune's rows out again (VACUUM, so no dead tuples stay behind), then a checkpoint,
    so neither side pays for the other's dirty pages."""
    for table in ("events", "conflicts", "dossiers"):
        conn.execute(f"DELETE FROM {table} WHERE commune_id = %s", (commune_id,))
    conn.execute("UPDATE communes SET last_event_seq = 0 WHERE id = %s", (commune_id,))
    conn.execute("VACUUM (ANALYZE) events, conflicts, dossiers")
    conn.execute("CHECKPOINT")


def _ballast(conn: psycopg.Connection, commune_id: int, copies: int) -> int:
    """A server that already holds other communes' data: ``copies`` copies of the commune's rows
    under new ids, codes and communes, so tables, indexes and statistics are not those of an
    empty database (whose plans and page counts would flatter or hurt either side)."""
    columns = {
        t: [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
            "AND table_schema = 'public' ORDER BY ordinal_position", (t,))]
        for t in FLOOR_TABLES
    }  # fmt: skip
    renamed = {
        "dossiers": {"id": "md5(id::text || %(k)s)::uuid", "code": "code || '-' || %(k)s"},
        "events": {
            "id": "md5(id::text || %(k)s)::uuid",
            "dossier_id": "md5(dossier_id::text || %(k)s)::uuid",
        },
    }
    for k in range(copies):
        other = conn.execute(
            "INSERT INTO communes (code, name) VALUES (%s, %s) RETURNING id",
            (f"000.00.{40 + k}.H40", f"UBND xã {k}"),
        ).fetchone()
        assert other is not None
        for table in FLOOR_TABLES:
            names = columns[table]
            select = ", ".join("%(other)s" if n == "commune_id" else renamed[table].get(n, n) for n in names)
            conn.execute(
                f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} FROM {table} "
                "WHERE commune_id = %(commune)s",
                {"k": str(k), "other": other[0], "commune": commune_id},
            )
    return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])  # type: ignore[index]


def _copy_floor(
    conn: psycopg.Connection, rows: dict[str, tuple[str, list[tuple], bytes]], text: bool
) -> float:
    """The floor: the stored rows sent by COPY in one transaction and committed (fsync on, as for a
    push). ``text``: already in COPY's text format, so only PostgreSQL works; else from Python
    values (UUID, datetime, JSON as text) through psycopg's ``write_row``, as a Python app must."""
    started = time.perf_counter()
    with conn.transaction(), conn.cursor() as cur:
        for table in FLOOR_TABLES:
            columns, values, data = rows[table]
            with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                if text:
                    copy.write(data)
                else:
                    for row in values:
                        copy.write_row(row)
    return time.perf_counter() - started


def _stored_rows(conn: psycopg.Connection, commune_id: int) -> dict[str, tuple[str, list[tuple], bytes]]:
    """Every column of what the push stored (serial ids and defaults included), as Python values
    and as COPY text."""
    out: dict[str, tuple[str, list[tuple], bytes]] = {}
    for table in FLOOR_TABLES:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
                "AND table_schema = 'public' ORDER BY ordinal_position",
                (table,),
            )
        ]
        columns = ", ".join(names)
        select = ", ".join(f"{n}::text" if n == "payload" else n for n in names)
        where = f"FROM {table} WHERE commune_id = {int(commune_id)}"
        values = conn.execute(f"SELECT {select} {where}").fetchall()
        data = bytearray()
        with conn.cursor() as cur, cur.copy(f"COPY (SELECT {columns} {where}) TO STDOUT") as copy:
            for chunk in copy:
                data += chunk
        out[table] = (columns, values, bytes(data))
    return out


def _client_side(store: Store) -> tuple[float, float, float]:
    """What the counter spends per 10,000 events without a server: leasing and settling the outbox
    rows, and building the request bodies (as SyncClient.push does), in batches of 500."""
    leasing = encoding = gzipping = 0.0
    now = datetime(2026, 11, 16, 16, 0)
    while True:
        a = time.perf_counter()
        items = outbox.lease(store, 500, now=now, lease=timedelta(seconds=90))
        b = time.perf_counter()
        if not items:
            leasing += b - a
            break
        raw = ('{"events":[' + ",".join(i.wire for i in items) + "]}").encode()  # as push_body does
        c = time.perf_counter()
        compress(raw)
        d = time.perf_counter()
        outbox.settle(store, acknowledged=[i.event_num for i in items])
        e = time.perf_counter()
        leasing += (b - a) + (e - d)
        encoding += d - b
        gzipping += d - c
    with store.atomic() as conn:
        conn.execute("UPDATE outbox SET state = 'pending', lease_until = NULL, attempts = 0")
    return leasing, encoding, gzipping


def bench_floor(folder: Path, cluster: Cluster, rounds: int) -> None:
    """The app's push of 10,000 events (lease, encode, gzip, HTTP, parse, merge, write, commit,
    settle) against COPY of the same rows, alternating, on a database of its own."""
    url = cluster.create_database("bench_floor")
    migrate(url)
    district = District(url)
    commune = "000.00.30.H40"
    district.add_commune(commune, "UBND xã sàn")
    server = ServerProcess(url).start()
    try:
        counter = demo_counter(folder, "floor", district, server.url, commune, 3600, events=10_000)
        store = counter.store
        token = store.get_setting("sync_token")
        client_side = _client_side(store)
        apps: list[float] = []
        floors: list[float] = []
        texts: list[float] = []
        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute("SELECT id FROM communes WHERE code = %s", (commune,)).fetchone()
            assert row is not None
            commune_id = row[0]
            with SyncClient(server.url, token, timeout=120) as client:  # once, untimed: the rows
                assert push_pending(store, client).pushed == 10_000
            rows = _stored_rows(conn, commune_id)
            held = _ballast(conn, commune_id, 5)
            for _ in range(rounds):
                with store.atomic() as c:
                    c.execute("UPDATE outbox SET state = 'pending', lease_until = NULL, attempts = 0")
                store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                _reset_server(conn, commune_id)
                started = time.perf_counter()
                with SyncClient(server.url, token, timeout=120) as client:
                    outcome = push_pending(store, client)
                apps.append(time.perf_counter() - started)
                assert outcome.pushed == 10_000 and not outcome.rejected, outcome
                _reset_server(conn, commune_id)
                floors.append(_copy_floor(conn, rows, text=False))
                _reset_server(conn, commune_id)
                texts.append(_copy_floor(conn, rows, text=True))
            stored = conn.execute(
                "SELECT count(*) FROM events WHERE commune_id = %s", (commune_id,)
            ).fetchone()
            assert stored is not None and stored[0] == 10_000, stored
        store.close()
    finally:
        server.stop()
    sizes = ", ".join(f"{len(rows[t][1]):,} {t}" for t in FLOOR_TABLES)
    app, floor, text = (statistics.median(x) for x in (apps, floors, texts))
    print(f"5. push of 10,000 events vs COPY of the same rows ({sizes}) into the same tables, which hold"
          f" {held - 10_000:,} events of 5 other communes; {rounds} alternating rounds:")  # fmt: skip
    print("   app push                  " + " ".join(f"{t:.2f}" for t in apps) + f" s, median {app:.2f} s")
    print(
        "   COPY floor (Python rows)  " + " ".join(f"{t:.2f}" for t in floors) + f" s, median {floor:.2f} s"
    )
    print("   COPY of ready COPY text   " + " ".join(f"{t:.2f}" for t in texts) + f" s, median {text:.2f} s")
    print(f"   ratio {app / floor:.1f}x the floor ({app / text:.1f}x PostgreSQL's own share)   budget <= 2x")
    print(f"   the counter's share, no network: lease+settle {client_side[0]:.2f} s, request bodies"
          f" {client_side[1]:.2f} s (of which gzip {client_side[2]:.2f} s) per 10,000 events")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="1,2,3,4,5", help="sections to run, e.g. 2,5")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of section 5")
    args = parser.parse_args()
    only = {int(n) for n in args.only.split(",")}
    cluster = Cluster(durable=True).start()
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        url = cluster.create_database("bench")
        migrate(url)
        district = District(url)
        for code in COMMUNES + DEVICE_COMMUNES:
            district.add_commune(code, f"UBND xã {code}")
        server = ServerProcess(url).start()
        try:
            print(
                "Sync benchmarks (PostgreSQL 15 on this machine, default durability: fsync on; server: one uvicorn process)"
            )
            if 1 in only:
                bench_bytes(folder, district, server.url)
            if 2 in only:
                bench_loopback(folder, district, server.url)
            if 3 in only:
                bench_faulty(folder, district, server, url)
            if 4 in only:
                bench_concurrent(folder, district, server.url)
        finally:
            server.stop()
        if 5 in only:
            bench_floor(folder, cluster, args.rounds)
    finally:
        cluster.stop()
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
