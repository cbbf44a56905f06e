"""The README's first command ends in `counter-app`: it must do real work on its embedded default."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from helpers import QR

BIN = Path(sys.executable).parent / "counter-app"


def run(data_dir: Path, stdin: str) -> str:
    proc = subprocess.run(
        [str(BIN)],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={"COUNTER_DATA_DIR": str(data_dir)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stdout


def test_first_start_prints_login_then_intake_by_qr_works(tmp_path: Path) -> None:
    first = run(tmp_path, "")
    password = re.search(r"cán bộ trình diễn: demo / (\S+)", first)
    assert password, first
    session = "\n".join(
        ["demo", password.group(1), "1", "chung thuc ban sao", "1", QR, "", "c", "k", "2", "luong", "q", ""]
    )
    out = run(tmp_path, session)
    code = re.search(r"ĐÃ TIẾP NHẬN: (\S+) — Lê Văn Lương", out)
    assert code, out
    assert "Hẹn trả kết quả:" in out
    assert f"{code.group(1)}  Lê Văn Lương" in out  # found again by the accent-free search
