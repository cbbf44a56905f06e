"""Mẫu 01 on the 80 mm roll: inside the 72 mm head, as long as its content, QR of the full code scans."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from datetime import datetime

import pypdf
import pypdfium2 as pdfium
import pytest
import zxingcpp
from pdf_support import page_texts as texts
from pdf_support import scan_pages as scan
from printing_samples import CODE, HOTLINE, PHONE
from printing_samples import RECEIPT as SHEET_RECEIPT

from counter_app.printing import Agency, DocumentItem, build_pdf
from counter_app.printing.barcodes import THERMAL_DPI, code128_width, dots

MM = 72 / 25.4
NAME = "Hoàng Thị Ngọc Ánh"
PROCEDURE = "Chứng thực bản sao từ bản chính giấy tờ, văn bản"
RECEIPT = replace(
    SHEET_RECEIPT,  # another dossier at the same counter
    agency=Agency(parent_name="", name="UBND XÃ THANH SƠN", phone=PHONE, hotline=HOTLINE),
    applicant_name=NAME,
    address="Khu 3, xã Thanh Sơn",
    email="",
    procedure_name=PROCEDURE,
    procedure_code="2.000815",
    documents=(DocumentItem("Bản chính giấy tờ cần chứng thực", 1, 0),),
    processing_text="Trong ngày làm việc",
    received_at=datetime(2024, 11, 23, 8, 5),
    due_at=datetime(2024, 11, 23, 16, 0),
    fee=2000,
    register_book="03",
    register_line="7",
)


def sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [
        (float(p.mediabox.width), float(p.mediabox.height)) for p in pypdf.PdfReader(io.BytesIO(pdf)).pages
    ]


def horizontal_extent(pdf: bytes) -> tuple[float, float]:
    """Leftmost and rightmost point drawn on any page."""
    lo, hi = math.inf, -math.inf
    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            for obj in page.get_objects():
                left, _, right, _ = obj.get_bounds()
                lo, hi = min(lo, left), max(hi, right)
            page.close()
    finally:
        doc.close()
    return lo, hi


def test_full_code128_would_not_fit_the_roll() -> None:
    """Why the roll carries a QR code: 2-dot bars and 10-module quiet zones need more than 72 mm."""
    assert code128_width(CODE, dots(2)) / MM > 72


@pytest.mark.parametrize("dpi", [THERMAL_DPI, 300])
def test_qr_scans_back_to_the_full_code(dpi: int) -> None:
    (found,) = scan(build_pdf("receipt", RECEIPT, paper="80mm"), dpi)
    assert [r.text for r in found] == [CODE]
    assert found[0].format == zxingcpp.BarcodeFormat.QRCode
    assert found[0].ec_level == "M"


def test_qr_modules_are_at_least_three_thermal_dots() -> None:
    (found,) = scan(build_pdf("receipt", RECEIPT, paper="80mm"), THERMAL_DPI)
    position = found[0].position
    side_px = position.top_right.x - position.top_left.x
    modules = 25  # version 2 holds a 25-character alphanumeric code at level M
    assert side_px / modules >= 3


def test_roll_is_80mm_wide_and_draws_inside_the_72mm_head() -> None:
    pdf = build_pdf("receipt", RECEIPT, paper="80mm")
    ((width, _),) = sizes(pdf)
    assert width == pytest.approx(80 * MM, abs=0.01)
    left, right = horizontal_extent(pdf)
    assert left >= 4 * MM
    assert right <= 76 * MM


def test_essentials_and_short_code_are_printed() -> None:
    (text,) = texts(build_pdf("receipt", RECEIPT, paper="80mm"))
    for expected in (
        NAME,
        PROCEDURE,
        "241123-0001",
        f"Mã hồ sơ đầy đủ: {CODE}",
        "Hẹn trả kết quả: 16 giờ 00 phút (buổi chiều), ngày 23/11/2024",
        "Nhận hồ sơ: 08 giờ 05 phút, ngày 23/11/2024",
        "Phí, lệ phí: 2.000 đồng",
        "quyển số 03, số thứ tự 7",
        "0210 3 871 999",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    ):
        assert expected in text, expected


def test_page_grows_with_content_and_never_splits() -> None:
    short = build_pdf("receipt", RECEIPT, paper="80mm")
    documents = tuple(
        DocumentItem(f"Giấy tờ kèm theo số {i} (bản sao có chứng thực)", 1, 1) for i in range(1, 26)
    )
    long_data = replace(
        RECEIPT,
        documents=documents,
        address="Số nhà 125, ngõ 47, đường Nguyễn Tất Thành, tổ dân phố số 10, khu Phố Mới " * 3,
    )
    long = build_pdf("receipt", long_data, paper="80mm", copies=2)
    (short_size,) = sizes(short)
    long_sizes = sizes(long)
    assert len(long_sizes) == 2  # one roll page per liên
    assert long_sizes[0][1] > short_size[1] * 2
    pages = texts(long)
    assert "(Liên 1: Lưu)" in pages[0] and "(Liên 2: Giao người nộp hồ sơ)" in pages[1]
    for page in pages:
        assert all(f"Giấy tờ kèm theo số {i} " in page for i in range(1, 26))
    assert [[r.text for r in found] for found in scan(long, THERMAL_DPI)] == [[CODE], [CODE]]
