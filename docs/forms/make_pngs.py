"""Refresh the form previews in docs/forms/: one PNG per form, from realistic sample data.

    .venv/bin/python docs/forms/make_pngs.py            # PNGs next to this script
    .venv/bin/python docs/forms/make_pngs.py --pdf DIR  # also keep the PDFs in DIR

Needs poppler's ``pdftoppm`` (Debian: poppler-utils). Pages are rendered at 110 dpi, grey, and
palette-quantised so each PNG stays small enough to live in the repository.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from counter_app.printing import (  # noqa: E402
    Agency,
    ApologyData,
    ControlData,
    ControlStep,
    DocumentItem,
    ReceiptData,
    RefusalData,
    RegisterData,
    RegisterRow,
    Signer,
    StopData,
    SupplementData,
    build_pdf,
)

HERE = Path(__file__).resolve().parent
DPI = 110
CODE = "000.00.21.H40-261116-0001"
AGENCY = Agency(
    parent_name="UBND TỈNH PHÚ THỌ",
    name="UBND XÃ THANH SƠN",
    place="Thanh Sơn",
    phone="0210 3 871 234",
    hotline="0210 3 871 999",
)
RECEIVED = datetime(2026, 11, 16, 9, 0)
DUE = datetime(2026, 11, 19, 16, 30)
APPLICANT = "Nguyễn Thị Hồng Nhung"
ADDRESS = "Tổ 10, khu Phố Mới, xã Thanh Sơn, tỉnh Phú Thọ"
PROCEDURE = "Đăng ký khai sinh"


def receipt() -> ReceiptData:
    return ReceiptData(
        code=CODE,
        agency=AGENCY,
        applicant_name=APPLICANT,
        id_number="025190012345",
        address=ADDRESS,
        phone="0912 345 678",
        email="nhung.nguyen@example.vn",
        procedure_name=PROCEDURE,
        procedure_code="1.001193",
        documents=(
            DocumentItem("Tờ khai đăng ký khai sinh theo mẫu", 1, 0),
            DocumentItem("Giấy chứng sinh do cơ sở y tế cấp", 1, 0),
            DocumentItem("Giấy tờ tùy thân của người đi đăng ký (xuất trình)", 0, 1),
        ),
        sets=1,
        processing_text="03 ngày làm việc",
        received_at=RECEIVED,
        due_at=DUE,
        half_day="chiều",
        return_channel="Tại Bộ phận tiếp nhận và trả kết quả",
        fee=15000,
        officer_name="Trần Văn Bình",
        register_book="01",
        register_line="125",
    )


def samples() -> list[tuple[str, str, object, dict[str, object]]]:
    """(file stem, form, data, build_pdf keywords) for each preview."""
    supplement = SupplementData(
        agency=AGENCY,
        applicant_name=APPLICANT,
        address=ADDRESS,
        phone="0912 345 678",
        email="",
        procedure_name="Đăng ký kết hôn",
        procedure_code="1.000894",
        items=(
            "Giấy xác nhận tình trạng hôn nhân của bên nam do UBND nơi thường trú cấp (bản chính).",
            "Bản sao giấy tờ chứng minh nơi cư trú của bên nữ.",
        ),
        reason="Hồ sơ thiếu giấy tờ theo quy định tại Điều 10 Luật Hộ tịch.",
        officer_name="Trần Văn Bình",
        issued_at=RECEIVED,
    )
    refusal = RefusalData(
        agency=AGENCY,
        applicant_name=APPLICANT,
        address=ADDRESS,
        phone="0912 345 678",
        email="",
        procedure_name="Cấp bản sao trích lục hộ tịch",
        procedure_code="2.000635",
        reason="Việc hộ tịch không đăng ký tại UBND xã Thanh Sơn; đề nghị Ông/Bà liên hệ nơi đã đăng ký.",
        officer_name="Trần Văn Bình",
        issued_at=RECEIVED,
    )
    signer = Signer(title="CHỦ TỊCH", capacity="TM. ỦY BAN NHÂN DÂN", name="Lê Minh Tuấn")
    apology = ApologyData(
        code=CODE,
        agency=AGENCY,
        applicant_name=APPLICANT,
        address=ADDRESS,
        procedure_name="Đăng ký thường trú",
        procedure_code="1.004194",
        received_at=RECEIVED,
        original_due=DUE,
        new_due=DUE + timedelta(days=7),
        new_half_day="chiều",
        reason="Cần xác minh thông tin về chỗ ở hợp pháp với cơ quan có liên quan.",
        issued_at=DUE,
        signer=signer,
        doc_number="125/UBND-VP",
        recipients=("Bộ phận tiếp nhận và trả kết quả",),
    )
    stop = StopData(
        code=CODE,
        agency=AGENCY,
        applicant_name=APPLICANT,
        address=ADDRESS,
        procedure_name="Đăng ký kết hôn",
        procedure_code="1.000894",
        received_at=RECEIVED,
        requested_at=RECEIVED + timedelta(days=1),
        reason="Người nộp hồ sơ đề nghị dừng giải quyết để bổ sung giấy tờ ở nước ngoài.",
        refund_text="Phí, lệ phí đã nộp được hoàn trả theo quy định.",
        issued_at=RECEIVED + timedelta(days=1),
        signer=signer,
        recipients=("Bộ phận tiếp nhận và trả kết quả",),
    )
    one_stop = "Bộ phận tiếp nhận và trả kết quả"
    control = ControlData(
        code=CODE,
        agency=AGENCY,
        applicant_name=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        due_at=DUE,
        handling_agency="Công chức Tư pháp - Hộ tịch, UBND xã Thanh Sơn",
        steps=(
            ControlStep(
                one_stop,
                "Công chức Tư pháp - Hộ tịch",
                RECEIVED + timedelta(minutes=30),
                None,
                "",
                "",
                "Trần Văn Bình",
                "Phạm Thu Hà",
            ),
            ControlStep(
                "Công chức Tư pháp - Hộ tịch",
                "Lãnh đạo UBND xã",
                RECEIVED + timedelta(days=1, hours=2),
                None,
                "Trước hạn",
                "",
                "Phạm Thu Hà",
                "Lê Minh Tuấn",
            ),
            ControlStep(
                "Lãnh đạo UBND xã",
                one_stop,
                RECEIVED + timedelta(days=2),
                None,
                "Trước hạn",
                "",
                "Lê Minh Tuấn",
                "Trần Văn Bình",
            ),
        ),
    )
    rows = tuple(
        RegisterRow(
            code=f"000.00.21.H40-2611{16 + i // 6:02d}-{i % 6 + 1:04d}",
            procedure_name=[PROCEDURE, "Đăng ký kết hôn", "Chứng thực bản sao từ bản chính giấy tờ, văn bản"][
                i % 3
            ],
            sets=1,
            applicant_name=["Nguyễn Văn An", APPLICANT, "Hoàng Đức Thắng", "Lò Thị Mai"][i % 4],
            address_phone=f"Khu {i % 7 + 1}, xã Thanh Sơn; 0912 000 {i:03d}",
            handling_agency="Công chức Tư pháp - Hộ tịch",
            received_at=RECEIVED + timedelta(days=i // 6, minutes=20 * (i % 6)),
            due_at=DUE + timedelta(days=i // 6),
            transferred_at=RECEIVED + timedelta(days=i // 6, hours=1),
            result_at=DUE + timedelta(days=i // 6, hours=-3) if i % 5 else None,
            returned_at=DUE + timedelta(days=i // 6, hours=-1) if i % 5 else None,
        )
        for i in range(40)
    )
    register = RegisterData(
        agency=AGENCY, period_from=date(2026, 11, 15), period_to=date(2026, 12, 14), rows=rows, book="01"
    )
    return [
        ("01_receipt_a5", "receipt", receipt(), {"paper": "a5", "copies": 2}),
        ("01_receipt_80mm", "receipt", receipt(), {"paper": "80mm"}),
        ("02_supplement_a5", "supplement", supplement, {"paper": "a5"}),
        ("03_refusal_a5", "refusal", refusal, {"paper": "a5"}),
        ("04_apology_a4", "apology", apology, {"paper": "a4"}),
        ("05_stop_a5", "stop", stop, {"paper": "a5"}),
        ("06_control_a4", "control", control, {"paper": "a4"}),
        ("07_register_a4_landscape", "register", register, {}),
    ]


def to_png(pdf: Path, out: Path) -> None:
    """First page of ``pdf`` at 110 dpi, grey, 16-colour palette (crisp text, small file)."""
    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-gray",
                "-r",
                str(DPI),
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(stem),
            ],
            check=True,
        )
        with Image.open(stem.with_suffix(".png")) as img:
            small = img.convert("L").quantize(colors=16)
            small.save(out, optimize=True)
            small.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdf", type=Path, help="also keep the PDFs in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf_dir = args.pdf or Path(tmp)
        pdf_dir.mkdir(parents=True, exist_ok=True)
        for stem, form, data, kwargs in samples():
            pdf = pdf_dir / f"{stem}.pdf"
            pdf.write_bytes(build_pdf(form, data, **kwargs))  # type: ignore[arg-type]
            png = HERE / f"{stem}.png"
            to_png(pdf, png)
            print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
