"""The first start of the day on a large database: how long an officer's action waits while the
daily backup (and its integrity check) runs beside it, against the same actions with nothing
running (the floor), in the same process.

Usage: python bench/bench_housekeeping.py [--db /tmp/bench/1m.db]
The database is copied to a scratch folder first (the backup writes its copy there too). The
officer's worker runs a search by full name, the overdue list, and an intake, one action every
150 ms, timed from submission (on the UI thread) to the answer back on the UI thread.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench/1m.db")
    ap.add_argument("--floor-actions", type=int, default=60)
    args = ap.parse_args()
    source = Path(args.db)
    if not source.exists():
        sys.exit(f"{source} missing: run bench/bench_store.py first")
    scratch = Path(tempfile.mkdtemp(prefix="bench-housekeeping-", dir=source.parent))
    os.environ["COUNTER_DATA_DIR"] = str(scratch)
    path = scratch / "counter.db"
    shutil.copyfile(source, path)

    from counter_app.services import queries
    from counter_app.services.context import Counter, open_counter
    from counter_app.services.intake import IntakeRequest, intake
    from counter_app.ui.housekeeping import Housekeeping
    from counter_app.ui.qt import QtWidgets
    from counter_app.ui.worker import Worker

    app = QtWidgets.QApplication([])
    counter = open_counter(path)
    worker = Worker(counter)
    procedure = counter.store.scalar("SELECT code FROM procedures WHERE active = 1 LIMIT 1")
    names = ["Nguyễn Thị Hoa", "Trần Văn Nam", "Lê Thị Mai", "Phạm Văn Hùng"]

    def actions(i: int) -> Callable[[Counter], object]:
        kind = i % 3
        if kind == 0:
            return lambda c: queries.search_dossiers(c, names[i % len(names)])
        if kind == 1:
            return lambda c: queries.overdue(c)[:100]
        return lambda c: intake(
            c, IntakeRequest(procedure_code=procedure, name="Đỗ Văn Bình", id_number="001090123456")
        )

    kinds = ("search", "overdue list", "intake")

    def officer_waits(n: int | None, until: Callable[[], bool] | None = None) -> dict[str, list[float]]:
        waits: dict[str, list[float]] = {k: [] for k in kinds}
        i = 0
        while (n is not None and i < n) or (until is not None and not until()):
            answered: list[float] = []
            t = time.perf_counter()
            worker.submit(actions(i), lambda _r, box=answered: box.append(time.perf_counter()))
            while not answered:
                app.processEvents()
                time.sleep(0.0005)
            waits[kinds[i % 3]].append((answered[0] - t) * 1000)
            i += 1
            pause_until = time.perf_counter() + 0.15
            while time.perf_counter() < pause_until:
                app.processEvents()
                time.sleep(0.002)
        return waits

    housekeeping = Housekeeping(path, worker)  # as in the window: the officer's commits never checkpoint
    before = officer_waits(args.floor_actions)
    statuses: list[str] = []
    housekeeping.status.connect(statuses.append)
    t = time.perf_counter()
    housekeeping.daily()
    busy = officer_waits(None, until=lambda: not housekeeping.worker.busy)
    took = time.perf_counter() - t
    after = officer_waits(args.floor_actions)
    made = list((scratch / "backups").glob("*.db"))
    print(f"database: {source.name} ({path.stat().st_size / 1e9:.1f} GB)")
    print(
        f"{'daily backup + check of the copy, beside the officer':52} {took:6.1f} s  "
        f"(copy made: {bool(made)}, gave way {housekeeping.steps.yielded} times)"
    )
    for kind in kinds:
        floor = before[kind] + after[kind]
        for label, values in (
            (f"{kind} while it runs", busy[kind]),
            (f"{kind}, nothing running (floor)", floor),
        ):
            print(
                f"  {label:50} n={len(values):4}  median {statistics.median(values):6.1f} ms  "
                f"p95 {pct(values, 0.95):6.1f} ms  max {max(values):6.1f} ms"
            )
    print(
        f"  slowest intakes while it runs: {sorted(busy['intake'])[-3:]}; floor: {sorted(before['intake'] + after['intake'])[-3:]}"
    )
    every_busy = [v for k in kinds for v in busy[k]]
    every_floor = [v for k in kinds for v in before[k] + after[k]]
    print(
        f"{'extra wait while it runs (p95 − floor p95)':52} {pct(every_busy, 0.95) - pct(every_floor, 0.95):6.1f} ms"
        f"   (max {max(every_busy):.0f} against {max(every_floor):.0f} ms)   budget ≤ 100 ms"
    )
    housekeeping.stop()
    worker.wait()
    counter.store.close()
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
