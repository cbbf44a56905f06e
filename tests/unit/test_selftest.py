"""`counter-app --self-test` is what CI runs on the built one-folder app; it must pass from source too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_self_test_passes() -> None:
    exe = Path(sys.executable).parent / "counter-app"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.run([str(exe), "--self-test"], capture_output=True, text=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "self-test ok" in proc.stdout and "barcode decoded" in proc.stdout
