"""Uploading attachment files to the real server: resumable chunks through a connection cut every
64 KiB, resume after an interrupted round, the hash check, the bandwidth cap, and commune isolation."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import random
import time
from pathlib import Path

import pytest
from faulty_proxy import FaultyProxy
from helpers import receive
from server_harness import District, ServerThread, api

from counter_app.domain.attachments import PageKind
from counter_app.services import attachments as attachment_service
from counter_app.services import sync as sync_service
from counter_app.services.attachments import AttachRequest, EncodedPage, build_pdf
from counter_app.services.context import Counter
from counter_app.store.database import put_setting
from district_server.attachments import final_path

A = "000.00.21.H40"
B = "000.00.22.H40"
KIB = 1024


class CuttingProxy(FaultyProxy):
    """Streams each request upstream (so the server sees a cut chunk's first bytes) and cuts the
    connection every ``cut_every`` request bytes; ``down_after``: after that many bytes the line goes
    dead (every connection closed at once) until ``down`` is cleared; ``corrupt_first_put`` flips one
    byte in the first PUT body."""

    def __init__(
        self, upstream_port: int, *, cut_every: int | None = None, down_after: int | None = None
    ) -> None:
        super().__init__(upstream_port)
        self.cut_every = cut_every
        self.down_after = down_after
        self.down = False
        self.corrupt_first_put = False
        self.since_cut = 0
        self.total = 0

    def _budget(self) -> int | None:
        budgets = []
        if self.cut_every:
            budgets.append(self.cut_every - self.since_cut)
        if self.down_after is not None:
            budgets.append(self.down_after - self.total)
        return min(budgets) if budgets else None

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.down:
            return
        head = await reader.readuntil(b"\r\n\r\n")
        lines = [ln for ln in head.decode("latin-1").split("\r\n") if ln]
        length = 0
        kept = [lines[0]]
        for line in lines[1:]:
            name = line.split(":", 1)[0].strip().lower()
            if name == "content-length":
                length = int(line.split(":", 1)[1])
            if name not in ("connection", "keep-alive"):
                kept.append(line)
        corrupt = self.corrupt_first_put and lines[0].startswith("PUT ")
        self.corrupt_first_put = self.corrupt_first_put and not corrupt
        self.stats["requests"] += 1
        r, w = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        try:
            pending = [("\r\n".join([*kept, "Connection: close"]) + "\r\n\r\n").encode("latin-1")]
            remaining = length
            while pending or remaining:
                if pending:
                    data = pending.pop()
                else:
                    data = await reader.read(min(16 * KIB, remaining))
                    if not data:
                        return
                    remaining -= len(data)
                    if corrupt:
                        data = bytes([data[0] ^ 0xFF]) + data[1:]
                        corrupt = False
                budget = self._budget()
                if budget is not None and len(data) >= budget:
                    w.write(data[:budget])
                    await w.drain()
                    self.total += budget
                    self.since_cut = 0
                    self.stats["cuts"] += 1
                    if self.down_after is not None and self.total >= self.down_after:
                        self.down = True
                    return
                w.write(data)
                await w.drain()
                self.since_cut += len(data)
                self.total += len(data)
            answer = await asyncio.wait_for(r.read(), 30)
            writer.write(answer)
            await writer.drain()
        finally:
            w.close()
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                await w.wait_closed()


@pytest.fixture(autouse=True)
def server_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "server-files"
    monkeypatch.setenv("COUNTER_SERVER_FILES_DIR", str(root))
    return root


@pytest.fixture
def proxies():
    made: list[CuttingProxy] = []

    def make(server: ServerThread, **kw) -> CuttingProxy:
        p = CuttingProxy(server.port, **kw).start()
        made.append(p)
        return p

    yield make
    for p in made:
        p.stop()


def sized_pdf(path: Path, size: int, seed: int) -> Path:
    """A valid PDF of about ``size`` bytes of incompressible content (one 'photo' page)."""
    noise = random.Random(seed).randbytes(size)
    path.write_bytes(build_pdf([EncodedPage(1000, 1400, 150.0, PageKind.PHOTO, noise)]))
    return path


def enrolled(make_counter, server: ServerThread, district: District, name: str, commune: str = A) -> Counter:
    counter = make_counter(name)
    sync_service.enroll(counter, server.url, district.enrollment_code(commune))
    return counter


def attached(counter: Counter, tmp_path: Path, size: int, seed: int) -> tuple[str, bytes]:
    """A dossier with one attached file of about ``size`` bytes, its events pushed (files not)."""
    code = receive(counter).dossier.code
    path = sized_pdf(tmp_path / f"scan-{seed}.pdf", size, seed)
    sha = attachment_service.attach(
        counter, AttachRequest(code=code, path=path, document=0)
    ).attachment.sha256
    result = sync_service.sync_now(counter, upload=False)
    assert result.complete and result.pending == 0 and result.files_pending == 1
    return sha, path.read_bytes()


def upload_row(district: District, sha: str) -> dict:
    [row] = district.rows("SELECT * FROM file_uploads WHERE sha256 = %s", (sha,))
    return row


def stored_sha(server_files: Path, sha: str) -> str:
    return hashlib.sha256(final_path(server_files, sha).read_bytes()).hexdigest()


def state_of(counter: Counter, sha: str) -> str:
    return counter.store.scalar("SELECT upload FROM attachment_files WHERE sha256 = ?", (sha,))


def test_upload_through_a_connection_cut_every_64_kib(
    server, district, make_counter, proxies, tmp_path, server_files
) -> None:
    counter = enrolled(make_counter, server, district, "c")
    sha, data = attached(counter, tmp_path, 300 * KIB, seed=1)
    proxy = proxies(server, cut_every=64 * KIB)
    result = sync_service.sync_now(counter, server=proxy.url)
    assert result.complete, result.error
    assert result.uploaded == 1 and result.files_pending == 0
    assert proxy.stats["cuts"] >= 4  # the line really broke, again and again
    assert stored_sha(server_files, sha) == sha
    assert final_path(server_files, sha).read_bytes() == data
    row = upload_row(district, sha)
    assert row["received_bytes"] == len(data)  # the server wrote every byte exactly once
    assert row["completed_at"] is not None and row["hash_failures"] == 0
    # Each chunk went out at most once more than necessary: what a cut lost is re-sent, never more.
    assert len(data) <= result.upload_bytes <= 2 * len(data)
    assert state_of(counter, sha) == "acknowledged"
    again = sync_service.sync_now(counter, server=proxy.url)
    assert again.uploaded == 0 and again.upload_bytes == 0  # acknowledged files are not sent again


def test_interrupted_upload_resumes_from_what_the_server_holds(
    server, district, make_counter, proxies, tmp_path, server_files
) -> None:
    counter = enrolled(make_counter, server, district, "c")
    sha, data = attached(counter, tmp_path, 400 * KIB, seed=2)
    dead = proxies(server, down_after=150 * KIB)
    first = sync_service.sync_now(counter, server=dead.url, attempts=1)
    assert not first.complete and first.unreachable
    assert first.uploaded == 0 and first.files_pending == 1
    assert state_of(counter, sha) == "sending"
    held = upload_row(district, sha)["received_bytes"]
    assert 64 * KIB <= held < 150 * KIB  # what arrived before the line died stays on the server

    second = sync_service.sync_now(counter, server=server.url)
    assert second.complete and second.uploaded == 1
    assert second.upload_bytes == len(data) - held  # resumed at the server's offset, not from zero
    assert upload_row(district, sha)["received_bytes"] == len(data)  # earlier bytes seen once only
    assert stored_sha(server_files, sha) == sha
    assert state_of(counter, sha) == "acknowledged"


def test_corrupted_bytes_are_refused_by_the_hash_check_and_sent_again(
    server, district, make_counter, proxies, tmp_path, server_files
) -> None:
    counter = enrolled(make_counter, server, district, "c")
    sha, data = attached(counter, tmp_path, 150 * KIB, seed=3)
    proxy = proxies(server)
    proxy.corrupt_first_put = True
    result = sync_service.sync_now(counter, server=proxy.url)
    assert result.complete and result.uploaded == 1
    row = upload_row(district, sha)
    assert row["hash_failures"] == 1
    assert row["received_bytes"] == 2 * len(data)  # refused once whole, then sent again from zero
    assert stored_sha(server_files, sha) == sha
    assert state_of(counter, sha) == "acknowledged"


def test_bandwidth_cap_limits_the_rate(server, district, make_counter, tmp_path) -> None:
    counter = enrolled(make_counter, server, district, "c")
    attached(counter, tmp_path, 200 * KIB, seed=4)
    started = time.monotonic()
    assert sync_service.sync_now(counter).uploaded == 1
    uncapped = time.monotonic() - started

    slow_sha, _ = attached(counter, tmp_path, 200 * KIB, seed=5)
    with counter.store.atomic() as conn:
        put_setting(conn, "upload_kbps", "800")  # kilobits per second: 100 KB/s
    started = time.monotonic()
    result = sync_service.sync_now(counter)
    capped = time.monotonic() - started
    assert result.uploaded == 1 and state_of(counter, slow_sha) == "acknowledged"
    assert capped >= 1.5 > uncapped, (capped, uncapped)
    assert capped < 4.0


def test_a_commune_cannot_touch_another_communes_files(
    server, district, make_counter, tmp_path, server_files
) -> None:
    counter_a = enrolled(make_counter, server, district, "a", A)
    counter_b = enrolled(make_counter, server, district, "b", B)
    sha, data = attached(counter_a, tmp_path, 20 * KIB, seed=6)
    token_b = counter_b.store.get_setting("sync_token")
    officer_b = district.officer("b-officer", B)
    with api(server.url, token_b) as http:  # before A's bytes are there: B cannot start or write
        start = http.post(f"/api/v1/files/{sha}", json={"bytes": len(data)})
        put = http.put(f"/api/v1/files/{sha}", params={"offset": 0}, content=data[:1000])
    assert (start.status_code, start.json()["error"]) == (404, "file_not_referenced")
    assert (put.status_code, put.json()["error"]) == (404, "upload_not_started")
    assert not (server_files / "incoming" / "2").exists()

    assert sync_service.sync_now(counter_a).uploaded == 1
    for token in (token_b, officer_b):
        with api(server.url, token) as http:
            got = http.get(f"/api/v1/files/{sha}")
            start = http.post(f"/api/v1/files/{sha}", json={"bytes": len(data)})
        assert (got.status_code, got.json()["error"]) == (404, "file_not_found")
        assert start.status_code in (403, 404) and "message" in start.json()
    for token in (
        counter_a.store.get_setting("sync_token"),
        district.officer("a-officer", A),
        district.officer("up"),
    ):
        with api(server.url, token) as http:
            got = http.get(f"/api/v1/files/{sha}")
        assert got.status_code == 200 and got.content == data


def test_bad_requests_are_4xx_with_a_vietnamese_message(server, district, make_counter, tmp_path) -> None:
    counter = enrolled(make_counter, server, district, "c")
    sha, data = attached(counter, tmp_path, 20 * KIB, seed=7)
    token = counter.store.get_setting("sync_token")
    with api(server.url, token) as http:
        answers = [
            http.post("/api/v1/files/not-a-hash", json={"bytes": 1}),
            http.post(f"/api/v1/files/{sha}", content=b"{"),
            http.post(f"/api/v1/files/{sha}", json={"bytes": len(data) + 1}),
            http.post(f"/api/v1/files/{sha}", json={"bytes": -1}),
        ]
        assert http.post(f"/api/v1/files/{sha}", json={"bytes": len(data)}).json()["offset"] == 0
        answers += [
            http.put(f"/api/v1/files/{sha}", params={"offset": 10}, content=data[10:20]),
            http.put(f"/api/v1/files/{sha}", params={"offset": 0}, content=data + b"x"),
            http.put(f"/api/v1/files/{sha}", params={"offset": -1}, content=b"x"),
            http.put(f"/api/v1/files/{sha}", params={"offset": 0}, content=b"x" * (5 * 1024 * 1024)),
        ]
    with api(server.url) as http:
        answers.append(http.get(f"/api/v1/files/{sha}"))
    codes = [(a.status_code, a.json()["error"]) for a in answers]
    assert codes == [
        (422, "invalid_request"),
        (422, "invalid_request"),
        (422, "size_mismatch"),
        (422, "invalid_request"),
        (409, "offset_mismatch"),
        (422, "beyond_end"),
        (422, "invalid_request"),
        (413, "too_large"),
        (401, "unauthorized"),
    ]
    assert answers[4].json()["offset"] == 0
    assert all(a.json()["message"] for a in answers)
