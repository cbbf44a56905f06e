"""Sample data the printing tests share: one commune, and one receipt (Mẫu 01) each test varies."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from counter_app.printing import Agency, DocumentItem, ReceiptData

AGENCY = Agency(parent_name="UBND TỈNH PHÚ THỌ", name="UBND XÃ THANH SƠN", place="Thanh Sơn")
PHONE = "0210 3 871 234"  # the counter
HOTLINE = "0210 3 871 999"  # complaints and feedback

CODE = "000.00.21.H40-241123-0001"
NAME = "Nguyễn Thị Hồng Nhung"
PROCEDURE = "Đăng ký khai sinh"
RECEIPT = ReceiptData(
    code=CODE,
    agency=replace(AGENCY, phone=PHONE, hotline=HOTLINE),
    applicant_name=NAME,
    id_number="025190012345",
    address="Tổ 10, khu Phố Mới, xã Thanh Sơn, tỉnh Phú Thọ",
    phone="0912 345 678",
    email="nhung@example.vn",
    procedure_name=PROCEDURE,
    procedure_code="1.001193",
    documents=(DocumentItem("Tờ khai đăng ký khai sinh", 1, 0), DocumentItem("Giấy chứng sinh", 1, 0)),
    sets=1,
    processing_text="03 ngày làm việc",
    received_at=datetime(2024, 11, 23, 9, 0),
    due_at=datetime(2024, 11, 27, 16, 30),
    half_day="chiều",
    return_channel="Tại Bộ phận tiếp nhận và trả kết quả",
    fee=15000,
    officer_name="Trần Văn Bình",
    register_book="01",
    register_line="125",
)
