"""``counter-app``: the counter on its embedded default (local SQLite in the user's data dir, demo catalog).

With a desktop it opens the PySide6 window; without one (a server console, an SSH session) or
with ``--terminal`` it runs the terminal counter (``counter_app.terminal``), which does the same
work through the same services.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from collections.abc import Callable
from itertools import combinations

from counter_app import paths
from counter_app.domain.passwords import one_time_password
from counter_app.services import officers
from counter_app.services.context import Counter, open_counter
from counter_app.services.demo import generate
from counter_app.services.setup import initialize, is_initialized
from counter_app.store.officers import get as get_officer

DEMO_USER = "demo"


def first_start(counter: Counter) -> list[str]:
    """Initialise the embedded default: bundled catalog and calendar, demo officer, demo dossiers."""
    result = initialize(counter)
    lines = []
    if get_officer(counter.store, DEMO_USER) is None:
        password = one_time_password()
        officers.add_officer(
            counter, username=DEMO_USER, password=password, role="receiving", full_name="Cán bộ trình diễn"
        )
        generate(counter, 200, seed=7, days=30)
        lines.append(f"Lần chạy đầu: đã tạo dữ liệu tại {counter.store.path}")
        lines.append(f"  Tài khoản cán bộ trình diễn: {DEMO_USER} / {password}")
        if result.created_admin:
            lines.append(f"  Tài khoản quản trị: {result.created_admin} / {result.admin_password}")
        lines.append("  Hãy ghi lại các mật khẩu này.")
    return lines


def has_display() -> bool:
    """A desktop to show the window on (Windows and macOS always; Linux needs X11 or Wayland)."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _console_fallback(encoding: str) -> Callable[[UnicodeError], tuple[str, int]]:
    """An error handler for a console in ``encoding`` that cannot show a character: no crash.

    A Vietnamese letter the code page lacks is written with combining marks where the code page
    has them (Windows-1258 has the five tone marks: "ế" becomes "ê" + acute, which reads the same),
    else without its marks (a half-marked "Hàng" for "Hằng" would mislead); anything else is "?".
    Code-page codecs tell the handler "charmap", not their name: hence one handler per encoding."""

    def handler(exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        return "".join(_degrade(ch, encoding) for ch in exc.object[exc.start : exc.end]), exc.end

    return handler


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _degrade(ch: str, encoding: str) -> str:
    """``ch`` with every mark (some composed on the letter, the rest combining), or with none."""
    base, *marks = unicodedata.normalize("NFD", ch)
    for size in range(len(marks), -1, -1):  # most marks composed on the letter first
        for composed in combinations(range(len(marks)), size):
            head = unicodedata.normalize("NFC", base + "".join(marks[i] for i in composed))
            candidate = head + "".join(m for i, m in enumerate(marks) if i not in composed)
            if _encodes(candidate, encoding):
                return candidate
    for plain in (base, {"đ": "d", "Đ": "D"}.get(ch, "?"), "?"):
        if _encodes(plain, encoding):
            return plain
    return ""


def console_errors(encoding: str) -> str:
    """The name of the error handler for a console in ``encoding`` (registered on first use)."""
    name = f"counter-console-{codecs.lookup(encoding).name}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, _console_fallback(codecs.lookup(encoding).name))
    return name


def safe_console() -> None:
    """Never crash on printing: a console in a legacy code page (cp1258, cp437) shows what it can.
    Input undecodable in the console's encoding becomes U+FFFD instead of an exception."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors=console_errors(stream.encoding))
    if sys.stdin is not None and hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")


def main(argv: list[str] | None = None) -> int:
    safe_console()
    try:
        return _main(argv)
    except KeyboardInterrupt:  # Ctrl+C while starting (the terminal counter handles its own)
        print("\nĐã dừng.")
        return 130


def _main(argv: list[str] | None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--self-test" in args:
        from counter_app.selftest import run

        return run()
    path = paths.default_db_path()
    counter = open_counter(path)
    note = first_start(counter) if not is_initialized(counter) else []
    for line in note:
        print(line)
    if "--terminal" not in args and has_display():
        counter.store.close()
        from counter_app.ui.app import run

        return run(path, "\n".join(note))
    if "--terminal" not in args:
        print("Không có màn hình đồ họa (DISPLAY): dùng quầy ở chế độ dòng lệnh.")
    from counter_app.terminal import terminal

    return terminal(counter)


if __name__ == "__main__":
    sys.exit(main())
