"""The period report — Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) — on A4 landscape.

Page one is the official form: national header, the form's number and title, the period, the
13 numbered columns by field (plus the columns a province keeps separate), notes and the two
signatures. A bar chart per field and the list of late dossiers follow as annexes. Numbers arrive
already counted and folded by the report service; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, LongTable, PageBreak, Paragraph, Spacer, Table

from counter_app.printing import fonts
from counter_app.printing.blocks import unit_header
from counter_app.printing.errors import PrintRequestError
from counter_app.printing.formatting import BLANK, escape_line, one_line, place_date, short_date
from counter_app.printing.layout import (
    PAPERS,
    Paper,
    SignatureColumn,
    Styles,
    copies_story,
    grid_style,
    layout_style,
    national_header,
    page_number_footer,
    render,
    signatures,
    styles,
    wrap_text,
)
from counter_app.printing.model import Agency

FORM_NUMBER = "Biểu số 06/VPCP/KSTT"
FORM_BASIS = "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020 của Văn phòng Chính phủ"
TITLE = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
UNIT = "Đơn vị tính: Số hồ sơ TTHC"
OFFICIAL_COLUMNS = 11  # (3)–(13)
CHART_SERIES = (  # (index in ReportLine.values, legend, fill)
    (0, "Tiếp nhận (3)", colors.HexColor("#1f3b5c")),
    (4, "Đã giải quyết (7)", colors.HexColor("#6f8fb0")),
    (8, "Đang giải quyết (11)", colors.HexColor("#d0d8e2")),
)


@dataclass(frozen=True)
class ReportLine:
    """One field of the table: the values of columns (3)–(13), then one per extra column."""

    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class LateLine:
    code: str
    field: str
    procedure_name: str
    applicant_name: str
    received_at: datetime
    due_at: datetime
    finished_at: datetime | None  # None: still being processed at the period end
    working_days_late: int
    apology: bool


@dataclass(frozen=True)
class ReportData:
    """Plain data of the period report (the report service fills it from the database)."""

    agency: Agency
    period_label: str  # "Tháng 11 năm 2026"
    period_from: date
    period_to: date
    lines: tuple[ReportLine, ...]
    total: ReportLine
    extra_columns: tuple[str, ...] = ()  # headers of the columns after (13)
    notes: tuple[str, ...] = ()  # printed under the table
    late: tuple[LateLine, ...] = ()
    late_total: int = 0  # all late dossiers; more than len(late) when the list was cut for paper
    recipient: str = ""  # "Đơn vị nhận báo cáo"
    issued_on: date | None = None
    preparer_name: str = ""
    head_title: str = "THỦ TRƯỞNG ĐƠN VỊ"
    head_name: str = ""


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _check(data: object, paper: str, copies: int) -> None:
    if not isinstance(data, ReportData):
        raise PrintRequestError(
            f"Dữ liệu in báo cáo định kỳ phải là ReportData, không phải {type(data).__name__}.",
            code="wrong_print_data",
            field="data",
        )
    if paper != "a4":
        raise PrintRequestError(
            f"Báo cáo định kỳ in trên giấy A4 ngang, không in khổ «{paper}».",
            code="paper_not_for_form",
            field="paper",
        )
    if copies not in (1, 2):
        raise PrintRequestError("Số liên in phải là 1 hoặc 2.", code="bad_copies", field="copies")
    width = OFFICIAL_COLUMNS + len(data.extra_columns)
    for line in (*data.lines, data.total):
        if len(line.values) != width:
            raise PrintRequestError(
                f"Dòng «{line.label}» có {len(line.values)} số, cần {width}.",
                code="wrong_print_data",
                field="data",
            )


# ---------------------------------------------------------------------------------------------
# Page one: the form


def _heading(data: ReportData, head: Styles, width: float) -> list[Flowable]:
    left: list[Flowable] = [
        Paragraph(f"<b>{FORM_NUMBER}</b>", head.small),
        Paragraph(f"<i>{FORM_BASIS}</i>", head.small),
    ]
    centre: list[Flowable] = [
        Paragraph(TITLE, head.center_bold),
        Paragraph(f"Kỳ báo cáo: {escape_line(data.period_label)}", head.center),
        Paragraph(
            f"(Từ ngày {short_date(data.period_from)} đến ngày {short_date(data.period_to)})",
            head.center_italic,
        ),
    ]
    recipient = escape_line(data.recipient) if one_line(data.recipient) else BLANK
    right: list[Flowable] = [
        Paragraph(f"- Đơn vị báo cáo: {escape_line(data.agency.name)}", head.small),
        Paragraph(f"- Đơn vị nhận báo cáo: {recipient}", head.small),
    ]
    table = Table([[left, centre, right]], colWidths=[width * 0.22, width * 0.54, width * 0.24])
    table.setStyle(layout_style(padding=3))
    unit = Paragraph(f"<i>{UNIT}</i>", head.small)
    unit_row = Table([["", unit]], colWidths=[width * 0.8, width * 0.2])
    unit_row.setStyle(layout_style())
    return [table, Spacer(1, head.size * 0.5), unit_row, Spacer(1, head.size * 0.2)]


def _widths(data: ReportData, width: float) -> list[float]:
    stt = 9 * mm
    label = (44 if data.extra_columns else 62) * mm
    numbers = OFFICIAL_COLUMNS + len(data.extra_columns)
    each = (width - stt - label) / numbers
    return [stt, label] + [each] * numbers


def _table(data: ReportData, st: Styles, width: float) -> Table:
    h = st.cell_bold_center
    extra = len(data.extra_columns)
    n = 2 + OFFICIAL_COLUMNS + extra

    def row() -> list[object]:
        return [""] * n

    top, middle, bottom, numbers = row(), row(), row(), row()
    top[0], top[1] = Paragraph("STT", h), Paragraph("Lĩnh vực, công việc giải quyết theo cấp", h)
    top[2] = Paragraph("Số hồ sơ nhận giải quyết", h)
    top[6] = Paragraph("Số hồ sơ đã giải quyết", h)
    top[10] = Paragraph("Số lượng hồ sơ đang giải quyết", h)
    middle[2], middle[3], middle[5] = (
        Paragraph("Tổng số", h),
        Paragraph("Trong kỳ", h),
        Paragraph("Từ kỳ trước", h),
    )
    bottom[3], bottom[4] = Paragraph("Trực tuyến", h), Paragraph("Trực tiếp, dịch vụ bưu chính", h)
    for col, text in zip(
        range(6, 13),
        ("Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Tổng số", "Trong hạn", "Quá hạn"),
        strict=True,
    ):
        middle[col] = Paragraph(text, h)
    spans: list[tuple[object, ...]] = [
        ("SPAN", (0, 0), (0, 2)),
        ("SPAN", (1, 0), (1, 2)),
        ("SPAN", (2, 0), (5, 0)),
        ("SPAN", (6, 0), (9, 0)),
        ("SPAN", (10, 0), (12, 0)),
        ("SPAN", (2, 1), (2, 2)),
        ("SPAN", (3, 1), (4, 1)),
        ("SPAN", (5, 1), (5, 2)),
    ]
    spans += [("SPAN", (col, 1), (col, 2)) for col in range(6, 13)]
    if extra:
        top[13] = Paragraph("Không tính vào cột (7) và (11)", h)
        spans.append(("SPAN", (13, 0), (n - 1, 0)))
        for i, header in enumerate(data.extra_columns):
            middle[13 + i] = Paragraph(escape_line(header), h)
            spans.append(("SPAN", (13 + i, 1), (13 + i, 2)))
    for col in range(n):
        numbers[col] = f"({col + 1})"
    body: list[list[object]] = []
    for index, line in enumerate(data.lines, start=1):
        body.append([str(index), Paragraph(escape_line(line.label), st.cell), *map(_number, line.values)])
    body.append(["", Paragraph("<b>Tổng cộng</b>", st.cell), *map(_number, data.total.values)])
    table = Table([top, middle, bottom, numbers, *body], colWidths=_widths(data, width), repeatRows=4)
    last = len(body) + 3
    table.setStyle(
        grid_style(
            font_size=st.cell.fontSize,
            header_rows=3,
            extra=[
                *spans,
                ("FONTNAME", (0, 3), (-1, 3), fonts.ITALIC),
                ("ALIGN", (0, 3), (-1, 3), "CENTER"),
                ("ALIGN", (0, 4), (0, -1), "CENTER"),
                ("ALIGN", (2, 4), (-1, -1), "RIGHT"),
                ("FONTNAME", (2, last), (-1, last), fonts.BOLD),
                ("BACKGROUND", (0, last), (-1, last), colors.HexColor("#eeeeee")),
            ],
        )
    )
    return table


def _closing(data: ReportData, head: Styles, width: float) -> Flowable:
    notes = [Paragraph(f"<i>{escape_line(note)}</i>", head.small) for note in data.notes if one_line(note)]
    columns = [
        SignatureColumn("NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", data.preparer_name),
        SignatureColumn(
            one_line(data.head_title).upper() or "THỦ TRƯỞNG ĐƠN VỊ",
            "(Ký, ghi rõ họ tên, đóng dấu)",
            data.head_name,
        ),
    ]
    return signatures(columns, st=head, width=width, space=head.size * 4.5, keep_with=[Spacer(1, 2), *notes])


# ---------------------------------------------------------------------------------------------
# Annexes: chart and late list


def _chart(data: ReportData, st: Styles, width: float) -> Flowable:
    lines = list(reversed(data.lines))  # the chart draws its first category at the bottom
    bar_rows = max(1, len(lines))
    label_width = 48 * mm
    plot_height = max(40 * mm, bar_rows * 3 * 3.2 * mm)
    height = plot_height + 22 * mm
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.REGULAR  # else the renderer starts in Helvetica (not embedded)
    drawing.initialFontSize = st.size
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 16 * mm
    chart.width, chart.height = width - label_width - 16 * mm, plot_height
    series = list(reversed(CHART_SERIES))  # likewise the first series: received is drawn on top
    chart.data = [[line.values[i] for line in lines] or [0] for i, _, _ in series]
    chart.categoryAxis.categoryNames = [one_line(line.label) for line in lines] or [""]
    chart.categoryAxis.labels.fontName = fonts.REGULAR
    chart.categoryAxis.labels.fontSize = st.size * 0.9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = fonts.REGULAR
    chart.valueAxis.labels.fontSize = st.size * 0.85
    chart.valueAxis.labelTextFormat = lambda v: _number(int(v))
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#cccccc")
    chart.valueAxis.gridStrokeWidth = 0.3
    peak = max((v for row in chart.data for v in row), default=0)
    if peak == 0:
        chart.valueAxis.valueMax = 1
        chart.valueAxis.valueStep = 1
    chart.barSpacing = 0.5
    chart.groupSpacing = 4
    chart.barLabelFormat = _number_label
    chart.barLabels.fontName = fonts.REGULAR
    chart.barLabels.fontSize = st.size * 0.75
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    for index, (_, _, fill) in enumerate(series):
        chart.bars[index].fillColor = fill
        chart.bars[index].strokeColor = colors.black
        chart.bars[index].strokeWidth = 0.3
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = label_width, 6 * mm
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 48 * mm
    legend.fontName = fonts.REGULAR
    legend.fontSize = st.size * 0.9
    legend.boxAnchor = "w"
    legend.colorNamePairs = [(fill, name) for _, name, fill in CHART_SERIES]
    drawing.add(legend)
    return KeepTogether(
        [Paragraph("Biểu đồ: số hồ sơ theo lĩnh vực trong kỳ báo cáo", st.center_bold), drawing]
    )


def _number_label(value: float) -> str:
    return _number(int(value)) if value else ""


LATE_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 9),
    ("Mã hồ sơ", 40),
    ("Lĩnh vực", 28),
    ("Thủ tục hành chính", 62),
    ("Người nộp hồ sơ", 38),
    ("Nhận hồ sơ", 19),
    ("Hạn trả kết quả", 19),
    ("Có kết quả", 21),
    ("Số ngày làm việc quá hạn", 18),
    ("Văn bản xin lỗi (Mẫu 04)", 18),
)
_LATE_WIDTHS = tuple(w * mm for _, w in LATE_COLUMNS)


def _late_table(data: ReportData, st: Styles) -> list[Flowable]:
    size = st.cell.fontSize
    title = (
        f"Phụ lục: Danh sách hồ sơ giải quyết quá hạn trong kỳ và hồ sơ đang quá hạn đến ngày "
        f"{short_date(data.period_to)} ({_number(data.late_total)} hồ sơ)"
    )
    out: list[Flowable] = [Paragraph(title, st.center_bold)]
    if not data.late:
        out.append(Paragraph("Không có hồ sơ quá hạn trong kỳ.", st.center_italic))
        return out
    header = [Paragraph(name, st.cell_bold_center) for name, _ in LATE_COLUMNS]

    def text(value: str, column: int) -> str:
        return wrap_text(value, fonts.REGULAR, size, _LATE_WIDTHS[column] - 5)

    rows: list[list[object]] = [header]
    for index, item in enumerate(data.late, start=1):
        rows.append(
            [
                str(index),
                text(item.code, 1),
                text(item.field, 2),
                text(item.procedure_name, 3),
                text(item.applicant_name, 4),
                f"{item.received_at:%d/%m/%Y}",
                f"{item.due_at:%d/%m/%Y}",
                f"{item.finished_at:%d/%m/%Y}" if item.finished_at else "Đang giải quyết",
                str(item.working_days_late),
                "Có" if item.apology else "Không",
            ]
        )
    table = LongTable(rows, colWidths=list(_LATE_WIDTHS), repeatRows=1)
    table.setStyle(
        grid_style(
            font_size=size,
            header_rows=1,
            extra=[
                ("VALIGN", (0, 1), (-1, -1), "TOP"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
                ("ALIGN", (5, 1), (-1, -1), "CENTER"),
            ],
        )
    )
    out.append(table)
    if data.late_total > len(data.late):
        rest = data.late_total - len(data.late)
        out.append(
            Paragraph(
                f"… và {_number(rest)} hồ sơ khác (danh sách đầy đủ trong tệp Excel của báo cáo).",
                st.center_italic,
            )
        )
    return out


def _story(data: ReportData, paper: Paper) -> list[Flowable]:
    width = paper.frame_width
    head = styles(paper.base * 1.3)
    st = styles(paper.base * 1.25)
    day = data.issued_on or data.period_to
    story: list[Flowable] = [
        national_header(
            unit_header(data.agency),
            st=head,
            width=width,
            date_line=place_date(data.agency.place, day),
            left_share=0.4,
        ),
        Spacer(1, head.size * 0.6),
        *_heading(data, head, width),
        _table(data, st, width),
        _closing(data, head, width),
        PageBreak(),
        _chart(data, st, width),
        Spacer(1, st.size),
        *_late_table(data, st),
    ]
    return story


def build(data: ReportData, paper: Paper, copies: int) -> bytes:
    label = f"Báo cáo {one_line(data.period_label)}"
    return render(
        copies_story(lambda _: _story(data, paper), copies, label),
        paper,
        title=f"Báo cáo tình hình, kết quả giải quyết TTHC — {one_line(data.period_label)}",
        author=one_line(data.agency.name),
        footer=page_number_footer(paper, always=True),
    )


def build_checked(data: object, paper: str, copies: int) -> bytes:
    """``build_pdf("report", data, paper="a4")``: A4 landscape only."""
    _check(data, paper, copies)
    assert isinstance(data, ReportData)
    return build(data, PAPERS["a4_landscape"], copies)


def lines_of(rows: Sequence[tuple[str, Sequence[int]]]) -> tuple[ReportLine, ...]:
    return tuple(ReportLine(label, tuple(values)) for label, values in rows)
