"""``counter-admin enroll`` and ``counter-admin sync`` (hooked into the parser by ``register``).

Exit status of ``sync``: 0 only when everything pending was acknowledged; 3 when the server could
not be reached or the exchange broke off (retry later: nothing is lost); 2 when the server refused
(revoked device, old software) or rejected events, which a person must look at.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from counter_app.cli.output import emit_json


def register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("enroll", cmd_enroll, "đăng ký máy với máy chủ cấp trên (một lần, bằng mã đăng ký)", parent=sub)
    p.add_argument("--server", required=True, help="địa chỉ máy chủ, ví dụ https://motcua.example.gov.vn")
    p.add_argument("--code", required=True, help="mã đăng ký dùng một lần do quản trị cấp trên đưa")
    p.add_argument("--label", help="tên máy hiện ở máy chủ (mặc định: tên máy tính)")
    p = add("sync", cmd_sync, "đồng bộ ngay với máy chủ cấp trên (gửi và nhận)", parent=sub)
    p.add_argument("--server", help="dùng địa chỉ máy chủ này (được nhớ nếu đồng bộ thành công)")


def _fail(message: str, status: int) -> None:
    print(f"Lỗi: {message}", file=sys.stderr)
    raise SystemExit(status)


def cmd_enroll(args: argparse.Namespace) -> None:
    from counter_app.cli.main import _counter
    from counter_app.services import sync
    from counter_app.sync.client import ServerUnavailable

    counter = _counter(args)
    try:
        result = sync.enroll(counter, args.server, args.code, label=args.label)
    except ServerUnavailable as exc:
        _fail(exc.message, 3)
        return
    if args.json:
        emit_json({"device_id": result.device_id, "commune": result.commune, "slot": result.slot})
    else:
        print(
            f"Đã đăng ký máy với {result.commune_name} ({result.commune}); số hiệu máy trong xã: {result.slot}."
        )


def cmd_sync(args: argparse.Namespace) -> None:
    from counter_app.cli.main import _counter
    from counter_app.services import sync

    counter = _counter(args)
    result = sync.sync_now(counter, server=args.server)
    if args.json:
        emit_json(
            {
                "pushed": result.pushed,
                "pulled": result.pulled,
                "pending": result.pending,
                "rejected": result.rejected,
                "uploaded": result.uploaded,
                "files_pending": result.files_pending,
                "error": result.error,
            }
        )
    else:
        print(f"Đã gửi {result.pushed} sự kiện, nhận {result.pulled} sự kiện; còn chờ gửi {result.pending}.")
        for problem in result.problems[:20]:
            print(f"  Không áp dụng được: {problem.get('code') or problem.get('kind')}: {problem['message']}")
    if result.error and not result.unreachable:
        _fail(result.error, 2)
    if not result.complete:
        _fail(result.error or "Đồng bộ chưa xong; hãy thử lại sau (dữ liệu không mất).", 3)
    if result.rejected:
        _fail(
            f"{result.rejected} sự kiện bị máy chủ từ chối; xem danh sách ở màn hình đồng bộ "
            "(mỗi sự kiện ghi rõ lý do).",
            2,
        )
    if result.pending:
        reason = "một phiên đồng bộ khác đang gửi" if result.busy else "máy chủ hẹn gửi lại sau"
        _fail(f"còn {result.pending} sự kiện chưa được máy chủ xác nhận ({reason}); hãy thử lại sau.", 3)
