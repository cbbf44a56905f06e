"""A long status message ends at a word with "…", never cut mid-word; the whole text is kept."""

from __future__ import annotations

from counter_app.ui.widgets import StatusLine


def test_a_long_message_ends_at_a_word_with_an_ellipsis(qtbot) -> None:
    line = StatusLine()
    qtbot.addWidget(line)
    line.resize(300, 24)
    line.show()
    text = "⚠ Mã QR trên căn cước bị mất dấu tiếng Việt khi quét: họ tên «Nguyn Vn An» không đọc được"
    line.setText(text)
    shown = shown_text(line)
    assert shown.endswith(" …") and text.startswith(shown[:-2])
    assert text[len(shown) - 2] == " "  # the cut falls between two words
    assert line.fontMetrics().horizontalAdvance(shown) <= 300
    assert line.text() == text and line.toolTip() == text
    line.resize(2000, 24)
    assert shown_text(line) == text


def shown_text(line: StatusLine) -> str:
    from counter_app.ui.qt import QtWidgets

    return QtWidgets.QLabel.text(line)
