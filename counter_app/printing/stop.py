"""Mẫu 05 of TT 03/2025 — Thông báo dừng giải quyết hồ sơ (no such form in TT 01/2018).

Issued by the agency after considering a request to stop (or another lawful reason); it states
the dossier, the reason and, where fees are refunded, how. Body wording is inferred (docs/printing.md).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from counter_app.printing.blocks import (
    addressee,
    agency_header,
    code_barcode,
    doc_number,
    form_head,
    letter_close,
)
from counter_app.printing.formatting import escape_line, markup, one_line, place_date, short_date, value
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import Paper, copies_story, page_number_footer, render, styles
from counter_app.printing.model import StopData


def _story(data: StopData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    width = paper.frame_width
    agency = escape_line(data.agency.name)
    story = form_head(
        "stop",
        fset,
        st,
        width,
        left_lines=agency_header(data.agency),
        date_line=place_date(data.agency.place, data.issued_at.date()),
        number_line=doc_number(data.doc_number),
    )
    story += code_barcode(data.code, paper.key, st)
    story.append(addressee(data.applicant_name, st))
    story.append(Paragraph(f"Địa chỉ: {value(data.address)}", st.center))
    procedure = f"<b>{value(data.procedure_name)}</b>"
    if one_line(data.procedure_code):
        procedure += f" (mã thủ tục: {escape_line(data.procedure_code)})"
    story += [
        Paragraph(
            f"Ngày {short_date(data.received_at.date())}, {agency} tiếp nhận hồ sơ của Ông/Bà "
            f"đề nghị giải quyết thủ tục hành chính: {procedure}.",
            st.indent,
        ),
        Paragraph(f"Mã hồ sơ: <b>{escape_line(data.code)}</b>.", st.indent),
    ]
    if data.requested_at is not None:
        story.append(
            Paragraph(
                f"Ngày {short_date(data.requested_at.date())}, Ông/Bà có đề nghị dừng giải quyết hồ sơ nêu trên.",
                st.indent,
            )
        )
    story += [
        Paragraph(f"Lý do dừng giải quyết hồ sơ: {markup(data.reason) or '…………'}", st.indent),
        Paragraph(f"{agency} thông báo dừng giải quyết hồ sơ nêu trên.", st.indent),
    ]
    if one_line(data.refund_text):
        story.append(Paragraph(markup(data.refund_text), st.indent))
    story.append(Paragraph("Trân trọng./.", st.indent))
    story.append(letter_close(data.recipients, data.signer, st, width))
    return story


def build(data: StopData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    label = f"Mã hồ sơ {one_line(data.code)}"
    return render(
        copies_story(lambda _: _story(data, paper, fset), copies, label),
        paper,
        title=f"Thông báo dừng giải quyết hồ sơ {one_line(data.code)}",
        author=one_line(data.agency.name),
        footer=page_number_footer(paper),
    )
