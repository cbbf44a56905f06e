"""Mẫu 01 on A5/A4: extractable Vietnamese, the Code128 scans back at 203 and 300 dpi, long input paginates."""

from __future__ import annotations

import unicodedata
from dataclasses import replace

import pypdfium2 as pdfium
import pytest
from pdf_support import decode_pages, page_texts, words
from printing_samples import CODE, NAME, PROCEDURE, RECEIPT

from counter_app.printing import DocumentItem, build_pdf
from counter_app.printing.barcodes import SHEET_MODULE, THERMAL_DPI

LONG_PROCEDURE = (
    "Thủ tục đăng ký lại khai sinh, kết hợp cấp bản sao trích lục hộ tịch và xác nhận thông tin "
    "cư trú cho người đã có hồ sơ gốc"
)
LONG_ADDRESS = (
    "Số nhà 125, ngõ 47, đường Nguyễn Tất Thành, tổ dân phố số 10, khu Phố Mới, xã Thanh Sơn, tỉnh Phú Thọ "
    "(gần chợ trung tâm, đối diện trường trung học cơ sở Thanh Sơn, cạnh trạm y tế xã, lối vào phía sau)"
)


def outside(pdf: bytes, margin: float = 2.0) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Objects (text, paths) whose box leaves the page, less ``margin`` points."""
    bad = []
    doc = pdfium.PdfDocument(pdf)
    try:
        for index in range(len(doc)):
            page = doc[index]
            width, height = page.get_size()
            for obj in page.get_objects():
                left, bottom, right, top = obj.get_bounds()
                if left < margin or bottom < margin or right > width - margin or top > height - margin:
                    bad.append((index, (left, bottom, right, top)))
            page.close()
    finally:
        doc.close()
    return bad


@pytest.mark.parametrize("paper", ["a5", "a4"])
@pytest.mark.parametrize("dpi", [THERMAL_DPI, 300])
def test_code128_scans_back_to_the_exact_code(paper: str, dpi: int) -> None:
    pdf = build_pdf("receipt", RECEIPT, paper=paper, copies=2)
    pages = decode_pages(pdf, dpi)
    assert len(pages) == 2
    assert all(found == [CODE] for found in pages)


def test_narrowest_bar_is_at_least_two_thermal_dots() -> None:
    assert min(SHEET_MODULE.values()) * 25.4 / 72 >= 0.25


def test_status_url_adds_a_qr_code_next_to_the_barcode() -> None:
    url = f"https://dichvucong.example.gov.vn/tra-cuu?ma={CODE}"
    pdf = build_pdf("receipt", replace(RECEIPT, status_url=url), paper="a5")
    for dpi in (THERMAL_DPI, 300):
        (found,) = decode_pages(pdf, dpi)
        assert sorted(found) == sorted([CODE, url])


def test_text_extracts_exactly_even_from_decomposed_input() -> None:
    nfd = replace(
        RECEIPT,
        applicant_name=unicodedata.normalize("NFD", NAME),
        procedure_name=unicodedata.normalize("NFD", PROCEDURE),
    )
    (text,) = page_texts(build_pdf("receipt", nfd))
    for expected in (
        NAME,
        PROCEDURE,
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thanh Sơn, ngày 23 tháng 11 năm 2024",
        f"Mã hồ sơ: {CODE}",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 03 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 09 giờ 00 phút, ngày 23/11/2024",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 30 phút (buổi chiều), ngày 27/11/2024",
        "6. Đăng ký nhận kết quả tại: Tại Bộ phận tiếp nhận và trả kết quả",
        "7. Phí, lệ phí: 15.000 đồng",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 01, Số thứ tự: 125",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Trần Văn Bình",
        "0210 3 871 234",
        "0210 3 871 999",
    ):
        assert expected in text, expected


def test_two_copies_are_labelled_kept_and_given() -> None:
    one = page_texts(build_pdf("receipt", RECEIPT))
    two = page_texts(build_pdf("receipt", RECEIPT, copies=2))
    assert len(one) == 1 and "Liên" not in one[0]
    assert len(two) == 2
    assert "(Liên 1: Lưu)" in two[0] and "(Liên 2: Giao người nộp hồ sơ)" in two[1]
    assert all(NAME in page for page in two)


def test_long_content_paginates_inside_the_page() -> None:
    documents = tuple(
        DocumentItem(f"Giấy tờ số {i}: bản sao có chứng thực giấy tờ chứng minh quan hệ nhân thân", 1, 2)
        for i in range(1, 26)
    )
    email = "nguyen.thi.hong.nhung.phong.tu.phap.ho.tich.xa.thanh.son@example.gov.vn"
    data = replace(
        RECEIPT, procedure_name=LONG_PROCEDURE, address=LONG_ADDRESS, documents=documents, email=email
    )
    assert len(LONG_PROCEDURE) >= 120 and len(LONG_ADDRESS) >= 200
    for paper in ("a5", "a4"):
        pdf = build_pdf("receipt", data, paper=paper, copies=2)
        texts = page_texts(pdf)
        assert len(texts) > 2  # each liên runs over more than one page
        everything = " ".join(texts)
        assert everything.count(LONG_PROCEDURE) == 2
        assert everything.count(words(LONG_ADDRESS)) == 2
        for i in range(1, 26):
            assert everything.count(f"Giấy tờ số {i}:") == 2
        assert "Trang 1/" in texts[0]  # loose pages stay attributable
        assert "Tên giấy tờ, tài liệu" in texts[1]  # the documents table repeats its header
        assert outside(pdf) == []
        assert all(found == [CODE] for found in decode_pages(pdf, 300)[:1])


def test_empty_optional_values_leave_room_to_write() -> None:
    (text,) = page_texts(build_pdf("receipt", replace(RECEIPT, email="", register_line="", fee=0)))
    assert "Email: …………" in text
    assert "Số thứ tự: …………" in text
    assert "Phí, lệ phí: Không thu" in text


def test_markup_in_user_text_is_printed_literally() -> None:
    data = replace(RECEIPT, applicant_name="Lê <b>Văn</b> & Cộng sự")
    (text,) = page_texts(build_pdf("receipt", data))
    assert "Lê <b>Văn</b> & Cộng sự" in text
