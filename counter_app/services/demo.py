"""Realistic demo dossiers, for training, screenshots and the 1,000,000-dossier benchmarks.

Histories are built through the same domain rules as real work (calendar, due dates, lifecycle),
then stored in bulk. Demo events are not put in the sync outbox: they must never reach a server.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from counter_app.domain.codes import MAX_PER_SLOT, format_code
from counter_app.domain.deadlines import Pause, ProcessingTime, compute_due
from counter_app.domain.errors import ValidationError
from counter_app.domain.hlc import Timestamp
from counter_app.domain.identity import PROVINCE_CODES
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import Action, Event
from counter_app.domain.procedures import Procedure
from counter_app.services.context import Counter
from counter_app.services.officers import default_officer
from counter_app.store import dossiers as dossier_store
from counter_app.store import procedures as procedure_store

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Mai",
    "Lương",
]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Xuân", "Công", "Đình", "Quốc"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Kim", "Bích", "Thùy", "Mỹ"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đạt",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Thắng",
    "Tuấn",
    "Việt",
    "Vinh",
]
GIVEN_F = [
    "Anh",
    "Châu",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Ngân",
    "Oanh",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
    "Hằng",
]
HAMLETS = ["Thôn Đông", "Đoài", "Trung Xóm Mới", "Bắc", "Nam Ấp Một Ấp Hai"]
BATCH = 5000


def _person(rng: random.Random, today: date) -> dict:
    female = rng.random() < 0.5
    name = " ".join(
        (
            rng.choice(FAMILY),
            rng.choice(MIDDLE_F if female else MIDDLE_M),
            rng.choice(GIVEN_F if female else GIVEN_M),
        )
    )
    birth = date(rng.randint(1940, min(2008, today.year - 14)), rng.randint(1, 12), rng.randint(1, 28))
    century = (birth.year // 100 - 19) * 2 + (1 if female else 0)
    province = rng.choice(list(PROVINCE_CODES))
    number = f"{province}{century}{birth.year % 100:02d}{rng.randint(0, 999_999):06d}"
    return {
        "name": name,
        "id_type": "cccd",
        "id_number": number,
        "birth_date": birth.isoformat(),
        "gender": "Nữ" if female else "Nam",
        "phone": f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.7 else "",
        "address": f"Thôn {rng.choice(HAMLETS).replace('Thôn ', '')}, xã Mẫu",
        "from_card": [],
    }


def _history(
    counter: Counter,
    rng: random.Random,
    procedure: Procedure,
    received: datetime,
    code: str,
    officer: str,
    now: datetime,
) -> list[Event]:
    cal, device = counter.calendar, counter.device_id
    dossier_id = uuid7(int(received.timestamp() * 1000))
    events: list[Event] = []

    def add(action: Action, at: datetime, payload: dict | None = None) -> None:
        ms = int(at.timestamp() * 1000)
        events.append(
            Event(
                uuid7(ms),
                dossier_id,
                len(events) + 1,
                action,
                at,
                Timestamp(ms, len(events)).encode(),
                officer,
                device,
                payload or {},
            )
        )

    processing: ProcessingTime = procedure.processing
    due = compute_due(cal, received, processing)
    assert due is not None
    documents = [{"index": i, **d.to_dict()} for i, d in enumerate(procedure.documents) if d.required]
    add(
        Action.RECEIVE,
        received,
        {
            "code": code,
            "procedure": {
                "code": procedure.code,
                "name": procedure.name,
                "field": procedure.field,
                "processing": processing.to_dict(),
            },
            "applicant": _person(rng, received.date()),
            "documents": documents,
            "sets": 1,
            "fee": procedure.fee,
            "channel": rng.choices(["direct", "post", "online"], [80, 5, 15])[0],
            "due_at": due.isoformat(timespec="seconds"),
            "calendar": cal.fingerprint(),
            "note": "demo",
        },
    )
    total = max(60, cal.working_minutes_between(received, due))
    t = cal.add_working_minutes(received, rng.randint(5, 90))
    if t > now:
        return events
    add(Action.TRANSFER, t, {"handler": "Công chức chuyên môn"})
    roll = rng.random()
    if roll < 0.02:
        at = cal.add_working_minutes(t, rng.randint(30, 600))
        if at <= now:
            add(Action.REFUSE, at, {"reason": "Hồ sơ không thuộc thẩm quyền giải quyết của xã."})
        return events
    if roll < 0.04:
        at = cal.add_working_minutes(t, rng.randint(30, 600))
        if at <= now:
            add(Action.WITHDRAW, at, {"reason": "Công dân xin rút hồ sơ."})
        return events
    if roll < 0.10:
        ask = cal.add_working_minutes(t, rng.randint(30, max(31, total // 2)))
        if ask > now:
            return events
        add(Action.REQUEST_SUPPLEMENT, ask, {"reason": "Bổ sung bản sao giấy tờ còn thiếu."})
        back = cal.add_working_minutes(ask, rng.randint(240, 4000))
        if back > now:
            return events
        due = compute_due(cal, received, processing, [Pause(ask, back)])
        assert due is not None
        add(Action.RECEIVE_SUPPLEMENT, back, {"due_at": due.isoformat(timespec="seconds")})
        t = back
    ready = cal.add_working_minutes(
        received, int(total * rng.choice([0.3, 0.5, 0.7, 0.9, 1.0, 1.0, 1.2, 1.5]))
    )
    ready = max(ready, t)
    if ready > now:
        return events
    add(Action.READY, ready)
    returned = cal.add_working_minutes(ready, rng.randint(10, 3 * cal.minutes_per_day))
    if returned > now:
        return events
    rating = rng.choices(["satisfied", "unsatisfied", None], [75, 3, 22])[0]
    add(Action.RETURN, returned, {"rating": rating} if rating else {})
    return events


def generate(
    counter: Counter,
    count: int,
    *,
    seed: int = 1,
    days: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``count`` dossiers received over the last ``days`` working days, newest ending now."""
    rng = random.Random(seed)
    procedures = procedure_store.list_active(counter.store)
    if not procedures:
        raise ValidationError("Danh mục thủ tục trống: hãy chạy «counter-admin init» trước.")
    weights = [6 if p.field in ("Chứng thực", "Hộ tịch") else 1 for p in procedures]
    officer = default_officer(counter).username
    now = counter.now()
    span = days or max(30, math.ceil(count / 400))
    working: list[date] = []
    day = now.date()
    while len(working) < span:
        if counter.calendar.is_working_day(day):
            working.append(day)
        day -= timedelta(days=1)
    working.reverse()
    used: dict[tuple[date, int], int] = {}
    existing = dossier_store.sequences(counter.store)
    per_day = sorted(rng.randrange(len(working)) for _ in range(count))
    batch: list[list[Event]] = []
    done = 0
    for idx in per_day:
        d = working[idx]
        seq = used.get((d, -1), existing.get((d, 0), 0)) + 1
        used[(d, -1)] = seq
        slot, number = divmod(seq - 1, MAX_PER_SLOT)
        if slot > 9:
            raise ValidationError(f"Quá nhiều hồ sơ cho ngày {d:%d/%m/%Y}: hãy tăng --days.")
        used[(d, slot)] = number + 1
        minute = rng.randint(0, counter.calendar.minutes_per_day - 1)
        received = counter.calendar.add_working_minutes(datetime.combine(d, time(0, 0)), minute)
        received = min(received, now)
        procedure = rng.choices(procedures, weights)[0]
        code = format_code(counter.agency_code, d, slot, number + 1)
        batch.append(_history(counter, rng, procedure, received, code, officer, now))
        if len(batch) >= BATCH:
            _flush(counter, batch)
            done += len(batch)
            batch = []
            if progress:
                progress(done, count)
    if batch:
        _flush(counter, batch)
        done += len(batch)
    with counter.store.atomic() as conn:
        dossier_store.raise_sequences(conn, {k: v for k, v in used.items() if k[1] >= 0})
    if progress:
        progress(done, count)
    return done


def _flush(counter: Counter, batch: list[list[Event]]) -> None:
    with counter.store.atomic() as conn:
        dossier_store.bulk_insert(conn, batch)
