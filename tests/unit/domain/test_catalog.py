"""The bundled catalog is data; this checks it is complete enough for a commune and well-formed."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from counter_app import paths
from counter_app.domain.errors import ValidationError
from counter_app.domain.procedures import parse_catalog


def load() -> dict:
    return json.loads(paths.CATALOG_FILE.read_text(encoding="utf-8"))


def test_bundled_catalog_has_enough_real_procedures() -> None:
    version, procedures = parse_catalog(load())
    assert version
    assert len(procedures) >= 30
    fields = Counter(p.field for p in procedures)
    assert len(fields) >= 5
    for p in procedures:
        assert p.documents, p.code
        assert p.source, p.code
        assert p.name == p.name.strip()


def test_duplicate_code_refused() -> None:
    data = load()
    data["procedures"].append(dict(data["procedures"][0]))
    with pytest.raises(ValidationError, match="bị trùng"):
        parse_catalog(data)


@pytest.mark.parametrize(
    "patch",
    [
        {"name": ""},
        {"processing": {"unit": "weeks", "amount": 1}},
        {"fee": -5},
        {"documents": [{"name": "x", "copy": "2"}]},
    ],
)
def test_bad_entry_refused_whole(patch: dict) -> None:
    data = load()
    data["procedures"][0] = {**data["procedures"][0], **patch}
    with pytest.raises(ValidationError):
        parse_catalog(data)
