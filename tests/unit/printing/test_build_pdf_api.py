"""The entry point's contract: forms, papers, form sets and copies, with Vietnamese errors."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pypdf
import pytest
from printing_samples import AGENCY

from counter_app.domain.errors import ValidationError
from counter_app.printing import (
    FORM_SETS,
    FORMS,
    DocumentItem,
    ReceiptData,
    RefusalData,
    StopData,
    build_pdf,
)
from counter_app.printing.formsets import lookup_form_set

RECEIPT = ReceiptData(
    code="000.00.21.H40-261116-0001",
    agency=AGENCY,
    applicant_name="Nguyễn Văn An",
    id_number="001090123456",
    address="Thanh Sơn",
    phone="",
    email="",
    procedure_name="Đăng ký khai sinh",
    procedure_code="1.001193",
    documents=(DocumentItem("Tờ khai", 1, 0),),
    sets=1,
    processing_text="Trong ngày làm việc",
    received_at=datetime(2026, 11, 16, 9, 0),
    due_at=datetime(2026, 11, 16, 16, 30),
    half_day="chiều",
    return_channel="Tại Bộ phận tiếp nhận và trả kết quả",
    fee=0,
    officer_name="Trần Văn Bình",
)
PACKAGE = Path(__file__).resolve().parents[3] / "counter_app" / "printing"


def pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def test_the_seven_forms_are_named() -> None:
    assert FORMS == ("receipt", "supplement", "refusal", "apology", "stop", "control", "register")
    assert set(FORM_SETS) == {"tt03_2025", "tt01_2018"}


def test_form_sets_number_the_forms_differently() -> None:
    new, old = lookup_form_set("tt03_2025"), lookup_form_set("tt01_2018")
    assert [new.spec(f).number for f in FORMS] == ["01", "02", "03", "04", "05", "06", "07"]
    assert "stop" not in old.forms
    assert [old.spec(f).number for f in FORMS if f != "stop"] == ["01", "02", "03", "04", "05", "06"]
    assert old.spec("apology").title == "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"
    assert new.spec("apology").title == "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"


def test_receipt_prints_its_form_set_number() -> None:
    new = " ".join(pages(build_pdf("receipt", RECEIPT)))
    old = " ".join(pages(build_pdf("receipt", RECEIPT, form_set="tt01_2018")))
    assert "Mẫu số 01 (Thông tư số 03/2025/TT-VPCP)" in new
    assert "Mẫu số 01 (Thông tư số 01/2018/TT-VPCP)" in old


@pytest.mark.parametrize(
    ("form", "data", "kwargs", "code"),
    [
        ("bien_lai", RECEIPT, {}, "unknown_form"),
        ("receipt", RECEIPT, {"paper": "a3"}, "unknown_paper"),
        ("refusal", RECEIPT, {"paper": "80mm"}, "paper_not_for_form"),
        ("refusal", RECEIPT, {}, "wrong_print_data"),
        ("receipt", RECEIPT, {"form_set": "tt99"}, "unknown_form_set"),
        ("receipt", RECEIPT, {"copies": 3}, "bad_copies"),
    ],
)
def test_bad_requests_raise_vietnamese_validation_errors(
    form: str, data: object, kwargs: dict[str, object], code: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        build_pdf(form, data, **kwargs)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert any(ch in caught.value.message for ch in "ăâđêôơưáàảãạ")


def test_old_rules_have_no_stop_notice() -> None:
    stop = StopData(
        code=RECEIPT.code,
        agency=AGENCY,
        applicant_name="Nguyễn Văn An",
        address="",
        procedure_name="Đăng ký khai sinh",
        procedure_code="",
        received_at=RECEIPT.received_at,
        reason="Theo đề nghị của người nộp hồ sơ",
        issued_at=RECEIPT.received_at,
    )
    assert build_pdf("stop", stop).startswith(b"%PDF")
    with pytest.raises(ValidationError) as caught:
        build_pdf("stop", stop, form_set="tt01_2018")
    assert caught.value.code == "form_not_in_set"
    assert "01/2018" in caught.value.message


def test_same_data_gives_the_same_bytes() -> None:
    assert build_pdf("receipt", RECEIPT) == build_pdf("receipt", RECEIPT)


def test_two_copies_for_letters_repeat_the_paper() -> None:
    refusal = RefusalData(
        agency=AGENCY,
        applicant_name="Lò Thị Mai",
        address="",
        phone="",
        email="",
        procedure_name="Cấp bản sao trích lục hộ tịch",
        procedure_code="",
        reason="Không thuộc thẩm quyền.",
        officer_name="Trần Văn Bình",
        issued_at=RECEIPT.received_at,
    )
    one, two = pages(build_pdf("refusal", refusal)), pages(build_pdf("refusal", refusal, copies=2))
    assert len(two) == 2 * len(one)


def test_printing_from_worker_threads_gives_identical_papers() -> None:
    """The UI prints off its main thread; concurrent builds must not mix fonts or pages."""
    expected = build_pdf("receipt", RECEIPT)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: build_pdf("receipt", RECEIPT), range(12)))
    assert all(pdf == expected for pdf in results)
