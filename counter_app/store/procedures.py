"""The catalog in SQLite: one row per procedure plus an FTS5 index over folded names."""

from __future__ import annotations

import functools
import json
from typing import Any

from counter_app.domain.procedures import Procedure, parse_procedure
from counter_app.domain.text import fold, fold_words
from counter_app.store.database import Store


def import_catalog(store: Store, version: str, procedures: list[Procedure]) -> int:
    """Insert or update every procedure; ones no longer listed are kept but marked inactive (old dossiers name them)."""
    with store.atomic() as conn:
        conn.execute("UPDATE procedures SET active = 0")
        for p in procedures:
            conn.execute(
                """INSERT INTO procedures (code, name, field, data, name_folded, active, catalog_version)
                   VALUES (?, ?, ?, ?, ?, 1, ?)
                   ON CONFLICT (code) DO UPDATE SET name = excluded.name, field = excluded.field,
                     data = excluded.data, name_folded = excluded.name_folded, active = 1,
                     catalog_version = excluded.catalog_version""",
                (p.code, p.name, p.field, json.dumps(p.to_dict(), ensure_ascii=False), fold(p.name), version),
            )
        conn.execute("DELETE FROM procedures_fts")
        rows = conn.execute(
            "SELECT num, code, name_folded, field FROM procedures WHERE active = 1"
        ).fetchall()
        conn.executemany(
            "INSERT INTO procedures_fts (rowid, code, name_folded, field_folded) VALUES (?, ?, ?, ?)",
            [(num, code, name_folded, fold(field)) for num, code, name_folded, field in rows],
        )
    return len(procedures)


def _from_row(row: dict[str, Any]) -> Procedure:
    return _parse(row["data"])


@functools.lru_cache(maxsize=512)
def _parse(data: str) -> Procedure:
    """Procedures are frozen and the same stored text gives the same one: each intake reads its
    procedure, and parsing it again cost ~0.1 ms of each intake (issue 14)."""
    return parse_procedure(json.loads(data))


def get(store: Store, code: str) -> Procedure | None:
    row = store.one("SELECT data FROM procedures WHERE code = ?", (code.strip(),))
    return _from_row(row) if row else None


def list_active(store: Store) -> list[Procedure]:
    return [
        _from_row(r) for r in store.query("SELECT data FROM procedures WHERE active = 1 ORDER BY field, name")
    ]


def search(store: Store, text: str, limit: int = 20) -> list[Procedure]:
    """Accent-free prefix search over code, name and field; best matches first (the catalog is small)."""
    words = fold_words(text)
    if not words:
        return list_active(store)[:limit]
    match = " ".join(f'"{w}"*' for w in words)
    rows = store.query(
        """SELECT p.data FROM procedures_fts f JOIN procedures p ON p.num = f.rowid
           WHERE procedures_fts MATCH ? AND p.active = 1 ORDER BY bm25(procedures_fts, 5.0, 2.0, 1.0) LIMIT ?""",
        (match, limit),
    )
    return [_from_row(r) for r in rows]


def count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM procedures WHERE active = 1"))
