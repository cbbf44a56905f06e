"""Settings an admin (or leader) changes at the counter: the agency, hours, calendar notices, officers."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from counter_app.devices.serial_scanner import available_ports
from counter_app.domain.errors import DomainError
from counter_app.domain.lifecycle import ROLE_LABELS, Role
from counter_app.services import autobackup, maintenance, settings
from counter_app.services import calendar as calendar_service
from counter_app.services import officers as officer_service
from counter_app.services import sync as sync_service
from counter_app.services.context import Counter
from counter_app.ui.housekeeping import Housekeeping
from counter_app.ui.qt import Qt, QtCore, QtPrintSupport, QtWidgets, Signal, emit
from counter_app.ui.widgets import FieldError, alt_button, save_file_name
from counter_app.ui.worker import Worker


class PortCombo(QtWidgets.QComboBox):
    """The serial ports, re-read each time the list opens (a scanner plugged in later shows up);
    editable, so a port not listed yet (COM7) can be typed. The first entry, empty, means none."""

    def __init__(self) -> None:
        super().__init__()
        self.setEditable(True)
        self.fill()

    def fill(self) -> None:
        text = self.currentText()
        self.clear()
        self.addItem("")
        for device, description in available_ports():
            self.addItem(device)
            self.setItemData(self.count() - 1, description or device, Qt.ItemDataRole.ToolTipRole)
        self.setEditText(text)

    def showPopup(self) -> None:
        self.fill()
        super().showPopup()


class SettingsPage(QtWidgets.QWidget):
    settings_saved = Signal(dict)  # the stored values after a save, e.g. to restart the COM-port scanner

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker
        self.housekeeping: Housekeeping | None = None  # set by the main window: backups run there
        self.officer = ""
        self.role = Role.RECEIVING
        layout = QtWidgets.QHBoxLayout(self)

        left = QtWidgets.QGroupBox("Thiết lập quầy")
        form = QtWidgets.QFormLayout(left)
        form.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapAllRows)  # label above its field
        self.edits: dict[str, QtWidgets.QLineEdit] = {}
        printers = QtPrintSupport.QPrinterInfo.availablePrinterNames()
        for key, spec in settings.SETTINGS.items():
            if key.endswith("_printer"):
                combo = QtWidgets.QComboBox()
                combo.setEditable(True)
                combo.addItems(["", *printers])
                edit = combo.lineEdit()
                form.addRow(spec.label, combo)
            elif key == "scanner_port":
                self.port_combo = PortCombo()
                edit = self.port_combo.lineEdit()
                form.addRow(spec.label, self.port_combo)
            else:
                edit = QtWidgets.QLineEdit()
                form.addRow(spec.label, edit)
            self.edits[key] = edit
        self.settings_error = FieldError()
        form.addRow(self.settings_error)
        self.save_settings = alt_button("&Lưu thiết lập", "Lưu các thiết lập đã sửa")
        self.save_settings.clicked.connect(self._save_settings)
        form.addRow(self.save_settings)
        tools = QtWidgets.QHBoxLayout()
        self.backup_button = alt_button("&Sao lưu dữ liệu…", "Sao lưu toàn bộ dữ liệu ra một tệp")
        self.backup_button.clicked.connect(self.backup)
        self.verify_button = alt_button("Kiểm tra &dữ liệu", "Kiểm tra tệp dữ liệu có bị hỏng không")
        self.verify_button.clicked.connect(self.verify)
        self.restore_button = alt_button("&Khôi phục…", "Thay dữ liệu bằng một bản sao lưu (quản trị)")
        self.restore_button.clicked.connect(self.restore)
        tools.addWidget(self.backup_button)
        tools.addWidget(self.restore_button)
        tools.addWidget(self.verify_button)
        form.addRow(tools)
        self.tools_note = QtWidgets.QLabel("")
        self.tools_note.setWordWrap(True)
        form.addRow(self.tools_note)
        self.rights_note = QtWidgets.QLabel("")
        self.rights_note.setWordWrap(True)
        form.addRow(self.rights_note)
        scroll = QtWidgets.QScrollArea()  # ~30 settings: scroll rather than outgrow a 768-pixel screen
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)
        layout.addWidget(scroll, 2)

        right = QtWidgets.QVBoxLayout()
        cal = QtWidgets.QGroupBox("Lịch làm việc: ngày nghỉ, ngày làm bù theo thông báo")
        cl = QtWidgets.QVBoxLayout(cal)
        self.adjustments = QtWidgets.QTableWidget(0, 4)
        self.adjustments.setHorizontalHeaderLabels(["Ngày", "Loại", "Tên", "Văn bản"])
        header = self.adjustments.horizontalHeader()
        header.setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Interactive)
        self.adjustments.verticalHeader().hide()
        cl.addWidget(self.adjustments)
        add = QtWidgets.QHBoxLayout()
        self.adj_date = QtWidgets.QDateEdit(QtCore.QDate.currentDate())
        self.adj_date.setDisplayFormat("dd/MM/yyyy")
        self.adj_date.setCalendarPopup(True)
        self.adj_kind = QtWidgets.QComboBox()
        self.adj_kind.addItem("Nghỉ", "off")
        self.adj_kind.addItem("Làm bù (thứ Bảy/Chủ nhật)", "work")
        self.adj_kind.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.adj_kind.setMinimumContentsLength(14)  # the list shows the long choice; the name gets the room
        self.adj_name = QtWidgets.QLineEdit()
        self.adj_name.setPlaceholderText("Tên (ví dụ: Nghỉ bù)")
        self.adj_name.setToolTip("Tên ngày nghỉ hoặc làm bù, ví dụ: Nghỉ bù Quốc khánh")
        self.adj_source = QtWidgets.QLineEdit()
        self.adj_source.setPlaceholderText("Số văn bản")
        add_button = alt_button("Thêm &ngày", "Thêm ngày nghỉ hoặc ngày làm bù")
        add_button.clicked.connect(self._add_adjustment)
        for w, stretch in ((self.adj_date, 0), (self.adj_kind, 0), (self.adj_name, 3), (self.adj_source, 2),
                           (add_button, 0)):  # fmt: skip
            add.addWidget(w, stretch)  # room for the name's hint rather than for the kind's list
        cl.addLayout(add)
        self.calendar_error = FieldError()
        cl.addWidget(self.calendar_error)
        right.addWidget(cal, 1)

        people = QtWidgets.QGroupBox("Cán bộ (quản trị)")
        pl = QtWidgets.QVBoxLayout(people)
        self.officers = QtWidgets.QTableWidget(0, 3)
        self.officers.setHorizontalHeaderLabels(["Tên đăng nhập", "Họ tên", "Vai trò"])
        self.officers.horizontalHeader().setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.officers.horizontalHeader().resizeSection(0, 150)
        self.officers.horizontalHeader().resizeSection(2, 170)
        self.officers.verticalHeader().hide()
        pl.addWidget(self.officers)
        new = QtWidgets.QHBoxLayout()
        self.new_user = QtWidgets.QLineEdit()
        self.new_user.setPlaceholderText("tên đăng nhập")
        self.new_name = QtWidgets.QLineEdit()
        self.new_name.setPlaceholderText("Họ và tên")
        self.new_role = QtWidgets.QComboBox()
        for role in Role:
            self.new_role.addItem(ROLE_LABELS[role], role.value)
        self.new_password = QtWidgets.QLineEdit()
        self.new_password.setPlaceholderText("mật khẩu")
        self.new_password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.add_officer_button = alt_button("Thêm &cán bộ", "Thêm tài khoản cán bộ (quản trị)")
        self.add_officer_button.clicked.connect(self._add_officer)
        for w in (self.new_user, self.new_name, self.new_role, self.new_password, self.add_officer_button):
            new.addWidget(w)
        pl.addLayout(new)
        self.officer_error = FieldError()
        pl.addWidget(self.officer_error)
        right.addWidget(people, 1)

        sync = QtWidgets.QGroupBox("Đồng bộ với máy chủ cấp trên")
        sl = QtWidgets.QVBoxLayout(sync)
        row = QtWidgets.QHBoxLayout()
        self.server_url = QtWidgets.QLineEdit()
        self.server_url.setPlaceholderText("https://motcua.example.gov.vn")
        self.enroll_code = QtWidgets.QLineEdit()
        self.enroll_code.setPlaceholderText("Mã đăng ký do cấp trên cấp")
        self.enroll_button = alt_button("Đăng ký &máy", "Đăng ký máy với máy chủ cấp trên (quản trị)")
        self.enroll_button.clicked.connect(self.enroll)
        for w in (self.server_url, self.enroll_code, self.enroll_button):
            row.addWidget(w)
        sl.addLayout(row)
        self.sync_note = QtWidgets.QLabel("")
        self.sync_note.setWordWrap(True)
        sl.addWidget(self.sync_note)
        self.rejected = QtWidgets.QTableWidget(0, 4)
        self.rejected.setHorizontalHeaderLabels(["Mã hồ sơ", "Việc", "Thời điểm", "Lý do máy chủ từ chối"])
        self.rejected.horizontalHeader().setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.rejected.verticalHeader().hide()
        self.rejected.setMaximumHeight(110)
        sl.addWidget(self.rejected)
        right.addWidget(sync)
        layout.addLayout(right, 3)

    def set_officer(self, username: str, role: Role) -> None:
        self.officer, self.role = username, role
        can_edit = role in (Role.ADMIN, Role.LEADER)
        for w in [*self.edits.values(), self.save_settings]:
            w.setEnabled(can_edit)
        self.rights_note.setText("" if can_edit else "Chỉ lãnh đạo hoặc quản trị được sửa thiết lập.")
        self.add_officer_button.setEnabled(role == Role.ADMIN)
        self.restore_button.setEnabled(role == Role.ADMIN)
        self.enroll_button.setEnabled(role == Role.ADMIN)

    def refresh(self) -> None:
        def load(counter: Counter) -> tuple[dict, list, list, sync_service.SyncStatus, list[dict]]:
            return (
                settings.current(counter),
                calendar_service.listing(counter),
                officer_service.list_all(counter),
                sync_service.status(counter),
                sync_service.rejected_events(counter),
            )

        self.worker.submit(load, self._show)

    def _show(self, loaded: tuple[dict, list, list, sync_service.SyncStatus, list[dict]]) -> None:
        values, adjustments, people, status, rejected = loaded
        if status.server:
            self.server_url.setText(status.server)
        self.sync_note.setText(
            f"Đã đăng ký với {status.server} (xã {status.commune}). {status.line_vi()}."
            if status.enrolled
            else "Máy chưa đăng ký đồng bộ: nhập địa chỉ máy chủ và mã đăng ký do cấp trên cấp."
        )
        self.rejected.setRowCount(len(rejected))
        for r, e in enumerate(rejected):
            for c, text in enumerate([e["code"], e["action"], e["at"].replace("T", " "), e["reason"] or ""]):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(text)
                self.rejected.setItem(r, c, item)
        for key, edit in self.edits.items():
            edit.setText(values.get(key) or "")
            edit.setPlaceholderText(settings.DEFAULTS.get(key, ""))
            edit.setCursorPosition(0)
        self.adjustments.setRowCount(len(adjustments))
        for r, a in enumerate(adjustments):
            kind = "Nghỉ" if a["kind"] == "off" else "Làm bù"
            day = date.fromisoformat(a["day"])
            for c, text in enumerate([f"{day:%d/%m/%Y}", kind, a["name"], a["source"]]):
                item = QtWidgets.QTableWidgetItem(text)
                item.setToolTip(text)
                self.adjustments.setItem(r, c, item)
        for column, width in {0: 112, 1: 72, 3: 260}.items():
            self.adjustments.horizontalHeader().resizeSection(column, width)
        self.adjustments.resizeRowsToContents()
        self.officers.setRowCount(len(people))
        for r, o in enumerate(people):
            for c, text in enumerate(
                [o.username, o.full_name + ("" if o.active else " (đã khóa)"), ROLE_LABELS[o.role]]
            ):
                self.officers.setItem(r, c, QtWidgets.QTableWidgetItem(text))

    def _run(self, fn, error: FieldError, done=None) -> None:  # noqa: ANN001
        error.clear_message()

        def failed(exc: Exception) -> None:
            if isinstance(exc, DomainError):
                error.show_message(exc.message)
            else:
                emit(self.worker.unexpected, exc)

        def finished(result: object) -> None:
            if done is not None:
                done(result)
            self.refresh()

        self.worker.submit(fn, finished, failed)

    def backup(self, target: str | None = None) -> QtWidgets.QProgressDialog | None:
        """Copy the database with a progress bar the officer can cancel (the copy runs on the worker)."""
        if target is None:
            default = f"quay-mot-cua-{date.today():%Y%m%d}.db"
            target = save_file_name(self, "Sao lưu dữ liệu", default, "Sao lưu (*.db)")
            if not target:
                return None
        dialog = QtWidgets.QProgressDialog("Đang sao lưu dữ liệu…", "Hủy", 0, 100, self)
        dialog.setWindowTitle("Sao lưu")
        dialog.setMinimumDuration(0)
        state = {"done": 0, "total": 0}
        stop = threading.Event()
        dialog.canceled.connect(stop.set)
        timer = QtCore.QTimer(dialog)
        timer.timeout.connect(
            lambda: state["total"] and dialog.setValue(int(100 * state["done"] / state["total"]))
        )
        timer.start(100)

        def progress(done: int, total: int) -> None:  # runs on the worker thread: only plain values cross
            state["done"], state["total"] = done, total

        def finished(path: object) -> None:
            timer.stop()
            dialog.reset()
            self.tools_note.setText(f"✔ Đã sao lưu vào {path}.")

        def failed(exc: Exception) -> None:
            timer.stop()
            dialog.reset()
            if isinstance(exc, DomainError):
                self.tools_note.setText(f"⚠ {exc.message}")
            else:
                emit(self.worker.unexpected, exc)

        path = Path(target)
        # On the housekeeping connection when there is one: the officers go on working meanwhile.
        (self.housekeeping or self.worker).submit(
            lambda counter: maintenance.backup(counter, path, progress, stop.is_set), finished, failed
        )
        self.backup_dialog = dialog
        return dialog

    def enroll(self) -> None:
        url, code = self.server_url.text().strip(), self.enroll_code.text().strip()

        def done(result: sync_service.EnrollResult) -> None:
            self.enroll_code.clear()
            self.sync_note.setText(
                f"✔ Đã đăng ký với xã {result.commune_name} ({result.commune}); số hiệu máy {result.slot}."
            )
            self.refresh()

        def failed(exc: Exception) -> None:
            if isinstance(exc, DomainError):
                self.sync_note.setText(f"⚠ {exc.message}")
            else:
                emit(self.worker.unexpected, exc)

        self.sync_note.setText("Đang đăng ký…")
        self.worker.submit(lambda counter: sync_service.enroll(counter, url, code), done, failed)

    def restore(self, source: str | None = None) -> None:
        """Admin only: replace the data with a checked backup (the current data is backed up first)."""
        if source is None:
            source, _ = QtWidgets.QFileDialog.getOpenFileName(
                self, "Khôi phục từ bản sao lưu", "", "Sao lưu (*.db)"
            )
            if not source:
                return
            answer = QtWidgets.QMessageBox.question(
                self,
                "Khôi phục dữ liệu",
                f"Thay toàn bộ dữ liệu trên máy bằng bản sao lưu {Path(source).name}?\n"
                "Dữ liệu hiện tại được sao lưu trước vào thư mục sao lưu.",
            )
            if answer != QtWidgets.QMessageBox.StandardButton.Yes:
                return
        path = Path(source)

        def run(counter: Counter) -> None:
            stamp = counter.now().strftime("%Y%m%d-%H%M%S")
            maintenance.backup(counter, autobackup.backup_dir(counter) / f"truoc-khoi-phuc-{stamp}.db")
            maintenance.restore(counter, path)

        def done(_result: object) -> None:
            self.tools_note.setText(f"✔ Đã khôi phục dữ liệu từ {path.name}. Nên khởi động lại phần mềm.")
            self.refresh()

        def failed(exc: Exception) -> None:
            if isinstance(exc, DomainError):
                self.tools_note.setText(f"⚠ {exc.message}")
            else:
                emit(self.worker.unexpected, exc)

        self.worker.submit(run, done, failed)

    def verify(self) -> None:
        def show(report: maintenance.VerifyReport) -> None:
            self.tools_note.setText(("✔ " if report.ok else "⚠ ") + " · ".join(report.lines_vi()))

        self.tools_note.setText("Đang kiểm tra…")
        self.worker.submit(maintenance.verify, show)

    def _save_settings(self) -> None:
        values = {key: edit.text() for key, edit in self.edits.items()}
        officer = self.officer

        def save(counter: Counter) -> dict:
            current = settings.current(counter)
            for key, value in values.items():
                clearing = settings.SETTINGS[key].may_be_empty and current.get(key)
                if (value.strip() or clearing) and value != (current.get(key) or ""):
                    settings.change(counter, key, value, officer)
            return settings.current(counter)

        self._run(save, self.settings_error, lambda stored: emit(self.settings_saved, stored))

    def _add_adjustment(self) -> None:
        day = self.adj_date.date().toPython()
        kind, name, source, officer = (
            self.adj_kind.currentData(), self.adj_name.text(), self.adj_source.text(), self.officer,
        )  # fmt: skip
        self._run(
            lambda counter: calendar_service.add_adjustment(
                counter, day=day, kind=kind, name=name, source=source, officer=officer
            ),
            self.calendar_error,
        )

    def _add_officer(self) -> None:
        username, name, role, password = (
            self.new_user.text(), self.new_name.text(), self.new_role.currentData(), self.new_password.text(),
        )  # fmt: skip
        officer = self.officer
        self._run(
            lambda counter: officer_service.add_officer(
                counter, username=username, password=password, role=role, full_name=name, by=officer
            ),
            self.officer_error,
        )
        self.new_password.clear()
