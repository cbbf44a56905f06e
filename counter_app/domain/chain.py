"""Hash chain over append-only rows, so a silent edit or deletion in the database file shows.

Each row stores the first 128 bits of SHA-256(previous row's chain value || canonical row);
``verify`` walks the rows in order and names the first that does not match.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

GENESIS = b"\x00" * 16


def canonical(row: Mapping[str, Any]) -> bytes:
    return json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def link(previous: bytes, row: Mapping[str, Any]) -> bytes:
    return hashlib.sha256(previous + canonical(row)).digest()[:16]


def first_break(rows: Iterable[tuple[int, Mapping[str, Any], bytes]]) -> int | None:
    """The number of the first row whose stored chain value is wrong, or None if the chain holds."""
    previous = GENESIS
    for num, row, stored in rows:
        expected = link(previous, row)
        if expected != bytes(stored):
            return num
        previous = expected
    return None
