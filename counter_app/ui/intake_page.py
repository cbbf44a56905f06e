"""Intake: find the procedure, fill the applicant (or scan the chip card), tick the papers, save.

Everything that touches the database or the calendar goes through the worker; the page only
collects what the officer typed and shows each service error under the field it concerns.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime

from counter_app.domain import vietnamese
from counter_app.domain.deadlines import compute_due, half_day
from counter_app.domain.errors import DomainError, ValidationError
from counter_app.domain.identity import ID_TYPE_LABELS, IdType, parse_cccd_qr
from counter_app.domain.procedures import Procedure, ProcedureIndex
from counter_app.services.context import Counter
from counter_app.services.intake import (
    CHANNELS,
    IntakeRefused,
    IntakeRequest,
    IntakeResult,
    applicant_problems,
    intake,
    problems_of,
)
from counter_app.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal, emit
from counter_app.ui.widgets import FieldError
from counter_app.ui.worker import Worker

CARD_FIELDS_VI = {"name": "họ tên", "id_number": "số định danh", "birth_date": "ngày sinh", "gender": "giới tính",
                  "address": "nơi thường trú"}  # fmt: skip


def parse_birth(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return vietnamese.parse_day(text)
    except ValueError as exc:
        raise ValidationError(f"Ngày sinh: {exc}", field="birth_date") from None


class PapersTable(QtWidgets.QTableWidget):
    """The checklist: arrows move, Space ticks the row, digits edit a count, Tab leaves the table."""

    def __init__(self) -> None:
        super().__init__(0, 3)
        self.setTabKeyNavigation(False)
        self.setItemDelegate(_LeaveOnTab(self))

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentRow() >= 0:
            cell = self.item(self.currentRow(), 0)
            ticked = cell.checkState() == Qt.CheckState.Checked
            cell.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QtGui.QFocusEvent) -> None:
        if self.rowCount() and self.currentRow() < 0:
            self.setCurrentCell(0, 0)  # so Space ticks at once, without an arrow first
        super().focusInEvent(event)

    def leave(self, forward: bool) -> None:
        self.setFocus()
        self.focusNextPrevChild(forward)  # tab-key navigation is off: this leaves the table


class _LeaveOnTab(QtWidgets.QStyledItemDelegate):
    """Tab in a count being edited keeps the count and moves on to the next field, not the next cell."""

    def eventFilter(self, editor: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if event.type() == QtCore.QEvent.Type.KeyPress and event.key() in (  # type: ignore[attr-defined]
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
        ):
            forward = event.key() == Qt.Key.Key_Tab and not (  # type: ignore[attr-defined]
                event.modifiers() & Qt.KeyboardModifier.ShiftModifier  # type: ignore[attr-defined]
            )
            emit(self.commitData, editor)
            emit(self.closeEditor, editor, QtWidgets.QAbstractItemDelegate.EndEditHint.NoHint)
            table = self.parent()
            assert isinstance(table, PapersTable)
            table.leave(forward)
            return True
        return super().eventFilter(editor, event)


def _buddy(text: str, widget: QtWidgets.QWidget) -> QtWidgets.QLabel:
    """A label whose Alt+underlined letter puts the cursor in its field."""
    label = QtWidgets.QLabel(text)
    label.setBuddy(widget)
    return label


def _section(text: str) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _focus(widget: QtWidgets.QWidget) -> None:
    widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
    if isinstance(widget, QtWidgets.QAbstractSpinBox):
        widget.selectAll()
    elif isinstance(widget, QtWidgets.QTableWidget) and widget.rowCount() and widget.currentRow() < 0:
        widget.setCurrentCell(0, 0)


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
        """Two columns that fit 1366×728: what is asked for | who asks and when. Sections are
        numbered in the order of the work, Alt+1…4 jumps to each, Alt+letter to each field."""
        outer = QtWidgets.QHBoxLayout(self)
        left = QtWidgets.QVBoxLayout()
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Gõ tên thủ tục, không cần dấu (ví dụ: khai sinh)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._refresh_results)
        self.search.returnPressed.connect(self._choose_first)
        left.addWidget(_section("1. Thủ tục  (Alt+1)"))
        left.addWidget(self.search)
        self.results = QtWidgets.QListWidget()
        self.results.setWordWrap(True)
        self.results.itemActivated.connect(self._choose_item)
        self.results.currentItemChanged.connect(lambda cur, _prev: cur and self._choose_item(cur))
        left.addWidget(self.results, 2)
        self._errors["procedure"] = FieldError()
        left.addWidget(self._errors["procedure"])
        self.chosen = QtWidgets.QLabel("Chưa chọn thủ tục.")
        self.chosen.setWordWrap(True)
        left.addWidget(self.chosen)
        self.documents = PapersTable()
        left.addWidget(
            _section("3. Giấy tờ nộp  (Alt+3; Space: đánh/bỏ dấu ✔, gõ số để sửa số bản; * bắt buộc)")
        )
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
        applicant = QtWidgets.QGroupBox("2. Người nộp hồ sơ  (Alt+2; quét QR thẻ căn cước để điền tự động)")
        grid = QtWidgets.QFormLayout(applicant)
        self.name = QtWidgets.QLineEdit()
        self.id_type = QtWidgets.QComboBox()
        for kind in IdType:
            self.id_type.addItem(ID_TYPE_LABELS[kind], kind.value)
        self.id_number = QtWidgets.QLineEdit()
        self.birth = QtWidgets.QLineEdit()
        self.birth.setPlaceholderText("ngày/tháng/năm, ví dụ 23/05/2002 hoặc 23052002")
        self.gender = QtWidgets.QComboBox()
        self.gender.addItems(["", "Nam", "Nữ"])
        self.phone = QtWidgets.QLineEdit()
        self.address = QtWidgets.QLineEdit()
        for label, key, widget in [
            ("&Họ và tên *", "name", self.name),
            ("&Loại giấy tờ", "id_type", self.id_type),
            ("&Số giấy tờ *", "id_number", self.id_number),
            ("Ngày si&nh", "birth_date", self.birth),
            ("&Giới tính", "gender", self.gender),
            ("Điện th&oại", "phone", self.phone),
            ("Địa &chỉ", "address", self.address),
        ]:
            box = QtWidgets.QVBoxLayout()
            box.setSpacing(0)
            box.addWidget(widget)
            self._errors[key] = FieldError()
            box.addWidget(self._errors[key])
            grid.addRow(_buddy(label, widget), box)
        self.name.textEdited.connect(self._card_edited)
        self.id_number.textEdited.connect(self._card_edited)
        self.card_note = QtWidgets.QLabel("")
        self.card_note.setWordWrap(True)
        self.card_note.setStyleSheet("color: #1b5e20;")
        grid.addRow(self.card_note)
        self._errors["qr"] = FieldError()
        grid.addRow(self._errors["qr"])
        right.addWidget(applicant)

        extra = QtWidgets.QGroupBox("4. Lệ phí, nhận kết quả, hẹn trả  (Alt+4)")
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
        row.addWidget(_buddy("bộ   &Phí, lệ phí", self.fee))
        row.addWidget(self.fee, 1)
        el.addRow(_buddy("Số &bộ hồ sơ", self.sets), row)
        el.addRow(_buddy("Nhận &kết quả", self.channel), self.channel)
        el.addRow("Hẹn trả kết quả", self.due)
        for key in ("sets", "fee", "channel"):
            self._errors[key] = FieldError()
            el.addRow(self._errors[key])
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

        for seq, slot in [
            ("Ctrl+Return", self.save),
            ("Ctrl+Enter", self.save),
            ("Ctrl+R", self.clear),
            ("Alt+1", lambda: _focus(self.search)),
            ("Alt+2", lambda: _focus(self.name)),
            ("Alt+3", lambda: _focus(self.documents)),
            ("Alt+4", lambda: _focus(self.fee)),
        ]:
            QtGui.QShortcut(QtGui.QKeySequence(seq), self, activated=slot)
        # Tab follows the numbered sections: procedure, applicant, papers, fee, then the buttons.
        chain = [self.search, self.results, self.name, self.id_type, self.id_number, self.birth,
                 self.gender, self.phone, self.address, self.documents, self.sets, self.fee,
                 self.channel, self.save_button, self.clear_button]  # fmt: skip
        for first, second in itertools.pairwise(chain):
            self.setTabOrder(first, second)

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
        self._errors["qr"].clear_message()
        try:
            card = parse_cccd_qr(text)
        except ValidationError as exc:
            self.scan_refused(f"Không đọc được mã QR thẻ căn cước: {exc.message}")
            return
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

    def scan_refused(self, message: str) -> None:
        """A scan that could not be used: said calmly where the applicant is filled; nothing changed."""
        self._errors["qr"].show_message(message)

    def _card_edited(self) -> None:
        if self._card_text is not None:
            self._card_text = None
            self.card_note.setText("Đã sửa tay thông tin lấy từ thẻ: hồ sơ lưu theo thông tin nhập tay.")

    # -- save -----------------------------------------------------------------------------------
    def request(self) -> IntakeRequest:
        """What the page holds as a request; what the page itself cannot read is raised, all at once."""
        problems: list[DomainError] = []
        if self.procedure is None:
            problems.append(
                ValidationError(
                    "Chưa chọn thủ tục: gõ tên thủ tục rồi chọn trong danh sách.", field="procedure"
                )
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
                problems.append(ValidationError("Số bản chính, bản sao ghi bằng chữ số.", field="documents"))
                break
        birth = None
        try:
            birth = parse_birth(self.birth.text())
        except ValidationError as exc:
            problems.append(exc)
        req = IntakeRequest(
            procedure_code=self.procedure.code if self.procedure else "",
            counts=counts,
            cccd_qr=self._card_text,
            name=self.name.text(),
            id_type=self.id_type.currentData(),
            id_number=self.id_number.text(),
            birth_date=birth,
            gender=self.gender.currentText() or None,
            phone=self.phone.text(),
            address=self.address.text(),
            documents=chosen,
            sets=self.sets.value(),
            fee=self.fee.value(),
            channel=self.channel.currentData(),
            officer=self.officer or None,
        )
        if problems:  # add what the service would say of the rest, so every field speaks at once
            _, more = applicant_problems(req, date.today())
            problems += [p for p in more if p.field not in {q.field for q in problems}]
            raise IntakeRefused(problems) if len(problems) > 1 else problems[0]
        return req

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
        """Each problem under its own field; the cursor goes to the first one."""
        first: QtWidgets.QWidget | None = None
        for problem in problems_of(exc):
            target = self._errors.get(problem.field or "")
            (target or self.general_error).show_message(problem.message)
            first = first or self._fields().get(problem.field or "")
        if first is not None:
            first.setFocus()

    def _fields(self) -> dict[str, QtWidgets.QWidget]:
        return {"procedure": self.search, "name": self.name, "id_type": self.id_type,
                "id_number": self.id_number, "birth_date": self.birth, "gender": self.gender,
                "phone": self.phone, "address": self.address, "documents": self.documents,
                "sets": self.sets, "fee": self.fee, "channel": self.channel}  # fmt: skip

    def is_dirty(self) -> bool:
        """Has the officer started an intake that would be lost by closing?"""
        typed = any(
            w.text().strip() for w in (self.name, self.id_number, self.birth, self.phone, self.address)
        )
        return typed or self.procedure is not None or self._card_text is not None

    @property
    def saving(self) -> bool:
        return not self.save_button.isEnabled()

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
        self.fee.setValue(0)
        self.channel.setCurrentIndex(0)
        self.card_note.clear()
        self._card_text = None
        self.procedure = None
        self.documents.setRowCount(0)
        self.chosen.setText("Chưa chọn thủ tục.")
        self.due.setText("—")
        self.search.setFocus()
