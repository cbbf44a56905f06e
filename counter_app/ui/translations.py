"""Vietnamese for Qt's own buttons and dialogs: PySide6 ships no qtbase_vi.qm.

A translator answers from the table below, by Qt's translation context (the class that asks) and
Qt's English source text, exactly as Qt writes them (the ``&`` marks the Alt+letter key, ``%1`` is
filled in by Qt). It covers every standard dialog an officer can open: the print dialog on Linux
(printer, copies, options, printer properties, CUPS job options), the file dialog (Qt's own, see
``file_dialog_options``), message boxes and their buttons, the right-click menus of text fields and
spin boxes, scroll bars, and the file types shown in the file dialog.

A text that is not in the table gets ``None``: Qt then shows its own English text. It must never
be ``""`` — PySide hands that to Qt as a real, empty translation, and the label goes blank (the
print dialog's options, the file dialog's "Computer", the save dialog's overwrite question).

Left to Qt on purpose: key names in shortcuts (``Ctrl``, ``Shift``, ``Del``: they are printed so on
the keys), and what Qt tells screen readers.
"""

from __future__ import annotations

from counter_app.ui.qt import QtCore, QtWidgets

# Paper names are international names: Qt's text is kept, listed so that nothing is forgotten.
_PAPER_NAMES = (
    *(f"A{i}" for i in range(11)),
    *(f"B{i}" for i in range(11)),
    *(f"JIS B{i}" for i in range(11)),
    "A4 Plus",
    "ANSI C",
    "ANSI D",
    "ANSI E",
    "Executive (7.25 x 10.5 in)",
    "Executive (7.5 x 10 in)",
    "Folio (8.27 x 13 in)",
    "Ledger / ANSI B",
    "Legal",
    "Letter / ANSI A",
    "Letter Plus",
    "Note",
    "PRC 16K",
    "PRC 32K",
    "PRC 32K Big",
    "Quarto",
    "Statement",
    "Super A",
    "Super B",
    "Tabloid / ANSI B",
    "%1 x %2 in",
)

_ENVELOPES = (
    *(f"B{i}" for i in (4, 5, 6)),
    *(f"C{i}" for i in (0, 1, 2, 3, 4, 5, 6, 65, 7)),
    "Chou 3",
    "Chou 4",
    "DL",
    "Kaku 2",
    "Kaku 3",
    "Monarch",
    *(f"PRC {i}" for i in range(1, 11)),
    *(f"US {i}" for i in (9, 10, 11, 12, 14)),
    "You 4",
)

_STANDARD_BUTTONS = {
    "OK": "Đồng ý",
    "Save": "Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Yes": "&Có",
    "Yes to &All": "Có với &tất cả",
    "&No": "&Không",
    "N&o to All": "Không &với tất cả",
    "Abort": "Dừng",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Close": "Đóng",
    "Cancel": "Hủy",
    "Discard": "Bỏ",
    "Help": "Trợ giúp",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
}

_TEXT_MENU = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "&Chọn tất cả",
}

_PAGE_ORDERS = {
    "Left to Right, Top to Bottom": "Trái sang phải, trên xuống dưới",
    "Left to Right, Bottom to Top": "Trái sang phải, dưới lên trên",
    "Right to Left, Bottom to Top": "Phải sang trái, dưới lên trên",
    "Right to Left, Top to Bottom": "Phải sang trái, trên xuống dưới",
    "Bottom to Top, Left to Right": "Dưới lên trên, trái sang phải",
    "Bottom to Top, Right to Left": "Dưới lên trên, phải sang trái",
    "Top to Bottom, Left to Right": "Trên xuống dưới, trái sang phải",
    "Top to Bottom, Right to Left": "Trên xuống dưới, phải sang trái",
}

VI: dict[str, dict[str, str]] = {
    # --- buttons of message boxes and dialogs ---
    "QPlatformTheme": _STANDARD_BUTTONS,
    "QGnomeTheme": {
        "&OK": "Đồng ý",
        "&Save": "&Lưu",
        "&Cancel": "&Hủy",
        "&Close": "Đón&g",
        "Close without Saving": "Đóng không lưu",
    },
    "QMessageBox": {
        "OK": "Đồng ý",
        "Help": "Trợ giúp",
        "Show Details...": "Xem chi tiết...",
        "Hide Details...": "Ẩn chi tiết...",
    },
    "QProgressDialog": {"Cancel": "Hủy"},
    "QInputDialog": {"Enter a value:": "Nhập giá trị:"},
    "QDialog": {"What's This?": "Đây là gì?"},
    "QWhatsThisAction": {"What's This?": "Đây là gì?"},
    "QGuiApplication": {"QT_LAYOUT_DIRECTION": "LTR"},  # Vietnamese is written left to right
    # --- right-click menus of text fields, spin boxes, scroll bars; tabs, combo boxes ---
    "QLineEdit": _TEXT_MENU,
    "QWidgetTextControl": {**_TEXT_MENU, "Copy &Link Location": "Sao chép địa chỉ &liên kết"},
    "QAbstractSpinBox": {"&Select All": "&Chọn tất cả", "&Step up": "&Tăng", "Step &down": "&Giảm"},
    "QUnicodeControlCharacterMenu": {
        "Insert Unicode control character": "Chèn ký tự điều khiển Unicode",
        "LRM Left-to-right mark": "LRM Dấu trái sang phải",
        "RLM Right-to-left mark": "RLM Dấu phải sang trái",
        "ZWJ Zero width joiner": "ZWJ Nối không độ rộng",
        "ZWNJ Zero width non-joiner": "ZWNJ Ngăn nối không độ rộng",
        "ZWSP Zero width space": "ZWSP Dấu cách không độ rộng",
        "LRE Start of left-to-right embedding": "LRE Bắt đầu nhúng trái sang phải",
        "RLE Start of right-to-left embedding": "RLE Bắt đầu nhúng phải sang trái",
        "LRO Start of left-to-right override": "LRO Bắt đầu ép trái sang phải",
        "RLO Start of right-to-left override": "RLO Bắt đầu ép phải sang trái",
        "PDF Pop directional formatting": "PDF Kết thúc định hướng",
        "LRI Left-to-right isolate": "LRI Cô lập trái sang phải",
        "RLI Right-to-left isolate": "RLI Cô lập phải sang trái",
        "FSI First strong isolate": "FSI Cô lập theo ký tự mạnh đầu tiên",
        "PDI Pop directional isolate": "PDI Kết thúc cô lập",
    },
    "QDateTimeEdit": {"AM": "SA", "PM": "CH", "am": "sa", "pm": "ch"},
    "QDateTimeParser": {"AM": "SA", "PM": "CH", "am": "sa", "pm": "ch"},
    "QScrollBar": {
        "Scroll here": "Cuộn đến đây",
        "Left edge": "Mép trái",
        "Top": "Trên cùng",
        "Right edge": "Mép phải",
        "Bottom": "Dưới cùng",
        "Page left": "Sang trái một trang",
        "Page up": "Lên một trang",
        "Page right": "Sang phải một trang",
        "Page down": "Xuống một trang",
        "Scroll left": "Cuộn sang trái",
        "Scroll up": "Cuộn lên",
        "Scroll right": "Cuộn sang phải",
        "Scroll down": "Cuộn xuống",
    },
    "QTabBar": {"Scroll Left": "Cuộn sang trái", "Scroll Right": "Cuộn sang phải"},
    "CloseButton": {"Close Tab": "Đóng thẻ"},
    "QComboBox": {"Open the combo box selection popup": "Mở danh sách chọn", "True": "Đúng", "False": "Sai"},
    # --- the file dialog (Qt's own) ---
    "QFileDialog": {
        "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nBạn có muốn thay tệp đó không?",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.": (
            "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục."
        ),
        "%1\nFile not found.\nPlease verify the correct file name was given.": (
            "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp."
        ),
        "'%1' is write protected.\nDo you want to delete it anyway?": (
            "'%1' đang được chống ghi.\nBạn vẫn muốn xóa?"
        ),
        "Are you sure you want to delete '%1'?": "Bạn có chắc muốn xóa '%1'?",
        "Could not delete directory.": "Không xóa được thư mục.",
        "&Look in:": "Tìm tr&ong:",
        "File &name:": "&Tên tệp:",
        "Files of &type:": "Loại tệ&p:",
        "Directory:": "Thư mục:",
        "&Open": "&Mở",
        "&Save": "&Lưu",
        "&Choose": "&Chọn",
        "Open": "Mở",
        "Save As": "Lưu thành",
        "Find Directory": "Chọn thư mục",
        "Back": "Lùi",
        "Go back": "Quay lại",
        "Forward": "Tiến",
        "Go forward": "Đi tiếp",
        "Parent Directory": "Thư mục cha",
        "Go to the parent directory": "Lên thư mục cha",
        "Create New Folder": "Tạo thư mục mới",
        "Create a New Folder": "Tạo một thư mục mới",
        "New Folder": "Thư mục mới",
        "&New Folder": "Thư mục &mới",
        "List View": "Xem danh sách",
        "Change to list view mode": "Chuyển sang xem danh sách",
        "Detail View": "Xem chi tiết",
        "Change to detail view mode": "Chuyển sang xem chi tiết",
        "Sidebar": "Thanh bên",
        "List of places and bookmarks": "Danh sách vị trí và dấu trang",
        "Recent Places": "Vị trí gần đây",
        "Remove": "Bỏ khỏi danh sách",
        "Files": "Tệp",
        "Directories": "Thư mục",
        "All Files (*)": "Mọi tệp (*)",
        "All files (*)": "Mọi tệp (*)",
        "&Rename": "Đổ&i tên",
        "&Delete": "&Xóa",
        "Delete": "Xóa",
        "Show &hidden files": "&Hiện tệp ẩn",
        "Show ": "Hiện cột ",  # followed by a column's name, in the columns' right-click menu
        # shortcuts parsed by Qt, so they stay as they are
        "Alt+Left": "Alt+Left",
        "Alt+Right": "Alt+Right",
        "Alt+Up": "Alt+Up",
    },
    "QFileSystemModel": {
        "Computer": "Máy tính",
        "My Computer": "Máy tính",  # the sidebar entry on Windows
        "Name": "Tên",
        "Size": "Cỡ",
        "Type": "Loại",
        "Date Modified": "Ngày sửa",
    },
    "QAbstractFileIconProvider": {
        "Drive": "Ổ đĩa",
        "File": "Tệp",
        "File Folder": "Thư mục",  # Windows
        "Folder": "Thư mục",
        "Shortcut": "Lối tắt",
        "Unknown": "Không rõ",
    },
    # File types in the file dialog's "Loại" column where Qt uses its own type list (Windows;
    # Linux has the system's, which already speaks Vietnamese).
    "QMimeType": {
        "": "Tệp",  # a type without a description: Qt would show its technical name
        "Portable Document Format": "Tài liệu PDF",
        "Joint Photographic Experts Group": "Ảnh JPEG",
        "Portable Network Graphics": "Ảnh PNG",
        "Tagged Image File Format": "Ảnh TIFF",
        "Windows bitmap": "Ảnh BMP",
        "Graphics Interchange Format": "Ảnh GIF",
        "Office Open XML Workbook": "Bảng tính Excel",
        "Microsoft Excel Spreadsheet": "Bảng tính Excel",
        "Office Open XML Document": "Tài liệu Word",
        "Microsoft Word Document": "Tài liệu Word",
        "Office Open XML Presentation": "Bài trình chiếu PowerPoint",
        "Microsoft Powerpoint Presentation": "Bài trình chiếu PowerPoint",
        "OpenDocument v1.0: Text document": "Văn bản OpenDocument",
        "OpenDocument v1.0: Spreadsheet document": "Bảng tính OpenDocument",
        "Compressed Archive File": "Tệp nén ZIP",
        "RAR archive": "Tệp nén RAR",
        "7-zip archive": "Tệp nén 7-Zip",
        "MPEG-1 Audio Layer 3": "Âm thanh MP3",
        "HyperText Markup Language": "Trang HTML",
        "Extensible Markup Language": "Tệp XML",
        "DOS/Windows executable (EXE)": "Chương trình (EXE)",
        "Configuration file": "Tệp cấu hình",
        "application log": "Nhật ký ứng dụng",
    },
    # --- the print dialog (Linux; Windows always shows its own) ---
    "QPrintDialog": {
        "Print": "In",
        "&Print": "&In",
        "OK": "Đồng ý",
        "&Options >>": "Tù&y chọn >>",
        "&Options <<": "Tù&y chọn <<",
        "Print to File (PDF)": "In ra tệp (PDF)",
        "Print To File ...": "In ra tệp...",
        "Local file": "Tệp trên máy",
        "Write PDF file": "Ghi tệp PDF",
        "All Pages": "Mọi trang",
        "Odd Pages": "Trang lẻ",
        "Even Pages": "Trang chẵn",
        "Automatic": "Tự động",
        "Custom": "Tùy chỉnh",
        "Invalid Pages Definition": "Ghi trang chưa đúng",
        "%1 does not follow the correct syntax. Please use ',' to separate ranges and pages, '-' to "
        "define ranges and make sure ranges do not intersect with each other.": (
            "%1 ghi chưa đúng. Hãy dùng dấu ',' để ngăn cách các trang và khoảng trang, dấu '-' để ghi "
            "một khoảng trang, và các khoảng không được chồng lên nhau."
        ),
        "Duplex Settings Conflicts": "Thiết lập in hai mặt bị xung đột",
        "There are conflicts in duplex settings. Do you want to fix them?": (
            "Thiết lập in hai mặt bị xung đột. Bạn có muốn sửa không?"
        ),
        "%1 is a directory.\nPlease choose a different file name.": "%1 là một thư mục.\nHãy chọn tên tệp khác.",
        "File %1 is not writable.\nPlease choose a different file name.": (
            "Không ghi được tệp %1.\nHãy chọn tên tệp khác."
        ),
        "%1 already exists.\nDo you want to overwrite it?": "%1 đã có.\nBạn có muốn ghi đè không?",
        "Options 'Pages Per Sheet' and 'Page Set' cannot be used together.\nPlease turn one of those "
        "options off.": (
            "Không dùng cùng lúc được 'Số trang mỗi tờ' và 'Nhóm trang'.\nHãy tắt một trong hai."
        ),
        **{pages: pages for pages in ("1 (1x1)", "2 (2x1)", "4 (2x2)", "6 (2x3)", "9 (3x3)", "16 (4x4)")},
        **_PAGE_ORDERS,
    },
    "QPrintWidget": {
        "Form": "Biểu mẫu",
        "Printer": "Máy in",
        "&Name:": "&Tên:",
        "P&roperties": "Thuộc tín&h",
        "Location:": "Vị trí:",
        "Preview": "Xem trước",
        "Type:": "Loại:",
        "Output &file:": "&Ghi ra tệp:",
        "...": "...",
    },
    "QPrintSettingsOutput": {
        "Form": "Biểu mẫu",
        "Copies": "Bản in",
        "Print range": "Phạm vi in",
        "Print all": "In tất cả",
        "Pages from": "Các trang từ",
        "to": "đến",
        "Pages": "Các trang",
        "Specify pages or ranges separated by commas. Ranges are specified by two numbers separated "
        "by a hyphen. E.g: 3,5-7,9 prints pages 3, 5, 6, 7 and 9.": (
            "Ghi các trang hoặc khoảng trang, cách nhau bằng dấu phẩy. Một khoảng là hai số nối bằng "
            "dấu gạch ngang. Ví dụ: 3,5-7,9 in các trang 3, 5, 6, 7 và 9."
        ),
        "Current Page": "Trang hiện tại",
        "Selection": "Phần đã chọn",
        "Page &Set:": "&Nhóm trang:",
        "Output Settings": "Thiết lập bản in",
        "Copies:": "Số bản:",
        "Collate": "In theo bộ",
        "Reverse": "In ngược thứ tự",
        "Options": "Tùy chọn",
        "Color Mode": "Chế độ màu",
        "Color": "Màu",
        "Grayscale": "Đen trắng",
        "Double Sided Printing": "In hai mặt",
        "Off": "Tắt",
        "Long side binding": "Lật theo cạnh dài",
        "Short side binding": "Lật theo cạnh ngắn",
    },
    "QPrintPropertiesDialog": {
        "Printer Properties": "Thuộc tính máy in",
        "Job Options": "Tùy chọn lệnh in",
        "Page Setup Conflicts": "Thiết lập trang bị xung đột",
        "There are conflicts in page setup options. Do you want to fix them?": (
            "Thiết lập trang bị xung đột. Bạn có muốn sửa không?"
        ),
        "Advanced Option Conflicts": "Tùy chọn nâng cao bị xung đột",
        "There are conflicts in some advanced options. Do you want to fix them?": (
            "Một số tùy chọn nâng cao bị xung đột. Bạn có muốn sửa không?"
        ),
        "Custom value for %1": "Giá trị tùy chỉnh cho %1",
    },
    "QPrintPropertiesWidget": {
        "Form": "Biểu mẫu",
        "Page": "Trang",
        "Advanced": "Nâng cao",
        "There are conflicts in some options. Please fix them.": "Một số tùy chọn bị xung đột. Hãy sửa lại.",
    },
    "QPageSetupWidget": {
        "Form": "Biểu mẫu",
        "Paper": "Giấy",
        "Page size:": "Khổ giấy:",
        "Width:": "Rộng:",
        "Height:": "Cao:",
        "Paper source:": "Khay giấy:",
        "Orientation": "Hướng giấy",
        "Portrait": "Dọc",
        "Landscape": "Ngang",
        "Reverse landscape": "Ngang, xoay ngược",
        "Reverse portrait": "Dọc, xoay ngược",
        "Margins": "Lề",
        "top margin": "lề trên",
        "left margin": "lề trái",
        "right margin": "lề phải",
        "bottom margin": "lề dưới",
        "Page Layout": "Bố cục trang",
        "Page &order:": "Thứ tự &trang:",
        "Pages &per sheet:": "Số trang &mỗi tờ:",
        "Custom": "Tùy chỉnh",
        "Millimeters (mm)": "Milimét (mm)",
        "Inches (in)": "Inch (in)",
        "Points (pt)": "Point (pt)",
        "Pica (P̸)": "Pica (P̸)",
        "Didot (DD)": "Didot (DD)",
        "Cicero (CC)": "Cicero (CC)",
        **{unit: unit for unit in ("mm", "in", "pt", "P̸", "DD", "CC")},
    },
    "QPrintPreviewDialog": {"Page Setup": "Thiết lập trang"},  # the page setup dialog's title
    "QCupsJobWidget": {
        "Job": "Lệnh in",
        "Job Control": "Điều khiển lệnh in",
        "Scheduled &printing:": "&Hẹn giờ in:",
        "&Billing information:": "Thông tin tính &phí:",
        "Job &priority:": "Mức ưu &tiên:",
        "Banner Pages": "Trang bìa",
        "&Start:": "Ở đầ&u:",
        "&End:": "Ở &cuối:",
        "Print Immediately": "In ngay",
        "Hold Indefinitely": "Giữ lại, chưa in",
        "Day (06:00 to 17:59)": "Ban ngày (06:00 đến 17:59)",
        "Night (18:00 to 05:59)": "Ban đêm (18:00 đến 05:59)",
        "Second Shift (16:00 to 23:59)": "Ca hai (16:00 đến 23:59)",
        "Third Shift (00:00 to 07:59)": "Ca ba (00:00 đến 07:59)",
        "Weekend (Saturday to Sunday)": "Cuối tuần (thứ Bảy đến Chủ nhật)",
        "Specific Time": "Vào giờ đã hẹn",
        "None": "Không",
        "Standard": "Tiêu chuẩn",
        "Unclassified": "Không mật",
        "Confidential": "Mật",
        "Classified": "Có độ mật",
        "Secret": "Tối mật",
        "Top Secret": "Tuyệt mật",
    },
    "QCupsPrinterSupport": {
        "Authentication Needed": "Cần đăng nhập",
        "Authentication needed to use %1.": "Cần đăng nhập để dùng %1.",
        "Authentication needed to use %1 on %2.": "Cần đăng nhập để dùng %1 trên %2.",
        "Username:": "Tên đăng nhập:",
        "Password:": "Mật khẩu:",
    },
    "Print Device Input Slot": {"Automatic": "Tự động"},
    "Print Device Output Bin": {"Automatic": "Tự động"},
    "QPageSize": {
        **{name: name for name in _PAPER_NAMES},
        **{f"Envelope {name}": f"Phong bì {name}" for name in _ENVELOPES},
        "Envelope Invite": "Phong bì thiệp mời",
        "Envelope Italian": "Phong bì Ý",
        "Envelope Personal": "Phong bì cá nhân",
        **{f"Architect {x}": f"Kiến trúc {x}" for x in "ABCDE"},
        **{
            f"{name} Extra": f"{name} mở rộng"
            for name in ("A3", "A4", "A5", "B5", "Legal", "Letter", "Tabloid")
        },
        "A4 Small": "A4 nhỏ",
        "Letter Small": "Letter nhỏ",
        "Postcard": "Bưu thiếp",
        "Double Postcard": "Bưu thiếp đôi",
        "Fan-fold US (14.875 x 11 in)": "Giấy liên tục Mỹ (14.875 x 11 in)",
        "Fan-fold German (8.5 x 12 in)": "Giấy liên tục Đức (8.5 x 12 in)",
        "Fan-fold German Legal (8.5 x 13 in)": "Giấy liên tục Đức Legal (8.5 x 13 in)",
        "Custom": "Tùy chỉnh",
        **{
            f"Custom (%1{u} x %2{u})": f"Tùy chỉnh (%1{u} x %2{u})"
            for u in ("mm", "pt", "in", "pc", "DD", "CC")
        },
    },
}

# Contexts whose texts stay Qt's: key names as printed on the keys, and what screen readers hear.
LEFT_TO_QT = frozenset({"QShortcut", "QAccessibleActionInterface"})


class PythonTranslator(QtCore.QTranslator):
    """A translator written in Python (subclasses answer in ``answer``). The reference to None
    PySide6 6.12 steals on each lookup is harmless since ``ui.qt`` makes None immortal."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        return self.answer(context, source)

    def answer(self, context: str, source: str) -> str | None:
        raise NotImplementedError

    def isEmpty(self) -> bool:
        return False


class VietnameseTranslator(PythonTranslator):
    def answer(self, context: str, source: str) -> str | None:
        # None, never "": an empty string would be shown as a blank instead of Qt's own text.
        return VI.get(context, {}).get(source)


def file_dialog_options() -> QtWidgets.QFileDialog.Option:
    """Options for every QFileDialog: Qt's own dialog, which speaks Vietnamese through the table above,
    rather than the system's, which speaks the language Windows was installed in."""
    return QtWidgets.QFileDialog.Option.DontUseNativeDialog


def install(app: QtCore.QCoreApplication) -> VietnameseTranslator:
    """Installs the translator, and makes every file dialog Qt's own (see ``file_dialog_options``), so
    call sites that do not pass the option are Vietnamese too. Qt has no print dialog of its own on
    Windows: there the print dialog stays the system's."""
    translator = VietnameseTranslator(app)
    app.installTranslator(translator)
    app.setAttribute(QtCore.Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    return translator
