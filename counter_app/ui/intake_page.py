"""Intake: find the procedure, fill the applicant (or scan the chip card), tick the papers, save.

Everything that touches the database or the calendar goes through the worker; the page only
collects what the officer typed and shows each service error under the field it concerns.
"""

from __future__ import annotations

from datetime import date, datetime

from counter_app.domain import vietnamese
from counter_app.domain.deadlines import compute_due, half_day
from counter_app.domain.errors import DomainError, ValidationError
from counter_app.domain.identity import ID_TYPE_LABELS, IdType, parse_cccd_qr
from counter_app.domain.procedures import Procedure, ProcedureIndex
from counter_app.services.context import Counter
from counter_app.services.intake import CHANNELS, IntakeRequest, IntakeResult, intake
from counter_app.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal, emit
from counter_app.ui.widgets import FieldError
from counter_app.ui.worker import Worker

CARD_FIELDS_VI = {"name": "họ tên", "id_number": "số định danh", "birth_date": "ngày sinh", "gender": "giới tính",
                  "address": "nơi thường trú"}  # fmt: skip


def parse_birth(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise ValidationError(
            "Ngày sinh ghi theo dạng ngày/tháng/năm, ví dụ 23/05/2002.", field="birth_date"
        ) from None


class IntakePage(QtWidgets.QWidget):
    saved = Signal(object)  # IntakeResult

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker
        self.index = ProcedureIndex([])
        self.procedure: Procedure | None = None
        self.officer = ""
        self._card_text: str | None = None
        self._errors: dict[str, FieldError] = {}
        self._build()

    # -- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        """Two columns that fit 1366×768 without scrolling: what is asked for | who asks and when."""
        outer = QtWidgets.QHBoxLayout(self)
        left = QtWidgets.QVBoxLayout()
        left.addWidget(QtWidgets.QLabel("<b>1. Thủ tục</b>"))
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Gõ tên thủ tục, không cần dấu (ví dụ: khai sinh)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refresh_results)
        self.search.returnPressed.connect(self._choose_first)
        self.results = QtWidgets.QListWidget()
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._choose_item)
        self.results.currentItemChanged.connect(lambda cur, _prev: cur and self._choose_item(cur))
        left.addWidget(self.search)
        left.addWidget(self.results, 2)
        self._errors["procedure"] = FieldError()
        left.addWidget(self._errors["procedure"])
        self.chosen = QtWidgets.QLabel("Chưa chọn thủ tục.")
        self.chosen.setWordWrap(True)
        left.addWidget(self.chosen)
        left.addWidget(
            QtWidgets.QLabel("<b>3. Giấy tờ nộp</b>  (* bắt buộc; bỏ dấu ✔ nếu công dân không nộp)")
        )
        self.documents = QtWidgets.QTableWidget(0, 3)
        self.documents.setHorizontalHeaderLabels(["Tên giấy tờ", "Bản chính", "Bản sao"])
        header = self.documents.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
        self.documents.verticalHeader().hide()
        self.documents.setWordWrap(True)
        left.addWidget(self.documents, 3)
        self._errors["documents"] = FieldError()
        left.addWidget(self._errors["documents"])
        outer.addLayout(left, 5)

        right = QtWidgets.QVBoxLayout()
        applicant = QtWidgets.QGroupBox("2. Người nộp hồ sơ  (quét QR thẻ căn cước để điền tự động)")
        grid = QtWidgets.QFormLayout(applicant)
        self.name = QtWidgets.QLineEdit()
        self.id_type = QtWidgets.QComboBox()
        for kind in IdType:
            self.id_type.addItem(ID_TYPE_LABELS[kind], kind.value)
        self.id_number = QtWidgets.QLineEdit()
        self.birth = QtWidgets.QLineEdit()
        self.birth.setPlaceholderText("dd/mm/yyyy")
        self.gender = QtWidgets.QComboBox()
        self.gender.addItems(["", "Nam", "Nữ"])
        self.phone = QtWidgets.QLineEdit()
        self.address = QtWidgets.QLineEdit()
        for label, key, widget in [
            ("Họ và tên *", "name", self.name),
            ("Loại giấy tờ", "id_type", self.id_type),
            ("Số giấy tờ *", "id_number", self.id_number),
            ("Ngày sinh", "birth_date", self.birth),
            ("Giới tính", "gender", self.gender),
            ("Điện thoại", "phone", self.phone),
            ("Địa chỉ", "address", self.address),
        ]:
            box = QtWidgets.QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(widget)
            self._errors[key] = FieldError()
            box.addWidget(self._errors[key])
            grid.addRow(label, box)
        self.name.textEdited.connect(self._card_edited)
        self.id_number.textEdited.connect(self._card_edited)
        self.card_note = QtWidgets.QLabel("")
        self.card_note.setWordWrap(True)
        self.card_note.setStyleSheet("color: #1b5e20;")
        grid.addRow(self.card_note)
        right.addWidget(applicant)

        extra = QtWidgets.QGroupBox("4. Lệ phí, nhận kết quả, hẹn trả")
        el = QtWidgets.QFormLayout(extra)
        self.sets = QtWidgets.QSpinBox()
        self.sets.setRange(1, 99)
        self.fee = QtWidgets.QSpinBox()
        self.fee.setRange(0, 100_000_000)
        self.fee.setSingleStep(1000)
        self.fee.setSuffix(" đồng")
        self.fee.setLocale(QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam))
        self.fee.setGroupSeparatorShown(True)
        self.channel = QtWidgets.QComboBox()
        for key, label in CHANNELS.items():
            self.channel.addItem(label, key)
        self.due = QtWidgets.QLabel("—")
        font = self.due.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.due.setFont(font)
        self.due.setWordWrap(True)
        row = QtWidgets.QHBoxLayout()
        row.addWidget(self.sets)
        row.addWidget(QtWidgets.QLabel("bộ   Phí, lệ phí"))
        row.addWidget(self.fee, 1)
        el.addRow("Số bộ hồ sơ", row)
        el.addRow("Nhận kết quả", self.channel)
        el.addRow("Hẹn trả kết quả", self.due)
        right.addWidget(extra)

        self.general_error = FieldError()
        right.addWidget(self.general_error)
        buttons = QtWidgets.QHBoxLayout()
        self.save_button = QtWidgets.QPushButton("Lưu và in giấy hẹn  (Ctrl+Enter)")
        self.save_button.setMinimumHeight(40)
        self.save_button.clicked.connect(self.save)
        self.clear_button = QtWidgets.QPushButton("Làm lại  (Ctrl+R)")
        self.clear_button.clicked.connect(self.clear)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        right.addStretch(1)
        outer.addLayout(right, 4)

        for seq, slot in [("Ctrl+Return", self.save), ("Ctrl+Enter", self.save), ("Ctrl+R", self.clear)]:
            QtGui.QShortcut(QtGui.QKeySequence(seq), self, activated=slot)
        self.setTabOrder(self.search, self.results)
        self.setTabOrder(self.results, self.name)

    # -- catalog --------------------------------------------------------------------------------
    def set_catalog(self, procedures: list[Procedure]) -> None:
        self.index = ProcedureIndex(procedures)
        self._refresh_results(self.search.text())

    def _refresh_results(self, text: str) -> None:
        self.results.blockSignals(True)
        self.results.clear()
        for p in self.index.search(text, limit=30):
            item = QtWidgets.QListWidgetItem(f"{p.name}\n    {p.field} · {p.processing.describe_vi()}")
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.results.addItem(item)
        self.results.blockSignals(False)

    def _choose_first(self) -> None:
        if self.results.count():
            self.results.setCurrentRow(0)
            self._choose_item(self.results.item(0))
            self.name.setFocus()

    def _choose_item(self, item: QtWidgets.QListWidgetItem) -> None:
        procedure: Procedure = item.data(Qt.ItemDataRole.UserRole)
        self.procedure = procedure
        self._errors["procedure"].clear_message()
        self.chosen.setText(
            f"<b>{procedure.name}</b><br>Mã {procedure.code} · {procedure.field} · "
            f"Thời hạn: {procedure.processing.describe_vi()}"
        )
        self.documents.setRowCount(len(procedure.documents))
        for row, doc in enumerate(procedure.documents):
            cell = QtWidgets.QTableWidgetItem(("* " if doc.required else "") + doc.name)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            cell.setCheckState(Qt.CheckState.Checked if doc.required else Qt.CheckState.Unchecked)
            cell.setToolTip(doc.name)
            self.documents.setItem(row, 0, cell)
            for col, count in ((1, doc.original), (2, doc.copy)):
                n = QtWidgets.QTableWidgetItem(str(count))
                n.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.documents.setItem(row, col, n)
        self.documents.resizeRowsToContents()
        self.fee.setValue(procedure.fee)
        self._preview_due()

    def _preview_due(self) -> None:
        if self.procedure is None:
            self.due.setText("—")
            return
        processing = self.procedure.processing

        def compute(counter: Counter) -> tuple[datetime | None, str]:
            due = compute_due(counter.calendar, counter.now(), processing, (), counter.pause_mode)
            return due, half_day(counter.calendar, due) if due else ""

        def show(result: tuple[datetime | None, str]) -> None:
            due, half = result
            if due is not None:
                self.due.setText(f"{due:%H:%M} {vietnamese.weekday_day(due.date())} (buổi {half})")

        self.worker.submit(compute, show)

    # -- chip card --------------------------------------------------------------------------------
    def fill_from_card(self, text: str) -> None:
        try:
            card = parse_cccd_qr(text)
        except ValidationError as exc:
            self.general_error.show_message(f"Không đọc được mã QR thẻ căn cước: {exc.message}")
            return
        self.general_error.clear_message()
        self.name.setText(card.name)
        self.id_type.setCurrentIndex(self.id_type.findData(IdType.CCCD.value))
        self.id_number.setText(card.id_number)
        self.birth.setText(f"{card.birth_date:%d/%m/%Y}")
        self.gender.setCurrentText(card.gender)
        if not self.address.text().strip():
            self.address.setText(card.address)
        self._card_text = text
        self.card_note.setText(
            "✔ Đã điền từ thẻ căn cước: "
            + ", ".join(CARD_FIELDS_VI.values())
            + ". Kiểm tra lại trước khi lưu."
        )
        self.phone.setFocus()

    def _card_edited(self) -> None:
        if self._card_text is not None:
            self._card_text = None
            self.card_note.setText("Đã sửa tay thông tin lấy từ thẻ: hồ sơ lưu theo thông tin nhập tay.")

    # -- save -----------------------------------------------------------------------------------
    def request(self) -> IntakeRequest:
        if self.procedure is None:
            raise ValidationError(
                "Chưa chọn thủ tục: gõ tên thủ tục rồi chọn trong danh sách.", field="procedure"
            )
        chosen = [
            row
            for row in range(self.documents.rowCount())
            if self.documents.item(row, 0).checkState() == Qt.CheckState.Checked
        ]
        counts = {}
        for row in chosen:
            try:
                counts[row] = (
                    int(self.documents.item(row, 1).text()),
                    int(self.documents.item(row, 2).text()),
                )
            except ValueError:
                raise ValidationError("Số bản chính, bản sao ghi bằng chữ số.", field="documents") from None
        return IntakeRequest(
            procedure_code=self.procedure.code,
            counts=counts,
            cccd_qr=self._card_text,
            name=self.name.text(),
            id_type=self.id_type.currentData(),
            id_number=self.id_number.text(),
            birth_date=parse_birth(self.birth.text()),
            gender=self.gender.currentText() or None,
            phone=self.phone.text(),
            address=self.address.text(),
            documents=chosen,
            sets=self.sets.value(),
            fee=self.fee.value(),
            channel=self.channel.currentData(),
            officer=self.officer or None,
        )

    def save(self) -> None:
        if self.worker.busy and not self.save_button.isEnabled():
            return
        self._clear_errors()
        try:
            req = self.request()
        except DomainError as exc:
            self.show_error(exc)
            return
        self.save_button.setEnabled(False)
        self.worker.submit(lambda counter: intake(counter, req), self._saved, self._failed)

    def _saved(self, result: IntakeResult) -> None:
        self.save_button.setEnabled(True)
        emit(self.saved, result)
        self.clear()

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, DomainError):
            self.show_error(exc)
        else:
            raise exc

    def show_error(self, exc: DomainError) -> None:
        target = self._errors.get(exc.field or "")
        if target is not None:
            target.show_message(exc.message)
        else:
            self.general_error.show_message(exc.message)

    def _clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear_message()
        self.general_error.clear_message()

    def clear(self) -> None:
        self._clear_errors()
        for w in (self.name, self.id_number, self.birth, self.phone, self.address, self.search):
            w.clear()
        self.gender.setCurrentIndex(0)
        self.id_type.setCurrentIndex(0)
        self.sets.setValue(1)
        self.card_note.clear()
        self._card_text = None
        self.procedure = None
        self.documents.setRowCount(0)
        self.chosen.setText("Chưa chọn thủ tục.")
        self.due.setText("—")
        self.search.setFocus()
