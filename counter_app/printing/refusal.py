"""Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ: who, what, and the concrete reason."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from counter_app.printing.blocks import officer_signature, slip_opening, unit_phrase
from counter_app.printing.formatting import markup, one_line
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import Paper, copies_story, page_number_footer, render, styles
from counter_app.printing.model import RefusalData


def _story(data: RefusalData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    story = slip_opening("refusal", data, paper, fset, st)
    story.append(
        Paragraph(
            f"Qua xem xét, {unit_phrase(data.agency)} thông báo không tiếp nhận, giải quyết hồ sơ này "
            "với lý do cụ thể như sau:",
            st.body_justify,
        )
    )
    story.append(Paragraph(markup(data.reason) or "…………", st.body_justify))
    story.append(Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.", st.body))
    story.append(officer_signature("NGƯỜI TIẾP NHẬN HỒ SƠ", data.officer_name, st, paper.frame_width))
    return story


def build(data: RefusalData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    label = f"Phiếu từ chối tiếp nhận — {one_line(data.applicant_name)}"
    return render(
        copies_story(lambda _: _story(data, paper, fset), copies, label),
        paper,
        title="Phiếu từ chối tiếp nhận giải quyết hồ sơ",
        author=one_line(data.agency.name),
        footer=page_number_footer(paper),
    )
