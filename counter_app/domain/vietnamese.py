"""How numbers, money and dates read on the counter's screen: dd/MM/yyyy, dot thousands, đồng."""

from __future__ import annotations

import re
from datetime import date, datetime

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


def number(value: int) -> str:
    """1234567 -> "1.234.567"."""
    return f"{value:,}".replace(",", ".")


def money(amount: int) -> str:
    return f"{number(amount)} đồng"


def day(value: date | None) -> str:
    return "—" if value is None else f"{value:%d/%m/%Y}"


def moment(value: datetime | None) -> str:
    """ "16:30 ngày 19/11/2026"."""
    return "—" if value is None else f"{value:%H:%M} ngày {value:%d/%m/%Y}"


def weekday_day(value: date) -> str:
    """ "Thứ Năm, 19/11/2026"."""
    return f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"


def duration(minutes: int, minutes_per_day: int) -> str:
    """Working time as an officer says it: "2 ngày 3 giờ 15 phút" (of working time)."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    days, rest = divmod(minutes, minutes_per_day)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} ngày")
    if hours:
        parts.append(f"{hours} giờ")
    if mins or not parts:
        parts.append(f"{mins} phút")
    return sign + " ".join(parts)


_DAY_SEPARATORS = re.compile(r"\s*[/.\-]\s*|\s+")


def parse_day(text: str) -> date:
    """A date as officers type it: 23/05/2002, 23-5-2002, 23.05.2002, or the eight digits 23052002
    (as on the card). A two-digit year is refused: 02 could be 1902 or 2002."""
    raw = text.strip()
    eight_digits = raw.isdigit() and len(raw) == 8
    parts = [raw[:2], raw[2:4], raw[4:]] if eight_digits else _DAY_SEPARATORS.split(raw)
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts) or len(parts[2]) != 4:
        raise ValueError(
            f"«{text.strip()}» không phải ngày dạng ngày/tháng/năm (ví dụ 23/05/2002 hoặc 23052002)."
        )
    try:
        return date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise ValueError(f"Ngày {text.strip()} không có thật trên lịch.") from None
