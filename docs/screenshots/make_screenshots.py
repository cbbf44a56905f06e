"""Refresh the screenshots in docs/screenshots/: python docs/screenshots/make_screenshots.py

Every page and every dialog the officer can reach, offscreen, on a screen of 1366×728 (a 1366×768
screen above a Windows taskbar), with the Vietnamese Qt texts installed as the app installs them.
Each picture is the window's inside; the script fails when one would not fit the screen together with
its title bar, so the pictures double as a check (look at them too: cut-off or blank texts show).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

TMP = Path(tempfile.mkdtemp())
SCREEN = (1366, 728)  # the usable screen: 768 less a taskbar
if "QT_QPA_PLATFORM" not in os.environ:
    config = TMP / "screen.json"
    screen = {"name": "desk", "x": 0, "y": 0, "width": SCREEN[0], "height": SCREEN[1], "logicalDpiX": 96}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpiY": 96, "dpr": 1}]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
os.environ.setdefault("COUNTER_DATA_DIR", str(TMP / "data"))  # window.ini and logs stay out of the user's

from counter_app.domain.lifecycle import Action  # noqa: E402
from counter_app.services import officers  # noqa: E402
from counter_app.services.context import open_counter  # noqa: E402
from counter_app.services.demo import generate  # noqa: E402
from counter_app.services.setup import initialize  # noqa: E402
from counter_app.ui import translations  # noqa: E402
from counter_app.ui.dossier_dialog import RatingDialog, ReasonDialog  # noqa: E402
from counter_app.ui.login import LoginDialog  # noqa: E402
from counter_app.ui.main_window import MainWindow  # noqa: E402
from counter_app.ui.qt import QtCore, QtWidgets  # noqa: E402
from counter_app.ui.widgets import TITLE_BAR_PX, apply_counter_font  # noqa: E402
from counter_app.ui.worker import Worker  # noqa: E402

OUT = Path(__file__).resolve().parent
QR = "089202017098|352576714|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang|31122021"
GARBLED = "001099012345|123456789|Lê Vn Lưng|01011999|Nam|Thôn 3, Xã Thanh Sn, Huyện Ba Vì, Hà Nội|15082021"
NOW = datetime(2026, 11, 18, 9, 30)
TOO_BIG: list[str] = []


def settle(app: QtWidgets.QApplication, worker: Worker) -> None:
    for _ in range(50):
        app.processEvents()
        worker.wait()
        app.processEvents()


def save(widget: QtWidgets.QWidget, name: str) -> None:
    """Grab the window's inside; it must fit the screen with a title bar above it."""
    size = widget.window().size()
    if size.width() > SCREEN[0] or size.height() > SCREEN[1] - TITLE_BAR_PX + 2:
        TOO_BIG.append(f"{name}: {size.width()}×{size.height()}")
    widget.window().grab().save(str(OUT / name))
    print("wrote", OUT / name, f"{size.width()}×{size.height()}")


def shot(widget: QtWidgets.QWidget, name: str, app: QtWidgets.QApplication, worker: Worker) -> None:
    settle(app, worker)
    save(widget, name)


def when_modal(
    app: QtWidgets.QApplication,
    act: Callable[[QtWidgets.QWidget], None],
    over: QtWidgets.QWidget | None = None,
) -> None:
    """Once a modal dialog (other than ``over``) has opened, as ``exec`` waits in its own loop, let it
    paint, then act on it."""

    def poll(tries: int = 200) -> None:
        box = app.activeModalWidget()
        if (box is None or box is over) and tries:
            QtCore.QTimer.singleShot(25, lambda: poll(tries - 1))
            return
        for _ in range(10):
            app.processEvents()
        act(box)

    QtCore.QTimer.singleShot(150, poll)


def main() -> int:
    app = QtWidgets.QApplication(sys.argv)
    app.setApplicationName("Quầy một cửa")
    QtCore.QLocale.setDefault(
        QtCore.QLocale(QtCore.QLocale.Language.Vietnamese, QtCore.QLocale.Country.Vietnam)
    )
    apply_counter_font(app)
    translations.install(app)
    counter = open_counter(TMP / "counter.db", now=lambda: NOW)
    initialize(counter, agency_code="000.00.21.H40", agency_name="UBND xã Thanh Sơn")
    officers.add_officer(
        counter, username="lan", password="matkhau1", role="receiving", full_name="Nguyễn Thị Lan"
    )
    generate(counter, 3000, seed=11, days=60)
    worker = Worker(counter)

    login = LoginDialog(worker, counter.agency_name, "")
    login.username.setText("lan")
    login.show()
    login.adjustSize()
    shot(login, "01-login.png", app, worker)
    login.close()

    officer = officers.login(counter, "lan", "matkhau1")
    window = MainWindow(worker, officer)
    window.resize(SCREEN[0], SCREEN[1] - TITLE_BAR_PX)  # maximised on the usable screen, title bar above
    window.show()
    window.start()
    shot(window, "02-dashboard.png", app, worker)

    window.tabs.setCurrentWidget(window.intake)
    window.intake.search.setText("chung thuc ban sao")
    window.intake._choose_first()
    window._qr(QR)
    window.intake.phone.setText("0912345678")
    shot(window, "03-intake.png", app, worker)

    # The officer closes the program with this intake half done: asked first.
    def close_question(box: QtWidgets.QWidget) -> None:
        save(box, "12-close-question.png")
        box.escapeButton().click()  # "Ở lại"

    when_modal(app, close_question)
    window.close()

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
    shot(dialog, "05-dossier.png", app, worker)

    reason = ReasonDialog(Action.REQUEST_SUPPLEMENT, dialog)
    reason.reason.setPlainText("Bản sao giấy khai sinh có chứng thực.\nSổ hộ khẩu (bản chính để đối chiếu).")
    reason.show()
    shot(reason, "16-reason.png", app, worker)
    reason.close()
    apology = ReasonDialog(Action.APOLOGIZE, dialog, NOW)
    apology.reason.setPlainText("Cần xác minh thêm thông tin với cơ quan cấp giấy tờ.")
    apology.show()
    shot(apology, "17-apology.png", app, worker)
    apology.close()
    dialog.close()

    window.tabs.setCurrentWidget(window.returns)
    model = window.dossiers.model
    ready = [model.code(r) for r in range(model.rowCount()) if model.state(r).value == "ready"]
    if ready:
        window.returns.scanned(ready[0])
    shot(window, "06-return.png", app, worker)
    rating = RatingDialog(window.returns)
    rating.show()
    shot(rating, "18-rating.png", app, worker)
    rating.close()

    window.print_form("receipt", code)
    settle(app, worker)
    preview = window.preview
    if preview is not None:
        for _ in range(20):  # QPdfView renders pages asynchronously
            QtCore.QThread.msleep(50)
            app.processEvents()
        shot(preview, "08-receipt-preview.png", app, worker)
        print_dialog(app, preview)
        save_dialog(app, preview)
        preview.close()

    window.tabs.setCurrentWidget(window.reports)
    window.reports.show_report()
    shot(window, "09-reports.png", app, worker)

    dialog = window.open_dossier(code)
    dialog.tabs.setCurrentWidget(dialog.attachments)
    shot(dialog, "10-attachments.png", app, worker)
    dialog.close()

    window.tabs.setCurrentWidget(window.settings)
    shot(window, "07-settings.png", app, worker)

    when_modal(app, lambda box: (save(box, "19-help.png"), box.accept()))
    window.show_help()

    window.close()
    settle(app, worker)
    if TOO_BIG:
        print("too big for 1366×728 with a title bar:", *TOO_BIG, sep="\n  ")
        return 1
    return 0


def print_dialog(app: QtWidgets.QApplication, preview: QtWidgets.QDialog) -> None:
    """Qt's print dialog from the preview's "In", with its options shown (they were blank once)."""

    def act(dialog: QtWidgets.QWidget) -> None:
        buttons = dialog.findChild(QtWidgets.QDialogButtonBox)
        more = next(b for b in buttons.buttons() if buttons.buttonRole(b) == buttons.ButtonRole.ResetRole)
        more.click()
        for _ in range(10):
            app.processEvents()
        save(dialog, "13-print-dialog.png")
        dialog.reject()

    when_modal(app, act)
    preview.print_now()


def save_dialog(app: QtWidgets.QApplication, preview: QtWidgets.QDialog) -> None:
    """Qt's file dialog from the preview's "Lưu tệp PDF…", then its question when the file exists."""
    folder = TMP / "Tài liệu"
    folder.mkdir()
    (folder / preview.filename).write_bytes(preview.pdf)  # saved once already: the overwrite question
    (folder / "Báo cáo tháng 10").mkdir()
    previous = Path.cwd()
    os.chdir(folder)

    def act(dialog: QtWidgets.QWidget) -> None:
        for _ in range(20):  # the file list fills from a background thread
            QtCore.QThread.msleep(25)
            app.processEvents()
        save(dialog, "14-save-dialog.png")

        def overwrite(box: QtWidgets.QWidget) -> None:
            save(box, "15-save-overwrite.png")
            box.button(QtWidgets.QMessageBox.StandardButton.No).click()  # back to the file dialog

        when_modal(app, overwrite, over=dialog)
        dialog.accept()
        dialog.reject()

    when_modal(app, act)
    try:
        preview.save_as()
    finally:
        os.chdir(previous)


if __name__ == "__main__":
    sys.exit(main())
