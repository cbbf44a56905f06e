"""Login: every event names its officer, so the window opens only for a known account."""

from __future__ import annotations

from counter_app.domain.errors import DomainError
from counter_app.services import officers
from counter_app.services.context import Counter
from counter_app.services.officers import Officer
from counter_app.ui.qt import QtCore, QtWidgets, emit
from counter_app.ui.widgets import FieldError
from counter_app.ui.worker import Worker

WARM_UP_AFTER_MS = 100


def warm_up(counter: Counter) -> None:
    """What the first screens need, done while the officer types the password: the main window's
    modules (~0.5 s of imports) and this year's working calendar (the holidays package)."""
    import counter_app.ui.main_window  # noqa: F401

    today = counter.now().date()
    counter.calendar.next_working_day(today)


class LoginDialog(QtWidgets.QDialog):
    def __init__(self, worker: Worker, agency_name: str, hint: str = "") -> None:
        super().__init__()
        self.worker = worker
        self.officer: Officer | None = None
        self.setWindowTitle("Quầy một cửa — Đăng nhập")
        layout = QtWidgets.QFormLayout(self)
        layout.addRow(QtWidgets.QLabel(f"<h2>{agency_name}</h2>Bộ phận tiếp nhận và trả kết quả"))
        self.username = QtWidgets.QLineEdit()
        self.password = QtWidgets.QLineEdit()
        self.password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        layout.addRow("Tên đăng nhập", self.username)
        layout.addRow("Mật khẩu", self.password)
        self.error = FieldError()
        layout.addRow(self.error)
        if hint:
            note = QtWidgets.QLabel(hint)
            note.setWordWrap(True)
            note.setTextInteractionFlags(
                note.textInteractionFlags() | note.textInteractionFlags().TextSelectableByMouse
            )
            layout.addRow(note)
        self.button = QtWidgets.QPushButton("Đăng nhập  (Enter)")
        self.button.setDefault(True)
        self.button.clicked.connect(self.attempt)
        self.password.returnPressed.connect(self.attempt)
        layout.addRow(self.button)
        self.username.setFocus()
        # After the window is on the screen: importing ~1 s of modules on the worker thread while
        # the login is still being shown takes the interpreter from it and delays the window.
        QtCore.QTimer.singleShot(WARM_UP_AFTER_MS, lambda: worker.submit(warm_up))

    def attempt(self) -> None:
        self.error.clear_message()
        self.button.setEnabled(False)
        username, password = self.username.text(), self.password.text()
        self.worker.submit(
            lambda counter: officers.login(counter, username, password), self._ok, self._failed
        )

    def _ok(self, officer: Officer) -> None:
        self.officer = officer
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self.button.setEnabled(True)
        self.password.clear()
        self.error.show_message(exc.message if isinstance(exc, DomainError) else "Không đăng nhập được.")
        if not isinstance(exc, DomainError):
            emit(self.worker.unexpected, exc)
