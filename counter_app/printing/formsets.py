"""Form sets as versioned data: which circular, which number and title each form carries.

A dossier keeps the rules it was received under, so reprinting an old dossier passes its form set.
TT 03/2025/TT-VPCP (Phụ lục I, guiding NĐ 118/2025/NĐ-CP) has seven forms; TT 01/2018/TT-VPCP
(guiding NĐ 61/2018/NĐ-CP) had six and no "stop" notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from counter_app.printing.errors import PrintRequestError


@dataclass(frozen=True)
class FormSpec:
    number: str  # "01"
    title: str  # upper case, as printed


@dataclass(frozen=True)
class FormSet:
    key: str
    circular: str  # as cited on paper, e.g. "Thông tư số 03/2025/TT-VPCP"
    forms: Mapping[str, FormSpec]

    def spec(self, form: str) -> FormSpec:
        """The number and title of ``form``; ValidationError when this set has no such form."""
        try:
            return self.forms[form]
        except KeyError:
            raise PrintRequestError(
                f"Bộ biểu mẫu theo {self.circular} không có mẫu «{form}».",
                code="form_not_in_set",
                field="form",
            ) from None


_COMMON = {
    "receipt": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "control": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "register": "SỔ THEO DÕI HỒ SƠ",
}

TT03_2025 = FormSet(
    key="tt03_2025",
    circular="Thông tư số 03/2025/TT-VPCP",
    forms=MappingProxyType(
        {
            "receipt": FormSpec("01", _COMMON["receipt"]),
            "supplement": FormSpec("02", _COMMON["supplement"]),
            "refusal": FormSpec("03", _COMMON["refusal"]),
            "apology": FormSpec("04", "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT"),
            "stop": FormSpec("05", "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"),
            "control": FormSpec("06", _COMMON["control"]),
            "register": FormSpec("07", _COMMON["register"]),
        }
    ),
)

TT01_2018 = FormSet(
    key="tt01_2018",
    circular="Thông tư số 01/2018/TT-VPCP",
    forms=MappingProxyType(
        {
            "receipt": FormSpec("01", _COMMON["receipt"]),
            "supplement": FormSpec("02", _COMMON["supplement"]),
            "refusal": FormSpec("03", _COMMON["refusal"]),
            "apology": FormSpec("04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
            "control": FormSpec("05", _COMMON["control"]),
            "register": FormSpec("06", _COMMON["register"]),
        }
    ),
)

FORM_SETS: Mapping[str, FormSet] = MappingProxyType({s.key: s for s in (TT03_2025, TT01_2018)})
DEFAULT_FORM_SET = TT03_2025.key


def lookup_form_set(key: str) -> FormSet:
    """Look a form set up by key ("tt03_2025", "tt01_2018")."""
    try:
        return FORM_SETS[key]
    except KeyError:
        known = ", ".join(FORM_SETS)
        raise PrintRequestError(
            f"Bộ biểu mẫu «{key}» không có; dùng một trong: {known}.",
            code="unknown_form_set",
            field="form_set",
        ) from None
