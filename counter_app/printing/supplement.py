"""Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: the whole list of what is missing, given once.

Wording follows the TT 01/2018 form as implemented by provincial one-stop software (see
docs/printing.md); the guiding officer signs as "NGƯỜI HƯỚNG DẪN".
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from counter_app.printing.blocks import officer_signature, slip_opening
from counter_app.printing.formatting import markup, one_line, value
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import Paper, copies_story, page_number_footer, render, styles
from counter_app.printing.model import SupplementData


def _story(data: SupplementData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    story = slip_opening("supplement", data, paper, fset, st)
    story.append(Paragraph("Yêu cầu Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", st.body))
    items = data.items or ("…………",)
    for i, item in enumerate(items, start=1):
        story.append(Paragraph(markup(item), st.numbered, bulletText=f"{i}."))
    if one_line(data.reason):
        story.append(Paragraph(f"Lý do: {markup(data.reason)}", st.body_justify))
    phone = one_line(data.officer_phone) or one_line(data.agency.phone)
    story.append(
        Paragraph(
            "Trong quá trình bổ sung, hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
            f"công chức {value(data.officer_name)}, số điện thoại {value(phone)} để được hướng dẫn./.",
            st.body_justify,
        )
    )
    story.append(officer_signature("NGƯỜI HƯỚNG DẪN", data.officer_name, st, paper.frame_width))
    return story


def build(data: SupplementData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    label = f"Phiếu yêu cầu bổ sung — {one_line(data.applicant_name)}"
    return render(
        copies_story(lambda _: _story(data, paper, fset), copies, label),
        paper,
        title="Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        author=one_line(data.agency.name),
        footer=page_number_footer(paper),
    )
