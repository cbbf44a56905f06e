"""Start the window: one instance per user, a damaged database offered its last good backup,
login, the main window, and the daily backup in the background."""

from __future__ import annotations

import gc
import getpass
import hashlib
import logging
import shutil
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from counter_app import paths
from counter_app.services.context import Counter, StoreError, open_counter
from counter_app.services.support_log import log_unexpected
from counter_app.ui import translations
from counter_app.ui.login import LoginDialog
from counter_app.ui.qt import QtCore, QtNetwork, QtWidgets
from counter_app.ui.widgets import apply_counter_font
from counter_app.ui.worker import Worker

if TYPE_CHECKING:
    from counter_app.ui.housekeeping import Housekeeping
    from counter_app.ui.main_window import MainWindow

# Only what the login window needs is imported above: the main window, printing, reports and
# sync (reportlab, openpyxl, …) are imported by the login's warm-up on the worker thread while
# the officer types the password (login.warm_up), so the login appears about a second sooner.

log = logging.getLogger(__name__)


def install_excepthook() -> None:
    """Anything unexpected: logged with details, a calm message to the officer, the window keeps running."""

    def hook(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        path = log_unexpected(exc)
        if QtWidgets.QApplication.instance() is not None:
            QtWidgets.QMessageBox.critical(
                None,
                "Có lỗi không mong đợi",
                f"Thao tác vừa rồi chưa hoàn thành; dữ liệu đã lưu vẫn an toàn.\nChi tiết: {path}",
            )

    sys.excepthook = hook


def instance_name(db_path: Path) -> str:
    """One window per database file (not per user): a second start on the same file hands over,
    while a trainer's or a test's separate data folder opens beside it."""
    digest = hashlib.blake2b(str(db_path.resolve()).lower().encode(), digest_size=6).hexdigest()
    return f"quay-mot-cua-{getpass.getuser()}-{digest}"


class SingleInstance(QtCore.QObject):
    """A second start hands over to the first (which comes to the front) instead of opening the file twice."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.server: QtNetwork.QLocalServer | None = None
        self.window: QtWidgets.QWidget | None = None

    def already_running(self) -> bool:
        socket = QtNetwork.QLocalSocket()
        socket.connectToServer(self.name)
        if socket.waitForConnected(300):
            socket.write(b"activate")
            socket.flush()
            socket.waitForBytesWritten(300)
            socket.disconnectFromServer()
            return True
        QtNetwork.QLocalServer.removeServer(self.name)  # a stale socket left by a crash
        self.server = QtNetwork.QLocalServer(self)
        self.server.listen(self.name)
        self.server.newConnection.connect(self._activate)
        return False

    def _activate(self) -> None:
        assert self.server is not None
        conn = self.server.nextPendingConnection()
        if conn is not None:
            conn.close()
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()


def open_or_recover(db_path: Path) -> Counter | None:
    """Open the database; if it is damaged, offer the newest good backup instead of crashing."""
    try:
        return open_counter(db_path)
    except StoreError as exc:
        if exc.code not in ("corrupt", "cannot_open"):
            raise
    from counter_app.services import autobackup

    backups = autobackup.existing(paths.data_dir() / "backups")
    if not backups:
        QtWidgets.QMessageBox.critical(
            None,
            "Tệp dữ liệu bị hỏng",
            f"Không mở được tệp dữ liệu {db_path} và chưa có bản sao lưu nào.\n"
            "Hãy liên hệ bộ phận kỹ thuật; tệp được giữ nguyên để cứu dữ liệu.",
        )
        return None
    newest = backups[0]
    answer = QtWidgets.QMessageBox.question(
        None,
        "Tệp dữ liệu bị hỏng",
        f"Tệp dữ liệu {db_path} bị hỏng.\nKhôi phục từ bản sao lưu gần nhất ({newest.name})?\n"
        "Tệp hỏng được giữ lại bên cạnh để bộ phận kỹ thuật cứu những hồ sơ nhập sau lần sao lưu đó.",
    )
    if answer != QtWidgets.QMessageBox.StandardButton.Yes:
        return None
    aside = db_path.with_name(f"{db_path.name}.hong-{datetime.now():%Y%m%d-%H%M%S}")
    db_path.rename(aside)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{db_path}{suffix}")
        if side.exists():
            side.rename(Path(f"{aside}{suffix}"))
    shutil.copyfile(newest, db_path)
    return open_counter(db_path)


def start_background_checks(window: MainWindow, housekeeping: Housekeeping) -> None:
    """After login: today's backup or a quick integrity check, beside the officer (ui.housekeeping)."""
    from counter_app.services import autobackup

    def damaged() -> None:
        newest = autobackup.existing(paths.data_dir() / "backups")
        if not newest:
            QtWidgets.QMessageBox.warning(
                window,
                "Dữ liệu có dấu hiệu hỏng",
                "Kiểm tra nhanh phát hiện lỗi trong tệp dữ liệu và chưa có bản sao lưu. Hãy báo bộ phận kỹ thuật.",
            )
            return
        answer = QtWidgets.QMessageBox.question(
            window,
            "Dữ liệu có dấu hiệu hỏng",
            f"Kiểm tra nhanh phát hiện lỗi trong tệp dữ liệu.\nKhôi phục bản sao lưu gần nhất ({newest[0].name})? "
            "Dữ liệu hiện tại được sao lưu trước.",
        )
        if answer == QtWidgets.QMessageBox.StandardButton.Yes:
            window.settings.restore(str(newest[0]))

    housekeeping.status.connect(window.housekeeping_label.setText)
    housekeeping.backed_up.connect(lambda path: window.show_message(f"Đã sao lưu tự động vào {path}."))
    housekeeping.backup_failed.connect(
        lambda text: window.show_message(f"⚠ Chưa sao lưu tự động được: {text}")
    )
    housekeeping.damaged.connect(damaged)
    housekeeping.start()


def run(db_path: Path | None = None, first_start_note: str = "") -> int:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    app.setApplicationName("Quầy một cửa")
    QtCore.QLocale.setDefault(
        QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)
    )
    apply_counter_font(app)
    translations.install(app)
    install_excepthook()
    single = SingleInstance(instance_name(db_path or paths.default_db_path()))
    if single.already_running():
        return 0
    counter = open_or_recover(db_path or paths.default_db_path())
    if counter is None:
        return 2
    worker = Worker(counter)
    login = LoginDialog(worker, counter.agency_name, first_start_note)
    single.window = login
    if not login.exec() or login.officer is None:
        worker.wait()
        return 0
    from counter_app.services import sync as sync_service
    from counter_app.ui.housekeeping import Housekeeping
    from counter_app.ui.main_window import MainWindow

    sync_worker = sync_service.start_worker(counter.store.path)  # idles until the counter is enrolled
    housekeeping = Housekeeping(counter.store.path, worker)
    window = MainWindow(worker, login.officer, sync_worker, housekeeping)
    single.window = window
    window.show_restored()
    window.start()
    start_background_checks(window, housekeeping)
    gc.freeze()  # modules and widgets live as long as the window: keep them out of full collections
    code = app.exec()
    housekeeping.stop()
    worker.wait()
    counter.store.close()
    return code
