"""``counter-admin enroll`` and ``counter-admin sync``: JSON keys and exit statuses 0 / 2 / 3."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import receive
from pg_cluster import free_port

from counter_app.cli import main as cli_main
from counter_app.services.context import open_counter
from counter_app.services.setup import initialize

A = "000.00.21.H40"


@pytest.fixture
def admin(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, object, str]]:
    """counter-admin's main(), as a script calls it."""

    def run(*args: str) -> tuple[int, object, str]:
        status = cli_main.main(list(args))
        out, err = capsys.readouterr()
        return status, json.loads(out) if "--json" in args and out.strip() else out, err

    return run


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "counter.db"
    counter = open_counter(path)
    initialize(counter)
    counter.store.close()
    return str(path)


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi") and "Traceback" not in err, err
    return lines[0]


def test_enroll_then_sync(admin, db, server, district) -> None:
    status, out, err = admin(
        "--db", db, "enroll", "--server", server.url, "--code", district.enrollment_code(A), "--json"
    )
    assert status == 0, err
    assert set(out) >= {"device_id", "commune"} and out["commune"] == A and out["slot"] == 0
    counter = open_counter(db)
    try:
        for _ in range(3):
            receive(counter)
    finally:
        counter.store.close()
    status, out, err = admin("--db", db, "sync", "--json")
    assert status == 0, err
    assert out["pushed"] == 3 and out["pulled"] == 0 and out["pending"] == 0
    status, human, _ = admin("--db", db, "sync")
    assert status == 0 and "Đã gửi 0 sự kiện" in human
    status, stats, _ = admin("--db", db, "stats", "--json")
    assert stats["pending_events"] == 0 and stats["last_sync"]


def test_sync_when_the_server_cannot_be_reached(admin, db, server, district) -> None:
    assert admin("--db", db, "enroll", "--server", server.url, "--code", district.enrollment_code(A))[0] == 0
    counter = open_counter(db)
    try:
        receive(counter)
    finally:
        counter.store.close()
    nowhere = f"http://127.0.0.1:{free_port()}"
    status, out, err = admin("--db", db, "sync", "--server", nowhere, "--json")
    assert status == 3 and out["pending"] == 1 and out["pushed"] == 0
    assert "Không kết nối được máy chủ" in one_line(err)
    assert admin("--db", db, "stats", "--json")[1]["pending_events"] == 1
    status, _, err = admin("--db", db, "enroll", "--server", nowhere, "--code", "AAAA-BBBB-CCCC")
    assert status == 3 and one_line(err)
    assert admin("--db", db, "sync")[0] == 0  # the remembered server was not replaced by the bad one


def test_sync_refusals_exit_2(admin, db, server, district) -> None:
    status, _, err = admin("--db", db, "sync")
    assert status == 2 and "enroll" in one_line(err)  # not enrolled yet
    status, _, err = admin("--db", db, "enroll", "--server", server.url, "--code", "AAAA-BBBB-CCCC")
    assert status == 2 and "Mã đăng ký" in one_line(err)
    status, _, err = admin("--db", db, "enroll", "--server", "ftp://x", "--code", "AAAA-BBBB-CCCC")
    assert status == 2 and "không hợp lệ" in one_line(err)
    admin("--db", db, "enroll", "--server", server.url, "--code", district.enrollment_code(A))
    counter = open_counter(db)
    try:
        old = receive(counter).dossier
        counter.store.set_setting("agency_code", "000.00.99.H40")
        receive(counter)  # a dossier under another agency code: the server rejects it
    finally:
        counter.store.close()
    status, out, err = admin("--db", db, "sync", "--json")
    assert status == 2 and out["rejected"] == 1 and out["pushed"] == 1
    assert "từ chối" in one_line(err)
    assert old.code.startswith(A)
    district.rows("UPDATE devices SET revoked_at = now() RETURNING 1")
    status, _, err = admin("--db", db, "sync")
    assert status == 2 and "thu hồi" in one_line(err)
