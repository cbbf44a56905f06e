"""One dossier: header, remaining working time, timeline, and every legal next action as a button."""

from __future__ import annotations

from datetime import datetime

from counter_app.domain import vietnamese
from counter_app.domain.errors import DomainError
from counter_app.domain.lifecycle import (
    ACTION_LABELS,
    ACTIONS_NEEDING_REASON,
    ROLE_ACTIONS,
    STATE_LABELS,
    TRANSITIONS,
    Action,
    Role,
)
from counter_app.services import actions, queries
from counter_app.services.context import Counter
from counter_app.ui.attachments_panel import AttachmentsPanel
from counter_app.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal, emit
from counter_app.ui.widgets import FieldError, alt_button, fit_to_screen
from counter_app.ui.worker import Worker

# The buttons, in the order of a dossier's life, with their shortcuts.
BUTTONS: list[tuple[Action, str]] = [
    (Action.TRANSFER, "Ctrl+T"),
    (Action.REQUEST_SUPPLEMENT, "Ctrl+B"),
    (Action.RECEIVE_SUPPLEMENT, "Ctrl+N"),
    (Action.READY, "Ctrl+K"),
    (Action.RETURN, "Ctrl+E"),
    (Action.APOLOGIZE, "Ctrl+L"),
    (Action.REFUSE, "Ctrl+F"),
    (Action.STOP, "Ctrl+D"),
    (Action.WITHDRAW, "Ctrl+W"),
    (Action.CANCEL, "Ctrl+H"),
    (Action.RATE, "Ctrl+G"),
]


def allowed(action: Action, state: object, role: Role) -> bool:
    states, _ = TRANSITIONS[action]
    return state in states and action in ROLE_ACTIONS[role]


class RatingDialog(QtWidgets.QDialog):
    """Asked at the return: 1 = hài lòng, 2 = không hài lòng, 0 = không đánh giá."""

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Đánh giá của công dân")
        self.rating: str | None = None
        self._keys: dict[str, str | None] = {}
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(QtWidgets.QLabel("Công dân có hài lòng với kết quả giải quyết không?"))
        row = QtWidgets.QHBoxLayout()
        for key, text, value in [("1", "1 — Hài lòng", "satisfied"), ("2", "2 — Không hài lòng", "unsatisfied"),
                                 ("0", "0 — Không đánh giá", None)]:  # fmt: skip
            button = QtWidgets.QPushButton(text)
            button.setToolTip(f"Phím {key} (phím số, không cần Alt)")
            button.clicked.connect(lambda _=False, v=value: self._choose(v))
            self._keys[key] = value
            row.addWidget(button)
        layout.addLayout(row)
        self.comment = QtWidgets.QLineEdit()
        self.comment.setPlaceholderText("Góp ý (nếu có)")
        layout.addWidget(self.comment)
        row.itemAt(0).widget().setFocus()

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:
        """1 / 2 / 0 as plain keys, not shortcuts: shortcuts fire before the scanner filter sees a
        key, so the digits of the next citizen's scanned receipt would answer for this one."""
        if event.text() in self._keys and not self.comment.hasFocus():
            self._choose(self._keys[event.text()])
            return
        super().keyPressEvent(event)

    def _choose(self, value: str | None) -> None:
        self.rating = value
        self.accept()


class ReasonDialog(QtWidgets.QDialog):
    """Reason (and, for an apology, the new appointment) for actions that need one."""

    def __init__(
        self, action: Action, parent: QtWidgets.QWidget | None = None, due: datetime | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(ACTION_LABELS[action])
        layout = QtWidgets.QFormLayout(self)
        self.reason = QtWidgets.QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(
            "Liệt kê đầy đủ giấy tờ cần bổ sung (hướng dẫn một lần)"
            if action == Action.REQUEST_SUPPLEMENT
            else "Lý do"
        )
        label = "Nội dung cần bổ sung *" if action == Action.REQUEST_SUPPLEMENT else "Lý do *"
        layout.addRow(label, self.reason)
        self.handler = QtWidgets.QLineEdit()
        if action == Action.TRANSFER:
            self.reason.setPlaceholderText("Ghi chú (không bắt buộc)")
            layout.labelForField(self.reason).setText("Ghi chú")
            layout.addRow("Chuyển cho", self.handler)
        self.new_due = QtWidgets.QDateTimeEdit()
        self.new_due.setDisplayFormat("HH:mm dd/MM/yyyy")
        self.new_due.setCalendarPopup(True)
        if action == Action.APOLOGIZE:
            start = due or datetime.now()
            self.new_due.setDateTime(QtCore.QDateTime(start.date(), start.time()).addDays(1))
            layout.addRow("Ngày hẹn trả mới *", self.new_due)
        buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok).setText("Ghi nhận  (Ctrl+Enter)")
        buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Cancel).setText("Thôi  (Esc)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addRow(buttons)
        # Enter in the reason box starts a new line (lists of papers), so Ctrl+Enter records, as on intake.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QtGui.QShortcut(QtGui.QKeySequence(keys), self, activated=self.accept)


class DossierDialog(QtWidgets.QDialog):
    changed = Signal(object)  # the updated Dossier
    print_requested = Signal(str, str)  # form word, code

    def __init__(
        self, worker: Worker, code: str, officer: str, role: Role, parent: QtWidgets.QWidget | None = None
    ):
        super().__init__(parent)
        self.worker, self.code, self.officer, self.role = worker, code, officer, role
        self.detail: queries.DossierDetail | None = None
        self.setWindowTitle(f"Hồ sơ {code}")
        fit_to_screen(self, 1000, 680)
        layout = QtWidgets.QVBoxLayout(self)
        self.header = QtWidgets.QLabel("Đang tải…")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header)
        self.timeline = QtWidgets.QTableWidget(0, 4)
        self.timeline.setHorizontalHeaderLabels(["Thời điểm", "Việc", "Cán bộ", "Nội dung"])
        self.timeline.horizontalHeader().setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.timeline.verticalHeader().hide()
        self.timeline.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.attachments = AttachmentsPanel(worker, code, officer)
        self.attachments.changed.connect(self._done)
        self.tabs = QtWidgets.QTabWidget()
        self.tabs.addTab(self.timeline, "Quá trình xử lý")
        self.tabs.addTab(self.attachments, "Số hóa tài liệu")
        layout.addWidget(self.tabs, 1)
        self.error = FieldError()
        layout.addWidget(self.error)
        grid = QtWidgets.QGridLayout()
        self.buttons: dict[Action, QtWidgets.QPushButton] = {}
        for i, (action, keys) in enumerate(BUTTONS):
            button = QtWidgets.QPushButton(f"{ACTION_LABELS[action]}  ({keys})")
            button.setToolTip(f"{ACTION_LABELS[action]} — phím tắt {keys}")
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, a=action: self.perform(a))
            QtGui.QShortcut(QtGui.QKeySequence(keys), self, activated=lambda a=action: self._shortcut(a))
            self.buttons[action] = button
            grid.addWidget(button, i // 4, i % 4)
        layout.addLayout(grid)
        prints = QtWidgets.QHBoxLayout()
        prints.addWidget(QtWidgets.QLabel("In lại mẫu (Alt+số):"))
        # The underlined digit is the form's number (Mẫu 01 … 06) and its Alt key.
        for word, label in [("receipt", "&1 Giấy hẹn"), ("supplement", "&2 Yêu cầu bổ sung"),
                            ("refusal", "&3 Từ chối"), ("apology", "&4 Xin lỗi, hẹn lại"), ("stop", "&5 Dừng"),
                            ("control", "&6 Phiếu kiểm soát")]:  # fmt: skip
            button = alt_button(label, f"In lại Mẫu 0{label[1]}: {label[3:].lower()}")
            button.clicked.connect(lambda _=False, w=word: emit(self.print_requested, w, self.code))
            prints.addWidget(button)
        prints.addStretch(1)
        close = QtWidgets.QPushButton("Đóng (Esc)")
        close.clicked.connect(self.reject)
        prints.addWidget(close)
        layout.addLayout(prints)
        self.reload()

    def reload(self) -> None:
        self.worker.submit(lambda counter: self._load(counter), self._show, self._failed)

    def _load(self, counter: Counter) -> tuple[queries.DossierDetail | None, int]:
        return queries.show(counter, self.code), counter.calendar.minutes_per_day

    def _show(self, loaded: tuple[queries.DossierDetail | None, int]) -> None:
        detail, per_day = loaded
        if detail is None:
            self.header.setText(f"Không tìm thấy hồ sơ {self.code}.")
            return
        self.detail = detail
        d = detail.dossier
        left = ""
        if detail.minutes_left is not None:
            if detail.minutes_left >= 0:
                left = f" · Còn {vietnamese.duration(detail.minutes_left, per_day)} làm việc"
            else:
                left = f" · ⚠ Quá hạn {vietnamese.duration(-detail.minutes_left, per_day)} làm việc"
        self.header.setText(
            f"<h3>{d.code} — {STATE_LABELS[d.state]}</h3>"
            f"<b>{d.applicant_name}</b> ({d.id_number}) · {d.phone or 'không có điện thoại'}<br>"
            f"{d.procedure_name} <i>({d.field})</i><br>"
            f"Tiếp nhận {vietnamese.moment(d.received_at)} · Hẹn trả <b>{vietnamese.moment(d.due_at)}</b>{left}"
            + (
                f" · hẹn ban đầu {vietnamese.moment(d.original_due_at)}"
                if d.original_due_at != d.due_at
                else ""
            )
        )
        self.timeline.setRowCount(len(detail.events))
        for r, e in enumerate(detail.events):
            note = e.payload.get("reason") or e.payload.get("handler") or ""
            if e.action == Action.ATTACH:
                note = e.payload.get("original_name", "")
            if e.payload.get("rating"):
                note = {"satisfied": "Hài lòng", "unsatisfied": "Không hài lòng"}[e.payload["rating"]]
            if e.action in (Action.RESCHEDULE, Action.APOLOGIZE, Action.RECEIVE_SUPPLEMENT) and e.payload.get(
                "due_at"
            ):
                note = (
                    (note + " · " if note else "")
                    + "hạn mới "
                    + vietnamese.moment(datetime.fromisoformat(e.payload["due_at"]))
                )
            for c, text in enumerate([vietnamese.moment(e.at), ACTION_LABELS[e.action], e.officer, note]):
                self.timeline.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        for column in range(3):  # not the stretched "Nội dung": resizing it too left it narrow, unstretched
            self.timeline.resizeColumnToContents(column)
        for action, button in self.buttons.items():
            legal = allowed(action, d.state, self.role) and not (action == Action.RATE and d.rating)
            button.setEnabled(legal)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, DomainError):
            self.error.show_message(exc.message)
        else:
            emit(self.worker.unexpected, exc)

    def _shortcut(self, action: Action) -> None:
        if self.buttons[action].isEnabled():
            self.perform(action)

    def perform(self, action: Action) -> None:
        self.error.clear_message()
        request = self.ask(action)
        if request is None:
            return
        self.worker.submit(lambda counter: actions.perform(counter, request), self._done, self._failed)

    def ask(self, action: Action) -> actions.ActionRequest | None:
        """Collect what the action needs from the officer; None when they cancel."""
        base = {"code": self.code, "action": action.value, "officer": self.officer}
        if action in (Action.RETURN, Action.RATE):
            dialog = RatingDialog(self)
            if not dialog.exec():
                return None
            return actions.ActionRequest(**base, rating=dialog.rating, comment=dialog.comment.text())
        if action in ACTIONS_NEEDING_REASON or action in (Action.TRANSFER, Action.WITHDRAW, Action.CANCEL):
            due = self.detail.dossier.due_at if self.detail else None
            dialog = ReasonDialog(action, self, due)
            if not dialog.exec():
                return None
            new_due = dialog.new_due.dateTime().toPython() if action == Action.APOLOGIZE else None
            return actions.ActionRequest(
                **base, reason=dialog.reason.toPlainText(), handler=dialog.handler.text(), new_due=new_due
            )
        return actions.ActionRequest(**base)

    def _done(self, dossier: object) -> None:
        emit(self.changed, dossier)
        self.reload()
