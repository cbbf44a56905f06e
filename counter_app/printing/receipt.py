"""Mẫu 01 on A5/A4 — Giấy tiếp nhận hồ sơ và hẹn trả kết quả, with a Code128 of the dossier code.

Line order follows the TT 01/2018 form (TT 03/2025 keeps the title; its line-by-line wording was
not found, see docs/printing.md). The barcode sits centred under the title: a 25-character code
is about 78 mm wide at 0.254 mm modules, wider than the left header block of an A5 sheet.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from counter_app.printing import barcodes
from counter_app.printing.blocks import applicant_lines, contact_note, procedure_line, unit_form_head
from counter_app.printing.formatting import (
    at_time,
    count,
    due_text,
    escape_line,
    markup,
    money,
    one_line,
    value,
)
from counter_app.printing.formsets import FormSet
from counter_app.printing.layout import (
    Paper,
    SectionMark,
    SignatureColumn,
    Styles,
    grid_style,
    layout_style,
    one_per_page,
    page_number_footer,
    render,
    signatures,
    styles,
)
from counter_app.printing.model import DocumentItem, ReceiptData

COPY_LABELS = ("(Liên 1: Lưu)", "(Liên 2: Giao người nộp hồ sơ)")

URL_QR_MODULE = 72 / 50  # 0.508 mm: comfortable for phone cameras


def copy_labels(copies: int) -> list[str | None]:
    """One copy carries no label; two are "Liên 1: Lưu" and "Liên 2: Giao người nộp hồ sơ"."""
    return [None] if copies == 1 else list(COPY_LABELS)


def _codes(data: ReceiptData, paper: Paper, st: Styles) -> Flowable:
    code = one_line(data.code)
    bars = barcodes.sheet_code128(code, paper.key)
    if not data.status_url:
        return bars
    qr = barcodes.QrCode(one_line(data.status_url), module=URL_QR_MODULE, grid=barcodes.LASER_GRID)
    caption = Paragraph("Quét mã để tra cứu hồ sơ", st.small_center)
    gap = 4 * mm
    table = Table(
        [[bars, [qr, caption]]],
        colWidths=[bars.width + gap, max(qr.width, 24 * mm)],
        hAlign="CENTER",
    )
    table.setStyle(layout_style(valign="MIDDLE", align="CENTER"))
    return table


def pdf_title(data: ReceiptData) -> str:
    """The PDF's title, the same whichever paper the receipt is printed on."""
    return f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả {one_line(data.code)}"


def document_rows(
    documents: Sequence[DocumentItem], st: Styles, headers: tuple[str, str, str, str]
) -> list[list[object]]:
    """The documents table's header (number, name, originals, copies) and one row per paper handed over."""
    rows: list[list[object]] = [[Paragraph(text, st.cell_bold_center) for text in headers]]
    for i, doc in enumerate(documents, start=1):
        rows.append(
            [
                Paragraph(str(i), st.cell_center),
                Paragraph(markup(doc.name), st.cell),
                Paragraph(str(doc.original), st.cell_center),
                Paragraph(str(doc.copy), st.cell_center),
            ]
        )
    return rows


def _documents(data: ReceiptData, st: Styles, width: float) -> Flowable:
    rows = document_rows(data.documents, st, ("TT", "Tên giấy tờ, tài liệu", "Bản chính", "Bản sao"))
    if not data.documents:
        rows.append(["", Paragraph("…………", st.cell), "", ""])
    num = st.size * 2.2
    counts = st.size * 4.6
    table = Table(rows, colWidths=[num, width - num - 2 * counts, counts, counts], repeatRows=1)
    table.setStyle(grid_style(font_size=st.cell.fontSize))
    return table


def _copy(data: ReceiptData, paper: Paper, fset: FormSet, label: str | None) -> list[Flowable]:
    st = styles(paper.base)
    width = paper.frame_width
    story: list[Flowable] = [
        SectionMark(label or "copy", f"Mã hồ sơ {one_line(data.code)}" + (f" {label}" if label else "")),
        *unit_form_head("receipt", fset, st, width, data.agency, data.received_at.date()),
        Paragraph(f"Mã hồ sơ: <b>{escape_line(data.code)}</b>", st.center),
    ]
    if label:
        story.append(Paragraph(label, st.center_italic))
    story += [Spacer(1, st.size * 0.3), _codes(data, paper, st), Spacer(1, st.size * 0.6)]
    story += applicant_lines(
        st,
        lead="Tiếp nhận hồ sơ của:",
        name=data.applicant_name,
        id_number=data.id_number,
        address=data.address,
        phone=data.phone,
        email=data.email,
    )
    story.append(procedure_line(st, data.procedure_name, data.procedure_code))
    story.append(Paragraph("1. Thành phần hồ sơ nộp gồm:", st.body))
    story.append(_documents(data, st, width))
    story.append(Spacer(1, st.size * 0.4))
    story += [
        Paragraph(f"2. Số lượng hồ sơ: {count(data.sets)} (bộ)", st.body),
        Paragraph(f"3. Thời gian giải quyết hồ sơ theo quy định là: {value(data.processing_text)}", st.body),
        Paragraph(f"4. Thời gian nhận hồ sơ: {at_time(data.received_at)}", st.body),
        Paragraph(
            f"5. Thời gian trả kết quả giải quyết hồ sơ: <b>{due_text(data.due_at, data.half_day)}</b>",
            st.body,
        ),
        Paragraph(f"6. Đăng ký nhận kết quả tại: {value(data.return_channel)}", st.body),
    ]
    closing = [
        Paragraph(f"7. Phí, lệ phí: {money(data.fee)}", st.body),
        Paragraph(
            f"Vào Sổ theo dõi hồ sơ, Quyển số: {value(data.register_book)}, "
            f"Số thứ tự: {value(data.register_line)}",
            st.body,
        ),
    ]
    story.append(
        signatures(
            [
                SignatureColumn("NGƯỜI NỘP HỒ SƠ", name=data.applicant_name),
                SignatureColumn("NGƯỜI TIẾP NHẬN HỒ SƠ", name=data.officer_name),
            ],
            st=st,
            width=width,
            space=st.size * 3.6,
            keep_with=closing,
        )
    )
    notes = [
        Spacer(1, st.size * 0.6),
        Paragraph(
            markup("Ghi chú: Ông/Bà mang theo Giấy này khi đến nhận kết quả giải quyết hồ sơ."),
            st.small,
        ),
        *contact_note(data.agency, st),
    ]
    story.append(KeepTogether(notes))
    return story


def build(data: ReceiptData, paper: Paper, fset: FormSet, copies: int) -> bytes:
    return render(
        one_per_page(_copy(data, paper, fset, label) for label in copy_labels(copies)),
        paper,
        title=pdf_title(data),
        author=one_line(data.agency.name),
        footer=page_number_footer(paper),
    )
