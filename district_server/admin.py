"""Communes, enrollment, devices, officers, published data: what the CLI and the admin API share."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from counter_app.domain.calendar import parse_adjustments
from counter_app.domain.codes import check_agency_code
from counter_app.domain.errors import DomainError
from counter_app.domain.procedures import parse_catalog
from counter_app.domain.text import nfc
from district_server import auth
from district_server.errors import ApiError, bad_request, conflict, not_found

ENROLLMENT_VALIDITY = timedelta(days=7)
SLOT_QUARANTINE = timedelta(hours=24)  # a revoked device's slot waits a day: codes carry the date


def commune_by_code(conn: psycopg.Connection, code: str) -> dict[str, Any]:
    try:
        clean = check_agency_code(code)
    except DomainError as exc:
        raise bad_request(exc.message, "invalid_commune") from None
    row = conn.execute("SELECT id, code, name FROM communes WHERE code = %s", (clean,)).fetchone()
    if row is None:
        raise not_found(f"Chưa có xã mang mã «{clean}» trên máy chủ.", "unknown_commune")
    return row


def add_commune(conn: psycopg.Connection, code: str, name: str) -> dict[str, Any]:
    try:
        clean = check_agency_code(code)
    except DomainError as exc:
        raise bad_request(exc.message, "invalid_commune") from None
    name = nfc(name)
    if not name or len(name) > 200:
        raise bad_request("Tên xã phải có từ 1 đến 200 ký tự.", "invalid_commune")
    row = conn.execute(
        "INSERT INTO communes (code, name) VALUES (%s, %s) ON CONFLICT (code) DO NOTHING RETURNING id, code, name",
        (clean, name),
    ).fetchone()
    if row is None:
        raise conflict("commune_exists", f"Xã mang mã «{clean}» đã có trên máy chủ.")
    return row


def list_communes(conn: psycopg.Connection, commune_id: int | None = None) -> list[dict[str, Any]]:
    if commune_id is None:
        return conn.execute("SELECT id, code, name FROM communes ORDER BY code").fetchall()
    return conn.execute("SELECT id, code, name FROM communes WHERE id = %s", (commune_id,)).fetchall()


def create_enrollment_code(
    conn: psycopg.Connection, commune_id: int, validity: timedelta = ENROLLMENT_VALIDITY
) -> str:
    code = auth.new_enrollment_code()
    conn.execute(
        "INSERT INTO enrollment_codes (code_hash, commune_id, expires_at) VALUES (%s, %s, now() + %s)",
        (auth.token_hash(code), commune_id, validity),
    )
    return code


@dataclass(frozen=True)
class Enrollment:
    device_id: str
    commune_code: str
    commune_name: str
    slot: int
    token: str


_BAD_CODE = ApiError(
    403,
    "invalid_enrollment_code",
    "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn. Hãy xin mã mới từ quản trị cấp trên.",
)


def enroll(conn: psycopg.Connection, enrollment_code: str, device_id: str, label: str = "") -> Enrollment:
    """Redeem a one-time code: bind the device to the code's commune and give it a slot and a token.

    Idempotent for the device that redeemed it: the token is derived from (code, device) with the
    server's key, so a retry after a lost answer, or a stale duplicate of the request, gets the very
    same token and slot back and changes nothing. Anyone else finds the code spent.
    """
    normalized = auth.normalize_enrollment_code(enrollment_code)
    digest = auth.token_hash(normalized)
    with conn.transaction():
        row = conn.execute(
            "SELECT commune_id, used_at, used_by, expires_at < now() AS expired FROM enrollment_codes "
            "WHERE code_hash = %s FOR UPDATE",
            (digest,),
        ).fetchone()
        if row is None:
            raise _BAD_CODE
        commune = conn.execute(
            "SELECT id, code, name FROM communes WHERE id = %s FOR UPDATE", (row["commune_id"],)
        ).fetchone()
        existing = conn.execute(
            "SELECT commune_id, slot, revoked_at, enrollment_code_hash FROM devices WHERE id = %s",
            (device_id,),
        ).fetchone()
        token = auth.device_token(auth.server_key(conn), normalized, device_id)
        if row["used_at"] is not None:
            same = (
                row["used_by"] == device_id
                and existing is not None
                and existing["revoked_at"] is None
                and existing["enrollment_code_hash"] == digest
            )
            if not same:
                raise _BAD_CODE
            return Enrollment(device_id, commune["code"], commune["name"], existing["slot"], token)
        if row["expired"]:
            raise _BAD_CODE
        if (
            existing is not None
            and existing["commune_id"] != commune["id"]
            and existing["revoked_at"] is None
        ):
            raise conflict(
                "device_enrolled_elsewhere",
                "Máy này đã đăng ký cho một xã khác. Quản trị cần thu hồi máy ở xã cũ trước.",
            )
        if existing is not None and existing["revoked_at"] is None:
            slot = existing["slot"]  # re-enrolling a working counter keeps its codes' slot
        else:
            taken = {
                r["slot"]
                for r in conn.execute(
                    "SELECT slot FROM devices WHERE commune_id = %s AND id <> %s "
                    "AND (revoked_at IS NULL OR revoked_at > now() - %s)",
                    (commune["id"], device_id, SLOT_QUARANTINE),
                )
            }
            same_commune = existing is not None and existing["commune_id"] == commune["id"]
            preferred = [existing["slot"]] if same_commune else []
            free = [s for s in [*preferred, *range(10)] if s not in taken]
            if not free:
                raise conflict(
                    "no_free_slot",
                    "Xã đã có đủ 10 máy đồng bộ. Hãy thu hồi một máy không còn dùng rồi thử lại.",
                )
            slot = free[0]
        conn.execute(
            """INSERT INTO devices (id, commune_id, slot, label, token_hash, enrollment_code_hash)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (id) DO UPDATE SET commune_id = excluded.commune_id, slot = excluded.slot,
                 label = excluded.label, token_hash = excluded.token_hash,
                 enrollment_code_hash = excluded.enrollment_code_hash, enrolled_at = now(), revoked_at = NULL""",
            (device_id, commune["id"], slot, nfc(label)[:100], auth.token_hash(token), digest),
        )
        conn.execute(
            "UPDATE enrollment_codes SET used_at = now(), used_by = %s WHERE code_hash = %s",
            (device_id, digest),
        )
    return Enrollment(device_id, commune["code"], commune["name"], slot, token)


def revoke_device(conn: psycopg.Connection, device_id: str, commune_id: int | None = None) -> dict[str, Any]:
    row = conn.execute(
        "UPDATE devices SET revoked_at = coalesce(revoked_at, now()) WHERE id = %s "
        "AND (%s::integer IS NULL OR commune_id = %s) RETURNING id, commune_id, slot",
        (device_id, commune_id, commune_id),
    ).fetchone()
    if row is None:
        raise not_found(f"Không có máy «{device_id}».", "unknown_device")
    return row


def list_devices(conn: psycopg.Connection, commune_id: int | None) -> list[dict[str, Any]]:
    return conn.execute(
        """SELECT d.id, c.code AS commune, d.slot, d.label, d.enrolled_at, d.revoked_at, d.last_seen_at
           FROM devices d JOIN communes c ON c.id = d.commune_id
           WHERE %s::integer IS NULL OR d.commune_id = %s ORDER BY c.code, d.slot""",
        (commune_id, commune_id),
    ).fetchall()


def add_officer(conn: psycopg.Connection, username: str, full_name: str, commune_id: int | None) -> str:
    """Create an officer and return their API token (shown once)."""
    username = username.strip().lower()
    if not username or len(username) > 64 or not all(ch.isalnum() or ch in "._-" for ch in username):
        raise bad_request("Tên đăng nhập chỉ gồm chữ, số và . _ - (tối đa 64 ký tự).", "invalid_username")
    full_name = nfc(full_name)
    if not full_name or len(full_name) > 200:
        raise bad_request("Họ tên phải có từ 1 đến 200 ký tự.", "invalid_name")
    token = auth.new_token(auth.OFFICER_PREFIX)
    row = conn.execute(
        "INSERT INTO officers (username, full_name, commune_id, token_hash) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (username) DO NOTHING RETURNING username",
        (username, full_name, commune_id, auth.token_hash(token)),
    ).fetchone()
    if row is None:
        raise conflict("officer_exists", f"Tài khoản «{username}» đã có.")
    return token


def revoke_officer(conn: psycopg.Connection, username: str) -> None:
    row = conn.execute(
        "UPDATE officers SET revoked_at = coalesce(revoked_at, now()) WHERE username = %s RETURNING username",
        (username.strip().lower(),),
    ).fetchone()
    if row is None:
        raise not_found(f"Không có tài khoản «{username}».", "unknown_officer")


def stats(conn: psycopg.Connection, commune_id: int | None = None) -> dict[str, int]:
    where = "" if commune_id is None else " WHERE commune_id = %s"
    active = " WHERE revoked_at IS NULL" if commune_id is None else " AND revoked_at IS NULL"
    params = () if commune_id is None else (commune_id,)

    def count(sql: str) -> int:
        row = conn.execute(sql, params).fetchone()
        return int(row["n"])

    return {
        "dossiers": count("SELECT count(*) AS n FROM dossiers" + where),
        "events": count("SELECT count(*) AS n FROM events" + where),
        "devices": count("SELECT count(*) AS n FROM devices" + where + active),
        "conflicts": count("SELECT count(*) AS n FROM conflicts" + where),
    }


def publish(conn: psycopg.Connection, kind: str, data: dict[str, Any]) -> str:
    """Validate with the counter's own parsers (a bad file must never reach a counter), then store."""
    try:
        if kind == "catalog":
            version, _ = parse_catalog(data)
        else:
            parse_adjustments(data)
            version = str(data.get("version") or "")
            if not version:
                raise bad_request("Dữ liệu lịch cần có «version».", "invalid_calendar")
    except DomainError as exc:
        raise bad_request(exc.message, f"invalid_{kind}") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise bad_request("Tệp danh mục không đúng cấu trúc.", f"invalid_{kind}") from None
    conn.execute(
        "INSERT INTO published (kind, version, data) VALUES (%s, %s, %s) ON CONFLICT (kind) DO UPDATE "
        "SET version = excluded.version, data = excluded.data, published_at = now()",
        (kind, version, Jsonb(data)),
    )
    return version
