"""Sync through a hostile network: every dossier reaches the server exactly once, and unchanged.

Three counters (two of commune A, one of B) push through a proxy that drops, cuts, duplicates,
replays late and delays requests and answers; the server process is killed and restarted mid-run;
one counter's sync process is SIGKILLed mid-push and resumed by another process after its lease
runs out. Afterwards the server holds every event exactly once, no conflict was invented, every
dossier's projection on the server equals the counter's, and the two counters of commune A hold
each other's dossiers. STORM_SEED=n replays another storm.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import psycopg
from faulty_proxy import FAULTS, Faults, FaultyProxy
from helpers import receive
from psycopg.rows import dict_row
from server_harness import ROOT, District, ServerProcess

from counter_app.services import actions
from counter_app.services import sync as sync_service
from counter_app.services.context import Counter, open_counter
from counter_app.store import dossiers as dossier_store
from district_server.merge import SELECT_DOSSIER, dossier_from_row

COMMUNE_A = "000.00.21.H40"
COMMUNE_B = "000.00.22.H40"
CHILD = Path(__file__).with_name("sync_child.py")
STORM = Faults(
    drop_request=0.08,
    cut_request=0.05,
    drop_response=0.10,
    cut_response=0.05,
    duplicate=0.08,
    late_duplicate=0.06,
    delay=0.05,
    every_kind=True,
)
NEXT = {"received": "transfer", "in_progress": "ready", "ready": "return"}


def busy_day(counter: Counter, clock, dossiers: int) -> None:
    """Intakes through the day, and each dossier moved along a step or three."""
    codes = []
    for i in range(dossiers):
        clock.value += timedelta(minutes=3)
        codes.append(receive(counter, name=f"Nguyễn Văn {chr(65 + i % 26)}").dossier.code)
        for code in codes[-3:]:
            d = dossier_store.get_by_code(counter.store, code)
            if d and d.state.value in NEXT and (i + len(code)) % 2 == 0:
                actions.perform(
                    counter,
                    actions.ActionRequest(code=code, action=NEXT[d.state.value], handler="Công chức tư pháp"),
                )


def sync_until_done(path: Path, clock, url: str, deadline: float, lease: float = 60.0) -> None:
    counter = open_counter(path, now=clock)
    try:
        while time.monotonic() < deadline:
            result = sync_service.sync_now(
                counter, server=url, attempts=1, batch=25, timeout=5, lease=timedelta(seconds=lease)
            )
            if result.complete and result.pending == 0:
                return
            import sys as _s

            print(
                path.name,
                round(time.monotonic(), 1),
                result.pushed,
                result.pending,
                result.error_code,
                result.busy,
                file=_s.stderr,
            )
            time.sleep(0.05)
        raise AssertionError(f"{path.name} did not finish syncing: {sync_service.status(counter)}")
    finally:
        counter.store.close()


def server_dossiers(url: str) -> dict:
    with psycopg.connect(url, row_factory=dict_row) as conn:
        return {r["id"]: (dossier_from_row(r), r["commune_id"]) for r in conn.execute(SELECT_DOSSIER)}


def test_storm_loses_and_duplicates_nothing(
    database_url: str, district: District, make_counter, clock, tmp_path: Path
) -> None:
    server = ServerProcess(database_url).start()
    proxy = FaultyProxy(server.port, STORM, seed=int(os.environ.get("STORM_SEED", "20261116"))).start()
    try:
        a1, a2, b1 = make_counter("a1"), make_counter("a2"), make_counter("b1")
        for counter, commune in ((a1, COMMUNE_A), (a2, COMMUNE_A), (b1, COMMUNE_B)):
            code = district.enrollment_code(commune)
            for _ in range(30):  # enrollment through the storm too: a lost answer may be redeemed again
                try:
                    sync_service.enroll(counter, proxy.url, code)
                    break
                except sync_service.ServerUnavailable:
                    time.sleep(0.05)
            else:
                raise AssertionError("enrollment never got through")
        busy_day(a1, clock, 70)
        busy_day(a2, clock, 50)
        busy_day(b1, clock, 40)
        paths = {name: tmp_path / f"{name}.db" for name in ("a1", "a2", "b1")}

        # a1 is pushed by a child process, killed mid-push (rows leased, a request in flight).
        proxy.faults = Faults(fixed_delay=0.1)
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(paths["a1"]), proxy.url, "3"],
            stdout=subprocess.DEVNULL,
            cwd=str(ROOT),
        )
        deadline = time.monotonic() + 30
        while True:  # kill it once some batches went through and the next one is in flight
            acked, sending = a1.store.conn.execute(
                "SELECT sum(state = 'acknowledged'), sum(state = 'sending') FROM outbox"
            ).fetchone()
            if acked and acked >= 30 and sending:
                break
            assert child.poll() is None and time.monotonic() < deadline, "the child never got mid-push"
            time.sleep(0.002)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        left_sending = a1.store.scalar("SELECT count(*) FROM outbox WHERE state = 'sending'")
        acked_by_child = a1.store.scalar("SELECT count(*) FROM outbox WHERE state = 'acknowledged'")
        assert left_sending > 0
        assert acked_by_child < a1.store.scalar("SELECT count(*) FROM outbox")

        # The storm: three counters syncing at once, and the server killed and restarted mid-run.
        proxy.faults = STORM
        deadline = time.monotonic() + 90
        errors: list[BaseException] = []

        def worker(name: str) -> None:
            try:
                sync_until_done(paths[name], clock, proxy.url, deadline)
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=worker, args=(n,)) for n in ("a1", "a2", "b1")]
        for t in threads:
            t.start()
        time.sleep(1.0)
        server.restart()  # SIGKILL, then start again on the same port
        for t in threads:
            t.join(120)
        assert not errors, errors
        assert all(proxy.stats[f] > 0 for f in FAULTS), proxy.stats
        assert proxy.stats["upstream_down"] + proxy.stats["requests"] > 0

        # Calm network: a last round so every counter also pulls what the others pushed.
        proxy.faults = Faults()
        for name in ("a1", "a2", "b1", "a1"):
            sync_until_done(paths[name], clock, proxy.url, time.monotonic() + 30)
    finally:
        proxy.stop()
        server.stop()

    counters = {"a1": a1, "a2": a2, "b1": b1}
    own: dict[str, set[str]] = {}
    for name, counter in counters.items():
        assert counter.store.scalar("SELECT count(*) FROM outbox WHERE state <> 'acknowledged'") == 0, name
        own[name] = {
            r[0]
            for r in counter.store.conn.execute(
                "SELECT e.id FROM events e JOIN outbox o ON o.event_num = e.num"
            )
        }
    all_ids = own["a1"] | own["a2"] | own["b1"]
    assert len(all_ids) == sum(len(v) for v in own.values())
    server_ids = {r["id"] for r in district.rows("SELECT id::text AS id FROM events")}
    assert server_ids == all_ids  # every event, and nothing else
    assert district.scalar("SELECT count(*) FROM events") == len(all_ids)  # exactly once
    assert district.scalar("SELECT count(*) FROM conflicts") == 0  # the storm invented no conflict

    on_server = server_dossiers(database_url)
    for name, counter in counters.items():
        mine = [
            r["id"]
            for r in counter.store.query("SELECT id FROM dossiers WHERE device_id = ?", (counter.device_id,))
        ]
        assert mine
        for did in mine:
            assert on_server[did][0] == dossier_store.get_by_id(counter.store, did), name
    # Commune A's counters see each other's dossiers, identical; commune B sees none of A's.
    a_ids = {d for d, (_, commune) in on_server.items() if dossier_store.get_by_id(a1.store, d)}
    assert (
        len(a_ids)
        == a1.store.scalar("SELECT count(*) FROM dossiers")
        == a2.store.scalar("SELECT count(*) FROM dossiers")
    )
    for did in a_ids:
        assert dossier_store.get_by_id(a1.store, did) == dossier_store.get_by_id(a2.store, did)
        assert dossier_store.get_by_id(b1.store, did) is None
    for counter in counters.values():
        assert dossier_store.projection_mismatches(counter.store) == []
        assert dossier_store.verify_chain(counter.store) is None
