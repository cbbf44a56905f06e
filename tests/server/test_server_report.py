"""The district's period report (GET /api/v1/report, ``counter-server report``) equals, commune by
commune, what a synced counter of that commune computes with ``counter_app.services.report``.

Three real counters (two in commune A, one in B) record dossiers over two reporting months through
the real intake and action services, one of them acting on another's dossier, then sync with the
real server. Period 1 = 15/09–14/10/2026, period 2 = 15/10–14/11/2026 (cut-off on the 15th).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from helpers import QR
from server_harness import District, ServerThread, api

from counter_app.services import report
from counter_app.services import sync as sync_service
from counter_app.services.actions import ActionRequest, perform
from counter_app.services.context import Counter
from counter_app.services.intake import IntakeRequest, intake
from district_server.cli import main

A = "000.00.21.H40"  # the communes of tests/server/conftest.py
B = "000.00.22.H40"
P1 = ("2026-09-15", "2026-10-14")
P2 = ("2026-10-15", "2026-11-14")
PERIODS = (P1, P2)

# (moment, counter, dossier, what, arguments): "receive:<procedure>:<channel>" or an action.
STEPS: list[tuple[str, str, str, str, dict[str, object]]] = [
    ("2026-09-03T09:00", "a1", "D15", "receive:1.000894:direct", {}),  # resolved before period 1
    ("2026-09-04T09:00", "a1", "D15", "ready", {}),
    ("2026-09-11T09:00", "a1", "D1", "receive:1.004873:direct", {}),  # carried over into period 1
    ("2026-09-16T10:00", "a1", "D1", "ready", {}),
    ("2026-09-17T08:00", "a1", "D1", "return", {"rating": "satisfied"}),
    ("2026-09-17T08:00", "a2", "D2", "receive:2.001035:online", {}),  # online, early, unsatisfied
    ("2026-09-18T15:00", "a2", "D2", "ready", {}),
    ("2026-09-21T09:00", "a2", "D2", "return", {"rating": "unsatisfied"}),
    ("2026-09-21T09:00", "a1", "D3", "receive:1.000894:direct", {}),  # late
    ("2026-09-24T10:00", "a1", "D3", "ready", {}),
    ("2026-09-21T09:00", "b1", "E3", "receive:1.000894:direct", {}),  # late, commune B
    ("2026-09-24T10:00", "b1", "E3", "ready", {}),
    ("2026-09-22T09:00", "b1", "E5", "receive:1.001731:direct", {}),  # refused
    ("2026-09-23T09:00", "b1", "E5", "refuse", {"reason": "Không thuộc thẩm quyền của xã."}),
    ("2026-09-28T08:00", "a2", "D6", "receive:2.000815:online", {}),  # online, withdrawn
    ("2026-09-28T09:00", "a2", "D6", "withdraw", {"reason": "Công dân xin rút."}),
    ("2026-10-05T09:00", "a1", "D4", "receive:1.012796:post", {}),  # paused across the cut-off
    ("2026-10-06T10:00", "a1", "D4", "request-supplement", {"reason": "Thiếu bản sao giấy chứng nhận."}),
    ("2026-10-05T09:00", "b1", "E4", "receive:1.012796:post", {}),  # the same in commune B
    ("2026-10-06T10:00", "b1", "E4", "request-supplement", {"reason": "Thiếu giấy tờ."}),
    ("2026-10-07T09:00", "a1", "D7", "receive:1.004873:direct", {}),  # apology; overdue at 14/10
    (
        "2026-10-09T10:00",
        "a1",
        "D7",
        "apologize",
        {"reason": "Cần xác minh thêm.", "new_due": "2026-10-16T17:00"},
    ),
    ("2026-10-12T09:00", "a2", "D8", "receive:2.001263:direct", {}),  # within, then overdue
    ("2026-10-13T09:00", "a2", "D8", "transfer", {"handler": "Công chức tư pháp"}),
    # ---- period 2 (after a sync: a2 resolves a1's dossier D7) ----
    ("2026-10-15T10:00", "a2", "D7", "ready", {}),
    ("2026-10-19T08:00", "a2", "D9", "receive:1.001193:online", {}),  # cancelled
    ("2026-10-19T10:00", "a2", "D9", "cancel", {}),
    ("2026-10-19T09:00", "b1", "E16", "receive:1.003622:online", {}),  # late, satisfied
    ("2026-10-28T10:00", "b1", "E16", "ready", {}),
    ("2026-10-29T09:00", "b1", "E16", "return", {"rating": "satisfied"}),
    ("2026-10-19T10:00", "a1", "D4", "receive-supplement", {}),
    ("2026-10-22T10:00", "a1", "D4", "ready", {}),
    ("2026-10-19T10:00", "b1", "E4", "receive-supplement", {}),
    ("2026-10-20T09:00", "b1", "E10", "receive:2.001035:direct", {}),  # stopped
    ("2026-10-20T10:00", "b1", "E10", "transfer", {"handler": "Công chức tư pháp"}),
    ("2026-10-21T09:00", "b1", "E10", "stop", {"reason": "Công dân đề nghị dừng."}),
    ("2026-10-26T09:00", "b1", "E13", "receive:1.000894:direct", {}),  # on time
    ("2026-10-27T16:00", "b1", "E13", "ready", {}),
    ("2026-10-28T08:00", "b1", "E13", "return", {}),
    ("2026-10-20T09:00", "a1", "D18", "receive:1.004873:direct", {}),  # apology, then a pause
    (
        "2026-10-22T10:00",
        "a1",
        "D18",
        "apologize",
        {"reason": "Cần xác minh.", "new_due": "2026-10-30T17:00"},
    ),
    ("2026-10-23T09:00", "a1", "D18", "request-supplement", {"reason": "Thiếu giấy tờ."}),
    ("2026-10-27T09:00", "a1", "D18", "receive-supplement", {}),
    ("2026-10-29T10:00", "a1", "D18", "ready", {}),
    ("2026-11-02T09:00", "a2", "D12", "receive:1.001731:direct", {}),  # paused at 14/11
    ("2026-11-03T09:00", "a2", "D12", "request-supplement", {"reason": "Thiếu giấy xác nhận."}),
    ("2026-11-02T09:00", "a1", "D14", "receive:2.001035:direct", {}),  # ready, then withdrawn
    ("2026-11-04T09:00", "a1", "D14", "ready", {}),
    ("2026-11-10T09:00", "a1", "D14", "withdraw", {"reason": "Không nhận kết quả nữa."}),
    ("2026-11-12T09:00", "a1", "D11", "receive:1.004873:direct", {}),  # ready after period 2
    ("2026-11-16T09:00", "a1", "D11", "ready", {}),
    ("2026-11-17T09:00", "b1", "E17", "receive:1.000894:online", {}),  # after period 2
]


def play(counters: dict[str, Counter], codes: dict[str, str], since: str, until: str) -> None:
    for at, who, name, what, kwargs in sorted(STEPS, key=lambda s: s[0]):
        if not since <= at < until:
            continue
        counter, moment = counters[who], datetime.fromisoformat(at)
        if what.startswith("receive:"):
            _, procedure, channel = what.split(":")
            request = IntakeRequest(procedure_code=procedure, cccd_qr=QR, received_at=moment, channel=channel)
            codes[name] = intake(counter, request).dossier.code
            continue
        extra = dict(kwargs)
        if "new_due" in extra:
            extra["new_due"] = datetime.fromisoformat(str(extra["new_due"]))
        perform(counter, ActionRequest(code=codes[name], action=what, at=moment, **extra))  # type: ignore[arg-type]


def sync_all(counters: dict[str, Counter]) -> None:
    for name in ("a1", "a2", "b1", "a1", "a2"):  # twice: each counter of A also pulls the other's
        assert sync_service.sync_now(counters[name]).complete


@pytest.fixture
def world(server: ServerThread, district: District, make_counter, clock) -> dict[str, Counter]:
    clock.set("2026-11-20T09:00")
    counters = {}
    for name, commune in (("a1", A), ("a2", A), ("b1", B)):
        counters[name] = make_counter(name)
        sync_service.enroll(counters[name], server.url, district.enrollment_code(commune))
    codes: dict[str, str] = {}
    play(counters, codes, "", "2026-10-15")
    sync_all(counters)
    play(counters, codes, "2026-10-15", "9999")
    sync_all(counters)
    return counters


def on_counter(counter: Counter, period: tuple[str, str]) -> dict[str, Any]:
    start, end = (datetime.fromisoformat(d).date() for d in period)
    return report.compute(counter, start, end).to_json()


def as_counter_json(data: dict[str, Any]) -> dict[str, Any]:
    """The server's answer without what only the district report has (per-commune rows and tags)."""
    out = {k: v for k, v in data.items() if k != "communes"}
    out["late"] = [{k: v for k, v in item.items() if k != "commune"} for item in data["late"]]
    return out


def get(server: ServerThread, token: str, **params: str) -> Any:
    with api(server.url, token) as http:
        return http.get("/api/v1/report", params=params)


def test_each_commune_equals_its_synced_counters_report(world, server, district) -> None:
    officer = district.officer("huyen")
    for period in PERIODS:
        a1, a2, b1 = (on_counter(world[n], period) for n in ("a1", "a2", "b1"))
        assert a1 == a2  # both counters of A hold the whole commune after sync
        for commune, expected in ((A, a1), (B, b1)):
            resp = get(server, officer, **{"from": period[0], "to": period[1], "commune": commune})
            assert resp.status_code == 200, resp.text
            assert as_counter_json(resp.json()) == expected
            assert all(item["commune"] == commune for item in resp.json()["late"])

        whole = get(server, officer, **{"from": period[0], "to": period[1]}).json()
        assert [
            (c["commune"], {k: v for k, v in c.items() if k not in ("commune", "name")})
            for c in whole["communes"]
        ] == [
            (A, a1["total"]),
            (B, b1["total"]),
        ]
        sums = {k: a1["total"][k] + b1["total"][k] for k in report.FIGURE_KEYS}
        assert {k: whole["total"][k] for k in report.FIGURE_KEYS} == sums
        assert sum(f["received"] for f in whole["fields"]) == sums["received"]
        assert len(whole["late"]) == len(a1["late"]) + len(b1["late"])
        row = report.Figures(**{k: whole["total"][k] for k in report.FIGURE_KEYS})
        assert row.broken_identities() == []
        assert whole["provisional"] is False and whole["as_of"] == f"{period[1]}T23:59"

    # The dataset really exercises every bucket the issue names.
    first = get(server, officer, **{"from": P1[0], "to": P1[1]}).json()["total"]
    second = get(server, officer, **{"from": P2[0], "to": P2[1]}).json()["total"]
    assert first["carried_over"] and first["online"] and first["late"] and first["paused"] == 2
    assert first["refused"] and first["withdrawn"] and first["overdue"] and first["rated"] == 2
    assert second["carried_over"] >= 3 and second["stopped"] and second["cancelled"] and second["paused"]
    assert second["late"] >= 2 and second["overdue"] and second["satisfied"]


def test_the_command_line_prints_the_same_report(world, district, capsys) -> None:
    officer = district.officer("huyen")
    db = ("--database-url", district.database_url)
    assert main([*db, "report", "--from", P2[0], "--to", P2[1], "--json", "--commune", A]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert as_counter_json(printed) == on_counter(world["a1"], P2)
    assert main([*db, "report", "--from", P2[0], "--to", P2[1]]) == 0
    human = capsys.readouterr().out
    assert "Từ ngày 15/10/2026 đến ngày 14/11/2026" in human and "Tổng cộng: nhận" in human
    assert A in human and B in human
    assert officer  # the CLI needs no token: it runs on the server with the database URL

    assert main([*db, "report", "--from", "2026-13-01", "--to", P2[1]]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Lỗi: Ngày bắt đầu") and "YYYY-MM-DD" in err[0]
    assert main([*db, "report", "--from", P2[1], "--to", P2[0]]) == 2
    assert "trước ngày bắt đầu" in capsys.readouterr().err
    assert main([*db, "report", "--from", P2[0], "--to", P2[1], "--commune", "000.00.99.H40"]) == 2
    assert main([*db, "report", "--to", P2[1]]) == 2  # --from is required
    capsys.readouterr()


def test_who_may_see_which_commune(server, district) -> None:
    period = {"from": P1[0], "to": P1[1]}
    upper = district.officer("tinh")
    commune_a = district.officer("xa_a", A)
    resp = get(server, commune_a, **period)
    assert resp.status_code == 200 and [c["commune"] for c in resp.json()["communes"]] == [A]
    assert get(server, commune_a, **period, commune=A).status_code == 200
    for other in (B, "000.00.99.H40"):  # another commune, existing or not: the same 403
        resp = get(server, commune_a, **period, commune=other)
        assert resp.status_code == 403 and resp.json()["error"] == "forbidden"
    assert [c["commune"] for c in get(server, upper, **period).json()["communes"]] == [A, B]
    missing = get(server, upper, **period, commune="000.00.99.H40")
    assert missing.status_code == 404 and missing.json()["message"]
    with api(server.url) as http:
        assert http.get("/api/v1/report", params=period).status_code == 401
    with api(server.url, "qo1.not-a-token") as http:
        assert http.get("/api/v1/report", params=period).status_code == 401


def test_a_counter_device_is_not_a_reader_of_reports(server, district, make_counter) -> None:
    counter = make_counter("c")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    resp = get(server, counter.store.get_setting("sync_token") or "", **{"from": P1[0], "to": P1[1]})
    assert resp.status_code == 403 and "cán bộ" in resp.json()["message"]


@pytest.mark.parametrize(
    ("params", "code", "words"),
    [
        ({"to": "2026-11-14"}, "invalid_date", "Thiếu ngày bắt đầu"),
        ({"from": "2026-10-15"}, "invalid_date", "Thiếu ngày kết thúc"),
        ({"from": "2026-02-30", "to": "2026-03-14"}, "invalid_date", "không hợp lệ"),
        ({"from": "15/10/2026", "to": "2026-11-14"}, "invalid_date", "YYYY-MM-DD"),
        ({"from": "2026-10-15", "to": "hôm nay"}, "invalid_date", "Ngày kết thúc"),
        ({"from": "2026-10-15", "to": "2026-10-14"}, "invalid_period", "trước ngày bắt đầu"),
        ({"from": "2999-01-01", "to": "2999-01-31"}, "invalid_period", "chưa tới"),
        ({"from": "2026-10-15", "to": "2026-11-14", "commune": "x" * 41}, "invalid_request", "commune"),
        ({"from": "9" * 41, "to": "2026-11-14"}, "invalid_request", "from"),
    ],
)
def test_bad_input_is_a_vietnamese_4xx(server, district, params, code, words) -> None:
    resp = get(server, district.officer("tinh"), **params)
    assert 400 <= resp.status_code < 500, resp.text
    body = resp.json()
    assert set(body) == {"error", "message"} and body["error"] == code
    assert words in body["message"]
