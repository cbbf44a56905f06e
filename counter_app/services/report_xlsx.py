"""The period report as an Excel workbook (openpyxl) for the district's spreadsheet.

Sheet "Biểu 06" repeats the printed form — merged header cells like Biểu số 06/VPCP/KSTT, one row
per field and a total row — with live formulas: each row's (3) = (4) + (5) + (6), (7) = (8) + (9)
+ (10), (11) = (12) + (13), and the total row SUMs the field rows, so a figure corrected by hand
carries through. "Hồ sơ quá hạn" lists every late dossier (the PDF may cut the list), and
"Số liệu chi tiết" has every figure of the JSON, including the outcomes the fold merged.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from counter_app.printing.period_report import FORM_BASIS, FORM_NUMBER, TITLE, UNIT
from counter_app.services.context import Counter
from counter_app.services.report import (
    FIGURE_KEYS,
    Fold,
    PeriodReport,
    fold_of,
    official_table,
    provisional_line,
    satisfaction_line,
)

FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
NUMBER_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
FIRST_BODY_ROW = 12  # rows 8–10 are the header, 11 the column numbers

# (column in the official table, its parts): the row formulas
_ROW_SUMS = ((3, (4, 5, 6)), (7, (8, 9, 10)), (11, (12, 13)))

DETAIL_HEADERS = {
    "received": "Tổng số tiếp nhận",
    "carried_over": "Từ kỳ trước",
    "online": "Trực tuyến",
    "direct": "Trực tiếp, dịch vụ bưu chính",
    "resolved": "Đã giải quyết",
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Quá hạn",
    "in_process": "Đang giải quyết",
    "within": "Trong hạn",
    "overdue": "Quá hạn (đang giải quyết)",
    "paused": "Chờ công dân bổ sung",
    "refused": "Từ chối giải quyết",
    "stopped": "Dừng giải quyết",
    "withdrawn": "Công dân rút hồ sơ",
    "cancelled": "Hủy hồ sơ",
    "rated": "Được đánh giá",
    "satisfied": "Hài lòng",
}


def _font(size: float = 12, *, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT, size=size, bold=bold, italic=italic)


def _merge(
    ws: Worksheet, row: int, col: int, last_row: int, last_col: int, value: object, **style: object
) -> None:
    if (row, col) != (last_row, last_col):
        ws.merge_cells(start_row=row, start_column=col, end_row=last_row, end_column=last_col)
    cell = ws.cell(row=row, column=col, value=value)
    for key, item in style.items():
        setattr(cell, key, item)


def _form_sheet(
    ws: Worksheet, report: PeriodReport, fold_rule: Fold, agency_name: str, recipient: str
) -> None:
    table = official_table(report, fold_rule)
    n = 2 + 11 + len(table.extra_headers)  # STT, field, (3)–(13), extras
    last = get_column_letter(n)
    ws.title = "Biểu 06"
    ws.sheet_view.showGridLines = False
    _merge(ws, 1, 1, 1, 4, FORM_NUMBER, font=_font(11, bold=True), alignment=LEFT)
    _merge(ws, 2, 1, 3, 4, FORM_BASIS, font=_font(10, italic=True), alignment=LEFT)
    _merge(ws, 1, n - 4, 1, n, f"- Đơn vị báo cáo: {agency_name}", font=_font(11), alignment=LEFT)
    _merge(
        ws, 2, n - 4, 2, n, f"- Đơn vị nhận báo cáo: {recipient or '…………'}", font=_font(11), alignment=LEFT
    )
    _merge(ws, 4, 1, 4, n, TITLE, font=_font(13, bold=True), alignment=CENTER)
    _merge(ws, 5, 1, 5, n, f"Kỳ báo cáo: {report.label}", font=_font(12), alignment=CENTER)
    _merge(
        ws, 6, 1, 6, n, f"(Từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y})",
        font=_font(12, italic=True), alignment=CENTER,
    )  # fmt: skip
    _merge(ws, 7, n - 4, 7, n, UNIT, font=_font(11, italic=True), alignment=Alignment(horizontal="right"))
    ws.row_dimensions[4].height = 20

    head = {"font": _font(11, bold=True), "alignment": CENTER}
    _merge(ws, 8, 1, 10, 1, "STT", **head)
    _merge(ws, 8, 2, 10, 2, "Lĩnh vực, công việc giải quyết theo cấp", **head)
    _merge(ws, 8, 3, 8, 6, "Số hồ sơ nhận giải quyết", **head)
    _merge(ws, 8, 7, 8, 10, "Số hồ sơ đã giải quyết", **head)
    _merge(ws, 8, 11, 8, 13, "Số lượng hồ sơ đang giải quyết", **head)
    _merge(ws, 9, 3, 10, 3, "Tổng số", **head)
    _merge(ws, 9, 4, 9, 5, "Trong kỳ", **head)
    _merge(ws, 10, 4, 10, 4, "Trực tuyến", **head)
    _merge(ws, 10, 5, 10, 5, "Trực tiếp, dịch vụ bưu chính", **head)
    _merge(ws, 9, 6, 10, 6, "Từ kỳ trước", **head)
    for col, text in zip(
        range(7, 14),
        ("Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"),
        strict=True,
    ):
        _merge(ws, 9, col, 10, col, text, **head)
    if table.extra_headers:
        _merge(ws, 8, 14, 8, n, "Không tính vào cột (7) và (11)", **head)
        for i, text in enumerate(table.extra_headers):
            _merge(ws, 9, 14 + i, 10, 14 + i, text, **head)
    for col in range(1, n + 1):
        cell = ws.cell(row=11, column=col, value=f"({col})")
        cell.font, cell.alignment = _font(10, italic=True), CENTER
    for row in range(8, 12):
        for col in range(1, n + 1):
            ws.cell(row=row, column=col).border = GRID
            if row < 11:
                ws.cell(row=row, column=col).fill = HEADER_FILL
    ws.row_dimensions[10].height = 48

    row = FIRST_BODY_ROW
    for index, (label, values) in enumerate(table.rows, start=1):
        ws.cell(row=row, column=1, value=index).alignment = CENTER
        ws.cell(row=row, column=2, value=label).alignment = LEFT
        for offset, value in enumerate(values):
            ws.cell(row=row, column=3 + offset, value=value)
        for target, parts in _ROW_SUMS:
            ws.cell(
                row=row, column=target, value="=" + "+".join(f"{get_column_letter(p)}{row}" for p in parts)
            )
        row += 1
    last_body = row - 1
    total_row = row
    ws.cell(row=total_row, column=2, value="Tổng cộng")
    for col in range(3, n + 1):
        letter = get_column_letter(col)
        value = f"=SUM({letter}{FIRST_BODY_ROW}:{letter}{last_body})" if table.rows else 0
        ws.cell(row=total_row, column=col, value=value).font = _font(12, bold=True)
    for r in range(FIRST_BODY_ROW, total_row + 1):
        for col in range(1, n + 1):
            cell = ws.cell(row=r, column=col)
            cell.border = GRID
            cell.font = _font(12, bold=r == total_row)
            if col >= 3:
                cell.number_format = NUMBER_FORMAT
                cell.alignment = Alignment(horizontal="right", vertical="center")
        if r == total_row:
            for col in range(1, n + 1):
                ws.cell(row=r, column=col).fill = HEADER_FILL

    notes = [provisional_line(report), *table.notes, satisfaction_line(report.total)]
    row = total_row + 1
    for note in (n_ for n_ in notes if n_):
        _merge(ws, row, 1, row, n, note, font=_font(11, italic=True), alignment=Alignment(horizontal="left"))
        row += 1
    row += 1
    _merge(ws, row, 1, row, 5, "NGƯỜI LẬP BIỂU", font=_font(12, bold=True), alignment=CENTER)
    _merge(ws, row, n - 5, row, n, "THỦ TRƯỞNG ĐƠN VỊ", font=_font(12, bold=True), alignment=CENTER)
    row += 1
    _merge(ws, row, 1, row, 5, "(Ký, ghi rõ họ tên)", font=_font(11, italic=True), alignment=CENTER)
    _merge(
        ws, row, n - 5, row, n, "(Ký, ghi rõ họ tên, đóng dấu)", font=_font(11, italic=True), alignment=CENTER
    )

    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = max(
        28, min(48, max((len(label) for label, _ in table.rows), default=0) + 4)
    )
    for col in range(3, n + 1):
        ws.column_dimensions[get_column_letter(col)].width = 11.5
    ws.freeze_panes = f"C{FIRST_BODY_ROW}"
    ws.print_title_rows = "8:11"
    ws.print_area = f"A1:{last}{row}"
    _landscape(ws)


def _landscape(ws: Worksheet) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _header_row(ws: Worksheet, headers: Sequence[str], widths: Sequence[float]) -> None:
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font, cell.alignment, cell.border, cell.fill = _font(11, bold=True), CENTER, GRID, HEADER_FILL
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"


def _late_sheet(ws: Worksheet, report: PeriodReport) -> None:
    headers = ("STT", "Mã hồ sơ", "Lĩnh vực", "Thủ tục hành chính", "Người nộp hồ sơ", "Nhận hồ sơ",
               "Hạn trả kết quả", "Có kết quả", "Số ngày làm việc quá hạn", "Văn bản xin lỗi (Mẫu 04)")  # fmt: skip
    widths = (6, 28, 20, 50, 26, 12, 14, 16, 13, 13)
    _header_row(ws, headers, widths)
    for index, item in enumerate(report.late, start=1):
        values: list[object] = [
            index,
            item.code,
            item.field,
            item.procedure_name,
            item.applicant_name,
            item.received_at.date(),
            item.due_at.date(),
            item.finished_at.date() if item.finished_at else "Đang giải quyết",
            item.working_days_late,
            "Có" if item.apology else "Không",
        ]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=index + 1, column=col, value=value)
            cell.font, cell.border = _font(11), GRID
            if col in (6, 7, 8) and not isinstance(value, str):
                cell.number_format = DATE_FORMAT
    if report.late:
        ws.auto_filter.ref = f"A1:J{len(report.late) + 1}"
    _landscape(ws)


def _detail_sheet(ws: Worksheet, report: PeriodReport) -> None:
    headers = ("Lĩnh vực", *(DETAIL_HEADERS[k] for k in FIGURE_KEYS), "Tỷ lệ hài lòng")
    _header_row(ws, headers, (30, *([12] * len(FIGURE_KEYS)), 12))
    ws.row_dimensions[1].height = 48
    rows = [(f.field, f.figures) for f in report.fields] + [("Tổng cộng", report.total)]
    for r, (label, figures) in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=label)
        for c, key in enumerate(FIGURE_KEYS, start=2):
            ws.cell(row=r, column=c, value=getattr(figures, key)).number_format = NUMBER_FORMAT
        share = figures.satisfied_share
        ws.cell(row=r, column=len(FIGURE_KEYS) + 2, value=share).number_format = "0.00%"
        for c in range(1, len(FIGURE_KEYS) + 3):
            ws.cell(row=r, column=c).font = _font(11, bold=label == "Tổng cộng")
            ws.cell(row=r, column=c).border = GRID
    _landscape(ws)


def workbook_bytes(report: PeriodReport, fold_rule: Fold, *, agency_name: str, recipient: str = "") -> bytes:
    """The .xlsx file's bytes (pure: no database)."""
    wb = Workbook()
    _form_sheet(wb.active, report, fold_rule, agency_name, recipient)
    _late_sheet(wb.create_sheet("Hồ sơ quá hạn"), report)
    _detail_sheet(wb.create_sheet("Số liệu chi tiết"), report)
    wb.properties.creator = "Quầy một cửa"
    wb.properties.title = f"Báo cáo tình hình, kết quả giải quyết TTHC — {report.label}"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def xlsx(counter: Counter, report: PeriodReport) -> bytes:
    """The workbook under the counter's fold setting and header data."""
    from counter_app.services import documents
    from counter_app.services.report import RECIPIENT_SETTING

    agency = documents.agency(counter)
    recipient = counter.store.get_setting(RECIPIENT_SETTING) or agency.parent_name
    return workbook_bytes(report, fold_of(counter), agency_name=agency.name, recipient=recipient)
