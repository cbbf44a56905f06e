"""Child process for the kill test: syncs one counter through the faulty proxy until told to die.

Prints ``round N pushed P pending Q`` after every round; the parent SIGKILLs it mid-push.
Usage: sync_child.py DB_PATH SERVER_URL LEASE_SECONDS
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from counter_app.services import sync  # noqa: E402
from counter_app.services.context import open_counter  # noqa: E402


def main() -> None:
    db, url, lease = sys.argv[1], sys.argv[2], float(sys.argv[3])
    counter = open_counter(db)
    for n in range(1000):
        result = sync.sync_now(
            counter, server=url, attempts=1, batch=10, lease=timedelta(seconds=lease), timeout=5
        )
        print(f"round {n} pushed {result.pushed} pending {result.pending}", flush=True)
        if result.complete and result.pending == 0:
            break
    counter.store.close()


if __name__ == "__main__":
    main()
