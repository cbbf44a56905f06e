"""Mẫu 05 of TT 03/2025 — Thông báo dừng giải quyết hồ sơ (no such form in TT 01/2018).

Issued by the agency after considering a request to stop (or another lawful reason); it states
the dossier, the reason and, where fees are refunded, how. Body wording is inferred (docs/printing.md).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from counter_app.printing.blocks import letter_ending, letter_opening
from counter_app.printing.formatting import escape_line, markup, one_line, short_date
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import Paper, copies_story, page_number_footer, render, styles
from counter_app.printing.model import StopData


def _story(data: StopData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    agency = escape_line(data.agency.name)
    story = letter_opening("stop", data, paper, fset, st)
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
    story += letter_ending(data, st, paper.frame_width)
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
