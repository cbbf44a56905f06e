"""File contents of digitized papers: resumable, hash-checked uploads from counters, and downloads.

Protocol (docs/attachments-sync.md):

- ``POST /api/v1/files/{sha256}`` ``{"bytes": N}`` starts or resumes an upload and answers
  ``{"sha256", "bytes", "offset", "complete"}``: ``offset`` is how many bytes the server already holds,
  so a cut connection resumes there, never from zero.
- ``PUT /api/v1/files/{sha256}?offset=K`` with raw bytes appends them at ``K`` (which must equal the
  server's offset: else 409 ``offset_mismatch`` with the right ``offset``). Bytes that arrived before
  a cut are kept, so nothing is sent twice. The request that reaches ``N`` bytes has the whole file
  hashed: a match stores it (``complete``), a mismatch throws the partial file away (422
  ``hash_mismatch``) and the counter starts again.
- ``GET /api/v1/files/{sha256}`` returns the bytes.

Who may: a commune's device (upload, download) or officer (download) only for a hash that an attach
event of that commune names; anything else is 404, exactly as if the file did not exist, so a commune
learns nothing about another's files. The upper level reads every file.

Storage: ``COUNTER_SERVER_FILES_DIR`` (else ``$STATE_DIRECTORY/files`` under systemd, else
``~/.local/share/counter-server/files``), content-addressed ``ab/cd/<hash>`` like the counter's store;
partial uploads in ``incoming/<commune id>/<hash>.part``, renamed into place once verified, so a file
at its final path is always complete and right. A partial file is written by one request at a time
(``flock``), which also holds across several server processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import os
from pathlib import Path
from typing import Any

import psycopg
import pydantic
from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from district_server.auth import Principal, authenticate
from district_server.errors import ApiError, forbidden, not_found

router = APIRouter()

FILES_DIR_ENV = "COUNTER_SERVER_FILES_DIR"
MAX_FILE_BYTES = 256 * 1024 * 1024  # the counter refuses scans over 200 MB; a little room for originals
LOCK_WAIT = 5.0  # seconds a request waits for the previous one on the same file (a cut still closing)
_HEX = frozenset("0123456789abcdef")

NOT_FOUND = "Máy chủ không có tệp này cho đơn vị của bạn."
NOT_REFERENCED = "Máy chủ chưa có hồ sơ nào của xã này dùng tệp này; hãy đồng bộ hồ sơ trước rồi gửi tệp."


class StartUpload(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    bytes: int = pydantic.Field(gt=0, le=MAX_FILE_BYTES)


# -- storage ---------------------------------------------------------------------------------------
def files_root(request: Request | None = None) -> Path:
    """Where files live: ``app.state.files_root`` (embedding, tests), the environment, or the default."""
    configured = getattr(request.app.state, "files_root", None) if request is not None else None
    if configured:
        return Path(configured)
    if os.environ.get(FILES_DIR_ENV):
        return Path(os.environ[FILES_DIR_ENV])
    if os.environ.get("STATE_DIRECTORY"):  # systemd's StateDirectory=
        return Path(os.environ["STATE_DIRECTORY"].split(":")[0]) / "files"
    return Path.home() / ".local" / "share" / "counter-server" / "files"


def final_path(root: Path, sha: str) -> Path:
    return root / sha[:2] / sha[2:4] / sha


def part_path(root: Path, commune_id: int, sha: str) -> Path:
    return root / "incoming" / str(commune_id) / f"{sha}.part"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _hash_fd(fd: int) -> str:
    digest = hashlib.sha256()
    pos = 0
    while block := os.pread(fd, 1 << 20, pos):
        digest.update(block)
        pos += len(block)
    return digest.hexdigest()


def _store(fd: int, part: Path, target: Path) -> None:
    """Make the verified partial file the stored one: fsync, rename into place, fsync the folder."""
    os.fsync(fd)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(part, target)
    _fsync_dir(target.parent)


def _complete_on_disk(root: Path, sha: str, size: int) -> bool:
    try:
        return final_path(root, sha).stat().st_size == size
    except FileNotFoundError:
        return False


async def _lock(path: Path) -> int:
    """Open the partial file and hold its exclusive lock; waits a little for a request still closing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = asyncio.get_running_loop().time() + LOCK_WAIT
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o640)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            if asyncio.get_running_loop().time() > deadline:
                raise ApiError(
                    409, "upload_busy", "Tệp này đang được gửi ở một kết nối khác; hãy thử lại sau ít phút."
                ) from None
            await asyncio.sleep(0.05)
            continue
        try:  # the holder before us may have renamed the file into place: then this is a stale inode
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


# -- access ----------------------------------------------------------------------------------------
def _check_sha(sha: str) -> str:
    if len(sha) != 64 or not set(sha) <= _HEX:
        raise ApiError(422, "invalid_request", "Mã băm của tệp phải là SHA-256 (64 chữ số hex, chữ thường).")
    return sha


def _principal(request: Request, authorization: str | None) -> Principal:
    with request.app.state.pool.connection() as conn:
        return authenticate(conn, authorization)


def _device(request: Request, authorization: str | None) -> Principal:
    p = _principal(request, authorization)
    if not p.is_device:
        raise forbidden("Địa chỉ này chỉ dành cho máy quầy đã đăng ký.")
    return p


def reference(conn: psycopg.Connection, sha: str, commune_id: int | None) -> dict[str, Any] | None:
    """``{"bytes", "mime"}`` from an attach event naming ``sha`` (in ``commune_id``; None = any commune)."""
    where = "" if commune_id is None else " AND commune_id = %(c)s"
    row = conn.execute(
        f"SELECT payload ->> 'bytes' AS bytes, payload ->> 'mime' AS mime FROM events "
        f"WHERE action = 'attach' AND payload ->> 'sha256' = %(s)s{where} "
        f"UNION ALL SELECT payload -> 'original' ->> 'bytes', payload -> 'original' ->> 'mime' FROM events "
        f"WHERE action = 'attach' AND payload -> 'original' ->> 'sha256' = %(s)s{where} LIMIT 1",
        {"s": sha, "c": commune_id},
    ).fetchone()
    if row is None:
        return None
    size = row["bytes"]
    return {"bytes": int(size) if size and size.isdigit() else None, "mime": row["mime"]}


def _state(sha: str, size: int, offset: int) -> dict[str, Any]:
    return {"sha256": sha, "bytes": size, "offset": offset, "complete": offset == size}


# -- endpoints -------------------------------------------------------------------------------------
@router.post("/api/v1/files/{sha256}")
async def start_upload(sha256: str, request: Request, authorization: str | None = Header(None)) -> Any:
    """Start or resume: the answer's ``offset`` is where the counter continues."""
    sha = _check_sha(sha256)
    device = await run_in_threadpool(_device, request, authorization)
    try:
        req = StartUpload.model_validate_json(await request.body())
    except ClientDisconnect:
        raise ApiError(400, "incomplete_request", "Yêu cầu bị ngắt giữa chừng.") from None
    except pydantic.ValidationError:
        raise ApiError(
            422, "invalid_request", f"Cần «bytes»: kích thước tệp, từ 1 đến {MAX_FILE_BYTES // 2**20} MB."
        ) from None
    root = files_root(request)

    def work() -> dict[str, Any]:
        with request.app.state.pool.connection() as conn:
            ref = reference(conn, sha, device.commune_id)
            if ref is None:
                raise not_found(NOT_REFERENCED, "file_not_referenced")
            if ref["bytes"] is not None and ref["bytes"] != req.bytes:
                raise ApiError(
                    422, "size_mismatch", "Kích thước tệp không khớp với hồ sơ đã đồng bộ; không nhận."
                )
            done = conn.execute("SELECT bytes FROM files WHERE sha256 = %s", (sha,)).fetchone()
            if done is not None and done["bytes"] == req.bytes and _complete_on_disk(root, sha, req.bytes):
                return _state(sha, req.bytes, req.bytes)  # already here (this or another commune sent it)
            conn.execute(
                "INSERT INTO file_uploads (commune_id, sha256, bytes, device_id) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (commune_id, sha256) DO UPDATE SET device_id = EXCLUDED.device_id, "
                "updated_at = now(), completed_at = NULL",
                (device.commune_id, sha, req.bytes, device.name),
            )
        part = part_path(root, int(device.commune_id or 0), sha)
        try:
            held = part.stat().st_size
        except FileNotFoundError:
            held = 0
        return _state(sha, req.bytes, held if held <= req.bytes else 0)

    return await run_in_threadpool(work)


@router.put("/api/v1/files/{sha256}")
async def put_chunk(
    sha256: str,
    request: Request,
    offset: int = Query(ge=0, le=MAX_FILE_BYTES),
    authorization: str | None = Header(None),
) -> Any:
    """Write the body at ``offset``; bytes that arrive before a cut are kept (the next start says so)."""
    sha = _check_sha(sha256)
    device = await run_in_threadpool(_device, request, authorization)
    commune_id = int(device.commune_id or 0)
    root = files_root(request)

    def session() -> dict[str, Any] | None:
        with request.app.state.pool.connection() as conn:
            return conn.execute(
                "SELECT bytes, completed_at FROM file_uploads WHERE commune_id = %s AND sha256 = %s",
                (commune_id, sha),
            ).fetchone()

    row = await run_in_threadpool(session)
    if row is None:
        raise not_found("Chưa bắt đầu gửi tệp này; hãy gửi yêu cầu bắt đầu trước.", "upload_not_started")
    total = int(row["bytes"])
    if row["completed_at"] is not None and _complete_on_disk(root, sha, total):
        return _state(sha, total, total)  # a late duplicate of the last chunk
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise ApiError(411, "length_required", "Cần ghi rõ độ dài (Content-Length) của phần tệp gửi lên.")
    if offset + int(length) > total:
        raise ApiError(422, "beyond_end", "Phần tệp gửi lên vượt quá kích thước đã khai báo.")

    part = part_path(root, commune_id, sha)
    fd = await _lock(part)
    try:
        held = os.fstat(fd).st_size
        if held > total:  # cannot happen through this API; a damaged disk or a hand edit
            os.ftruncate(fd, 0)
            held = 0
        if offset != held:
            return JSONResponse(
                {
                    "error": "offset_mismatch",
                    "message": f"Máy chủ đang có {held} byte của tệp này; hãy gửi tiếp từ đó.",
                    "offset": held,
                },
                status_code=409,
            )
        pos, cut = offset, False
        try:
            async for piece in request.stream():
                if piece:
                    os.pwrite(fd, piece, pos)
                    pos += len(piece)
        except ClientDisconnect:
            cut = True  # what arrived is kept: the counter resumes after it
        written = pos - offset
        verdict = None
        if not cut and pos == total:
            verdict = await run_in_threadpool(_hash_fd, fd) == sha
            if verdict:
                await run_in_threadpool(_store, fd, part, final_path(root, sha))
            else:
                os.ftruncate(fd, 0)

        def record() -> None:
            with request.app.state.pool.connection() as conn, conn.transaction():
                conn.execute(
                    "UPDATE file_uploads SET received_bytes = received_bytes + %s, updated_at = now(), "
                    "hash_failures = hash_failures + %s, completed_at = CASE WHEN %s THEN now() END "
                    "WHERE commune_id = %s AND sha256 = %s",
                    (written, int(verdict is False), bool(verdict), commune_id, sha),
                )
                if verdict:
                    conn.execute(
                        "INSERT INTO files (sha256, bytes, stored_by) VALUES (%s, %s, %s) "
                        "ON CONFLICT (sha256) DO UPDATE SET bytes = EXCLUDED.bytes, stored_at = now(), "
                        "stored_by = EXCLUDED.stored_by",
                        (sha, total, device.name),
                    )

        await run_in_threadpool(record)
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    if cut:
        raise ApiError(400, "incomplete_request", "Yêu cầu bị ngắt giữa chừng.")
    if verdict is False:
        raise ApiError(
            422,
            "hash_mismatch",
            "Tệp nhận được không khớp mã băm (hỏng trên đường truyền); máy chủ đã bỏ, hãy gửi lại từ đầu.",
        )
    return _state(sha, total, pos)


@router.get("/api/v1/files/{sha256}")
async def download(sha256: str, request: Request, authorization: str | None = Header(None)) -> Any:
    """The stored bytes, for a device or officer whose commune's dossier names the file."""
    sha = _check_sha(sha256)
    root = files_root(request)

    def work() -> tuple[Path, str]:
        with request.app.state.pool.connection() as conn:
            p = authenticate(conn, authorization)
            ref = reference(conn, sha, p.commune_id)
            done = conn.execute("SELECT bytes FROM files WHERE sha256 = %s", (sha,)).fetchone()
        if ref is None or done is None or not _complete_on_disk(root, sha, int(done["bytes"])):
            raise not_found(NOT_FOUND, "file_not_found")
        return final_path(root, sha), ref["mime"] or "application/octet-stream"

    path, mime = await run_in_threadpool(work)
    return FileResponse(path, media_type=mime, headers={"Cache-Control": "private, max-age=86400"})
