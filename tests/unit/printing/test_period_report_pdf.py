"""Biểu 06/VPCP/KSTT on paper: A4 landscape, the numbered columns, the chart and the late list.

Pure printing: plain ReportData in, PDF bytes out (the numbers are tested in tests/unit/services).
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime, timedelta

import pypdf
import pytest
from pdf_support import page_texts

from counter_app.domain.errors import ValidationError
from counter_app.printing import Agency, build_pdf
from counter_app.printing.period_report import LateLine, ReportData, ReportLine

A4_LANDSCAPE = (841.89, 595.28)
AGENCY = Agency(parent_name="UBND TỈNH PHÚ THỌ", name="UBND XÃ THANH SƠN", place="Thanh Sơn")
EXTRAS = ("Chờ công dân bổ sung", "Từ chối giải quyết", "Dừng giải quyết", "Công dân rút hồ sơ", "Hủy hồ sơ")
LINES = (
    ReportLine("Chứng thực", (1234, 200, 1000, 34, 1200, 300, 800, 100, 30, 25, 5, 2, 1, 0, 1, 0)),
    ReportLine(
        unicodedata.normalize("NFD", "Hộ tịch"), (56, 6, 40, 10, 50, 20, 25, 5, 4, 4, 0, 1, 0, 0, 1, 0)
    ),
)
TOTAL = ReportLine("Tổng cộng", (1290, 206, 1040, 44, 1250, 320, 825, 105, 34, 29, 5, 3, 1, 0, 2, 0))


def late(i: int) -> LateLine:
    received = datetime(2026, 10, 1, 9, 0) + timedelta(hours=i)
    return LateLine(
        code=f"000.00.21.H40-261001-{i:04d}",
        field="Hộ tịch",
        procedure_name="Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế",
        applicant_name="Nguyễn Thị Hồng Nhung",
        received_at=received,
        due_at=received + timedelta(days=3),
        finished_at=None if i % 2 else received + timedelta(days=6),
        working_days_late=1 + i % 5,
        apology=i % 3 == 0,
    )


def sample(**changes: object) -> ReportData:
    values: dict[str, object] = {
        "agency": AGENCY,
        "period_label": "Tháng 11 năm 2026",
        "period_from": date(2026, 10, 15),
        "period_to": date(2026, 11, 14),
        "lines": LINES,
        "total": TOTAL,
        "extra_columns": EXTRAS,
        "notes": ("Cột (14)–(18): hồ sơ không tính vào cột (7) và (11).",),
        "late": tuple(late(i) for i in range(1, 4)),
        "late_total": 3,
        "recipient": "UBND TỈNH PHÚ THỌ",
        "issued_on": date(2026, 11, 16),
        "preparer_name": "Trần Thị Lập",
        "head_name": "Nguyễn Văn Chủ",
    }
    values.update(changes)
    return ReportData(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return build_pdf("report", sample(), paper="a4")


def test_a4_landscape_with_numbered_pages(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    texts = page_texts(pdf)
    assert len(reader.pages) == 2
    for number, (page, text) in enumerate(zip(reader.pages, texts, strict=True), start=1):
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            A4_LANDSCAPE, abs=0.1
        )
        assert f"Báo cáo Tháng 11 năm 2026 — Trang {number}/2" in text


def test_page_one_is_the_official_form(pdf: bytes) -> None:
    first = page_texts(pdf)[0]
    for text in (
        "UBND XÃ THANH SƠN",
        "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Thanh Sơn, ngày 16 tháng 11 năm 2026",
        "Biểu số 06/VPCP/KSTT",
        "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
        "Kỳ báo cáo: Tháng 11 năm 2026",
        "(Từ ngày 15/10/2026 đến ngày 14/11/2026)",
        "- Đơn vị báo cáo: UBND XÃ THANH SƠN",
        "- Đơn vị nhận báo cáo: UBND TỈNH PHÚ THỌ",
        "Đơn vị tính: Số hồ sơ TTHC",
        "STT",
        "Lĩnh vực, công việc giải quyết theo cấp",
        "Trực tiếp, dịch vụ bưu chính",
        "Không tính vào cột (7) và (11)",
        "Hủy hồ sơ",
        "(1) (2) (3) (4) (5) (6) (7) (8) (9) (10) (11) (12) (13) (14) (15) (16) (17) (18)",
        "1 Chứng thực 1.234 200 1.000 34 1.200 300 800 100 30 25 5 2 1 0 1 0",
        "2 Hộ tịch 56 6 40 10 50 20 25 5 4 4 0 1 0 0 1 0",
        "Tổng cộng 1.290 206 1.040 44 1.250 320 825 105 34 29 5 3 1 0 2 0",
        "Cột (14)–(18): hồ sơ không tính vào cột (7) và (11).",
        "NGƯỜI LẬP BIỂU (Ký, ghi rõ họ tên)",
        "THỦ TRƯỞNG ĐƠN VỊ (Ký, ghi rõ họ tên, đóng dấu)",
        "Trần Thị Lập",
        "Nguyễn Văn Chủ",
    ):
        assert text in first, text
    assert "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT" in first


def test_chart_and_late_list_follow(pdf: bytes) -> None:
    second = page_texts(pdf)[1]
    assert "Biểu đồ: số hồ sơ theo lĩnh vực trong kỳ báo cáo" in second
    assert "Tiếp nhận (3)" in second and "Đã giải quyết (7)" in second and "Đang giải quyết (11)" in second
    assert (
        "Phụ lục: Danh sách hồ sơ giải quyết quá hạn trong kỳ và hồ sơ đang quá hạn đến ngày 14/11/2026 (3 hồ sơ)"
        in second
    )
    assert "000.00.21.H40-261001-0001" in second and "000.00.21.H40-261001-0003" in second
    assert "Đang giải quyết" in second and "07/10/2026" in second  # open (no result) and resolved


def test_every_font_is_the_embedded_tinos(pdf: bytes) -> None:
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            assert "Tinos" in font.get_object()["/BaseFont"]


def test_thirteen_columns_when_the_province_folds_everything() -> None:
    lines = tuple(ReportLine(line.label, line.values[:11]) for line in LINES)
    data = sample(lines=lines, total=ReportLine("Tổng cộng", TOTAL.values[:11]), extra_columns=(), notes=())
    first = page_texts(build_pdf("report", data, paper="a4"))[0]
    assert "(11) (12) (13)" in first and "(14)" not in first and "Không tính vào" not in first


def test_a_long_late_list_is_cut_with_a_pointer_to_the_spreadsheet() -> None:
    data = sample(late=tuple(late(i) for i in range(1, 61)), late_total=250)
    texts = page_texts(build_pdf("report", data, paper="a4"))
    rest = " ".join(texts[1:])
    assert "000.00.21.H40-261001-0060" in rest
    assert "… và 190 hồ sơ khác (danh sách đầy đủ trong tệp Excel của báo cáo)." in rest
    assert all("Mã hồ sơ" in t for t in texts[2:])  # the list's header repeats on every page


def test_an_empty_period_still_prints_the_form() -> None:
    zero = ReportLine("Tổng cộng", (0,) * 16)
    texts = page_texts(
        build_pdf("report", sample(lines=(), total=zero, late=(), late_total=0, recipient=""), paper="a4")
    )
    assert "Tổng cộng 0 0 0" in texts[0] and "- Đơn vị nhận báo cáo: …………" in texts[0]
    assert "Không có hồ sơ quá hạn trong kỳ." in texts[1]


@pytest.mark.parametrize(
    ("data", "paper", "code", "message"),
    [
        (sample(), "a5", "paper_not_for_form", "A4 ngang"),
        (sample(), "80mm", "paper_not_for_form", "A4 ngang"),
        ("not data", "a4", "wrong_print_data", "ReportData"),
        (sample(total=ReportLine("Tổng cộng", (1, 2))), "a4", "wrong_print_data", "có 2 số, cần 16"),
    ],
)
def test_bad_requests_are_refused_in_vietnamese(data: object, paper: str, code: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        build_pdf("report", data, paper=paper)
    assert caught.value.code == code


def test_two_copies_number_their_pages_separately() -> None:
    texts = page_texts(build_pdf("report", sample(), paper="a4", copies=2))
    assert len(texts) == 4
    assert [t.split("— ")[-1] for t in texts] == ["Trang 1/2", "Trang 2/2", "Trang 1/2", "Trang 2/2"]
