"""Signs that a chip-card QR lost letters between the scanner and the counter.

A keyboard-wedge scanner types the QR through the PC's keyboard layout, and many cannot type
Vietnamese letters: ă, ô, ơ, ệ … go missing ("Nguyn Vn An") or lose their marks ("Nguyen Van An")
while the digits and the '|' separators arrive intact. Such a scan parses, so parsing alone cannot
tell; these checks look for what a genuine card never shows. They are deliberately about the
card's own words: every official address names its units (Xã, Phường, Huyện, Tỉnh, Thành phố,
Thôn, Ấp …), all spelled with marks, and every Vietnamese syllable has a vowel.
"""

from __future__ import annotations

import re
import unicodedata

from counter_app.domain.identity import QR_FIELD_COUNT

_VOWELS = set("aeiouy")
# Onsets of Kinh syllables (Vietnamese spelling); a name word starting otherwise is most likely an
# ethnic-minority name (Ksor, H'Bia, Rơ Mah), which may rightly carry no marks at all.
_ONSETS = sorted(
    [
        "b",
        "c",
        "ch",
        "d",
        "đ",
        "g",
        "gh",
        "gi",
        "h",
        "k",
        "kh",
        "l",
        "m",
        "n",
        "ng",
        "ngh",
        "nh",
        "p",
        "ph",
        "qu",
        "r",
        "s",
        "t",
        "th",
        "tr",
        "v",
        "x",
    ],
    key=len,
    reverse=True,
)
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_GENDERS = {"nam", "nữ"}


def _base(ch: str) -> str:
    """The letter without its marks (ệ → e, đ → d), lower case."""
    if ch in "đĐ":
        return "d"
    return unicodedata.normalize("NFD", ch)[0].lower()


def _has_vowel(word: str) -> bool:
    return any(_base(ch) in _VOWELS for ch in word)


def _has_marks(text: str) -> bool:
    return any(not ch.isascii() and ch.isalpha() for ch in text)


def _kinh_shaped(word: str) -> bool:
    """Spelt like a Kinh syllable: a Kinh onset, then a vowel. Ê Đê and Jrai names (Y Moan, H'Bia,
    Ksor) often are not, and a name with such a word is not judged by its marks."""
    lower = word.lower()
    if "'" in lower or len(lower) < 2 or not _has_vowel(lower):
        return False
    onset = next((o for o in _ONSETS if lower.startswith(o)), "")
    return _base(lower[len(onset)]) in _VOWELS if len(lower) > len(onset) else False


def qr_damage(text: str) -> str | None:
    """Why this QR text looks damaged in transit (a Vietnamese sentence), or None when it looks whole.

    Call it on text that already looks like a CCCD QR; it never raises.
    """
    body = unicodedata.normalize("NFC", text).strip().strip("\ufeff\x00").strip()
    fields = [part.strip() for part in body.split("|")]
    if len(fields) < QR_FIELD_COUNT:
        return f"mã QR chỉ có {len(fields)} trong {QR_FIELD_COUNT} trường thông tin"
    name, gender, address = fields[2], fields[4], fields[5]
    for label, value in (("họ tên", name), ("địa chỉ", address)):
        if "\ufffd" in value or "?" in value:
            return f"{label} «{value}» có ký tự không đọc được"
    name_words = _WORD.findall(name)
    broken = [w for w in name_words if not _has_vowel(w)]
    if broken:
        return f"họ tên «{name}» có chữ mất nguyên âm («{broken[0]}»)"
    if gender.casefold() not in _GENDERS:
        return f"giới tính «{gender}» không phải «Nam» hay «Nữ»"
    if address:
        address_words = [w for w in _WORD.findall(address) if len(w) > 1 and not w.isupper()]
        broken = [w for w in address_words if not _has_vowel(w)]
        if broken:
            return f"địa chỉ «{address}» có chữ mất nguyên âm («{broken[0]}»)"
        if not _has_marks(address):
            return f"địa chỉ «{address}» không có dấu tiếng Việt"
        if name_words and not _has_marks(name) and all(_kinh_shaped(w) for w in name_words):
            return f"họ tên «{name}» không có dấu trong khi địa chỉ có dấu"
    return None
