"""Every action button the officer can see has a key, shown on it, that really is bound, and no two
things on one screen share a key (Qt then does neither: an ambiguous shortcut fires nothing).

A button's key is its '&' letter (Alt+letter, underlined), its own shortcut, or a key named on it in
brackets ("Đóng (Esc)") or in its tooltip ("phím tắt Ctrl+O") that a QShortcut of the same window
binds. A named key nothing binds fails too: the button would promise a key that does nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from helpers import receive
from PySide6.QtTest import QTest
from ui_support import settle

from counter_app.domain.lifecycle import Action, State
from counter_app.services.context import Counter
from counter_app.ui.dossier_dialog import RatingDialog, ReasonDialog
from counter_app.ui.login import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.qt import Qt, QtCore, QtGui, QtWidgets
from counter_app.ui.widgets import Tile
from counter_app.ui.worker import Worker

# Composite widgets whose inner buttons are theirs, not actions of the screen (a line edit's clear
# button, a tab bar's scroll arrows, a spin box's arrows).
INNER = (QtWidgets.QLineEdit, QtWidgets.QAbstractSpinBox, QtWidgets.QTabBar, QtWidgets.QComboBox,
         QtWidgets.QScrollBar, QtWidgets.QCalendarWidget)  # fmt: skip
KEY = re.compile(r"^(?:(?:Ctrl|Alt|Shift)\+)*(?:F\d{1,2}|Esc|Enter|Delete|PgUp|PgDown|Up|Down|[A-Z0-9])$")
RATING_KEY = re.compile(r"^(\d) — ")


def named_keys(button: QtWidgets.QAbstractButton) -> list[str]:
    """Keys a button names: "(Ctrl+T)" in its text, "phím tắt Ctrl+O" in its tooltip, "1 — " in front."""
    text = button.text().replace("&&", "")
    found = [k for k in re.findall(r"\(([^()]+)\)", text) if KEY.match(k.strip())]
    found += re.findall(r"phím tắt (\S+)", button.toolTip())
    found += RATING_KEY.findall(text)
    return [k.strip() for k in found]


def is_action_button(w: QtWidgets.QWidget, root: QtWidgets.QWidget) -> bool:
    if not isinstance(w, QtWidgets.QPushButton | QtWidgets.QToolButton) or w.window() is not root:
        return False
    if not w.isVisibleTo(root):
        return False
    parent = w.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, INNER):
            return False
        parent = parent.parentWidget()
    return True


def active_shortcuts(root: QtWidgets.QWidget) -> list[QtGui.QShortcut]:
    """QShortcuts that can fire in this window now: their widget is in it, shown and enabled."""
    return [
        s
        for s in root.findChildren(QtGui.QShortcut)
        if s.isEnabled()
        and isinstance(s.parent(), QtWidgets.QWidget)
        and s.parent().window() is root
        and (s.parent() is root or s.parent().isVisibleTo(root))
        and s.parent().isEnabled()
    ]


def bound_keys(shortcut: QtGui.QShortcut) -> list[QtGui.QKeySequence]:
    return QtGui.QShortcut.keys(shortcut)


def mnemonic(text: str) -> str:
    return QtGui.QKeySequence.mnemonic(text).toString()


def audit(root: QtWidgets.QWidget) -> list[str]:
    """What is wrong with the keys of one window as it is shown now (empty: all good)."""
    problems: list[str] = []
    shortcuts = active_shortcuts(root)
    owners: dict[str, set[int]] = defaultdict(set)  # key -> whatever binds it
    names: dict[int, str] = {}
    for s in shortcuts:
        for seq in bound_keys(s):
            owners[seq.toString()].add(id(s))
            names[id(s)] = f"QShortcut {seq.toString()} of {type(s.parent()).__name__}"
    for w in [root, *root.findChildren(QtWidgets.QWidget)]:
        if w.window() is not root or not w.isVisibleTo(root):
            continue
        if isinstance(w, QtWidgets.QAbstractButton) or (isinstance(w, QtWidgets.QLabel) and w.buddy()):
            text = w.text()
        elif isinstance(w, QtWidgets.QGroupBox):
            text = w.title()
        else:
            continue
        names[id(w)] = f"{type(w).__name__} «{text}»"
        key = mnemonic(text)
        if key:
            owners[key].add(id(w))
            if not re.fullmatch(r"Alt\+[A-Z0-9]", key):
                problems.append(f"«{text}»: {key} cannot be typed on a Vietnamese (US-layout) keyboard")
        if isinstance(w, QtWidgets.QAbstractButton) and not w.shortcut().isEmpty():
            owners[w.shortcut().toString()].add(id(w))

    for button in (w for w in root.findChildren(QtWidgets.QWidget) if is_action_button(w, root)):
        keys = [mnemonic(button.text())] if mnemonic(button.text()) else []
        if not button.shortcut().isEmpty():
            keys.append(button.shortcut().toString())
        for name in named_keys(button):
            seq = QtGui.QKeySequence(name)
            bound = any(seq in bound_keys(s) for s in shortcuts) or button.shortcut() == seq
            if name == "Esc":  # QDialog rejects on Esc by itself; a message box clicks its escape button
                bound = isinstance(root, QtWidgets.QDialog) and (
                    not isinstance(root, QtWidgets.QMessageBox) or root.escapeButton() is button
                )
            elif name == "Enter":  # the dialog's default button
                bound = isinstance(button, QtWidgets.QPushButton) and button.isDefault()
            elif RATING_KEY.match(button.text()):  # plain digits read by the dialog (see its own test)
                bound = isinstance(root, RatingDialog)
            if bound:
                keys.append(name)
            else:
                problems.append(f"«{button.text()}» names {name}, which nothing binds here")
        if not keys:
            problems.append(f"«{button.text()}» ({type(root).__name__}) has no shortcut")
    for key, who in owners.items():
        if len(who) > 1:
            problems.append(f"{key} is bound {len(who)} times: {sorted(names[i] for i in who)}")
    return problems


def buttons_of(root: QtWidgets.QWidget) -> list[str]:
    return [w.text() for w in root.findChildren(QtWidgets.QWidget) if is_action_button(w, root)]


def while_modal(trigger: Callable[[], object], inspect: Callable[[QtWidgets.QWidget], None]) -> None:
    """Run ``trigger``, which opens a modal box and waits for it; ``inspect`` sees it, then Esc closes it."""
    app = QtWidgets.QApplication.instance()
    seen: list[QtWidgets.QWidget] = []

    def poll(tries: int = 200) -> None:
        box = app.activeModalWidget()
        if box is not None:
            seen.append(box)
            try:
                inspect(box)
            finally:
                QTest.keyClick(box, Qt.Key.Key_Escape)
        elif tries:
            QtCore.QTimer.singleShot(20, lambda: poll(tries - 1))

    QtCore.QTimer.singleShot(0, poll)
    trigger()
    assert seen, "no modal box opened"


def test_every_page_of_the_main_window(window: MainWindow, qtbot) -> None:
    problems: list[str] = []
    seen: list[str] = []
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        settle(qtbot, window.worker)
        problems += [f"{window.tabs.tabText(i)}: {p}" for p in audit(window)]
        seen += buttons_of(window)
    assert not problems, "\n".join(problems)
    # the walk saw the pages' buttons (a test that sees nothing proves nothing)
    assert {"&Lưu thiết lập", "&Lọc", "&Xem", "Làm lại  (Ctrl+R)", "Đồng bộ ngay (F8)"} <= set(seen)


def test_the_dashboard_tiles_open_their_lists_by_key(window: MainWindow, qtbot) -> None:
    window.tabs.setCurrentWidget(window.dashboard)
    tiles = window.dashboard.findChildren(Tile)
    assert tiles and all(re.search(r"\(Alt\+\d\)", t.toolTip() + t.findChildren(QtWidgets.QLabel)[1].text())
                         for t in tiles)  # fmt: skip
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # "Có kết quả, chờ trả"
    settle(qtbot, window.worker)
    assert window.tabs.currentWidget() is window.dossiers
    assert window.dossiers.state.currentData() == (State.READY,)


def test_settings_buttons_answer_their_alt_letter(window: MainWindow, qtbot) -> None:
    window.tabs.setCurrentWidget(window.settings)
    settle(qtbot, window.worker)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # "Kiểm tra &dữ liệu"
    qtbot.waitUntil(lambda: window.settings.tools_note.text().startswith("✔"), timeout=10_000)


def test_the_dossier_window_and_its_attachments_tab(window: MainWindow, counter: Counter, qtbot) -> None:
    code = receive(counter).dossier.code
    dialog = window.open_dossier(code)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    settle(qtbot, window.worker)
    problems = []
    for i in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(i)
        settle(qtbot, window.worker)
        problems += [f"{dialog.tabs.tabText(i)}: {p}" for p in audit(dialog)]
    assert not problems, "\n".join(problems)
    assert "&1 Giấy hẹn" in buttons_of(dialog) and "Thư &mục máy quét…" in buttons_of(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.print_requested, timeout=5000) as asked:
        qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)  # "&1 Giấy hẹn"
    assert asked.args == ["receipt", code]
    qtbot.waitUntil(lambda: window.preview is not None, timeout=20_000)
    settle(qtbot, window.worker)
    if window.preview is not None:
        window.preview.close()
    dialog.close()


def test_the_receipt_preview(window: MainWindow, counter: Counter, qtbot) -> None:
    code = receive(counter).dossier.code
    window.print_form("receipt", code)
    qtbot.waitUntil(lambda: window.preview is not None, timeout=20_000)
    preview = window.preview
    qtbot.addWidget(preview)
    assert not audit(preview), audit(preview)
    assert len(buttons_of(preview)) == 3
    preview.close()


def test_the_reason_dialog_records_with_ctrl_enter(qtbot) -> None:
    for action in (Action.TRANSFER, Action.APOLOGIZE, Action.REQUEST_SUPPLEMENT, Action.REFUSE):
        dialog = ReasonDialog(action)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert not audit(dialog), audit(dialog)
        assert len(buttons_of(dialog)) == 2
        dialog.reason.setPlainText("Thiếu bản sao sổ hộ khẩu")
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        dialog.reason.setFocus()
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted, action
        assert "\n" not in dialog.reason.toPlainText()


def test_the_rating_dialog_answers_its_digits(qtbot) -> None:
    for key, expected in [(Qt.Key.Key_1, "satisfied"), (Qt.Key.Key_2, "unsatisfied"), (Qt.Key.Key_0, None)]:
        dialog = RatingDialog()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert not audit(dialog), audit(dialog)
        assert len(buttons_of(dialog)) == 3
        dialog.rating = "unset"
        qtbot.keyClick(dialog.focusWidget(), key)
        assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted and dialog.rating == expected


def test_the_login(counter: Counter, worker: Worker, qtbot) -> None:
    dialog = LoginDialog(worker, counter.agency_name, "Mật khẩu lần đầu: xyz")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not audit(dialog), audit(dialog)
    assert buttons_of(dialog) == ["Đăng nhập  (Enter)"]
    settle(qtbot, worker)


def test_the_close_question(window: MainWindow, qtbot) -> None:
    window.intake.name.setText("Nguyễn Văn")  # a half-filled intake: closing asks first
    found: list[list[str]] = []
    while_modal(window.close, lambda box: found.append([*audit(box), f"buttons: {buttons_of(box)}"]))
    assert window.isVisible()  # Esc answered "Ở lại"
    assert found == [["buttons: ['Ở lại (Esc)', '&Vẫn đóng']"]], found


def test_the_audit_itself_catches_a_shared_key_a_promise_nothing_keeps_and_a_bare_button(qtbot) -> None:
    dialog = QtWidgets.QDialog()
    qtbot.addWidget(dialog)
    layout = QtWidgets.QVBoxLayout(dialog)
    for text in ("&Lưu", "&Lọc", "In (Ctrl+Q)", "Thêm", "&Đóng"):
        layout.addWidget(QtWidgets.QPushButton(text))
    dialog.show()
    assert set(audit(dialog)) == {
        "Alt+L is bound 2 times: ['QPushButton «&Lưu»', 'QPushButton «&Lọc»']",
        "«&Đóng»: Alt+Đ cannot be typed on a Vietnamese (US-layout) keyboard",
        "«In (Ctrl+Q)» names Ctrl+Q, which nothing binds here",
        "«In (Ctrl+Q)» (QDialog) has no shortcut",
        "«Thêm» (QDialog) has no shortcut",
    }
