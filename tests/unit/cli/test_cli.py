"""The CLI as district IT uses it: the real console script in a subprocess, on a real database file."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from counter_app.cli.main import build_parser

BIN = Path(sys.executable).parent / "counter-admin"
DOCS = Path(__file__).resolve().parents[3] / "docs" / "cli.md"
QR = "089202017098|352576714|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang|31122021"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN), *args], input=stdin, capture_output=True, text=True, timeout=120)


def ok_json(*args: str, stdin: str = ""):
    proc = run(*args, "--json", stdin=stdin)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def refused(*args: str) -> str:
    proc = run(*args)
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi")
    return lines[0]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "counter.db")
    out = ok_json(
        "--db", path, "init", "--agency-code", "000.00.21.H40", "--agency-name", "UBND xã Thanh Sơn"
    )
    assert out["ok"] is True and out["admin"] == "admin" and len(out["password"]) >= 8
    assert out["procedures"] >= 30
    again = ok_json("--db", path, "init")
    assert "password" not in again  # the admin exists: no second one-time password
    return path


def test_officer_add_reads_password_from_stdin(db: str) -> None:
    assert ok_json("--db", db, "officer", "add", "--username", "lan", "--password-stdin", "--role", "receiving",
                   "--name", "Nguyễn Thị Lan", stdin="matkhau123\n") == {"username": "lan"}  # fmt: skip
    assert "vai trò" in refused("--db", db, "officer", "add", "--username", "x1", "--password-stdin", "--role", "boss",
                                "--name", "X").lower()  # fmt: skip


def test_intake_show_event_search_round_trip(db: str) -> None:
    out = ok_json("--db", db, "intake", "--procedure", "1.000894", "--cccd-qr", QR, "--received", "2026-11-16 09:00",
                  "--officer", "lan")  # fmt: skip
    assert set(out) == {"code", "id", "due", "state"}
    assert out["due"] == "2026-11-17T09:00" and out["state"] == "received"
    code = out["code"]
    assert code.startswith("000.00.21.H40-261116-")
    assert (
        ok_json("--db", db, "event", code, "transfer", "--at", "2026-11-16 10:00")["state"] == "in_progress"
    )
    assert ok_json("--db", db, "event", code, "ready", "--at", "2026-11-17 08:00")["state"] == "ready"
    shown = ok_json("--db", db, "show", code)
    assert [e["action"] for e in shown["events"]] == ["receive", "transfer", "ready"]
    assert shown["events"][0]["officer"] == "lan" and shown["result"] == "on_time"
    hits = ok_json("--db", db, "search", "le van luong")
    assert hits[0] == {"code": code, "name": "Lê Văn Lương", "procedure": "Đăng ký kết hôn", "state": "ready"}
    ok_json("--db", db, "event", code, "return", "--rating", "satisfied")
    assert "không thể trả lần nữa" in refused("--db", db, "event", code, "return")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["intake", "--procedure", "9.9", "--name", "A", "--id-number", "001090123456"], "Không tìm thấy thủ tục"),
        (["intake", "--procedure", "1.000894", "--name", "", "--id-number", "001090123456"], "Họ tên"),
        (["intake", "--procedure", "1.000894", "--name", "Lê An", "--id-number", "99"], "Lỗi"),
        (["intake", "--procedure", "1.000894", "--name", "Lê An", "--id-number", "001090123456", "--received", "hôm qua"],
         "không hợp lệ"),
        (["event", "000.00.21.H40-200101-0001", "ready"], "Không tìm thấy hồ sơ"),
        (["frobnicate"], "Sai cú pháp"),
    ],
)  # fmt: skip
def test_bad_input_exit_2_one_line(db: str, args: list[str], fragment: str) -> None:
    assert fragment in refused("--db", db, *args)


def test_calendar_needs_no_database() -> None:
    assert ok_json("calendar", "day", "2026-11-24") == {"date": "2026-11-24", "working": False,
                                                         "reason": "Ngày Văn hóa Việt Nam"}  # fmt: skip
    assert ok_json("calendar", "day", "2026-01-10")["working"] is True
    assert ok_json("calendar", "add", "--start", "2026-02-13 10:00", "--working-days", "1") == {
        "due": "2026-02-23T10:00"
    }
    assert "không hợp lệ" in refused("calendar", "day", "2026-02-30")


def test_parse_cccd() -> None:
    out = ok_json("parse-cccd", QR)
    assert (
        out["id_number"] == "089202017098"
        and out["birth_date"] == "2002-05-23"
        and out["old_id"] == "352576714"
    )
    assert refused("parse-cccd", "hello")


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    assert "init" in refused("--db", str(tmp_path / "none.db"), "stats")


def test_stats_backup_verify(db: str, tmp_path: Path) -> None:
    stats = ok_json("--db", db, "stats")
    assert (
        set(stats) == {"dossiers", "events", "pending_events", "last_sync"} and stats["pending_events"] >= 1
    )
    assert ok_json("--db", db, "backup", str(tmp_path / "b.db"))["ok"] is True
    assert ok_json("--db", db, "verify")["ok"] is True


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[str]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _commands(sub, f"{prefix}{name} ")
                out += nested or [f"{prefix}{name}"]
    return out


def test_every_command_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [c for c in _commands(build_parser()) if f"`{c}" not in text]
    assert not missing, f"document these in docs/cli.md: {missing}"
