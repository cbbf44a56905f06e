"""Enrollment: one-time codes, slots unique within a commune, replays that change nothing, revocation."""

from __future__ import annotations

import pytest
from server_harness import District, ServerThread, api

from counter_app.services import sync as sync_service
from counter_app.sync.client import ServerRefused

A, B = "000.00.21.H40", "000.00.22.H40"


def enroll(server: ServerThread, code: str, device: str) -> dict:
    with api(server.url) as http:
        resp = http.post("/api/v1/enroll", json={"enrollment_code": code, "device_id": device})
    assert resp.status_code == 200, resp.text
    return resp.json()


def test_counter_enrollment_binds_commune_slot_and_token(server, district, make_counter) -> None:
    counter = make_counter("c")
    assert counter.agency_code != A
    result = sync_service.enroll(
        counter, server.url + "/", district.enrollment_code(A).lower().replace("-", " ")
    )
    assert (result.commune, result.commune_name, result.slot) == (A, "UBND xã Thanh Sơn", 0)
    store = counter.store
    assert counter.agency_code == A and counter.slot == 0 and counter.agency_name == "UBND xã Thanh Sơn"
    assert store.get_setting("sync_server") == server.url and store.get_setting("sync_token").startswith(
        "qd1."
    )
    token_hash = district.scalar("SELECT token_hash FROM devices")
    assert store.get_setting("sync_token") not in token_hash  # stored hashed only
    row = store.one("SELECT detail FROM audit_log WHERE action = 'sync.enroll'")
    assert "qd1." not in row["detail"]


def test_slots_are_unique_per_commune_and_run_out_at_ten(server: ServerThread, district: District) -> None:
    slots = [enroll(server, district.enrollment_code(A), f"device-{i}")["slot"] for i in range(10)]
    assert slots == list(range(10))
    assert enroll(server, district.enrollment_code(B), "device-b")["slot"] == 0  # another commune starts over
    with api(server.url) as http:
        resp = http.post(
            "/api/v1/enroll", json={"enrollment_code": district.enrollment_code(A), "device_id": "eleventh"}
        )
    assert resp.status_code == 409 and resp.json()["error"] == "no_free_slot"


def test_a_revoked_slot_waits_a_day_before_reuse(server: ServerThread, district: District) -> None:
    enroll(server, district.enrollment_code(A), "old")
    enroll(server, district.enrollment_code(A), "other")
    officer = district.officer("lan", A)
    with api(server.url, officer) as http:
        assert http.post("/api/v1/devices/old/revoke").status_code == 200
    assert enroll(server, district.enrollment_code(A), "new")["slot"] == 2  # slot 0 in quarantine
    district.rows("UPDATE devices SET revoked_at = now() - interval '2 days' WHERE id = 'old' RETURNING 1")
    assert enroll(server, district.enrollment_code(A), "newer")["slot"] == 0


def test_a_code_is_spent_once_but_its_own_device_may_ask_again(
    server: ServerThread, district: District
) -> None:
    code = district.enrollment_code(A)
    first = enroll(server, code, "device-1")
    again = enroll(server, code, "device-1")  # the first answer was lost on the way
    assert again == first  # same token: a stale duplicate cannot lock the counter out
    with api(server.url) as http:
        other = http.post("/api/v1/enroll", json={"enrollment_code": code, "device_id": "device-2"})
    assert other.status_code == 403 and other.json()["error"] == "invalid_enrollment_code"
    renewed = enroll(server, district.enrollment_code(A), "device-1")  # a fresh code: new token, same slot
    assert renewed["slot"] == first["slot"] and renewed["token"] != first["token"]
    with api(server.url, first["token"]) as http:
        assert http.get("/api/v1/pull").status_code == 401
    with api(server.url) as http:  # the old code cannot bring the old token back
        assert (
            http.post("/api/v1/enroll", json={"enrollment_code": code, "device_id": "device-1"}).status_code
            == 403
        )


def test_a_device_belongs_to_one_commune(server: ServerThread, district: District, make_counter) -> None:
    counter = make_counter("c")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    with pytest.raises(ServerRefused) as info:
        sync_service.enroll(counter, server.url, district.enrollment_code(B))
    assert info.value.code == "device_enrolled_elsewhere"
    assert counter.agency_code == A
