"""``counter-server``: run and administer the upper-level server (contract: docs/server.md).

Exit status: 0 success; 2 bad input or a refused action (one Vietnamese line on stderr); 3 the
database could not be reached; 1 an unexpected failure (one line, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from counter_app.domain.errors import DomainError
from district_server import admin
from district_server.db import DatabaseUnavailable, connect, migrate, pending_migrations
from district_server.errors import ApiError

ENV_URL = "COUNTER_SERVER_DATABASE_URL"


class UsageError(Exception):
    pass


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"Sai cú pháp lệnh: {message}. Xem «counter-server --help».")


def emit(args: argparse.Namespace, data: Any, human: str) -> None:
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        print(human)


def _url(args: argparse.Namespace) -> str:
    url = args.database_url or os.environ.get(ENV_URL)
    if not url:
        raise UsageError(f"Cần --database-url hoặc biến môi trường {ENV_URL} (chuỗi kết nối PostgreSQL).")
    return url


def _ready(args: argparse.Namespace) -> Any:
    """A connection to a database whose schema is current (commands other than migrate need it)."""
    conn = connect(_url(args))
    if pending_migrations(conn):
        conn.close()
        raise UsageError("Cơ sở dữ liệu chưa được tạo hoặc nâng cấp: hãy chạy «counter-server migrate».")
    return conn


# -- commands --------------------------------------------------------------------------------------
def cmd_migrate(args: argparse.Namespace) -> None:
    applied = migrate(_url(args))
    emit(args, {"ok": True, "applied": applied}, f"Đã áp dụng {len(applied)} bản nâng cấp cơ sở dữ liệu.")


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from district_server.app import create_app

    url = _url(args)
    migrate(url)
    uvicorn.run(
        create_app(url),
        host=args.host,
        port=args.port,
        proxy_headers=True,
        forwarded_allow_ips=args.forwarded_allow_ips,
        server_header=False,
        log_level=args.log_level,
        timeout_graceful_shutdown=10,
    )


def cmd_commune_add(args: argparse.Namespace) -> None:
    with _ready(args) as conn:
        row = admin.add_commune(conn, args.code, args.name)
    emit(args, {"code": row["code"]}, f"Đã thêm {row['name']} ({row['code']}).")


def cmd_commune_list(args: argparse.Namespace) -> None:
    with _ready(args) as conn:
        rows = admin.list_communes(conn)
    data = [{"code": r["code"], "name": r["name"]} for r in rows]
    emit(args, data, "\n".join(f"{r['code']}  {r['name']}" for r in data) or "Chưa có xã nào.")


def cmd_enrollment_code(args: argparse.Namespace) -> None:
    with _ready(args) as conn:
        commune = admin.commune_by_code(conn, args.commune)
        code = admin.create_enrollment_code(conn, commune["id"])
    emit(
        args,
        {"enrollment_code": code},
        f"Mã đăng ký máy cho {commune['name']}: {code} (dùng một lần, trong {admin.ENROLLMENT_VALIDITY.days} ngày).",
    )


def cmd_stats(args: argparse.Namespace) -> None:
    with _ready(args) as conn:
        commune_id = admin.commune_by_code(conn, args.commune)["id"] if args.commune else None
        data = admin.stats(conn, commune_id)
    emit(
        args,
        data,
        f"Hồ sơ: {data['dossiers']}\nSự kiện: {data['events']}\nMáy đang đồng bộ: {data['devices']}\n"
        f"Xung đột: {data['conflicts']}",
    )


def cmd_revoke_device(args: argparse.Namespace) -> None:
    with _ready(args) as conn:
        row = admin.revoke_device(conn, args.device_id)
    emit(args, {"device_id": row["id"], "revoked": True}, f"Đã thu hồi quyền đồng bộ của máy {row['id']}.")


def cmd_officer_add(args: argparse.Namespace) -> None:
    with _ready(args) as conn:
        commune_id = admin.commune_by_code(conn, args.commune)["id"] if args.commune else None
        token = admin.add_officer(conn, args.username, args.name, commune_id)
    emit(
        args,
        {"username": args.username.strip().lower(), "token": token},
        f"Mã truy cập API của {args.username} (chỉ hiện một lần): {token}",
    )


def cmd_officer_revoke(args: argparse.Namespace) -> None:
    with _ready(args) as conn:
        admin.revoke_officer(conn, args.username)
    emit(
        args,
        {"username": args.username.strip().lower(), "revoked": True},
        f"Đã thu hồi mã của {args.username}.",
    )


def cmd_publish(args: argparse.Namespace) -> None:
    path = Path(args.file)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from None
    except ValueError:
        raise UsageError(f"Tệp {path} không phải JSON hợp lệ.") from None
    if not isinstance(data, dict):
        raise UsageError(f"Tệp {path} phải là một đối tượng JSON.")
    with _ready(args) as conn:
        version = admin.publish(conn, args.kind, data)
    emit(args, {"kind": args.kind, "version": version}, f"Đã phát hành {args.kind} phiên bản {version}.")


def cmd_conflicts(args: argparse.Namespace) -> None:
    from district_server import views

    with _ready(args) as conn:
        ids = [admin.commune_by_code(conn, args.commune)["id"]] if args.commune else None
        rows = views.conflicts(conn, ids, args.limit)
    emit(
        args,
        rows,
        "\n".join(
            f"{r['at']}  {r['commune']}  {r['dossier_code'] or r['dossier_id']}  {r['code']}: {r['message']}"
            for r in rows
        )
        or "Không có xung đột nào.",
    )


def _figures_line(f: dict[str, Any]) -> str:
    return (
        f"nhận {f['received']} (kỳ trước {f['carried_over']}, trực tuyến {f['online']}, trực tiếp/bưu chính "
        f"{f['direct']}); đã giải quyết {f['resolved']} (trước hạn {f['early']}, đúng hạn {f['on_time']}, "
        f"quá hạn {f['late']}); đang giải quyết {f['in_process']} (trong hạn {f['within']}, quá hạn "
        f"{f['overdue']}); chờ bổ sung {f['paused']}; từ chối {f['refused']}; dừng {f['stopped']}; "
        f"rút {f['withdrawn']}; hủy {f['cancelled']}; hài lòng {f['satisfied']}/{f['rated']}"
    )


def cmd_report(args: argparse.Namespace) -> None:
    from district_server import reports

    start, end = reports.parse_day(args.date_from, "from"), reports.parse_day(args.date_to, "to")
    with _ready(args) as conn:
        ids = [admin.commune_by_code(conn, args.commune)["id"]] if args.commune else None
        data = reports.compute(conn, ids, start, end, reports.local_now())
    head = data["period"] + (
        f" (tạm tính đến {data['as_of'].replace('T', ' ')})" if data["provisional"] else ""
    )
    lines = [head, *(f"{c['commune']} {c['name']}: {_figures_line(c)}." for c in data["communes"])]
    lines.append(f"Tổng cộng: {_figures_line(data['total'])}.")
    emit(args, data, "\n".join(lines))


# -- parser ----------------------------------------------------------------------------------------
def build_parser() -> ArgumentParser:
    common = ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url", default=argparse.SUPPRESS, help=f"PostgreSQL (mặc định: biến môi trường {ENV_URL})"
    )
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="in JSON cho script")
    parser = ArgumentParser(
        prog="counter-server", description="Máy chủ cấp trên của Quầy một cửa", parents=[common]
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    def add(
        name: str, func: Callable[[argparse.Namespace], None], help_text: str, parent: Any = sub
    ) -> ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text, parents=[common])
        p.set_defaults(func=func)
        return p

    add("migrate", cmd_migrate, "tạo hoặc nâng cấp cơ sở dữ liệu")
    p = add("serve", cmd_serve, "chạy API và trang tra cứu (tự nâng cấp cơ sở dữ liệu trước)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument(
        "--forwarded-allow-ips",
        default=os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        help="địa chỉ reverse proxy được tin (X-Forwarded-For/Proto)",
    )
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])

    commune = sub.add_parser("commune", help="các xã", parents=[common])
    csub = commune.add_subparsers(dest="commune_command", required=True, parser_class=ArgumentParser)
    p = add("add", cmd_commune_add, "thêm một xã", csub)
    p.add_argument("--code", required=True, help="mã định danh cơ quan, ví dụ 000.00.21.H40")
    p.add_argument("--name", required=True)
    add("list", cmd_commune_list, "danh sách xã", csub)

    p = add("enrollment-code", cmd_enrollment_code, "mã dùng một lần để đăng ký một máy quầy")
    p.add_argument("--commune", required=True)
    p = add("stats", cmd_stats, "số liệu máy chủ đang giữ")
    p.add_argument("--commune")
    p = add("revoke-device", cmd_revoke_device, "thu hồi quyền đồng bộ của một máy")
    p.add_argument("--device-id", required=True)

    officer = sub.add_parser("officer", help="tài khoản cán bộ dùng API", parents=[common])
    osub = officer.add_subparsers(dest="officer_command", required=True, parser_class=ArgumentParser)
    p = add("add", cmd_officer_add, "thêm cán bộ và in mã truy cập API (một lần)", osub)
    p.add_argument("--username", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--commune", help="bỏ trống: cán bộ cấp trên, xem mọi xã")
    p = add("revoke", cmd_officer_revoke, "thu hồi mã truy cập của cán bộ", osub)
    p.add_argument("--username", required=True)

    p = add("publish", cmd_publish, "phát hành danh mục thủ tục hoặc lịch điều chỉnh cho các quầy")
    p.add_argument("kind", choices=["catalog", "calendar"])
    p.add_argument("file")
    p = add("conflicts", cmd_conflicts, "các sự kiện bị từ chối, chờ người xử lý")
    p.add_argument("--commune")
    p.add_argument("--limit", type=int, default=100)
    p = add("report", cmd_report, "báo cáo kết quả giải quyết TTHC (Biểu 06) của các xã trong một kỳ")
    p.add_argument("--from", dest="date_from", required=True, help="ngày đầu kỳ, YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", required=True, help="ngày cuối kỳ, YYYY-MM-DD")
    p.add_argument("--commune", help="chỉ một xã (mã định danh)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.database_url = getattr(args, "database_url", None)
        args.json = getattr(args, "json", False)
        args.func(args)
        return 0
    except SystemExit as exc:
        return int(exc.code or 0)
    except (UsageError, DomainError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as exc:
        print(f"Lỗi: không kết nối được cơ sở dữ liệu PostgreSQL ({exc}).", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise: never a traceback on the terminal
        print(f"Lỗi không mong đợi ({type(exc).__name__}): {exc}".splitlines()[0], file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
