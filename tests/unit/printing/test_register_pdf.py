"""Sổ theo dõi hồ sơ: A4 landscape, 1,000 rows over many pages, header repeated, every row once."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime, timedelta

import pypdf
import pypdfium2 as pdfium
import pytest
from printing_samples import AGENCY

from counter_app.printing import RegisterData, RegisterRow, build_pdf

A4_LANDSCAPE = (841.89, 595.28)
START = datetime(2026, 11, 16, 7, 30)
NAMES = ("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc", "Phạm Thị Hồng Nhung")
PROCEDURES = (
    "Đăng ký khai sinh",
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp hoặc chứng nhận",
)


def row(i: int) -> RegisterRow:
    received = START + timedelta(minutes=7 * i)
    return RegisterRow(
        code=f"000.00.21.H40-{received:%y%m%d}-{i:04d}",
        procedure_name=PROCEDURES[i % 2],
        sets=1 + i % 3,
        applicant_name=unicodedata.normalize("NFD", NAMES[i % 4]),
        address_phone=f"Tổ {i % 30 + 1}, khu Phố Mới, xã Thanh Sơn, tỉnh Phú Thọ; 0912 {i:06d}",
        handling_agency="Công chức Tư pháp - Hộ tịch",
        received_at=received,
        due_at=received + timedelta(days=3),
        transferred_at=received + timedelta(hours=1),
        result_at=received + timedelta(days=2) if i % 4 else None,
        returned_at=received + timedelta(days=2, hours=2) if i % 4 else None,
        note="Trả qua bưu chính" if i % 10 == 0 else "",
    )


@pytest.fixture(scope="module")
def thousand() -> tuple[bytes, list[str]]:
    data = RegisterData(
        agency=AGENCY,
        period_from=date(2026, 11, 15),
        period_to=date(2026, 12, 14),
        rows=tuple(row(i) for i in range(1, 1001)),
        book="02",
    )
    pdf = build_pdf("register", data, paper="a5")  # the register ignores A5/A4: always A4 landscape
    texts = [
        " ".join(unicodedata.normalize("NFC", p.extract_text()).split())
        for p in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]
    return pdf, texts


def test_every_page_is_a4_landscape(thousand: tuple[bytes, list[str]]) -> None:
    pdf, texts = thousand
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(texts) > 20
    for page in reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_LANDSCAPE, abs=0.1
        )


def test_header_repeats_and_pages_are_numbered(thousand: tuple[bytes, list[str]]) -> None:
    _, texts = thousand
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert "Mã hồ sơ" in text and "Tên cá nhân, tổ chức" in text and "Ngày, tháng, năm" in text
        assert "(1) (2) (3)" in text and "(14)" in text
        assert f"Trang {number}/{total}" in text
    first = texts[0]
    assert "SỔ THEO DÕI HỒ SƠ" in first
    assert "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)" in first
    assert "(Từ ngày 15/11/2026 đến ngày 14/12/2026)" in first
    assert "Quyển số: 02" in first


def test_every_row_prints_exactly_once(thousand: tuple[bytes, list[str]]) -> None:
    _, texts = thousand
    everything = " ".join(texts)
    for i in range(1, 1001):
        assert everything.count(f"-{i:04d} ") == 1, i
    for name in NAMES:
        assert name in everything
    assert "07 giờ 37 16/11/2026" in everything  # row 1, received 07:37, printed on two short lines


def test_nothing_is_drawn_off_the_page(thousand: tuple[bytes, list[str]]) -> None:
    pdf, _ = thousand
    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            for obj in page.get_objects():
                left, bottom, right, top = obj.get_bounds()
                assert left >= 2 and bottom >= 2 and right <= width - 2 and top <= height - 2, (index, obj)
            page.close()
    finally:
        doc.close()


def test_old_rules_number_the_register_06_and_empty_periods_still_print() -> None:
    data = RegisterData(agency=AGENCY, period_from=date(2026, 1, 1), period_to=date(2026, 1, 31), rows=())
    (text,) = [
        p.extract_text()
        for p in pypdf.PdfReader(io.BytesIO(build_pdf("register", data, form_set="tt01_2018"))).pages
    ]
    text = " ".join(text.split())
    assert "Mẫu số 06 (Thông tư số 01/2018/TT-VPCP)" in text
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert "Trang 1/1" in text
