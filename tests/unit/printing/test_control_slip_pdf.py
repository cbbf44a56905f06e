"""Phiếu kiểm soát: hand-over blocks, numbering per form set, long chains paginate with the header repeated."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from pdf_support import decode_first_page as decode
from pdf_support import page_texts
from printing_samples import AGENCY

from counter_app.printing import ControlData, ControlStep, build_pdf
from counter_app.printing.barcodes import THERMAL_DPI

CODE = "000.00.21.H40-241123-0003"
NAME = "Vũ Thị Thu Hương"
PROCEDURE = "Đăng ký thường trú"
START = datetime(2024, 11, 23, 9, 0)
ONE_STOP = "Bộ phận tiếp nhận và trả kết quả"
SLIP = ControlData(
    code=CODE,
    agency=AGENCY,
    applicant_name=NAME,
    procedure_name=PROCEDURE,
    received_at=START,
    due_at=START + timedelta(days=7),
    handling_agency="Công an xã Thanh Sơn",
    steps=(
        ControlStep(
            ONE_STOP,
            "Công an xã Thanh Sơn",
            START + timedelta(hours=1),
            None,
            "",
            "",
            "Trần Văn Bình",
            "Đỗ Hải",
        ),
        ControlStep(
            "Công an xã Thanh Sơn",
            ONE_STOP,
            START + timedelta(days=3),
            START + timedelta(days=3, minutes=15),
            "Trước hạn",
            "Đã có kết quả",
            "Đỗ Hải",
            "Trần Văn Bình",
        ),
    ),
)


def test_blocks_show_who_when_result_and_signatures() -> None:
    (text,) = page_texts(build_pdf("control", SLIP))
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        "Mẫu số 06 (Thông tư số 03/2025/TT-VPCP)",
        f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: {CODE})",
        NAME,
        PROCEDURE,
        "TÊN CƠ QUAN",
        "THỜI GIAN GIAO, NHẬN HỒ SƠ",
        "1. Giao: Bộ phận tiếp nhận và trả kết quả",
        "2. Nhận: Công an xã Thanh Sơn",
        "Giao: 10 giờ 00 phút, ngày 23/11/2024",
        "Nhận: 09 giờ 15 phút, ngày 26/11/2024",
        "Trước hạn",
        "Người giao",
        "Người nhận",
        "Đỗ Hải",
    ):
        assert expected in text, expected


def test_old_rules_number_it_05() -> None:
    (text,) = page_texts(build_pdf("control", SLIP, form_set="tt01_2018"))
    assert "Mẫu số 05 (Thông tư số 01/2018/TT-VPCP)" in text


@pytest.mark.parametrize("dpi", [THERMAL_DPI, 300])
@pytest.mark.parametrize("paper", ["a5", "a4"])
def test_slip_barcode_scans(dpi: int, paper: str) -> None:
    assert decode(build_pdf("control", SLIP, paper=paper), dpi) == [CODE]


def test_blank_blocks_leave_room_to_fill_by_hand() -> None:
    empty = ControlData(**{**SLIP.__dict__, "steps": (), "blank_steps": 3})
    (text,) = page_texts(build_pdf("control", empty))
    assert text.count("1. Giao: …………") == 3
    assert text.count("…… giờ …… phút, ngày …… tháng …… năm ……") == 3


def test_long_chain_paginates_with_the_header_on_each_page() -> None:
    steps = tuple(
        ControlStep(
            f"Cơ quan phối hợp số {i}",
            f"Cơ quan phối hợp số {i + 1}",
            START + timedelta(hours=i),
            None,
            "Đúng hạn",
            "",
            f"Cán bộ giao {i}",
            f"Cán bộ nhận {i}",
        )
        for i in range(1, 21)
    )
    pdf = build_pdf("control", ControlData(**{**SLIP.__dict__, "steps": steps}), paper="a5")
    pages = page_texts(pdf)
    assert len(pages) > 2
    assert all("THỜI GIAN GIAO, NHẬN HỒ SƠ" in page for page in pages)
    text = " ".join(pages)
    for i in range(1, 21):
        assert text.count(f"1. Giao: Cơ quan phối hợp số {i} ") == 1
    # a block (times row + signature row) never splits across pages
    for page in pages:
        for i in range(1, 21):
            assert (f"1. Giao: Cơ quan phối hợp số {i} " in page) == (f"Cán bộ nhận {i} " in page + " ")
