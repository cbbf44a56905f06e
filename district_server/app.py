"""The HTTP API (JSON, Vietnamese messages) and the public status page.

Every error is ``{"error": code, "message": Vietnamese}`` with a 4xx status (503 when PostgreSQL is
down); request bodies are size-limited before they are read, and gzip bodies once more after
inflating. Counter endpoints (enroll, push, pull) require the ``X-Wire-Version`` header and answer
an unknown version with 426, so an old counter is told to update instead of failing strangely.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

import pydantic
from fastapi import FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from counter_app.domain.errors import DomainError
from counter_app.domain.lifecycle import ACTIONS_NEEDING_REASON, Action
from counter_app.domain.text import nfc
from counter_app.wire import (
    MAX_BODY_BYTES,
    MAX_PULL,
    SUPPORTED_VERSIONS,
    UPGRADE_MESSAGE,
    VERSION_HEADER,
    WIRE_VERSION,
    EnrollRequest,
    EnrollResponse,
    PushRequest,
    PushResponse,
    WireModel,
    dumps,
    inflate,
)
from district_server import admin, merge, status_page, views
from district_server.attachments import router as files_router
from district_server.auth import Principal, authenticate
from district_server.db import DatabaseUnavailable, Pool
from district_server.errors import ApiError, bad_request, forbidden, not_found
from district_server.reports import router as report_router

log = logging.getLogger("district_server")
M = TypeVar("M", bound=pydantic.BaseModel)
COUNTER_PATHS = frozenset({"/api/v1/enroll", "/api/v1/push", "/api/v1/pull"})
STATUS_MESSAGES = {
    400: ("invalid_request", "Yêu cầu không hợp lệ."),
    404: ("not_found", "Không tìm thấy địa chỉ này trên máy chủ."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ ở địa chỉ này."),
    413: ("too_large", "Dữ liệu gửi lên quá lớn."),
}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status, headers=headers)


class Guard:
    """Outermost middleware: wire version, body size, and the version header on every answer."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope["headers"]}
        path: str = scope["path"]

        async def send_versioned(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [*message.get("headers", []), (b"x-wire-version", str(WIRE_VERSION).encode())],
                }
            await send(message)

        if path.startswith("/api/"):
            version = headers.get(VERSION_HEADER.lower().encode())
            known = version is not None and version.strip().isdigit() and int(version) in SUPPORTED_VERSIONS
            if (version is not None and not known) or (version is None and path in COUNTER_PATHS):
                await _error(426, "upgrade_required", UPGRADE_MESSAGE, {"Upgrade": f"wire/{WIRE_VERSION}"})(
                    scope, receive, send_versioned
                )
                return
        length = headers.get(b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                await _error(400, "invalid_request", "Độ dài nội dung không hợp lệ.")(
                    scope, receive, send_versioned
                )
                return
            if int(length) > self.max_body:
                await _error(413, "too_large", _too_large_message(self.max_body))(
                    scope, receive, send_versioned
                )
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise ApiError(413, "too_large", _too_large_message(self.max_body))
            return message

        await self.app(scope, limited, send_versioned)


def _too_large_message(limit: int) -> str:
    return f"Dữ liệu gửi lên quá lớn (tối đa {limit // (1024 * 1024)} MB mỗi lần)."


def _field_message(exc: pydantic.ValidationError | RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "Dữ liệu gửi lên không hợp lệ."
    loc = ".".join(str(p) for p in errors[0].get("loc", ()) if p not in ("body", "query", "path", "header"))
    more = f" (và {len(errors) - 1} lỗi khác)" if len(errors) > 1 else ""
    if errors[0].get("type") == "json_invalid":
        return "Nội dung gửi lên không phải JSON hợp lệ."
    return f"Dữ liệu gửi lên không hợp lệ ở trường «{loc or 'nội dung'}»{more}."


async def _body(request: Request, model: type[M]) -> M:
    try:
        raw = await request.body()
    except ClientDisconnect:
        raise ApiError(400, "incomplete_request", "Yêu cầu bị ngắt giữa chừng.") from None
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        try:
            raw = inflate(raw)
        except DomainError as exc:
            raise ApiError(413 if exc.code == "too_large" else 400, exc.code, exc.message) from None
    elif encoding not in ("identity", ""):
        raise ApiError(415, "unsupported_encoding", "Chỉ nhận dữ liệu nén gzip hoặc không nén.")
    try:
        return model.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        raise ApiError(422, "invalid_request", _field_message(exc)) from None


def _wire(model: WireModel) -> Response:
    return Response(dumps(model), media_type="application/json")


def create_app(database_url: str, *, pool_size: int | None = None, timezone: str | None = None) -> FastAPI:
    pool = Pool(database_url, size=pool_size or int(os.environ.get("COUNTER_SERVER_POOL_SIZE", "10")))
    tz = ZoneInfo(timezone or os.environ.get("COUNTER_SERVER_TIMEZONE", "Asia/Ho_Chi_Minh"))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="Quầy một cửa — máy chủ cấp trên",
        version=str(WIRE_VERSION),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.pool = pool
    app.add_middleware(GZipMiddleware, minimum_size=1024, compresslevel=6)  # 9 costs more than it saves
    app.add_middleware(Guard)
    app.include_router(files_router)  # /api/v1/files/… (district_server/attachments.py)
    app.include_router(report_router)  # GET /api/v1/report (district_server/reports.py)

    def local_now() -> datetime:
        return datetime.now(tz).replace(tzinfo=None, microsecond=0)

    # -- errors -----------------------------------------------------------------------------------
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return _error(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_request", _field_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = STATUS_MESSAGES.get(exc.status_code, ("http_error", "Yêu cầu không thực hiện được."))
        return _error(exc.status_code, code, message)

    @app.exception_handler(DatabaseUnavailable)
    async def _db_down(_request: Request, exc: DatabaseUnavailable) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return _error(
            503,
            "database_unavailable",
            "Máy chủ tạm thời không truy cập được cơ sở dữ liệu. Hãy thử lại sau.",
        )

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return _error(500, "internal_error", "Lỗi không mong đợi ở máy chủ; chi tiết đã được ghi lại.")

    # -- helpers ----------------------------------------------------------------------------------
    def run(fn: Callable[..., Any], *args: Any) -> Awaitable[Any]:
        return run_in_threadpool(fn, *args)

    def device_only(p: Principal) -> Principal:
        if not p.is_device:
            raise forbidden("Địa chỉ này chỉ dành cho máy quầy đã đăng ký.")
        return p

    def officer_only(p: Principal) -> Principal:
        if p.is_device:
            raise forbidden("Địa chỉ này chỉ dành cho cán bộ, không dành cho máy quầy.")
        return p

    def area(conn: Any, p: Principal, commune: str | None) -> list[int] | None:
        """The communes a request may touch: the one asked for if allowed, else all the caller sees."""
        if commune:
            try:
                row = admin.commune_by_code(conn, commune)
            except ApiError:
                if p.commune_id is None:
                    raise
                raise forbidden() from None  # a commune account learns nothing about other codes
            if not p.may_see(row["id"]):
                raise forbidden()
            return [row["id"]]
        return None if p.commune_id is None else [p.commune_id]

    # -- counters ---------------------------------------------------------------------------------
    @app.get("/api/v1/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "wire_version": WIRE_VERSION}

    @app.post("/api/v1/enroll")
    async def enroll(request: Request) -> Response:
        req = await _body(request, EnrollRequest)

        def work() -> EnrollResponse:
            with pool.connection() as conn:
                e = admin.enroll(conn, req.enrollment_code, req.device_id, req.label)
            return EnrollResponse(
                device_id=e.device_id,
                commune={"code": e.commune_code, "name": e.commune_name},
                slot=e.slot,
                token=e.token,
            )

        return _wire(await run(work))

    @app.post("/api/v1/push")
    async def push(request: Request, authorization: str | None = Header(None)) -> Response:
        def who() -> Principal:
            with pool.connection() as conn:
                return device_only(authenticate(conn, authorization))

        device = await run(who)  # refuse strangers before reading their body
        req = await _body(request, PushRequest)

        def work() -> bytes:
            with pool.connection() as conn:
                results = merge.push(conn, device, req.events)
            return PushResponse.model_construct(results=results).model_dump_json().encode()

        return Response(await run(work), media_type="application/json")

    @app.get("/api/v1/pull")
    def pull(
        after: int = Query(0, ge=0),
        limit: int = Query(500, ge=1, le=MAX_PULL),
        catalog_version: str | None = Query(None, max_length=100),
        calendar_version: str | None = Query(None, max_length=100),
        authorization: str | None = Header(None),
    ) -> Response:
        with pool.connection() as conn:
            device = device_only(authenticate(conn, authorization))
            return _wire(merge.pull(conn, device, after, limit, catalog_version, calendar_version))

    # -- communes, enrollment, devices ------------------------------------------------------------
    @app.get("/api/v1/communes")
    def communes(authorization: str | None = Header(None)) -> list[dict[str, Any]]:
        with pool.connection() as conn:
            p = authenticate(conn, authorization)
            return [{"code": r["code"], "name": r["name"]} for r in admin.list_communes(conn, p.commune_id)]

    @app.post("/api/v1/communes", status_code=201)
    async def add_commune(request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        req = await _body(request, CommuneIn)

        def work() -> dict[str, Any]:
            with pool.connection() as conn:
                p = officer_only(authenticate(conn, authorization))
                if p.commune_id is not None:
                    raise forbidden("Chỉ cán bộ cấp trên mới thêm được xã.")
                row = admin.add_commune(conn, req.code, req.name)
                return {"code": row["code"], "name": row["name"]}

        return await run(work)

    @app.post("/api/v1/communes/{code}/enrollment-codes", status_code=201)
    def enrollment_code(code: str, authorization: str | None = Header(None)) -> dict[str, Any]:
        with pool.connection() as conn:
            p = officer_only(authenticate(conn, authorization))
            ids = area(conn, p, code)
            assert ids is not None
            return {
                "enrollment_code": admin.create_enrollment_code(conn, ids[0]),
                "valid_days": admin.ENROLLMENT_VALIDITY.days,
            }

    @app.get("/api/v1/devices")
    def devices(commune: str | None = Query(None), authorization: str | None = Header(None)) -> list[dict]:
        with pool.connection() as conn:
            p = officer_only(authenticate(conn, authorization))
            ids = area(conn, p, commune)
            rows = admin.list_devices(conn, None) if ids is None else admin.list_devices(conn, ids[0])
            return [
                {
                    "device_id": r["id"],
                    "commune": r["commune"],
                    "slot": r["slot"],
                    "label": r["label"],
                    "enrolled_at": r["enrolled_at"].isoformat(timespec="seconds"),
                    "revoked": r["revoked_at"] is not None,
                    "last_seen_at": None
                    if r["last_seen_at"] is None
                    else r["last_seen_at"].isoformat(timespec="seconds"),
                }
                for r in rows
            ]

    @app.post("/api/v1/devices/{device_id}/revoke")
    def revoke(device_id: str, authorization: str | None = Header(None)) -> dict[str, Any]:
        with pool.connection() as conn:
            p = officer_only(authenticate(conn, authorization))
            row = admin.revoke_device(conn, device_id, p.commune_id)
            return {"device_id": row["id"], "revoked": True}

    # -- the merged view ---------------------------------------------------------------------------
    @app.get("/api/v1/dossiers")
    def dossiers(
        commune: str | None = Query(None, max_length=40),
        q: str = Query("", max_length=200),
        state: str | None = Query(None, max_length=20),
        limit: int = Query(50, ge=1, le=views.MAX_LIST),
        offset: int = Query(0, ge=0, le=10_000_000),
        authorization: str | None = Header(None),
    ) -> list[dict[str, Any]]:
        with pool.connection() as conn:
            p = authenticate(conn, authorization)
            return views.list_dossiers(
                conn, area(conn, p, commune), text=q, state=state, limit=limit, offset=offset
            )

    @app.get("/api/v1/dossiers/{key}")
    def dossier(key: str, authorization: str | None = Header(None)) -> dict[str, Any]:
        with pool.connection() as conn:
            p = authenticate(conn, authorization)
            found = views.get_dossier(conn, area(conn, p, None), key[:100])
            if found is None:
                raise not_found("Không tìm thấy hồ sơ.", "unknown_dossier")
            return found

    @app.post("/api/v1/dossiers/{key}/events", status_code=201)
    async def add_event(key: str, request: Request, authorization: str | None = Header(None)) -> dict:
        req = await _body(request, ServerAction)

        def work() -> dict[str, Any]:
            with pool.connection() as conn:
                p = officer_only(authenticate(conn, authorization))
                found = views.get_dossier(conn, area(conn, p, None), key[:100])
                if found is None:
                    raise not_found("Không tìm thấy hồ sơ.", "unknown_dossier")
                action = Action(req.action)
                reason = nfc(req.reason)
                if action in ACTIONS_NEEDING_REASON and not reason:
                    raise bad_request("Cần ghi lý do cho thao tác này.", "reason_required")
                payload: dict[str, Any] = {"reason": reason} if reason else {}
                if action == Action.TRANSFER:
                    payload["handler"] = nfc(req.handler)
                try:
                    d = merge.add_event(conn, p, found["id"], action, payload, local_now())
                except DomainError as exc:
                    raise ApiError(409, "transition_not_allowed", exc.message) from None
                if d is None:
                    raise not_found("Không tìm thấy hồ sơ.", "unknown_dossier")
                return views.dossier_json(d, found["commune"])

        return await run(work)

    @app.get("/api/v1/overdue")
    def overdue(
        commune: str | None = Query(None, max_length=40),
        as_of: Annotated[date | None, Query()] = None,
        authorization: str | None = Header(None),
    ) -> list[dict[str, Any]]:
        with pool.connection() as conn:
            p = authenticate(conn, authorization)
            return views.overdue(conn, area(conn, p, commune), as_of or local_now().date())

    @app.get("/api/v1/conflicts")
    def conflicts(
        commune: str | None = Query(None, max_length=40),
        limit: int = Query(100, ge=1, le=views.MAX_LIST),
        authorization: str | None = Header(None),
    ) -> list[dict[str, Any]]:
        with pool.connection() as conn:
            p = authenticate(conn, authorization)
            return views.conflicts(conn, area(conn, p, commune), limit)

    @app.get("/api/v1/stats")
    def stats(
        commune: str | None = Query(None, max_length=40), authorization: str | None = Header(None)
    ) -> dict:
        with pool.connection() as conn:
            p = officer_only(authenticate(conn, authorization))
            ids = area(conn, p, commune)
            return admin.stats(conn, None if ids is None else ids[0])

    # -- published data ---------------------------------------------------------------------------
    async def publish(kind: str, request: Request, authorization: str | None) -> dict[str, Any]:
        data = await _body(request, Document)

        def work() -> dict[str, Any]:
            with pool.connection() as conn:
                p = officer_only(authenticate(conn, authorization))
                if p.commune_id is not None:
                    raise forbidden("Chỉ cán bộ cấp trên mới phát hành được danh mục và lịch.")
                return {"version": admin.publish(conn, kind, data.model_dump())}

        return await run(work)

    @app.put("/api/v1/catalog")
    async def put_catalog(request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        return await publish("catalog", request, authorization)

    @app.put("/api/v1/calendar")
    async def put_calendar(request: Request, authorization: str | None = Header(None)) -> dict[str, Any]:
        return await publish("calendar", request, authorization)

    # -- public status page ------------------------------------------------------------------------
    @app.get("/s/{code}", response_class=HTMLResponse)
    def status(code: str, t: str | None = Query(None, max_length=100)) -> HTMLResponse:
        with pool.connection() as conn:
            found = views.status_of(conn, code[:60])
        if found is None or not status_page.token_matches(found[1], t):
            return HTMLResponse(status_page.render_not_found(), status_code=404, headers=status_page.HEADERS)
        dossier, _token, commune_name = found
        return HTMLResponse(status_page.render(dossier, commune_name), headers=status_page.HEADERS)

    return app


class CommuneIn(WireModel):
    code: str
    name: str


class ServerAction(WireModel):
    action: str
    reason: str = ""
    handler: str = ""

    @pydantic.field_validator("action")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in {a.value for a in merge.SERVER_ACTIONS}:
            raise ValueError("unsupported action")
        return value

    @pydantic.field_validator("reason", "handler")
    @classmethod
    def _short(cls, value: str) -> str:
        if len(value) > 1000 or "\x00" in value:
            raise ValueError("too long")
        return value


class Document(pydantic.BaseModel):
    """A catalog or calendar file as published; its content is checked by the counter's parsers."""

    model_config = pydantic.ConfigDict(extra="allow")
