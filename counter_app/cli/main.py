"""``counter-admin``: district IT scripts it, support staff diagnose with it (contract: docs/cli.md).

Exit status: 0 success, 2 bad input (one Vietnamese line on stderr), 1 unexpected failure (details
in the log file, never a traceback on the terminal), 3 reserved for sync that could not finish.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from counter_app import paths
from counter_app.cli.output import (
    dossier_json,
    emit_json,
    event_json,
    iso_minutes,
    money,
    state_label,
    vn_date,
    vn_datetime,
)
from counter_app.domain.calendar import WorkingCalendar, parse_adjustments
from counter_app.domain.deadlines import ProcessingTime, Unit, compute_due, half_day
from counter_app.domain.errors import DomainError, ValidationError
from counter_app.domain.identity import parse_cccd_qr
from counter_app.domain.lifecycle import ACTION_LABELS, Action
from counter_app.services import actions, maintenance, queries, support_log
from counter_app.services import calendar as calendar_service
from counter_app.services import officers as officer_service
from counter_app.services.context import Counter, open_counter
from counter_app.services.intake import IntakeRequest, intake
from counter_app.services.setup import initialize, is_initialized, read_json

log = logging.getLogger("counter_app.cli")


class UsageError(DomainError):
    code = "usage"


class ArgumentParser(argparse.ArgumentParser):
    """argparse that reports bad usage as exit 2 with one line, like every other bad input."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"Sai cú pháp lệnh: {message}. Xem «counter-admin --help».")


def parse_datetime(text: str, field: str) -> datetime:
    for fmt in (
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%d/%m/%Y %H:%M",
    ):
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise ValidationError(f"Thời điểm «{text}» không hợp lệ: cần dạng YYYY-MM-DD HH:MM.", field=field)


def parse_date(text: str, field: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValidationError(f"Ngày «{text}» không hợp lệ: cần dạng YYYY-MM-DD.", field=field)


# -- database access -------------------------------------------------------------------------------
def _counter(args: argparse.Namespace, *, must_exist: bool = True) -> Counter:
    path = Path(args.db) if args.db else paths.default_db_path()
    if must_exist and not path.exists():
        raise UsageError(f"Không có tệp dữ liệu {path}. Hãy chạy «counter-admin --db {path} init» trước.")
    counter = open_counter(path)
    if must_exist and not is_initialized(counter):
        raise UsageError(f"Tệp dữ liệu {path} chưa được khởi tạo. Hãy chạy «counter-admin --db {path} init».")
    return counter


def _bundled_calendar() -> WorkingCalendar:
    return WorkingCalendar(adjustments=parse_adjustments(read_json(paths.CALENDAR_FILE)))


# -- commands --------------------------------------------------------------------------------------
def cmd_init(args: argparse.Namespace) -> None:
    counter = _counter(args, must_exist=False)
    result = initialize(counter, agency_code=args.agency_code, agency_name=args.agency_name)
    if args.json:
        out = {"ok": True, "procedures": result.procedures, "adjustments": result.adjustments}
        if result.created_admin:
            out.update(admin=result.created_admin, password=result.admin_password)
        emit_json(out)
        return
    print(
        f"Đã khởi tạo {counter.store.path}: {result.procedures} thủ tục, {result.adjustments} ngày điều chỉnh lịch."
    )
    if result.created_admin:
        print(f"Tài khoản quản trị: {result.created_admin}  mật khẩu dùng một lần: {result.admin_password}")
        print("Hãy đổi mật khẩu sau lần đăng nhập đầu tiên.")


def cmd_officer_add(args: argparse.Namespace) -> None:
    counter = _counter(args)
    if not args.password_stdin:
        raise UsageError("Mật khẩu phải được đưa vào qua --password-stdin (không ghi trên dòng lệnh).")
    password = sys.stdin.readline().rstrip("\r\n")
    officer = officer_service.add_officer(
        counter, username=args.username, password=password, role=args.role, full_name=args.name, by="cli"
    )
    if args.json:
        emit_json({"username": officer.username})
    else:
        print(f"Đã thêm cán bộ {officer.full_name} ({officer.username}).")


def cmd_officer_passwd(args: argparse.Namespace) -> None:
    counter = _counter(args)
    if not args.password_stdin:
        raise UsageError("Mật khẩu mới phải được đưa vào qua --password-stdin.")
    officer_service.change_password(counter, args.username, sys.stdin.readline().rstrip("\r\n"), by="cli")
    if args.json:
        emit_json({"username": args.username.strip().lower()})
    else:
        print(f"Đã đổi mật khẩu của {args.username}.")


def cmd_officer_active(args: argparse.Namespace) -> None:
    counter = _counter(args)
    officer_service.set_active(counter, args.username, args.active, by="cli")
    if args.json:
        emit_json({"username": args.username.strip().lower(), "active": args.active})
    else:
        print(f"Đã {'mở' if args.active else 'khóa'} tài khoản {args.username}.")


def cmd_officer_list(args: argparse.Namespace) -> None:
    from counter_app.store.officers import list_all

    rows = list_all(_counter(args).store)
    if args.json:
        emit_json(
            [
                {"username": o.username, "name": o.full_name, "role": o.role.value, "active": o.active}
                for o in rows
            ]
        )
    else:
        for o in rows:
            print(f"{o.username:20} {o.role.value:10} {o.full_name}{'' if o.active else ' (ngừng)'}")


def cmd_procedures(args: argparse.Namespace) -> None:
    counter = _counter(args)
    procs = queries.search_procedures(counter, args.search or "", limit=args.limit)
    if args.json:
        emit_json(
            [
                {
                    "code": p.code,
                    "name": p.name,
                    "field": p.field,
                    "processing": p.processing.to_dict(),
                    "fee": p.fee,
                }
                for p in procs
            ]
        )
        return
    for p in procs:
        print(f"{p.code:12} {p.field:22} {p.name}  [{p.processing.describe_vi()}; {money(p.fee)}]")


def _documents_arg(value: str | None) -> list[int] | None:
    if value is None or value.strip().lower() == "all":
        return None
    try:
        return [int(x) - 1 for x in value.replace(";", ",").split(",") if x.strip()]
    except ValueError:
        raise ValidationError(
            "--documents cần «all» hoặc danh sách số thứ tự giấy tờ, ví dụ 1,2,4.", field="documents"
        ) from None


def cmd_intake(args: argparse.Namespace) -> None:
    counter = _counter(args)
    req = IntakeRequest(
        procedure_code=args.procedure,
        name=args.name or "",
        id_number=args.id_number or "",
        id_type=args.id_type,
        cccd_qr=args.cccd_qr,
        birth_date=parse_date(args.birth_date, "birth_date") if args.birth_date else None,
        gender=args.gender,
        phone=args.phone or "",
        address=args.address or "",
        documents=_documents_arg(args.documents),
        sets=args.sets,
        fee=args.fee,
        channel=args.channel,
        received_at=parse_datetime(args.received, "received") if args.received else None,
        officer=args.officer,
    )
    result = intake(counter, req)
    d = result.dossier
    if args.json:
        emit_json({"code": d.code, "id": d.id, "due": iso_minutes(d.due_at), "state": d.state.value})
        return
    half = half_day(counter.calendar, d.due_at) if d.due_at else ""
    print(f"Đã tiếp nhận hồ sơ {d.code} — {d.procedure_name}")
    print(f"Người nộp: {d.applicant_name} ({d.id_number}); lệ phí {money(d.fee)}")
    print(f"Hẹn trả kết quả: {vn_datetime(d.due_at)} (buổi {half})")


def cmd_show(args: argparse.Namespace) -> None:
    counter = _counter(args)
    detail = queries.show(counter, args.code)
    if detail is None:
        raise ValidationError(f"Không tìm thấy hồ sơ mã «{args.code}».", code="not_found")
    d = detail.dossier
    if args.json:
        emit_json(
            {
                **dossier_json(d),
                "minutes_left": detail.minutes_left,
                "events": [event_json(e) for e in detail.events],
            }
        )
        return
    print(f"Hồ sơ {d.code}: {d.procedure_name} — {d.applicant_name}")
    print(
        f"Trạng thái: {state_label(d.state)}; tiếp nhận {vn_datetime(d.received_at)}; hẹn trả {vn_datetime(d.due_at)}"
    )
    for e in detail.events:
        reason = e.payload.get("reason", "")
        print(f"  {e.seq:>2}. {vn_datetime(e.at)}  {ACTION_LABELS[e.action]:32} {e.officer}  {reason}")


def cmd_event(args: argparse.Namespace) -> None:
    counter = _counter(args)
    d = actions.perform(
        counter,
        actions.ActionRequest(
            code=args.code,
            action=args.action,
            officer=args.officer,
            at=parse_datetime(args.at, "at") if args.at else None,
            reason=args.reason or "",
            handler=args.handler or "",
            rating=args.rating,
            comment=args.comment or "",
            new_due=parse_datetime(args.new_due, "new_due") if args.new_due else None,
        ),
    )
    if args.json:
        emit_json({"code": d.code, "state": d.state.value, "due": iso_minutes(d.due_at)})
    else:
        print(f"Hồ sơ {d.code}: {state_label(d.state)}; hẹn trả {vn_datetime(d.due_at)}")


def cmd_search(args: argparse.Namespace) -> None:
    counter = _counter(args)
    found = queries.search_dossiers(counter, args.text, limit=args.limit)
    if args.json:
        emit_json(
            [
                {
                    "code": d.code,
                    "name": d.applicant_name,
                    "procedure": d.procedure_name,
                    "state": d.state.value,
                }
                for d in found
            ]
        )
        return
    for d in found:
        print(f"{d.code}  {d.applicant_name:28} {state_label(d.state):22} {d.procedure_name}")
    if not found:
        print("Không tìm thấy hồ sơ nào.")


def cmd_due(args: argparse.Namespace) -> None:
    counter = _counter(args)
    if args.overdue:
        found = queries.overdue(counter)
    elif args.within is not None:
        found = queries.due_within(counter, args.within)
    else:
        found = queries.due_today(counter)
    if args.json:
        emit_json([dossier_json(d) for d in found])
        return
    for d in found:
        print(f"{d.code}  hạn {vn_datetime(d.due_at)}  {d.applicant_name:28} {d.procedure_name}")
    if not found:
        print("Không có hồ sơ nào.")


def cmd_calendar_add(args: argparse.Namespace) -> None:
    cal = _counter(args).calendar if args.db else _bundled_calendar()
    start = parse_datetime(args.start, "start")
    if args.working_days is not None:
        processing = ProcessingTime(Unit.WORKING_DAYS, args.working_days)
    else:
        processing = ProcessingTime(Unit.WORKING_HOURS, args.working_hours)
    if processing.amount < 0:
        raise ValidationError("Số ngày/giờ làm việc không được âm.")
    due = compute_due(cal, start, processing)
    assert due is not None
    if args.json:
        emit_json({"due": iso_minutes(due)})
    else:
        print(f"Hạn: {vn_datetime(due)} (buổi {half_day(cal, due)})")


def cmd_calendar_day(args: argparse.Namespace) -> None:
    cal = _counter(args).calendar if args.db else _bundled_calendar()
    info = cal.day_info(parse_date(args.date, "date"))
    if args.json:
        emit_json({"date": info.day.isoformat(), "working": info.working, "reason": info.reason})
    else:
        status = "ngày làm việc" if info.working else "ngày nghỉ"
        print(f"{vn_date(info.day)}: {status}" + (f" — {info.reason}" if info.reason else ""))


def cmd_calendar_adjust(args: argparse.Namespace) -> None:
    counter = _counter(args)
    officer = args.officer or officer_service.default_officer(counter).username
    day = parse_date(args.date, "date")
    if args.remove:
        result = calendar_service.remove_adjustment(counter, day=day, officer=officer)
    else:
        if not args.kind or not args.name or not args.source:
            raise UsageError("Cần --kind off|work, --name và --source (số văn bản) khi thêm điều chỉnh lịch.")
        result = calendar_service.add_adjustment(
            counter, day=day, kind=args.kind, name=args.name, source=args.source, officer=officer
        )
    if args.json:
        emit_json({"date": day.isoformat(), "checked": result.checked, "moved": result.moved})
    else:
        print(
            f"Đã cập nhật lịch ngày {vn_date(day)}; {result.moved}/{result.checked} hồ sơ đang xử lý đổi hạn."
        )


def cmd_calendar_list(args: argparse.Namespace) -> None:
    from counter_app.store.calendar import listing

    rows = listing(_counter(args).store)
    if args.json:
        emit_json([{"date": r["day"], "origin": r["origin"], "kind": r["kind"], "name": r["name"], "source": r["source"]}
                   for r in rows])  # fmt: skip
        return
    for r in rows:
        kind = "nghỉ" if r["kind"] == "off" else "làm bù"
        print(
            f"{vn_date(date.fromisoformat(r['day']))}  {kind:6} {r['origin']:7} {r['name']} — {r['source']}"
        )


def cmd_calendar_import(args: argparse.Namespace) -> None:
    counter = _counter(args)
    officer = args.officer or officer_service.default_officer(counter).username
    result = calendar_service.import_notice(counter, read_json(Path(args.file)), officer)
    if args.json:
        emit_json({"checked": result.checked, "moved": result.moved})
    else:
        print(f"Đã nạp điều chỉnh lịch; {result.moved}/{result.checked} hồ sơ đang xử lý đổi hạn.")


def cmd_settings(args: argparse.Namespace) -> None:
    from counter_app.services import settings

    counter = _counter(args)
    if args.key is not None:
        if args.value is None:
            raise UsageError("Cần giá trị: counter-admin settings KEY VALUE.")
        officer = args.officer or officer_service.default_officer(counter).username
        moved = settings.change(counter, args.key, args.value, officer)
        if args.json:
            emit_json({"key": args.key, "value": counter.store.get_setting(args.key),
                       "moved": None if moved is None else moved.moved})  # fmt: skip
        else:
            print(f"Đã đặt {settings.SETTINGS[args.key].label}: {counter.store.get_setting(args.key)}")
        return
    values = settings.current(counter)
    if args.json:
        emit_json(values)
        return
    for key, value in values.items():
        print(f"{key:14} {settings.SETTINGS[key].label:40} {value if value is not None else '(mặc định)'}")


def cmd_print(args: argparse.Namespace) -> None:
    from counter_app.services import documents

    counter = _counter(args)
    if args.form == "register":
        if not args.date_from or not args.date_to:
            raise UsageError(
                "Sổ theo dõi cần --from và --to: counter-admin print register --from D --to D --out F."
            )
        printed = documents.print_register(
            counter, parse_date(args.date_from, "from"), parse_date(args.date_to, "to")
        )
    else:
        if not args.code:
            raise UsageError(f"Cần mã hồ sơ: counter-admin print {args.form} MÃ_HỒ_SƠ --out F.")
        printed = documents.print_dossier_form(
            counter, args.form, args.code, paper=args.paper, copies=args.copies
        )
    out = Path(args.out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(printed.pdf)
    except OSError as exc:
        raise ValidationError(f"Không ghi được tệp {out}: {exc.strerror}.", field="out") from exc
    if args.json:
        emit_json({"out": str(out)})
    else:
        print(f"Đã tạo {out} ({len(printed.pdf):,} byte).".replace(",", "."))


def cmd_parse_cccd(args: argparse.Namespace) -> None:
    text = args.text if args.text != "-" else sys.stdin.read()
    card = parse_cccd_qr(text)
    data = {
        "id_number": card.id_number,
        "old_id": card.old_id,
        "name": card.name,
        "birth_date": card.birth_date.isoformat(),
        "gender": card.gender,
        "address": card.address,
        "issue_date": card.issue_date.isoformat() if card.issue_date else None,
    }
    if args.json:
        emit_json(data)
    else:
        print(f"Số định danh: {card.id_number}\nHọ tên: {card.name}\nNgày sinh: {vn_date(card.birth_date)}")
        print(
            f"Giới tính: {card.gender}\nNơi thường trú: {card.address}\nNgày cấp: {vn_date(card.issue_date)}"
        )


def cmd_backup(args: argparse.Namespace) -> None:
    counter = _counter(args)
    target = maintenance.backup(counter, Path(args.file))
    if args.json:
        emit_json({"ok": True, "file": str(target)})
    else:
        print(f"Đã sao lưu vào {target}.")


def cmd_restore(args: argparse.Namespace) -> None:
    counter = _counter(args, must_exist=False)
    maintenance.restore(counter, Path(args.file))
    if args.json:
        emit_json({"ok": True})
    else:
        print(f"Đã khôi phục dữ liệu từ {args.file}.")


def cmd_verify(args: argparse.Namespace) -> None:
    report = maintenance.verify(_counter(args))
    if args.json:
        emit_json(report.to_json())
    else:
        for line in report.lines_vi():
            print(line)
    if not report.ok:
        raise SystemExit(2 if args.json else _fail("Kiểm tra phát hiện sai lệch (xem trên)."))


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def cmd_stats(args: argparse.Namespace) -> None:
    counter = _counter(args)
    data = maintenance.stats(counter)
    if args.json:
        emit_json(data)
    else:
        print(f"Hồ sơ: {data['dossiers']:,}".replace(",", "."))
        print(f"Sự kiện: {data['events']:,}".replace(",", "."))
        print(f"Sự kiện chờ đồng bộ: {data['pending_events']:,}".replace(",", "."))
        print(f"Lần đồng bộ gần nhất: {data['last_sync'] or 'chưa đồng bộ'}")


def cmd_demo(args: argparse.Namespace) -> None:
    from counter_app.services.demo import generate

    counter = _counter(args)

    def progress(done: int, total: int) -> None:
        print(f"\r{done:,}/{total:,} hồ sơ".replace(",", "."), end="", file=sys.stderr, flush=True)

    n = generate(counter, args.dossiers, seed=args.seed, days=args.days, progress=progress)
    print(file=sys.stderr)
    if args.json:
        emit_json({"dossiers": n})
    else:
        print(f"Đã tạo {n:,} hồ sơ trình diễn.".replace(",", "."))


def cmd_rebuild(args: argparse.Namespace) -> None:
    n = maintenance.rebuild(_counter(args))
    if args.json:
        emit_json({"dossiers": n})
    else:
        print(f"Đã dựng lại {n} hồ sơ từ nhật ký sự kiện.")


def cmd_catalog_import(args: argparse.Namespace) -> None:
    from counter_app.services.setup import import_catalog_file

    counter = _counter(args)
    n = import_catalog_file(counter, Path(args.file) if args.file else paths.CATALOG_FILE, by="cli")
    if args.json:
        emit_json({"procedures": n})
    else:
        print(f"Đã nạp {n} thủ tục.")


# -- parser ----------------------------------------------------------------------------------------
def build_parser() -> ArgumentParser:
    common = ArgumentParser(add_help=False)
    common.add_argument("--db", help="tệp dữ liệu (mặc định: tệp của ứng dụng)", default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="in JSON cho script")

    parser = ArgumentParser(prog="counter-admin", description="Quản trị Quầy một cửa", parents=[common])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=ArgumentParser)

    def add(
        name: str,
        func: Callable[[argparse.Namespace], None],
        help_text: str,
        parent: argparse._SubParsersAction = sub,
    ) -> ArgumentParser:
        p = parent.add_parser(name, help=help_text, description=help_text, parents=[common])
        p.set_defaults(func=func)
        return p

    p = add("init", cmd_init, "tạo/nâng cấp cơ sở dữ liệu, nạp danh mục và lịch")
    p.add_argument("--agency-code")
    p.add_argument("--agency-name")

    officer = sub.add_parser("officer", help="tài khoản cán bộ", parents=[common])
    osub = officer.add_subparsers(dest="officer_command", required=True, parser_class=ArgumentParser)
    p = add("add", cmd_officer_add, "thêm cán bộ", osub)
    p.add_argument("--username", required=True)
    p.add_argument("--password-stdin", action="store_true")
    p.add_argument("--role", required=True, help="receiving | handling | leader | admin")
    p.add_argument("--name", required=True)
    add("list", cmd_officer_list, "danh sách cán bộ", osub)
    p = add("passwd", cmd_officer_passwd, "đổi mật khẩu", osub)
    p.add_argument("--username", required=True)
    p.add_argument("--password-stdin", action="store_true")
    p = add("disable", cmd_officer_active, "khóa tài khoản", osub)
    p.add_argument("--username", required=True)
    p.set_defaults(active=False)
    p = add("enable", cmd_officer_active, "mở lại tài khoản", osub)
    p.add_argument("--username", required=True)
    p.set_defaults(active=True)

    p = add("procedures", cmd_procedures, "danh mục thủ tục (tìm không dấu)")
    p.add_argument("--search")
    p.add_argument("--limit", type=int, default=500)

    catalog = sub.add_parser("catalog", help="danh mục thủ tục", parents=[common])
    csub = catalog.add_subparsers(dest="catalog_command", required=True, parser_class=ArgumentParser)
    p = add("import", cmd_catalog_import, "nạp lại danh mục từ tệp JSON", csub)
    p.add_argument("file", nargs="?")

    p = add("intake", cmd_intake, "tiếp nhận hồ sơ")
    p.add_argument("--procedure", required=True)
    p.add_argument("--name")
    p.add_argument("--id-number")
    p.add_argument("--id-type", default="cccd", help="cccd | cmnd | passport | other")
    p.add_argument("--cccd-qr")
    p.add_argument("--birth-date")
    p.add_argument("--gender")
    p.add_argument("--phone")
    p.add_argument("--address")
    p.add_argument("--received")
    p.add_argument("--officer")
    p.add_argument("--documents")
    p.add_argument("--sets", type=int, default=1)
    p.add_argument("--fee", type=int)
    p.add_argument("--channel", default="direct", help="direct | post | online")

    p = add("show", cmd_show, "xem một hồ sơ và lịch sử")
    p.add_argument("code")

    p = add("event", cmd_event, "thực hiện một thao tác trên hồ sơ")
    p.add_argument("code")
    p.add_argument(
        "action", help=", ".join(a.value for a in Action if a not in (Action.RECEIVE, Action.RESCHEDULE))
    )
    p.add_argument("--at")
    p.add_argument("--reason")
    p.add_argument("--officer")
    p.add_argument("--handler")
    p.add_argument("--rating", help="satisfied | unsatisfied")
    p.add_argument("--comment")
    p.add_argument("--new-due", help="ngày giờ hẹn mới (apologize)")

    p = add("search", cmd_search, "tìm hồ sơ (không dấu, số giấy tờ, mã, điện thoại)")
    p.add_argument("text")
    p.add_argument("--limit", type=int, default=50)

    p = add("due", cmd_due, "hồ sơ đến hạn hôm nay / quá hạn / sắp đến hạn")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--overdue", action="store_true")
    g.add_argument("--within", type=int, metavar="N", help="trong N ngày làm việc tới")

    cal = sub.add_parser("calendar", help="lịch làm việc", parents=[common])
    calsub = cal.add_subparsers(dest="calendar_command", required=True, parser_class=ArgumentParser)
    p = add("add", cmd_calendar_add, "cộng thời gian làm việc", calsub)
    p.add_argument("--start", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--working-days", type=int)
    g.add_argument("--working-hours", type=int)
    p = add("day", cmd_calendar_day, "một ngày có phải ngày làm việc không", calsub)
    p.add_argument("date")
    p = add("adjust", cmd_calendar_adjust, "thêm/bỏ ngày nghỉ, ngày làm bù (quản trị)", calsub)
    p.add_argument("date")
    p.add_argument("--kind", choices=["off", "work"])
    p.add_argument("--name")
    p.add_argument("--source")
    p.add_argument("--officer")
    p.add_argument("--remove", action="store_true")

    add("list", cmd_calendar_list, "các ngày điều chỉnh lịch đang áp dụng", calsub)
    p = add("import", cmd_calendar_import, "nạp thông báo nghỉ lễ, hoán đổi ngày làm việc (tệp JSON)", calsub)
    p.add_argument("file")
    p.add_argument("--officer")

    p = add("settings", cmd_settings, "xem hoặc đặt thiết lập: settings [KEY VALUE]")
    p.add_argument("key", nargs="?")
    p.add_argument("value", nargs="?")
    p.add_argument("--officer")

    p = add("print", cmd_print, "in một biểu mẫu ra tệp PDF")
    p.add_argument(
        "form", choices=["receipt", "supplement", "refusal", "apology", "stop", "control", "register"]
    )
    p.add_argument("code", nargs="?")
    p.add_argument("--out", required=True)
    p.add_argument("--paper", choices=["a4", "a5", "80mm"])
    p.add_argument("--copies", type=int, choices=[1, 2])
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")

    p = add("parse-cccd", cmd_parse_cccd, "đọc và kiểm tra chuỗi QR của thẻ căn cước")
    p.add_argument("text", help="chuỗi QR, hoặc - để đọc từ stdin")

    p = add("backup", cmd_backup, "sao lưu trực tuyến ra tệp")
    p.add_argument("file")
    p = add("restore", cmd_restore, "khôi phục từ tệp sao lưu")
    p.add_argument("file")
    add("verify", cmd_verify, "kiểm tra toàn vẹn và chuỗi nhật ký")
    add("stats", cmd_stats, "số liệu cho hỗ trợ kỹ thuật")
    add("rebuild", cmd_rebuild, "dựng lại bảng hồ sơ từ nhật ký sự kiện")

    from counter_app.cli import attach_commands, report_commands, sync_commands

    sync_commands.register(sub, add)
    report_commands.register(sub, add)
    attach_commands.register(sub, add)

    p = add("demo", cmd_demo, "tạo hồ sơ trình diễn")
    p.add_argument("--dossiers", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--days", type=int, help="trải đều trong N ngày gần nhất (mặc định theo số hồ sơ)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.db = getattr(args, "db", None)
        args.json = getattr(args, "json", False)
        args.func(args)
        return 0
    except SystemExit as exc:
        return int(exc.code or 0)
    except DomainError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `counter-admin … | head`: the reader left, which is not our failure
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Đã dừng.", file=sys.stderr)
        return 130
    except Exception as exc:  # the promise: never a traceback on the terminal
        log_file = support_log.log_unexpected(exc)
        print(f"Lỗi không mong đợi ({type(exc).__name__}); chi tiết ghi ở {log_file}.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
