"""Vietnamese for Qt's own buttons and dialogs: PySide6 ships no qtbase_vi.qm.

A translator that answers from a small table covers what an officer meets: standard buttons,
message boxes, the file and print dialogs. Anything missing falls back to Qt's English.
"""

from __future__ import annotations

from counter_app.ui.qt import QtCore

VI: dict[str, str] = {
    "OK": "Đồng ý",
    "&OK": "Đồng ý",
    "Cancel": "Hủy",
    "&Cancel": "Hủy",
    "Close": "Đóng",
    "&Close": "Đóng",
    "Yes": "Có",
    "&Yes": "Có",
    "No": "Không",
    "&No": "Không",
    "Save": "Lưu",
    "&Save": "Lưu",
    "Open": "Mở",
    "&Open": "Mở",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Help": "Trợ giúp",
    "Discard": "Bỏ",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Abort": "Dừng",
    "Yes to &All": "Có tất cả",
    "N&o to All": "Không tất cả",
    "Look in:": "Tìm trong:",
    "File &name:": "Tên tệp:",
    "File name": "Tên tệp",
    "Files of type:": "Loại tệp:",
    "Size": "Cỡ",
    "Type": "Loại",
    "Date Modified": "Ngày sửa",
    "Name": "Tên",
    "Back": "Lùi",
    "Forward": "Tiến",
    "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "New Folder": "Thư mục mới",
    "Detail View": "Xem chi tiết",
    "List View": "Xem danh sách",
    "Print": "In",
    "&Print": "In",
    "Printer": "Máy in",
    "&Name:": "Tên:",
    "Properties": "Thuộc tính",
    "P&roperties": "Thuộc tính",
    "Copies": "Số bản",
    "Copies:": "Số bản:",
    "Options": "Tùy chọn",
    "&Options >>": "Tùy chọn >>",
    "&Options <<": "Tùy chọn <<",
    "Print range": "Phạm vi in",
    "Print all": "In tất cả",
    "Pages from": "Trang từ",
    "to": "đến",
    "Page Size:": "Khổ giấy:",
    "Orientation": "Hướng giấy",
    "Portrait": "Dọc",
    "Landscape": "Ngang",
    "Today": "Hôm nay",
    "Select All": "Chọn tất cả",
    "&Select All": "Chọn tất cả",
    "Copy": "Sao chép",
    "&Copy": "Sao chép",
    "Paste": "Dán",
    "&Paste": "Dán",
    "Cu&t": "Cắt",
    "&Undo": "Hoàn tác",
    "&Redo": "Làm lại",
    "Delete": "Xóa",
}


class VietnameseTranslator(QtCore.QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        return VI.get(source, "")

    def isEmpty(self) -> bool:
        return False


def install(app: QtCore.QCoreApplication) -> VietnameseTranslator:
    translator = VietnameseTranslator(app)
    app.installTranslator(translator)
    return translator
