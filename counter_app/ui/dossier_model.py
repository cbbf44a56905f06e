"""A lazy table over a million dossiers: pages of 200 rows fetched by the worker as the view scrolls."""

from __future__ import annotations

from typing import Any

from counter_app.domain.lifecycle import STATE_LABELS, Dossier, State
from counter_app.services import queries
from counter_app.services.context import Counter
from counter_app.ui.qt import Qt, QtCore, QtGui, emit
from counter_app.ui.worker import Worker

PAGE = 200
COLUMNS = ["Mã hồ sơ", "Người nộp", "Thủ tục", "Lĩnh vực", "Tiếp nhận", "Hẹn trả", "Trạng thái"]
STATE_MARK = {
    State.RECEIVED: "●",
    State.IN_PROGRESS: "●",
    State.SUPPLEMENT: "‖",
    State.READY: "✔",
    State.RETURNED: "✔✔",
    State.REFUSED: "⊘",
    State.STOPPED: "■",
    State.WITHDRAWN: "◇",
    State.CANCELLED: "✖",
}


class DossierTableModel(QtCore.QAbstractTableModel):
    loaded = QtCore.Signal(int)  # rows loaded so far

    def __init__(self, worker: Worker) -> None:
        super().__init__()
        self.worker = worker
        self.filter = queries.DossierFilter()
        # Rows are kept as tuples of strings: the garbage collector stops tracking such tuples, so a
        # list of 100,000 rows costs a full collection nothing (Dossier objects made it pause 65 ms).
        self._rows: list[tuple[int, str, str, str, str, str, str, str, str]] = []
        self._exhausted = False
        self._loading = False
        self._generation = 0

    # -- Qt model API ---------------------------------------------------------------------------
    def rowCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QtCore.QModelIndex = QtCore.QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: QtCore.QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column() + 1]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 6 and row[8] == State.REFUSED.value:
            return QtGui.QBrush(QtGui.QColor("#b00020"))
        return None

    @staticmethod
    def _display(num: int, d: Dossier) -> tuple[int, str, str, str, str, str, str, str, str]:
        return (
            num,
            d.code,
            d.applicant_name,
            d.procedure_name,
            d.field,
            f"{d.received_at:%d/%m/%Y %H:%M}",
            f"{d.due_at:%d/%m/%Y %H:%M}" if d.due_at else "—",
            f"{STATE_MARK[d.state]} {STATE_LABELS[d.state]}",
            d.state.value,
        )

    def canFetchMore(self, parent: QtCore.QModelIndex) -> bool:
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: QtCore.QModelIndex) -> None:
        if parent.isValid() or self._exhausted or self._loading:
            return
        self._loading = True
        before = self._rows[-1][0] if self._rows else None
        flt, generation = self.filter, self._generation

        def load(counter: Counter) -> list[tuple[int, str, str, str, str, str, str, str, str]]:
            return [
                self._display(num, d)
                for num, d in queries.list_dossiers(counter, flt, before_num=before, limit=PAGE)
            ]

        self.worker.submit(load, lambda rows: self._append(rows, generation), self._failed)

    # -- loading ----------------------------------------------------------------------------------
    def _append(
        self, rows: list[tuple[int, str, str, str, str, str, str, str, str]], generation: int
    ) -> None:
        if generation != self._generation:
            return  # an old filter's page arriving late
        self._loading = False
        if len(rows) < PAGE:
            self._exhausted = True
        if rows:
            self.beginInsertRows(QtCore.QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()
        emit(self.loaded, len(self._rows))

    def _failed(self, exc: Exception) -> None:
        self._loading = False
        emit(self.worker.unexpected, exc)

    def set_filter(self, flt: queries.DossierFilter) -> None:
        self.beginResetModel()
        self._generation += 1
        self.filter = flt
        self._rows = []
        self._exhausted = False
        self._loading = False
        self.endResetModel()
        self.fetchMore(QtCore.QModelIndex())

    def code(self, row: int) -> str:
        return self._rows[row][1]

    def name(self, row: int) -> str:
        return self._rows[row][2]

    def state(self, row: int) -> State:
        return State(self._rows[row][8])
