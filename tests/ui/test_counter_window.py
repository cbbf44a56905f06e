"""The officer's day driven through the real window with key clicks (pytest-qt, offscreen)."""

from __future__ import annotations

import json

from helpers import QR, receive
from pdf_support import decode_first_page, page_texts
from ui_support import answer_next_dialog, scan, settle, type_by_hand

from counter_app.domain.lifecycle import State
from counter_app.services.context import Counter
from counter_app.store import dossiers as dossier_store
from counter_app.ui.login import LoginDialog
from counter_app.ui.main_window import MainWindow
from counter_app.ui.qt import Qt, QtWidgets
from counter_app.ui.worker import Worker


def test_login_refuses_wrong_password_then_accepts(counter: Counter, worker: Worker, qtbot) -> None:
    dialog = LoginDialog(worker, counter.agency_name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "wrong-password")
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)
    settle(qtbot, worker)
    assert "Sai tên đăng nhập hoặc mật khẩu" in dialog.error.text() and dialog.error.isVisible()
    from counter_app.services import officers

    officers.change_password(counter, "admin", "dung-mat-khau", by="test")
    qtbot.keyClicks(dialog.password, "dung-mat-khau")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.officer is not None and dialog.officer.username == "admin"


def test_intake_by_chip_card_scan_then_save(window: MainWindow, counter: Counter, qtbot) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F2)
    page = window.intake
    assert window.tabs.currentWidget() is page
    type_by_hand(qtbot, page.search, "dang ky ket hon")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert page.procedure is not None and page.procedure.name == "Đăng ký kết hôn"
    scan(qtbot, page.name, QR)  # the scanner fires while the name box has focus
    assert page.name.text() == "Lê Văn Lương"  # the QR text itself was taken back out
    assert page.id_number.text() == "089202017098" and page.birth.text() == "23/05/2002"
    assert "Đã điền từ thẻ căn cước" in page.card_note.text()
    settle(qtbot, window.worker)
    assert "18/11/2026" not in page.due.text() and "17/11/2026" in page.due.text()
    type_by_hand(qtbot, page.phone, "0912 345 678")
    with (
        qtbot.waitSignal(window.document_ready, timeout=20_000) as printed,
        qtbot.waitSignal(page.saved, timeout=10_000) as saved,
    ):
        qtbot.keyClick(page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dossier = saved.args[0].dossier
    receipt = printed.args[0]
    assert receipt.form == "receipt" and receipt.code == dossier.code
    assert dossier.code in decode_first_page(receipt.pdf, 203)  # the paper scans back to the dossier
    assert "Lê Văn Lương" in page_texts(receipt.pdf)[0]
    assert window.preview is not None and window.preview.isVisible()  # no printer here: the preview opens
    window.preview.close()
    stored = dossier_store.get_by_code(counter.store, dossier.code)
    assert stored is not None and stored.applicant_name == "Lê Văn Lương" and stored.phone == "0912345678"
    assert dossier_store.events_of(counter.store, stored)[0].payload["applicant"]["from_card"]
    assert dossier.code in window.message.text()
    assert page.name.text() == "" and page.procedure is None  # ready for the next citizen


def test_bad_input_shows_message_by_the_field_and_saves_nothing(
    window: MainWindow, counter: Counter, qtbot
) -> None:
    page = window.intake
    window.tabs.setCurrentWidget(page)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page._errors["procedure"].isVisible() and "Chưa chọn thủ tục" in page._errors["procedure"].text()
    type_by_hand(qtbot, page.search, "khai sinh")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    for field, setup, message in [
        ("name", lambda: None, "Họ tên"),
        ("id_number", lambda: page.name.setText("Trần Văn Bình"), "Số giấy tờ"),
        ("id_number", lambda: page.id_number.setText("0010901234"), "12 chữ số"),
        (
            "birth_date",
            lambda: (page.id_number.setText("001090123456"), page.birth.setText("31/02/1990")),
            "không có thật",
        ),
        ("phone", lambda: (page.birth.clear(), page.phone.setText("12ab")), "Số điện thoại"),
    ]:
        setup()
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
        settle(qtbot, window.worker)
        assert page._errors[field].isVisible(), field
        assert message in page._errors[field].text(), page._errors[field].text()
    page.phone.clear()
    page.documents.item(0, 0).setCheckState(Qt.CheckState.Unchecked)  # a required paper missing
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.worker)
    assert "chưa đủ giấy tờ bắt buộc" in page._errors["documents"].text()
    assert counter.store.scalar("SELECT count(*) FROM dossiers") == 0


def test_every_error_of_the_form_shows_at_once(window: MainWindow, counter: Counter, qtbot) -> None:
    page = window.intake
    window.tabs.setCurrentWidget(page)
    page.birth.setText("12/03/85")  # two-digit year
    page.id_number.setText("12345")
    page.phone.setText("12ab")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.worker)
    for field in ("procedure", "name", "id_number", "birth_date", "phone"):
        assert page._errors[field].isVisible(), field
    assert page.search.hasFocus()  # the cursor waits at the first one
    type_by_hand(qtbot, page.search, "khai sinh")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    page.birth.setText("12031985")  # eight digits, as printed on the card, are a date too
    page.name.setText("Trần Văn Bình")
    page.id_number.setText("001085012345")
    page.phone.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window.worker)
    assert counter.store.scalar("SELECT count(*) FROM dossiers") == 1
    stored = counter.store.scalar("SELECT payload FROM events ORDER BY num DESC LIMIT 1")
    assert json.loads(stored)["applicant"]["birth_date"] == "1985-03-12"


def test_clear_resets_every_field_fee_and_channel_included(window: MainWindow, qtbot) -> None:
    page = window.intake
    window.tabs.setCurrentWidget(page)
    type_by_hand(qtbot, page.search, "khai sinh")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    page.fee.setValue(25000)
    page.channel.setCurrentIndex(2)
    page.name.setText("Trần Văn Bình")
    qtbot.keyClick(page, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert page.fee.value() == 0 and page.channel.currentIndex() == 0 and page.name.text() == ""
    assert page.procedure is None and not page.is_dirty()


def test_scan_opens_dossier_and_its_whole_life(window: MainWindow, counter: Counter, qtbot) -> None:
    code = receive(counter, procedure_code="1.001022").dossier.code
    window.tabs.setCurrentWidget(window.dashboard)
    scan(qtbot, window.dashboard.soon, code)
    settle(qtbot, window.worker)
    dialog = next(w for w in window.findChildren(QtWidgets.QDialog) if w.windowTitle() == f"Hồ sơ {code}")
    qtbot.waitUntil(lambda: dialog.detail is not None)
    from counter_app.domain.lifecycle import Action

    assert dialog.buttons[Action.TRANSFER].isEnabled() and not dialog.buttons[Action.RETURN].isEnabled()

    def reason(text: str):
        def fill(d: QtWidgets.QDialog) -> None:
            d.reason.setPlainText(text)
            d.accept()

        return fill

    def step(action: Action, fill=None) -> None:
        if fill:
            answer_next_dialog(fill)
        qtbot.mouseClick(dialog.buttons[action], Qt.MouseButton.LeftButton)
        settle(qtbot, window.worker)
        qtbot.waitUntil(lambda: not window.worker.busy)

    step(Action.REQUEST_SUPPLEMENT, reason("Bổ sung bản sao giấy khai sinh của con"))
    assert dossier_store.get_by_code(counter.store, code).state == State.SUPPLEMENT
    step(Action.RECEIVE_SUPPLEMENT)
    step(Action.READY)
    assert dossier_store.get_by_code(counter.store, code).state == State.READY

    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # the officer closes the dossier
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    assert window.tabs.currentWidget() is window.returns
    scan(qtbot, window.returns.code, code)
    settle(qtbot, window.worker)
    assert "Nhấn Enter để ghi nhận trả kết quả" in window.returns.summary.text()

    def rate(d: QtWidgets.QDialog) -> None:
        scan(qtbot, d.focusWidget(), code)  # the next receipt scanned early: its "0"s answer nothing
        assert d.isVisible()
        qtbot.keyClick(d, Qt.Key.Key_1)

    answer_next_dialog(rate)
    qtbot.keyClick(window.returns.code, Qt.Key.Key_Return)
    settle(qtbot, window.worker)
    final = dossier_store.get_by_code(counter.store, code)
    assert final.state == State.RETURNED and final.rating == "satisfied"
    assert "Đã trả kết quả" in window.returns.done.text()


def test_dossier_list_pages_lazily(window: MainWindow, counter: Counter, qtbot) -> None:
    from counter_app.services.demo import generate

    generate(counter, 450, seed=3, days=20)
    window.tabs.setCurrentWidget(window.dossiers)
    window.dossiers.apply()
    settle(qtbot, window.worker)
    model = window.dossiers.model
    assert model.rowCount() == 200
    window.dossiers.view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 200, timeout=10_000)
    window.dossiers.search.setText("nguyen")
    window.dossiers.apply()
    settle(qtbot, window.worker)
    assert 0 < model.rowCount() <= 200
    assert all("Nguyễn" in model.name(r) for r in range(model.rowCount()))


def test_backup_and_verify_from_settings(window: MainWindow, qtbot, tmp_path) -> None:
    window.tabs.setCurrentWidget(window.settings)
    target = tmp_path / "usb" / "sao-luu.db"
    dialog = window.settings.backup(str(target))
    assert dialog is not None
    settle(qtbot, window.worker)
    assert target.exists() and "Đã sao lưu" in window.settings.tools_note.text()
    window.settings.verify()
    settle(qtbot, window.worker)
    assert window.settings.tools_note.text().startswith("✔")


def test_admin_restores_a_backup_from_settings(window: MainWindow, counter: Counter, qtbot, tmp_path) -> None:
    from counter_app.domain.lifecycle import Role
    from counter_app.services import maintenance

    receive(counter)
    backup = maintenance.backup(counter, tmp_path / "good.db")
    receive(counter, name="Sau Sao Lưu")
    page = window.settings
    page.set_officer("admin", Role.ADMIN)
    assert page.restore_button.isEnabled()
    page.restore(str(backup))
    settle(qtbot, window.worker)
    assert "Đã khôi phục" in page.tools_note.text()
    assert counter.store.scalar("SELECT count(*) FROM dossiers") == 1
    assert list((tmp_path.parent).rglob("truoc-khoi-phuc-*.db"))  # the data before the restore was kept


def test_return_screen_refuses_a_dossier_not_ready_before_asking_the_rating(
    window: MainWindow, counter: Counter, qtbot
) -> None:
    code = receive(counter, procedure_code="1.001022").dossier.code
    window.tabs.setCurrentWidget(window.returns)
    window.returns.scanned(code)
    settle(qtbot, window.worker)
    qtbot.keyClick(window.returns.code, Qt.Key.Key_Return)  # a second Enter: return it now
    assert QtWidgets.QApplication.activeModalWidget() is None  # no rating dialog opened
    assert "chưa có kết quả để trả" in window.returns.error.text()


def test_the_dossier_list_shows_the_whole_code(window: MainWindow, counter: Counter, qtbot) -> None:
    receive(counter, procedure_code="1.001022")
    window.tabs.setCurrentWidget(window.dossiers)
    window.dossiers.apply()
    settle(qtbot, window.worker)
    qtbot.waitUntil(lambda: window.dossiers.model.rowCount() > 0)
    code = window.dossiers.model.code(0)
    needed = window.dossiers.view.fontMetrics().horizontalAdvance(code)
    assert window.dossiers.view.columnWidth(0) > needed + 8
