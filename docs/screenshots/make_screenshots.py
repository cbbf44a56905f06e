"""Refresh the screenshots in docs/screenshots/ (1366×728 less a title bar, offscreen): python docs/screenshots/make_screenshots.py"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from counter_app.services import officers
from counter_app.services.context import open_counter
from counter_app.services.demo import generate
from counter_app.services.setup import initialize
from counter_app.ui.login import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.qt import QtCore, QtWidgets
from counter_app.ui.widgets import apply_counter_font
from counter_app.ui.worker import Worker

OUT = Path(__file__).resolve().parent
QR = "089202017098|352576714|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang|31122021"
NOW = datetime(2026, 11, 18, 9, 30)


GARBLED = "001099012345|123456789|Lê Vn Lưng|01011999|Nam|Thôn 3, Xã Thanh Sn, Huyện Ba Vì, Hà Nội|15082021"


def settle(app: QtWidgets.QApplication, worker: Worker) -> None:
    for _ in range(50):
        app.processEvents()
        worker.wait()
        app.processEvents()


def shot(widget: QtWidgets.QWidget, name: str, app: QtWidgets.QApplication, worker: Worker) -> None:
    settle(app, worker)
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def main() -> int:
    app = QtWidgets.QApplication(sys.argv)
    apply_counter_font(app)
    tmp = Path(tempfile.mkdtemp())
    counter = open_counter(tmp / "counter.db", now=lambda: NOW)
    initialize(counter, agency_code="000.00.21.H40", agency_name="UBND xã Thanh Sơn")
    officers.add_officer(
        counter, username="lan", password="matkhau1", role="receiving", full_name="Nguyễn Thị Lan"
    )
    generate(counter, 3000, seed=11, days=60)
    worker = Worker(counter)

    login = LoginDialog(worker, counter.agency_name, "")
    login.resize(520, 320)
    login.username.setText("lan")
    login.show()
    shot(login, "01-login.png", app, worker)
    login.close()

    officer = officers.login(counter, "lan", "matkhau1")
    window = MainWindow(worker, officer)
    window.resize(1366, 728 - 38)  # a 1366×768 screen less the taskbar and the title bar
    window.show()
    window.start()
    shot(window, "02-dashboard.png", app, worker)

    window.tabs.setCurrentWidget(window.intake)
    window.intake.search.setText("chung thuc ban sao")
    window.intake._choose_first()
    window._qr(QR)
    window.intake.phone.setText("0912345678")
    shot(window, "03-intake.png", app, worker)
    window.intake.clear()
    window.intake.search.setText("khai sinh")
    window.intake._choose_first()
    window.scanner.route(GARBLED)  # what a wedge scanner without Vietnamese letters typed
    shot(window, "11-scan-refused.png", app, worker)
    window.intake.clear()

    window.tabs.setCurrentWidget(window.dossiers)
    shot(window, "04-dossiers.png", app, worker)

    code = window.dossiers.model.code(0)
    dialog = window.open_dossier(code)
    dialog.resize(1000, 680)
    shot(dialog, "05-dossier.png", app, worker)
    dialog.close()

    window.tabs.setCurrentWidget(window.returns)
    model = window.dossiers.model
    ready = [model.code(r) for r in range(model.rowCount()) if model.state(r).value == "ready"]
    if ready:
        window.returns.scanned(ready[0])
    shot(window, "06-return.png", app, worker)

    window.print_form("receipt", code)
    settle(app, worker)
    if window.preview is not None:
        window.preview.resize(760, 728 - 40)
        for _ in range(20):  # QPdfView renders pages asynchronously
            QtCore.QThread.msleep(50)
            app.processEvents()
        shot(window.preview, "08-receipt-preview.png", app, worker)
        window.preview.close()

    window.tabs.setCurrentWidget(window.reports)
    window.reports.show_report()
    shot(window, "09-reports.png", app, worker)

    dialog = window.open_dossier(code)
    dialog.resize(1000, 680)
    dialog.tabs.setCurrentWidget(dialog.attachments)
    shot(dialog, "10-attachments.png", app, worker)
    dialog.close()

    window.tabs.setCurrentWidget(window.settings)
    shot(window, "07-settings.png", app, worker)
    window.close()
    settle(app, worker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
