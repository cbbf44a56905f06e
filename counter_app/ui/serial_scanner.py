"""The COM-port QR scanner, brought into the UI thread as Qt signals.

``devices.serial_scanner`` reads the port on its own thread and knows nothing of Qt. Its callbacks
emit a private signal of this object, which lives in the UI thread, with a queued connection: Qt
then runs the slot in the UI thread, where ``scanned`` and ``status_changed`` are emitted for the
window to route (the same shape as ``worker._Relay``). Widgets are never touched from the reader.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from counter_app.devices.serial_scanner import DEFAULT_BAUD, ScannerStatus, SerialScannerReader
from counter_app.services.settings import scanner_config_from
from counter_app.ui.qt import QObject, Qt, Signal, Slot, emit

_SCAN, _STATUS = 0, 1


class SerialScannerBridge(QObject):
    """One COM-port scanner at a time: ``start`` (re)opens, ``stop`` closes; both return at once
    or within about a second. ``scanned`` carries each scan's text; ``status_changed`` the
    status-bar line ("Máy quét COM3: sẵn sàng"), or "" when no COM-port scanner is configured."""

    scanned = Signal(str)
    status_changed = Signal(str)
    _from_reader = Signal(int, int, str)  # generation, kind, text: emitted on the reader's thread

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reader: SerialScannerReader | None = None
        self._generation = 0  # what an old reader queued before stop() is dropped, not delivered
        self.config: tuple[str, int] | None = None
        self._from_reader.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    def start(self, port: str, baud: int = DEFAULT_BAUD) -> None:
        """Read ``port`` (COM3, /dev/ttyACM0) from now on; a missing port is retried, not an error."""
        self.stop()
        if not port:
            emit(self.status_changed, "")
            return
        self._generation += 1
        generation = self._generation

        def scanned(text: str) -> None:
            self._send(generation, _SCAN, text)

        def status(status: ScannerStatus) -> None:
            self._send(generation, _STATUS, status.line_vi())

        self.config = (port, baud)
        self._reader = SerialScannerReader(port, scanned, status, baud=baud).start()

    def stop(self) -> bool:
        """Close the port (call on window close); True when the reader thread has ended."""
        self._generation += 1
        reader, self._reader, self.config = self._reader, None, None
        return reader.stop() if reader is not None else True

    def restart_from_settings(self, values: Mapping[str, str | None]) -> None:
        """Follow the settings (``settings.current`` or ``SettingsPage.settings_saved``); a save that
        leaves port and baud as they were keeps the open port as it is."""
        config = scanner_config_from(values)
        if config is not None and config == self.config:
            return
        if config is None:
            self.stop()
            emit(self.status_changed, "")
        else:
            self.start(*config)

    @property
    def running(self) -> bool:
        return self._reader is not None and self._reader.running

    def _send(self, generation: int, kind: int, text: str) -> None:
        """On the reader's thread: queue the value to the UI thread."""
        with contextlib.suppress(RuntimeError):  # deleted without stop(): nobody is listening any more
            emit(self._from_reader, generation, kind, text)

    @Slot(int, int, str)
    def _arrived(self, generation: int, kind: int, text: str) -> None:
        if generation != self._generation:
            return
        emit(self.scanned if kind == _SCAN else self.status_changed, text)
