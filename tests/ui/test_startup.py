"""Start-up safety: a damaged database is offered its last good backup; a second start hands over."""

from __future__ import annotations

from pathlib import Path

from helpers import receive
from ui_support import answer_next_dialog

from counter_app.services import autobackup
from counter_app.services.context import open_counter
from counter_app.services.setup import initialize
from counter_app.ui.app import SingleInstance, open_or_recover
from counter_app.ui.qt import QtWidgets


def test_damaged_database_is_replaced_by_the_newest_backup(tmp_path: Path, qtbot) -> None:
    path = tmp_path / "counter.db"
    counter = open_counter(path)
    initialize(counter, agency_code="000.00.21.H40")
    code = receive(counter).dossier.code
    autobackup.run_daily(counter)  # into the default backup folder of the data dir
    counter.store.close()
    with open(path, "r+b") as fh:  # a power cut mid-write on a cheap disk: the header is garbage
        fh.write(b"\x00" * 4096)

    def yes(box: QtWidgets.QWidget) -> None:
        assert "bị hỏng" in box.text()
        box.button(QtWidgets.QMessageBox.StandardButton.Yes).click()

    answer_next_dialog(yes)
    recovered = open_or_recover(path)
    assert recovered is not None
    assert recovered.store.scalar("SELECT code FROM dossiers") == code
    assert list(tmp_path.glob("counter.db.hong-*"))  # the damaged file is kept for rescue
    recovered.store.close()


def test_second_start_hands_over_to_the_first(qtbot) -> None:
    first = SingleInstance("quay-mot-cua-test-single")
    assert first.already_running() is False
    window = QtWidgets.QWidget()
    qtbot.addWidget(window)
    first.window = window
    second = SingleInstance("quay-mot-cua-test-single")
    assert second.already_running() is True
    qtbot.waitUntil(window.isVisible, timeout=5000)  # the first one came to the front
    first.server.close()


def test_one_window_per_database_file_not_per_user(tmp_path: Path) -> None:
    from counter_app.ui.app import instance_name

    assert instance_name(tmp_path / "a" / "counter.db") == instance_name(
        tmp_path / "a" / ".." / "a" / "counter.db"
    )
    assert instance_name(tmp_path / "a" / "counter.db") != instance_name(tmp_path / "b" / "counter.db")
    assert len(instance_name(tmp_path / "counter.db")) < 100  # a socket path on Linux stays short
