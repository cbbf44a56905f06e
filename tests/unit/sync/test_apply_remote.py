"""Events pulled from the server go into the counter's store as if made here, or are reported."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from helpers import receive

from counter_app.services import actions
from counter_app.services.context import Counter, open_counter
from counter_app.services.setup import initialize
from counter_app.store import dossiers as dossier_store
from counter_app.store import outbox
from counter_app.store.database import Store

AGENCY = "000.00.21.H40"


@pytest.fixture
def other(tmp_path: Path, clock) -> Counter:
    c = open_counter(tmp_path / "other.db", now=clock)
    initialize(c, agency_code=AGENCY)
    c.store.set_setting("slot", "1")
    yield c
    c.store.close()


def all_events(store: Store) -> list:
    out = []
    for row in store.query("SELECT code FROM dossiers ORDER BY num"):
        out += dossier_store.events_of(store, dossier_store.get_by_code(store, row["code"]))
    return out


def apply(counter: Counter, events: list) -> outbox.Applied:
    with counter.store.atomic():
        return outbox.apply_remote(counter.store, events, agency_code=counter.agency_code, slot=counter.slot)


def test_another_counters_dossiers_arrive_identical(counter: Counter, other: Counter) -> None:
    for i in range(3):
        d = receive(other, name=f"Trần Thị {chr(66 + i)}").dossier
        actions.perform(other, actions.ActionRequest(code=d.code, action="transfer", handler="Tư pháp"))
    events = all_events(other.store)
    result = apply(counter, events)
    assert (result.applied, result.skipped, result.problems) == (6, 0, [])
    for row in other.store.query("SELECT id FROM dossiers"):
        assert dossier_store.get_by_id(counter.store, row["id"]) == dossier_store.get_by_id(
            other.store, row["id"]
        )
    assert dossier_store.projection_mismatches(counter.store) == []
    assert dossier_store.verify_chain(counter.store) is None
    assert dossier_store.search(counter.store, "Trần Thị")  # searchable like local dossiers
    again = apply(counter, events)
    assert (again.applied, again.skipped) == (0, 6)


def test_an_event_that_does_not_fit_is_reported_not_forced(counter: Counter, other: Counter) -> None:
    d = receive(other).dossier
    apply(counter, all_events(other.store))
    actions.perform(other, actions.ActionRequest(code=d.code, action="transfer", handler="Tư pháp"))
    actions.perform(counter, actions.ActionRequest(code=d.code, action="withdraw", reason="Công dân rút"))
    remote = dossier_store.events_of(other.store, d)[-1]
    result = apply(counter, [remote])
    assert result.applied == 0
    [problem] = result.problems
    assert problem["code"] == d.code and problem["seq"] == 2 and problem["message"]
    assert dossier_store.get_by_code(counter.store, d.code).state.value == "withdrawn"
    orphan = replace(
        remote, id="01a20000-0000-7000-8000-0000000000aa", dossier_id="01a20000-0000-7000-8000-0000000000bb"
    )
    assert apply(counter, [orphan]).problems[0]["message"].startswith("Chưa có hồ sơ")


def test_a_code_already_used_here_is_reported(counter: Counter, other: Counter) -> None:
    other.store.set_setting("slot", "0")  # misconfigured: same slot as this counter
    mine = receive(counter).dossier
    theirs = receive(other).dossier
    assert mine.code == theirs.code
    result = apply(counter, all_events(other.store))
    assert result.applied == 0 and "trùng" in result.problems[0]["message"]


def test_own_dossiers_coming_back_raise_the_days_sequence(counter: Counter, tmp_path: Path, clock) -> None:
    """A counter restored from an old backup gets its later dossiers back and must not reuse their numbers."""
    for _ in range(3):
        receive(counter)
    events = all_events(counter.store)
    fresh = open_counter(tmp_path / "restored.db", now=clock)
    try:
        initialize(fresh, agency_code=AGENCY)
        assert apply(fresh, events).applied == 3
        assert receive(fresh).dossier.code.endswith("-0004")
    finally:
        fresh.store.close()
