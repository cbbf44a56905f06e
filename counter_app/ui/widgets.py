"""Small building blocks shared by the pages: labelled fields with their own error line, count tiles."""

from __future__ import annotations

from counter_app.ui.qt import Qt, QtCore, QtGui, QtWidgets, Signal, emit

ERROR_STYLE = "color: #b00020;"
BIG_FONT_PT = 12


def apply_counter_font(app: QtWidgets.QApplication) -> None:
    """Readable at arm's length: a larger default font than the desktop's."""
    font = app.font()
    font.setPointSize(max(font.pointSize(), BIG_FONT_PT))
    app.setFont(font)


class FieldError(QtWidgets.QLabel):
    """The message under one field: icon + text, so it does not rely on colour alone."""

    def __init__(self) -> None:
        super().__init__()
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(f"⚠ {text}")
        self.show()

    def clear_message(self) -> None:
        self.clear()
        self.hide()


class Tile(QtWidgets.QFrame):
    """A dashboard count: big number, a symbol and a label; clicking opens the matching list."""

    clicked = Signal()

    def __init__(self, symbol: str, label: str, colour: str) -> None:
        super().__init__()
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setCursor(QtGui.QCursor(Qt.CursorShape.PointingHandCursor))
        self.setStyleSheet(f"Tile {{ border: 2px solid {colour}; border-radius: 8px; background: white; }}")
        layout = QtWidgets.QVBoxLayout(self)
        self.number = QtWidgets.QLabel("…")
        font = self.number.font()
        font.setPointSize(28)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setStyleSheet(f"color: {colour};")
        head = QtWidgets.QLabel(f"{symbol}  {label}")
        head.setWordWrap(True)
        layout.addWidget(self.number, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(head)
        self.setMinimumSize(QtCore.QSize(180, 110))

    def set_count(self, value: int) -> None:
        self.number.setText(f"{value:,}".replace(",", "."))

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:
        emit(
            self.clicked,
        )
        super().mouseReleaseEvent(event)


TITLE_BAR_PX = 40  # a Windows 10/11 title bar and frame, with a margin


def fit_to_screen(window: QtWidgets.QWidget, width: int, height: int) -> None:
    """Size a window to what it wants, but never past the usable screen (1366×728 above a taskbar)."""
    screen = window.screen() or QtGui.QGuiApplication.primaryScreen()
    area = screen.availableGeometry()
    window.resize(min(width, area.width() - 16), min(height, area.height() - TITLE_BAR_PX))


def file_dialog(
    parent: QtWidgets.QWidget | None, title: str, start: str, filters: str, *, save: bool = False
) -> QtWidgets.QFileDialog:
    """Qt's own file dialog (Vietnamese), big enough that its names, sizes, types and dates are read
    whole: at Qt's default size, with the counter's larger font, they were cut ("Máy…", "56…iB")."""
    from counter_app.ui import translations

    dialog = QtWidgets.QFileDialog(parent, title, start, filters)
    dialog.setOptions(translations.file_dialog_options())
    if save:
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    dialog.setViewMode(QtWidgets.QFileDialog.ViewMode.Detail)
    fit_to_screen(dialog, 960, 560)
    sidebar = dialog.findChild(QtWidgets.QListView, "sidebar")
    splitter = dialog.findChild(QtWidgets.QSplitter, "splitter")
    if sidebar is not None and splitter is not None:
        splitter.setSizes([200, dialog.width() - 200])
    tree = dialog.findChild(QtWidgets.QTreeView, "treeView")
    if tree is not None:
        header = tree.header()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Stretch)
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
    return dialog


def save_file_name(parent: QtWidgets.QWidget | None, title: str, start: str, filters: str) -> str:
    """The path the officer chose to save to, or "" (Qt asks before overwriting a file)."""
    dialog = file_dialog(parent, title, start, filters, save=True)
    return dialog.selectedFiles()[0] if dialog.exec() and dialog.selectedFiles() else ""


def alt_button(text: str, what: str = "") -> QtWidgets.QPushButton:
    """A button whose '&' letter is its Alt shortcut (underlined, as Windows shows it once Alt is
    held); the tooltip names the key too, for an officer who has not noticed the underline."""
    button = QtWidgets.QPushButton(text)
    key = QtGui.QKeySequence.mnemonic(text).toString()
    assert key, f"no & letter in {text!r}"
    button.setToolTip(f"{what} — phím tắt {key}" if what else f"Phím tắt {key}")
    return button


def hint(widget: QtWidgets.QWidget, text: str) -> QtWidgets.QWidget:
    widget.setToolTip(text)
    return widget


class StatusLine(QtWidgets.QLabel):
    """The status bar's message: a text too long for the bar ends in "…" at a word, never cut
    mid-word, and the whole text is in the tooltip."""

    def __init__(self) -> None:
        super().__init__("")
        self._full = ""
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._fit()

    def text(self) -> str:
        return self._full

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        metrics, width, text = self.fontMetrics(), max(self.width() - 4, 0), self._full
        if metrics.horizontalAdvance(text) > width:
            words = text.split(" ")
            while len(words) > 1 and metrics.horizontalAdvance(" ".join(words) + " …") > width:
                words.pop()
            text = " ".join(words) + " …"
        super().setText(text)
