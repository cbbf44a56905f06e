"""Plain data the printing core turns into paper: one frozen dataclass per form.

The service layer fills these from the database; printing never reads SQL or Qt. Text is taken
as given (the domain has already worded durations such as "03 ngày làm việc"); the forms only
normalise it to NFC, escape it and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Agency:
    """Who issues the paper: the header block, the place/date line and the contact footer."""

    parent_name: str  # e.g. "UBND TỈNH PHÚ THỌ" (may be "")
    name: str  # e.g. "UBND XÃ THANH SƠN"
    unit_name: str = "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
    place: str = ""  # "Thanh Sơn" for "Thanh Sơn, ngày 16 tháng 11 năm 2026"
    phone: str = ""  # the counter's phone
    hotline: str = ""  # complaints / feedback hotline


@dataclass(frozen=True)
class DocumentItem:
    """One paper handed over: its name and how many originals and copies."""

    name: str
    original: int
    copy: int


@dataclass(frozen=True)
class ReceiptData:
    """Mẫu 01 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    code: str
    agency: Agency
    applicant_name: str
    id_number: str
    address: str
    phone: str
    email: str
    procedure_name: str
    procedure_code: str
    documents: tuple[DocumentItem, ...]
    sets: int
    processing_text: str  # "03 ngày làm việc", worded by the domain
    received_at: datetime
    due_at: datetime
    half_day: str  # "sáng" / "chiều"
    return_channel: str  # "Tại Bộ phận tiếp nhận và trả kết quả" / "Qua dịch vụ bưu chính" …
    fee: int  # đồng
    officer_name: str
    register_book: str = ""
    register_line: str = ""
    status_url: str | None = None  # when set, A5/A4 also carry a QR code of it


@dataclass(frozen=True)
class SupplementData:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (one complete list, given once)."""

    agency: Agency
    applicant_name: str
    address: str
    phone: str
    email: str
    procedure_name: str
    procedure_code: str
    items: tuple[str, ...]  # what to add or complete, one line each
    officer_name: str  # the guiding officer (người hướng dẫn)
    issued_at: datetime
    code: str = ""  # empty when the dossier was never received
    reason: str = ""
    officer_phone: str = ""  # defaults to the agency phone when empty


@dataclass(frozen=True)
class RefusalData:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    agency: Agency
    applicant_name: str
    address: str
    phone: str
    email: str
    procedure_name: str
    procedure_code: str
    reason: str
    officer_name: str
    issued_at: datetime
    code: str = ""


@dataclass(frozen=True)
class Signer:
    """Who signs a letter on behalf of the agency (forms 04 and 05)."""

    title: str = "CHỦ TỊCH"  # e.g. "CHỦ TỊCH", "PHÓ CHỦ TỊCH"
    capacity: str = ""  # e.g. "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"
    name: str = ""


@dataclass(frozen=True)
class ApologyData:
    """Mẫu 04 — apology and new appointment (TT01/2018) / request to extend (TT03/2025)."""

    code: str
    agency: Agency
    applicant_name: str
    address: str
    procedure_name: str
    procedure_code: str
    received_at: datetime
    original_due: datetime
    new_due: datetime
    new_half_day: str  # "sáng" / "chiều"
    reason: str
    issued_at: datetime
    signer: Signer = Signer()
    doc_number: str = ""  # "Số: …"; blank leaves room to write it by hand
    recipients: tuple[str, ...] = ()  # "Nơi nhận" lines after "Như trên"


@dataclass(frozen=True)
class StopData:
    """Mẫu 05 (TT03/2025 only) — Thông báo dừng giải quyết hồ sơ."""

    code: str
    agency: Agency
    applicant_name: str
    address: str
    procedure_name: str
    procedure_code: str
    received_at: datetime
    reason: str
    issued_at: datetime
    requested_at: datetime | None = None  # when the applicant asked to stop, if they did
    refund_text: str = ""  # e.g. "Hoàn trả phí, lệ phí đã nộp: 15.000 đồng."
    signer: Signer = Signer()
    doc_number: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class ControlStep:
    """One hand-over of the dossier between two agencies (a two-row block of the slip)."""

    from_agency: str
    to_agency: str
    given_at: datetime | None = None
    received_at: datetime | None = None
    result: str = ""  # "Trước hạn" / "Đúng hạn" / "Quá hạn" or ""
    note: str = ""
    giver_name: str = ""
    receiver_name: str = ""


@dataclass(frozen=True)
class ControlData:
    """Mẫu 06 (TT03/2025) / Mẫu 05 (TT01/2018) — Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    code: str
    agency: Agency
    applicant_name: str
    procedure_name: str
    received_at: datetime
    due_at: datetime
    handling_agency: str
    steps: tuple[ControlStep, ...]
    coordinating_agencies: str = ""
    blank_steps: int = 0  # extra empty blocks to fill by hand


@dataclass(frozen=True)
class RegisterRow:
    """One dossier line of the register (Sổ theo dõi hồ sơ)."""

    code: str
    procedure_name: str
    sets: int
    applicant_name: str
    address_phone: str
    handling_agency: str
    received_at: datetime
    due_at: datetime
    transferred_at: datetime | None = None
    result_at: datetime | None = None
    returned_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class RegisterData:
    """Mẫu 07 (TT03/2025) / Mẫu 06 (TT01/2018) — Sổ theo dõi hồ sơ for a period."""

    agency: Agency
    period_from: date
    period_to: date
    rows: tuple[RegisterRow, ...]
    book: str = ""  # "Quyển số"
