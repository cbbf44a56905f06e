"""The dossier's digitized papers: thumbnails, a page viewer, and adding files by button, drop or scanner.

Every read, conversion and PDF rendering runs on the worker (a G4 page takes ~100 ms to rasterise);
the UI thread only turns finished QImages into pixmaps. The panel is embedded in the dossier dialog
and says ``changed`` (with the updated Dossier) after every attach, removal, rotation or move.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from counter_app.domain.attachments import RESULT, Attachment, Target
from counter_app.domain.errors import DomainError
from counter_app.services import attachments
from counter_app.services.context import Counter
from counter_app.ui.qt import Qt, QtCore, QtGui, QtPdf, QtWidgets, Signal, emit
from counter_app.ui.widgets import FieldError, alt_button
from counter_app.ui.worker import Worker

THUMB = QtCore.QSize(96, 128)
PAGE_BOX = QtCore.QSize(900, 1200)
FILE_FILTER = "Ảnh quét và PDF (*.pdf *.jpg *.jpeg *.png *.tif *.tiff);;Mọi tệp (*)"
_ROTATIONS = {
    90: QtPdf.QPdfDocumentRenderOptions.Rotation.Clockwise90,
    180: QtPdf.QPdfDocumentRenderOptions.Rotation.Clockwise180,
    270: QtPdf.QPdfDocumentRenderOptions.Rotation.Clockwise270,
}
ID_ROLE = Qt.ItemDataRole.UserRole


def render_pages(data: bytes, pages: list[int], box: QtCore.QSize, rotation: int) -> list[QtGui.QImage]:
    """Pages of a PDF as images fitting ``box``, turned clockwise by ``rotation``. Runs on the worker:
    the document and its buffer are made and destroyed in the calling thread."""
    buffer = QtCore.QBuffer()
    buffer.setData(QtCore.QByteArray(data))
    buffer.open(QtCore.QIODevice.OpenModeFlag.ReadOnly)
    document = QtPdf.QPdfDocument()
    try:
        document.load(buffer)
        if document.status() != QtPdf.QPdfDocument.Status.Ready:
            return []
        options = QtPdf.QPdfDocumentRenderOptions()
        if rotation in _ROTATIONS:
            options.setRotation(_ROTATIONS[rotation])
        images = []
        for index in pages:
            if not 0 <= index < document.pageCount():
                continue
            points = document.pagePointSize(index)
            w, h = points.width(), points.height()
            if rotation in (90, 270):
                w, h = h, w
            scale = min(box.width() / max(w, 1), box.height() / max(h, 1))
            size = QtCore.QSize(max(1, round(w * scale)), max(1, round(h * scale)))
            images.append(document.render(index, size, options))
        return images
    finally:
        document.close()
        buffer.close()


@dataclass
class Loaded:
    listing: attachments.Listing
    files: dict[str, bytes] = field(default_factory=dict)  # sha256 -> stored PDF
    thumbs: dict[str, QtGui.QImage] = field(default_factory=dict)  # attachment id -> thumbnail
    unreadable: list[str] = field(default_factory=list)  # attachment ids whose file is missing
    folder: Path | None = None
    folder_exists: bool = False
    scan: attachments.ScanFile | None = None


def load(counter: Counter, code: str) -> Loaded:
    """Everything the panel shows, read and rendered on the worker."""
    loaded = Loaded(attachments.listing(counter, code))
    for a in loaded.listing.attachments:
        data = loaded.files.get(a.sha256)
        if data is None:
            try:
                data = attachments.read_file(counter, a.sha256)
            except DomainError:
                loaded.unreadable.append(a.id)
                continue
            loaded.files[a.sha256] = data
        images = render_pages(data, [0], THUMB, a.rotation)
        if images:
            loaded.thumbs[a.id] = images[0]
    loaded.folder, loaded.folder_exists, loaded.scan = look_for_scan(counter)
    return loaded


def look_for_scan(counter: Counter) -> tuple[Path | None, bool, attachments.ScanFile | None]:
    """The scanner folder, whether it exists, and its newest finished scan (worker side)."""
    folder = attachments.scanner_folder(counter)
    return folder, folder is not None and folder.is_dir(), attachments.newest_scan(folder)


def attach_newest(counter: Counter, code: str, target: Target, officer: str) -> attachments.AttachResult:
    """The newest finished scan, looked up at the moment of the click."""
    scan = attachments.newest_scan(attachments.scanner_folder(counter))
    if scan is None:
        raise DomainError("Chưa có bản quét nào trong thư mục máy quét.")
    return attachments.attach(
        counter, attachments.AttachRequest(code=code, path=scan.path, document=target, officer=officer)
    )


class AttachmentsPanel(QtWidgets.QWidget):
    changed = Signal(object)  # the updated Dossier

    def __init__(
        self, worker: Worker, code: str, officer: str, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.worker, self.code, self.officer = worker, code, officer
        self.loaded: Loaded | None = None
        self.current: Attachment | None = None
        self.page = 0
        self._render_generation = 0
        self.setAcceptDrops(True)
        layout = QtWidgets.QVBoxLayout(self)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(QtWidgets.QLabel("Số hóa cho:"))
        self.target = QtWidgets.QComboBox()
        self.target.setSizeAdjustPolicy(
            QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.target.setMinimumContentsLength(36)
        self.target.setToolTip("Giấy tờ trong hồ sơ (hoặc kết quả) mà tệp sắp thêm số hóa")
        top.addWidget(self.target, 1)
        self.add_button = self._button("Thêm tệp…", "Ctrl+O", self.choose_files, top)
        self.scan_button = self._button("Lấy bản quét mới nhất", "Ctrl+J", self.take_newest_scan, top)
        self.scan_button.setEnabled(False)
        layout.addLayout(top)

        scanner = QtWidgets.QHBoxLayout()
        self.scan_label = QtWidgets.QLabel("Chưa chọn thư mục máy quét.")
        self.scan_label.setWordWrap(True)
        scanner.addWidget(self.scan_label, 1)
        folder = alt_button("Thư &mục máy quét…", "Thư mục máy quét lưu bản quét vào (quản trị chọn một lần)")
        folder.clicked.connect(self.choose_folder)
        scanner.addWidget(folder)
        layout.addLayout(scanner)

        self.missing = QtWidgets.QLabel("Đang tải…")
        self.missing.setWordWrap(True)
        layout.addWidget(self.missing)

        split = QtWidgets.QSplitter()
        self.thumbs = QtWidgets.QListWidget()
        self.thumbs.setViewMode(QtWidgets.QListView.ViewMode.IconMode)
        self.thumbs.setIconSize(THUMB)
        self.thumbs.setMovement(QtWidgets.QListView.Movement.Static)
        self.thumbs.setResizeMode(QtWidgets.QListView.ResizeMode.Adjust)
        self.thumbs.setWordWrap(True)
        self.thumbs.setMinimumWidth(140)
        self.thumbs.currentItemChanged.connect(self._selected)
        split.addWidget(self.thumbs)
        viewer = QtWidgets.QWidget()
        viewer_layout = QtWidgets.QVBoxLayout(viewer)
        viewer_layout.setContentsMargins(0, 0, 0, 0)
        self.view = QtWidgets.QLabel("Chọn một tệp để xem.")
        self.view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QtWidgets.QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.view)
        viewer_layout.addWidget(self.scroll, 1)
        pages = QtWidgets.QHBoxLayout()
        self.prev_button = self._button("◀ Trang trước", "PgUp", lambda: self.show_page(self.page - 1), pages)
        self.page_label = QtWidgets.QLabel("")
        pages.addWidget(self.page_label, 1, Qt.AlignmentFlag.AlignCenter)
        self.next_button = self._button("Trang sau ▶", "PgDown", lambda: self.show_page(self.page + 1), pages)
        viewer_layout.addLayout(pages)
        split.addWidget(viewer)
        split.setStretchFactor(1, 1)
        layout.addWidget(split, 1)

        actions = QtWidgets.QHBoxLayout()
        self.rotate_button = self._button("Xoay phải", "Ctrl+R", self.rotate, actions)
        self.up_button = self._button("Lên trước", "Ctrl+Up", lambda: self.move(-1), actions)
        self.down_button = self._button("Xuống sau", "Ctrl+Down", lambda: self.move(1), actions)
        self.remove_button = self._button("Gỡ tệp", "Delete", self.remove, actions)
        actions.addStretch(1)
        self.busy = QtWidgets.QLabel("")
        actions.addWidget(self.busy)
        layout.addLayout(actions)
        self.error = FieldError()
        layout.addWidget(self.error)

        self.watcher = QtCore.QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(self._folder_changed)
        # A scan appears in the folder before the scanner finishes writing it: look again once settled.
        self._scan_timer = QtCore.QTimer(self)
        self._scan_timer.setSingleShot(True)
        self._scan_timer.setInterval(int(attachments.SCAN_SETTLE_SECONDS * 1000) + 500)
        self._scan_timer.timeout.connect(self.refresh_scan)
        self._update_buttons()
        self.reload()

    def _button(
        self, text: str, keys: str, slot: Callable[[], None], row: QtWidgets.QBoxLayout
    ) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(f"{text} ({keys})")
        button.setToolTip(f"{text} — phím tắt {keys}")
        button.clicked.connect(lambda _=False: slot())
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(keys), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: button.isEnabled() and slot())
        row.addWidget(button)
        return button

    # -- loading ----------------------------------------------------------------------------------
    def reload(self) -> None:
        code = self.code
        self.worker.submit(lambda counter: load(counter, code), self._show, self._failed)

    def _show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        view = loaded.listing
        chosen = self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        for slot in view.slots:
            if slot.files:
                text = f"✓ {slot.label} ({slot.files} tệp)"
            elif slot.needs_digitizing:
                text = f"⚠ {slot.label} (chưa số hóa)"
            else:
                text = slot.label
            self.target.addItem(text, slot.target)
            self.target.setItemData(self.target.count() - 1, slot.label, Qt.ItemDataRole.ToolTipRole)
        index = self.target.findData(chosen) if chosen is not None else -1
        if index < 0:  # first paper still to digitize, else the first paper
            index = next((i for i, s in enumerate(view.slots) if s.needs_digitizing and not s.files), 0)
        self.target.setCurrentIndex(index)
        self.target.blockSignals(False)
        if view.missing:
            self.missing.setStyleSheet("color: #b00020;")
            self.missing.setText("⚠ Chưa số hóa: " + "; ".join(view.missing))
        else:
            self.missing.setStyleSheet("color: #1b5e20;")
            self.missing.setText("✓ Đã số hóa đủ giấy tờ cần lưu của hồ sơ.")
        self._show_scan(loaded.folder, loaded.folder_exists, loaded.scan)

        keep = self.current.id if self.current else None
        self.thumbs.blockSignals(True)
        self.thumbs.clear()
        for a in view.attachments:
            short = "Kết quả" if a.target == RESULT else f"Giấy tờ {int(a.target) + 1}"
            item = QtWidgets.QListWidgetItem(f"{short} · {a.pages} tr.")
            if a.id in loaded.thumbs:
                item.setIcon(QtGui.QIcon(QtGui.QPixmap.fromImage(loaded.thumbs[a.id])))
            lost = " — ⚠ KHÔNG ĐỌC ĐƯỢC TỆP" if a.id in loaded.unreadable else ""
            item.setToolTip(
                f"{view.label(a)}\n«{a.original_name}», {a.pages} trang, {a.bytes / 1024:.0f} KB{lost}"
            )
            item.setData(ID_ROLE, a.id)
            self.thumbs.addItem(item)
        self.thumbs.blockSignals(False)
        row = next((i for i, a in enumerate(view.attachments) if a.id == keep), 0 if view.attachments else -1)
        self.thumbs.setCurrentRow(row)
        self._selected(self.thumbs.currentItem(), None)

    def _show_scan(self, folder: Path | None, exists: bool, scan: attachments.ScanFile | None) -> None:
        watched = self.watcher.directories()
        if watched and (folder is None or [str(folder)] != watched):
            self.watcher.removePaths(watched)
        if folder is not None and exists and str(folder) not in self.watcher.directories():
            self.watcher.addPath(str(folder))
        if folder is None:
            self.scan_label.setText("Chưa chọn thư mục máy quét.")
        elif not exists:
            self.scan_label.setText(f"⚠ Không mở được thư mục máy quét {folder}.")
        elif scan is None:
            self.scan_label.setText(f"Máy quét: {folder} — chưa có bản quét.")
        else:
            self.scan_label.setText(
                f"Máy quét: {folder} — bản mới nhất «{scan.path.name}» lúc {scan.modified:%H:%M:%S %d/%m/%Y}, "
                f"{scan.size / 1024:.0f} KB."
            )
        self.scan_button.setEnabled(scan is not None)

    def _folder_changed(self, _path: str) -> None:
        self.refresh_scan()
        self._scan_timer.start()

    def refresh_scan(self) -> None:
        self.worker.submit(look_for_scan, lambda found: self._show_scan(*found), self._failed)

    # -- selection and viewer -----------------------------------------------------------------------
    def _attachment(self, attachment_id: str | None) -> Attachment | None:
        if self.loaded is None or attachment_id is None:
            return None
        return next((a for a in self.loaded.listing.attachments if a.id == attachment_id), None)

    def _selected(self, item: QtWidgets.QListWidgetItem | None, _previous: Any) -> None:
        self.current = self._attachment(item.data(ID_ROLE) if item is not None else None)
        self.page = 0
        self._update_buttons()
        self.show_page(0)

    def show_page(self, page: int) -> None:
        a = self.current
        if a is None or self.loaded is None:
            self.view.setPixmap(QtGui.QPixmap())
            self.view.setText("Chưa có tệp số hóa nào." if self.loaded else "Đang tải…")
            self.page_label.setText("")
            return
        data = self.loaded.files.get(a.sha256)
        if data is None:
            self.view.setPixmap(QtGui.QPixmap())
            self.view.setText("⚠ Không đọc được tệp này trong kho lưu trữ.")
            return
        self.page = max(0, min(page, a.pages - 1))
        self.page_label.setText(f"Trang {self.page + 1}/{a.pages}")
        self._update_buttons()
        self._render_generation += 1
        generation, index, rotation = self._render_generation, self.page, a.rotation
        bar = self.scroll.verticalScrollBar().sizeHint().width()  # room for it: no sideways scrolling
        width = max(self.scroll.viewport().width() - bar - 8, 200)
        box = QtCore.QSize(width, PAGE_BOX.height() * width // PAGE_BOX.width() * 2)

        def shown(images: list[QtGui.QImage]) -> None:
            if generation != self._render_generation or not images:
                return
            self.view.setPixmap(QtGui.QPixmap.fromImage(images[0]))

        self.worker.submit(lambda _c: render_pages(data, [index], box, rotation), shown, self._failed)

    def _update_buttons(self) -> None:
        has = self.current is not None
        shown = self.loaded.listing.attachments if self.loaded else []
        position = next((i for i, a in enumerate(shown) if self.current and a.id == self.current.id), -1)
        for button in (self.rotate_button, self.remove_button):
            button.setEnabled(has)
        self.up_button.setEnabled(has and position > 0)
        self.down_button.setEnabled(has and 0 <= position < len(shown) - 1)
        pages = self.current.pages if self.current else 0
        self.prev_button.setEnabled(has and self.page > 0)
        self.next_button.setEnabled(has and self.page < pages - 1)

    # -- adding files ---------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names, _ = QtWidgets.QFileDialog.getOpenFileNames(
            self, "Chọn ảnh quét hoặc tệp PDF để số hóa", str(Path.home()), FILE_FILTER
        )
        self.attach_paths([Path(n) for n in names])

    def attach_paths(self, paths: list[Path]) -> None:
        """Attach each file to the chosen paper, one after the other on the worker."""
        target = self.target.currentData()
        if target is None:
            return
        code, officer = self.code, self.officer
        for path in paths:
            self._busy(True)
            self.worker.submit(
                lambda counter, p=path: attachments.attach(
                    counter, attachments.AttachRequest(code=code, path=p, document=target, officer=officer)
                ),
                self._attached,
                self._failed,
            )

    def take_newest_scan(self) -> None:
        target = self.target.currentData()
        if target is None:
            return
        code, officer = self.code, self.officer
        self._busy(True)
        self.worker.submit(
            lambda counter: attach_newest(counter, code, target, officer), self._attached, self._failed
        )

    def choose_folder(self) -> None:
        folder = QtWidgets.QFileDialog.getExistingDirectory(self, "Thư mục máy quét lưu bản quét vào")
        if folder:
            self.set_folder(folder)

    def set_folder(self, folder: str) -> None:
        officer = self.officer
        self.worker.submit(
            lambda counter: attachments.set_scanner_folder(counter, folder, officer),
            lambda _path: self.refresh_scan(),
            self._failed,
        )

    def dragEnterEvent(self, event: QtGui.QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QtGui.QDragMoveEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QtGui.QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach_paths(paths)

    # -- changing files ------------------------------------------------------------------------------
    def rotate(self) -> None:
        if self.current is None:
            return
        aid, code, officer = self.current.id, self.code, self.officer
        self.worker.submit(lambda c: attachments.rotate(c, code, aid, 1, officer), self._done, self._failed)

    def move(self, offset: int) -> None:
        if self.current is None:
            return
        aid, code, officer = self.current.id, self.code, self.officer
        self.worker.submit(
            lambda c: attachments.move(c, code, aid, offset, officer), self._done, self._failed
        )

    def remove(self) -> None:
        a = self.current
        if a is None:
            return
        answer = QtWidgets.QMessageBox.question(
            self,
            "Gỡ tệp số hóa",
            f"Gỡ «{a.original_name}» khỏi hồ sơ {self.code}?\n"
            "Việc gỡ được ghi vào nhật ký hồ sơ; tệp vẫn được giữ trong kho lưu trữ.",
        )
        if answer != QtWidgets.QMessageBox.StandardButton.Yes:
            return
        aid, code, officer = a.id, self.code, self.officer
        self.current = None
        self.worker.submit(lambda c: attachments.detach(c, code, aid, officer), self._done, self._failed)

    # -- results -------------------------------------------------------------------------------------
    def _busy(self, on: bool) -> None:
        self.busy.setText("Đang xử lý tệp…" if on else "")
        if on:
            self.error.clear_message()

    def _attached(self, result: attachments.AttachResult) -> None:
        self._busy(False)
        self.current = result.attachment
        self._done(result.dossier)

    def _done(self, dossier: object) -> None:
        self.error.clear_message()
        emit(self.changed, dossier)
        self.reload()

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        if isinstance(exc, DomainError):
            self.error.show_message(exc.message)
        else:
            emit(self.worker.unexpected, exc)
