"""The receipt's QR link: state and appointment without logging in, nothing personal, no hints."""

from __future__ import annotations

from helpers import receive
from server_harness import District, ServerThread, api

from counter_app.services import actions
from counter_app.services import sync as sync_service

A = "000.00.21.H40"


def test_status_page_shows_state_and_appointment_only(
    server: ServerThread, district: District, make_counter
) -> None:
    counter = make_counter("c")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    result = receive(counter, phone="0912345678", address="Thôn Đông, xã Thanh Sơn")
    d, token = result.dossier, result.event.payload["status_token"]
    actions.perform(counter, actions.ActionRequest(code=d.code, action="transfer", handler="Tư pháp"))
    assert sync_service.sync_now(counter).pushed == 2
    with api(server.url, version=None) as http:
        page = http.get(f"/s/{d.code}", params={"t": token})
        lower = http.get(f"/s/{d.code.lower()}", params={"t": token})
        wrong = http.get(f"/s/{d.code}", params={"t": token[:-1] + ("A" if token[-1] != "A" else "B")})
        missing = http.get(f"/s/{d.code}")
        unknown = http.get("/s/000.00.21.H40-261116-9999", params={"t": token})
        junk = http.get("/s/<script>", params={"t": token})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    text = page.text
    assert 'lang="vi"' in text and "Tình trạng hồ sơ" in text
    assert d.code in text and "Đang giải quyết" in text and d.procedure_name in text
    assert f"{d.due_at:%H:%M} ngày {d.due_at:%d/%m/%Y}" in text and "UBND xã Thanh Sơn" in text
    for personal in (d.applicant_name, d.id_number, "0912345678", "Thôn Đông", "Tư pháp", "admin"):
        assert personal not in text
    assert page.headers["cache-control"] == "no-store" and page.headers["referrer-policy"] == "no-referrer"
    assert lower.status_code == 200
    for resp in (wrong, missing, unknown, junk):
        assert resp.status_code == 404
        assert resp.text == wrong.text  # the same page whatever was wrong: no hint
        assert d.code not in resp.text and "Không tìm thấy hồ sơ" in resp.text
