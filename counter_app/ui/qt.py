"""The one module that imports Qt, so the rest of ui/ names what it uses and tests can check the layering."""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtPdf, QtPdfWidgets, QtPrintSupport, QtWidgets
from PySide6.QtCore import QObject, Qt, Signal, Slot

__all__ = [
    "QObject",
    "Qt",
    "QtCore",
    "QtGui",
    "QtPdf",
    "QtPdfWidgets",
    "QtPrintSupport",
    "QtWidgets",
    "Signal",
    "Slot",
]
