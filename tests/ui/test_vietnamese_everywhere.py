"""No English reaches the officer: Qt's own buttons are translated, and our screens have no English words."""

from __future__ import annotations

import re

from counter_app.ui import translations
from counter_app.ui.main_window import MainWindow
from counter_app.ui.qt import QtWidgets


def test_standard_buttons_speak_vietnamese(qtbot) -> None:
    translator = translations.install(QtWidgets.QApplication.instance())
    try:
        box = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.addWidget(box)
        texts = {b.text().replace("&", "") for b in box.buttons()}
        assert texts == {"Đồng ý", "Hủy"}
    finally:
        QtWidgets.QApplication.instance().removeTranslator(translator)


ENGLISH = re.compile(r"\b(the|and|error|save|cancel|search|loading|settings|file|print)\b", re.I)


def test_visible_texts_of_every_page_are_vietnamese(window: MainWindow) -> None:
    seen = []
    for widget in window.findChildren(QtWidgets.QWidget):
        for getter in ("text", "placeholderText", "title", "toolTip"):
            value = getattr(widget, getter, None)
            if callable(value):
                text = value()
                if isinstance(text, str) and text:
                    seen.append(text)
    for i in range(window.tabs.count()):
        seen.append(window.tabs.tabText(i))
    english = [t for t in seen if ENGLISH.search(re.sub(r"<[^>]+>", " ", t))]
    assert len(seen) > 80
    assert not english, english


def test_every_page_fits_a_1366x768_screen(window: MainWindow) -> None:
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768, hint
