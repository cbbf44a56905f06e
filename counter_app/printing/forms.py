"""The one entry point: ``build_pdf(form, data, paper=, form_set=, copies=)`` → PDF bytes."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from counter_app.printing import (
    apology,
    control_slip,
    period_report,
    receipt,
    receipt_roll,
    refusal,
    register,
    stop,
    supplement,
)
from counter_app.printing.errors import PrintRequestError
from counter_app.printing.formsets import DEFAULT_FORM_SET, FormSet, lookup_form_set
from counter_app.printing.layout import PAPERS, Paper
from counter_app.printing.model import (
    ApologyData,
    ControlData,
    ReceiptData,
    RefusalData,
    RegisterData,
    StopData,
    SupplementData,
)

FORMS = ("receipt", "supplement", "refusal", "apology", "stop", "control", "register")
PAPER_CHOICES = ("a4", "a5", "80mm")

_DATA: dict[str, type] = {
    "receipt": ReceiptData,
    "supplement": SupplementData,
    "refusal": RefusalData,
    "apology": ApologyData,
    "stop": StopData,
    "control": ControlData,
    "register": RegisterData,
}

_NAMES = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "apology": "Văn bản xin lỗi",
    "stop": "Thông báo dừng giải quyết hồ sơ",
    "control": "Phiếu kiểm soát quá trình giải quyết hồ sơ",
    "register": "Sổ theo dõi hồ sơ",
}

_LETTERS: dict[str, Callable[[Any, Paper, FormSet, int], bytes]] = {
    "supplement": supplement.build,
    "refusal": refusal.build,
    "apology": apology.build,
    "stop": stop.build,
    "control": control_slip.build,
}


def _check(form: str, data: object, paper: str, copies: int) -> None:
    if form not in _DATA:
        raise PrintRequestError(
            f"Không có mẫu in «{form}»; các mẫu: {', '.join(FORMS)}.", code="unknown_form", field="form"
        )
    if paper not in PAPER_CHOICES:
        raise PrintRequestError(
            f"Khổ giấy «{paper}» không hỗ trợ; chọn a4, a5 hoặc 80mm.", code="unknown_paper", field="paper"
        )
    if paper == "80mm" and form != "receipt":
        raise PrintRequestError(
            f"Giấy cuộn 80 mm chỉ dùng cho Giấy tiếp nhận hồ sơ và hẹn trả kết quả, không in «{_NAMES[form]}».",
            code="paper_not_for_form",
            field="paper",
        )
    if not isinstance(data, _DATA[form]):
        raise PrintRequestError(
            f"Dữ liệu in «{_NAMES[form]}» phải là {_DATA[form].__name__}, không phải {type(data).__name__}.",
            code="wrong_print_data",
            field="data",
        )
    if copies not in (1, 2):
        raise PrintRequestError("Số liên in phải là 1 hoặc 2.", code="bad_copies", field="copies")


def build_pdf(
    form: str, data: object, *, paper: str = "a5", form_set: str = DEFAULT_FORM_SET, copies: int = 1
) -> bytes:
    """Print ``form`` from ``data``: A5/A4 for forms 01–06, 80 mm roll for the receipt, A4 landscape register.

    ``form_set`` picks the rules the dossier was received under ("tt03_2025" or "tt01_2018"),
    which change titles and numbering. ``copies=2`` prints the receipt's two liên (kept / given);
    for other forms it prints two identical copies. Raises PrintRequestError (a ValidationError and a ValueError, Vietnamese message)
    for an unknown form, paper or form set, a form the set lacks, or data of the wrong type.
    """
    with _BUILD_LOCK:
        return _build(form, data, paper, form_set, copies)


# reportlab keeps process-wide state while laying out (font and style caches); two threads building
# at once produced different bytes now and then, so one document is built at a time (~12 ms each).
_BUILD_LOCK = threading.Lock()


def _build(form: str, data: object, paper: str, form_set: str, copies: int) -> bytes:
    if form == "report":  # Biểu 06/VPCP/KSTT is not one of a form set's dossier papers
        return period_report.build_checked(data, paper, copies)
    _check(form, data, paper, copies)
    fset = lookup_form_set(form_set)
    fset.spec(form)  # the set must have this form (TT 01/2018 has no "stop" notice)
    if form == "receipt":
        if paper == "80mm":
            return receipt_roll.build(data, PAPERS["80mm"], fset, copies)  # type: ignore[arg-type]
        return receipt.build(data, PAPERS[paper], fset, copies)  # type: ignore[arg-type]
    if form == "register":
        return register.build(data, PAPERS["a4_landscape"], fset, copies)  # type: ignore[arg-type]
    return _LETTERS[form](data, PAPERS[paper], fset, copies)
