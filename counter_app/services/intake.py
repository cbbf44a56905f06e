"""Intake: the dossier is validated, numbered, dated and stored in one transaction, or not at all."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TypeVar
from weakref import WeakKeyDictionary

from counter_app.domain.calendar import WorkingCalendar
from counter_app.domain.codes import format_code
from counter_app.domain.deadlines import PauseMode, compute_due
from counter_app.domain.errors import DomainError, NotFoundError, ValidationError
from counter_app.domain.hlc import Timestamp
from counter_app.domain.identity import CccdQr, IdType, check_cccd, normalize_id_number, parse_cccd_qr
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import Action, Dossier, Event
from counter_app.domain.procedures import Procedure
from counter_app.domain.scan_damage import qr_damage
from counter_app.domain.text import nfc
from counter_app.printing.formsets import DEFAULT_FORM_SET
from counter_app.services.changes import DOSSIERS, reports
from counter_app.services.context import DEFAULT_AGENCY_CODE, Counter
from counter_app.services.officers import default_officer, require
from counter_app.store import dossiers as dossier_store
from counter_app.store import procedures as procedure_store

CHANNELS = {
    "direct": "Trực tiếp tại Bộ phận một cửa",
    "post": "Qua dịch vụ bưu chính",
    "online": "Trực tuyến",
}
PHONE_RE = re.compile(r"^(0|\+84)\d{9,10}$")
MAX_NAME = 100
MAX_ADDRESS = 300
FUTURE_TOLERANCE = timedelta(minutes=5)
T = TypeVar("T")
# The settings an intake transaction needs, read together with the chain's last link.
_INTAKE_SETTINGS = ("slot", "agency_code", "device_id", "pause_mode", "hlc")


@dataclass
class IntakeRequest:
    """What the officer typed or scanned. Strings as typed; the service cleans and checks them."""

    procedure_code: str
    name: str = ""
    id_number: str = ""
    id_type: str = IdType.CCCD.value
    cccd_qr: str | None = None
    birth_date: date | None = None
    gender: str | None = None
    phone: str = ""
    address: str = ""
    documents: Sequence[int] | None = None  # indexes into the procedure's checklist; None = all required
    counts: dict[int, tuple[int, int]] | None = None  # index -> (originals, copies) actually handed over
    sets: int = 1
    fee: int | None = None
    channel: str = "direct"
    received_at: datetime | None = None
    officer: str | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class IntakeResult:
    dossier: Dossier
    event: Event
    procedure: Procedure


class IntakeRefused(ValidationError):
    """Several things are wrong at once: the officer sees each under its own field.

    It reads as its first problem (message, field, code), so callers that show one line still work.
    """

    def __init__(self, problems: Sequence[DomainError]) -> None:
        first = problems[0]
        super().__init__(first.message, code=first.code, field=first.field)
        self.problems = list(problems)


def problems_of(exc: DomainError) -> list[DomainError]:
    """Every problem an intake refusal carries (one for a plain error)."""
    return list(getattr(exc, "problems", [exc]))


class _Collector:
    """Runs independent checks and keeps every ValidationError instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[DomainError] = []

    def __call__(self, check: Callable[[], T]) -> T | None:
        try:
            return check()
        except ValidationError as exc:
            self.problems.append(exc)
            return None

    def raise_any(self) -> None:
        if len(self.problems) == 1:
            raise self.problems[0]
        if self.problems:
            raise IntakeRefused(self.problems)


def _check_name(name: str) -> str:
    if not name:
        raise ValidationError("Họ tên người nộp hồ sơ không được để trống.", field="name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"Họ tên dài quá {MAX_NAME} ký tự.", field="name")
    if any(ch.isdigit() for ch in name):
        raise ValidationError("Họ tên không được chứa chữ số.", field="name")
    return name


def _check_birth(birth: date | None, today: date) -> date | None:
    if birth is not None:
        if birth > today:
            raise ValidationError(f"Ngày sinh {birth:%d/%m/%Y} ở tương lai.", field="birth_date")
        if birth.year < 1900:
            raise ValidationError(f"Ngày sinh {birth:%d/%m/%Y} không hợp lệ.", field="birth_date")
    return birth


def _check_id(id_type: str, id_number: str, today: date) -> tuple[IdType, str]:
    try:
        id_kind = IdType(id_type)
    except ValueError:
        raise ValidationError(f"Loại giấy tờ tùy thân «{id_type}» không hợp lệ.", field="id_type") from None
    if not id_number:
        raise ValidationError("Số giấy tờ tùy thân không được để trống.", field="id_number")
    return id_kind, normalize_id_number(id_kind, id_number, today=today)


def _check_address(address: str) -> str:
    if len(address) > MAX_ADDRESS:
        raise ValidationError(f"Địa chỉ dài quá {MAX_ADDRESS} ký tự.", field="address")
    return address


def _check_phone(raw: str) -> str:
    phone = re.sub(r"[\s.\-]", "", raw or "")
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(
            f"Số điện thoại «{raw}» không hợp lệ (10–11 chữ số, bắt đầu bằng 0).", field="phone"
        )
    return phone


def _card(req: IntakeRequest, name: str, id_number: str, today: date) -> CccdQr:
    assert req.cccd_qr
    damage = qr_damage(req.cccd_qr)
    if damage is not None:  # a half-decoded identity is never saved, whichever way it arrived
        raise ValidationError(
            f"Mã QR thẻ căn cước bị mất chữ trên đường truyền: {damage}. Hãy quét lại hoặc nhập tay.",
            field="qr",
            code="qr_damaged",
        )
    card = parse_cccd_qr(req.cccd_qr, today=today)
    if name and nfc(name).casefold() != card.name.casefold():
        raise ValidationError(f"Họ tên nhập tay «{name}» khác họ tên trên thẻ «{card.name}».", field="name")
    if id_number and id_number.replace(" ", "") != card.id_number:
        raise ValidationError("Số định danh nhập tay khác số trên thẻ căn cước vừa quét.", field="id_number")
    return card


def applicant_problems(req: IntakeRequest, today: date) -> tuple[dict, list[DomainError]]:
    """The applicant as it will be stored, and every problem with it (all fields checked)."""
    check = _Collector()
    name, id_number, id_type = nfc(req.name), req.id_number.strip(), req.id_type
    birth, gender, address = req.birth_date, req.gender, nfc(req.address)
    from_card: list[str] = []
    if req.cccd_qr:
        card = check(lambda: _card(req, name, id_number, today))
        if card is None:
            return {}, check.problems
        name, id_number, id_type = card.name, card.id_number, IdType.CCCD.value
        birth, gender = card.birth_date, card.gender
        address = address or card.address
        from_card = ["name", "id_number", "birth_date", "gender", "address"]
    check(lambda: _check_name(name))
    checked_id = check(lambda: _check_id(id_type, id_number, today))
    birth_ok = check(lambda: _check_birth(birth, today)) is not None or birth is None
    if checked_id is not None and birth_ok and checked_id[0] == IdType.CCCD:
        check(lambda: check_cccd(checked_id[1], birth_date=birth, gender=gender, today=today))
    check(lambda: _check_address(address))
    phone = check(lambda: _check_phone(req.phone))
    applicant = {
        "name": name,
        "id_type": checked_id[0].value if checked_id else id_type,
        "id_number": checked_id[1] if checked_id else id_number,
        "birth_date": birth.isoformat() if birth else None,
        "gender": gender,
        "phone": phone or "",
        "address": address,
        "from_card": from_card,
    }
    return applicant, check.problems


def _applicant(req: IntakeRequest, today: date) -> dict:
    """The applicant as stored; raises its first problem."""
    applicant, problems = applicant_problems(req, today)
    if problems:
        raise problems[0]
    return applicant


def _documents(
    procedure: Procedure, chosen: Sequence[int] | None, counts: dict[int, tuple[int, int]] | None = None
) -> list[dict]:
    checklist = procedure.documents
    if chosen is None:
        picked = [i for i, d in enumerate(checklist) if d.required]
    else:
        picked = sorted(set(chosen))
        bad = [i for i in picked if not 0 <= i < len(checklist)]
        if bad:
            raise ValidationError(
                f"Giấy tờ số {', '.join(str(i + 1) for i in bad)} không có trong danh mục của thủ tục.",
                field="documents",
            )
    missing = [d.name for i, d in enumerate(checklist) if d.required and i not in picked]
    if missing:
        raise ValidationError(
            "Hồ sơ chưa đủ giấy tờ bắt buộc: "
            + "; ".join(missing)
            + ". Hãy hướng dẫn công dân bổ sung (Mẫu 02).",
            field="documents",
            code="missing_documents",
        )
    out = []
    for i in picked:
        entry = {"index": i, **checklist[i].to_dict()}
        if counts and i in counts:
            original, copy = counts[i]
            if not (0 <= original <= 99 and 0 <= copy <= 99) or original + copy == 0:
                raise ValidationError(
                    f"Số bản của «{checklist[i].name}» phải từ 0 đến 99 và có ít nhất một bản.",
                    field="documents",
                )
            entry.update(original=original, copy=copy)
        out.append(entry)
    return out


_FINGERPRINTS: WeakKeyDictionary[WorkingCalendar, str] = WeakKeyDictionary()


def _fingerprint(calendar: WorkingCalendar) -> str:
    """The calendar's fingerprint, hashed once per calendar: a change builds a new calendar
    (Counter.reload_calendar), and hashing it at every intake was ~30 µs of its own work."""
    found = _FINGERPRINTS.get(calendar)
    if found is None:
        found = _FINGERPRINTS[calendar] = calendar.fingerprint()
    return found


@reports(DOSSIERS)
def intake(counter: Counter, req: IntakeRequest) -> IntakeResult:
    now = counter.now()
    officer = require(counter, req.officer, Action.RECEIVE) if req.officer else None
    if officer is None:
        officer = default_officer(counter)
    check = _Collector()
    procedure = procedure_store.get(counter.store, req.procedure_code or "")
    if procedure is None:
        check.problems.append(
            NotFoundError(
                f"Không tìm thấy thủ tục có mã «{req.procedure_code}» trong danh mục.", field="procedure"
            )
        )
    received_at = (req.received_at or now).replace(microsecond=0)
    if received_at > now + FUTURE_TOLERANCE:
        check.problems.append(
            ValidationError(
                f"Thời điểm tiếp nhận {received_at:%H:%M %d/%m/%Y} ở tương lai.", field="received_at"
            )
        )
    applicant, problems = applicant_problems(req, now.date())
    check.problems.extend(problems)
    documents = check(lambda: _documents(procedure, req.documents, req.counts)) if procedure else None
    if req.channel not in CHANNELS:
        check.problems.append(
            ValidationError(
                f"Hình thức nộp «{req.channel}» không hợp lệ (direct, post, online).", field="channel"
            )
        )
    if not 1 <= req.sets <= 99:
        check.problems.append(ValidationError("Số bộ hồ sơ phải từ 1 đến 99.", field="sets"))
    fee = req.fee if req.fee is not None else (procedure.fee if procedure else 0)
    if fee < 0:
        check.problems.append(ValidationError("Phí, lệ phí không được âm.", field="fee"))
    check.raise_any()
    assert procedure is not None and documents is not None
    with counter.store.atomic() as conn:
        # Everything the transaction reads, in one statement (was one per setting, 22 statements in all).
        values, last_chain = dossier_store.settings_and_last_chain(conn, _INTAKE_SETTINGS)
        slot = int(values.get("slot") or 0)
        pause_mode = PauseMode(values.get("pause_mode") or PauseMode.PAUSE_RESUME.value)
        due = compute_due(counter.calendar, received_at, procedure.processing, (), pause_mode)
        number = dossier_store.next_number(conn, received_at.date(), slot)
        code = format_code(values.get("agency_code") or DEFAULT_AGENCY_CODE, received_at.date(), slot, number)
        # As Counter.next_hlc, but the stamp is written with the chain head in one statement.
        if values.get("hlc"):
            counter.clock.advance_to(Timestamp.decode(values["hlc"]))
        stamp = counter.clock.tick().encode()
        event = Event(
            id=uuid7(),
            dossier_id=uuid7(),
            seq=1,
            action=Action.RECEIVE,
            at=received_at,
            hlc=stamp,
            officer=officer.username,
            device_id=values.get("device_id") or "",
            payload={
                "code": code,
                "procedure": {
                    "code": procedure.code,
                    "name": procedure.name,
                    "field": procedure.field,
                    "processing": procedure.processing.to_dict(),
                },
                "applicant": applicant,
                "documents": documents,
                "sets": req.sets,
                "fee": fee,
                "channel": req.channel,
                "due_at": due.isoformat(timespec="seconds") if due else None,
                "calendar": _fingerprint(counter.calendar),
                "note": nfc(req.note),
                "form_set": DEFAULT_FORM_SET,  # reprints keep the rules the dossier was received under
                # Printed in the receipt's QR link so the citizen can check the state without logging in.
                "status_token": secrets.token_urlsafe(12),
            },
        )
        dossier = dossier_store.insert_new(conn, event, last_chain=last_chain, settings={"hlc": stamp})
    return IntakeResult(dossier, event, procedure)
