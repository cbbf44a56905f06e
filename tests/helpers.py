"""Small builders shared by service tests (real services, real SQLite)."""

from __future__ import annotations

from counter_app.services.context import Counter
from counter_app.services.intake import IntakeRequest, IntakeResult, intake

QR = "089202017098|352576714|Lê Văn Lương|23052002|Nam|Tổ 10 Ấp An Thái, Hòa Bình, Chợ Mới, An Giang|31122021"
BIRTH = "1.001193"  # Đăng ký khai sinh: same day, 15:00 cut-off
MARRIAGE = "1.000894"  # Đăng ký kết hôn


def table_counts(counter: Counter) -> dict[str, int]:
    tables = ["dossiers", "events", "outbox", "day_sequences", "audit_log"]
    return {t: counter.store.scalar(f"SELECT count(*) FROM {t}") for t in tables}


def receive(counter: Counter, **overrides: object) -> IntakeResult:
    fields: dict = {"procedure_code": BIRTH, "name": "Nguyễn Văn An", "id_number": "001090123456"}
    fields.update(overrides)
    return intake(counter, IntakeRequest(**fields))
