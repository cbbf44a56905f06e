"""Dossier codes printed on the receipt: ``<agency code>-<yymmdd>-<4-digit sequence>``.

Thông tư 01/2018/TT-VPCP Điều 19 fixes the shape (V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX, XXXX the
day's sequence of the receiving unit). Several counters of one commune share the agency code and
work offline, so the first digit of XXXX is the counter's *slot* (0–9, assigned at enrollment; a
stand-alone counter is slot 0) and the other three digits are that counter's own sequence for the
day (001–999). Two counters therefore never hand out the same code, with no coordination, and a
lone counter's codes read exactly like the circular's example (…-0001).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from counter_app.domain.errors import ValidationError

AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2}$")
CODE_RE = re.compile(
    r"^(?P<agency>[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[A-Z][0-9A-Z]{2})-(?P<day>\d{6})-(?P<seq>\d{4})$"
)
MAX_PER_SLOT = 999


def check_agency_code(code: str) -> str:
    """Normalise and validate a unit's identifier (mã định danh, QCVN 102:2016/BTTTT shape)."""
    value = code.strip().upper()
    if not AGENCY_CODE_RE.match(value):
        raise ValidationError(
            f"Mã cơ quan «{code}» không đúng dạng V1V2V3.Z1Z2.Y1Y2.MX1X2 (ví dụ 000.00.21.H40).",
            field="agency_code",
        )
    return value


def check_slot(slot: int) -> int:
    if not 0 <= slot <= 9:
        raise ValidationError(f"Số hiệu máy {slot} không hợp lệ: phải từ 0 đến 9.", field="slot")
    return slot


def format_code(agency: str, day: date, slot: int, number: int) -> str:
    """The printed code for the ``number``-th dossier of ``day`` on counter ``slot``."""
    if not 1 <= number <= MAX_PER_SLOT:
        raise ValidationError(
            f"Máy số {slot} đã dùng hết {MAX_PER_SLOT} số thứ tự hồ sơ của ngày {day:%d/%m/%Y}.",
            code="sequence_exhausted",
        )
    return f"{agency}-{day:%y%m%d}-{check_slot(slot)}{number:03d}"


@dataclass(frozen=True)
class ParsedCode:
    agency: str
    day: date
    slot: int
    number: int


def parse_code(text: str) -> ParsedCode | None:
    """Recognise a scanned or typed dossier code; None when the text is not one."""
    match = CODE_RE.match(text.strip().upper())
    if not match:
        return None
    raw = match["day"]
    try:
        day = date(2000 + int(raw[:2]), int(raw[2:4]), int(raw[4:]))
    except ValueError:
        return None
    seq = match["seq"]
    return ParsedCode(match["agency"], day, int(seq[0]), int(seq[1:]))
