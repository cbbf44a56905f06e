"""Mẫu 01 on an 80 mm thermal roll: the essentials, a QR code of the full code, a short code to type.

A 25-character dossier code in Code128 needs about 77 mm with 2-dot bars and quiet zones, more
than the 72 mm a 203 dpi head prints, and 1-dot bars do not scan. So the roll carries a QR code
(level M, 5 dots per module) of the full code for 2D scanners and phones, and the short code
("241123-0001") in large type for officers whose scanner reads only 1D codes. The page is exactly
as long as its content.
"""

from __future__ import annotations

from functools import cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from counter_app.printing import barcodes, fonts
from counter_app.printing.blocks import unit_header
from counter_app.printing.formatting import (
    at_time,
    count,
    due_text,
    escape_line,
    money,
    one_line,
    short_code,
    value,
)
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import (
    MOTTO,
    NATIONAL,
    Paper,
    Rule,
    Styles,
    content_height,
    grid_style,
    one_per_page,
    render,
    styles,
)
from counter_app.printing.model import ReceiptData
from counter_app.printing.receipt import copy_labels, document_rows, pdf_title

QR_DOTS = 5  # 0.625 mm modules: ≥ 3 dots at 203 dpi, roomy for phone cameras and 2D scanners
SLACK = 2 * mm  # rounding room so the content never spills onto a second roll page


def balanced(title: str, font_name: str, size: float, width: float) -> str:
    """Break a title that needs two lines near its middle, so no word is left alone on line two."""
    if fonts.width(title, font_name, size) <= width:
        return title
    words = title.split(" ")
    best = min(
        range(1, len(words)),
        key=lambda i: abs(
            fonts.width(" ".join(words[:i]), font_name, size)
            - fonts.width(" ".join(words[i:]), font_name, size)
        ),
    )
    return " ".join(words[:best]) + "<br/>" + " ".join(words[best:])


def _documents(data: ReceiptData, st: Styles, width: float) -> Flowable:
    rows = document_rows(data.documents, st, ("TT", "Giấy tờ đã nhận", "Chính", "Sao"))
    num, n = 7 * mm, 10.5 * mm
    table = Table(rows, colWidths=[num, width - num - 2 * n, n, n], repeatRows=1)
    table.setStyle(
        grid_style(
            font_size=st.cell.fontSize,
            extra=[("LEFTPADDING", (0, 0), (-1, -1), 1.5), ("RIGHTPADDING", (0, 0), (-1, -1), 1.5)],
        )
    )
    return table


def _story(data: ReceiptData, paper: Paper, fset: FormSet, label: str | None) -> list[Flowable]:
    st = styles(paper.base)
    width = paper.frame_width
    spec = fset.spec("receipt")
    code = one_line(data.code)
    story: list[Flowable] = [
        Paragraph(NATIONAL, st.national),
        Paragraph(MOTTO, st.motto),
        Rule(fonts.width(MOTTO, fonts.BOLD, st.motto.fontSize)),
    ]
    for text, bold in unit_header(data.agency):
        if text.strip():
            story.append(Paragraph(escape_line(text), st.header_bold if bold else st.header))
    story += [
        Rule(width * 0.3),
        Paragraph(balanced(spec.title, fonts.BOLD, st.title.fontSize, width), st.title),
        Paragraph(f"Mẫu số {spec.number} ({fset.circular})", st.small_center),
    ]
    if label:
        story.append(Paragraph(label, st.center_italic))
    story += [
        Spacer(1, 1.5 * mm),
        barcodes.QrCode(code, module=barcodes.dots(QR_DOTS)),
        Paragraph("Mã hồ sơ rút gọn", st.small_center),
        Paragraph(escape_line(short_code(code)), _big(st.size)),
        Paragraph(f"Mã hồ sơ đầy đủ: {escape_line(code)}", st.small_center),
        Spacer(1, 1 * mm),
        Rule(width, thickness=0.4),
        Paragraph(f"Người nộp: <b>{value(data.applicant_name)}</b>", st.body),
        Paragraph(f"Số định danh cá nhân: {value(data.id_number)}", st.body),
        Paragraph(f"Địa chỉ: {value(data.address)}", st.body),
        Paragraph(f"Điện thoại: {value(data.phone)}", st.body),
        Paragraph(
            f"Thủ tục: <b>{value(data.procedure_name)}</b>"
            + (f" (mã {escape_line(data.procedure_code)})" if one_line(data.procedure_code) else ""),
            st.body,
        ),
        _documents(data, st, width),
        Spacer(1, 1 * mm),
        Paragraph(f"Số lượng hồ sơ: {count(data.sets)} (bộ)", st.body),
        Paragraph(f"Thời gian giải quyết theo quy định: {value(data.processing_text)}", st.body),
        Paragraph(f"Nhận hồ sơ: {at_time(data.received_at)}", st.body),
        Paragraph(f"<b>Hẹn trả kết quả: {due_text(data.due_at, data.half_day)}</b>", st.body),
        Paragraph(f"Nhận kết quả tại: {value(data.return_channel)}", st.body),
        Paragraph(f"Phí, lệ phí: {money(data.fee)}", st.body),
        Paragraph(
            f"Sổ theo dõi hồ sơ: quyển số {value(data.register_book)}, số thứ tự {value(data.register_line)}",
            st.body,
        ),
        Paragraph(f"Người tiếp nhận: {value(data.officer_name)}", st.body),
        Rule(width, thickness=0.4),
    ]
    if one_line(data.agency.phone):
        story.append(Paragraph(f"Điện thoại bộ phận một cửa: {escape_line(data.agency.phone)}", st.small))
    if one_line(data.agency.hotline):
        story.append(
            Paragraph(f"Đường dây nóng phản ánh, kiến nghị: {escape_line(data.agency.hotline)}", st.small)
        )
    story.append(Paragraph("Mang theo phiếu này khi đến nhận kết quả.", st.small_center))
    return story


@cache
def _big(size: float) -> ParagraphStyle:
    """The short code, large enough to read and type from across the counter."""
    st = styles(size)
    return ParagraphStyle(
        "qmc-roll-big", parent=st.center_bold, fontSize=size * 1.6, leading=size * 1.8, spaceBefore=0
    )


def build(data: ReceiptData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    copies_story = [_story(data, paper, fset, label) for label in copy_labels(copies)]
    height = max(content_height(s, paper.frame_width) for s in copies_story)
    page = (paper.size[0], paper.top + height + SLACK + paper.bottom)
    return render(
        one_per_page(copies_story),
        paper,
        title=pdf_title(data),
        author=one_line(data.agency.name),
        page_size=page,
    )
