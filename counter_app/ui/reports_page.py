"""Báo cáo: the period report by field (Biểu 06/VPCP/KSTT) in one click, then print or save it.

The officer picks a standard period (month, quarter, 6 or 9 months, year, under the counter's
cut-off day) or two dates; "Xem" counts on the worker thread and shows the official columns.
Preview/print, PDF and Excel are built from the report on screen, also on the worker thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from counter_app.domain.errors import DomainError, ValidationError
from counter_app.domain.vietnamese import number
from counter_app.services import attachments as attachment_service
from counter_app.services import report as report_service
from counter_app.services import report_xlsx
from counter_app.services.context import Counter
from counter_app.services.report import (
    PERIOD_KIND_LABELS,
    OfficialTable,
    PeriodKind,
    PeriodReport,
)
from counter_app.ui.print_preview import PrintPreviewDialog
from counter_app.ui.qt import Qt, QtCore, QtWidgets, Signal, emit
from counter_app.ui.widgets import FieldError, save_file_name
from counter_app.ui.worker import Worker

FREE = "free"  # the period kind "from … to …"
# Short column heads so the 16 figures fit a 1366-pixel screen; the official wording is the tooltip.
OFFICIAL_HEADERS = (
    ("Tổng\nnhận", "Số hồ sơ nhận giải quyết: tổng số"),
    ("Trực\ntuyến", "Nhận trong kỳ: trực tuyến"),
    ("Trực tiếp,\nBCCI", "Nhận trong kỳ: trực tiếp, dịch vụ bưu chính"),
    ("Kỳ\ntrước", "Từ kỳ trước chuyển sang"),
    ("Đã\ngiải quyết", "Số hồ sơ đã giải quyết: tổng số"),
    ("Trước\nhạn", "Đã giải quyết trước hạn"),
    ("Đúng\nhạn", "Đã giải quyết đúng hạn"),
    ("Quá\nhạn", "Đã giải quyết quá hạn"),
    ("Đang\ngiải quyết", "Số lượng hồ sơ đang giải quyết: tổng số"),
    ("Trong\nhạn", "Đang giải quyết trong hạn"),
    ("Quá\nhạn", "Đang giải quyết quá hạn"),
)
EXTRA_SHORT = {
    "Chờ công dân bổ sung": "Chờ\nbổ sung",
    "Từ chối giải quyết": "Từ\nchối",
    "Dừng giải quyết": "Dừng\ngiải quyết",
    "Công dân rút hồ sơ": "Rút\nhồ sơ",
    "Hủy hồ sơ": "Hủy\nhồ sơ",
}
LATE_HEADERS = ("Mã hồ sơ", "Lĩnh vực", "Thủ tục", "Người nộp", "Nhận hồ sơ", "Hạn trả", "Có kết quả",
                "Số ngày làm việc quá hạn", "Xin lỗi (Mẫu 04)")  # fmt: skip
LATE_SHOWN = 1000  # rows on screen; the Excel file has them all


def _read_only_table(columns: int) -> QtWidgets.QTableWidget:
    table = QtWidgets.QTableWidget(0, columns)
    table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    return table


def digitization_line(d: dict) -> str:
    """ "Số hóa: 120/360 hồ sơ tiếp nhận (33,33%); 40/121 kết quả trả (33,06%)"."""

    def share(p: float | None) -> str:
        return "—" if p is None else f"{p:.1f}%".replace(".", ",")

    dossiers, results = d["dossiers"], d["results"]
    return (
        f"Số hóa: {number(dossiers['digitized'])}/{number(dossiers['received'])} hồ sơ tiếp nhận "
        f"({share(dossiers['percent'])}); {number(results['digitized'])}/{number(results['returned'])} "
        f"kết quả đã trả ({share(results['percent'])})."
    )


class ReportsPage(QtWidgets.QWidget):
    """Standalone page: needs only the worker (the main window adds it as "Báo cáo (F7)")."""

    shown = Signal(object)  # the PeriodReport now on screen
    saved = Signal(str)  # path of a file just written

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker
        self.first_day = report_service.DEFAULT_CUTOFF_DAY
        self.report: PeriodReport | None = None
        self.table_data: OfficialTable | None = None
        self.preview: PrintPreviewDialog | None = None
        self._last_range: tuple[date, date] | None = None

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(
            QtWidgets.QLabel("<h2>Báo cáo tình hình, kết quả giải quyết TTHC (Biểu 06/VPCP/KSTT)</h2>")
        )
        bar = QtWidgets.QHBoxLayout()
        self.kind = QtWidgets.QComboBox()
        for kind, label in PERIOD_KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.kind.addItem("Từ ngày … đến ngày …", FREE)
        self.year = QtWidgets.QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(date.today().year)
        self.number = QtWidgets.QComboBox()
        self.date_from = QtWidgets.QDateEdit()
        self.date_to = QtWidgets.QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
            edit.setMinimumDate(QtCore.QDate(2000, 1, 1))
            edit.setDate(QtCore.QDate.currentDate())
        self.view_button = QtWidgets.QPushButton("&Xem")
        self.view_button.setToolTip("Tính số liệu của kỳ đã chọn (Alt+X)")
        self.view_button.clicked.connect(self.show_report)
        for widget in (QtWidgets.QLabel("Kỳ"), self.kind, self.number, QtWidgets.QLabel("năm"), self.year,
                       QtWidgets.QLabel("từ"), self.date_from, QtWidgets.QLabel("đến"), self.date_to,
                       self.view_button):  # fmt: skip
            bar.addWidget(widget)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.range_label = QtWidgets.QLabel("")
        layout.addWidget(self.range_label)
        self.error = FieldError()
        layout.addWidget(self.error)

        self.tabs = QtWidgets.QTabWidget()
        self.table = _read_only_table(1 + len(OFFICIAL_HEADERS))
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.late = _read_only_table(len(LATE_HEADERS))
        self.late.setHorizontalHeaderLabels(list(LATE_HEADERS))
        self.tabs.addTab(self.table, "Biểu tổng hợp")
        self.tabs.addTab(self.late, "Hồ sơ quá hạn")
        layout.addWidget(self.tabs, 1)
        self.notes = QtWidgets.QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.notes)

        actions = QtWidgets.QHBoxLayout()
        self.print_button = QtWidgets.QPushButton("Xem trước và &in…")
        self.print_button.clicked.connect(self.preview_pdf)
        self.pdf_button = QtWidgets.QPushButton("Lưu &PDF…")
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.xlsx_button = QtWidgets.QPushButton("Lưu &Excel…")
        self.xlsx_button.clicked.connect(lambda: self.save_xlsx())
        self.status = QtWidgets.QLabel("")
        actions.addWidget(self.status, 1)
        for button in (self.print_button, self.pdf_button, self.xlsx_button):
            button.setEnabled(False)
            actions.addWidget(button)
        layout.addLayout(actions)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.number.currentIndexChanged.connect(self._update_range)
        self.year.valueChanged.connect(self._update_range)
        self.date_from.dateChanged.connect(self._update_range)
        self.date_to.dateChanged.connect(self._update_range)
        self._kind_changed()
        self.load_settings()

    # -- period ------------------------------------------------------------------------------------
    def load_settings(self) -> None:
        """Read the cut-off day and pick the month that contains yesterday (the one just closed on the cut-off)."""

        def load(counter: Counter) -> tuple[int, date]:
            return report_service.cutoff_day(counter), counter.now().date()

        def done(result: tuple[int, date]) -> None:
            self.first_day, today = result
            year, month = report_service.month_containing(today - timedelta(days=1), self.first_day)
            self.kind.setCurrentIndex(self.kind.findData(PeriodKind.MONTH.value))
            self.year.setValue(year)
            self.number.setCurrentIndex(max(0, self.number.findData(month)))
            self._update_range()

        self.worker.submit(load, done, self._failed)

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        free = kind == FREE
        self.number.blockSignals(True)
        previous = self.number.currentData()
        self.number.clear()
        if not free:
            for value, label in report_service.period_numbers(PeriodKind(kind)):
                self.number.addItem(label, value)
            self.number.setCurrentIndex(max(0, self.number.findData(previous)))
        self.number.blockSignals(False)
        self.number.setEnabled(not free and self.number.count() > 1)
        self.year.setEnabled(not free)
        self.date_from.setEnabled(free)
        self.date_to.setEnabled(free)
        if free and self._last_range is not None:  # start from the standard period just looked at
            self._set_dates(*self._last_range)
        self._update_range()

    def period(self) -> tuple[date, date, str]:
        """(first day, last day, label) of the chosen period; raises ValidationError when impossible."""
        kind = self.kind.currentData()
        if kind == FREE:
            start, end = self.date_from.date().toPython(), self.date_to.date().toPython()
            return start, end, report_service.free_label(start, end)
        year, which = self.year.value(), self.number.currentData() or 1
        start, end = report_service.period_range(kind, year, which, self.first_day)
        return start, end, report_service.period_label(kind, year, which)

    def _update_range(self) -> None:
        try:
            start, end, label = self.period()
        except DomainError as exc:
            self.range_label.setText(f"⚠ {exc.message}")
            return
        if self.kind.currentData() == FREE:
            self.range_label.setText(label)
            return
        self._last_range = (start, end)
        self.range_label.setText(f"{label}: từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}")

    def _set_dates(self, start: date, end: date) -> None:
        self.date_from.setDate(QtCore.QDate(start.year, start.month, start.day))
        self.date_to.setDate(QtCore.QDate(end.year, end.month, end.day))

    def set_free_period(self, start: date, end: date) -> None:
        self.kind.setCurrentIndex(self.kind.findData(FREE))
        self._set_dates(start, end)

    # -- the report --------------------------------------------------------------------------------
    def show_report(self) -> None:
        self.error.clear_message()
        try:
            start, end, label = self.period()
        except DomainError as exc:
            self.error.show_message(exc.message)
            return

        def load(counter: Counter) -> tuple[PeriodReport, OfficialTable, dict]:
            result = report_service.compute(counter, start, end, label=label)
            table = report_service.official_table(result, report_service.fold_of(counter))
            return result, table, attachment_service.digitization(counter, start, end)

        self.status.setText("Đang tính số liệu…")
        self.view_button.setEnabled(False)
        self.worker.submit(load, self._show, self._failed)

    def _show(self, result: tuple[PeriodReport, OfficialTable, dict]) -> None:
        self.view_button.setEnabled(True)
        report, table, digitized = result
        self.report, self.table_data = report, table
        heads = [("Lĩnh vực", "Lĩnh vực, công việc giải quyết theo cấp"), *OFFICIAL_HEADERS]
        heads += [(EXTRA_SHORT.get(h, h), f"{h} (không tính vào cột 7 và 11)") for h in table.extra_headers]
        self.table.clear()
        self.table.setColumnCount(len(heads))
        for column, (short, full) in enumerate(heads):
            item = QtWidgets.QTableWidgetItem(f"{short}\n({column + 2})" if column else short)
            item.setToolTip(f"({column + 2}) {full}")
            self.table.setHorizontalHeaderItem(column, item)
        rows = [*table.rows, ("Tổng cộng", table.total)]
        self.table.setRowCount(len(rows))
        for r, (label, values) in enumerate(rows):
            item = QtWidgets.QTableWidgetItem(label)
            if r == len(rows) - 1:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(r, 0, item)
            for c, value in enumerate(values, start=1):
                cell = QtWidgets.QTableWidgetItem(number(value))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if r == len(rows) - 1:
                    cell.setFont(item.font())
                self.table.setItem(r, c, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self._show_late(report)
        notes = [
            report_service.provisional_line(report),
            *table.notes,
            report_service.satisfaction_line(report.total),
            digitization_line(digitized),
        ]
        self.notes.setText("\n".join(n for n in notes if n))
        self.status.setText(
            f"{report.label} (từ ngày {report.start:%d/%m/%Y} đến ngày {report.end:%d/%m/%Y}): "
            f"{number(report.total.received)} hồ sơ."
        )
        for button in (self.print_button, self.pdf_button, self.xlsx_button):
            button.setEnabled(True)
        emit(self.shown, report)

    def _show_late(self, report: PeriodReport) -> None:
        items = report.late[:LATE_SHOWN]
        self.late.setRowCount(len(items))
        for r, item in enumerate(items):
            values = (
                item.code,
                item.field,
                item.procedure_name,
                item.applicant_name,
                f"{item.received_at:%d/%m/%Y}",
                f"{item.due_at:%d/%m/%Y}",
                f"{item.finished_at:%d/%m/%Y}" if item.finished_at else "Đang giải quyết",
                str(item.working_days_late),
                "Có" if item.apology else "Không",
            )
            for c, text in enumerate(values):
                self.late.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        self.late.resizeColumnsToContents()
        more = f", hiện {number(len(items))}" if len(report.late) > len(items) else ""
        self.tabs.setTabText(1, f"Hồ sơ quá hạn ({number(len(report.late))}{more})")

    def _failed(self, exc: Exception) -> None:
        self.view_button.setEnabled(True)
        self.status.setText("")
        if isinstance(exc, DomainError):
            self.error.show_message(exc.message)
        else:
            emit(self.worker.unexpected, exc)

    # -- paper and files ---------------------------------------------------------------------------
    def preview_pdf(self) -> None:
        current = self.report
        if current is None:
            return

        def opened(pdf: bytes) -> None:
            name = report_service.filename(current, "pdf")
            self.status.setText("")
            dialog = PrintPreviewDialog(pdf, f"Báo cáo {current.label}", name, self)
            dialog.setModal(False)
            dialog.show()
            self.preview = dialog

        self.status.setText("Đang tạo bản in…")
        self.worker.submit(lambda counter: report_service.pdf(counter, current), opened, self._failed)

    def _target(self, path: str | None, extension: str, caption: str, pattern: str) -> Path | None:
        if self.report is None:
            return None
        if path is None:
            path = save_file_name(self, caption, report_service.filename(self.report, extension), pattern)
        return Path(path) if path else None

    def save_pdf(self, path: str | None = None) -> None:
        target = self._target(path, "pdf", "Lưu báo cáo PDF", "PDF (*.pdf)")
        if target is not None and self.report is not None:
            current = self.report
            self._write(target, lambda counter: report_service.pdf(counter, current))

    def save_xlsx(self, path: str | None = None) -> None:
        target = self._target(path, "xlsx", "Lưu báo cáo Excel", "Excel (*.xlsx)")
        if target is not None and self.report is not None:
            current = self.report
            self._write(target, lambda counter: report_xlsx.xlsx(counter, current))

    def _write(self, target: Path, build: Callable[[Counter], bytes]) -> None:
        def run(counter: Counter) -> str:
            data = build(counter)
            try:
                target.write_bytes(data)
            except OSError as exc:
                raise ValidationError(f"Không ghi được tệp {target}: {exc.strerror}.") from exc
            return str(target)

        def done(path: str) -> None:
            self.status.setText(f"✔ Đã lưu {path}")
            emit(self.saved, path)

        self.status.setText("Đang lưu…")
        self.worker.submit(run, done, self._failed)
