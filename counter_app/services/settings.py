"""Counter settings an admin may change, each validated; calendar-shaping ones move due dates."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from counter_app.devices.serial_scanner import DEFAULT_BAUD
from counter_app.domain.calendar import WorkingHours
from counter_app.domain.codes import check_agency_code, check_slot
from counter_app.domain.deadlines import PauseMode
from counter_app.domain.errors import ValidationError
from counter_app.domain.lifecycle import Action
from counter_app.domain.text import nfc
from counter_app.services import changes
from counter_app.services.calendar import RecomputeResult, recompute_due_dates
from counter_app.services.changes import reports
from counter_app.services.context import Counter
from counter_app.services.officers import require
from counter_app.store.database import put_setting


def _weekend(value: str) -> str:
    try:
        days = sorted({int(x) for x in value.replace(" ", "").split(",") if x})
    except ValueError:
        days = [-1]
    if not days or any(not 0 <= d <= 6 for d in days) or len(days) > 3:
        raise ValidationError(
            "Ngày nghỉ hằng tuần ghi bằng số 0–6 (0 = thứ Hai), ví dụ «5,6».", field="weekend"
        )
    return ",".join(map(str, days))


def _pause_mode(value: str) -> str:
    try:
        return PauseMode(value).value
    except ValueError:
        raise ValidationError(
            "Cách tính khi chờ bổ sung: «pause_resume» hoặc «restart».", field="pause_mode"
        ) from None


def _text(limit: int) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = nfc(value)
        if not value or len(value) > limit:
            raise ValidationError(f"Giá trị phải có từ 1 đến {limit} ký tự.")
        return value

    return check


@dataclass(frozen=True)
class Setting:
    label: str
    check: Callable[[str], str]
    moves_due_dates: bool = False
    may_be_empty: bool = False  # an empty value is a choice (e.g. "no COM-port scanner"), not a blank field


def _choice(*allowed: str) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip().lower()
        if value not in allowed:
            raise ValidationError(f"Chọn một trong: {', '.join(allowed)}.")
        return value

    return check


def _positive(value: str, limit: int) -> int:
    """ASCII digits only: str.isdigit() also passes "²" (int() then raises ValueError, not a
    message) and int() reads other scripts' digits ("١٢"); the length cap keeps int() in range."""
    text = value.strip()
    if not re.fullmatch(r"[0-9]{1,12}", text) or not 1 <= int(text) <= limit:
        raise ValidationError(f"Nhập một số từ 1 đến {limit} (chữ số 0–9).")
    return int(text)


def _url(value: str) -> str:
    value = value.strip().rstrip("/")
    if not value.startswith(("https://", "http://")) or " " in value or len(value) > 200:
        raise ValidationError(
            "Địa chỉ tra cứu phải bắt đầu bằng https:// (ví dụ https://motcua.example.gov.vn/s)."
        )
    return value


BAUD_RATES = (1200, 2400, 4800, 9600, 14400, 19200, 38400, 57600, 115200)


def _scanner_port(value: str) -> str:
    """COM3 on Windows, /dev/ttyACM0 on Linux; empty: the scanner types like a keyboard."""
    value = value.strip()
    if not value:
        return ""
    if len(value) > 200 or not value.isprintable():
        raise ValidationError(
            "Cổng COM của máy quét ghi như «COM3» (Windows) hoặc «/dev/ttyACM0» (Linux); "
            "để trống nếu máy quét gõ như bàn phím.",
            field="scanner_port",
        )
    return value.upper() if re.fullmatch(r"com[0-9]{1,3}", value, re.IGNORECASE) else value


def _baud(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[0-9]{1,7}", value) or int(value) not in BAUD_RATES:
        raise ValidationError(
            f"Tốc độ cổng COM (baud) phải là một trong: {', '.join(map(str, BAUD_RATES))}. "
            f"Máy quét thường dùng {DEFAULT_BAUD} (xem sách hướng dẫn của máy quét).",
            field="scanner_baud",
        )
    return str(int(value))


SETTINGS: dict[str, Setting] = {
    "agency_code": Setting("Mã định danh cơ quan", check_agency_code),
    "parent_name": Setting("Cơ quan cấp trên (dòng đầu tiêu đề)", _text(200)),
    "agency_name": Setting("Tên cơ quan (UBND xã/phường)", _text(200)),
    "unit_name": Setting("Tên bộ phận", _text(200)),
    "place": Setting("Địa danh ghi ngày tháng (ví dụ: Thanh Sơn)", _text(80)),
    "counter_phone": Setting("Điện thoại bộ phận một cửa", _text(40)),
    "hotline": Setting("Đường dây nóng tiếp nhận phản ánh", _text(80)),
    "leader_title": Setting("Chức danh người ký văn bản (Mẫu 04, 05)", _text(80)),
    "leader_name": Setting("Họ tên người ký văn bản", _text(80)),
    "receipt_paper": Setting("Khổ giấy hẹn (a5, a4, 80mm)", _choice("a5", "a4", "80mm")),
    "forms_paper": Setting("Khổ các phiếu khác (a5, a4)", _choice("a5", "a4")),
    "receipt_copies": Setting("Số liên giấy hẹn (1, 2)", _choice("1", "2")),
    "receipt_printer": Setting("Máy in giấy hẹn (để trống: máy in mặc định)", _text(120)),
    "forms_printer": Setting("Máy in các phiếu khác", _text(120)),
    "scanner_port": Setting(
        "Cổng COM máy quét QR (ví dụ COM3; để trống: kiểu bàn phím)",
        _scanner_port,
        may_be_empty=True,
    ),
    "scanner_baud": Setting("Tốc độ cổng COM của máy quét (baud, thường 9600)", _baud),
    "backup_dir": Setting("Thư mục sao lưu hằng ngày (ví dụ ổ USB)", _text(260)),
    "backup_keep": Setting("Số bản sao lưu giữ lại", lambda v: str(_positive(v, 365))),
    "report_cutoff_day": Setting(
        "Ngày chốt số liệu báo cáo (1–28; 15 = từ ngày 15 tháng trước)", lambda v: str(_positive(v, 28))
    ),
    "report_fold": Setting(
        "Cách gộp số liệu trên biểu (separate, thanh_hoa)", _choice("separate", "thanh_hoa")
    ),
    "report_recipient": Setting("Đơn vị nhận báo cáo", _text(200)),
    "scanner_folder": Setting("Thư mục máy quét lưu bản quét", _text(260)),
    "keep_originals": Setting("Giữ bản gốc ảnh quét khi số hóa (0, 1)", _choice("0", "1")),
    "upload_kbps": Setting(
        "Giới hạn băng thông gửi tệp số hóa (kbit/s, 0 = không giới hạn)",
        lambda v: str(_positive(v, 1_000_000)) if v.strip() != "0" else "0",
    ),
    "status_base_url": Setting("Địa chỉ tra cứu hồ sơ in trên mã QR", _url),
    "slot": Setting(
        "Số hiệu máy trong xã (0–9)",
        lambda v: str(check_slot(int(v) if re.fullmatch(r"[0-9]{1,2}", v.strip()) else -1)),
    ),
    "working_hours": Setting("Giờ làm việc", lambda v: str(WorkingHours.parse(v)), moves_due_dates=True),
    "weekend": Setting("Ngày nghỉ hằng tuần", _weekend, moves_due_dates=True),
    "pause_mode": Setting("Cách tính thời hạn khi chờ bổ sung", _pause_mode, moves_due_dates=True),
}


DEFAULTS: dict[str, str] = {
    "unit_name": "Bộ phận tiếp nhận và trả kết quả",
    "receipt_paper": "a5",
    "forms_paper": "a5",
    "receipt_copies": "1",
    "leader_title": "Chủ tịch",
    "backup_keep": "14",
    "report_cutoff_day": "15",
    "report_fold": "separate",
    "keep_originals": "0",
    "working_hours": str(WorkingHours()),
    "weekend": "5,6",
    "pause_mode": PauseMode.PAUSE_RESUME.value,
    "slot": "0",
    "scanner_baud": str(DEFAULT_BAUD),
}


def current(counter: Counter) -> dict[str, str | None]:
    return {key: counter.store.get_setting(key) for key in SETTINGS}


def scanner_config_from(values: Mapping[str, str | None]) -> tuple[str, int] | None:
    """(port, baud) of the COM-port QR scanner in settings values, or None for a keyboard-wedge one."""
    port = (values.get("scanner_port") or "").strip()
    if not port:
        return None
    try:
        baud = int(_baud(values.get("scanner_baud") or ""))
    except ValidationError:  # never stored through change(); an old or hand-edited value falls back
        baud = DEFAULT_BAUD
    return port, baud


def scanner_config(counter: Counter) -> tuple[str, int] | None:
    """The configured COM-port scanner (run on the worker: it reads the database)."""
    return scanner_config_from(
        {key: counter.store.get_setting(key) for key in ("scanner_port", "scanner_baud")}
    )


@reports(changes.SETTINGS)
def change(counter: Counter, key: str, value: str, officer: str) -> RecomputeResult | None:
    """Validate and store one setting; returns the due-date recompute when the calendar changed."""
    require(counter, officer, Action.CANCEL)  # admin and leader
    if key not in SETTINGS:
        raise ValidationError(
            f"Không có thiết lập «{key}». Các thiết lập: {', '.join(SETTINGS)}.", field="key"
        )
    clean = SETTINGS[key].check(value)
    with counter.store.atomic() as conn:
        put_setting(conn, key, clean)
        counter.audit(
            conn,
            officer=officer,
            action="settings.set",
            subject=key,
            detail={"value": clean},
        )
    if SETTINGS[key].moves_due_dates:
        counter.reload_calendar()
        return recompute_due_dates(counter, officer)
    return None
