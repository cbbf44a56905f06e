"""Qt's own dialogs speak Vietnamese, and no text of theirs is ever blank.

Each dialog is opened for real with the translator installed, as the app does. A second translator,
installed on top, records every text Qt asks for (it answers nothing, so Qt goes on to ours). A test
fails when

- Qt asked for a text that our table does not answer (it would show in English),
- a text the officer would see is empty (a blank label, button, tab, menu entry, column or message),
- a text the officer sees contains an English word: any word of the English texts Qt asked for that
  no Vietnamese translation uses, or a common English word, a month or a day.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from counter_app.ui import translations
from counter_app.ui.qt import Qt, QtCore, QtGui, QtPrintSupport, QtWidgets

ROOT = Path(__file__).resolve().parents[2]

# Labels Qt leaves empty on purpose: they show a value or a warning, and there may be none.
EMPTY_VALUE_LABELS = {
    "location",  # print dialog: the printer's location
    "type",  # print dialog: the printer's make and model
    "pageSizeWarningLabel",  # printer properties: a paper size the printer does not know
    "colorIcon",  # print dialog: pictures beside the colour and copies options
    "outputIcon",
}
# Texts that are names, not Qt's words: files and folders, printers, and what a printer's driver (its
# PPD file) calls its paper sizes, trays and options, in the languages the driver carries. They are
# checked for blanks only.
NAMES = {"lookInCombo", "printers", "type", "location", "pageSizeCombo", "paperSource"}
DRIVER_OPTIONS = "cupsPropertiesPage"  # the "Nâng cao" tab of a CUPS printer: all the driver's
PATH = re.compile(r"(?:[A-Za-z]:)?[/\\]\S+")


def words(text: str) -> set[str]:
    """Words written in plain ASCII letters (Vietnamese ones mostly carry marks)."""
    return {w.lower() for w in re.findall(r"\w+", text.replace("&", "")) if w.isascii() and w.isalpha()}


COMMON_ENGLISH = words(
    """the and or of to for with from you your yes no ok cancel close open save print file files folder
    name size type date modified computer directory error warning search loading settings options page
    pages copies printer properties help apply reset abort retry ignore discard select all copy paste
    cut undo redo delete
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun"""
)


class Recorder(translations.PythonTranslator):
    """Notes what Qt asks for and answers nothing, so Qt asks the next translator (ours)."""

    def __init__(self, parent: QtCore.QObject) -> None:
        super().__init__(parent)
        self.asked: set[tuple[str, str]] = set()

    def answer(self, context: str, source: str) -> None:
        self.asked.add((context, source))
        return None


@dataclass
class Seen:
    translator: QtCore.QTranslator
    recorder: Recorder
    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text) the officer sees
    blanks: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # file and paper names: not checked for English

    def add(self, where: str, text: object, *, must: bool = True, name: bool = False) -> None:
        text = "" if text is None else str(text)
        if not text.strip():
            if must:
                self.blanks.append(where)
        elif name:
            self.names.append(text)
        else:
            self.texts.append((where, PATH.sub(" ", text)))

    def widget(self, root: QtWidgets.QWidget) -> None:
        """Every text of a window that the officer can see, and every text that is blank."""
        driver = root.findChild(QtWidgets.QWidget, DRIVER_OPTIONS)
        for w in [root, *root.findChildren(QtWidgets.QWidget)]:
            if (w is not root and not w.isVisibleTo(root)) or (driver is not None and driver.isAncestorOf(w)):
                continue
            where = f"{type(w).__name__}#{w.objectName()} in {type(root).__name__}"
            if w.isWindow():  # an empty title shows the app's name
                self.add(f"{where} (title)", w.windowTitle(), must=False)
            if w.toolTip():
                self.add(f"{where} (tooltip)", w.toolTip())
            if isinstance(w, QtWidgets.QLabel):
                blank_allowed = (
                    not w.pixmap().isNull() or w.movie() is not None or w.objectName() in EMPTY_VALUE_LABELS
                )
                self.add(where, w.text(), must=not blank_allowed, name=w.objectName() in NAMES)
            elif isinstance(w, QtWidgets.QAbstractButton):
                self.add(
                    where,
                    w.text(),
                    must=isinstance(w, QtWidgets.QCheckBox | QtWidgets.QRadioButton) or w.icon().isNull(),
                )
            elif isinstance(w, QtWidgets.QGroupBox):
                self.add(f"{where} (title)", w.title(), must=w.isCheckable())
            elif isinstance(w, QtWidgets.QTabWidget):
                for i in range(w.count()):
                    self.add(f"{where} tab {i}", w.tabText(i))
            elif isinstance(w, QtWidgets.QComboBox):
                for i in range(w.count()):
                    if w.itemData(i, Qt.ItemDataRole.AccessibleDescriptionRole) != "separator":
                        self.add(f"{where} item {i}", w.itemText(i), name=w.objectName() in NAMES)
            elif isinstance(w, QtWidgets.QAbstractItemView) and not isinstance(w, QtWidgets.QHeaderView):
                self.view(w, where)
            elif isinstance(w, QtWidgets.QMenu):
                self.menu(w)
            for action in w.actions():
                if not action.isSeparator() and action.text():
                    self.add(f"{where} action", action.text())

    def view(self, view: QtWidgets.QAbstractItemView, where: str) -> None:
        model = view.model()
        if model is None:
            return
        header = getattr(view, "header", None) or getattr(view, "horizontalHeader", None)
        hidden = set()
        if header is not None:
            hidden = {c for c in range(model.columnCount(view.rootIndex())) if header().isSectionHidden(c)}
            if header().isVisible():
                for c in range(model.columnCount(view.rootIndex())):
                    if c not in hidden:
                        self.add(f"{where} column {c}", model.headerData(c, Qt.Orientation.Horizontal))
        files = isinstance(model, QtWidgets.QFileSystemModel) or isinstance(
            getattr(model, "sourceModel", lambda: None)(), QtWidgets.QFileSystemModel
        )
        root = view.rootIndex()
        for r in range(min(model.rowCount(root), 50)):
            for c in range(model.columnCount(root)):
                if c in hidden or (isinstance(view, QtWidgets.QListView) and c):
                    continue
                value = model.data(model.index(r, c, root))
                self.add(
                    f"{where} row {r} column {c}", value, must=not files or c in (0, 2), name=files and c == 0
                )

    def menu(self, menu: QtWidgets.QMenu) -> None:
        self.add(f"menu {menu.objectName()} (title)", menu.title(), must=False)
        for action in menu.actions():
            if action.isSeparator():
                continue
            self.add(f"menu entry {len(self.texts)}", action.text())
            if action.menu():
                self.menu(action.menu())

    def check(self) -> None:
        # File types are named after whatever files a folder holds (here, the ones next to the tests
        # too): the table names the common ones, the test files' types are checked by the tests.
        untranslated = sorted(
            (context, source)
            for context, source in self.recorder.asked
            if context not in {*translations.LEFT_TO_QT, "QMimeType"}
            and not self.translator.translate(context, source)
        )
        answers = {
            (context, source): self.translator.translate(context, source)
            for context, source in self.recorder.asked
            if context not in translations.LEFT_TO_QT
        }
        # the English vocabulary: words of what Qt asked for, less those Vietnamese keeps (PDF, Unicode);
        # paper names ("Phong bì You 4") keep far more, so they stay out of it and are let through
        changed = {
            key: text for key, text in answers.items() if text and text != key[1] and key[0] != "QPageSize"
        }
        english = COMMON_ENGLISH | set().union(*(words(source) for _, source in changed))
        english -= set().union(*(words(text) for text in changed.values()))
        paper = {text for (context, _), text in answers.items() if context == "QPageSize"}
        foreign = [(where, text) for where, text in self.texts if text not in paper and words(text) & english]
        assert not untranslated, f"Qt texts our table does not answer: {untranslated}"
        assert not self.blanks, f"blank texts: {self.blanks}"
        assert not foreign, f"English seen: {foreign}"
        assert self.texts


@pytest.fixture
def seen(qtbot) -> Iterator[Seen]:
    """The translator installed as the app installs it, with Vietnamese as the default locale."""
    app = QtWidgets.QApplication.instance()
    locale = QtCore.QLocale()
    native = app.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)
    QtCore.QLocale.setDefault(
        QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)
    )
    translator = translations.install(app)
    recorder = Recorder(app)
    app.installTranslator(recorder)
    try:
        yield Seen(translator, recorder)
    finally:
        app.removeTranslator(recorder)
        app.removeTranslator(translator)
        QtCore.QLocale.setDefault(locale)
        app.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, native)


def while_open(trigger: Callable[[], object], inspect: Callable[[QtWidgets.QWidget], None]) -> None:
    """Runs ``trigger``, which opens a modal dialog or a popup menu (and may wait for it); ``inspect``
    sees the dialog or menu, then it is closed."""
    app = QtWidgets.QApplication.instance()
    before = app.activeModalWidget()
    opened = []

    def poll(tries: int = 100) -> None:
        window = app.activePopupWidget() or app.activeModalWidget()
        if window is not None and window is not before:
            opened.append(window)
            try:
                inspect(window)
            finally:
                if isinstance(window, QtWidgets.QDialog):
                    window.reject()
                else:
                    window.close()
        elif tries:
            QtCore.QTimer.singleShot(20, lambda: poll(tries - 1))

    QtCore.QTimer.singleShot(0, poll)
    trigger()
    deadline = QtCore.QDeadlineTimer(3000)
    while not opened and not deadline.hasExpired():
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 20)
    assert opened, "nothing opened"


def tabs_shown_one_by_one(window: QtWidgets.QWidget, seen: Seen) -> None:
    seen.widget(window)
    for tabs in window.findChildren(QtWidgets.QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            seen.widget(window)


def button(box: QtWidgets.QWidget, name: str) -> QtWidgets.QAbstractButton:
    found = box.findChild(QtWidgets.QAbstractButton, name)
    assert found is not None, name
    return found


# --- the cause ---


def test_a_text_missing_from_the_table_falls_back_to_qt_never_to_a_blank(seen: Seen) -> None:
    assert seen.translator.translate("QNoSuchDialog", "Computer") is None
    assert QtCore.QCoreApplication.translate("QNoSuchDialog", "Computer") == "Computer"
    assert QtCore.QCoreApplication.translate("QFileSystemModel", "Computer") == "Máy tính"


def test_file_dialogs_are_qt_own_so_they_speak_vietnamese_on_an_english_windows(seen: Seen) -> None:
    assert translations.file_dialog_options() & QtWidgets.QFileDialog.Option.DontUseNativeDialog
    assert QtWidgets.QApplication.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)


def test_looking_texts_up_does_not_wear_out_none(seen: Seen) -> None:
    """PySide6 6.12.0 steals a reference to None on each lookup (Python 3.11); ui.qt makes None
    immortal, so lookups cannot run it down (tests/ui/test_long_day.py runs a whole day)."""
    for _ in range(1000):  # both translators are asked each time
        QtCore.QCoreApplication.translate("QFileDialog", "Detail View")
    assert sys.version_info >= (3, 12) or sys.getrefcount(None) > 1 << 39


# --- the print dialog ---


def test_print_dialog_printer_options_and_properties_are_vietnamese(
    qtbot, seen: Seen, tmp_path: Path
) -> None:
    printer = QtPrintSupport.QPrinter()
    dialog = QtPrintSupport.QPrintDialog(printer)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    buttons = dialog.findChild(QtWidgets.QDialogButtonBox)
    more = next(b for b in buttons.buttons() if buttons.buttonRole(b) == buttons.ButtonRole.ResetRole)
    assert more.text() == "Tù&y chọn >>"
    more.click()
    qtbot.waitUntil(lambda: dialog.findChild(QtWidgets.QCheckBox, "collate").isVisible())
    assert more.text() == "Tù&y chọn <<"
    tabs_shown_one_by_one(dialog, seen)
    assert {"In theo bộ", "In ngược thứ tự", "Lật theo cạnh dài", "Lật theo cạnh ngắn"} <= {
        t for _, t in seen.texts
    }

    printers = dialog.findChild(QtWidgets.QComboBox, "printers")
    for i in range(printers.count()):  # the PDF file, and every CUPS printer this machine has
        printers.setCurrentIndex(i)
        seen.widget(dialog)
        while_open(button(dialog, "properties").click, lambda props: tabs_shown_one_by_one(props, seen))
    assert printers.itemText(printers.count() - 1) == "In ra tệp (PDF)"

    # the officer's mistakes: a folder as the PDF file, a page range Qt cannot read, a file already there
    printers.setCurrentIndex(printers.count() - 1)
    output = dialog.findChild(QtWidgets.QLineEdit, "filename")
    ok = buttons.button(buttons.StandardButton.Ok)
    said: list[str] = []

    def answer(box: QtWidgets.QWidget) -> None:
        said.append(box.text())
        seen.widget(box)

    output.setText(str(tmp_path))
    while_open(ok.click, answer)
    output.setText(str(tmp_path / "moi.pdf"))
    button(dialog, "pagesRadioButton").setChecked(True)
    dialog.findChild(QtWidgets.QLineEdit, "pagesLineEdit").setText("7-3,x")
    while_open(ok.click, answer)
    button(dialog, "printAll").setChecked(True)
    existing = tmp_path / "bien-nhan.pdf"
    existing.write_bytes(b"%PDF-1.4\n")
    output.setText(str(existing))
    while_open(ok.click, answer)
    assert said == [
        f"{tmp_path} là một thư mục.\nHãy chọn tên tệp khác.",
        "7-3,x ghi chưa đúng. Hãy dùng dấu ',' để ngăn cách các trang và khoảng trang, dấu '-' để ghi "
        "một khoảng trang, và các khoảng không được chồng lên nhau.",
        f"{existing} đã có.\nBạn có muốn ghi đè không?",
    ]
    dialog.reject()
    seen.check()


# --- the file dialog ---


@pytest.mark.parametrize("mode", ["save", "open", "folder"])
def test_file_dialog_sidebar_columns_and_overwrite_question_are_vietnamese(
    qtbot, seen: Seen, tmp_path: Path, mode: str
) -> None:
    (tmp_path / "ban-quet").mkdir()
    (tmp_path / "bao-cao.pdf").write_bytes(b"%PDF-1.4\n")
    dialog = QtWidgets.QFileDialog(None, "Lưu báo cáo", str(tmp_path), "PDF (*.pdf)")
    dialog.setOptions(translations.file_dialog_options())
    if mode == "save":
        dialog.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
    elif mode == "folder":
        dialog.setFileMode(QtWidgets.QFileDialog.FileMode.Directory)
        dialog.setOption(QtWidgets.QFileDialog.Option.ShowDirsOnly)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    button(dialog, "detailModeButton").click()
    tree = dialog.findChild(QtWidgets.QTreeView, "treeView")
    model, rows = tree.model(), 1 if mode == "folder" else 2

    def loaded() -> bool:  # names first, then types from Qt's background thread
        root = tree.rootIndex()
        return model.rowCount(root) == rows and all(model.index(r, 2, root).data() for r in range(rows))

    with contextlib.suppress(qtbot.TimeoutError):  # a blank type column: the checks below say which
        qtbot.waitUntil(loaded, timeout=3000)
    seen.widget(dialog)
    sidebar = dialog.findChild(QtWidgets.QListView, "sidebar")
    places = [sidebar.model().index(r, 0).data() for r in range(sidebar.model().rowCount())]
    assert "Máy tính" in places
    types = {tree.model().index(r, 2, tree.rootIndex()).data() for r in range(rows)}
    assert types == ({"Thư mục"} if mode == "folder" else {"Thư mục", "Tài liệu PDF"})

    if mode == "save":
        dialog.findChild(QtWidgets.QLineEdit, "fileNameEdit").setText("bao-cao.pdf")
        question: list[str] = []
        answers: list[set[str]] = []
        while_open(
            dialog.accept,
            lambda box: (
                question.append(box.text()),
                answers.append({b.text() for b in box.buttons()}),
                seen.widget(box),
            ),
        )
        assert question == ["bao-cao.pdf đã có.\nBạn có muốn thay tệp đó không?"]
        assert answers == [{"&Có", "&Không"}]
    dialog.reject()
    seen.check()


def test_file_types_are_vietnamese_without_the_system_list_as_on_windows(tmp_path: Path) -> None:
    """Windows has no shared MIME list: Qt names file types from its own (English) list, through the
    translator. An empty data dir makes Linux do the same."""
    names = ["a.pdf", "b.jpg", "c.png", "d.tif", "e.xlsx", "f.docx", "g.db"]
    for name in names:
        (tmp_path / name).write_bytes(b"%PDF-1.4\n" if name.endswith(".pdf") else b"\0\1\2")
    (tmp_path / "thu-muc").mkdir()
    empty = tmp_path / "no-mime"
    empty.mkdir()
    code = (
        "import sys\n"
        "from counter_app.ui.qt import QtCore, QtWidgets\n"
        "from counter_app.ui import translations\n"
        "app = QtWidgets.QApplication([])\n"
        "QtCore.QLocale.setDefault(QtCore.QLocale(QtCore.QLocale.Language.Vietnamese))\n"
        "translations.install(app)\n"
        "provider = QtWidgets.QFileIconProvider()\n"
        "for path in sys.argv[1:]:\n"
        "    print(provider.type(QtCore.QFileInfo(path)))\n"
    )
    env = {"XDG_DATA_DIRS": str(empty), "XDG_DATA_HOME": str(empty), "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code, *(str(tmp_path / n) for n in [*names, "thu-muc"])],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    assert out == [
        "Tài liệu PDF",
        "Ảnh JPEG",
        "Ảnh PNG",
        "Ảnh TIFF",
        "Bảng tính Excel",
        "Tài liệu Word",
        "Tệp",
        "Thư mục",
    ]


# --- message boxes, input, text menus, the calendar ---


def test_message_box_question_with_details_is_vietnamese(qtbot, seen: Seen) -> None:
    yes_no = QtWidgets.QMessageBox.StandardButton.Yes | QtWidgets.QMessageBox.StandardButton.No
    box = QtWidgets.QMessageBox(
        QtWidgets.QMessageBox.Icon.Question, "Khôi phục", "Khôi phục bản sao lưu?", yes_no
    )
    box.setDetailedText("Bản sao lưu ngày 16/11/2026")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    seen.widget(box)
    details = next(b for b in box.buttons() if box.buttonRole(b) == box.ButtonRole.ActionRole)
    assert details.text() == "Xem chi tiết..."
    details.click()
    assert details.text() == "Ẩn chi tiết..."
    seen.widget(box)
    every = QtWidgets.QDialogButtonBox()
    for standard in QtWidgets.QMessageBox.StandardButton:
        if (
            QtWidgets.QMessageBox.StandardButton.FirstButton
            <= standard
            <= QtWidgets.QMessageBox.StandardButton.LastButton
        ):
            every.addButton(QtWidgets.QDialogButtonBox.StandardButton(standard.value))
    qtbot.addWidget(every)
    every.show()
    seen.widget(every)
    assert len(every.buttons()) == 18
    seen.check()


def test_input_dialog_is_vietnamese(qtbot, seen: Seen) -> None:
    dialog = QtWidgets.QInputDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    seen.widget(dialog)
    seen.check()


def context_menu(widget: QtWidgets.QWidget, seen: Seen) -> None:
    """Right-click, as the officer does: the menu Qt builds and opens itself."""
    point = QtCore.QPoint(4, 4)
    event = QtGui.QContextMenuEvent(QtGui.QContextMenuEvent.Reason.Mouse, point, widget.mapToGlobal(point))
    while_open(lambda: QtWidgets.QApplication.sendEvent(widget, event), seen.widget)


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_right_click_menus_of_text_fields_spin_boxes_and_scroll_bars_are_vietnamese(
    qtbot, seen: Seen
) -> None:
    line = QtWidgets.QLineEdit("Nguyễn Thị Lan")
    text = QtWidgets.QPlainTextEdit("Ghi chú")
    spin = QtWidgets.QSpinBox()
    bar = QtWidgets.QScrollBar(Qt.Orientation.Vertical)
    for widget in (line, text, spin, bar):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
    line.selectAll()
    menu = line.createStandardContextMenu()
    assert [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()] == [
        "&Hoàn tác",
        "&Làm lại",
        "Cắ&t",
        "&Sao chép",
        "&Dán",
        "Xóa",
        "&Chọn tất cả",
    ]
    for widget in (line, text.viewport(), spin, bar):
        context_menu(widget, seen)
    seen.check()


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")
def test_date_edit_calendar_popup_is_vietnamese(qtbot, seen: Seen) -> None:
    edit = QtWidgets.QDateEdit(QtCore.QDate(2026, 11, 16))
    edit.setCalendarPopup(True)
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    qtbot.mousePress(edit, Qt.MouseButton.LeftButton, pos=QtCore.QPoint(edit.width() - 6, edit.height() // 2))
    calendar = edit.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    popup = calendar.window()  # held: a passing wrapper of the popup takes the calendar with it
    seen.widget(popup)
    month = calendar.findChild(QtWidgets.QToolButton, "qt_calendar_monthbutton")
    seen.menu(month.menu())
    assert month.text() == "Tháng 11"
    popup.close()
    context_menu(edit, seen)
    seen.check()
