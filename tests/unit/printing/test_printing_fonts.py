"""The shipped typeface: four Tinos styles with their licence, every Vietnamese letter, always embedded."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime

import pypdf
import pytest

from counter_app.printing import Agency, DocumentItem, ReceiptData, build_pdf, fonts

VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # sắc, huyền, hỏi, ngã, nặng


def vietnamese_letters() -> str:
    """Every precomposed Vietnamese letter, lower and upper case (134 + đ/Đ + plain consonants)."""
    letters = {unicodedata.normalize("NFC", v + tone) for v in VOWELS for tone in TONES}
    letters |= set("bcdđghklmnpqrstvx")
    return "".join(sorted(letters | {ch.upper() for ch in letters}))


def test_fonts_and_licence_are_shipped() -> None:
    for filename in fonts.FILES.values():
        assert (fonts.FONT_DIR / filename).stat().st_size > 100_000
    licence = (fonts.FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Copyright 2010 Google Inc." in licence
    assert "PERMISSION & CONDITIONS" in licence


def test_internal_names_are_unique_per_style() -> None:
    assert len(set(fonts.FILES)) == 4
    assert len(set(fonts.FILES.values())) == 4
    assert all(name.startswith(fonts.FAMILY) for name in fonts.FILES)


@pytest.mark.parametrize("style", sorted(fonts.FILES))
def test_every_vietnamese_letter_has_a_glyph(style: str) -> None:
    letters = vietnamese_letters()
    assert len(letters) >= 2 * (12 * 6 + 17)
    assert fonts.missing_glyphs(letters + "…–—₫/.,:;()", style) == set()


def test_only_the_shipped_font_is_used_and_it_is_embedded() -> None:
    data = ReceiptData(
        code="000.00.21.H40-241123-0001",
        agency=Agency(parent_name="", name="UBND XÃ THANH SƠN", hotline="1900 1234"),
        applicant_name="Ưng Thị Ỷ Lạc",
        id_number="",
        address="Ấp Phước Hưng, xã Ông Đình",
        phone="",
        email="",
        procedure_name="Đăng ký khai tử",
        procedure_code="",
        documents=(DocumentItem("Giấy báo tử", 1, 0),),
        sets=1,
        processing_text="Trong ngày làm việc",
        received_at=datetime(2024, 11, 23, 14, 0),
        due_at=datetime(2024, 11, 23, 17, 0),
        half_day="chiều",
        return_channel="Qua dịch vụ bưu chính",
        fee=0,
        officer_name="Trần Văn Bình",
    )
    for paper in ("a5", "80mm"):
        reader = pypdf.PdfReader(io.BytesIO(build_pdf("receipt", data, paper=paper, copies=2)))
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                assert "Tinos" in font["/BaseFont"]
                descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                descriptor = descendant["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor  # embedded TrueType subset
