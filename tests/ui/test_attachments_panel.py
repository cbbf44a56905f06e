"""The attachments panel offscreen over a real counter: drop a scan, view it, turn it, take the
scanner's newest file, remove one; the files and events are the real ones."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import receive
from ui_support import answer_next_dialog, settle
from unit.services.test_attachments_support import pdf_file, stored_files, text_scan

from counter_app.services import attachments
from counter_app.services.context import Counter
from counter_app.store import dossiers as dossier_store
from counter_app.ui.attachments_panel import AttachmentsPanel
from counter_app.ui.qt import Qt, QtCore, QtGui, QtWidgets
from counter_app.ui.worker import Worker


@pytest.fixture
def panel(counter: Counter, worker: Worker, qtbot) -> Iterator[AttachmentsPanel]:
    code = receive(counter).dossier.code
    widget = AttachmentsPanel(worker, code, "admin")
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    settle(qtbot, worker)
    yield widget
    settle(qtbot, worker)


def drop(widget: QtWidgets.QWidget, paths: list[Path]) -> bool:
    """Files dragged from the file manager onto the widget: enter, then drop."""
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(p)) for p in paths])
    point = QtCore.QPointF(widget.width() / 2, widget.height() / 2)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QtGui.QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, buttons, keys)
    QtWidgets.QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    QtWidgets.QApplication.sendEvent(
        widget, QtGui.QDropEvent(point, Qt.DropAction.CopyAction, mime, buttons, keys)
    )
    return True


def test_drop_a_scan_view_rotate_and_remove_it(
    panel: AttachmentsPanel, counter: Counter, worker: Worker, qtbot, tmp_path: Path
) -> None:
    assert "⚠ Chưa số hóa: 1. Tờ khai" in panel.missing.text() and panel.thumbs.count() == 0
    assert panel.target.currentData() == 0  # the first paper still to digitize is proposed
    scan = text_scan(tmp_path / "to-khai.png")
    with qtbot.waitSignal(panel.changed, timeout=10_000) as changed:
        assert drop(panel, [scan])
    assert changed.args[0].code == panel.code
    settle(qtbot, worker)
    assert panel.thumbs.count() == 1 and not panel.thumbs.item(0).icon().isNull()
    assert panel.thumbs.item(0).text() == "Giấy tờ 1 · 1 tr."
    assert "1. Tờ khai" not in panel.missing.text() and "2. Giấy chứng sinh" in panel.missing.text()
    assert panel.target.currentData() == 0  # kept: a paper may take several files
    qtbot.waitUntil(
        lambda: panel.view.pixmap() is not None and not panel.view.pixmap().isNull(), timeout=10_000
    )
    upright = panel.view.pixmap().size()
    assert upright.height() > upright.width()

    with qtbot.waitSignal(panel.changed, timeout=10_000):
        qtbot.mouseClick(panel.rotate_button, Qt.MouseButton.LeftButton)
    settle(qtbot, worker)
    view = attachments.listing(counter, panel.code)
    assert view.attachments[0].rotation == 90 and panel.current is not None and panel.current.rotation == 90
    qtbot.waitUntil(lambda: panel.view.pixmap().width() > panel.view.pixmap().height(), timeout=10_000)

    answer_next_dialog(lambda box: box.button(QtWidgets.QMessageBox.StandardButton.Yes).click())
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    settle(qtbot, worker)
    assert panel.thumbs.count() == 0 and "1. Tờ khai" in panel.missing.text()
    assert not panel.remove_button.isEnabled()
    events = dossier_store.events_of(counter.store, view.dossier)
    assert [e.action.value for e in events] == ["receive", "attach", "arrange", "detach"]
    assert len(stored_files(counter)) == 1  # the file stays until an admin collects it


def test_a_bad_file_shows_a_message_and_changes_nothing(
    panel: AttachmentsPanel, counter: Counter, worker: Worker, qtbot, tmp_path: Path
) -> None:
    fake = tmp_path / "anh.jpg"
    fake.write_text("không phải ảnh", encoding="utf-8")
    assert drop(panel, [fake])
    settle(qtbot, worker)
    assert "không phải ảnh (JPEG, PNG, TIFF) hoặc PDF" in panel.error.text() and panel.error.isVisible()
    assert panel.thumbs.count() == 0 and stored_files(counter) == []
    assert panel.busy.text() == ""


def test_newest_scan_from_the_watched_folder_and_reorder(
    panel: AttachmentsPanel, counter: Counter, worker: Worker, qtbot, tmp_path: Path
) -> None:
    folder = tmp_path / "may-quet"
    folder.mkdir()
    panel.set_folder(str(folder))
    settle(qtbot, worker)
    qtbot.waitUntil(lambda: "chưa có bản quét" in panel.scan_label.text(), timeout=10_000)
    assert not panel.scan_button.isEnabled() and panel.watcher.directories() == [str(folder)]
    scan = text_scan(folder / "scan_0001.png", seed=7)
    past = time.time() - 60
    os.utime(scan, (past, past))  # the scanner finished a minute ago
    qtbot.waitUntil(panel.scan_button.isEnabled, timeout=10_000)  # the watcher noticed it
    assert "scan_0001.png" in panel.scan_label.text()
    panel.target.setCurrentIndex(panel.target.findData(1))
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        qtbot.mouseClick(panel.scan_button, Qt.MouseButton.LeftButton)
    settle(qtbot, worker)
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        panel.target.setCurrentIndex(panel.target.findData("result"))
        panel.attach_paths([pdf_file(tmp_path / "ket-qua.pdf")])
    settle(qtbot, worker)
    assert [panel.thumbs.item(i).text() for i in range(2)] == ["Giấy tờ 2 · 1 tr.", "Kết quả · 1 tr."]
    assert panel.current is not None and panel.current.document is None  # the new file is shown
    assert panel.up_button.isEnabled() and not panel.down_button.isEnabled()
    with qtbot.waitSignal(panel.changed, timeout=10_000):
        qtbot.mouseClick(panel.up_button, Qt.MouseButton.LeftButton)
    settle(qtbot, worker)
    assert [panel.thumbs.item(i).text() for i in range(2)] == ["Kết quả · 1 tr.", "Giấy tờ 2 · 1 tr."]
    assert panel.thumbs.currentRow() == 0


def test_no_english_reaches_the_officer(panel: AttachmentsPanel) -> None:
    english = re.compile(
        r"\b(the|and|error|save|cancel|search|loading|settings|file|print|add|remove)\b", re.I
    )
    texts = [
        getattr(w, name)()
        for w in panel.findChildren(QtWidgets.QWidget)
        for name in ("text", "toolTip")
        if callable(getattr(w, name, None)) and isinstance(getattr(w, name)(), str)
    ]
    assert len([t for t in texts if t]) > 15
    assert not [t for t in texts if english.search(t)]
