"""The one module that imports Qt, so the rest of ui/ names what it uses and tests can check the layering."""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6 import QtCore, QtGui, QtNetwork, QtPdf, QtPdfWidgets, QtPrintSupport, QtWidgets
from PySide6.QtCore import QObject, Qt, Signal, Slot
from shiboken6 import isValid as alive


def _make_singletons_immortal() -> None:
    """PySide6 6.12.0 returns None, True and False from its calls without a new reference (it
    assumes Python 3.12's immortal objects): every ``label.setText(...)``, emit or translator
    lookup steals one. On Python 3.11 a day at the counter runs None's some 35,000 references
    down and the interpreter aborts ("none_dealloc"). Python 3.12 makes these objects immortal by
    giving them a reference count no program can spend; do the same here, once, at import."""
    if sys.version_info >= (3, 12):
        return
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40


_make_singletons_immortal()


def emit(signal: Any, *args: Any) -> None:
    """Emit a signal from Python; every emit in ui/ goes through here, one place to adapt."""
    signal.emit(*args)


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
