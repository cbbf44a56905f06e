"""The one module that imports Qt, so the rest of ui/ names what it uses and tests can check the layering."""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6 import QtCore, QtGui, QtNetwork, QtPdf, QtPdfWidgets, QtPrintSupport, QtWidgets
from PySide6.QtCore import QObject, Qt, Signal, Slot
from shiboken6 import isValid as alive


def _true_refs_lost_per_emit() -> int:
    """PySide6 6.12.0 returns Py_True from ``Signal.emit`` without a new reference. On Python 3.11
    (True is not yet immortal) every emit steals one, and after some thousand emits the interpreter
    aborts in "bool_dealloc". Measured here, so a fixed PySide6 or Python ≥ 3.12 needs no help."""
    if sys.version_info >= (3, 12):
        return 0

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(8):
        probe.ping.emit()
    lost = (before - sys.getrefcount(True)) // 8
    for _ in range(lost * 8):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    return max(lost, 0)


_LOST = _true_refs_lost_per_emit()


def emit(signal: Any, *args: Any) -> None:
    """Emit a signal from Python; every emit in ui/ goes through here (see _true_refs_lost_per_emit)."""
    signal.emit(*args)
    for _ in range(_LOST):
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))


__all__ = [
    "QObject",
    "Qt",
    "QtCore",
    "QtGui",
    "QtNetwork",
    "QtPdf",
    "QtPdfWidgets",
    "QtPrintSupport",
    "QtWidgets",
    "Signal",
    "Slot",
    "alive",
    "emit",
]
