"""Chip-card QR scanners set to virtual COM-port mode (USB CDC), read from a serial port.

In keyboard-wedge mode a scanner types through the keyboard layout, and Vietnamese letters
(ơ, ư, ậ…) come out wrong or not at all; as a COM port it sends the QR's UTF-8 bytes as they are.
The reader owns one port in a daemon thread: it splits the byte stream into messages, decodes
each, and hands text and status changes to callbacks (on its own thread; the UI bridge marshals
them). A port that is missing or unplugged is a normal state at a counter, not an error: it is
reported once and retried until ``stop()``.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

import serial
from serial.tools import list_ports

log = logging.getLogger("counter_app.devices")

DEFAULT_BAUD = 9600
GAP_SECONDS = 0.08  # a scanner sends its message in one go; this much silence ends one without a terminator
RETRY_SECONDS = 2.0  # how often a missing or unplugged port is tried again

_LINE_END = re.compile(rb"[\r\n]")


class ScannerState(Enum):
    READY = "ready"  # port open, waiting for scans
    ABSENT = "absent"  # cannot be opened: not plugged in, or a wrong port name
    DENIED = "denied"  # exists but cannot be opened: another program holds it, or no permission
    LOST = "lost"  # was open and vanished (cable pulled); retried until it comes back
    DAMAGED = "damaged"  # the last message was not valid UTF-8 (wrong baud or scanner encoding)


_TEXT_VI = {
    ScannerState.READY: "sẵn sàng",
    ScannerState.ABSENT: "chưa kết nối — kiểm tra dây cáp",
    ScannerState.DENIED: "không mở được cổng (đang bị chương trình khác dùng, hoặc thiếu quyền)",
    ScannerState.LOST: "đã ngắt — cắm lại dây cáp, phần mềm tự kết nối lại",
    ScannerState.DAMAGED: "lần quét vừa rồi bị lỗi ký tự, hãy quét lại "
    "(máy quét phải gửi UTF-8, tốc độ baud đúng như trong Cài đặt)",
}


@dataclass(frozen=True)
class ScannerStatus:
    port: str
    state: ScannerState
    detail: str = ""  # the OS's own words, for the log; never the scanned text (personal data)

    def line_vi(self) -> str:
        """The status-bar text, e.g. "Máy quét COM3: sẵn sàng"."""
        return f"Máy quét {self.port}: {_TEXT_VI[self.state]}"


def decode_message(raw: bytes) -> tuple[str, bool]:
    """One message's text and whether it was damaged (bytes that are not UTF-8).

    NULs (padding some scanners send) and byte-order marks are dropped; surrounding blanks too.
    """
    text = raw.replace(b"\x00", b"").decode("utf-8", errors="replace").replace("\ufeff", "").strip()
    return text, "\ufffd" in text


class SerialScannerReader:
    """Reads one serial port (8N1) in a daemon thread until ``stop()``.

    ``on_scan(text)`` gets each complete, undamaged message; ``on_status(status)`` gets each change
    of state. A damaged message is not delivered (half a name in the form is worse than a rescan).
    """

    def __init__(
        self,
        port: str,
        on_scan: Callable[[str], None],
        on_status: Callable[[ScannerStatus], None],
        *,
        baud: int = DEFAULT_BAUD,
        gap: float = GAP_SECONDS,
        retry: float = RETRY_SECONDS,
    ) -> None:
        if not port:
            raise ValueError("no serial port given")
        if gap <= 0:
            raise ValueError("gap must be positive (it is also the read timeout; 0 would spin)")
        self.port, self.baud, self.gap, self.retry = port, baud, gap, retry
        self._on_scan, self._on_status = on_scan, on_status
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"serial-scanner {port}", daemon=True)
        self.status: ScannerStatus | None = None

    def start(self) -> SerialScannerReader:
        self._thread.start()
        return self

    def stop(self, timeout: float = 1.0) -> bool:
        """Ask the thread to end and close the port; True when it has finished within ``timeout``."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    # -- the thread -----------------------------------------------------------------------------------
    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                port = serial.Serial(
                    self.port,
                    self.baud,
                    bytesize=serial.EIGHTBITS,
                    parity=serial.PARITY_NONE,
                    stopbits=serial.STOPBITS_ONE,
                    timeout=self.gap,
                )
            except (OSError, ValueError) as exc:  # SerialException is an OSError
                self._report(self._open_failure(exc), str(exc))
                self._stop.wait(self.retry)
                continue
            self._report(ScannerState.READY)
            try:
                self._read(port)
            except OSError as exc:  # unplugged mid-use: SerialException / EIO, never a crash
                self._report(ScannerState.LOST, str(exc))
            finally:
                with contextlib.suppress(OSError):
                    port.close()
            self._stop.wait(self.retry)

    def _open_failure(self, exc: Exception) -> ScannerState:
        # POSIX gives an errno; Windows only words: "could not open port 'COM3': PermissionError(13, …)"
        denied = getattr(exc, "errno", None) in (errno.EACCES, errno.EBUSY, errno.EPERM)
        if denied or "PermissionError" in str(exc):
            return ScannerState.DENIED
        if self.status is not None and self.status.state is ScannerState.LOST:
            return ScannerState.LOST  # still unplugged: keep saying so rather than flip to "absent"
        return ScannerState.ABSENT

    def _read(self, port: serial.Serial) -> None:
        # The read timeout is the gap: a read that returns nothing while part of a message waits
        # means the line has been silent for ``gap`` since its last byte, so the message is whole.
        # The same timeout bounds how long stop() waits, and keeps an idle port to ~12 wake-ups/s.
        buffer = b""
        while not self._stop.is_set():
            chunk = port.read(max(1, port.in_waiting))
            if chunk:
                *complete, buffer = _LINE_END.split(buffer + chunk)  # \r, \n never occur inside UTF-8
                for raw in complete:
                    self._deliver(raw)
            elif buffer:
                self._deliver(buffer)
                buffer = b""

    def _deliver(self, raw: bytes) -> None:
        text, damaged = decode_message(raw)
        if not text:
            return  # the empty piece between \r and \n, or padding
        if damaged:
            self._report(ScannerState.DAMAGED, f"{text.count(chr(0xFFFD))} invalid UTF-8 sequence(s)")
            return
        self._report(ScannerState.READY)  # a good scan clears "damaged"
        self._call(self._on_scan, text)

    def _report(self, state: ScannerState, detail: str = "") -> None:
        if self.status is not None and self.status.state is state:
            return
        self.status = ScannerStatus(self.port, state, detail)
        if state is not ScannerState.READY:
            log.info("serial scanner %s: %s %s", self.port, state.value, detail)
        self._call(self._on_status, self.status)

    @staticmethod
    def _call(callback: Callable[[Any], None], value: object) -> None:
        try:
            callback(value)
        except Exception:  # a listener's bug must not stop the scanner for the rest of the day
            log.exception("serial scanner listener failed")


def _natural(device: str) -> list[str | int]:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", device)]  # COM9 before COM10


def available_ports() -> list[tuple[str, str]]:
    """The serial ports the OS knows now, as (device, description): COM3 on Windows, /dev/ttyACM0 on Linux."""
    try:
        found = list_ports.comports()
    except Exception:  # enumeration is best effort: the port can still be typed by hand
        log.exception("listing serial ports failed")
        return []
    ports = {p.device: "" if p.description in ("n/a", p.device) else p.description for p in found}
    return sorted(ports.items(), key=lambda item: _natural(item[0]))
