"""Barcode and QR scanners type like a keyboard: their bursts are caught before any field sees them.

A keyboard-wedge scanner sends a key every few milliseconds; a person, even a fast one, leaves
tens of milliseconds between most keys. The filter therefore holds every printable key for a
moment: when the next one follows within ``GAP_MS`` the run grows, and when the run stops it is
either a person's keys (fewer than ``MIN_BURST``), replayed to the widget they were meant for, or
a scan, which no widget ever receives. Holding instead of taking text back afterwards is what
keeps a spin box, a table of check boxes, a combo box's type-ahead or a date field untouched:
their changes could not be undone.

A scan ends with Enter or Tab (the scanner's suffix, swallowed) or with silence. It is routed as
a chip-card QR, a dossier code, or refused with a Vietnamese sentence saying why.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_app.domain.codes import parse_code
from counter_app.domain.identity import looks_like_cccd_qr
from counter_app.domain.scan_damage import qr_damage
from counter_app.ui.qt import QObject, Qt, QtCore, QtGui, QtWidgets, Signal, alive, emit

GAP_MS = 40  # scanners: 1–15 ms per key; people: 80 ms and more, a rolled-over pair can be closer
MIN_BURST = 10  # shorter fast runs are a person's; every scanned code is 25 characters or more
SUFFIX_GRACE_MS = 400  # an Enter or Tab this soon after a scan ended by silence is its suffix

_KeyType = QtCore.QEvent.Type
_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
}
_SUFFIX_KEYS = {Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab}
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)

COM_HINT = (
    "Nếu lần quét sau vẫn lỗi, hãy chuyển máy quét sang chế độ cổng COM ảo "
    "(Cài đặt → «Cổng COM máy quét QR»), hoặc nhập tay theo thẻ."
)


@dataclass(frozen=True)
class _Held:
    target: QtWidgets.QWidget
    event: QtGui.QKeyEvent


def refusal_for(burst: str) -> str | None:
    """The Vietnamese sentence refusing a scanned text, or None when it can be used."""
    if looks_like_cccd_qr(burst):
        damage = qr_damage(burst)
        if damage is None:
            return None
        return f"Mã QR thẻ căn cước vừa quét bị mất chữ trên đường truyền: {damage}. Chưa điền gì. {COM_HINT}"
    if parse_code(burst):
        return None
    if burst[:12].isdigit() and "|" in burst:
        return f"Mã QR thẻ căn cước vừa quét không đủ thông tin (có thể mất chữ). Chưa điền gì. {COM_HINT}"
    return "Mã vừa quét không phải mã QR thẻ căn cước hay mã hồ sơ. Chưa điền gì."


class ScanDetector(QObject):
    """Installed on the application: sees every key before the focused widget does."""

    qr_scanned = Signal(str)
    code_scanned = Signal(str)
    refused = Signal(str)  # a calm Vietnamese sentence; nothing the burst typed stays anywhere

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held: list[_Held] = []
        self._text = ""
        self._clock = QtCore.QElapsedTimer()
        self._clock.start()
        self._last = -(10**9)
        self._scan_ended = -(10**9)
        self._replaying = False
        self._swallow_releases: set[int] = set()
        self._silence = QtCore.QTimer(self)
        self._silence.setSingleShot(True)
        self._silence.timeout.connect(self._burst_ended)

    # -- the filter -----------------------------------------------------------------------------
    def eventFilter(self, obj: QObject, event: QtCore.QEvent) -> bool:
        kind = event.type()
        if self._replaying or kind not in (_KeyType.KeyPress, _KeyType.KeyRelease):
            return False
        if not self._is_first_receiver(obj):
            return False
        key = event.key()  # type: ignore[attr-defined]
        if kind == _KeyType.KeyRelease:
            if self._held:
                self._hold(obj, event)
                return True
            if key in self._swallow_releases:
                self._swallow_releases.discard(key)
                return True
            return False
        now = self._clock.elapsed()
        if key in _MODIFIER_KEYS:
            if self._held:
                self._hold(obj, event)
                return True
            return False
        modifiers = event.modifiers()  # type: ignore[attr-defined]
        text = event.text()  # type: ignore[attr-defined]
        if key in _SUFFIX_KEYS and not modifiers & _COMMAND_MODIFIERS:
            if len(self._text) >= MIN_BURST:
                self._silence.stop()
                self._finish()
                self._swallow_releases.add(key)
                return True
            if now - self._scan_ended <= SUFFIX_GRACE_MS:
                self._scan_ended = -(10**9)
                self._swallow_releases.add(key)
                return True
        printable = bool(text) and text.isprintable() and not modifiers & _COMMAND_MODIFIERS
        if printable and not event.isAutoRepeat():  # type: ignore[attr-defined]
            if self._held and now - self._last > GAP_MS:
                self._burst_ended()
            self._hold(obj, event)
            self._text += text
            self._last = now
            self._silence.start(GAP_MS)
            return True
        if self._held:
            self._burst_ended()
        return False

    def _hold(self, obj: QObject, event: QtCore.QEvent) -> None:
        copy = QtGui.QKeyEvent(
            event.type(),
            event.key(),  # type: ignore[attr-defined]
            event.modifiers(),  # type: ignore[attr-defined]
            event.text(),  # type: ignore[attr-defined]
            event.isAutoRepeat(),  # type: ignore[attr-defined]
            event.count(),  # type: ignore[attr-defined]
        )
        self._held.append(_Held(obj, copy))  # type: ignore[arg-type]

    # -- end of a run ---------------------------------------------------------------------------
    def _burst_ended(self) -> None:
        """Silence after a run: a scan when it is long enough, otherwise a person's keys."""
        self._silence.stop()
        if len(self._text) >= MIN_BURST:
            self._finish()
            self._scan_ended = self._clock.elapsed()
        else:
            self._replay()

    def _replay(self) -> None:
        held, self._held, self._text = self._held, [], ""
        self._replaying = True
        try:
            for item in held:
                if alive(item.target):
                    QtWidgets.QApplication.sendEvent(item.target, item.event)
        finally:
            self._replaying = False

    def _finish(self) -> None:
        burst = self._text.strip()
        for item in self._held:  # their releases may still come: they belong to the scan too
            if item.event.type() == _KeyType.KeyPress:
                self._swallow_releases.add(item.event.key())
        for item in self._held:
            if item.event.type() == _KeyType.KeyRelease:
                self._swallow_releases.discard(item.event.key())
        self._held, self._text = [], ""
        self.route(burst)

    def route(self, burst: str) -> None:
        """Send a scanned text where it belongs (also used by the serial-port scanner)."""
        burst = burst.strip().strip("\ufeff\x00")
        refusal = refusal_for(burst)
        if refusal is not None:
            emit(self.refused, refusal)
        elif looks_like_cccd_qr(burst):
            emit(self.qr_scanned, burst)
        else:
            emit(self.code_scanned, burst)

    @staticmethod
    def _is_first_receiver(obj: QObject) -> bool:
        focus = QtWidgets.QApplication.focusWidget()
        if focus is None:
            return isinstance(obj, QtWidgets.QWidget) and obj.isWindow()
        return obj is focus
