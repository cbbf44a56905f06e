"""Running the real server for tests and benchmarks: uvicorn in a thread, or ``counter-server serve``
in a subprocess (which a test can kill and start again on the same port)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import psycopg
import uvicorn
from pg_cluster import free_port, wait_port

from counter_app.services.context import Counter
from counter_app.wire import PushRequest, WireEvent, compress, dumps
from district_server import admin
from district_server.app import create_app

ROOT = Path(__file__).resolve().parents[2]


class ServerThread:
    """uvicorn serving ``create_app`` on 127.0.0.1 in a background thread of this process."""

    def __init__(self, database_url: str, port: int | None = None, pool_size: int = 10) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        config = uvicorn.Config(
            create_app(database_url, pool_size=pool_size),
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            ws="none",
            lifespan="on",
            access_log=False,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="uvicorn", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server thread did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(15)


class ServerProcess:
    """``python -m district_server serve`` as a child process: real restarts, real SIGKILL."""

    def __init__(self, database_url: str, port: int | None = None) -> None:
        self.database_url = database_url
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerProcess:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "COUNTER_SERVER_POOL_SIZE": "8"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "district_server", "--database-url", self.database_url, "serve",
             "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            env=env,
            cwd=str(ROOT),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(self.port, timeout=30)
        return self

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(30)
        self.proc = None

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


class District:
    """The upper level's admin, straight on the database (the same functions the CLI uses)."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    def _conn(self) -> psycopg.Connection[Any]:
        from psycopg.rows import dict_row

        return psycopg.connect(self.database_url, autocommit=True, row_factory=dict_row)

    def add_commune(self, code: str, name: str) -> int:
        with self._conn() as conn:
            return int(admin.add_commune(conn, code, name)["id"])

    def enrollment_code(self, commune: str) -> str:
        with self._conn() as conn:
            return admin.create_enrollment_code(conn, admin.commune_by_code(conn, commune)["id"])

    def officer(self, username: str, commune: str | None = None) -> str:
        with self._conn() as conn:
            commune_id = admin.commune_by_code(conn, commune)["id"] if commune else None
            return admin.add_officer(conn, username, f"Cán bộ {username}", commune_id)

    def scalar(self, sql: str, params: tuple = ()) -> Any:
        with self._conn() as conn:
            row = conn.execute(sql, params).fetchone()
            return None if row is None else next(iter(row.values()))

    def rows(self, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
        with self._conn() as conn:
            return conn.execute(sql, params).fetchall()


def api(base_url: str, token: str | None = None, *, version: str | None = "1") -> httpx.Client:
    """A plain HTTP client for poking the API the way a script (or an attacker) would."""
    headers = {}
    if version is not None:
        headers["X-Wire-Version"] = version
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.Client(base_url=base_url, headers=headers, timeout=30)


def wire_events(counter: Counter) -> list[WireEvent]:
    """Every event of a counter, as it would travel."""
    rows = counter.store.conn.execute(
        "SELECT e.id, d.id, e.seq, e.action, e.at, e.hlc, e.officer, e.device_id, e.payload "
        "FROM events e JOIN dossiers d ON d.num = e.dossier_num ORDER BY e.num"
    ).fetchall()
    return [
        WireEvent(
            id=i, dossier_id=d, seq=s, action=a, at=at, hlc=h, officer=o, device_id=v, payload=json.loads(p)
        )
        for i, d, s, a, at, h, o, v, p in rows
    ]


def push_body(events: list[WireEvent]) -> bytes:
    return compress(dumps(PushRequest(events=events)))


def push_raw(client: httpx.Client, events: list[WireEvent]) -> httpx.Response:
    return client.post(
        "/api/v1/push",
        content=push_body(events),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
