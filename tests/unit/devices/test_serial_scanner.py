"""The serial (virtual COM port) scanner reader, driven through real pseudo-terminals.

The test writes to a pty's master side exactly what a USB CDC scanner sends; the reader opens the
slave side by its path, as it opens COM3 on a counter. Closing the master is the cable pulled.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter_app.devices.serial_scanner import (
    GAP_SECONDS,
    ScannerState,
    ScannerStatus,
    SerialScannerReader,
    available_ports,
)

QR = "001099012345|123456789|Lê Văn Lương|01011990|Nam|Thôn 3, Xã Thanh Sơn, Huyện Ba Vì, Hà Nội|15082021"


class Pty:
    """A pseudo-terminal pair: ``path`` is what the reader opens, ``send`` is the scanner."""

    def __init__(self) -> None:
        self.master, slave = os.openpty()
        self.path = os.ttyname(slave)
        os.close(slave)  # the node stays while the master is open; the reader opens it by path
        self.open = True

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def unplug(self) -> None:
        if self.open:
            os.close(self.master)
            self.open = False


class Recorder:
    """Collects what the reader's thread reports, and lets the test wait for it."""

    def __init__(self) -> None:
        self.scans: list[str] = []
        self.statuses: list[ScannerStatus] = []
        self.threads: set[str] = set()
        self._changed = threading.Condition()

    def on_scan(self, text: str) -> None:
        with self._changed:
            self.scans.append(text)
            self.threads.add(threading.current_thread().name)
            self._changed.notify_all()

    def on_status(self, status: ScannerStatus) -> None:
        with self._changed:
            self.statuses.append(status)
            self._changed.notify_all()

    def wait(self, predicate: Callable[[], bool], timeout: float = 3.0) -> None:
        with self._changed:
            assert self._changed.wait_for(predicate, timeout), (self.scans, self.statuses)

    def wait_state(self, state: ScannerState, timeout: float = 3.0) -> ScannerStatus:
        self.wait(lambda: bool(self.statuses) and self.statuses[-1].state is state, timeout)
        return self.statuses[-1]


@pytest.fixture
def ptys() -> Iterator[Callable[[], Pty]]:
    made: list[Pty] = []

    def make() -> Pty:
        made.append(Pty())
        return made[-1]

    yield make
    for pty in made:
        pty.unplug()


@pytest.fixture
def start() -> Iterator[Callable[..., tuple[SerialScannerReader, Recorder]]]:
    readers: list[SerialScannerReader] = []

    def run(port: str, **kwargs: float) -> tuple[SerialScannerReader, Recorder]:
        recorder = Recorder()
        reader = SerialScannerReader(port, recorder.on_scan, recorder.on_status, **kwargs).start()
        readers.append(reader)
        return reader, recorder

    yield run
    for reader in readers:  # before the ptys close, so no reader outlives its test
        assert reader.stop()


CODE = "000.00.21.H40-261116-0001"  # a receipt's barcode, the other thing a counter scans


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"], ids=["crlf", "lf", "cr"])
def test_vietnamese_qr_arrives_exactly_whatever_the_line_ending(ptys, start, ending: str) -> None:
    pty = ptys()
    _, seen = start(pty.path)
    assert seen.wait_state(ScannerState.READY).line_vi() == f"Máy quét {pty.path}: sẵn sàng"
    pty.send((QR + ending + CODE + ending).encode())  # one write: only the line ending separates them
    seen.wait(lambda: len(seen.scans) == 2)
    time.sleep(2 * GAP_SECONDS)  # a late "\n" or the silence after it must not add anything
    assert seen.scans == [QR, CODE]
    assert seen.threads == {f"serial-scanner {pty.path}"}  # callbacks come from the reader's thread


def test_scan_without_terminator_ends_after_about_80_ms_of_silence(ptys, start) -> None:
    pty = ptys()
    _, seen = start(pty.path)
    seen.wait_state(ScannerState.READY)
    sent = time.monotonic()
    pty.send(QR.encode())
    seen.wait(lambda: bool(seen.scans))
    waited = time.monotonic() - sent
    assert seen.scans == [QR]
    assert GAP_SECONDS <= waited < GAP_SECONDS + 0.25, waited


def test_letters_split_between_usb_packets_are_joined(ptys, start) -> None:
    pty = ptys()
    _, seen = start(pty.path)
    seen.wait_state(ScannerState.READY)
    data = QR.encode()
    cut = data.index("ươ".encode()) + 1  # in the middle of a two-byte letter
    for piece in (data[:cut], data[cut : cut + 7], data[cut + 7 :] + b"\r\n"):
        pty.send(piece)
        time.sleep(0.01)  # shorter than the gap: still one message
    seen.wait(lambda: bool(seen.scans))
    assert seen.scans == [QR]


def test_byte_order_mark_and_nul_padding_are_dropped(ptys, start) -> None:
    pty = ptys()
    _, seen = start(pty.path)
    seen.wait_state(ScannerState.READY)
    pty.send(b"\xef\xbb\xbf" + QR.encode() + b"\r\n\x00\x00" + CODE.encode() + b"\x00\r\n\r\n")
    seen.wait(lambda: len(seen.scans) == 2)
    assert seen.scans == [QR, CODE]


def test_bytes_that_are_not_utf8_are_reported_damaged_and_not_delivered(ptys, start) -> None:
    pty = ptys()
    _, seen = start(pty.path)
    seen.wait_state(ScannerState.READY)
    pty.send(QR.encode("cp1258", errors="replace") + b"\r\n")  # a scanner left on a Windows code page
    damaged = seen.wait_state(ScannerState.DAMAGED)
    assert "lỗi ký tự" in damaged.line_vi() and "quét lại" in damaged.line_vi()
    assert seen.scans == []
    pty.send(QR.encode() + b"\r\n")  # the rescan, once the scanner is set right
    seen.wait(lambda: bool(seen.scans))
    assert seen.scans == [QR]
    assert seen.statuses[-1].state is ScannerState.READY


def test_pulled_cable_is_reported_calmly_and_retried_without_spinning(ptys, start) -> None:
    pty = ptys()
    reader, seen = start(pty.path)
    seen.wait_state(ScannerState.READY)
    pty.unplug()
    lost = seen.wait_state(ScannerState.LOST)
    assert lost.line_vi().startswith(f"Máy quét {pty.path}: đã ngắt")
    cpu, wall = time.process_time(), time.monotonic()
    time.sleep(2.5)  # at least one retry at the default ~2 s cadence
    used = time.process_time() - cpu
    assert used < 0.05 * (time.monotonic() - wall), used  # waiting, not polling a dead port
    assert reader.running
    assert [s.state for s in seen.statuses] == [ScannerState.READY, ScannerState.LOST]  # no flapping
    began = time.monotonic()
    assert reader.stop()
    assert time.monotonic() - began < 1.0


def test_missing_port_is_reported_then_read_once_it_appears(ptys, start, tmp_path: Path) -> None:
    link = tmp_path / "ttyACM-scanner"
    _, seen = start(str(link), retry=0.3)
    absent = seen.wait_state(ScannerState.ABSENT)
    assert absent.line_vi() == f"Máy quét {link}: chưa kết nối — kiểm tra dây cáp"
    pty = ptys()
    link.symlink_to(pty.path)  # the scanner is plugged in
    seen.wait_state(ScannerState.READY)
    pty.send(QR.encode() + b"\n")
    seen.wait(lambda: bool(seen.scans))
    assert seen.scans == [QR]


def test_port_that_comes_back_after_unplugging_resumes_reading(ptys, start, tmp_path: Path) -> None:
    link = tmp_path / "COM7"
    first = ptys()
    link.symlink_to(first.path)
    _, seen = start(str(link), retry=0.3)
    seen.wait_state(ScannerState.READY)
    first.unplug()
    seen.wait_state(ScannerState.LOST)
    time.sleep(0.7)  # a couple of failed retries: still "đã ngắt", not "chưa kết nối"
    assert seen.statuses[-1].state is ScannerState.LOST
    second = ptys()  # plugged back: the OS gives it a new device node behind the same name
    link.unlink()
    link.symlink_to(second.path)
    seen.wait_state(ScannerState.READY)
    second.send(QR.encode() + b"\r")
    seen.wait(lambda: bool(seen.scans))
    assert seen.scans == [QR]


def test_windows_port_name_is_passed_through_and_reported_as_not_connected(start) -> None:
    reader, seen = start("COM3")  # no COM3 on this Linux box: pyserial, not us, decides what it means
    assert seen.wait_state(ScannerState.ABSENT).line_vi() == "Máy quét COM3: chưa kết nối — kiểm tra dây cáp"
    began = time.monotonic()
    assert reader.stop()  # even while it waits to retry
    assert time.monotonic() - began < 1.0


def test_stop_while_reading_joins_within_a_second(ptys, start) -> None:
    pty = ptys()
    reader, seen = start(pty.path)
    seen.wait_state(ScannerState.READY)
    pty.send(QR.encode()[:20])  # half a message in the buffer
    began = time.monotonic()
    assert reader.stop()
    assert time.monotonic() - began < 1.0
    assert not reader.running


def test_listener_error_does_not_stop_the_scanner(ptys) -> None:
    pty = ptys()
    seen = Recorder()
    calls = []

    def broken(text: str) -> None:
        calls.append(text)
        if len(calls) == 1:
            raise RuntimeError("listener bug")
        seen.on_scan(text)

    reader = SerialScannerReader(pty.path, broken, seen.on_status).start()
    try:
        seen.wait_state(ScannerState.READY)
        pty.send(b"first\r\n")
        pty.send(QR.encode() + b"\r\n")
        seen.wait(lambda: bool(seen.scans))
        assert seen.scans == [QR]
    finally:
        assert reader.stop()


def test_available_ports_are_device_and_description_pairs() -> None:
    ports = available_ports()
    assert all(isinstance(d, str) and d and isinstance(text, str) for d, text in ports)
    assert len({d for d, _ in ports}) == len(ports)
