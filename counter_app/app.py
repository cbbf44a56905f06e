"""``counter-app``: the counter on its embedded default (local SQLite in the user's data dir, demo catalog).

With a desktop it opens the PySide6 window; without one (a server console, an SSH session) or
with ``--terminal`` it runs the terminal counter (``counter_app.terminal``), which does the same
work through the same services.
"""

from __future__ import annotations

import os
import sys

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


def main(argv: list[str] | None = None) -> int:
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
