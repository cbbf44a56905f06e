"""Power-cut test: a child doing 1,000 intakes is SIGKILLed at a random moment; nothing promised is lost.

After each kill: integrity_check passes, every dossier the child reported committed is there with
all its events and outbox rows, nothing is half-written (every row matches its events), and codes
are unique and gap-free for the counter.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from counter_app.services import maintenance
from counter_app.services.context import open_counter
from counter_app.services.setup import initialize
from counter_app.store import dossiers as dossier_store

CHILD = Path(__file__).with_name("durability_child.py")


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_sigkill_mid_intake_loses_nothing_committed(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "counter.db"
    setup = open_counter(path)
    initialize(setup, agency_code="000.00.21.H40")
    setup.store.close()

    promised: dict[str, int] = {}
    for _round in range(2):  # kill, then start again on the same file and kill again
        child = subprocess.Popen(
            [sys.executable, str(CHILD), str(path), "1000"], stdout=subprocess.PIPE, text=True, bufsize=1
        )
        assert child.stdout is not None
        stop_after = rng.randint(5, 300)
        for line in child.stdout:
            _, code, events = line.split()
            promised[code] = int(events)
            if len(promised) >= stop_after + _round * 300:
                time.sleep(rng.random() * 0.01)  # land anywhere inside the next transaction
                break
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        for line in child.stdout:  # lines printed before the kill are promises too
            _, code, events = line.split()
            promised[code] = int(events)
        child.stdout.close()

    counter = open_counter(path)
    store = counter.store
    assert store.scalar("PRAGMA integrity_check") == "ok"
    for code, events in promised.items():
        d = dossier_store.get_by_code(store, code)
        assert d is not None, code
        assert len(dossier_store.events_of(store, d)) >= events
    assert (
        store.scalar(
            "SELECT count(*) FROM events e LEFT JOIN outbox o ON o.event_num = e.num WHERE o.event_num IS NULL"
        )
        == 0
    )
    report = maintenance.verify(counter)
    assert report.ok, report.to_json()
    by_day: dict[str, list[int]] = defaultdict(list)
    for (code,) in store.conn.execute("SELECT code FROM dossiers"):
        _, day, seq = code.rsplit("-", 2)
        by_day[day].append(int(seq))
    for day, seqs in by_day.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), day
        last = store.scalar(
            "SELECT last FROM day_sequences WHERE slot = 0 AND day LIKE ?", (f"%{day[2:4]}-{day[4:]}",)
        )
        assert last == len(seqs)
