"""Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06 of TT 03/2025, Mẫu 05 of TT 01/2018).

The slip travels with the dossier: each hand-over is a two-row block — who gives and who
receives, when, the result (early / on time / late) and both signatures. Columns follow the
official layout as implemented by four provincial one-stop systems (docs/printing.md).
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from counter_app.printing.blocks import code_lines, unit_form_head
from counter_app.printing.formatting import (
    BLANK,
    BLANK_TIME,
    at_time,
    escape_line,
    markup,
    one_line,
    value,
)
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import (
    Paper,
    Styles,
    copies_story,
    grid_style,
    layout_style,
    page_number_footer,
    render,
    styles,
)
from counter_app.printing.model import ControlData, ControlStep

HEADERS = (
    "TÊN CƠ QUAN",
    "THỜI GIAN GIAO, NHẬN HỒ SƠ",
    "KẾT QUẢ GIẢI QUYẾT HỒ SƠ (Trước hạn/ đúng hạn/ quá hạn)",
    "GHI CHÚ",
)
SHARES = (0.27, 0.43, 0.17, 0.13)


def _signature_pair(step: ControlStep, st: Styles, width: float) -> Table:
    def cell(title: str, name: str) -> list[Flowable]:
        out: list[Flowable] = [Paragraph(title, st.cell_bold_center), Spacer(1, st.size * 2.6)]
        out.append(Paragraph(escape_line(name) if one_line(name) else "&nbsp;", st.cell_center))
        return out

    table = Table(
        [[cell("Người giao", step.giver_name), cell("Người nhận", step.receiver_name)]],
        colWidths=[width / 2, width / 2],
    )
    table.setStyle(layout_style())
    return table


def _times(step: ControlStep) -> str:
    lines = []
    if step.given_at is not None:
        lines.append(f"Giao: {at_time(step.given_at)}")
    if step.received_at is not None and step.received_at != step.given_at:
        lines.append(f"Nhận: {at_time(step.received_at)}")
    return "<br/>".join(lines) if lines else BLANK_TIME


def _table(data: ControlData, st: Styles, width: float) -> Table:
    widths = [width * share for share in SHARES]
    rows: list[list[object]] = [[Paragraph(h, st.cell_bold_center) for h in HEADERS]]
    spans: list[tuple[object, ...]] = []
    steps = list(data.steps) + [ControlStep("", "") for _ in range(max(0, data.blank_steps))]
    if not steps:
        steps = [ControlStep("", "")]
    for step in steps:
        top = len(rows)
        rows.append(
            [
                Paragraph(
                    f"1. Giao: {value(step.from_agency)}<br/>2. Nhận: {value(step.to_agency)}",
                    st.cell,
                ),
                Paragraph(_times(step), st.cell),
                Paragraph(markup(step.result), st.cell_center),
                Paragraph(markup(step.note), st.cell),
            ]
        )
        rows.append(["", _signature_pair(step, st, widths[1] - 5), "", ""])
        spans += [
            ("SPAN", (0, top), (0, top + 1)),
            ("SPAN", (2, top), (2, top + 1)),
            ("SPAN", (3, top), (3, top + 1)),
            ("VALIGN", (0, top), (-1, top + 1), "TOP"),
            ("NOSPLIT", (0, top), (-1, top + 1)),
        ]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(grid_style(font_size=st.cell.fontSize, extra=spans))
    return table


def _story(data: ControlData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    width = paper.frame_width
    story = unit_form_head("control", fset, st, width, data.agency, data.received_at.date())
    story += code_lines(data.code, paper.key, st)
    story += [
        Paragraph(
            f"(Kèm theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả số: {escape_line(data.code)})",
            st.center_italic,
        ),
        Spacer(1, st.size * 0.4),
        Paragraph(f"Người nộp hồ sơ: <b>{value(data.applicant_name)}</b>", st.body),
        Paragraph(f"Nội dung yêu cầu giải quyết: <b>{value(data.procedure_name)}</b>", st.body),
        Paragraph(f"Ngày nhận hồ sơ: {at_time(data.received_at)}", st.body),
        Paragraph(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {at_time(data.due_at)}", st.body),
        Paragraph(f"Cơ quan (bộ phận) giải quyết hồ sơ: {value(data.handling_agency)}", st.body),
        Paragraph(
            f"Cơ quan phối hợp giải quyết hồ sơ: {value(data.coordinating_agencies) if one_line(data.coordinating_agencies) else BLANK}",
            st.body,
        ),
        Spacer(1, st.size * 0.3),
        _table(data, st, width),
    ]
    return story


def build(data: ControlData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    label = f"Phiếu kiểm soát — mã hồ sơ {one_line(data.code)}"
    return render(
        copies_story(lambda _: _story(data, paper, fset), copies, label),
        paper,
        title=f"Phiếu kiểm soát quá trình giải quyết hồ sơ {one_line(data.code)}",
        author=one_line(data.agency.name),
        footer=page_number_footer(paper),
    )
