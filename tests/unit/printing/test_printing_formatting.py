"""How values read on paper: Vietnamese dates and money, the short code, NFC, plain-cell wrapping."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from counter_app.printing import fonts
from counter_app.printing.formatting import (
    at_time,
    clean,
    due_text,
    long_date,
    markup,
    money,
    place_date,
    short_code,
)
from counter_app.printing.layout import wrap_text


def test_dates_read_the_vietnamese_way() -> None:
    moment = datetime(2026, 11, 16, 9, 0)
    assert at_time(moment) == "09 giờ 00 phút, ngày 16/11/2026"
    assert long_date(moment.date()) == "ngày 16 tháng 11 năm 2026"
    assert place_date("Thanh Sơn", date(2026, 3, 5)) == "Thanh Sơn, ngày 05 tháng 03 năm 2026"
    assert place_date("", date(2026, 3, 5)) == "Ngày 05 tháng 03 năm 2026"
    assert due_text(datetime(2026, 11, 19, 16, 30), "chiều") == "16 giờ 30 phút (buổi chiều), ngày 19/11/2026"


@pytest.mark.parametrize(
    ("amount", "text"),
    [(15000, "15.000 đồng"), (1_250_000, "1.250.000 đồng"), (500, "500 đồng"), (0, "Không thu")],
)
def test_money_uses_dots_for_thousands(amount: int, text: str) -> None:
    assert money(amount) == text


def test_negative_money_is_a_bug() -> None:
    with pytest.raises(ValueError):
        money(-1)


def test_short_code_is_the_date_and_sequence() -> None:
    assert short_code("000.00.21.H40-241123-0001") == "241123-0001"
    assert short_code("ABC") == "ABC"


def test_text_is_nfc_escaped_and_keeps_line_breaks() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị\r\nHồng <Nhung> & co")
    assert clean(decomposed) == "Nguyễn Thị\nHồng <Nhung> & co"
    assert markup(decomposed) == "Nguyễn Thị<br/>Hồng &lt;Nhung&gt; &amp; co"


def test_wrap_text_never_exceeds_the_cell() -> None:
    text = "Địa chỉ rất dài " * 12 + "https://dichvucong.example.gov.vn/tra-cuu-ho-so-theo-ma-dinh-danh"
    width = 80.0
    lines = wrap_text(text, fonts.REGULAR, 8, width).split("\n")
    assert len(lines) > 5
    assert all(fonts.width(line, fonts.REGULAR, 8) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == clean(text).replace(" ", "")
