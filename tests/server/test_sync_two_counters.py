"""Two counters of one commune, offline for a day, then synced: codes never collide, each sees the other's."""

from __future__ import annotations

from datetime import timedelta

from helpers import BIRTH, MARRIAGE, receive
from server_harness import District, ServerThread

from counter_app.services import actions
from counter_app.services import sync as sync_service
from counter_app.store import dossiers as dossier_store

COMMUNE_A = "000.00.21.H40"


def test_offline_day_on_two_counters_then_sync(
    database_url: str, district: District, make_counter, clock
) -> None:
    server = ServerThread(database_url).start()
    first, second = make_counter("first"), make_counter("second")
    try:
        r1 = sync_service.enroll(first, server.url, district.enrollment_code(COMMUNE_A))
        r2 = sync_service.enroll(second, server.url, district.enrollment_code(COMMUNE_A))
    finally:
        server.stop()  # the line goes down for the whole day
    assert (r1.slot, r2.slot) == (0, 1)
    assert first.agency_code == second.agency_code == COMMUNE_A

    codes = []
    for hour in range(8):
        clock.value = clock.value.replace(hour=8 + hour, minute=0)
        for counter in (first, second):
            for k in range(3):
                result = receive(counter, procedure_code=BIRTH if k else MARRIAGE)
                codes.append(result.dossier.code)
                if k == 1:
                    actions.perform(
                        counter,
                        actions.ActionRequest(code=result.dossier.code, action="transfer", handler="Tư pháp"),
                    )
        offline = sync_service.sync_now(first, attempts=1)
        assert offline.unreachable and offline.pending > 0
    assert len(set(codes)) == 48
    assert {c[-4] for c in codes} == {"0", "1"}

    clock.value += timedelta(hours=14)  # next morning the line is back (on another port, even)
    server = ServerThread(database_url).start()
    try:
        for counter in (first, second, first):
            result = sync_service.sync_now(counter, server=server.url)
            assert result.complete and result.pending == 0 and result.rejected == 0, result
    finally:
        server.stop()
    for counter in (first, second):
        assert counter.store.scalar("SELECT count(*) FROM dossiers") == 48
        assert dossier_store.projection_mismatches(counter.store) == []
    assert district.scalar("SELECT count(*) FROM events") == 48 + 16
    assert district.scalar("SELECT count(*) FROM dossiers") == 48
    for code in codes:
        a = dossier_store.get_by_code(first.store, code)
        b = dossier_store.get_by_code(second.store, code)
        assert a == b
    # Each counter keeps numbering in its own slot after learning the other's dossiers.
    assert receive(second).dossier.code == f"{COMMUNE_A}-261117-1001"
    assert receive(first).dossier.code == f"{COMMUNE_A}-261117-0001"
