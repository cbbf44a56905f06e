"""Every endpoint, asked by commune A's device or officer about commune B: nothing read, nothing written.

One server with data in both communes serves the whole module (each check only reads, or is refused
before writing); the write checks assert that B's rows did not change.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from conftest import Clock
from helpers import receive
from pg_cluster import TEMPLATE, Cluster
from server_harness import District, ServerThread, api, push_raw, wire_events

from counter_app.services import sync as sync_service
from counter_app.services.context import open_counter
from counter_app.services.setup import initialize

A, B = "000.00.21.H40", "000.00.22.H40"


@dataclass
class World:
    url: str
    district: District
    dev_a: str
    dev_b: str
    device_a_id: str
    device_b_id: str
    officer_a: str
    officer_b: str
    chief: str  # district-wide
    dossier_a: dict
    dossier_b: dict
    events_b: list


@pytest.fixture(scope="module")
def world(pg: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    url = pg.create_database("authz", template=TEMPLATE)
    district = District(url)
    district.add_commune(A, "UBND xã Thanh Sơn")
    district.add_commune(B, "UBND xã Thanh Thủy")
    server = ServerThread(url).start()
    folder = tmp_path_factory.mktemp("authz")
    clock = Clock(datetime(2026, 11, 16, 9, 0))
    counters = {}
    try:
        for name, commune in (("a", A), ("b", B)):
            c = open_counter(folder / f"{name}.db", now=clock)
            initialize(c)
            sync_service.enroll(c, server.url, district.enrollment_code(commune))
            receive(c)
            assert sync_service.sync_now(c).pushed == 1
            counters[name] = c
        chief = district.officer("chief")
        with api(server.url, chief) as http:
            listed = {d["commune"]: d for d in http.get("/api/v1/dossiers").json()}
        yield World(
            url=server.url,
            district=district,
            dev_a=counters["a"].store.get_setting("sync_token"),
            dev_b=counters["b"].store.get_setting("sync_token"),
            device_a_id=counters["a"].device_id,
            device_b_id=counters["b"].device_id,
            officer_a=district.officer("officer_a", A),
            officer_b=district.officer("officer_b", B),
            chief=chief,
            dossier_a=listed[A],
            dossier_b=listed[B],
            events_b=wire_events(counters["b"]),
        )
    finally:
        server.stop()
        for c in counters.values():
            c.store.close()
        pg.drop_database("authz")


def b_unchanged(w: World) -> None:
    assert w.district.scalar("SELECT count(*) FROM events WHERE commune_id = 2") == 1
    assert w.district.scalar("SELECT state FROM dossiers WHERE commune_id = 2") == "received"


# -- reading ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["dev_a", "officer_a"])
def test_dossier_list_holds_only_own_commune(world: World, who: str) -> None:
    with api(world.url, getattr(world, who)) as http:
        mine = http.get("/api/v1/dossiers").json()
        other = http.get("/api/v1/dossiers", params={"commune": B})
        unknown = http.get("/api/v1/dossiers", params={"commune": "999.99.99.H99"})
        search = http.get("/api/v1/dossiers", params={"q": world.dossier_b["code"]}).json()
        by_id_number = http.get("/api/v1/dossiers", params={"q": world.dossier_b["id_number"]}).json()
    assert [d["code"] for d in mine] == [world.dossier_a["code"]]
    assert other.status_code == 403 and other.json()["error"] == "forbidden"
    assert unknown.status_code == 403  # no hint whether that commune exists
    assert search == [] and all(d["commune"] == A for d in by_id_number)


def test_district_officer_sees_every_commune(world: World) -> None:
    with api(world.url, world.chief) as http:
        everything = http.get("/api/v1/dossiers").json()
        only_b = http.get("/api/v1/dossiers", params={"commune": B}).json()
        unknown = http.get("/api/v1/dossiers", params={"commune": "999.99.99.H99"})
    assert {d["commune"] for d in everything} == {A, B}
    assert [d["commune"] for d in only_b] == [B]
    assert unknown.status_code == 404 and unknown.json()["error"] == "unknown_commune"


@pytest.mark.parametrize("who", ["dev_a", "officer_a"])
@pytest.mark.parametrize("key", ["id", "code"])
def test_other_communes_dossier_is_not_found(world: World, who: str, key: str) -> None:
    with api(world.url, getattr(world, who)) as http:
        theirs = http.get(f"/api/v1/dossiers/{world.dossier_b[key]}")
        mine = http.get(f"/api/v1/dossiers/{world.dossier_a[key]}")
    assert theirs.status_code == 404 and theirs.json()["error"] == "unknown_dossier"
    assert mine.status_code == 200 and len(mine.json()["events"]) == 1


@pytest.mark.parametrize("who", ["dev_a", "officer_a"])
@pytest.mark.parametrize("path", ["/api/v1/overdue", "/api/v1/conflicts"])
def test_overdue_and_conflicts_are_scoped(world: World, who: str, path: str) -> None:
    with api(world.url, getattr(world, who)) as http:
        other = http.get(path, params={"commune": B})
        mine = http.get(path, params={"as_of": "2030-01-01"} if "overdue" in path else {})
    assert other.status_code == 403
    assert mine.status_code == 200
    if "overdue" in path:
        assert [c["commune"] for c in mine.json()] == [A]
        assert mine.json()[0]["overdue"] == 1


@pytest.mark.parametrize("who,status", [("officer_a", 403), ("dev_a", 403)])
def test_devices_and_stats_of_another_commune(world: World, who: str, status: int) -> None:
    with api(world.url, getattr(world, who)) as http:
        assert http.get("/api/v1/devices", params={"commune": B}).status_code == status
        assert http.get("/api/v1/stats", params={"commune": B}).status_code == status


def test_communes_listing_is_scoped(world: World) -> None:
    with api(world.url, world.officer_a) as http:
        assert [c["code"] for c in http.get("/api/v1/communes").json()] == [A]
    with api(world.url, world.chief) as http:
        assert [c["code"] for c in http.get("/api/v1/communes").json()] == [A, B]


def test_pull_gives_only_own_commune(world: World) -> None:
    with api(world.url, world.dev_a) as http:
        page = http.get("/api/v1/pull", params={"after": 0}).json()
    assert page["events"] == []  # A's only event is its own; B's never come
    with api(world.url, world.officer_a) as http:
        assert http.get("/api/v1/pull").status_code == 403


# -- writing ------------------------------------------------------------------------------------------
def test_push_into_another_communes_dossier_is_refused(world: World) -> None:
    forged = [
        e.model_copy(
            update={
                "id": "01a20000-0000-7000-8000-000000000001",
                "seq": 2,
                "action": "cancel",
                "payload": {},
                "device_id": world.device_a_id,
            }
        )
        for e in world.events_b
    ]
    with api(world.url, world.dev_a) as http:
        answer = push_raw(http, forged).json()["results"][0]
        replayed = push_raw(http, world.events_b).json()["results"][0]
    assert answer["status"] == "conflict" and answer["code"] == "dossier_unavailable"
    assert replayed["status"] == "conflict"
    b_unchanged(world)
    with api(world.url, world.officer_b) as http:
        assert http.get("/api/v1/conflicts").json() == []  # A's attempt is A's business, not shown to B


def test_push_by_an_officer_token_is_refused(world: World) -> None:
    with api(world.url, world.officer_a) as http:
        resp = push_raw(http, world.events_b)
    assert resp.status_code == 403
    b_unchanged(world)


@pytest.mark.parametrize("who,status", [("officer_a", 404), ("dev_a", 403)])
def test_adding_an_event_to_another_communes_dossier(world: World, who: str, status: int) -> None:
    with api(world.url, getattr(world, who)) as http:
        resp = http.post(
            f"/api/v1/dossiers/{world.dossier_b['id']}/events", json={"action": "refuse", "reason": "x"}
        )
    assert resp.status_code == status
    b_unchanged(world)


@pytest.mark.parametrize("who", ["officer_a", "dev_a"])
def test_enrollment_codes_for_another_commune(world: World, who: str) -> None:
    with api(world.url, getattr(world, who)) as http:
        assert http.post(f"/api/v1/communes/{B}/enrollment-codes").status_code == 403
    with api(world.url, world.officer_a) as http:
        own = http.post(f"/api/v1/communes/{A}/enrollment-codes")
    assert own.status_code == 201 and len(own.json()["enrollment_code"]) == 14


def test_revoking_another_communes_device(world: World) -> None:
    with api(world.url, world.officer_a) as http:
        resp = http.post(f"/api/v1/devices/{world.device_b_id}/revoke")
    assert resp.status_code == 404
    assert world.district.scalar("SELECT revoked_at FROM devices WHERE id = %s", (world.device_b_id,)) is None


@pytest.mark.parametrize("who", ["officer_a", "dev_a"])
def test_only_the_upper_level_publishes_and_adds_communes(world: World, who: str) -> None:
    with api(world.url, getattr(world, who)) as http:
        assert http.put("/api/v1/catalog", json={"version": "x", "procedures": []}).status_code == 403
        assert http.put("/api/v1/calendar", json={"version": "x", "adjustments": []}).status_code == 403
        assert http.post("/api/v1/communes", json={"code": "000.00.23.H40", "name": "X"}).status_code == 403
    assert world.district.scalar("SELECT count(*) FROM published") == 0
    assert world.district.scalar("SELECT count(*) FROM communes") == 2


# -- tokens -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/api/v1/dossiers", "/api/v1/pull", "/api/v1/overdue", "/api/v1/conflicts", "/api/v1/communes"]
)
@pytest.mark.parametrize("token", [None, "qd1.not-a-token", "qo1.not-a-token", "garbage"])
def test_no_or_wrong_token(world: World, path: str, token: str | None) -> None:
    with api(world.url, token) as http:
        resp = http.get(path)
    assert resp.status_code == 401 and resp.json()["error"] == "unauthorized"
    assert resp.json()["message"]


def test_revoked_tokens_stop_working(world: World, tmp_path: Path) -> None:
    extra = world.district.officer("temp", A)
    with api(world.url, world.chief) as http:
        code = http.post(f"/api/v1/communes/{A}/enrollment-codes").json()["enrollment_code"]
    counter = open_counter(tmp_path / "spare.db", now=Clock(datetime(2026, 11, 16, 9, 0)))
    try:
        initialize(counter)
        sync_service.enroll(counter, world.url, code)
        token = counter.store.get_setting("sync_token")
        with api(world.url, world.officer_a) as http:
            assert http.post(f"/api/v1/devices/{counter.device_id}/revoke").json()["revoked"] is True
        with api(world.url, token) as http:
            resp = http.get("/api/v1/pull")
        assert resp.status_code == 401 and resp.json()["error"] == "token_revoked"
        result = sync_service.sync_now(counter)
        assert result.error_code == "token_revoked" and "thu hồi" in (result.error or "")
    finally:
        counter.store.close()
    from district_server.cli import main

    assert (
        main(["--database-url", world.district.database_url, "officer", "revoke", "--username", "temp"]) == 0
    )
    with api(world.url, extra) as http:
        assert http.get("/api/v1/dossiers").json()["error"] == "token_revoked"
