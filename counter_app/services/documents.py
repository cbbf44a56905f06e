"""Paper for a dossier: gathers the stored facts into the printing core's plain data and builds the PDF.

Everything printed comes from the event log and settings, so "print again" reproduces the same
document, and a dossier received under the 2018 rules reprints under them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter_app.domain.deadlines import ProcessingTime, half_day
from counter_app.domain.errors import NotFoundError, ValidationError
from counter_app.domain.lifecycle import Action, Dossier, Event
from counter_app.printing import (
    FORMS,
    Agency,
    ApologyData,
    ControlData,
    ControlStep,
    DocumentItem,
    ReceiptData,
    RefusalData,
    RegisterData,
    RegisterRow,
    Signer,
    StopData,
    SupplementData,
    build_pdf,
)
from counter_app.services.context import Counter
from counter_app.services.intake import CHANNELS
from counter_app.services.settings import DEFAULTS
from counter_app.store import dossiers as dossier_store
from counter_app.store import officers as officer_store

# Nghị định 118/2025/NĐ-CP took effect on 1/7/2025: dossiers received before keep the 2018 form set.
NEW_RULES_FROM = date(2025, 7, 1)
RESULT_WORDS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
RETURN_PLACES = {
    "direct": "Bộ phận tiếp nhận và trả kết quả",
    "post": "Qua dịch vụ bưu chính công ích",
    "online": "Trực tuyến (qua tài khoản dịch vụ công)",
}


@dataclass(frozen=True)
class Printed:
    form: str
    code: str
    pdf: bytes
    filename: str
    printer: str = ""  # the printer set for this kind of paper ("" = the default printer)


def _setting(counter: Counter, key: str) -> str:
    return counter.store.get_setting(key) or DEFAULTS.get(key, "")


def agency(counter: Counter) -> Agency:
    return Agency(
        parent_name=_setting(counter, "parent_name").upper(),
        name=counter.agency_name.upper(),
        unit_name=_setting(counter, "unit_name").upper(),
        place=_setting(counter, "place"),
        phone=_setting(counter, "counter_phone"),
        hotline=_setting(counter, "hotline"),
    )


def form_set_of(receive: Event, dossier: Dossier) -> str:
    explicit = receive.payload.get("form_set")
    if explicit:
        return explicit
    return "tt01_2018" if dossier.received_at.date() < NEW_RULES_FROM else "tt03_2025"


def _officer_name(counter: Counter, username: str) -> str:
    officer = officer_store.get(counter.store, username)
    return officer.full_name if officer else username


def _last(events: list[Event], action: Action) -> Event | None:
    return next((e for e in reversed(events) if e.action == action), None)


def _need(event: Event | None, what: str, code: str) -> Event:
    if event is None:
        raise ValidationError(
            f"Hồ sơ {code} chưa có {what} nên chưa in được phiếu này.", code="nothing_to_print"
        )
    return event


def _signer(counter: Counter) -> Signer:
    title = _setting(counter, "leader_title").upper()
    return Signer(
        title=title,
        capacity="TM. ỦY BAN NHÂN DÂN" if title == "CHỦ TỊCH" else "",
        name=_setting(counter, "leader_name"),
    )


def form_data(counter: Counter, form: str, dossier: Dossier, events: list[Event]) -> object:
    """The printing core's data class for ``form`` of this dossier."""
    receive = events[0]
    p = receive.payload
    applicant = p["applicant"]
    ag = agency(counter)
    code = dossier.code
    address = applicant.get("address", "")
    phone = applicant.get("phone", "")
    if form == "receipt":
        processing = ProcessingTime.from_dict(p["procedure"]["processing"])
        due = dossier.original_due_at or dossier.due_at
        assert due is not None
        token = p.get("status_token")
        base = counter.store.get_setting("status_base_url")
        return ReceiptData(
            code=code,
            agency=ag,
            applicant_name=dossier.applicant_name,
            id_number=dossier.id_number,
            address=address,
            phone=phone,
            email="",
            procedure_name=dossier.procedure_name,
            procedure_code=dossier.procedure_code,
            documents=tuple(
                DocumentItem(d["name"], d["original"], d["copy"]) for d in p.get("documents", [])
            ),
            sets=dossier.sets,
            processing_text=processing.describe_vi(),
            received_at=dossier.received_at,
            due_at=due,
            half_day=half_day(counter.calendar, due),
            return_channel=RETURN_PLACES.get(dossier.channel, CHANNELS.get(dossier.channel, "")),
            fee=dossier.fee,
            officer_name=_officer_name(counter, receive.officer),
            register_book=f"{dossier.received_at.year}",
            register_line=str(dossier_store.position_in_year(counter.store, dossier)),
            status_url=f"{base}/{code}?t={token}" if base and token else None,
        )
    if form == "supplement":
        ask = _need(_last(events, Action.REQUEST_SUPPLEMENT), "yêu cầu bổ sung", code)
        items = tuple(
            line.strip(" -•") for line in ask.payload.get("reason", "").splitlines() if line.strip()
        )
        return SupplementData(
            agency=ag, applicant_name=dossier.applicant_name, address=address, phone=phone, email="",
            procedure_name=dossier.procedure_name, procedure_code=dossier.procedure_code, items=items,
            officer_name=_officer_name(counter, ask.officer), issued_at=ask.at, code=code,
        )  # fmt: skip
    if form == "refusal":
        refuse = _need(_last(events, Action.REFUSE), "quyết định từ chối", code)
        return RefusalData(
            agency=ag, applicant_name=dossier.applicant_name, address=address, phone=phone, email="",
            procedure_name=dossier.procedure_name, procedure_code=dossier.procedure_code,
            reason=refuse.payload.get("reason", ""), officer_name=_officer_name(counter, refuse.officer),
            issued_at=refuse.at, code=code,
        )  # fmt: skip
    if form == "apology":
        sorry = _need(_last(events, Action.APOLOGIZE), "văn bản xin lỗi, hẹn lại", code)
        previous = [e for e in events if e.seq < sorry.seq and e.payload.get("due_at")]
        original = (
            datetime.fromisoformat(previous[-1].payload["due_at"]) if previous else dossier.original_due_at
        )
        new_due = datetime.fromisoformat(sorry.payload["due_at"])
        return ApologyData(
            code=code, agency=ag, applicant_name=dossier.applicant_name, address=address,
            procedure_name=dossier.procedure_name, procedure_code=dossier.procedure_code,
            received_at=dossier.received_at, original_due=original or new_due, new_due=new_due,
            new_half_day=half_day(counter.calendar, new_due), reason=sorry.payload.get("reason", ""),
            issued_at=sorry.at, signer=_signer(counter),
        )  # fmt: skip
    if form == "stop":
        stop = _need(_last(events, Action.STOP), "quyết định dừng giải quyết", code)
        return StopData(
            code=code, agency=ag, applicant_name=dossier.applicant_name, address=address,
            procedure_name=dossier.procedure_name, procedure_code=dossier.procedure_code,
            received_at=dossier.received_at, reason=stop.payload.get("reason", ""), issued_at=stop.at,
            signer=_signer(counter),
        )  # fmt: skip
    if form == "control":
        return _control(counter, dossier, events, ag)
    raise ValidationError(f"Không có mẫu «{form}». Các mẫu: {', '.join(FORMS)}.", field="form")


def _control(counter: Counter, dossier: Dossier, events: list[Event], ag: Agency) -> ControlData:
    """The hand-over chain: counter → handling officer → back to the counter with the result."""
    counter_unit = "Bộ phận tiếp nhận và trả kết quả"
    steps: list[ControlStep] = []
    holder = counter_unit
    for e in events:
        if e.action == Action.TRANSFER:
            target = e.payload.get("handler") or "Công chức chuyên môn"
            steps.append(
                ControlStep(holder, target, e.at, e.at, giver_name=_officer_name(counter, e.officer))
            )
            holder = target
        elif e.action == Action.READY and holder != counter_unit:
            result = RESULT_WORDS.get(dossier.result_class.value if dossier.result_class else "", "")
            steps.append(ControlStep(holder, counter_unit, e.at, e.at, result=result))
            holder = counter_unit
    due = dossier.original_due_at or dossier.due_at or dossier.received_at
    return ControlData(
        code=dossier.code,
        agency=ag,
        applicant_name=dossier.applicant_name,
        procedure_name=dossier.procedure_name,
        received_at=dossier.received_at,
        due_at=due,
        handling_agency=counter.agency_name,
        steps=tuple(steps),
        blank_steps=2 if dossier.is_open else 0,
    )


def print_dossier_form(
    counter: Counter, form: str, code: str, *, paper: str | None = None, copies: int | None = None
) -> Printed:
    """Build one of a dossier's forms as PDF bytes (paper and copies default to the counter's settings)."""
    dossier = dossier_store.get_by_code(counter.store, code)
    if dossier is None:
        raise NotFoundError(f"Không tìm thấy hồ sơ mã «{code.strip()}».", field="code")
    if form == "register":
        raise ValidationError(
            "Sổ theo dõi hồ sơ in theo kỳ (từ ngày … đến ngày …), không theo một hồ sơ.", field="form"
        )
    events = dossier_store.events_of(counter.store, dossier)
    data = form_data(counter, form, dossier, events)
    if paper is None:
        paper = _setting(counter, "receipt_paper" if form == "receipt" else "forms_paper")
    if copies is None:
        copies = int(_setting(counter, "receipt_copies") or 1) if form == "receipt" else 1
    pdf = build_pdf(form, data, paper=paper, form_set=form_set_of(events[0], dossier), copies=copies)
    printer = _setting(counter, "receipt_printer" if form == "receipt" else "forms_printer")
    return Printed(form, dossier.code, pdf, f"{dossier.code}-{form}.pdf", printer)


def print_register(counter: Counter, start: date, end: date) -> Printed:
    """Sổ theo dõi hồ sơ for a period, A4 landscape, in order of receipt."""
    if end < start:
        raise ValidationError("Ngày kết thúc phải sau ngày bắt đầu.", field="to")
    dossiers = dossier_store.received_between(counter.store, start, end)
    transferred = dossier_store.first_action_at(
        counter.store, [d.id for d in dossiers], Action.TRANSFER.value
    )
    rows = tuple(
        RegisterRow(
            code=d.code,
            procedure_name=d.procedure_name,
            sets=d.sets,
            applicant_name=d.applicant_name,
            address_phone=", ".join(x for x in (d.address, d.phone) if x),
            handling_agency=counter.agency_name,
            received_at=d.received_at,
            due_at=d.original_due_at or d.due_at or d.received_at,
            transferred_at=transferred.get(d.id),
            result_at=d.finished_at,
            returned_at=d.returned_at,
        )
        for d in dossiers
    )
    data = RegisterData(
        agency=agency(counter), period_from=start, period_to=end, rows=rows, book=str(start.year)
    )
    pdf = build_pdf("register", data, paper="a4")
    return Printed("register", "", pdf, f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf")
