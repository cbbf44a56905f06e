"""Mẫu 04 — the letter for a late dossier, signed by the head of the agency.

TT 01/2018: "Phiếu xin lỗi và hẹn lại ngày trả kết quả" (apology and a new appointment).
TT 03/2025: "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" (apology and a request to
extend the processing time). The body wording of both is reconstructed from public one-stop
software and is marked inferred in docs/printing.md.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from counter_app.printing.blocks import letter_ending, letter_opening
from counter_app.printing.formatting import (
    at_time,
    due_text,
    escape_line,
    markup,
    one_line,
)
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import Paper, copies_story, page_number_footer, render, styles
from counter_app.printing.model import ApologyData


def _story(data: ApologyData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    agency = escape_line(data.agency.name)
    story = letter_opening("apology", data, paper, fset, st)
    story += [
        Paragraph(
            f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {at_time(data.original_due)}.",
            st.indent,
        ),
        Paragraph(
            f"Đến nay, {agency} chưa trả kết quả giải quyết hồ sơ của Ông/Bà đúng thời hạn ghi trên "
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
            st.indent,
        ),
        Paragraph(f"Lý do: {markup(data.reason) or '…………'}", st.indent),
    ]
    new_due = f"<b>{due_text(data.new_due, data.new_half_day)}</b>"
    if fset.key == "tt01_2018":
        story.append(
            Paragraph(
                f"{agency} xin lỗi Ông/Bà vì sự chậm trễ này và hẹn lại thời gian trả kết quả "
                f"giải quyết hồ sơ vào: {new_due}.",
                st.indent,
            )
        )
    else:
        story.append(
            Paragraph(
                f"{agency} xin lỗi Ông/Bà vì sự chậm trễ này và đề nghị Ông/Bà đồng ý gia hạn thời gian "
                f"giải quyết hồ sơ đến: {new_due}.",
                st.indent,
            )
        )
    story += letter_ending(data, st, paper.frame_width)
    return story


def build(data: ApologyData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    label = f"Mã hồ sơ {one_line(data.code)}"
    return render(
        copies_story(lambda _: _story(data, paper, fset), copies, label),
        paper,
        title=fset.spec("apology").title.capitalize() + f" {one_line(data.code)}",
        author=one_line(data.agency.name),
        footer=page_number_footer(paper),
    )
