"""``counter-server`` as district IT runs it: JSON on stdout, exit 0/2/3, one Vietnamese line, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest
from pg_cluster import Cluster
from server_harness import ROOT

from counter_app import paths
from district_server.cli import main
from district_server.db import migration_files

A = "000.00.21.H40"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, object, str]:
    status = main(list(args))
    out, err = capsys.readouterr()
    data = json.loads(out) if out.strip() and "--json" in args else out
    return status, data, err


def refused(capsys: pytest.CaptureFixture[str], *args: str, status: int = 2) -> str:
    code, _out, err = run(capsys, *args)
    assert code == status, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi") and "Traceback" not in err
    return lines[0]


def test_a_fresh_server_database_from_the_command_line(pg: Cluster, capsys, tmp_path) -> None:
    url = pg.create_database(f"cli_{uuid.uuid4().hex[:8]}")
    db = ("--database-url", url)
    assert "migrate" in refused(capsys, *db, "stats")  # not migrated yet: say what to do
    every = [m.stem for m in migration_files()]
    assert every[0] == "0001_initial"
    assert run(capsys, *db, "migrate", "--json")[1] == {"ok": True, "applied": every}
    assert run(capsys, *db, "migrate", "--json")[1] == {"ok": True, "applied": []}
    assert run(
        capsys, *db, "commune", "add", "--code", "000.00.21.h40", "--name", "UBND  xã Thanh Sơn", "--json"
    )[1] == {"code": A}
    assert "đã có" in refused(capsys, *db, "commune", "add", "--code", A, "--name", "X")
    assert "không đúng dạng" in refused(
        capsys, *db, "commune", "add", "--code", "xa-thanh-son", "--name", "X"
    )
    assert run(capsys, *db, "commune", "list", "--json")[1] == [{"code": A, "name": "UBND xã Thanh Sơn"}]
    status, out, _ = run(capsys, *db, "enrollment-code", "--commune", A, "--json")
    assert status == 0 and len(out["enrollment_code"]) == 14
    assert "Chưa có xã" in refused(capsys, *db, "enrollment-code", "--commune", "000.00.99.H40")
    status, out, _ = run(
        capsys,
        "--json",
        *db,
        "officer",
        "add",
        "--username",
        "Lan",
        "--name",
        "Nguyễn Thị Lan",
        "--commune",
        A,
    )
    assert status == 0 and out["username"] == "lan" and out["token"].startswith("qo1.")
    assert run(capsys, *db, "officer", "revoke", "--username", "lan", "--json")[1] == {
        "username": "lan",
        "revoked": True,
    }
    assert run(capsys, *db, "stats", "--json")[1] == {
        "dossiers": 0,
        "events": 0,
        "devices": 0,
        "conflicts": 0,
    }
    assert run(capsys, *db, "stats", "--commune", A, "--json")[1]["devices"] == 0
    assert "Không có máy" in refused(capsys, *db, "revoke-device", "--device-id", "nope")
    assert run(capsys, *db, "publish", "catalog", str(paths.CATALOG_FILE), "--json")[1]["kind"] == "catalog"
    assert (
        run(capsys, *db, "publish", "calendar", str(paths.CALENDAR_FILE), "--json")[1]["kind"] == "calendar"
    )
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"version": "x", "adjustments": [{"date": "2026-02-30", "kind": "off"}]}', encoding="utf-8"
    )
    assert "2026-02-30" in refused(capsys, *db, "publish", "calendar", str(bad))
    assert "Không đọc được" in refused(capsys, *db, "publish", "catalog", str(tmp_path / "missing.json"))
    assert run(capsys, *db, "conflicts", "--json")[1] == []
    human = run(capsys, *db, "stats")[1]
    assert "Hồ sơ: 0" in human


def test_device_revocation_from_the_command_line(
    database_url, district, server, make_counter, capsys
) -> None:
    from counter_app.services import sync

    counter = make_counter("c")
    sync.enroll(counter, server.url, district.enrollment_code(A))
    out = run(
        capsys, "--database-url", database_url, "revoke-device", "--device-id", counter.device_id, "--json"
    )[1]
    assert out == {"device_id": counter.device_id, "revoked": True}
    assert sync.sync_now(counter).error_code == "token_revoked"


def test_missing_or_unreachable_database(capsys, monkeypatch) -> None:
    monkeypatch.delenv("COUNTER_SERVER_DATABASE_URL", raising=False)
    assert "COUNTER_SERVER_DATABASE_URL" in refused(capsys, "stats")
    assert "không kết nối" in refused(
        capsys, "--database-url", "postgresql://x@127.0.0.1:1/x", "stats", status=3
    )
    monkeypatch.setenv("COUNTER_SERVER_DATABASE_URL", "postgresql://x@127.0.0.1:1/x")
    assert "PostgreSQL" in refused(capsys, "migrate", status=3)
    assert "Sai cú pháp" in refused(capsys, "commune", "add", "--code")
    assert "Sai cú pháp" in refused(capsys, "fly")


def test_the_console_script_runs_without_traceback(database_url: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COUNTER_SERVER_DATABASE_URL": database_url}
    proc = subprocess.run(
        [sys.executable, "-m", "district_server", "stats", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["events"] == 0
    helped = subprocess.run(
        [sys.executable, "-m", "district_server", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    for command in ("migrate", "serve", "commune", "enrollment-code", "stats", "revoke-device"):
        assert command in helped.stdout
