"""Two counters of one commune, offline on the same day: codes never collide."""

from __future__ import annotations

from pathlib import Path

from conftest import Clock
from helpers import receive

from counter_app.services.context import open_counter
from counter_app.services.setup import initialize


def test_two_offline_counters_hand_out_disjoint_codes(tmp_path: Path, clock: Clock) -> None:
    codes: list[str] = []
    for slot in (0, 1):
        counter = open_counter(tmp_path / f"counter{slot}.db", now=clock)
        initialize(counter, agency_code="000.00.21.H40")
        counter.store.set_setting("slot", str(slot))
        codes += [receive(counter).dossier.code for _ in range(25)]
        counter.store.close()
    assert len(set(codes)) == 50
    assert {c[-4] for c in codes} == {"0", "1"}
    assert codes[0] == "000.00.21.H40-261116-0001" and codes[25] == "000.00.21.H40-261116-1001"
