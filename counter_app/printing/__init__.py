"""Printing core: reportlab builds each one-stop form as PDF bytes from plain data (no Qt, no SQL).

from counter_app.printing import build_pdf, ReceiptData
pdf = build_pdf("receipt", data, paper="a5", form_set="tt03_2025", copies=2)
"""

from __future__ import annotations

from counter_app.printing.errors import PrintRequestError
from counter_app.printing.forms import FORMS, PAPER_CHOICES, build_pdf
from counter_app.printing.formsets import DEFAULT_FORM_SET, FORM_SETS
from counter_app.printing.model import (
    Agency,
    ApologyData,
    ControlData,
    ControlStep,
    DocumentItem,
    ReceiptData,
    RefusalData,
    RegisterData,
    RegisterRow,
    Signer,
    StopData,
    SupplementData,
)

__all__ = [
    "DEFAULT_FORM_SET",
    "FORMS",
    "FORM_SETS",
    "PAPER_CHOICES",
    "Agency",
    "ApologyData",
    "ControlData",
    "ControlStep",
    "DocumentItem",
    "PrintRequestError",
    "ReceiptData",
    "RefusalData",
    "RegisterData",
    "RegisterRow",
    "Signer",
    "StopData",
    "SupplementData",
    "build_pdf",
]
