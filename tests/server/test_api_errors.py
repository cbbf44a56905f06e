"""Bad requests get a 4xx with {"error", "message" (Vietnamese)}; never a 500. Old clients get 426."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest
from helpers import receive
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_harness import District, ServerThread, api, push_raw, wire_events

from counter_app.services import sync as sync_service
from counter_app.sync.client import ServerRefused, ServerUnavailable, SyncClient
from counter_app.wire import MAX_BODY_BYTES

A = "000.00.21.H40"
GZ = {"Content-Encoding": "gzip", "Content-Type": "application/json"}


@pytest.fixture
def device(server: ServerThread, district: District, make_counter):
    counter = make_counter("c")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    return counter


def vietnamese_error(resp: httpx.Response, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error", "message"}
    assert body["message"] and any(
        ch in body["message"] for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
    )
    if code:
        assert body["error"] == code
    return body


@pytest.mark.parametrize("version", [None, "0", "2", "abc", ""])
@pytest.mark.parametrize(
    "method,path", [("POST", "/api/v1/push"), ("GET", "/api/v1/pull"), ("POST", "/api/v1/enroll")]
)
def test_incompatible_client_is_told_to_upgrade(server, version, method, path) -> None:
    with api(server.url, version=version) as http:
        resp = http.request(method, path, content=b"{}")
    body = vietnamese_error(resp, 426, "upgrade_required")
    assert body["message"].startswith("Vui lòng cập nhật phần mềm")


def test_counter_reports_upgrade_required_as_refused(server, device) -> None:
    with SyncClient(server.url, device.store.get_setting("sync_token")) as client:
        client._http.headers["X-Wire-Version"] = "99"
        with pytest.raises(ServerRefused) as info:
            client.pull(0)
    assert info.value.code == "upgrade_required" and "cập nhật" in info.value.message


def test_bodies_over_the_limit(server, device) -> None:
    token = device.store.get_setting("sync_token")
    with api(server.url, token) as http:
        declared = http.post("/api/v1/push", content=b"x" * (MAX_BODY_BYTES + 1), headers=GZ)
        vietnamese_error(declared, 413, "too_large")

        def chunks():
            for _ in range(MAX_BODY_BYTES // 65536 + 2):
                yield b"y" * 65536

        streamed = http.post("/api/v1/push", content=chunks(), headers=GZ)  # no Content-Length
        vietnamese_error(streamed, 413, "too_large")
        bomb = gzip.compress(b'{"events": [' + b" " * (40 * 1024 * 1024) + b"]}")
        assert len(bomb) < MAX_BODY_BYTES
        vietnamese_error(http.post("/api/v1/push", content=bomb, headers=GZ), 413, "too_large")


@pytest.mark.parametrize(
    "content,headers,status,code",
    [
        (b"not gzip at all", GZ, 400, "bad_encoding"),
        (gzip.compress(b'{"events": []}')[:-6], GZ, 400, "bad_encoding"),
        (b"{not json", {"Content-Type": "application/json"}, 422, "invalid_request"),
        (b"[1, 2]", {}, 422, "invalid_request"),
        (b'{"events": [], "extra": 1}', {}, 422, "invalid_request"),
        (b'{"events": [{"id": "x"}]}', {}, 422, "invalid_request"),
        (b"{}", {"Content-Encoding": "br"}, 415, "unsupported_encoding"),
    ],
)
def test_malformed_push_bodies(server, device, content, headers, status, code) -> None:
    with api(server.url, device.store.get_setting("sync_token")) as http:
        vietnamese_error(http.post("/api/v1/push", content=content, headers=headers), status, code)


@pytest.mark.parametrize(
    "change",
    [
        {"seq": 0},
        {"id": "01A20000-0000-7000-8000-000000000001"},
        {"at": "2026-02-30T09:00:00"},
        {"at": "2026-11-16T09:00:00+07:00"},
        {"hlc": "123"},
        {"action": "Teleport!"},
        {"officer": "a\x00b"},
        {"payload": {"note": "a\x00b"}},
        {"payload": {"deep": [[[[[[[[[[["x"]]]]]]]]]]]}},
        {"payload": {"note": "x" * 20_000}},
    ],
)
def test_event_fields_are_validated(server, device, change) -> None:
    receive(device)
    [event] = wire_events(device)
    body = {"events": [{**event.model_dump(), **change}]}
    with api(server.url, device.store.get_setting("sync_token")) as http:
        resp = http.post(
            "/api/v1/push", content=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
    vietnamese_error(resp, 422, "invalid_request")


def test_receive_with_a_broken_payload_is_a_recorded_conflict_not_a_crash(server, device, district) -> None:
    receive(device)
    [event] = wire_events(device)
    broken = event.model_copy(update={"payload": {"code": event.payload["code"]}})
    with api(server.url, device.store.get_setting("sync_token")) as http:
        answer = push_raw(http, [broken]).json()["results"][0]
    assert answer["code"] == "invalid_event"
    assert district.scalar("SELECT count(*) FROM conflicts") == 1


@pytest.mark.parametrize(
    "method,path,params",
    [
        ("GET", "/api/v1/pull", {"after": "-1"}),
        ("GET", "/api/v1/pull", {"limit": "100000"}),
        ("GET", "/api/v1/pull", {"after": "abc"}),
        ("GET", "/api/v1/dossiers", {"limit": "0"}),
        ("GET", "/api/v1/overdue", {"as_of": "yesterday"}),
    ],
)
def test_bad_query_parameters(server, device, method, path, params) -> None:
    with api(server.url, device.store.get_setting("sync_token")) as http:
        vietnamese_error(http.request(method, path, params=params), 422, "invalid_request")


def test_unknown_routes_and_methods(server) -> None:
    with api(server.url) as http:
        vietnamese_error(http.get("/api/v1/nothing-here"), 404, "not_found")
        vietnamese_error(http.delete("/api/v1/health"), 405, "method_not_allowed")
        assert http.get("/api/v1/health").json() == {"ok": True, "wire_version": 1}


def test_bad_enrollment_codes(server, district, make_counter) -> None:
    counter = make_counter("c")
    code = district.enrollment_code(A)
    district.rows("UPDATE enrollment_codes SET expires_at = now() - interval '1 minute' RETURNING 1")
    with api(server.url) as http:
        for sent in (code, "AAAA-BBBB-CCCC", "x" * 40):
            resp = http.post("/api/v1/enroll", json={"enrollment_code": sent, "device_id": counter.device_id})
            vietnamese_error(resp, 403, "invalid_enrollment_code")
        vietnamese_error(http.post("/api/v1/enroll", json={"enrollment_code": "x"}), 422, "invalid_request")


def test_database_down_is_503_and_the_counter_retries_later(pg, make_counter) -> None:
    dead = ServerThread(pg.url("no_such_database")).start()
    try:
        with api(dead.url) as http:
            resp = http.post("/api/v1/enroll", json={"enrollment_code": "AAAA-BBBB-CCCC", "device_id": "d"})
        vietnamese_error(resp, 503, "database_unavailable")
        with pytest.raises(ServerUnavailable):
            sync_service.enroll(make_counter("c"), dead.url, "AAAA-BBBB-CCCC")
    finally:
        dead.stop()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
event_like = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["01a20000-0000-7000-8000-000000000001", "x", ""]) | st.text(max_size=40),
        "dossier_id": st.sampled_from(["01a20000-0000-7000-8000-000000000002"]) | st.text(max_size=40),
        "seq": st.integers(-5, 5) | st.text(max_size=3),
        "action": st.sampled_from(["receive", "transfer", "return", "nope"]),
        "at": st.sampled_from(["2026-11-16T09:00:00", "2026-13-01T00:00:00", "x"]),
        "hlc": st.sampled_from(["1763280000000-00000", "x"]),
        "officer": st.text(max_size=70),
        "device_id": st.text(max_size=70),
        "payload": st.dictionaries(st.text(max_size=10), json_values, max_size=5),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(json_values, st.fixed_dictionaries({"events": st.lists(event_like, max_size=3)})))
def test_no_push_body_makes_the_server_fail(server, district, body) -> None:
    """Whatever arrives, the answer is a 2xx or a 4xx with our error shape."""
    token = getattr(test_no_push_body_makes_the_server_fail, "token", None)
    if token is None or token[0] != server.url:
        token = (server.url, _device_token(server, district))
        test_no_push_body_makes_the_server_fail.token = token  # type: ignore[attr-defined]
    with api(server.url, token[1]) as http:
        resp = http.post("/api/v1/push", content=gzip.compress(json.dumps(body).encode()), headers=GZ)
    assert resp.status_code < 500, resp.text
    if resp.status_code >= 400:
        assert set(resp.json()) == {"error", "message"}


def _device_token(server: ServerThread, district: District) -> str:
    with api(server.url) as http:
        resp = http.post(
            "/api/v1/enroll",
            json={
                "enrollment_code": district.enrollment_code(A),
                "device_id": "01a20000-0000-7000-8000-0000000000ff",
            },
        )
    return resp.json()["token"]


@pytest.mark.parametrize(
    "change",
    [
        {"code": 5},
        {"code": ["000.00.21.H40-261116-0001"]},
        {"sets": 10**13},
        {"fee": "free"},
        {"applicant": {"name": ["An"], "id_type": "cccd", "id_number": "001090123456"}},
        {"applicant": "Nguyễn Văn An"},
        {"due_at": 20261116},
        {"procedure": None},
        {"status_token": {"t": 1}},
        {"payload_number": 10**400},
    ],
)
def test_receive_payloads_of_the_wrong_shape_are_conflicts(server, device, district, change) -> None:
    receive(device)
    [event] = wire_events(device)
    payload = {**event.payload, **change}
    with api(server.url, device.store.get_setting("sync_token")) as http:
        resp = push_raw(http, [event.model_copy(update={"payload": payload})])
    assert resp.status_code == 200, resp.text
    [answer] = resp.json()["results"]
    if "status_token" in change or "payload_number" in change:
        assert answer["status"] == "ok"  # extra or odd fields the projection does not use are kept as sent
    else:
        assert answer["code"] == "invalid_event", answer


def test_later_steps_of_the_wrong_shape_are_conflicts(server, device, district) -> None:
    from counter_app.services import actions

    d = receive(device).dossier
    actions.perform(device, actions.ActionRequest(code=d.code, action="transfer", handler="Tư pháp"))
    receive_event, transfer = wire_events(device)
    forged = transfer.model_copy(update={"payload": {"handler": {"name": "x"}}})
    with api(server.url, device.store.get_setting("sync_token")) as http:
        answers = push_raw(http, [receive_event, forged]).json()["results"]
    assert [a["status"] for a in answers] == ["ok", "conflict"] and answers[1]["code"] == "invalid_event"
    assert district.scalar("SELECT handler FROM dossiers") == ""
