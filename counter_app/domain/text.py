"""Vietnamese text folding, so "dang ky khai sinh" finds "Đăng ký khai sinh".

SQLite's unicode61 tokenizer strips most diacritics but not đ/Đ (no decomposition), so both the
indexed text and the query are folded here, in one place.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_DD = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    """NFC with collapsed white space: the form every stored name takes."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower case, no diacritics, đ→d, single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_DD))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.lower().translate(_DD)).strip()


_WORD = re.compile(r"[0-9a-z]+")


def fold_words(text: str) -> list[str]:
    """Folded alphanumeric words: the tokens a search query is made of."""
    return _WORD.findall(fold(text))
