"""The counter's main window: pages for the officer's day, scanners heard everywhere, F-keys for all."""

from __future__ import annotations

import gc
import logging

from counter_app.domain import vietnamese
from counter_app.domain.errors import DomainError
from counter_app.domain.lifecycle import ROLE_LABELS, State
from counter_app.services import documents, queries
from counter_app.services import settings as settings_service
from counter_app.services import sync as sync_service
from counter_app.services.changes import Changes
from counter_app.services.context import Counter
from counter_app.services.intake import IntakeResult
from counter_app.services.officers import Officer
from counter_app.services.support_log import log_notice, log_unexpected
from counter_app.ui.dashboard_page import DashboardPage
from counter_app.ui.dossier_dialog import DossierDialog
from counter_app.ui.dossiers_page import DossiersPage
from counter_app.ui.housekeeping import Housekeeping
from counter_app.ui.intake_page import IntakePage
from counter_app.ui.prefs import prefs as window_prefs
from counter_app.ui.print_preview import PrintPreviewDialog, load_document, print_document
from counter_app.ui.qt import QtCore, QtGui, QtPrintSupport, QtWidgets, emit
from counter_app.ui.reports_page import ReportsPage
from counter_app.ui.return_page import ReturnPage
from counter_app.ui.scanner import ScanDetector
from counter_app.ui.serial_scanner import SerialScannerBridge
from counter_app.ui.settings_page import SettingsPage
from counter_app.ui.widgets import StatusLine
from counter_app.ui.worker import Worker

log = logging.getLogger(__name__)

SHORTCUTS = [
    ("F1", "Trợ giúp: danh sách phím tắt"),
    ("F2", "Tiếp nhận hồ sơ mới"),
    ("F3", "Tìm hồ sơ"),
    ("F4", "Trả kết quả"),
    ("F5", "Tổng quan (làm mới)"),
    ("F6", "Cài đặt"),
    ("F7", "Báo cáo định kỳ"),
    ("F8", "Đồng bộ ngay với máy chủ cấp trên"),
    ("Ctrl+Enter", "Lưu hồ sơ và in giấy hẹn"),
    ("Ctrl+R", "Làm lại biểu mẫu tiếp nhận"),
    ("Quét QR thẻ căn cước", "Điền thông tin người nộp (ở bất kỳ màn hình nào)"),
    ("Quét mã vạch giấy hẹn", "Mở hồ sơ; ở màn hình Trả kết quả: Enter để trả"),
    (
        "Ctrl+T / B / N / K / E",
        "Trong hồ sơ: chuyển xử lý / yêu cầu bổ sung / nhận bổ sung / có kết quả / trả",
    ),
]


def collect_garbage() -> None:
    """A closed dossier window leaves Qt objects in reference cycles (signal lambdas); freeing them
    right after the officer closed it costs an unnoticed moment, instead of a stall while scrolling."""
    gc.collect()


class MainWindow(QtWidgets.QMainWindow):
    document_ready = QtCore.Signal(object)  # documents.Printed, whenever a form was built

    def __init__(
        self,
        worker: Worker,
        officer: Officer,
        sync_worker: sync_service.SyncWorker | None = None,
        housekeeping: Housekeeping | None = None,
    ) -> None:
        super().__init__()
        self.worker, self.officer = worker, officer
        self.last_printed: documents.Printed | None = None
        self._printing = 0  # forms being built: closing now would lose the receipt's print
        self.preview: PrintPreviewDialog | None = None
        counter: Counter = worker.counter
        self.setWindowTitle(f"Quầy một cửa — {counter.agency_name}")
        self.tabs = QtWidgets.QTabWidget()
        self.setCentralWidget(self.tabs)
        self.housekeeping = housekeeping
        self.dashboard = DashboardPage(worker, housekeeping)
        self.intake = IntakePage(worker)
        self.intake.officer = officer.username
        self.dossiers = DossiersPage(worker)
        self.returns = ReturnPage(worker)
        self.returns.officer = officer.username
        self.settings = SettingsPage(worker)
        self.settings.housekeeping = housekeeping
        self.settings.set_officer(officer.username, officer.role)
        self.reports = ReportsPage(worker)
        self.sync_worker = sync_worker
        for page, title in [
            (self.dashboard, "Tổng quan (F5)"),
            (self.intake, "Tiếp nhận (F2)"),
            (self.dossiers, "Hồ sơ (F3)"),
            (self.returns, "Trả kết quả (F4)"),
            (self.reports, "Báo cáo (F7)"),
            (self.settings, "Cài đặt (F6)"),
        ]:
            self.tabs.addTab(page, title)

        bar = self.statusBar()
        self.scanner_label = QtWidgets.QLabel("")  # the COM-port scanner's state, when one is set
        self.officer_label = QtWidgets.QLabel(f"Cán bộ: {officer.full_name} — {ROLE_LABELS[officer.role]}")
        self.sync_label = QtWidgets.QLabel("Chưa đăng ký đồng bộ")
        self.sync_button = QtWidgets.QPushButton("Đồng bộ ngay (F8)")
        self.sync_button.setEnabled(sync_worker is not None)
        self.sync_button.clicked.connect(self.sync_now)
        self.busy_label = QtWidgets.QLabel("")
        self.housekeeping_label = QtWidgets.QLabel("")  # the daily backup's progress, beside the officer
        self.message = StatusLine()
        bar.addWidget(self.officer_label)
        bar.addWidget(self.message, 1)
        bar.addPermanentWidget(self.housekeeping_label)
        bar.addPermanentWidget(self.busy_label)
        bar.addPermanentWidget(self.scanner_label)
        bar.addPermanentWidget(self.sync_label)
        bar.addPermanentWidget(self.sync_button)
        self.sync_timer = QtCore.QTimer(self)
        self.sync_timer.timeout.connect(self.refresh_sync_status)
        self.sync_timer.start(30_000)
        worker.busy_changed.connect(lambda busy: self.busy_label.setText("◷ Đang xử lý…" if busy else ""))
        worker.unexpected.connect(self.unexpected)

        self.scanner = ScanDetector(self)
        QtWidgets.QApplication.instance().installEventFilter(self.scanner)
        self.scanner.qr_scanned.connect(self._qr)
        self.scanner.code_scanned.connect(self._code)
        self.scanner.refused.connect(self._scan_refused)
        self.serial_scanner = SerialScannerBridge(self)  # a COM-port scanner, when one is set
        self.serial_scanner.scanned.connect(self.scanner.route)
        self.serial_scanner.status_changed.connect(self.scanner_label.setText)
        self.settings.settings_saved.connect(self.serial_scanner.restart_from_settings)

        for key, slot in [
            ("F1", self.show_help),
            ("F2", lambda: self._go(self.intake, self.intake.search)),
            ("F3", lambda: self._go(self.dossiers, self.dossiers.search)),
            ("F4", lambda: self._go(self.returns, self.returns.code)),
            ("F5", lambda: (self._go(self.dashboard), self.dashboard.refresh())),
            ("F6", lambda: (self._go(self.settings), self.settings.refresh())),
            ("F7", lambda: self._go(self.reports)),
            ("F8", self.sync_now),
        ]:
            QtGui.QShortcut(QtGui.QKeySequence(key), self, activated=slot)

        self.intake.saved.connect(self._saved)
        worker.changed.connect(self._changed)
        self.dashboard.open_list.connect(self._open_tile)
        self.dossiers.open_dossier.connect(self.open_dossier)
        self.tabs.currentChanged.connect(self._tab_changed)

    # -- start ----------------------------------------------------------------------------------
    def start(self) -> None:
        """Load what the pages need once; each piece arrives through the worker, the dashboard first."""
        self.dashboard.refresh()
        self.worker.submit(queries.active_procedures, self.intake.set_catalog)
        self.worker.submit(queries.fields, self.dossiers.set_fields)
        self.dossiers.apply()
        self.refresh_sync_status()
        self.worker.submit(
            settings_service.scanner_config, lambda config: config and self.serial_scanner.start(*config)
        )

    def refresh_sync_status(self) -> None:
        def show(status: sync_service.SyncStatus) -> None:
            mark = "✔" if status.enrolled and not status.last_error and not status.rejected else "⊘"
            self.sync_label.setText(f"{mark} {status.line_vi()}")

        self.worker.submit(sync_service.status, show)

    def sync_now(self) -> None:
        """Wake the background sync; the status line follows as it reports."""
        if self.sync_worker is None:
            return
        self.sync_worker.wake()
        self.sync_label.setText("◷ Đang đồng bộ…")
        QtCore.QTimer.singleShot(3000, self.refresh_sync_status)

    def _changed(self, changes: Changes) -> None:
        """One place where a use case's changes reach the pages that show them."""
        if changes.dossiers:
            self.dashboard.refresh()
            self.refresh_sync_status()  # new events wait in the outbox
        if changes.catalog:
            self.worker.submit(queries.active_procedures, self.intake.set_catalog)
        if (
            changes.settings or changes.officers or changes.calendar
        ) and self.tabs.currentWidget() is self.settings:
            self.settings.refresh()

    # -- navigation -----------------------------------------------------------------------------
    def _go(self, page: QtWidgets.QWidget, focus: QtWidgets.QWidget | None = None) -> None:
        self.tabs.setCurrentWidget(page)
        if focus is not None:
            focus.setFocus()
            if isinstance(focus, QtWidgets.QLineEdit):
                focus.selectAll()

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if page is self.settings:
            self.settings.refresh()
        elif page is self.dashboard:
            self.dashboard.refresh()

    def _open_tile(self, key: str) -> None:
        if key == "digitized":
            self._go(self.reports)
            return
        states = {
            "waiting_supplement": (State.SUPPLEMENT,),
            "ready_to_return": (State.READY,),
        }.get(key, (State.RECEIVED, State.IN_PROGRESS))
        self._go(self.dossiers)
        self.dossiers.show_states(states)

    def open_dossier(self, code: str) -> DossierDialog:
        dialog = DossierDialog(self.worker, code, self.officer.username, self.officer.role, self)
        dialog.print_requested.connect(self.print_form)
        dialog.finished.connect(lambda _result: QtCore.QTimer.singleShot(0, collect_garbage))
        dialog.setModal(False)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()  # a scan opened it: the officer's next key belongs to it
        return dialog

    # -- scanners -------------------------------------------------------------------------------
    def _qr(self, text: str) -> None:
        self._go(self.intake)
        self.intake.fill_from_card(text)

    def _code(self, code: str) -> None:
        if self.tabs.currentWidget() is self.returns:
            self.returns.scanned(code)
        else:
            self.open_dossier(code.strip().upper())

    def _scan_refused(self, message: str) -> None:
        log_notice(f"scan refused: {message}")
        QtWidgets.QApplication.beep()
        self.show_message(f"⚠ {message}")
        if self.tabs.currentWidget() is self.intake:
            self.intake.scan_refused(message)

    def show_message(self, text: str) -> None:
        """The status line: as many whole words as fit, then "…"; the whole text in the tooltip."""
        self.message.setText(text)

    # -- intake result --------------------------------------------------------------------------
    def _saved(self, result: IntakeResult) -> None:
        d = result.dossier
        self.show_message(
            f"✔ Đã tiếp nhận {d.code} — {d.applicant_name}; hẹn trả {vietnamese.moment(d.due_at)}"
        )
        self.print_form("receipt", d.code)

    def print_form(self, form: str, code: str) -> None:
        """Build the PDF off the UI thread, then preview it or send it straight to the default printer."""
        self._printing += 1
        self.worker.submit(
            lambda counter: documents.print_dossier_form(counter, form, code),
            self._printed,
            self._print_failed,
        )

    def _printed(self, printed: documents.Printed) -> None:
        self._printing -= 1
        self.last_printed = printed
        emit(self.document_ready, printed)
        prefs = window_prefs()
        preview = prefs.value("preview_before_print", True, type=bool)
        chosen = printed.printer  # the printer the admin set for this kind of paper, if any
        printer_info = (
            QtPrintSupport.QPrinterInfo.printerInfo(chosen)
            if chosen
            else QtPrintSupport.QPrinterInfo.defaultPrinter()
        )
        if preview or printer_info.isNull():
            dialog = PrintPreviewDialog(printed.pdf, f"In {printed.filename}", printed.filename, self)
            dialog.always_preview.setChecked(preview)
            dialog.always_preview.toggled.connect(lambda on: prefs.setValue("preview_before_print", on))
            dialog.setModal(False)
            dialog.show()
            self.preview = dialog
            return
        printer = QtPrintSupport.QPrinter(printer_info, QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        try:
            print_document(load_document(printed.pdf, self), printer)
            self.show_message(f"{self.message.text()} · đã gửi {printed.filename} tới máy in")
        except OSError as exc:
            QtWidgets.QMessageBox.warning(self, "Chưa in được", f"{exc} Kiểm tra máy in rồi in lại từ hồ sơ.")

    def _print_failed(self, exc: Exception) -> None:
        self._printing -= 1
        if isinstance(exc, DomainError):
            QtWidgets.QMessageBox.warning(self, "Chưa in được", exc.message)
        else:
            self.unexpected(exc)

    def show_help(self) -> None:
        text = (
            "<h3>Phím tắt</h3><table>"
            + "".join(f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in SHORTCUTS)
            + "</table>"
        )
        QtWidgets.QMessageBox.information(self, "Trợ giúp", text)

    # -- errors ---------------------------------------------------------------------------------
    def unexpected(self, exc: Exception) -> None:
        if isinstance(exc, DomainError):
            QtWidgets.QMessageBox.warning(self, "Không thực hiện được", exc.message)
            return
        path = log_unexpected(exc)
        QtWidgets.QMessageBox.critical(
            self,
            "Có lỗi không mong đợi",
            "Thao tác vừa rồi chưa hoàn thành; dữ liệu đã lưu trước đó vẫn an toàn.\n"
            f"Chi tiết đã được ghi vào {path} để bộ phận kỹ thuật kiểm tra.",
        )

    # -- size and closing ---------------------------------------------------------------------
    def show_restored(self) -> None:
        """Open as the officer left it; maximised the first time (fits any screen and taskbar)."""
        saved = window_prefs().value("main/geometry")
        if isinstance(saved, QtCore.QByteArray) and self.restoreGeometry(saved):
            self.show()
        else:
            self.showMaximized()

    def _leave_question(self) -> str | None:
        if self.intake.saving or self._printing:
            return "Máy đang lưu hoặc in một hồ sơ. Đóng bây giờ có thể làm gián đoạn việc in giấy hẹn."
        if self.intake.is_dirty():
            return "Biểu mẫu tiếp nhận đang nhập dở và chưa được lưu. Đóng thì những gì đã nhập sẽ mất."
        return None

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        question = self._leave_question()
        if question is not None:
            box = QtWidgets.QMessageBox(
                QtWidgets.QMessageBox.Icon.Question,
                "Đóng chương trình?",
                f"{question}\nVẫn đóng?",
                parent=self,
            )
            stay = box.addButton("Ở lại (Esc)", QtWidgets.QMessageBox.ButtonRole.RejectRole)
            box.addButton("&Vẫn đóng", QtWidgets.QMessageBox.ButtonRole.AcceptRole)  # Alt+V, or V
            box.setDefaultButton(stay)
            box.setEscapeButton(stay)
            box.exec()
            if box.clickedButton() is stay:
                event.ignore()
                return
        window_prefs().setValue("main/geometry", self.saveGeometry())
        self.serial_scanner.stop()
        QtWidgets.QApplication.instance().removeEventFilter(self.scanner)
        self.sync_timer.stop()
        if self.sync_worker is not None:
            self.sync_worker.wake()  # one last push of what is pending, bounded by stop()'s timeout
            self.sync_worker.stop(5.0)
        self.worker.wait()
        super().closeEvent(event)
