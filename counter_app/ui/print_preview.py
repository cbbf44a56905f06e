"""Shows a form's PDF (built by counter_app.printing) and prints it through the OS spooler.

The window never lays out a form itself: what is previewed is exactly what is printed and what
`counter-admin print` writes.
"""

from __future__ import annotations

from counter_app.ui.qt import QtCore, QtGui, QtPdf, QtPdfWidgets, QtPrintSupport, QtWidgets
from counter_app.ui.widgets import fit_to_screen, save_file_name


def load_document(pdf: bytes, parent: QtCore.QObject) -> QtPdf.QPdfDocument:
    document = QtPdf.QPdfDocument(parent)
    buffer = QtCore.QBuffer(parent)
    buffer.setData(QtCore.QByteArray(pdf))
    buffer.open(QtCore.QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def print_document(document: QtPdf.QPdfDocument, printer: QtPrintSupport.QPrinter) -> None:
    """Render each page at the printer's resolution (vector PDF → crisp bars at 203 dpi too)."""
    painter = QtGui.QPainter()
    if not painter.begin(printer):
        raise OSError("Không mở được máy in.")
    try:
        dpi = printer.resolution()
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QtCore.QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
            image = document.render(page, size)
            target = painter.viewport()
            scaled = size.scaled(target.size(), QtCore.Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QtCore.QRect(QtCore.QPoint(0, 0), scaled), image)
    finally:
        painter.end()


class PrintPreviewDialog(QtWidgets.QDialog):
    def __init__(
        self, pdf: bytes, title: str, filename: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.pdf, self.filename = pdf, filename
        self.setWindowTitle(title)
        fit_to_screen(self, 760, 900)
        layout = QtWidgets.QVBoxLayout(self)
        self.document = load_document(pdf, self)
        self.view = QtPdfWidgets.QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QtPdfWidgets.QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QtPdfWidgets.QPdfView.ZoomMode.FitToWidth)
        layout.addWidget(self.view, 1)
        row = QtWidgets.QHBoxLayout()
        self.always_preview = QtWidgets.QCheckBox("Luôn xem trước khi in")
        self.always_preview.setChecked(True)
        row.addWidget(self.always_preview)
        self.print_button = QtWidgets.QPushButton("In  (Ctrl+P)")
        self.print_button.clicked.connect(self.print_now)
        save = QtWidgets.QPushButton("Lưu tệp PDF…  (Ctrl+S)")
        save.clicked.connect(self.save_as)
        close = QtWidgets.QPushButton("Đóng (Esc)")
        close.clicked.connect(self.reject)
        row.addStretch(1)
        for b in (save, self.print_button, close):
            row.addWidget(b)
        layout.addLayout(row)
        QtGui.QShortcut(QtGui.QKeySequence("Ctrl+P"), self, activated=self.print_now)
        QtGui.QShortcut(QtGui.QKeySequence("Ctrl+S"), self, activated=self.save_as)
        self.print_button.setDefault(True)
        self.print_button.setFocus()

    def print_now(self) -> None:
        printer = QtPrintSupport.QPrinter(QtPrintSupport.QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.filename.removesuffix(".pdf"))  # "In ra tệp" proposes it, not a bare folder
        dialog = QtPrintSupport.QPrintDialog(printer, self)
        if dialog.exec():
            print_document(self.document, printer)
            self.accept()

    def save_as(self) -> None:
        path = save_file_name(self, "Lưu PDF", self.filename, "Tài liệu PDF (*.pdf)")
        if path:
            with open(path, "wb") as fh:
                fh.write(self.pdf)
