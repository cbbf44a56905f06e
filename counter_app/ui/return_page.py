"""Returning results: scan the receipt, press Enter, let the citizen rate. Three actions, no mouse."""

from __future__ import annotations

from counter_app.domain import vietnamese
from counter_app.domain.errors import DomainError
from counter_app.domain.lifecycle import STATE_LABELS, Dossier, State
from counter_app.services import actions, queries
from counter_app.services.context import Counter
from counter_app.ui.dossier_dialog import RatingDialog
from counter_app.ui.qt import QtWidgets, Signal, emit
from counter_app.ui.widgets import FieldError
from counter_app.ui.worker import Worker


class ReturnPage(QtWidgets.QWidget):
    returned = Signal(object)

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker
        self.officer = ""
        self.dossier: Dossier | None = None
        self._looked_up = ""
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(
            QtWidgets.QLabel("<h2>Trả kết quả</h2>Quét mã vạch trên giấy hẹn (hoặc gõ mã hồ sơ rồi Enter).")
        )
        self.code = QtWidgets.QLineEdit()
        font = self.code.font()
        font.setPointSize(font.pointSize() + 6)
        self.code.setFont(font)
        self.code.setPlaceholderText("000.00.21.H40-261116-0001")
        self.code.returnPressed.connect(self._enter)
        layout.addWidget(self.code)
        self.summary = QtWidgets.QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.error = FieldError()
        layout.addWidget(self.error)
        self.done = QtWidgets.QLabel("")
        self.done.setStyleSheet("color: #1b5e20; font-weight: bold;")
        layout.addWidget(self.done)
        layout.addStretch(1)

    def scanned(self, code: str) -> None:
        self.code.setText(code.strip().upper())
        self.lookup()

    def _enter(self) -> None:
        """Enter looks the code up; a second Enter on a dossier ready to return records the return."""
        if self.dossier is not None and self._looked_up == self.code.text().strip().upper():
            self.return_now()
        else:
            self.lookup()

    def lookup(self) -> None:
        self.error.clear_message()
        self.done.clear()
        code = self._looked_up = self.code.text().strip().upper()

        def load(counter: Counter) -> Dossier | None:
            detail = queries.show(counter, code)
            return detail.dossier if detail else None

        self.worker.submit(load, self._show)

    def _show(self, dossier: Dossier | None) -> None:
        self.dossier = dossier
        if dossier is None:
            self.summary.clear()
            self.error.show_message(f"Không tìm thấy hồ sơ mã «{self.code.text().strip()}».")
            return
        ready = dossier.state == State.READY
        self.summary.setText(
            f"<h3>{dossier.applicant_name}</h3>{dossier.procedure_name}<br>"
            f"Mã {dossier.code} · Trạng thái: <b>{STATE_LABELS[dossier.state]}</b> · "
            f"Hẹn trả {vietnamese.moment(dossier.due_at)}<br>"
            + ("<b>Nhấn Enter để ghi nhận trả kết quả.</b>" if ready else "Hồ sơ chưa sẵn sàng để trả.")
        )
        self.code.setFocus()

    def return_now(self) -> None:
        if self.dossier is None:
            return
        if self.dossier.state != State.READY:  # asked before the rating, which would be wasted
            self.error.show_message(
                f"Hồ sơ {self.dossier.code} đang ở trạng thái «{STATE_LABELS[self.dossier.state]}», "
                "chưa có kết quả để trả."
            )
            return
        dossier = self.dossier  # a scan while the citizen rates must not change whose return this is
        dialog = RatingDialog(self)
        if not dialog.exec():
            return
        request = actions.ActionRequest(
            code=dossier.code, action="return", officer=self.officer, rating=dialog.rating,
            comment=dialog.comment.text(),
        )  # fmt: skip
        self.worker.submit(lambda counter: actions.perform(counter, request), self._returned, self._failed)

    def _returned(self, dossier: Dossier) -> None:
        self.done.setText(f"✔ Đã trả kết quả hồ sơ {dossier.code} cho {dossier.applicant_name}.")
        self.summary.clear()
        self.dossier = None
        self.code.clear()
        self.code.setFocus()
        emit(self.returned, dossier)

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, DomainError):
            self.error.show_message(exc.message)
        else:
            emit(self.worker.unexpected, exc)
