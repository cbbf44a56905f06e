"""Forms 02–05: wording, form-set titles, barcodes that scan, long reasons that paginate inside the page."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import printing_samples as samples
import pypdfium2 as pdfium
import pytest
from pdf_support import decode_first_page, page_texts

from counter_app.printing import (
    ApologyData,
    RefusalData,
    Signer,
    StopData,
    SupplementData,
    build_pdf,
)
from counter_app.printing.barcodes import THERMAL_DPI

CODE = "000.00.21.H40-241123-0002"
NAME = "Đặng Quốc Việt"
PROCEDURE = "Đăng ký kết hôn"
AGENCY = replace(samples.AGENCY, phone=samples.PHONE)
WHEN = datetime(2024, 11, 23, 10, 15)
SIGNER = Signer(title="Chủ tịch", capacity="TM. Ủy ban nhân dân", name="Lê Minh Tuấn")
DOSSIER: dict[str, Any] = {  # the one dossier all four papers are about
    "agency": AGENCY,
    "applicant_name": NAME,
    "address": "Khu 5, xã Thanh Sơn",
    "procedure_name": PROCEDURE,
    "procedure_code": "1.000894",
}
SLIP: dict[str, Any] = {
    **DOSSIER,
    "phone": "0912 000 111",
    "officer_name": "Trần Văn Bình",
    "issued_at": WHEN,
}
LETTER: dict[str, Any] = {**DOSSIER, "code": CODE, "received_at": WHEN, "signer": SIGNER}

SUPPLEMENT = SupplementData(
    **SLIP,
    email="",
    items=("Giấy xác nhận tình trạng hôn nhân (bản chính).", "Bản sao giấy tờ tùy thân của bên nữ."),
    reason="Hồ sơ chưa đủ thành phần theo quy định.",
)
REFUSAL = RefusalData(
    **SLIP,
    email="viet@example.vn",
    reason="Việc kết hôn có yếu tố nước ngoài không thuộc thẩm quyền của UBND cấp xã.",
)
APOLOGY = ApologyData(
    **LETTER,
    original_due=datetime(2024, 11, 28, 16, 30),
    new_due=datetime(2024, 12, 5, 10, 0),
    new_half_day="sáng",
    reason="Cần xác minh thêm thông tin hộ tịch tại nơi cư trú trước đây.",
    issued_at=datetime(2024, 11, 28, 8, 0),
    doc_number="125/UBND-VP",
)
STOP = StopData(
    **LETTER,
    reason="Người nộp hồ sơ đề nghị dừng giải quyết.",
    issued_at=datetime(2024, 11, 25, 8, 0),
    requested_at=datetime(2024, 11, 24, 9, 0),
    refund_text="Phí, lệ phí đã nộp được hoàn trả theo quy định.",
)
LETTERS = {"supplement": SUPPLEMENT, "refusal": REFUSAL, "apology": APOLOGY, "stop": STOP}
LONG_REASON = " ".join(
    f"({i}) Hồ sơ cần bổ sung giấy tờ chứng minh nơi cư trú, giấy xác nhận tình trạng hôn nhân và ý kiến "
    "của cơ quan có thẩm quyền theo quy định của pháp luật về hộ tịch."
    for i in range(1, 41)
)


def pdfium_pages(pdf: bytes) -> Iterator[pdfium.PdfPage]:
    """Each page of ``pdf`` in turn, closed (and the document with the last) once the caller is done."""
    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            yield page
            page.close()
    finally:
        doc.close()


def body_text(pdf: bytes, footer: float = 22.0) -> str:
    """All pages' text above the footer band (page numbers), joined: a split paragraph reads whole."""
    parts = []
    for page in pdfium_pages(pdf):
        width, height = page.get_size()
        textpage = page.get_textpage()
        parts.append(textpage.get_text_bounded(0, footer, width, height))
        textpage.close()
    return " ".join(unicodedata.normalize("NFC", " ".join(parts)).split())


def objects_outside(pdf: bytes) -> int:
    count = 0
    for page in pdfium_pages(pdf):
        width, height = page.get_size()
        for obj in page.get_objects():
            left, bottom, right, top = obj.get_bounds()
            count += left < 2 or bottom < 2 or right > width - 2 or top > height - 2
    return count


@pytest.mark.parametrize("form", list(LETTERS))
@pytest.mark.parametrize("paper", ["a5", "a4"])
def test_name_procedure_and_title_extract(form: str, paper: str) -> None:
    text = " ".join(page_texts(build_pdf(form, LETTERS[form], paper=paper)))
    assert NAME in text
    assert PROCEDURE in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text


@pytest.mark.parametrize(
    ("form", "number", "title"),
    [
        ("supplement", "02", "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
        ("refusal", "03", "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
        ("apology", "04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
        ("stop", "05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
    ],
)
def test_current_rules_titles_and_numbers(form: str, number: str, title: str) -> None:
    (text,) = page_texts(build_pdf(form, LETTERS[form]))
    assert f"Mẫu số {number} (Thông tư số 03/2025/TT-VPCP)" in text
    assert title in text


def test_old_rules_apology_promises_a_new_date() -> None:
    (old,) = page_texts(build_pdf("apology", APOLOGY, form_set="tt01_2018"))
    (new,) = page_texts(build_pdf("apology", APOLOGY))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in old
    assert "Mẫu số 04 (Thông tư số 01/2018/TT-VPCP)" in old
    assert (
        "hẹn lại thời gian trả kết quả giải quyết hồ sơ vào: 10 giờ 00 phút (buổi sáng), ngày 05/12/2024"
        in old
    )
    assert "đề nghị Ông/Bà đồng ý gia hạn thời gian giải quyết hồ sơ đến: 10 giờ 00 phút (buổi sáng)" in new
    for text in (old, new):
        assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 30 phút, ngày 28/11/2024" in text
        assert "Số: 125/UBND-VP" in text
        assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text and "Lê Minh Tuấn" in text
        assert "Nơi nhận:" in text


def test_supplement_lists_every_item_and_the_guiding_officer() -> None:
    (text,) = page_texts(build_pdf("supplement", SUPPLEMENT))
    assert "1. Giấy xác nhận tình trạng hôn nhân (bản chính)." in text
    assert "2. Bản sao giấy tờ tùy thân của bên nữ." in text
    assert "NGƯỜI HƯỚNG DẪN" in text
    assert "công chức Trần Văn Bình, số điện thoại 0210 3 871 234" in text


def test_refusal_states_the_reason() -> None:
    (text,) = page_texts(build_pdf("refusal", REFUSAL))
    assert REFUSAL.reason in text
    assert "thông báo không tiếp nhận, giải quyết hồ sơ này" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_stop_notice_states_request_reason_and_refund() -> None:
    (text,) = page_texts(build_pdf("stop", STOP))
    assert "Ngày 24/11/2024, Ông/Bà có đề nghị dừng giải quyết hồ sơ nêu trên." in text
    assert "Lý do dừng giải quyết hồ sơ: Người nộp hồ sơ đề nghị dừng giải quyết." in text
    assert "thông báo dừng giải quyết hồ sơ nêu trên" in text
    assert STOP.refund_text in text


@pytest.mark.parametrize("form", list(LETTERS))
@pytest.mark.parametrize("dpi", [THERMAL_DPI, 300])
def test_papers_with_a_dossier_code_scan_back_to_it(form: str, dpi: int) -> None:
    data = LETTERS[form]
    if form in ("supplement", "refusal"):
        data = replace(data, code=CODE)  # type: ignore[type-var]
    assert decode_first_page(build_pdf(form, data, paper="a5"), dpi) == [CODE]


def test_papers_without_a_code_print_no_barcode() -> None:
    assert decode_first_page(build_pdf("supplement", SUPPLEMENT), 300) == []


@pytest.mark.parametrize("form", list(LETTERS))
def test_long_reasons_paginate_inside_the_page(form: str) -> None:
    data = LETTERS[form]
    if form == "supplement":
        data = replace(
            SUPPLEMENT, items=tuple(f"Mục bổ sung số {i}: {LONG_REASON[:150]}" for i in range(1, 26))
        )
    else:
        data = replace(data, reason=LONG_REASON)  # type: ignore[type-var]
    pdf = build_pdf(form, data, paper="a5")
    pages = page_texts(pdf)
    assert len(pages) > 1
    text = body_text(pdf)
    if form == "supplement":
        assert all(f"Mục bổ sung số {i}:" in text for i in range(1, 26))
    else:
        assert LONG_REASON in text
    assert "Trang 1/" in pages[0]
    assert objects_outside(pdf) == 0
