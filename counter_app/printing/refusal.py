"""Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ: who, what, and the concrete reason."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from counter_app.printing.blocks import (
    applicant_lines,
    code_lines,
    form_head,
    procedure_line,
    unit_header,
    unit_phrase,
)
from counter_app.printing.formatting import markup, one_line, place_date
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import (
    Paper,
    SignatureColumn,
    copies_story,
    page_number_footer,
    render,
    signatures,
    styles,
)
from counter_app.printing.model import RefusalData


def _story(data: RefusalData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    width = paper.frame_width
    story = form_head(
        "refusal",
        fset,
        st,
        width,
        left_lines=unit_header(data.agency),
        date_line=place_date(data.agency.place, data.issued_at.date()),
    )
    story += code_lines(data.code, paper.key, st)
    story += applicant_lines(
        st,
        lead="Tiếp nhận hồ sơ của Ông/Bà:",
        name=data.applicant_name,
        address=data.address,
        phone=data.phone,
        email=data.email,
    )
    story.append(procedure_line(st, data.procedure_name, data.procedure_code))
    story.append(
        Paragraph(
            f"Qua xem xét, {unit_phrase(data.agency)} thông báo không tiếp nhận, giải quyết hồ sơ này "
            "với lý do cụ thể như sau:",
            st.body_justify,
        )
    )
    story.append(Paragraph(markup(data.reason) or "…………", st.body_justify))
    story.append(Paragraph("Xin thông báo để Ông/Bà được biết và thực hiện./.", st.body))
    story.append(
        signatures(
            [SignatureColumn("NGƯỜI TIẾP NHẬN HỒ SƠ", name=data.officer_name)],
            st=st,
            width=width,
            space=st.size * 3.6,
        )
    )
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
