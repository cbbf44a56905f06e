"""Sổ theo dõi hồ sơ (Mẫu 07 of TT 03/2025, Mẫu 06 of TT 01/2018) on A4 landscape.

A period's dossiers, one line each, over as many pages as needed with the column headers
repeated. Body cells are plain strings broken into lines here (``wrap_text``) rather than Paragraphs:
a 1,000-row register then builds in well under its two-second budget.
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph

from counter_app.printing import fonts
from counter_app.printing.blocks import form_head, unit_header
from counter_app.printing.formatting import escape_line, one_line, short_date
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import (
    Paper,
    Styles,
    copies_story,
    grid_style,
    page_number_footer,
    render,
    styles,
    wrap_text,
)
from counter_app.printing.model import RegisterData, RegisterRow

# (header, width in mm); columns 8–12 sit under "Ngày, tháng, năm".
COLUMNS: tuple[tuple[str, float], ...] = (
    ("TT", 8),
    ("Mã hồ sơ", 33),
    ("Tên thủ tục hành chính", 36),
    ("Số lượng hồ sơ (bộ)", 10),
    ("Tên cá nhân, tổ chức", 26),
    ("Địa chỉ, số điện thoại", 30),
    ("Cơ quan chủ trì giải quyết", 22),
    ("Nhận hồ sơ", 15),
    ("Hẹn trả kết quả", 15),
    ("Chuyển hồ sơ đến cơ quan giải quyết", 15),
    ("Có kết quả giải quyết TTHC", 15),
    ("Trả kết quả", 15),
    ("Ký nhận", 20),
    ("Ghi chú", 15),
)
WIDTHS = tuple(w * mm for _, w in COLUMNS)
DATE_COLUMNS = range(7, 12)
PADDING = 2.5  # cell padding of grid_style, in points
HEADER_ROWS = 3


def _when(moment: datetime | None) -> str:
    """Two short lines: "09 giờ 00" over "16/11/2026"."""
    if moment is None:
        return ""
    return f"{moment:%H} giờ {moment:%M}\n{moment:%d/%m/%Y}"


def _header_rows(st: Styles) -> tuple[list[list[object]], list[tuple[object, ...]]]:
    top: list[object] = []
    sub: list[object] = []
    spans: list[tuple[object, ...]] = []
    for i, (title, _) in enumerate(COLUMNS):
        if i in DATE_COLUMNS:
            top.append(Paragraph("Ngày, tháng, năm", st.cell_bold_center) if i == DATE_COLUMNS[0] else "")
            sub.append(Paragraph(title, st.cell_bold_center))
        else:
            top.append(Paragraph(title, st.cell_bold_center))
            sub.append("")
            spans.append(("SPAN", (i, 0), (i, 1)))
    spans.append(("SPAN", (DATE_COLUMNS[0], 0), (DATE_COLUMNS[-1], 0)))
    numbers: list[object] = [f"({i})" for i in range(1, len(COLUMNS) + 1)]
    spans += [
        ("FONTNAME", (0, 2), (-1, 2), "QMC-Tinos-Italic"),
        ("ALIGN", (0, 2), (-1, 2), "CENTER"),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
    ]
    return [top, sub, numbers], spans


def _row(index: int, row: RegisterRow, size: float) -> list[object]:
    def text(value: str, column: int) -> str:
        return wrap_text(value, fonts.REGULAR, size, WIDTHS[column] - 2 * PADDING)

    return [
        str(index),
        text(row.code, 1),
        text(row.procedure_name, 2),
        str(row.sets),
        text(row.applicant_name, 4),
        text(row.address_phone, 5),
        text(row.handling_agency, 6),
        _when(row.received_at),
        _when(row.due_at),
        _when(row.transferred_at),
        _when(row.result_at),
        _when(row.returned_at),
        "",
        text(row.note, 13),
    ]


def _table(data: RegisterData, st: Styles) -> LongTable:
    header, commands = _header_rows(st)
    rows = header + [_row(i, r, st.cell.fontSize) for i, r in enumerate(data.rows, start=1)]
    if not data.rows:
        rows.append([""] * len(COLUMNS))
    table = LongTable(rows, colWidths=list(WIDTHS), repeatRows=HEADER_ROWS)
    commands += [
        ("ALIGN", (0, HEADER_ROWS), (0, -1), "CENTER"),
        ("ALIGN", (3, HEADER_ROWS), (3, -1), "CENTER"),
        ("ALIGN", (7, HEADER_ROWS), (11, -1), "CENTER"),
        ("VALIGN", (0, HEADER_ROWS), (-1, -1), "TOP"),
    ]
    table.setStyle(grid_style(font_size=st.cell.fontSize, header_rows=2, extra=commands))
    return table


def _story(data: RegisterData, paper: Paper, fset: FormSet) -> list[Flowable]:
    st = styles(paper.base)
    head = styles(paper.base * 1.35)
    story = form_head(
        "register",
        fset,
        head,
        paper.frame_width,
        left_lines=unit_header(data.agency),
        date_line="",
        left_share=0.4,
    )
    story.append(
        Paragraph(
            f"(Từ ngày {short_date(data.period_from)} đến ngày {short_date(data.period_to)})",
            head.center_italic,
        )
    )
    if one_line(data.book):
        story.append(Paragraph(f"Quyển số: {escape_line(data.book)}", head.center))
    story.append(_table(data, st))
    return story


def build(data: RegisterData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    label = f"Sổ theo dõi hồ sơ {short_date(data.period_from)} - {short_date(data.period_to)}"
    return render(
        copies_story(lambda _: _story(data, paper, fset), copies, label),
        paper,
        title=f"Sổ theo dõi hồ sơ {short_date(data.period_from)} - {short_date(data.period_to)}",
        author=one_line(data.agency.name),
        footer=page_number_footer(paper, always=True),
    )
