"""Bearer tokens for counter devices and officers: 256 bits, shown once, stored only as SHA-256.

A token carries 256 bits of secret, so a fast hash is enough (there is nothing to brute-force); the
prefix says which table to look in. Officer tokens are random. A device token is an HMAC of the
plain enrollment code (only its hash is stored) and the device id under the server's key, so a
re-sent enrollment request gets the same token. Revocation is a timestamp, checked on every request.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import psycopg

from district_server.errors import ApiError

DEVICE_PREFIX = "qd1."
OFFICER_PREFIX = "qo1."
ENROLL_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def server_key(conn: psycopg.Connection) -> bytes:
    """The server's secret for deriving device tokens; made once, kept in ``server_state``."""
    conn.execute(
        "INSERT INTO server_state (key, value) VALUES ('token_key', %s) ON CONFLICT (key) DO NOTHING",
        (secrets.token_hex(32),),
    )
    row = conn.execute("SELECT value FROM server_state WHERE key = 'token_key'").fetchone()
    return bytes.fromhex(row["value"])


def device_token(key: bytes, enrollment_code: str, device_id: str) -> str:
    """Derived from the plain code (never stored) and the device: redeeming again yields the same token."""
    digest = hmac.new(key, f"{enrollment_code}\n{device_id}".encode(), hashlib.sha256).digest()
    return DEVICE_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def new_enrollment_code() -> str:
    raw = "".join(secrets.choice(ENROLL_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalize_enrollment_code(code: str) -> str:
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@dataclass(frozen=True)
class Principal:
    """Who is asking. ``commune_id`` None means the whole upper level (district-wide officer)."""

    kind: str  # "device" | "officer"
    name: str  # device id or username
    commune_id: int | None
    slot: int | None = None

    @property
    def is_device(self) -> bool:
        return self.kind == "device"

    def may_see(self, commune_id: int) -> bool:
        return self.commune_id is None or self.commune_id == commune_id


UNAUTHORIZED = ApiError(
    401, "unauthorized", "Thiếu hoặc sai mã xác thực. Hãy đăng ký lại máy hoặc xin mã mới từ quản trị."
)


def authenticate(conn: psycopg.Connection, header: str | None) -> Principal:
    if not header or not header.startswith("Bearer "):
        raise UNAUTHORIZED
    token = header[len("Bearer ") :].strip()
    digest = token_hash(token)
    if token.startswith(DEVICE_PREFIX):
        row = conn.execute(
            "SELECT id, commune_id, slot, revoked_at FROM devices WHERE token_hash = %s", (digest,)
        ).fetchone()
        if row is None:
            raise UNAUTHORIZED
        if row["revoked_at"] is not None:
            raise ApiError(
                401,
                "token_revoked",
                "Máy này đã bị thu hồi quyền đồng bộ. Liên hệ quản trị cấp trên để đăng ký lại.",
            )
        return Principal("device", row["id"], row["commune_id"], row["slot"])
    if token.startswith(OFFICER_PREFIX):
        row = conn.execute(
            "SELECT username, commune_id, revoked_at FROM officers WHERE token_hash = %s", (digest,)
        ).fetchone()
        if row is None:
            raise UNAUTHORIZED
        if row["revoked_at"] is not None:
            raise ApiError(401, "token_revoked", "Mã truy cập của tài khoản này đã bị thu hồi.")
        return Principal("officer", row["username"], row["commune_id"])
    raise UNAUTHORIZED
