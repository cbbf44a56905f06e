"""Barcode and QR scanners type like a keyboard: recognise their bursts anywhere in the window.

A scan is a run of keys ending in Enter whose text is a chip-card QR (CCCD) or a dossier code.
What the burst typed into the focused field is taken back out, and the Enter is consumed, so a
scan never leaves QR text in a name box or submits a half-filled form.
"""

from __future__ import annotations

from counter_app.domain.codes import parse_code
from counter_app.domain.identity import looks_like_cccd_qr
from counter_app.ui.qt import QObject, QtCore, QtWidgets, Signal, emit

GAP_MS = 80  # scanners send a character every few ms; a person types far slower


class ScanDetector(QObject):
    qr_scanned = Signal(str)
    code_scanned = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buffer = ""
        self._clock = QtCore.QElapsedTimer()
        self._clock.start()
        self._last = -(10**9)

    def eventFilter(self, obj: QObject, event: QtCore.QEvent) -> bool:
        if event.type() != QtCore.QEvent.Type.KeyPress or not self._is_first_receiver(obj):
            return False
        key = event.key()  # type: ignore[attr-defined]
        if key in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter):
            burst, self._buffer = self._buffer.strip(), ""
            if looks_like_cccd_qr(burst):
                self._take_back(burst)
                emit(self.qr_scanned, burst)
                return True
            if parse_code(burst):
                self._take_back(burst)
                emit(self.code_scanned, burst)
                return True
            return False
        text = event.text()  # type: ignore[attr-defined]
        if text and text.isprintable():
            now = self._clock.elapsed()
            if now - self._last > GAP_MS:
                self._buffer = ""
            self._buffer += text
            self._last = now
        return False

    @staticmethod
    def _is_first_receiver(obj: QObject) -> bool:
        focus = QtWidgets.QApplication.focusWidget()
        if focus is None:
            return isinstance(obj, QtWidgets.QWidget) and obj.isWindow()
        return obj is focus

    @staticmethod
    def _take_back(burst: str) -> None:
        focus = QtWidgets.QApplication.focusWidget()
        if isinstance(focus, QtWidgets.QLineEdit) and focus.text().endswith(burst):
            focus.setText(focus.text()[: -len(burst)])
        elif isinstance(focus, QtWidgets.QPlainTextEdit) and focus.toPlainText().endswith(burst):
            focus.setPlainText(focus.toPlainText()[: -len(burst)])
