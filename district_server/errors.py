"""Errors the API answers as ``{"error": code, "message": Vietnamese}``; the CLI prints the message."""

from __future__ import annotations


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def bad_request(message: str, code: str = "invalid_request") -> ApiError:
    return ApiError(400, code, message)


def not_found(message: str = "Không tìm thấy.", code: str = "not_found") -> ApiError:
    return ApiError(404, code, message)


def forbidden(message: str = "Tài khoản này không có quyền với dữ liệu của đơn vị khác.") -> ApiError:
    return ApiError(403, "forbidden", message)


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, message)
