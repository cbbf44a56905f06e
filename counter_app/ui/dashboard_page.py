"""The day at a glance: what is due, late, waiting and ready, each a click from its list."""

from __future__ import annotations

from datetime import date, timedelta

from counter_app.domain.lifecycle import Dossier, State
from counter_app.services import attachments as attachment_service
from counter_app.services import queries
from counter_app.services.context import Counter
from counter_app.ui.housekeeping import Housekeeping
from counter_app.ui.qt import QtGui, QtWidgets, Signal, emit
from counter_app.ui.widgets import Tile
from counter_app.ui.worker import Worker

# (key, symbol, label, colour): symbols and words carry the meaning, colour only helps. Symbols are
# ones DejaVu Sans and Segoe UI both have (emoji render as boxes on a bare counter PC).
TILES = [
    ("overdue", "⚠", "Quá hạn", "#b00020"),
    ("due_today", "◷", "Đến hạn hôm nay", "#e65100"),
    ("due_soon", "◆", "Đến hạn trong 2 ngày làm việc tới", "#8d6e00"),
    ("waiting_supplement", "‖", "Chờ công dân bổ sung (tạm dừng tính giờ)", "#1565c0"),
    ("ready_to_return", "✔", "Có kết quả, chờ trả", "#1b5e20"),
    ("digitized", "■", "Hồ sơ nhận 30 ngày qua đã số hóa đủ", "#4a148c"),
]
STATE_OF_TILE = {"waiting_supplement": (State.SUPPLEMENT,), "ready_to_return": (State.READY,)}


class DashboardPage(QtWidgets.QWidget):
    open_list = Signal(str)  # tile key
    counts_shown = Signal()

    def __init__(self, worker: Worker, housekeeping: Housekeeping | None = None) -> None:
        super().__init__()
        self.worker = worker
        self.housekeeping = housekeeping  # the slow digitization share goes there, off the officer's thread
        layout = QtWidgets.QVBoxLayout(self)
        self.title = QtWidgets.QLabel("<h2>Tổng quan hôm nay</h2>")
        layout.addWidget(self.title)
        grid = QtWidgets.QGridLayout()
        self.tiles: dict[str, Tile] = {}
        for i, (key, symbol, label, colour) in enumerate(TILES):
            tile = Tile(symbol, f"{label}  (Alt+{i + 1})", colour)
            tile.setToolTip(f"Mở danh sách: {label} — phím tắt Alt+{i + 1}")
            tile.clicked.connect(lambda k=key: emit(self.open_list, k))
            QtGui.QShortcut(
                QtGui.QKeySequence(f"Alt+{i + 1}"), self, activated=lambda k=key: emit(self.open_list, k)
            )
            self.tiles[key] = tile
            grid.addWidget(tile, i // 3, i % 3)
        layout.addLayout(grid)
        self.soon = QtWidgets.QTableWidget(0, 4)
        self.soon.setHorizontalHeaderLabels(["Mã hồ sơ", "Hạn trả", "Người nộp", "Thủ tục"])
        self.soon.horizontalHeader().setSectionResizeMode(3, QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.soon.verticalHeader().hide()
        self.soon.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(QtWidgets.QLabel("<b>Quá hạn và đến hạn hôm nay</b>"))
        layout.addWidget(self.soon, 1)

    def refresh(self) -> None:
        def load(counter: Counter) -> tuple[queries.DashboardCounts, list[Dossier], date]:
            rows = queries.overdue(counter)[:100] + queries.due_today(counter)[:100]
            return queries.dashboard(counter), rows, counter.now().date()

        def load_digitized(counter: Counter) -> dict:
            today = counter.now().date()
            return attachment_service.digitization(counter, today - timedelta(days=30), today)

        def show_digitized(digitized: dict) -> None:
            percent = digitized["dossiers"]["percent"]
            self.tiles["digitized"].number.setText("—" if percent is None else f"{percent:.0f}%")

        # The counts the officer acts on come first; the slower digitization share follows.
        self.worker.submit(load, self._show)
        (self.housekeeping or self.worker).submit(load_digitized, show_digitized)

    def _show(self, result: tuple[queries.DashboardCounts, list[Dossier], date]) -> None:
        counts, rows, today = result
        for key, tile in self.tiles.items():
            if key != "digitized":
                tile.set_count(getattr(counts, key))
        self.soon.setRowCount(len(rows))
        for r, d in enumerate(rows):
            late = "⚠ quá hạn · " if d.due_at and d.due_at.date() < today else ""
            values = [
                d.code,
                f"{late}{d.due_at:%H:%M %d/%m/%Y}" if d.due_at else "—",
                d.applicant_name,
                d.procedure_name,
            ]
            for c, text in enumerate(values):
                self.soon.setItem(r, c, QtWidgets.QTableWidgetItem(text))
        self.soon.resizeColumnsToContents()
        emit(self.counts_shown)
