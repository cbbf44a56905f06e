"""GUI fixtures: the real window over a real counter database, offscreen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ui_support import settle

from counter_app.services import officers
from counter_app.services.context import Counter
from counter_app.ui.main_window import MainWindow
from counter_app.ui.qt import QtWidgets
from counter_app.ui.worker import Worker


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def worker(counter: Counter, qtbot) -> Iterator[Worker]:
    w = Worker(counter)
    yield w
    w.wait()


@pytest.fixture
def window(counter: Counter, worker: Worker, qtbot) -> Iterator[MainWindow]:
    officers.add_officer(
        counter, username="lan", password="matkhau1", role="receiving", full_name="Nguyễn Thị Lan"
    )
    win = MainWindow(worker, officers.login(counter, "lan", "matkhau1"))
    qtbot.addWidget(win, before_close_func=lambda w: w.intake.clear())  # no 'leave unsaved?' question
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    win.start()
    settle(qtbot, worker)
    yield win
    settle(qtbot, worker)
    QtWidgets.QApplication.instance().removeEventFilter(win.scanner)
