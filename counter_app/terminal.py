"""The terminal counter: intake, search, the due list, results ready, returns and reprints on a console.

``counter-app`` runs it when there is no display (a server console, an SSH session) or with
``--terminal``; it does the same work as the window through the same services.

Every answer is checked as soon as it is given, by the same domain and service rules the intake
uses, and a refused answer asks the same question again with the Vietnamese message. Ctrl+C at
a question cancels the task in hand and comes back to the menu; Ctrl+C or end of input at the
menu (or end of input anywhere) ends the program calmly.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from counter_app import paths
from counter_app.cli.output import money, state_label, vn_datetime
from counter_app.domain.deadlines import half_day
from counter_app.domain.errors import DomainError, ValidationError
from counter_app.domain.identity import looks_like_cccd_qr, parse_cccd_qr
from counter_app.domain.lifecycle import Action, Dossier, check_transition
from counter_app.domain.procedures import Procedure
from counter_app.services import actions, documents, officers, queries, support_log
from counter_app.services.context import Counter
from counter_app.services.intake import CHANNELS, IntakeRequest, intake

# The intake's own applicant checks, run on the answers given so far (there is no public
# per-field entry point yet); the terminal never restates a rule of its own.
from counter_app.services.intake import _applicant as check_applicant

T = TypeVar("T")

YES = frozenset({"c", "có", "co", "y", "yes"})
NO = frozenset({"k", "không", "khong", "n", "no"})
# The forms a dossier can reprint, by the word `counter-admin print` takes (the register is by period).
FORMS = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)",
    "apology": "Văn bản xin lỗi (Mẫu 04)",
    "stop": "Thông báo dừng giải quyết hồ sơ (Mẫu 05)",
    "control": "Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)",
}
CANCELLED = "Đã hủy việc đang làm (những gì đã lưu vẫn giữ nguyên); quay về menu."
GOODBYE = "Đã thoát."
LOGIN_TRIES = 3


def _ask(prompt: str, *, secret: bool = False) -> str:
    """One answer; KeyboardInterrupt (Ctrl+C) and EOFError go up to the task or the menu."""
    if secret and sys.stdin.isatty():
        return getpass.getpass(prompt).strip()
    return input(prompt).strip()


def _ask_until(prompt: str, check: Callable[[str], T]) -> T:
    """Ask until ``check`` accepts the answer; its DomainError's message says what to correct."""
    while True:
        answer = _ask(prompt)
        try:
            return check(answer)
        except DomainError as exc:
            print(f"  {exc.message}")


def _yes_no(prompt: str, default: bool | None = None) -> bool:
    def check(answer: str) -> bool:
        word = answer.lower()
        if not word and default is not None:
            return default
        if word in YES:
            return True
        if word in NO:
            return False
        raise ValidationError("Gõ c (có) hoặc k (không).")

    return _ask_until(prompt, check)


def _applicant_error(req: IntakeRequest, today: date, fields: set[str] | None) -> None:
    """Raise the intake's ValidationError when it concerns one of ``fields`` (None: any).

    Questions not asked yet are still empty, so their errors (an empty ID number while asking for
    the name) are not the answer's fault and are ignored here; the intake checks them all again."""
    try:
        check_applicant(req, today)
    except ValidationError as exc:
        if fields is None or exc.field in fields:
            raise


def _choose_procedure(counter: Counter) -> Procedure:
    while True:
        text = _ask("Tìm thủ tục (gõ không dấu, ví dụ «khai sinh»): ")
        if not text:
            print("  Chưa nhập tên thủ tục.")
            continue
        found = queries.search_procedures(counter, text, limit=9)
        if not found:
            print("  Không có thủ tục phù hợp; gõ cách khác.")
            continue
        for i, p in enumerate(found, 1):
            print(f"  {i}. {p.name} [{p.field}; {p.processing.describe_vi()}]")

        def pick(answer: str, found: list[Procedure] = found) -> Procedure | None:
            if answer == "0":
                return None
            if answer.isascii() and answer.isdigit() and 1 <= int(answer) <= len(found):
                return found[int(answer) - 1]
            raise ValidationError(f"Lựa chọn không hợp lệ: gõ một số từ 1 đến {len(found)} (0 để tìm lại).")

        chosen = _ask_until("Chọn số (0 để tìm lại): ", pick)
        if chosen is not None:
            return chosen


def _applicant(counter: Counter, req: IntakeRequest) -> IntakeRequest:
    """The applicant's answers, each checked as it is given."""
    today = counter.now().date()

    def first(answer: str) -> IntakeRequest:
        if looks_like_cccd_qr(answer):
            card = parse_cccd_qr(answer, today=today)
            got = replace(req, cccd_qr=answer)
            _applicant_error(got, today, None)
            print(
                f"  Từ thẻ căn cước: {card.name}, số {card.id_number}, sinh ngày {card.birth_date:%d/%m/%Y}"
            )
            return got
        got = replace(req, name=answer)
        _applicant_error(got, today, {"name"})
        return got

    req = _ask_until("Quét QR thẻ căn cước, hoặc gõ họ tên: ", first)
    if not req.cccd_qr:

        def id_number(answer: str) -> IntakeRequest:
            got = replace(req, id_number=answer)
            _applicant_error(got, today, {"id_number", "id_type"})
            return got

        req = _ask_until("Số định danh (CCCD 12 số): ", id_number)

    def phone(answer: str) -> IntakeRequest:
        got = replace(req, phone=answer)
        _applicant_error(got, today, {"phone"})
        return got

    return _ask_until("Số điện thoại (có thể bỏ trống): ", phone)


def _save_pdf(printed: documents.Printed, what: str) -> Path:
    """Write the PDF where the officer says (Enter: the data folder's ``in``) and say where it is."""
    default = paths.data_dir() / "in" / printed.filename
    while True:
        answer = _ask(f"Lưu tệp PDF vào (Enter: {default}; hoặc gõ đường dẫn khác): ")
        target = Path(os.path.expanduser(answer)) if answer else default
        if target.is_dir():
            target = target / printed.filename
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(printed.pdf)
        except OSError as exc:
            print(f"  Không ghi được tệp {target}: {exc.strerror or exc}. Gõ đường dẫn khác.")
            continue
        print(f"Đã lưu {what}: {target.resolve()}")
        print("  Mở tệp này để xem và in.")
        return target


def do_intake(counter: Counter, officer: str) -> None:
    procedure = _choose_procedure(counter)
    req = _applicant(counter, IntakeRequest(procedure_code=procedure.code, officer=officer))
    for i, d in enumerate(procedure.documents, 1):
        print(f"  Giấy tờ {i}: {d.name}{'' if d.required else ' (nếu có)'}")
    print(f"  Lệ phí: {money(procedure.fee)}; hình thức: {CHANNELS['direct']}")
    if not _yes_no("Đã nhận đủ giấy tờ bắt buộc? (c/k): "):
        print("Chưa tiếp nhận: hãy hướng dẫn công dân bổ sung hồ sơ (Mẫu 02).")
        return
    result = intake(counter, req)
    d = result.dossier
    print(f"ĐÃ TIẾP NHẬN: {d.code} — {d.applicant_name}")
    if d.due_at:
        print(f"Hẹn trả kết quả: {vn_datetime(d.due_at)} (buổi {half_day(counter.calendar, d.due_at)})")
    if _yes_no("In giấy tiếp nhận và hẹn trả kết quả? (c/k, Enter: c): ", default=True):
        _save_pdf(documents.print_dossier_form(counter, "receipt", d.code), "giấy tiếp nhận")
    else:
        print(f"  In sau bằng mục «In lại giấy tờ» với mã {d.code}.")


def _dossier_for(counter: Counter, prompt: str, action: Action | None = None) -> Dossier:
    """A dossier by its scanned or typed code, re-asked until it exists (and allows ``action``)."""

    def check(answer: str) -> Dossier:
        if not answer:
            raise ValidationError("Chưa nhập mã hồ sơ.")
        dossier = actions.find(counter, answer)
        if action is not None:
            check_transition(dossier, action, counter.now())
        return dossier

    return _ask_until(prompt, check)


def do_search(counter: Counter) -> None:
    found = queries.search_dossiers(counter, _ask("Tìm (tên, số giấy tờ, mã hồ sơ, điện thoại): "), limit=20)
    if not found:
        print("  Không tìm thấy hồ sơ nào.")
    for d in found:
        print(f"  {d.code}  {d.applicant_name:26} {state_label(d.state):22} hạn {vn_datetime(d.due_at)}")


def do_due(counter: Counter) -> None:
    print(f"Quá hạn: {queries.count_overdue(counter)} hồ sơ")
    for d in queries.due_within(counter, 1):
        print(f"  {d.code}  hạn {vn_datetime(d.due_at)}  {d.applicant_name}  {d.procedure_name}")


def do_ready(counter: Counter, officer: str) -> None:
    dossier = _dossier_for(counter, "Quét mã vạch trên giấy hẹn, hoặc gõ mã hồ sơ: ", Action.READY)
    d = actions.perform(counter, actions.ActionRequest(code=dossier.code, action="ready", officer=officer))
    print(f"Hồ sơ {d.code} — {d.applicant_name}: {state_label(d.state)}.")


def do_return(counter: Counter, officer: str) -> None:
    dossier = _dossier_for(counter, "Quét mã vạch trên giấy hẹn: ", Action.RETURN)

    def rating(answer: str) -> str | None:
        word = answer.lower()
        if word in YES:
            return "satisfied"
        if word in NO:
            return "unsatisfied"
        if word in ("", "b", "bỏ qua", "bo qua"):
            return None
        raise ValidationError("Gõ c (hài lòng), k (không hài lòng) hoặc Enter để bỏ qua.")

    value = _ask_until("Công dân hài lòng? (c/k, Enter: bỏ qua): ", rating)
    d = actions.perform(
        counter, actions.ActionRequest(code=dossier.code, action="return", officer=officer, rating=value)
    )
    print(f"Đã trả kết quả hồ sơ {d.code}.")


def do_reprint(counter: Counter) -> None:
    dossier = _dossier_for(counter, "Quét mã vạch hoặc gõ mã hồ sơ cần in lại: ")
    for word, label in FORMS.items():
        print(f"  {word:10} {label}")

    def build(answer: str) -> documents.Printed:
        word = (answer or "receipt").lower()
        if word not in FORMS:
            raise ValidationError(f"Không có giấy tờ «{answer}»: gõ một trong {', '.join(FORMS)}.")
        return documents.print_dossier_form(counter, word, dossier.code)

    printed = _ask_until("Giấy tờ cần in (Enter: receipt): ", build)
    _save_pdf(printed, FORMS[printed.form].split(" (")[0].lower())


MENU: dict[str, tuple[str, Callable[[Counter, str], None]]] = {
    "1": ("Tiếp nhận hồ sơ", do_intake),
    "2": ("Tìm hồ sơ", lambda counter, _officer: do_search(counter)),
    "3": ("Hồ sơ đến hạn, quá hạn", lambda counter, _officer: do_due(counter)),
    "4": ("Trả kết quả", do_return),
    "5": ("Có kết quả (sẵn sàng trả)", do_ready),
    "6": ("In lại giấy tờ", lambda counter, _officer: do_reprint(counter)),
}


def _login(counter: Counter) -> officers.Officer | None:
    for _ in range(LOGIN_TRIES):
        username = _ask("Tên đăng nhập: ")
        password = _ask("Mật khẩu: ", secret=True)
        try:
            return officers.login(counter, username, password)
        except DomainError as exc:
            print(f"  {exc.message}")
    return None


def _task(counter: Counter, func: Callable[[Counter, str], None], officer: str) -> None:
    """One menu entry; whatever goes wrong, the menu comes back."""
    try:
        func(counter, officer)
    except KeyboardInterrupt:
        print(f"\n{CANCELLED}")
    except DomainError as exc:
        print(f"Lỗi: {exc.message}")
    except EOFError:
        raise
    except Exception as exc:  # the counter keeps working; support reads the details in the log
        log = support_log.log_unexpected(exc)
        print(f"Lỗi không mong đợi ({type(exc).__name__}); chi tiết ghi ở {log}. Dữ liệu đã lưu vẫn an toàn.")


def terminal(counter: Counter) -> int:
    print(f"Quầy một cửa — {counter.agency_name} (dữ liệu: {counter.store.path})")
    print("  Ctrl+C: hủy việc đang làm; q: thoát.")
    try:
        officer = _login(counter)
    except (KeyboardInterrupt, EOFError):
        print(f"\n{GOODBYE}")
        return 0
    if officer is None:
        print("Đăng nhập không thành công.")
        return 2
    print(f"Xin chào {officer.full_name}. Chế độ ngoại tuyến: mọi việc lưu trên máy này.")
    while True:
        try:
            for key, (label, _) in MENU.items():
                print(f"  {key}. {label}")
            choice = _ask("Chọn (q để thoát): ").lower()
        except (KeyboardInterrupt, EOFError):
            print(f"\n{GOODBYE}")
            return 0
        if choice == "q":
            print(GOODBYE)
            return 0
        if choice not in MENU:
            print(f"  Chọn một số từ 1 đến {len(MENU)}, hoặc q để thoát.")
            continue
        try:
            _task(counter, MENU[choice][1], officer.username)
        except EOFError:
            print(f"\n{GOODBYE}")
            return 0
