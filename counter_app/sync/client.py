"""HTTP client of the sync protocol (counter_app.wire) over httpx.

Failures come in two kinds, because the caller must act differently: ``ServerUnavailable`` (no
route, timeout, a cut connection, a 5xx or a garbled answer: retry later, nothing is lost) and
``ServerRefused`` (the server understood and said no: revoked token, wrong enrollment code, old
software; a person must act). Both carry a Vietnamese message.
"""

from __future__ import annotations

import json
from types import TracebackType
from typing import Any, TypeVar

import httpx
import pydantic

from counter_app.domain.errors import DomainError
from counter_app.wire import (
    MAX_PULL,
    UPGRADE_MESSAGE,
    VERSION_HEADER,
    WIRE_VERSION,
    EnrollRequest,
    EnrollResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    WireEvent,
    compress,
    dumps,
)

M = TypeVar("M", bound=pydantic.BaseModel)
UNREACHABLE = "Không kết nối được máy chủ cấp trên (mạng chập chờn hoặc máy chủ đang tắt). Sẽ thử lại sau; dữ liệu không mất."


class ServerUnavailable(DomainError):
    code = "server_unavailable"


class ServerRefused(DomainError):
    code = "server_refused"


class SyncClient:
    """One keep-alive connection to the server; counts the bytes it moves (the benchmark reads them)."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: float = 20.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        headers = {VERSION_HEADER: str(WIRE_VERSION), "User-Agent": f"quay-mot-cua/wire-{WIRE_VERSION}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=headers,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
            follow_redirects=False,
        )
        self.bytes_sent = 0
        self.bytes_received = 0
        self.requests = 0

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- protocol ---------------------------------------------------------------------------------
    def enroll(self, enrollment_code: str, device_id: str, label: str = "") -> EnrollResponse:
        body = dumps(EnrollRequest(enrollment_code=enrollment_code, device_id=device_id, label=label[:100]))
        return self._call("POST", "/api/v1/enroll", EnrollResponse, body=body)

    def push(self, events: list[WireEvent]) -> PushResponse:
        return self.push_body(compress(dumps(PushRequest.model_construct(events=events))))

    def push_body(self, body: bytes) -> PushResponse:
        """Send a push request already made and gzip'd (``counter_app.wire.push_body``)."""
        return self._call("POST", "/api/v1/push", PushResponse, body=body, gzip=True)

    def pull(
        self,
        after: int,
        *,
        limit: int = MAX_PULL,
        catalog_version: str | None = None,
        calendar_version: str | None = None,
    ) -> PullResponse:
        params: dict[str, Any] = {"after": after, "limit": limit}
        if catalog_version:
            params["catalog_version"] = catalog_version
        if calendar_version:
            params["calendar_version"] = calendar_version
        return self._call("GET", "/api/v1/pull", PullResponse, params=params)

    # -- plumbing ---------------------------------------------------------------------------------
    def _call(
        self,
        method: str,
        path: str,
        model: type[M],
        *,
        body: bytes | None = None,
        gzip: bool = False,
        params: dict[str, Any] | None = None,
    ) -> M:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if gzip:
            headers["Content-Encoding"] = "gzip"
        self.requests += 1
        self.bytes_sent += len(body or b"")
        try:
            resp = self._http.request(method, path, content=body, headers=headers, params=params)
            content = resp.content
        except httpx.HTTPError as exc:  # connect, timeout, cut body, protocol garbage
            raise ServerUnavailable(UNREACHABLE) from exc
        self.bytes_received += resp.num_bytes_downloaded
        if resp.status_code in (200, 201):
            try:
                return model.model_validate_json(content)
            except pydantic.ValidationError as exc:
                raise ServerUnavailable("Phản hồi của máy chủ không đọc được; sẽ thử lại sau.") from exc
        code, message = _error_of(content)
        if resp.status_code == 426:
            raise ServerRefused(message or UPGRADE_MESSAGE, code="upgrade_required")
        if resp.status_code in (408, 425, 429) or resp.status_code >= 500:
            raise ServerUnavailable(
                message or f"Máy chủ tạm thời không phục vụ được (HTTP {resp.status_code})."
            )
        raise ServerRefused(
            message or f"Máy chủ từ chối yêu cầu (HTTP {resp.status_code}).", code=code or "server_refused"
        )


def _error_of(content: bytes) -> tuple[str | None, str | None]:
    try:
        data = json.loads(content)
    except ValueError:
        return None, None
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data.get("error") or ""), data["message"]
    return None, None
