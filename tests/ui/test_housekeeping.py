"""The daily backup runs beside the officer: a search typed as the dashboard appears is answered
while the copy is still being made, the status bar shows its progress, and closing stops it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from helpers import receive
from ui_support import settle

from counter_app.services import autobackup, officers, queries
from counter_app.services.context import Counter
from counter_app.services.demo import generate
from counter_app.store import backup as backup_store
from counter_app.ui.app import start_background_checks
from counter_app.ui.housekeeping import Housekeeping
from counter_app.ui.main_window import MainWindow
from counter_app.ui.qt import QtWidgets
from counter_app.ui.worker import Worker


@pytest.fixture
def desk(counter: Counter, worker: Worker, qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    generate(counter, 300, seed=5, days=20)
    monkeypatch.setenv("COUNTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(backup_store, "PAGES_PER_STEP", 1)  # a long copy: one page a step
    officers.add_officer(
        counter, username="lan", password="matkhau1", role="receiving", full_name="Nguyễn Thị Lan"
    )
    housekeeping = Housekeeping(counter.store.path, worker)
    housekeeping.steps.breather = 0.01  # ~300 steps: a copy of a few seconds, like a big database's
    window = MainWindow(worker, officers.login(counter, "lan", "matkhau1"), None, housekeeping)
    qtbot.addWidget(window, before_close_func=lambda w: w.intake.clear())
    window.show()
    yield window, housekeeping
    housekeeping.stop()
    settle(qtbot, worker)
    QtWidgets.QApplication.instance().removeEventFilter(window.scanner)


def test_the_officer_is_answered_while_the_daily_backup_runs(desk, worker: Worker, qtbot) -> None:
    window, housekeeping = desk
    window.start()
    start_background_checks(window, housekeeping)
    qtbot.waitUntil(lambda: window.housekeeping_label.text().startswith("Đang sao lưu tự động"), timeout=5000)
    answered: list[float] = []
    asked = time.perf_counter()
    worker.submit(
        lambda c: queries.search_dossiers(c, "Nguyễn"), lambda rows: answered.append(time.perf_counter())
    )
    qtbot.waitUntil(lambda: bool(answered), timeout=5000)
    assert housekeeping.worker.busy, "the search waited for the whole backup"
    assert answered[0] - asked < 1.0
    qtbot.waitUntil(lambda: "Đã sao lưu tự động vào" in window.message.text(), timeout=60_000)
    assert window.housekeeping_label.text() == ""
    made = autobackup.existing(autobackup.backup_dir(housekeeping.counter))
    assert len(made) == 1 and housekeeping.steps.yielded >= 1  # it gave way to the search


def test_closing_stops_the_backup_and_leaves_no_partial_copy(desk, counter: Counter, qtbot) -> None:
    _window, housekeeping = desk
    receive(counter)
    housekeeping.start()
    qtbot.waitUntil(lambda: housekeeping.worker.busy, timeout=5000)
    qtbot.wait(200)
    t = time.perf_counter()
    housekeeping.stop()
    assert time.perf_counter() - t < 2.0
    folder = autobackup.backup_dir(counter)
    assert not folder.exists() or not list(folder.iterdir())
