"""Intake through the real service on a real SQLite file: good input stored, bad input writes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from helpers import BIRTH, MARRIAGE, QR, receive, table_counts

from counter_app.domain.errors import DomainError, NotFoundError, ValidationError
from counter_app.services.context import Counter
from counter_app.services.intake import IntakeRequest, intake
from counter_app.store import dossiers as dossier_store


def test_intake_stores_dossier_event_outbox_and_due(counter: Counter) -> None:
    result = receive(counter, procedure_code=MARRIAGE, phone="0912 345 678")
    d = result.dossier
    assert d.code == "000.00.21.H40-261116-0001"
    assert d.due_at == datetime(2026, 11, 17, 9, 0)  # 1 working day, same clock time
    assert d.phone == "0912345678"
    stored = dossier_store.get_by_code(counter.store, d.code)
    assert stored == d
    counts = table_counts(counter)
    assert counts["events"] == 1 and counts["outbox"] == 1
    events = dossier_store.events_of(counter.store, d)
    assert events[0].officer == "admin" and events[0].device_id == counter.device_id and events[0].hlc


def test_codes_follow_each_other_and_restart_next_day(counter: Counter, clock) -> None:
    codes = [receive(counter).dossier.code for _ in range(3)]
    assert [c[-4:] for c in codes] == ["0001", "0002", "0003"]
    clock.set("2026-11-17T08:00")
    assert receive(counter).dossier.code.endswith("-261117-0001")


def test_qr_fills_applicant(counter: Counter) -> None:
    d = intake(counter, IntakeRequest(procedure_code=BIRTH, cccd_qr=QR)).dossier
    assert (d.applicant_name, d.id_number) == ("Lê Văn Lương", "089202017098")
    payload = dossier_store.events_of(counter.store, d)[0].payload
    assert payload["applicant"]["birth_date"] == "2002-05-23"
    assert "address" in payload["applicant"]["from_card"]


def test_after_cutoff_returns_next_working_day(counter: Counter, clock) -> None:
    clock.set("2026-11-20T15:30")  # Friday after 15:00; Monday 23/11 is a working day
    assert receive(counter).dossier.due_at == datetime(2026, 11, 23, 17, 0)


def test_search_by_folded_name_id_phone_and_code(counter: Counter) -> None:
    d = receive(counter, name="Trần Thị Đào", id_number="001190123456", phone="0987654321").dossier
    receive(counter, name="Phạm Văn Bình", id_number="001090654321")
    for text in ["tran thi dao", "dao", "Đào", "001190123456", "0987654321", d.code, "khai sinh dao"]:
        assert [x.code for x in dossier_store.search(counter.store, text)][:1] == [d.code], text


BAD_INPUTS = [
    ({"procedure_code": "9.999999"}, NotFoundError, "Không tìm thấy thủ tục"),
    ({"name": "   "}, ValidationError, "Họ tên người nộp hồ sơ không được để trống"),
    ({"id_number": "12345"}, ValidationError, "12 chữ số"),
    ({"id_number": "001090123456", "birth_date": date(1995, 1, 1)}, ValidationError, "năm sinh"),
    ({"birth_date": date(2030, 1, 1)}, ValidationError, "tương lai"),
    ({"documents": [0]}, ValidationError, "chưa đủ giấy tờ bắt buộc"),
    ({"documents": [0, 1, 2, 99]}, ValidationError, "không có trong danh mục"),
    ({"channel": "fax"}, ValidationError, "Hình thức nộp"),
    ({"phone": "12ab"}, ValidationError, "Số điện thoại"),
    ({"received_at": datetime(2026, 11, 17, 9, 0)}, ValidationError, "tương lai"),
    ({"officer": "nobody"}, NotFoundError, "Không có cán bộ"),
    ({"cccd_qr": "not|a|card"}, ValidationError, "QR"),
    ({"cccd_qr": QR, "name": "Người Khác"}, ValidationError, "khác họ tên trên thẻ"),
    ({"sets": 0}, ValidationError, "Số bộ"),
]


@pytest.mark.parametrize(("overrides", "error", "message"), BAD_INPUTS)
def test_bad_input_is_refused_in_vietnamese_and_writes_nothing(
    counter: Counter, overrides: dict, error: type[DomainError], message: str
) -> None:
    before = table_counts(counter)
    with pytest.raises(error, match=message) as info:
        receive(counter, **overrides)
    assert info.value.message and info.value.message[0].isupper()
    assert table_counts(counter) == before


def test_short_code_from_the_roll_receipt_finds_the_dossier(counter: Counter) -> None:
    from counter_app.services import queries

    d = receive(counter).dossier
    short = d.code.split("-", 1)[1]  # "261116-0001", as printed large on the 80 mm roll
    detail = queries.show(counter, short)
    assert detail is not None and detail.dossier.code == d.code
    assert [x.code for x in queries.search_dossiers(counter, short)] == [d.code]


def test_counts_handed_over_are_recorded_and_checked(counter: Counter) -> None:
    d = receive(counter, procedure_code=MARRIAGE, documents=[0, 1], counts={1: (2, 1)}).dossier
    docs = dossier_store.events_of(counter.store, d)[0].payload["documents"]
    assert (docs[1]["original"], docs[1]["copy"]) == (2, 1)
    before = table_counts(counter)
    with pytest.raises(ValidationError, match="ít nhất một bản"):
        receive(counter, procedure_code=MARRIAGE, documents=[0, 1], counts={0: (0, 0)})
    assert table_counts(counter) == before


def test_every_problem_of_an_intake_is_reported_at_once(counter: Counter) -> None:
    """The officer fixes the whole form in one go instead of meeting errors one by one."""
    from counter_app.services.intake import problems_of

    with pytest.raises(ValidationError) as caught:
        intake(
            counter,
            IntakeRequest(procedure_code=BIRTH, name="", id_number="12345", phone="12", sets=0),
        )
    fields = [p.field for p in problems_of(caught.value)]
    assert fields == ["name", "id_number", "phone", "sets"]
    assert caught.value.field == "name"  # read as its first problem by one-line callers
    assert table_counts(counter)["dossiers"] == 0


def test_a_damaged_chip_card_qr_is_never_saved(counter: Counter) -> None:
    garbled = "001099012345|123456789|Nguyn Vn An|01011999|Nam|Thôn 3, Xã Thanh Sơn, Hà Nội|15082021"
    with pytest.raises(ValidationError) as caught:
        intake(counter, IntakeRequest(procedure_code=BIRTH, cccd_qr=garbled))
    assert caught.value.code == "qr_damaged" and "«Vn»" in caught.value.message
    assert table_counts(counter)["dossiers"] == 0
