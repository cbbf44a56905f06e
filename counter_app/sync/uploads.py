"""Uploading file contents of digitized papers: resumable chunks, hash checked by the server, capped.

The server answers "how much do you have?" (``POST /api/v1/files/{sha}``) and keeps every byte that
reached it, even from a chunk whose connection was cut; so after a cut the loop asks again and sends
only what is missing, never from zero. A file becomes ``acknowledged`` in ``attachment_files`` only when
the server has hashed the whole file and found it right. Only files named by an acknowledged attach
event go up (the server refuses bytes no event of the commune names). The setting ``upload_kbps``
caps the rate (token bucket) so that sync never starves the officers' own use of a thin line.
Protocol and figures: docs/attachments-sync.md.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from counter_app.store import attachments as attachment_store
from counter_app.store.database import Store
from counter_app.sync.backoff import Backoff
from counter_app.sync.client import UNREACHABLE, ServerRefused, ServerUnavailable, SyncClient

DEFAULT_CHUNK = 64 * 1024
PIECE = 8 * 1024  # what the token bucket meters at a time, and the smallest chunk
MAX_CHUNK_SECONDS = 5.0  # under a low cap, chunks shrink so that one still goes through in this time
MAX_FAILURES = 6  # consecutive failures without progress before the round gives up (retried later)
MAX_HASH_RETRIES = 2  # a file refused by the hash check is sent again from zero this many times


def rate_from_setting(value: str | None) -> float | None:
    """``upload_kbps`` (kilobits per second, as links are sold) → bytes per second; 0, empty or
    unreadable = no cap."""
    try:
        kbps = float((value or "").strip() or 0)
    except ValueError:
        return None
    return kbps * 1000 / 8 if kbps > 0 else None


class TokenBucket:
    """``rate`` bytes per second with bursts up to ``burst`` bytes. A take larger than what is there
    runs into debt that the next takes wait for, so the long-run rate is exact."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        stop: threading.Event | None = None,
    ) -> None:
        self.rate = rate
        self.burst = burst if burst is not None else max(float(PIECE), rate / 4)
        self.tokens = self.burst
        self._clock = clock
        self._stamp = clock()
        self._stop = stop

    def take(self, n: int) -> None:
        now = self._clock()
        self.tokens = min(self.burst, self.tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        self.tokens -= n
        if self.tokens < 0:
            wait = -self.tokens / self.rate
            if self._stop is not None:
                self._stop.wait(wait)
            else:
                time.sleep(wait)


@dataclass
class UploadOutcome:
    uploaded: int = 0  # files the server confirmed this round
    bytes_sent: int = 0  # body bytes handed to the network (cut chunks included)
    bytes_needed: int = 0  # what the confirmed files needed from this point (their missing bytes)
    resumes: int = 0  # times an upload continued after a cut or a refusal
    hash_failures: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)


def file_path(root: Path, sha: str) -> Path:
    """The counter's content-addressed layout (services.attachments.FileStore)."""
    return root / sha[:2] / sha[2:4] / sha


def _sha_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Uploader:
    def __init__(
        self,
        store: Store,
        client: SyncClient,
        root: Path,
        *,
        chunk: int,
        rate: float | None,
        stop: threading.Event | None,
        outcome: UploadOutcome,
        backoff: Backoff,
    ) -> None:
        self.store = store
        self.client = client
        # The event push's own httpx client: same keep-alive connection, base URL, device token and
        # wire-version header (SyncClient has no raw-bytes call, and JSON would inflate the bytes).
        self.http: httpx.Client = client._http
        self.root = root
        # Chunks shrink by half on a cut and grow back by a piece per success (AIMD): on a line that
        # breaks every N bytes, chunks settle below N, so each chunk goes at most once more than needed.
        self.max_chunk = chunk if rate is None else max(PIECE, min(chunk, int(rate * MAX_CHUNK_SECONDS)))
        self.chunk = self.max_chunk
        self.bucket = TokenBucket(rate, stop=stop) if rate else None
        self.stop = stop
        self.outcome = outcome
        self.backoff = backoff
        self.failures = 0

    def stopped(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    # -- HTTP -------------------------------------------------------------------------------------
    def _request(self, method: str, path: str, **kw: Any) -> httpx.Response | None:
        """None when the exchange broke (cut, timeout, no route): the caller asks for the offset again."""
        self.client.requests += 1
        try:
            resp = self.http.request(method, path, **kw)
            resp.read()
        except httpx.HTTPError:
            return None
        self.client.bytes_received += resp.num_bytes_downloaded
        return resp

    def _body(self, data: bytes) -> bytes | Iterator[bytes]:
        if self.bucket is None:
            self.outcome.bytes_sent += len(data)
            self.client.bytes_sent += len(data)
            return data

        def metered() -> Iterator[bytes]:
            assert self.bucket is not None
            for at in range(0, len(data), PIECE):
                piece = data[at : at + PIECE]
                self.bucket.take(len(piece))
                self.outcome.bytes_sent += len(piece)
                self.client.bytes_sent += len(piece)
                yield piece

        return metered()

    @staticmethod
    def _error(resp: httpx.Response) -> dict[str, Any]:
        try:
            data = json.loads(resp.content)
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def _fail(self, resp: httpx.Response | None) -> None:
        """A temporary failure: wait a little; raise after too many in a row without progress."""
        if resp is not None and resp.status_code in (401, 403, 426):
            data = self._error(resp)
            raise ServerRefused(
                str(data.get("message") or f"Máy chủ từ chối (HTTP {resp.status_code})."),
                code=str(data.get("error") or "server_refused"),
            )
        self.failures += 1
        if self.failures >= MAX_FAILURES:
            message = self._error(resp).get("message") if resp is not None else None
            raise ServerUnavailable(str(message or UNREACHABLE))
        delay = self.backoff.next_delay()
        if self.stop is not None:
            self.stop.wait(delay)
        else:
            time.sleep(delay)

    def _start(self, sha: str, size: int) -> dict[str, Any] | None:
        """Ask where to continue; None = the file cannot go up now (a problem was recorded)."""
        while not self.stopped():
            resp = self._request("POST", f"/api/v1/files/{sha}", json={"bytes": size})
            if resp is not None and resp.status_code == 200:
                return resp.json()
            if resp is not None and resp.status_code in (404, 422):
                data = self._error(resp)
                self.outcome.problems.append(
                    {"kind": "file", "sha256": sha, "code": data.get("error") or "refused",
                     "message": data.get("message") or "Máy chủ chưa nhận tệp này."}
                )  # fmt: skip
                return None
            self._fail(resp)
        return None

    # -- one file ---------------------------------------------------------------------------------
    def upload(self, sha: str, size: int) -> None:
        path = file_path(self.root, sha)
        if not path.is_file():
            self.outcome.problems.append(
                {"kind": "file", "sha256": sha, "code": "missing",
                 "message": f"Tệp số hóa {sha[:12]}… không còn trên máy này; không gửi được."}
            )  # fmt: skip
            return
        self.failures = 0
        state = self._start(sha, size)
        if state is None:
            return
        offset, first = int(state["offset"]), int(state["offset"])
        hash_retries = 0
        if not state["complete"]:
            attachment_store.set_upload(self.store, sha, "sending")
        with open(path, "rb") as fh:
            while not state["complete"]:
                if self.stopped():
                    return
                fh.seek(offset)
                data = fh.read(min(self.chunk, size - offset))
                resp = self._request(
                    "PUT",
                    f"/api/v1/files/{sha}",
                    params={"offset": offset},
                    content=self._body(data),
                    headers={"Content-Type": "application/octet-stream", "Content-Length": str(len(data))},
                )
                if resp is not None and resp.status_code == 200:
                    state = resp.json()
                    offset = int(state["offset"])
                    self.chunk = min(self.max_chunk, self.chunk + PIECE)
                    self.failures = 0
                    self.backoff.reset()
                    continue
                if resp is None:
                    self.chunk = max(PIECE, self.chunk // 2)
                code = self._error(resp).get("error") if resp is not None else None
                if code == "offset_mismatch":
                    offset = int(self._error(resp)["offset"])
                    self.outcome.resumes += 1
                    continue
                if code == "hash_mismatch":
                    self.outcome.hash_failures += 1
                    hash_retries += 1
                    if _sha_of(path) != sha or hash_retries > MAX_HASH_RETRIES:
                        self.outcome.problems.append(
                            {"kind": "file", "sha256": sha, "code": "hash_mismatch",
                             "message": f"Tệp số hóa {sha[:12]}… trên máy này bị hỏng hoặc không gửi đúng được; "
                                        "hãy chạy kiểm tra dữ liệu."}
                        )  # fmt: skip
                        attachment_store.set_upload(self.store, sha, "pending")
                        return
                    first = 0  # the whole file is needed again
                if code not in ("hash_mismatch", "upload_not_started"):
                    self._fail(resp)
                restart = self._start(sha, size)
                if restart is None:
                    return
                if int(restart["offset"]) > offset:
                    self.failures = 0  # a cut that still moved the file forward is progress
                    self.backoff.reset()
                state, offset = restart, int(restart["offset"])
                self.outcome.resumes += 1
        attachment_store.set_upload(self.store, sha, "acknowledged")
        self.outcome.uploaded += 1
        self.outcome.bytes_needed += size - first


def upload_pending(
    store: Store,
    client: SyncClient,
    root: Path,
    *,
    chunk: int = DEFAULT_CHUNK,
    rate: float | None = None,
    stop: threading.Event | None = None,
    outcome: UploadOutcome | None = None,
    backoff: Backoff | None = None,
    limit: int = 10_000,
) -> UploadOutcome:
    """Send every file the server may take now, oldest first. Raises ServerUnavailable (after
    ``MAX_FAILURES`` failures in a row without progress) or ServerRefused (token, version); what was
    sent stays on the server and the next round continues from there."""
    outcome = outcome or UploadOutcome()
    uploader = _Uploader(
        store,
        client,
        root,
        chunk=max(1024, chunk),
        rate=rate,
        stop=stop,
        outcome=outcome,
        backoff=backoff or Backoff(base=0.1, cap=5.0),
    )
    for sha, size in attachment_store.uploadable_files(store, limit):
        if uploader.stopped():
            break
        uploader.upload(sha, size)
    return outcome
