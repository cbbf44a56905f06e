"""The COM-port scanner in the window's terms: scans and status lines arrive on the UI thread, and
the settings page configures the port. Real pseudo-terminals stand in for the USB CDC scanner."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest
from ui_support import settle

from counter_app.devices.serial_scanner import available_ports
from counter_app.domain.lifecycle import Role
from counter_app.services import settings
from counter_app.services.context import Counter
from counter_app.ui.qt import Qt, QtCore, QtWidgets
from counter_app.ui.serial_scanner import SerialScannerBridge
from counter_app.ui.settings_page import SettingsPage
from counter_app.ui.worker import Worker

QR = "001099012345|123456789|Lê Văn Lương|01011990|Nam|Thôn 3, Xã Thanh Sơn, Huyện Ba Vì, Hà Nội|15082021"


class Pty:
    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)
        self.open = True

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        if self.open:
            os.close(self.master)
            self.open = False


@pytest.fixture
def pty() -> Iterator[Pty]:
    p = Pty()
    yield p
    p.unplug()


@pytest.fixture
def bridge(qtbot) -> Iterator[SerialScannerBridge]:
    b = SerialScannerBridge()
    yield b
    assert b.stop()  # before the pty closes


def wait_status(qtbot, bridge: SerialScannerBridge, words: str, start=None) -> str:
    with qtbot.waitSignal(bridge.status_changed, timeout=3000, check_params_cb=lambda t: words in t) as got:
        if start is not None:
            start()
    return got.args[0]


def test_com_port_scan_arrives_on_the_ui_thread_with_its_exact_text(qtbot, bridge, pty) -> None:
    line = wait_status(qtbot, bridge, "sẵn sàng", lambda: bridge.start(pty.path, 9600))
    assert line == f"Máy quét {pty.path}: sẵn sàng"
    received = []
    ui_thread = QtWidgets.QApplication.instance().thread()
    bridge.scanned.connect(  # direct: the slot runs on whichever thread emits `scanned`
        lambda text: received.append(
            (
                text,
                threading.current_thread() is threading.main_thread(),
                QtCore.QThread.currentThread() is ui_thread,
            )
        ),
        Qt.ConnectionType.DirectConnection,
    )
    pty.send(QR.encode() + b"\r\n")
    qtbot.waitUntil(lambda: bool(received), timeout=3000)
    assert received == [(QR, True, True)]


def test_pulled_cable_becomes_a_calm_status_line(qtbot, bridge, pty) -> None:
    wait_status(qtbot, bridge, "sẵn sàng", lambda: bridge.start(pty.path, 9600))
    line = wait_status(qtbot, bridge, "đã ngắt", pty.unplug)
    assert line.startswith(f"Máy quét {pty.path}: đã ngắt")
    assert bridge.running  # still trying, until stop()


def test_missing_com_port_says_not_connected(qtbot, bridge) -> None:
    line = wait_status(qtbot, bridge, "chưa kết nối", lambda: bridge.start("COM3", 9600))
    assert line == "Máy quét COM3: chưa kết nối — kiểm tra dây cáp"


def test_scan_queued_before_stop_is_not_delivered_after_it(qtbot, bridge, pty) -> None:
    wait_status(qtbot, bridge, "sẵn sàng", lambda: bridge.start(pty.path, 9600))
    received: list[str] = []
    bridge.scanned.connect(received.append)
    pty.send(QR.encode() + b"\r\n")
    time.sleep(0.3)  # the reader has queued the scan; the UI thread has not run it yet
    assert bridge.stop()
    QtWidgets.QApplication.processEvents()
    assert received == []


def test_settings_page_offers_ports_with_none_first_and_takes_a_typed_one(qtbot, worker: Worker) -> None:
    page = SettingsPage(worker)
    qtbot.addWidget(page)
    combo = page.port_combo
    assert combo.isEditable() and combo.itemText(0) == ""
    assert [combo.itemText(i) for i in range(1, combo.count())] == [d for d, _ in available_ports()]
    combo.setEditText("COM7")
    combo.fill()  # what opening the list does: the typed port stays
    assert page.edits["scanner_port"].text() == "COM7"


def test_settings_page_rejects_a_bad_baud_then_the_bridge_follows_the_saved_port(
    qtbot, worker: Worker, bridge, pty
) -> None:
    page = SettingsPage(worker)
    qtbot.addWidget(page)
    page.set_officer("admin", Role.ADMIN)
    page.refresh()
    settle(qtbot, worker)
    page.edits["scanner_baud"].setText("9601")
    page.save_settings.click()
    settle(qtbot, worker)
    assert "Tốc độ cổng COM (baud) phải là một trong" in page.settings_error.text()
    assert "9600" in page.settings_error.text()

    page.edits["scanner_port"].setText(pty.path)
    page.edits["scanner_baud"].setText("9600")
    with qtbot.waitSignal(page.settings_saved, timeout=5000) as saved:
        page.save_settings.click()
    assert not page.settings_error.isVisible()
    assert settings.scanner_config_from(saved.args[0]) == (pty.path, 9600)
    wait_status(qtbot, bridge, "sẵn sàng", lambda: bridge.restart_from_settings(saved.args[0]))
    received: list[str] = []
    bridge.scanned.connect(received.append)
    pty.send(QR.encode() + b"\n")
    qtbot.waitUntil(lambda: bool(received), timeout=3000)
    assert received == [QR]

    settle(qtbot, worker)  # the page reloads what was stored
    page.edits["scanner_port"].setText("")  # back to a keyboard-wedge scanner
    with qtbot.waitSignal(page.settings_saved, timeout=5000) as saved:
        page.save_settings.click()
    assert saved.args[0]["scanner_port"] == ""
    with qtbot.waitSignal(bridge.status_changed, timeout=1000) as cleared:
        bridge.restart_from_settings(saved.args[0])
    assert cleared.args == [""] and not bridge.running


def test_scanner_config_normalises_com_names_and_reads_on_the_worker(counter: Counter) -> None:
    assert settings.scanner_config(counter) is None  # default: the scanner types like a keyboard
    settings.change(counter, "scanner_port", " com7 ", "admin")
    assert settings.scanner_config(counter) == ("COM7", 9600)
    settings.change(counter, "scanner_baud", "115200", "admin")
    assert settings.scanner_config(counter) == ("COM7", 115200)
    settings.change(counter, "scanner_port", "", "admin")
    assert settings.scanner_config(counter) is None


def test_settings_form_with_the_scanner_rows_is_not_wider_than_its_scroll_area(qtbot, worker: Worker) -> None:
    page = SettingsPage(worker)
    qtbot.addWidget(page)
    page.resize(1366, 700)  # the settings tab inside the 1366×768 window
    page.show()
    qtbot.waitExposed(page)
    scroll = page.findChild(QtWidgets.QScrollArea)
    assert scroll.widget().width() <= scroll.viewport().width()  # no field cut off on the right


def test_a_qr_from_the_com_port_fills_the_intake_of_the_real_window(window, counter, qtbot) -> None:
    """The whole path: bytes written to a pseudo-terminal reach the applicant through the window."""
    import os

    from helpers import QR

    from counter_app.services import settings as settings_service

    master, slave = os.openpty()
    try:
        settings_service.change(counter, "scanner_port", os.ttyname(slave), officer="admin")
        window.serial_scanner.restart_from_settings(settings_service.current(counter))
        qtbot.waitUntil(lambda: "sẵn sàng" in window.scanner_label.text(), timeout=5000)
        os.write(master, QR.encode("utf-8") + b"\r\n")
        qtbot.waitUntil(lambda: window.intake.name.text() == "Lê Văn Lương", timeout=5000)
        assert window.tabs.currentWidget() is window.intake
        assert window.intake.id_number.text() == "089202017098"
    finally:
        window.serial_scanner.stop()
        os.close(master)
        os.close(slave)
