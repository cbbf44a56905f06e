"""The terminal counter: intake, search, the due list and returning results on a console.

``counter-app`` runs it when there is no display (a server console, an SSH session) or with
``--terminal``; it does the same work as the window through the same services.
"""

from __future__ import annotations

import getpass
import sys

from counter_app.cli.output import money, state_label, vn_datetime
from counter_app.domain.deadlines import half_day
from counter_app.domain.errors import DomainError
from counter_app.domain.identity import looks_like_cccd_qr
from counter_app.services import actions, officers, queries
from counter_app.services.context import Counter
from counter_app.services.intake import CHANNELS, IntakeRequest, intake


def _ask(prompt: str, *, secret: bool = False) -> str:
    try:
        if secret and sys.stdin.isatty():
            return getpass.getpass(prompt).strip()
        return input(prompt).strip()
    except EOFError:
        raise SystemExit(0) from None


def do_intake(counter: Counter, officer: str) -> None:
    found = queries.search_procedures(
        counter, _ask("Tìm thủ tục (gõ không dấu, ví dụ «khai sinh»): "), limit=9
    )
    if not found:
        print("Không có thủ tục phù hợp.")
        return
    for i, p in enumerate(found, 1):
        print(f"  {i}. {p.name} [{p.field}; {p.processing.describe_vi()}]")
    choice = _ask("Chọn số: ")
    if not choice.isdigit() or not 1 <= int(choice) <= len(found):
        print("Lựa chọn không hợp lệ.")
        return
    procedure = found[int(choice) - 1]
    first = _ask("Quét QR thẻ căn cước, hoặc gõ họ tên: ")
    req = IntakeRequest(procedure_code=procedure.code, officer=officer)
    if looks_like_cccd_qr(first):
        req.cccd_qr = first
    else:
        req.name = first
        req.id_number = _ask("Số định danh (CCCD 12 số): ")
    req.phone = _ask("Số điện thoại (có thể bỏ trống): ")
    for i, d in enumerate(procedure.documents, 1):
        print(f"  Giấy tờ {i}: {d.name}{'' if d.required else ' (nếu có)'}")
    print(f"  Lệ phí: {money(procedure.fee)}; hình thức: {CHANNELS['direct']}")
    if _ask("Đã nhận đủ giấy tờ bắt buộc? (c/k): ").lower() not in ("c", "có", "y"):
        print("Chưa tiếp nhận: hãy hướng dẫn công dân bổ sung hồ sơ (Mẫu 02).")
        return
    result = intake(counter, req)
    d = result.dossier
    print(f"ĐÃ TIẾP NHẬN: {d.code} — {d.applicant_name}")
    if d.due_at:
        print(f"Hẹn trả kết quả: {vn_datetime(d.due_at)} (buổi {half_day(counter.calendar, d.due_at)})")


def do_search(counter: Counter) -> None:
    for d in queries.search_dossiers(
        counter, _ask("Tìm (tên, số giấy tờ, mã hồ sơ, điện thoại): "), limit=20
    ):
        print(f"  {d.code}  {d.applicant_name:26} {state_label(d.state):22} hạn {vn_datetime(d.due_at)}")


def do_due(counter: Counter) -> None:
    print(f"Quá hạn: {queries.count_overdue(counter)} hồ sơ")
    for d in queries.due_within(counter, 1):
        print(f"  {d.code}  hạn {vn_datetime(d.due_at)}  {d.applicant_name}  {d.procedure_name}")


def do_return(counter: Counter, officer: str) -> None:
    code = _ask("Quét mã vạch trên giấy hẹn: ")
    rating = _ask("Công dân hài lòng? (c/k/bỏ qua): ").lower()
    value = {"c": "satisfied", "k": "unsatisfied"}.get(rating)
    d = actions.perform(
        counter, actions.ActionRequest(code=code, action="return", officer=officer, rating=value)
    )
    print(f"Đã trả kết quả hồ sơ {d.code}.")


MENU = {
    "1": ("Tiếp nhận hồ sơ", do_intake),
    "2": ("Tìm hồ sơ", do_search),
    "3": ("Hồ sơ đến hạn, quá hạn", do_due),
    "4": ("Trả kết quả", do_return),
}


def terminal(counter: Counter) -> int:
    path = counter.store.path
    print(f"Quầy một cửa — {counter.agency_name} (dữ liệu: {path})")
    username = _ask("Tên đăng nhập: ")
    password = _ask("Mật khẩu: ", secret=True)
    try:
        officer = officers.login(counter, username, password)
    except DomainError as exc:
        print(exc.message)
        return 2
    print(f"Xin chào {officer.full_name}. Chế độ ngoại tuyến: mọi việc lưu trên máy này.")
    while True:
        for key, (label, _) in MENU.items():
            print(f"  {key}. {label}")
        choice = _ask("Chọn (q để thoát): ")
        if choice.lower() == "q":
            return 0
        if choice not in MENU:
            continue
        func = MENU[choice][1]
        try:
            func(counter, officer.username) if func in (do_intake, do_return) else func(counter)
        except DomainError as exc:
            print(f"Lỗi: {exc.message}")
