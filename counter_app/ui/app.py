"""Start the window: open (or create) the counter's database, log in, show the main window."""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path

from counter_app import paths
from counter_app.services.context import open_counter
from counter_app.services.maintenance import log_unexpected
from counter_app.ui import translations
from counter_app.ui.login import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.qt import QtCore, QtWidgets
from counter_app.ui.widgets import apply_counter_font
from counter_app.ui.worker import Worker

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


def run(db_path: Path | None = None, first_start_note: str = "") -> int:
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    app.setApplicationName("Quầy một cửa")
    QtCore.QLocale.setDefault(
        QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)
    )
    apply_counter_font(app)
    translations.install(app)
    install_excepthook()
    counter = open_counter(db_path or paths.default_db_path())
    worker = Worker(counter)
    login = LoginDialog(worker, counter.agency_name, first_start_note)
    if not login.exec() or login.officer is None:
        worker.wait()
        return 0
    window = MainWindow(worker, login.officer)
    window.show()
    window.start()
    gc.freeze()  # modules and widgets live as long as the window: keep them out of full collections
    code = app.exec()
    worker.wait()
    counter.store.close()
    return code
