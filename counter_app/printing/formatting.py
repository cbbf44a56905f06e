"""How values read on Vietnamese paper: NFC text, dates, times, money, the short dossier code.

Everything drawn passes through :func:`clean` first: decomposed input (NFD from some keyboards
and scanners) would otherwise put the accents in the wrong place and break text extraction.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from xml.sax.saxutils import escape

from counter_app.domain.text import nfc

BLANK = "…………"  # room to write by hand when a value is unknown
_HSPACE = re.compile(r"[ \t\f\v\u00a0]+")


def clean(text: str) -> str:
    """NFC, runs of spaces collapsed, line breaks kept (reasons may have several lines)."""
    lines = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_HSPACE.sub(" ", line).strip() for line in lines).strip()


def one_line(text: str) -> str:
    """NFC on a single line: names, codes, addresses."""
    return nfc(text)


def markup(text: str) -> str:
    """Clean user text made safe for a reportlab Paragraph (escaped, line breaks as <br/>)."""
    return escape(clean(text)).replace("\n", "<br/>")


def escape_line(text: str) -> str:
    """One-line text made safe for a Paragraph."""
    return escape(one_line(text))


def value(text: str) -> str:
    """Escaped one-line value, or the handwriting blank when empty."""
    cleaned = one_line(text)
    return escape(cleaned) if cleaned else BLANK


def at_time(moment: datetime) -> str:
    """ "09 giờ 00 phút, ngày 16/11/2026"."""
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def long_date(day: date) -> str:
    """ "ngày 16 tháng 11 năm 2026"."""
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"


def short_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def place_date(place: str, day: date) -> str:
    """ "Thanh Sơn, ngày 16 tháng 11 năm 2026" (the place may be empty)."""
    where = one_line(place)
    return f"{where}, {long_date(day)}" if where else long_date(day).capitalize()


def due_text(moment: datetime, half_day: str) -> str:
    """ "16 giờ 30 phút (buổi chiều), ngày 19/11/2026"."""
    half = one_line(half_day)
    when = f"{moment:%H} giờ {moment:%M} phút"
    if half:
        when += f" (buổi {half})"
    return f"{when}, ngày {moment:%d/%m/%Y}"


BLANK_TIME = "…… giờ …… phút, ngày …… tháng …… năm ……"


def money(amount: int) -> str:
    """ "15.000 đồng"; zero reads as "Không thu"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if amount == 0:
        return "Không thu"
    return f"{amount:,}".replace(",", ".") + " đồng"


def count(n: int) -> str:
    """Counts on forms are written with two digits: "01"."""
    return f"{n:02d}"


_CODE_TAIL = re.compile(r"-(\d{6}-\d{4})$")


def short_code(code: str) -> str:
    """The part of a dossier code an officer can type: "241123-0001" of "000.00.21.H40-241123-0001"."""
    match = _CODE_TAIL.search(code.strip())
    return match.group(1) if match else code.strip()
