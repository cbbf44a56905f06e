"""``counter-admin attach`` / ``attachments`` / ``attachments-gc`` through the CLI's real entry point.

``main`` runs with a parser holding the common options and these commands, registered exactly as the
lead hooks them into ``build_parser``; exit codes and error lines are main's own.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import receive
from unit.services.test_attachments_support import pdf_file, snapshot, text_scan

from counter_app.cli import attach_commands
from counter_app.cli import main as cli_main
from counter_app.services.context import Counter


def parser() -> cli_main.ArgumentParser:
    common = cli_main.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    top = cli_main.ArgumentParser(prog="counter-admin", parents=[common])
    sub = top.add_subparsers(dest="command", required=True, parser_class=cli_main.ArgumentParser)

    def add(
        name: str, func: Callable[[argparse.Namespace], None], help_text: str, parent: object = sub
    ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text, parents=[common])  # type: ignore[attr-defined]
        p.set_defaults(func=func)
        return p

    attach_commands.register(sub, add)
    return top


@pytest.fixture
def cli(counter: Counter, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setattr(cli_main, "build_parser", parser)
    db = str(counter.store.path)

    def run(*argv: str) -> tuple[int, str, str]:
        status = cli_main.main(["--db", db, *argv])
        out = capsys.readouterr()
        return status, out.out, out.err

    return run


def test_attach_and_list(counter: Counter, cli, tmp_path: Path) -> None:
    code = receive(counter).dossier.code
    status, out, _ = cli(
        "attach", code, str(text_scan(tmp_path / "to-khai.png")), "--document", "1", "--json"
    )
    assert status == 0
    made = json.loads(out)
    assert set(made) == {"id", "sha256", "pages", "bytes"} and made["pages"] == 1
    status, out, _ = cli("attach", code, str(pdf_file(tmp_path / "kq.pdf")), "--document", "result", "--json")
    assert status == 0
    status, out, _ = cli("attachments", code, "--json")
    listed = json.loads(out)
    assert [(x["id"], x["document"], x["label"][:9]) for x in listed] == [
        (made["id"], 0, "1. Tờ kha"),
        (listed[1]["id"], "result", "Kết quả g"),
    ]
    status, out, _ = cli("attachments", code)
    assert status == 0 and "«to-khai.png», 1 trang" in out and "Chưa số hóa: 2. Giấy chứng sinh" in out
    status, out, _ = cli(
        "attach", code, str(tmp_path / "to-khai.png"), "--document", "2", "--officer", "admin"
    )
    assert status == 0 and out.startswith(f"Đã số hóa «to-khai.png» vào hồ sơ {code}")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--document", "0"], "--document phải là số thứ tự"),
        (["--document", "9"], "không có giấy tờ số 9"),
        (["--officer", "ai-do"], "Không có cán bộ"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    counter: Counter, cli, tmp_path: Path, args: list[str], message: str
):
    code = receive(counter).dossier.code
    scan = text_scan(tmp_path / "x.png")
    before = snapshot(counter)
    status, out, err = cli("attach", code, str(scan), *args)
    assert status == 2 and out == "" and err.count("\n") == 1 and err.startswith("Lỗi: ") and message in err
    assert snapshot(counter) == before


def test_bad_file_exits_2_and_writes_nothing(counter: Counter, cli, tmp_path: Path) -> None:
    code = receive(counter).dossier.code
    fake = tmp_path / "anh.jpg"
    fake.write_text("không phải ảnh", encoding="utf-8")
    before = snapshot(counter)
    status, _, err = cli("attach", code, str(fake), "--json")
    assert (
        status == 2
        and err == "Lỗi: Tệp «anh.jpg» không phải ảnh (JPEG, PNG, TIFF) hoặc PDF: không số hóa được.\n"
    )
    status, _, err = cli("attachments", "000.00.21.H40-261116-0999")
    assert status == 2 and "Không tìm thấy hồ sơ" in err
    assert snapshot(counter) == before


def test_garbage_collection_command(counter: Counter, cli, tmp_path: Path) -> None:
    code = receive(counter).dossier.code
    status, out, _ = cli("attach", code, str(text_scan(tmp_path / "x.png")), "--json")
    status, out, _ = cli("attachments-gc", "--officer", "admin", "--json")
    assert status == 0 and json.loads(out) == {"files": 0, "bytes": 0}
