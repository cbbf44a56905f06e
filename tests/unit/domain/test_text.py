from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.text import fold, fold_words, nfc


def test_fold_removes_diacritics_and_d_stroke() -> None:
    assert fold("Đăng ký khai sinh") == "dang ky khai sinh"
    assert fold("  CHỨNG   THỰC bản sao ") == "chung thuc ban sao"
    assert fold("Nguyễn Thị Ánh Tuyết") == "nguyen thi anh tuyet"
    assert fold("đĐ") == "dd"


def test_fold_is_the_same_for_nfc_and_nfd_input() -> None:
    text = "Hoàng Đức Thắng, xã Ẳm Thượng"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


def test_nfc_collapses_spaces_and_composes() -> None:
    assert nfc(unicodedata.normalize("NFD", " Lê  Văn\tLương ")) == "Lê Văn Lương"


def test_fold_words_splits_punctuation() -> None:
    assert fold_words("Cấp bản sao Trích lục (hộ tịch), 2.000635") == [
        "cap", "ban", "sao", "trich", "luc", "ho", "tich", "2", "000635",
    ]  # fmt: skip


@given(st.text())
def test_fold_output_is_ascii_lowercase_for_vietnamese_letters(text: str) -> None:
    out = fold(text)
    assert fold(out) == out
