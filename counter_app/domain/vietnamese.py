"""How numbers, money and dates read on the counter's screen: dd/MM/yyyy, dot thousands, đồng."""

from __future__ import annotations

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
