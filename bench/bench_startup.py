"""Start-up as the officer sees it: the real ``counter-app`` process to its login window on a
real X display, interleaved with a bare PySide6 window (the floor) started the same way.

Usage: python bench/bench_startup.py [--db /tmp/bench/1m.db] [--rounds 7]
Needs Xvfb, openbox and xdotool (scripts/test.sh installs them). The database is copied once into
a scratch data folder (so the counter opens a realistic file); each round starts both programs
cold from a fresh interpreter and times from the start of the process until its window is
mapped on the display (polled with xdotool every few ms). Prints medians and the app / floor ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from x11_support import Desk, missing_tools

FLOOR = """
from PySide6 import QtWidgets
app = QtWidgets.QApplication([])
dialog = QtWidgets.QDialog()
dialog.setWindowTitle("Sàn — Đăng nhập")
form = QtWidgets.QFormLayout(dialog)
form.addRow("Tên đăng nhập", QtWidgets.QLineEdit())
form.addRow("Mật khẩu", QtWidgets.QLineEdit())
form.addRow(QtWidgets.QPushButton("Đăng nhập"))
dialog.show()
app.exec()
"""


def time_to_window(desk: Desk, argv: list[str], env: dict[str, str], title: str) -> float:
    """Seconds from starting ``argv`` until a visible window titled like ``title`` exists."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if desk.xdo("search", "--onlyvisible", "--name", title):
                return time.perf_counter() - t
            if proc.poll() is not None:
                raise RuntimeError(f"{argv} ended before its window appeared")
            if time.perf_counter() - t > 60:
                raise RuntimeError(f"no window {title!r} after 60 s")
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/bench/1m.db")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    if missing_tools():
        sys.exit(f"needs {', '.join(missing_tools())}")
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        data = Path(scratch)
        source = Path(args.db)
        if source.exists():
            shutil.copyfile(source, data / "counter.db")
            label = f"{source.name}"
        else:
            label = "a fresh demo database"
        desk = Desk()
        try:
            env = {**desk.env, "COUNTER_DATA_DIR": str(data)}
            app_argv = [sys.executable, "-m", "counter_app.app"]
            if not source.exists():  # the first start creates the demo data; not part of the figure
                time_to_window(desk, app_argv, env, "Đăng nhập")
            apps, floors = [], []
            time_to_window(desk, app_argv, env, "Quầy một cửa — Đăng nhập")  # warm the page cache
            for _ in range(args.rounds):
                apps.append(time_to_window(desk, app_argv, env, "Quầy một cửa — Đăng nhập"))
                floors.append(time_to_window(desk, [sys.executable, "-c", FLOOR], env, "Sàn — Đăng nhập"))
        finally:
            desk.close()
    ratios = [a / f for a, f in zip(apps, floors, strict=True)]
    print(f"database: {label}; {args.rounds} interleaved rounds, median (min–max)")
    for name, values in (("counter-app to its login window", apps), ("bare PySide6 window (floor)", floors)):
        print(
            f"{name:40} {statistics.median(values) * 1000:6.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"
        )
    print(
        f"{'ratio app / floor (pairwise median)':40} {statistics.median(ratios):6.2f}×   budget ≤ 2× and ≤ 1.2 s"
    )


if __name__ == "__main__":
    main()
