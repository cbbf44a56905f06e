"""Officer passwords, hashed with scrypt from the standard library (no native wheel to ship)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from counter_app.domain.errors import ValidationError

_N, _R, _P = 2**14, 8, 1
MIN_LENGTH = 6


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.", field="password")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=len(expected)
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def one_time_password() -> str:
    """Readable over the phone: no 0/O or 1/l confusion."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))
