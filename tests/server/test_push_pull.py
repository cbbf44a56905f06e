"""The push/pull protocol on the real server: idempotent replays, conflicts that are never merged,
events the district adds, catalog and calendar distribution, cursor paging."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from helpers import receive
from server_harness import District, ServerThread, api, push_raw, wire_events

from counter_app import paths
from counter_app.services import actions
from counter_app.services import sync as sync_service
from counter_app.store import dossiers as dossier_store
from counter_app.sync.client import SyncClient
from counter_app.wire import WireEvent

A = "000.00.21.H40"


def enrolled(make_counter, server: ServerThread, district: District, name: str, commune: str = A):
    counter = make_counter(name)
    sync_service.enroll(counter, server.url, district.enrollment_code(commune))
    return counter


def act(counter, code: str, action: str, **kw) -> None:
    actions.perform(counter, actions.ActionRequest(code=code, action=action, **kw))


def test_replayed_batch_inserts_nothing_and_answers_the_same(server, district, make_counter) -> None:
    counter = enrolled(make_counter, server, district, "c")
    for _ in range(3):
        code = receive(counter).dossier.code
        act(counter, code, "transfer", handler="Tư pháp")
    events = wire_events(counter)
    token = counter.store.get_setting("sync_token")
    with api(server.url, token) as http:
        first = push_raw(http, events)
        counts = (
            district.scalar("SELECT count(*) FROM events"),
            district.scalar("SELECT count(*) FROM dossiers"),
        )
        again = push_raw(http, events)
        shuffled = push_raw(http, list(reversed(events)))
    assert first.status_code == again.status_code == 200
    assert first.content == again.content  # byte for byte the same answer
    assert {r["status"] for r in first.json()["results"]} == {"ok"}
    assert {r["status"] for r in shuffled.json()["results"]} == {"ok"}
    assert counts == (6, 3)
    assert (
        district.scalar("SELECT count(*) FROM events"),
        district.scalar("SELECT count(*) FROM dossiers"),
    ) == counts


def test_same_id_with_another_body_is_a_recorded_conflict(server, district, make_counter) -> None:
    counter = enrolled(make_counter, server, district, "c")
    receive(counter)
    [event] = wire_events(counter)
    token = counter.store.get_setting("sync_token")
    officer = district.officer("lan", A)
    forged = event.model_copy(update={"payload": {**event.payload, "fee": 999_000}})
    with api(server.url, token) as http:
        assert push_raw(http, [event]).json()["results"][0]["status"] == "ok"
        answer = push_raw(http, [forged]).json()["results"][0]
        replay = push_raw(http, [forged]).json()["results"][0]
    assert answer["status"] == "conflict" and answer["code"] == "event_id_reused"
    assert "nội dung khác" in answer["message"]
    assert replay == answer
    assert district.scalar("SELECT count(*) FROM conflicts") == 1
    assert district.scalar("SELECT (payload->>'fee')::int FROM events") == event.payload["fee"]  # not merged
    with api(server.url, officer) as http:
        listed = http.get("/api/v1/conflicts").json()
    assert [(c["code"], c["dossier_code"], c["event_id"]) for c in listed] == [
        ("event_id_reused", event.payload["code"], event.id)
    ]


def test_action_the_district_overtook_is_rejected_on_the_counter_with_a_reason(
    server, district, make_counter
) -> None:
    counter = enrolled(make_counter, server, district, "c")
    d = receive(counter).dossier
    assert sync_service.sync_now(counter).complete
    officer = district.officer("huyen", None)
    with api(server.url, officer) as http:
        resp = http.post(
            f"/api/v1/dossiers/{d.id}/events", json={"action": "refuse", "reason": "Không thuộc thẩm quyền."}
        )
    assert resp.status_code == 201, resp.text
    assert resp.json()["state"] == "refused"
    act(counter, d.code, "transfer", handler="Tư pháp")  # offline, before hearing of the refusal

    result = sync_service.sync_now(counter)
    assert result.complete and result.rejected == 1 and result.pushed == 0
    [row] = sync_service.rejected_events(counter)
    assert row["code"] == d.code and row["action"] == "transfer"
    assert "transition_not_allowed" in row["reason"] and "Từ chối giải quyết" in row["reason"]
    # The district's refusal does not fit the counter's own step 2: reported, not forced in.
    assert [p["code"] for p in result.problems] == [d.code]
    assert dossier_store.get_by_code(counter.store, d.code).state.value == "in_progress"
    assert district.scalar("SELECT state FROM dossiers") == "refused"
    assert sync_service.status(counter).rejected == 1


def test_two_counters_acting_on_one_dossier_offline(server, district, make_counter) -> None:
    first = enrolled(make_counter, server, district, "first")
    second = enrolled(make_counter, server, district, "second")
    d = receive(first).dossier
    assert sync_service.sync_now(first).complete
    assert sync_service.sync_now(second).pulled == 1
    act(first, d.code, "transfer", handler="Tư pháp")
    act(second, d.code, "transfer", handler="Địa chính")
    act(second, d.code, "ready")
    assert sync_service.sync_now(first).pushed == 1
    result = sync_service.sync_now(second)
    assert result.rejected == 2 and result.pushed == 0
    reasons = [r["reason"] for r in sync_service.rejected_events(second)]
    assert any("seq_taken" in r for r in reasons) and any("predecessor_rejected" in r for r in reasons)
    assert district.scalar("SELECT handler FROM dossiers") == "Tư pháp"
    assert district.scalar("SELECT count(*) FROM conflicts") == 2


def test_an_event_before_its_predecessor_is_deferred_not_refused(server, district, make_counter) -> None:
    counter = enrolled(make_counter, server, district, "c")
    d = receive(counter).dossier
    act(counter, d.code, "transfer", handler="Tư pháp")
    receive_event, transfer = wire_events(counter)
    with api(server.url, counter.store.get_setting("sync_token")) as http:
        early = push_raw(http, [transfer]).json()["results"][0]
        both = push_raw(http, [transfer, receive_event]).json()["results"]  # merge order fixes it
    assert early["status"] == "deferred"
    assert [r["status"] for r in both] == ["ok", "ok"]
    assert district.scalar("SELECT count(*) FROM conflicts") == 0


def test_dossiers_made_before_enrollment_under_another_agency_code(server, district, make_counter) -> None:
    counter = make_counter("standalone")  # demo agency code until it enrolls
    old = receive(counter).dossier
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    new = receive(counter).dossier
    result = sync_service.sync_now(counter)
    assert (result.pushed, result.rejected) == (1, 1)
    [row] = sync_service.rejected_events(counter)
    assert row["code"] == old.code and "wrong_agency" in row["reason"]
    assert district.scalar("SELECT code FROM dossiers") == new.code


def test_misconfigured_slot_cannot_overwrite_another_dossier(server, district, make_counter) -> None:
    first = enrolled(make_counter, server, district, "first")
    second = enrolled(make_counter, server, district, "second")
    second.store.set_setting("slot", "0")  # an admin typed the wrong slot by hand
    a, b = receive(first).dossier, receive(second).dossier
    assert a.code == b.code
    assert sync_service.sync_now(first).pushed == 1
    result = sync_service.sync_now(second)
    assert result.rejected == 1
    assert "code_taken" in sync_service.rejected_events(second)[0]["reason"]
    assert district.scalar("SELECT id::text FROM dossiers") == a.id


def test_an_event_must_name_the_device_that_pushes_it(server, district, make_counter) -> None:
    first = enrolled(make_counter, server, district, "first")
    second = enrolled(make_counter, server, district, "second")
    receive(first)
    with api(server.url, second.store.get_setting("sync_token")) as http:
        answer = push_raw(http, wire_events(first)).json()["results"][0]
    assert answer["code"] == "device_mismatch"
    assert district.scalar("SELECT count(*) FROM events") == 0


def test_the_district_hands_a_dossier_back_to_the_counter(server, district, make_counter, clock) -> None:
    # The server stamps its own events with the real time in Vietnam; the counter's day is just before.
    clock.value = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None, microsecond=0) - timedelta(
        hours=1
    )
    counter = enrolled(make_counter, server, district, "c")
    d = receive(counter).dossier
    act(counter, d.code, "transfer", handler="Tư pháp")
    assert sync_service.sync_now(counter).complete
    officer = district.officer("lan", A)
    with api(server.url, officer) as http:
        resp = http.post(
            f"/api/v1/dossiers/{d.code}/events",
            json={"action": "request-supplement", "reason": "Thiếu bản sao."},
        )
        assert resp.status_code == 201, resp.text
        again = http.post(f"/api/v1/dossiers/{d.code}/events", json={"action": "receive-supplement"})
        assert again.status_code == 422  # not an action the upper level takes
        bad = http.post(f"/api/v1/dossiers/{d.code}/events", json={"action": "refuse"})
        assert bad.status_code == 400 and bad.json()["error"] == "reason_required"
    result = sync_service.sync_now(counter)
    assert result.pulled == 1 and result.problems == []
    local = dossier_store.get_by_code(counter.store, d.code)
    assert local.state.value == "supplement"
    last = dossier_store.events_of(counter.store, local)[-1]
    assert (last.officer, last.device_id, last.payload["reason"]) == ("lan", "server", "Thiếu bản sao.")
    assert counter.store.scalar("SELECT count(*) FROM outbox") == 2  # pulled events are not sent back
    # The counter carries on from the server's step, and the server accepts it.
    clock.value += timedelta(hours=2)
    act(counter, d.code, "receive-supplement")
    assert sync_service.sync_now(counter).pushed == 1
    assert district.scalar("SELECT state FROM dossiers") == "in_progress"


def test_catalog_and_calendar_reach_the_counter(server, district, make_counter, clock) -> None:
    counter = enrolled(make_counter, server, district, "c")
    d = receive(counter, procedure_code="1.000894").dossier  # marriage: due the next working day
    assert sync_service.sync_now(counter).complete
    catalog = json.loads(paths.CATALOG_FILE.read_text(encoding="utf-8"))
    catalog["version"] = "2027.1"
    catalog["procedures"][0]["name"] = catalog["procedures"][0]["name"] + " (sửa đổi)"
    calendar = {
        "version": "district-2026.2",
        "adjustments": [
            {"date": "2026-11-17", "kind": "off", "name": "Nghỉ bù", "source": "Quyết định 1/QĐ-UBND"}
        ],
    }
    officer = district.officer("huyen", None)
    with api(server.url, officer) as http:
        assert http.put("/api/v1/catalog", json=catalog).json() == {"version": "2027.1"}
        assert http.put("/api/v1/calendar", json=calendar).json() == {"version": "district-2026.2"}
        broken = http.put("/api/v1/calendar", json={"version": "x", "adjustments": [{"date": "2026-02-30"}]})
        assert broken.status_code == 400 and broken.json()["error"] == "invalid_calendar"
    result = sync_service.sync_now(counter)
    assert result.complete and result.problems == []
    assert counter.store.get_setting("catalog_version") == "2027.1"
    assert counter.store.scalar(
        "SELECT name FROM procedures WHERE code = ?", (catalog["procedures"][0]["code"],)
    ).endswith("(sửa đổi)")
    assert counter.store.get_setting("server_calendar_version") == "district-2026.2"
    assert not counter.calendar.is_working_day(datetime(2026, 11, 17).date())
    moved = dossier_store.get_by_code(counter.store, d.code)
    assert moved.due_at > d.due_at  # the day off pushed the appointment; a reschedule event says so
    assert sync_service.sync_now(counter).pushed == 1
    assert district.scalar("SELECT due_at FROM dossiers") == moved.due_at
    assert sync_service.sync_now(counter).pulled == 0  # versions match: nothing sent again


def test_pull_pages_by_cursor_and_leaves_out_own_events(server, district, make_counter) -> None:
    first = enrolled(make_counter, server, district, "first")
    second = enrolled(make_counter, server, district, "second")
    for _ in range(12):
        receive(first)
    assert sync_service.sync_now(first).pushed == 12
    with SyncClient(server.url, first.store.get_setting("sync_token")) as own:
        assert own.pull(0).events == []
    seen: list[WireEvent] = []
    cursor = 0
    with SyncClient(server.url, second.store.get_setting("sync_token")) as other:
        while True:
            page = other.pull(cursor, limit=5)
            seen += page.events
            assert page.cursor >= cursor
            cursor = page.cursor
            if not page.more:
                break
        assert other.pull(cursor).events == []
        assert len(other.pull(10_000).events) == 12  # a cursor from the future (server restored): start over
    assert [e.id for e in seen] == [e.id for e in wire_events(first)]


def test_actions_of_a_newer_release_wait_instead_of_failing(server, district, make_counter) -> None:
    first = enrolled(make_counter, server, district, "first")
    second = enrolled(make_counter, server, district, "second")
    d = receive(first).dossier
    assert sync_service.sync_now(first).pushed == 1
    [receive_event] = wire_events(first)
    newer = receive_event.model_copy(
        update={"id": "01a20000-0000-7000-8000-00000000abcd", "seq": 2, "action": "notarize", "payload": {}}
    )
    with api(server.url, first.store.get_setting("sync_token")) as http:
        [answer] = push_raw(http, [newer]).json()["results"]
    assert (answer["status"], answer["code"]) == (
        "deferred",
        "unknown_action",
    )  # resent once the server knows it
    assert district.scalar("SELECT count(*) FROM conflicts") == 0
    # And a pulled event this counter's release cannot fold is reported; the rest still arrives.
    district.rows(
        """INSERT INTO events (id, dossier_id, commune_id, commune_seq, seq, action, at, hlc, officer, device_id,
               payload, body_hash, pushed_by)
           SELECT '01a20000-0000-7000-8000-00000000dcba', id, commune_id, 2, 2, 'notarize', '2026-11-16T10:00:00',
                  '1763290000000-00000', 'huyen', 'server', '{}', 'x', NULL FROM dossiers RETURNING 1"""
    )
    district.rows("UPDATE communes SET last_event_seq = 2 WHERE code = %s RETURNING 1", (A,))
    result = sync_service.sync_now(second)
    assert result.complete and result.pulled == 1
    assert [p["action"] for p in result.problems] == ["notarize"] and "cập nhật" in result.problems[0][
        "message"
    ]
    assert dossier_store.get_by_code(second.store, d.code).last_seq == 1
    assert json.loads(second.store.get_setting("sync_problems"))[0]["action"] == "notarize"
