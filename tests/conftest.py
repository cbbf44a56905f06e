"""Shared fixtures: a real SQLite counter in a temp dir, with a clock the test moves by hand."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from counter_app.services.context import Counter, open_counter
from counter_app.services.setup import initialize

AGENCY = "000.00.21.H40"


class Clock:
    """A settable 'now' so due dates and 'future' checks are deterministic."""

    def __init__(self, now: datetime) -> None:
        self.value = now

    def __call__(self) -> datetime:
        return self.value

    def set(self, text: str) -> None:
        self.value = datetime.fromisoformat(text)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNTER_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 16, 9, 0))


@pytest.fixture
def counter(tmp_path: Path, clock: Clock) -> Iterator[Counter]:
    c = open_counter(tmp_path / "counter.db", now=clock)
    initialize(c, agency_code=AGENCY, agency_name="UBND xã Thanh Sơn")
    yield c
    c.store.close()
