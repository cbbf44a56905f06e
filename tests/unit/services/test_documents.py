"""Papers built from the stored dossier: text extractable, barcode scanning back, reprints identical."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from helpers import MARRIAGE, receive
from pdf_support import decode_first_page, decode_pages, page_texts

from counter_app.domain.errors import ValidationError
from counter_app.services import documents, settings
from counter_app.services.actions import ActionRequest, perform
from counter_app.services.context import Counter


@pytest.mark.parametrize("paper", ["a5", "a4"])
def test_receipt_reads_and_scans_back(counter: Counter, paper: str) -> None:
    d = receive(counter, procedure_code=MARRIAGE, name="Đặng Thị Ánh Tuyết", id_number="001190123456").dossier
    printed = documents.print_dossier_form(counter, "receipt", d.code, paper=paper)
    (text,) = page_texts(printed.pdf)[:1]
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Đặng Thị Ánh Tuyết",
        "Đăng ký kết hôn",
        d.code,
        "17/11/2026",
    ):
        assert expected in text
    for dpi in (203, 300):
        assert d.code in decode_first_page(printed.pdf, dpi)
    again = documents.print_dossier_form(counter, "receipt", d.code, paper=paper)
    assert again.pdf == printed.pdf  # "print again" reproduces the document


def test_receipt_on_the_roll_carries_a_qr_of_the_full_code(counter: Counter) -> None:
    d = receive(counter).dossier
    printed = documents.print_dossier_form(counter, "receipt", d.code, paper="80mm")
    assert d.code in decode_pages(printed.pdf, 203)[0]


def test_status_link_when_configured(counter: Counter) -> None:
    settings.change(counter, "status_base_url", "https://motcua.example.gov.vn/s", "admin")
    d = receive(counter).dossier
    found = decode_first_page(documents.print_dossier_form(counter, "receipt", d.code).pdf, 300)
    link = next(t for t in found if t.startswith("https://"))
    assert link.startswith(f"https://motcua.example.gov.vn/s/{d.code}?t=") and len(link.split("t=")[1]) >= 16


def test_each_form_after_its_event(counter: Counter, clock) -> None:
    clock.set("2026-11-30T17:00")
    code = receive(counter, procedure_code="1.001022", received_at=datetime(2026, 11, 16, 9, 0)).dossier.code
    with pytest.raises(ValidationError, match="chưa có yêu cầu bổ sung"):
        documents.print_dossier_form(counter, "supplement", code)
    perform(
        counter,
        ActionRequest(code, "transfer", at=datetime(2026, 11, 16, 10, 0), handler="Tư pháp - hộ tịch"),
    )
    perform(counter, ActionRequest(code, "request-supplement", at=datetime(2026, 11, 16, 11, 0),
                                   reason="Bản sao giấy khai sinh của con\nGiấy tờ chứng minh quan hệ cha con"))  # fmt: skip
    text = page_texts(documents.print_dossier_form(counter, "supplement", code).pdf)[0]
    assert "Bản sao giấy khai sinh của con" in text and "Giấy tờ chứng minh quan hệ cha con" in text
    perform(counter, ActionRequest(code, "receive-supplement", at=datetime(2026, 11, 17, 9, 0)))
    perform(counter, ActionRequest(code, "apologize", at=datetime(2026, 11, 18, 9, 0), reason="Chờ xác minh nơi cư trú",
                                   new_due=datetime(2026, 11, 26, 9, 0)))  # fmt: skip
    apology = page_texts(documents.print_dossier_form(counter, "apology", code).pdf)[0]
    assert "Chờ xác minh nơi cư trú" in apology and "26/11/2026" in apology
    perform(counter, ActionRequest(code, "ready", at=datetime(2026, 11, 25, 9, 0)))
    control = documents.print_dossier_form(counter, "control", code)
    text = " ".join(page_texts(control.pdf))
    assert "Tư pháp - hộ tịch" in text and "Trước hạn" in text
    assert code in decode_first_page(control.pdf, 203)


def test_refusal_and_register(counter: Counter) -> None:
    code = receive(counter).dossier.code
    perform(counter, ActionRequest(code, "refuse", reason="Hồ sơ không thuộc thẩm quyền của xã"))
    assert (
        "không thuộc thẩm quyền" in page_texts(documents.print_dossier_form(counter, "refusal", code).pdf)[0]
    )
    receive(counter, name="Phạm Văn Bình", id_number="001090654321")
    register = documents.print_register(counter, date(2026, 11, 1), date(2026, 11, 30))
    text = " ".join(page_texts(register.pdf))
    assert code in text and "Phạm Văn Bình" in text


def test_old_dossiers_reprint_under_the_2018_forms(counter: Counter, clock) -> None:
    from counter_app.services.demo import generate

    clock.set("2025-06-20T10:00")
    generate(counter, 5, seed=1, days=5)
    code = counter.store.scalar("SELECT code FROM dossiers ORDER BY num LIMIT 1")
    text = page_texts(documents.print_dossier_form(counter, "receipt", code).pdf)[0]
    assert "01/2018" in text
