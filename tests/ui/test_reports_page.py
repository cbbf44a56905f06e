"""The reports page on its own, over the real worker and the known two-month dataset."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from ui_support import settle
from unit.services.test_report import build_dataset

from counter_app.services.context import Counter
from counter_app.ui.print_preview import PrintPreviewDialog
from counter_app.ui.qt import Qt, QtWidgets
from counter_app.ui.reports_page import ReportsPage
from counter_app.ui.worker import Worker

TOTAL_ROW = ["10", "2", "5", "3", "5", "1", "2", "2", "2", "1", "1", "1", "0", "1", "0", "1"]


@pytest.fixture
def page(qtbot, worker: Worker, counter: Counter, clock) -> Iterator[ReportsPage]:
    build_dataset(counter, clock)  # now = 20/11/2026 09:00
    widget = ReportsPage(worker)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    settle(qtbot, worker)
    yield widget
    settle(qtbot, worker)
    if widget.preview is not None:
        widget.preview.close()
        widget.preview.deleteLater()
    # openpyxl, pypdf and reportlab leave reference cycles holding many references to True; freed
    # later they would upset test_worker's check that emits do not steal references from True
    gc.collect()


def show(qtbot, page: ReportsPage, worker: Worker) -> None:
    qtbot.mouseClick(page.view_button, Qt.MouseButton.LeftButton)
    settle(qtbot, worker)


def test_opens_on_the_month_that_holds_yesterday(page: ReportsPage) -> None:
    assert (page.kind.currentData(), page.number.currentData(), page.year.value()) == ("month", 12, 2026)
    assert page.range_label.text() == "Tháng 12 năm 2026: từ ngày 15/11/2026 đến ngày 14/12/2026"
    assert not page.xlsx_button.isEnabled() and not page.date_from.isEnabled()


def test_view_shows_the_official_columns(qtbot, page: ReportsPage, worker: Worker) -> None:
    page.number.setCurrentIndex(page.number.findData(11))
    assert page.range_label.text() == "Tháng 11 năm 2026: từ ngày 15/10/2026 đến ngày 14/11/2026"
    show(qtbot, page, worker)
    assert page.table.rowCount() == 7 and page.table.columnCount() == 17
    assert [page.table.item(r, 0).text() for r in range(7)] == [
        "Bảo trợ xã hội", "Chứng thực", "Đất đai", "Hộ tịch", "Nuôi con nuôi", "Văn hóa", "Tổng cộng",
    ]  # fmt: skip
    assert [page.table.item(6, c).text() for c in range(1, 17)] == TOTAL_ROW
    assert page.table.horizontalHeaderItem(16).text() == "Hủy\nhồ sơ\n(18)"
    assert page.table.horizontalHeaderItem(1).toolTip() == "(3) Số hồ sơ nhận giải quyết: tổng số"
    assert page.late.rowCount() == 3 and page.tabs.tabText(1) == "Hồ sơ quá hạn (3)"
    assert page.late.item(0, 6).text() == "Đang giải quyết" and page.late.item(1, 8).text() == "Có"
    assert "Đánh giá của công dân: 1/1 hồ sơ được đánh giá hài lòng (100,00%)." in page.notes.text()
    assert page.status.text().startswith(
        "Tháng 11 năm 2026 (từ ngày 15/10/2026 đến ngày 14/11/2026): 10 hồ sơ"
    )
    assert page.print_button.isEnabled() and page.xlsx_button.isEnabled() and page.pdf_button.isEnabled()


def test_other_period_kinds_and_free_dates(qtbot, page: ReportsPage, worker: Worker) -> None:
    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    page.number.setCurrentIndex(page.number.findData(4))
    assert page.range_label.text() == "Quý IV năm 2026: từ ngày 15/09/2026 đến ngày 14/12/2026"
    page.kind.setCurrentIndex(page.kind.findData("nine_months"))
    assert not page.number.isEnabled()
    assert page.range_label.text() == "9 tháng năm 2026: từ ngày 15/12/2025 đến ngày 14/09/2026"
    page.kind.setCurrentIndex(page.kind.findData("free"))  # starts from the period just shown
    assert page.range_label.text() == "Từ ngày 15/12/2025 đến ngày 14/09/2026"
    page.set_free_period(date(2026, 9, 15), date(2026, 11, 14))
    assert page.year.isEnabled() is False and page.date_from.isEnabled()
    show(qtbot, page, worker)
    assert page.table.item(page.table.rowCount() - 1, 1).text() == "15"
    assert page.status.text().startswith("Từ ngày 15/09/2026 đến ngày 14/11/2026")


def test_bad_dates_show_a_vietnamese_message(qtbot, page: ReportsPage, worker: Worker) -> None:
    page.set_free_period(date(2026, 11, 14), date(2026, 10, 15))
    show(qtbot, page, worker)
    assert page.error.isVisible() and "trước ngày bắt đầu" in page.error.text()
    assert page.view_button.isEnabled()


def test_save_and_preview(qtbot, page: ReportsPage, worker: Worker, tmp_path: Path) -> None:
    page.number.setCurrentIndex(page.number.findData(11))
    show(qtbot, page, worker)
    xlsx, pdf = tmp_path / "bc.xlsx", tmp_path / "bc.pdf"
    with qtbot.waitSignal(page.saved, timeout=10_000):
        page.save_xlsx(str(xlsx))
    settle(qtbot, worker)
    assert openpyxl.load_workbook(xlsx)["Biểu 06"]["C18"].value == "=SUM(C12:C17)"
    assert page.status.text() == f"✔ Đã lưu {xlsx}"
    page.save_pdf(str(pdf))
    settle(qtbot, worker)
    assert pdf.read_bytes().startswith(b"%PDF")
    page.preview_pdf()
    settle(qtbot, worker)
    assert isinstance(page.preview, PrintPreviewDialog) and page.preview.isVisible()
    assert page.preview.document.pageCount() == 2
    assert page.preview.filename == "bao-cao-20261015-20261114.pdf"
    page.preview.close()


def test_unwritable_target_is_reported(qtbot, page: ReportsPage, worker: Worker, tmp_path: Path) -> None:
    page.number.setCurrentIndex(page.number.findData(11))
    show(qtbot, page, worker)
    page.save_xlsx(str(tmp_path / "missing-folder" / "bc.xlsx"))
    settle(qtbot, worker)
    assert page.error.isVisible() and "Không ghi được tệp" in page.error.text()


def test_every_text_is_vietnamese(qtbot, page: ReportsPage, worker: Worker) -> None:
    import re

    page.number.setCurrentIndex(page.number.findData(11))
    show(qtbot, page, worker)
    english = re.compile(
        r"\b(the|and|error|save|cancel|search|loading|settings|file|print|view|report)\b", re.I
    )
    texts = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    for widget in page.findChildren(QtWidgets.QWidget):
        for getter in ("text", "toolTip", "currentText"):
            value = getattr(widget, getter, None)
            if callable(value) and isinstance(value(), str):
                texts.append(value())
    headers = [page.table.horizontalHeaderItem(c) for c in range(page.table.columnCount())]
    texts += [h.text() for h in headers] + [h.toolTip() for h in headers]
    assert len(texts) > 30
    assert not [t for t in texts if english.search(t)]
