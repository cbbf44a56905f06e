"""Helpers for GUI tests: wait for the worker, type like a scanner, answer modal dialogs."""

from __future__ import annotations

from collections.abc import Callable

from counter_app.ui.qt import Qt, QtCore, QtGui, QtWidgets
from counter_app.ui.scanner import GAP_MS
from counter_app.ui.worker import Worker


def settle(qtbot, worker: Worker) -> None:
    """Let queued jobs finish and their results reach the UI thread."""
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)
    QtWidgets.QApplication.processEvents()


def type_text(widget: QtWidgets.QWidget, text: str) -> None:
    """Key events carrying any Unicode text, as a scanner in keyboard mode sends them.

    (QTest.keyClicks only knows ASCII and aborts on "Lê Văn Lương".)
    """
    for ch in text:
        key = ord(ch.upper()) if ch.isascii() and ch.isalnum() else Qt.Key.Key_unknown
        for kind in (QtCore.QEvent.Type.KeyPress, QtCore.QEvent.Type.KeyRelease):
            QtWidgets.QApplication.sendEvent(
                widget, QtGui.QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch)
            )


def type_by_hand(qtbot, widget: QtWidgets.QWidget, text: str) -> None:
    """A person typing: each key well apart, so the scanner filter lets it through (after holding it)."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    for ch in text:
        type_text(widget, ch)
        qtbot.wait(GAP_MS + 30)
    qtbot.wait(GAP_MS + 30)


def scan(qtbot, widget: QtWidgets.QWidget, text: str) -> None:
    """A keyboard-wedge scanner: the text at machine speed, then Enter, into the focused widget."""
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    type_text(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def answer_next_dialog(fill: Callable[[QtWidgets.QDialog], None]) -> None:
    """Answer the next modal dialog (reason, rating) the way an officer would."""

    def answer() -> None:
        dialog = QtWidgets.QApplication.activeModalWidget()
        assert dialog is not None, "expected a dialog"
        fill(dialog)

    QtCore.QTimer.singleShot(50, answer)
