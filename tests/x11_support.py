"""A real X11 desk for the window: Xvfb at 1366×768, openbox, key events from xdotool.

The counter app runs as its own process on that display (the test process keeps Qt offscreen),
so every key goes through the X server and Qt's xcb input path as it does at a counter.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TOOLS = ("Xvfb", "xdotool", "xmodmap", "openbox", "xwininfo", "xprop")
# Keycodes whose keysyms (multimedia keys) no test needs: they carry the Vietnamese letters.
SPARE_KEYCODES = range(150, 256)


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _free_display() -> int:
    for n in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
            return n
    raise RuntimeError("no free X display number")


class Desk:
    """One X display with a window manager; ``xdo`` runs xdotool on it."""

    def __init__(self, width: int = 1366, height: int = 768) -> None:
        self.width, self.height = width, height
        self.number = _free_display()
        self.display = f":{self.number}"
        self.env = {**os.environ, "DISPLAY": self.display}
        self.env.pop("QT_QPA_PLATFORM", None)
        self.xvfb = subprocess.Popen(
            ["Xvfb", self.display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not Path(f"/tmp/.X11-unix/X{self.number}").exists():
            if time.monotonic() > deadline or self.xvfb.poll() is not None:
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        self.wm = subprocess.Popen(
            ["openbox"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(0.3)
        self._next_keycode = iter(SPARE_KEYCODES)
        self._mapped: set[str] = set()

    def xdo(self, *args: str, timeout: float = 30) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        return done.stdout.strip()

    def map_letters(self, text: str) -> None:
        """Bind every non-ASCII letter of ``text`` to a keycode of its own, as a well-configured
        scanner's keyboard layout would; xdotool otherwise remaps on the fly and drops letters."""
        for ch in sorted({c for c in text if not c.isascii()} - self._mapped):
            keysym = f"U{ord(ch):04X}"
            code = next(self._next_keycode)
            subprocess.run(
                ["xmodmap", "-e", f"keycode {code} = {keysym} {keysym}"], env=self.env, check=True, timeout=10
            )
            self._mapped.add(ch)

    def type(self, text: str, delay_ms: int) -> None:
        """Type ``text`` key by key; Return is never part of it (send it with ``key``)."""
        assert "\n" not in text
        self.xdo("type", "--delay", str(delay_ms), "--", text, timeout=120)

    def key(self, *names: str, delay_ms: int = 60) -> None:
        self.xdo("key", "--delay", str(delay_ms), *names)

    def windows(self) -> dict[str, str]:
        """Visible top-level windows: id -> title."""
        ids = self.xdo("search", "--onlyvisible", "--name", ".").split()
        return {wid: self.xdo("getwindowname", wid) for wid in ids}

    def wait_window(self, wanted: str, *, unless: str = "", timeout: float = 30) -> str:
        """The id of a visible window whose title contains ``wanted`` (and not ``unless``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for wid, title in self.windows().items():
                if wanted in title and not (unless and unless in title):
                    return wid
            time.sleep(0.1)
        raise AssertionError(f"no window titled like {wanted!r} appeared; open: {self.windows()}")

    def active_title(self) -> str:
        return self.xdo("getactivewindow", "getwindowname")

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        """x, y, width, height of a window *with* its frame (title bar), as the screen shows it."""
        out = subprocess.run(
            ["xwininfo", "-id", window], env=self.env, capture_output=True, text=True, check=True, timeout=10
        ).stdout
        values = dict(line.strip().split(": ", 1) for line in out.splitlines() if ": " in line)
        x, y = int(values["Absolute upper-left X"]), int(values["Absolute upper-left Y"])
        width, height = int(values["Width"]), int(values["Height"])
        extents = subprocess.run(
            ["xprop", "-id", window, "_NET_FRAME_EXTENTS"],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout
        left, right, top, bottom = (
            (int(n) for n in re.findall(r"\d+", extents.split("=", 1)[-1])[:4])
            if ("=" in extents)
            else (0, 0, 0, 0)
        )
        return x - left, y - top, width + left + right, height + top + bottom

    def screenshot(self, path: Path) -> None:
        from PIL import ImageGrab

        ImageGrab.grab(xdisplay=self.display).save(path)

    def close(self) -> None:
        for proc in (self.wm, self.xvfb):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def desk(width: int = 1366, height: int = 768) -> Iterator[Desk]:
    missing = missing_tools()
    if missing:
        pytest.skip(f"real X11 desk needs {', '.join(missing)}")
    d = Desk(width, height)
    try:
        yield d
    finally:
        d.close()


class CounterProcess:
    """``counter-app`` started on the desk with its own data folder, as an officer starts it."""

    def __init__(self, desk: Desk, data_dir: Path) -> None:
        self.desk, self.data_dir = desk, data_dir
        env = {**desk.env, "COUNTER_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
        self.log = (data_dir / "app-output.txt").open("w+", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "counter_app.app"], env=env, stdout=self.log, stderr=subprocess.STDOUT
        )

    def output(self) -> str:
        self.log.flush()
        return (self.data_dir / "app-output.txt").read_text(encoding="utf-8")

    def demo_password(self, timeout: float = 120) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(r"cán bộ trình diễn: demo / (\S+)", self.output())
            if found:
                return found.group(1)
            if self.proc.poll() is not None:
                raise AssertionError(f"counter-app ended early:\n{self.output()}")
            time.sleep(0.1)
        raise AssertionError(f"no demo password printed:\n{self.output()}")

    def login(self) -> str:
        """Log in as the demo officer with keys only; returns the main window's id."""
        password = self.demo_password()
        self.desk.wait_window("Đăng nhập")
        time.sleep(0.5)
        self.desk.type("demo", delay_ms=90)
        self.desk.key("Tab")
        self.desk.type(password, delay_ms=90)
        self.desk.key("Return")
        return self.desk.wait_window("Quầy một cửa —", unless="Đăng nhập", timeout=60)

    @property
    def db_path(self) -> Path:
        return self.data_dir / "counter.db"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
