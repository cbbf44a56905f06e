"""The dossier list: filters on top, a lazy table below; Enter or double-click opens a dossier."""

from __future__ import annotations

from datetime import date

from counter_app.domain.lifecycle import STATE_LABELS, State
from counter_app.services import queries
from counter_app.ui.dossier_model import DossierTableModel
from counter_app.ui.qt import QtCore, QtWidgets, Signal, emit
from counter_app.ui.widgets import alt_button
from counter_app.ui.worker import Worker

STATE_CHOICES: list[tuple[str, tuple[State, ...]]] = [
    ("Tất cả trạng thái", ()),
    ("Đang giải quyết (mới nhận + đang xử lý)", (State.RECEIVED, State.IN_PROGRESS)),
    *[(STATE_LABELS[s], (s,)) for s in State],
]


class DossiersPage(QtWidgets.QWidget):
    open_dossier = Signal(str)  # code

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker
        layout = QtWidgets.QVBoxLayout(self)
        bar = QtWidgets.QHBoxLayout()
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Tìm: tên (không dấu), số giấy tờ, mã hồ sơ, điện thoại  (F3)")
        self.search.setClearButtonEnabled(True)
        self.search.returnPressed.connect(self.apply)
        self.state = QtWidgets.QComboBox()
        for label, states in STATE_CHOICES:
            self.state.addItem(label, states)
        self.field = QtWidgets.QComboBox()
        self.field.addItem("Tất cả lĩnh vực", None)
        self.date_from = QtWidgets.QDateEdit()
        self.date_to = QtWidgets.QDateEdit()
        for w in (self.date_from, self.date_to):
            w.setDisplayFormat("dd/MM/yyyy")
            w.setCalendarPopup(True)
            w.setSpecialValueText("—")
            w.setMinimumDate(QtCore.QDate(2000, 1, 1))
            w.setDate(w.minimumDate())
        self.officer = QtWidgets.QLineEdit()
        self.officer.setPlaceholderText("Cán bộ (tên đăng nhập)")
        hint_width = self.officer.fontMetrics().horizontalAdvance(self.officer.placeholderText())
        self.officer.setMinimumWidth(hint_width + 24)  # the whole hint, not "Cán bộ (tên đăn…"
        go = alt_button("&Lọc", "Lọc danh sách theo các điều kiện đã chọn")
        go.clicked.connect(self.apply)
        bar.addWidget(self.search, 1)
        bar.addWidget(go)
        layout.addLayout(bar)
        filters = QtWidgets.QHBoxLayout()
        for w in (self.state, self.field, QtWidgets.QLabel("Tiếp nhận từ"), self.date_from, QtWidgets.QLabel("đến"),
                  self.date_to, self.officer):  # fmt: skip
            filters.addWidget(w)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.model = DossierTableModel(worker)
        self.view = QtWidgets.QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(2, QtWidgets.QHeaderView.ResizeMode.Stretch)
        metrics = self.view.fontMetrics()
        code_width = metrics.horizontalAdvance("000.00.21.H40-261116-0001") + 28
        moment_width = metrics.horizontalAdvance("00/00/0000 00:00") + 24  # the hour of the due date too
        for column, width in {
            0: code_width,
            1: 190,
            3: 120,
            4: moment_width,
            5: moment_width,
            6: 185,
        }.items():
            header.resizeSection(column, width)  # the whole code: its last digits are the sequence
        self.view.setAlternatingRowColors(True)
        self.view.doubleClicked.connect(lambda index: emit(self.open_dossier, self.model.code(index.row())))
        self.view.activated.connect(lambda index: emit(self.open_dossier, self.model.code(index.row())))
        layout.addWidget(self.view, 1)
        self.count = QtWidgets.QLabel("")
        self.model.loaded.connect(
            lambda n: self.count.setText(f"Đã tải {n:,} hồ sơ (cuộn xuống để xem thêm)".replace(",", "."))
        )
        layout.addWidget(self.count)

    def set_fields(self, fields: list[str]) -> None:
        current = self.field.currentData()
        self.field.clear()
        self.field.addItem("Tất cả lĩnh vực", None)
        for f in fields:
            self.field.addItem(f, f)
        if current:
            self.field.setCurrentIndex(max(0, self.field.findData(current)))

    def _date(self, edit: QtWidgets.QDateEdit) -> date | None:
        if edit.date() == edit.minimumDate():
            return None
        return edit.date().toPython()

    def apply(self) -> None:
        self.model.set_filter(
            queries.DossierFilter(
                states=self.state.currentData() or (),
                field=self.field.currentData(),
                received_from=self._date(self.date_from),
                received_to=self._date(self.date_to),
                officer=self.officer.text().strip().lower() or None,
                text=self.search.text(),
            )
        )

    def show_states(self, states: tuple[State, ...]) -> None:
        for i in range(self.state.count()):
            if self.state.itemData(i) == states:
                self.state.setCurrentIndex(i)
        self.apply()
