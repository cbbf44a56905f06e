"""The period report's numbers, through the real intake and action services on a real SQLite file.

One known dataset spans two reporting months under the default cut-off (the 15th):
period A = Tháng 10/2026 = 15/09–14/10/2026, period B = Tháng 11/2026 = 15/10–14/11/2026.
Every cell of both reports is asserted, with the reason for each dossier written beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
from helpers import QR

from counter_app.domain.errors import ValidationError
from counter_app.services import report
from counter_app.services.actions import ActionRequest, perform
from counter_app.services.context import Counter
from counter_app.services.intake import IntakeRequest, intake

A = (date(2026, 9, 15), date(2026, 10, 14))
B = (date(2026, 10, 15), date(2026, 11, 14))
CIVIL = "Hộ tịch"
CERT = "Chứng thực"
LAND = "Đất đai"
WELFARE = "Bảo trợ xã hội"
ADOPTION = "Nuôi con nuôi"
CULTURE = "Văn hóa"

# (moment, dossier, what): "receive:<procedure>:<channel>" or an action with its arguments.
# In time order, so the dataset can be built up to any moment (the as-of test stops at A's end).
STEPS: list[tuple[str, str, str, dict[str, object]]] = [
    # D15: received and resolved before A — in neither report
    ("2026-09-03T09:00", "D15", "receive:1.000894:direct", {}),
    ("2026-09-04T09:00", "D15", "ready", {}),
    # D1: received before A, still open at its start (carried over); due Wed 16/09 09:00
    ("2026-09-11T09:00", "D1", "receive:1.004873:direct", {}),
    ("2026-09-16T10:00", "D1", "ready", {}),  # on the due date: on time
    ("2026-09-17T08:00", "D1", "return", {"rating": "satisfied"}),
    # D2: online; due Mon 21/09 08:00, ready Fri 18/09: early; rated unsatisfied
    ("2026-09-17T08:00", "D2", "receive:2.001035:online", {}),
    ("2026-09-18T15:00", "D2", "ready", {}),
    ("2026-09-21T09:00", "D2", "return", {"rating": "unsatisfied"}),
    # D3: 1 working day, due Tue 22/09 09:00, ready Thu 24/09: late by 2 working days
    ("2026-09-21T09:00", "D3", "receive:1.000894:direct", {}),
    ("2026-09-24T10:00", "D3", "ready", {}),
    # D5: refused in A
    ("2026-09-22T09:00", "D5", "receive:1.001731:direct", {}),
    ("2026-09-23T09:00", "D5", "refuse", {"reason": "Không thuộc thẩm quyền của xã."}),
    # D6: online, withdrawn in A
    ("2026-09-28T08:00", "D6", "receive:2.000815:online", {}),
    ("2026-09-28T09:00", "D6", "withdraw", {"reason": "Công dân xin rút."}),
    # D4: by post; supplement asked in A, received in B -> paused at A's end; due after the
    # pause Wed 28/10 09:00 (8 working days + 9 paused), ready Thu 22/10: early in B
    ("2026-10-05T09:00", "D4", "receive:1.012796:post", {}),
    ("2026-10-06T10:00", "D4", "request-supplement", {"reason": "Thiếu bản sao giấy chứng nhận."}),
    # D7: due Mon 12/10 09:00; apology (Mẫu 04) on Fri 09/10 with a new date Fri 16/10;
    # open and overdue at A's end; ready Thu 15/10: late against the legal date (3 working days)
    ("2026-10-07T09:00", "D7", "receive:1.004873:direct", {}),
    ("2026-10-09T10:00", "D7", "apologize", {"reason": "Cần xác minh thêm.", "new_due": "2026-10-16T17:00"}),
    # D8: 20 working days, due Mon 09/11 09:00: within at A's end, overdue (4 days) at B's end
    ("2026-10-12T09:00", "D8", "receive:2.001263:direct", {}),
    ("2026-10-13T09:00", "D8", "transfer", {"handler": "Công chức tư pháp"}),
    # ---- period B ----
    ("2026-10-15T10:00", "D7", "ready", {}),
    ("2026-10-19T08:00", "D9", "receive:1.001193:online", {}),
    ("2026-10-19T10:00", "D9", "cancel", {}),
    ("2026-10-19T09:00", "D16", "receive:1.003622:online", {}),  # due Mon 26/10 09:00
    ("2026-10-19T10:00", "D4", "receive-supplement", {}),
    ("2026-10-20T09:00", "D10", "receive:2.001035:direct", {}),
    ("2026-10-20T10:00", "D10", "transfer", {"handler": "Công chức tư pháp"}),
    ("2026-10-21T09:00", "D10", "stop", {"reason": "Công dân đề nghị dừng."}),
    ("2026-10-22T10:00", "D4", "ready", {}),
    ("2026-10-26T09:00", "D13", "receive:1.000894:direct", {}),  # due Tue 27/10 09:00
    ("2026-10-27T16:00", "D13", "ready", {}),  # on the due date: on time
    ("2026-10-28T08:00", "D13", "return", {}),
    ("2026-10-28T10:00", "D16", "ready", {}),  # late by 2 working days
    ("2026-10-29T09:00", "D16", "return", {"rating": "satisfied"}),
    ("2026-11-02T09:00", "D12", "receive:1.001731:direct", {}),
    ("2026-11-03T09:00", "D12", "request-supplement", {"reason": "Thiếu giấy xác nhận."}),
    ("2026-11-02T09:00", "D14", "receive:2.001035:direct", {}),  # due Wed 04/11 09:00
    ("2026-11-04T09:00", "D14", "ready", {}),  # on time ...
    ("2026-11-10T09:00", "D14", "withdraw", {"reason": "Không nhận kết quả nữa."}),  # ... then withdrawn
    ("2026-11-12T09:00", "D11", "receive:1.004873:direct", {}),  # due Tue 17/11 09:00
    # ---- after B ----
    ("2026-11-16T09:00", "D11", "ready", {}),  # after B's end: still in process in B
    ("2026-11-17T09:00", "D17", "receive:1.000894:online", {}),  # received after B
]


def run_steps(
    counter: Counter, *, since: str = "", until: str = "9999", codes: dict[str, str] | None = None
) -> dict[str, str]:
    """Play the dataset's steps with ``since <= moment < until`` through intake and perform."""
    codes = {} if codes is None else codes
    for at, name, what, kwargs in sorted(STEPS, key=lambda s: s[0]):
        if not since <= at < until:
            continue
        moment = datetime.fromisoformat(at)
        if what.startswith("receive:"):
            _, procedure, channel = what.split(":")
            request = IntakeRequest(procedure_code=procedure, cccd_qr=QR, received_at=moment, channel=channel)
            codes[name] = intake(counter, request).dossier.code
            continue
        extra = dict(kwargs)
        if "new_due" in extra:
            extra["new_due"] = datetime.fromisoformat(str(extra["new_due"]))
        perform(counter, ActionRequest(code=codes[name], action=what, at=moment, **extra))  # type: ignore[arg-type]
    return codes


def build_dataset(counter: Counter, clock) -> dict[str, str]:
    clock.set("2026-11-20T09:00")
    return run_steps(counter)


ZERO = dict.fromkeys(report.FIGURE_KEYS, 0)


def figures(**values: int) -> dict[str, object]:
    out: dict[str, object] = {**ZERO, **values}
    rated, satisfied = int(out["rated"]), int(out["satisfied"])  # type: ignore[call-overload]
    out["satisfied_share"] = round(satisfied / rated, 4) if rated else None
    return out


EXPECTED_A = {
    WELFARE: figures(received=1, direct=1, refused=1),  # D5
    CERT: figures(received=2, online=2, resolved=1, early=1, withdrawn=1, rated=1),  # D2, D6
    LAND: figures(received=1, direct=1, paused=1),  # D4: supplement received only in B
    CIVIL: figures(  # D1 carried over and on time, D3 late, D7 overdue at the end
        received=3, carried_over=1, direct=2, resolved=2, on_time=1, late=1, in_process=1, overdue=1,
        rated=1, satisfied=1),
    ADOPTION: figures(received=1, direct=1, in_process=1, within=1),  # D8
}  # fmt: skip
TOTAL_A = figures(
    received=8, carried_over=1, online=2, direct=5, resolved=3, early=1, on_time=1, late=1, in_process=2,
    within=1, overdue=1, paused=1, refused=1, withdrawn=1, rated=2, satisfied=1,
)  # fmt: skip
EXPECTED_B = {
    WELFARE: figures(received=1, direct=1, paused=1),  # D12
    CERT: figures(received=2, direct=2, resolved=1, on_time=1, stopped=1),  # D14 (withdrawn after result), D10
    LAND: figures(received=1, carried_over=1, resolved=1, early=1),  # D4
    CIVIL: figures(  # D7 carried over and late, D9 cancelled, D11 within (ready after B), D13 on time
        received=4, carried_over=1, online=1, direct=2, resolved=2, on_time=1, late=1, in_process=1, within=1,
        cancelled=1),
    ADOPTION: figures(received=1, carried_over=1, in_process=1, overdue=1),  # D8
    CULTURE: figures(received=1, online=1, resolved=1, late=1, rated=1, satisfied=1),  # D16
}  # fmt: skip
TOTAL_B = figures(
    received=10, carried_over=3, online=2, direct=5, resolved=5, early=1, on_time=2, late=2, in_process=2,
    within=1, overdue=1, paused=1, stopped=1, cancelled=1, rated=1, satisfied=1,
)  # fmt: skip
ORDER = [WELFARE, CERT, LAND, CIVIL, ADOPTION]  # alphabetical without diacritics: "Đất đai" ~ "dat dai"


@pytest.fixture
def dataset(counter: Counter, clock) -> dict[str, str]:
    return build_dataset(counter, clock)


def as_dict(result: report.PeriodReport) -> dict[str, dict[str, object]]:
    return {
        row["field"]: {k: v for k, v in row.items() if k != "field"} for row in result.to_json()["fields"]
    }


def test_period_a_every_cell(counter: Counter, dataset: dict[str, str]) -> None:
    result = report.compute_period(counter, "month", 2026, 10)
    assert (result.start, result.end, result.label) == (*A, "Tháng 10 năm 2026")
    assert not result.provisional and result.as_of == datetime(2026, 10, 14, 23, 59, 59)
    assert [f.field for f in result.fields] == ORDER
    assert as_dict(result) == EXPECTED_A
    assert result.total.to_json() == TOTAL_A
    late = [item.to_json() for item in result.late]
    assert late == [
        {
            "code": dataset["D3"], "field": CIVIL, "procedure": "Đăng ký kết hôn", "applicant": "Lê Văn Lương",
            "received": "2026-09-21T09:00", "due": "2026-09-22T09:00", "finished": "2026-09-24T10:00",
            "status": "resolved", "working_days_late": 2, "apology": False,
        },
        {
            "code": dataset["D7"], "field": CIVIL, "procedure": "Cấp Giấy xác nhận tình trạng hôn nhân",
            "applicant": "Lê Văn Lương", "received": "2026-10-07T09:00", "due": "2026-10-12T09:00",
            "finished": None, "status": "open", "working_days_late": 2, "apology": True,
        },
    ]  # fmt: skip


def test_period_b_every_cell(counter: Counter, dataset: dict[str, str]) -> None:
    result = report.compute_period(counter, "month", 2026, 11)
    assert (result.start, result.end) == B
    assert [f.field for f in result.fields] == [WELFARE, CERT, LAND, CIVIL, ADOPTION, CULTURE]
    assert as_dict(result) == EXPECTED_B
    assert result.total.to_json() == TOTAL_B
    assert [(i.code, i.working_days_late, i.apology, i.is_open, i.due_at) for i in result.late] == [
        (dataset["D8"], 4, False, True, datetime(2026, 11, 9, 9, 0)),  # Tue 10 – Fri 13/11; Sat 14 is off
        (dataset["D7"], 3, True, False, datetime(2026, 10, 12, 9, 0)),  # legal date, not the apology's 16/10
        (dataset["D16"], 2, False, False, datetime(2026, 10, 26, 9, 0)),
    ]


def test_identities_and_the_chain_between_periods(counter: Counter, dataset: dict[str, str]) -> None:
    a = report.compute(counter, *A)
    b = report.compute(counter, *B)
    for row in (*(f.figures for f in a.fields), a.total, *(f.figures for f in b.fields), b.total):
        assert row.broken_identities() == []
    assert a.total.open_at_end == b.total.carried_over == 3
    opened = {f.field: f.figures.open_at_end for f in a.fields}
    carried = {f.field: f.figures.carried_over for f in b.fields}
    assert {k: v for k, v in opened.items() if v} == {k: v for k, v in carried.items() if v}


def test_figures_are_as_of_the_period_end_not_as_of_now(counter: Counter, clock) -> None:
    """Report A made on 15/10 (before D4's supplement, D7's result …) equals report A made in November."""
    clock.set("2026-10-15T08:00")
    codes = run_steps(counter, until="2026-10-15T00:00")
    early = report.compute(counter, *A)
    clock.set("2026-11-20T09:00")
    run_steps(counter, since="2026-10-15T00:00", codes=codes)
    late = report.compute(counter, *A)
    assert early == late
    assert early.total.to_json() == TOTAL_A


def test_projection_shortcut_agrees_with_the_event_log(counter: Counter, dataset: dict[str, str]) -> None:
    """The domain says D7 was early (against the apology's date); the report counts it late."""
    from counter_app.services.actions import find

    assert find(counter, dataset["D7"]).result_class.value == "early"
    b = report.compute(counter, *B)
    assert next(f for f in b.fields if f.field == CIVIL).figures.late == 1


def test_a_period_not_yet_over_is_provisional(counter: Counter, dataset: dict[str, str], clock) -> None:
    clock.set("2026-11-20T09:00")
    result = report.compute_period(counter, "month", 2026, 12)  # 15/11–14/12/2026
    assert result.provisional and result.as_of == datetime(2026, 11, 20, 9, 0)
    # carried over: D8 (overdue since 10/11), D11 (ready 16/11, due 17/11: early), D12 (paused);
    # new: D17 online, due Wed 18/11 09:00, overdue on 20/11
    assert result.total.to_json() == figures(
        received=4, carried_over=3, online=1, resolved=1, early=1, in_process=2, overdue=2, paused=1
    )
    assert "tạm tính đến 09:00 ngày 20/11/2026" in report.provisional_line(result)
    assert [(i.code, i.working_days_late) for i in result.late] == [(dataset["D8"], 9), (dataset["D17"], 2)]


def test_free_period_spanning_both_months(counter: Counter, dataset: dict[str, str]) -> None:
    result = report.compute(counter, A[0], B[1])
    t = result.total
    assert (t.received, t.carried_over, t.online, t.direct) == (15, 1, 4, 10)
    assert (t.resolved, t.in_process, t.paused, t.refused, t.stopped, t.withdrawn, t.cancelled) == (
        8,
        2,
        1,
        1,
        1,
        1,
        1,
    )
    assert result.label == "Từ ngày 15/09/2026 đến ngày 14/11/2026"


def test_calendar_month_cutoff_setting(counter: Counter, dataset: dict[str, str]) -> None:
    counter.store.set_setting(report.CUTOFF_SETTING, "1")
    result = report.compute_period(counter, "month", 2026, 10)
    assert (result.start, result.end) == (date(2026, 10, 1), date(2026, 10, 31))
    # D1, D2, D3, D5, D6 ended in September, so nothing is carried over; new in October: D4, D7, D8,
    # D9, D10, D13, D16
    assert result.total.carried_over == 0 and result.total.received == 7
    assert result.total.broken_identities() == []


@pytest.mark.parametrize(
    ("kind", "number", "first_day", "expected"),
    [
        ("month", 11, 15, (date(2026, 10, 15), date(2026, 11, 14))),
        ("month", 1, 15, (date(2025, 12, 15), date(2026, 1, 14))),
        ("month", 3, 15, (date(2026, 2, 15), date(2026, 3, 14))),
        ("quarter", 1, 15, (date(2025, 12, 15), date(2026, 3, 14))),
        ("quarter", 4, 15, (date(2026, 9, 15), date(2026, 12, 14))),
        ("half", 1, 15, (date(2025, 12, 15), date(2026, 6, 14))),
        ("half", 2, 15, (date(2026, 6, 15), date(2026, 12, 14))),
        ("nine_months", 1, 15, (date(2025, 12, 15), date(2026, 9, 14))),
        ("year", 1, 15, (date(2025, 12, 15), date(2026, 12, 14))),
        ("month", 2, 1, (date(2026, 2, 1), date(2026, 2, 28))),
        ("quarter", 1, 1, (date(2026, 1, 1), date(2026, 3, 31))),
        ("year", 1, 1, (date(2026, 1, 1), date(2026, 12, 31))),
        ("month", 11, 26, (date(2026, 10, 26), date(2026, 11, 25))),
        ("month", 1, 26, (date(2025, 12, 26), date(2026, 1, 25))),
    ],
)
def test_period_ranges(kind: str, number: int, first_day: int, expected: tuple[date, date]) -> None:
    assert report.period_range(kind, 2026, number, first_day) == expected


def test_period_labels_and_the_month_of_a_day() -> None:
    assert report.period_label("quarter", 2026, 4) == "Quý IV năm 2026"
    assert report.period_label("half", 2026, 1) == "6 tháng đầu năm 2026"
    assert report.period_label("nine_months", 2026) == "9 tháng năm 2026"
    assert report.period_label("year", 2026) == "Năm 2026"
    assert report.month_containing(date(2026, 11, 14)) == (2026, 11)
    assert report.month_containing(date(2026, 11, 15)) == (2026, 12)
    assert report.month_containing(date(2026, 12, 20)) == (2027, 1)
    assert report.month_containing(date(2026, 12, 20), 1) == (2026, 12)


@pytest.mark.parametrize("value", ["0", "29", "abc", "", "-1"])
def test_bad_cutoff_day_is_refused_in_vietnamese(value: str) -> None:
    with pytest.raises(ValidationError, match="Ngày bắt đầu kỳ báo cáo phải là số từ 1 đến 28"):
        report.check_cutoff_day(value)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: report.compute(c, date(2026, 11, 14), date(2026, 10, 15)), "trước ngày bắt đầu"),
        (lambda c: report.compute(c, date(2027, 1, 1), date(2027, 1, 31)), "chưa tới"),
        (lambda c: report.period_range("month", 2026, 13), "Kỳ số 13"),
        (lambda c: report.period_range("quarter", 2026, 5), "Kỳ số 5"),
    ],
)
def test_bad_periods_are_refused(counter: Counter, call: Callable[[Counter], object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        call(counter)


def test_fold_settings_shape_the_official_table(counter: Counter, dataset: dict[str, str]) -> None:
    b = report.compute(counter, *B)
    separate = report.official_table(b, report.fold_of(counter))
    assert separate.extra_headers == (
        "Chờ công dân bổ sung", "Từ chối giải quyết", "Dừng giải quyết", "Công dân rút hồ sơ", "Hủy hồ sơ",
    )  # fmt: skip
    #                      (3) (4) (5) (6) (7) (8) (9) (10)(11)(12)(13) (14)–(18)
    assert separate.total == (10, 2, 5, 3, 5, 1, 2, 2, 2, 1, 1, 1, 0, 1, 0, 1)
    assert "cột (3) = (7) + (11) + (14) … (18)" in separate.notes[0]
    counter.store.set_setting(report.FOLD_SETTING, "thanh_hoa")
    folded = report.official_table(b, report.fold_of(counter))
    assert folded.extra_headers == ()
    assert folded.total == (10, 2, 5, 3, 7, 1, 4, 2, 3, 2, 1)  # paused -> (12); stopped, cancelled -> (9)
    received, *_ = folded.total
    assert received == folded.total[4] + folded.total[8]
    assert folded.notes == (
        "Cột (12) gồm cả hồ sơ chờ công dân bổ sung (1).",
        "Cột (9) gồm cả hồ sơ từ chối giải quyết (0), dừng giải quyết (1), công dân rút hồ sơ (0), hủy hồ sơ (1).",
    )
    counter.store.set_setting(report.FOLD_SETTING, "ha_noi")
    with pytest.raises(ValidationError, match="Cách tính «ha_noi» không có"):
        report.fold_of(counter)


def test_satisfaction_line() -> None:
    assert report.satisfaction_line(report.Figures(rated=3, satisfied=2, resolved=3)) == (
        "Đánh giá của công dân: 2/3 hồ sơ được đánh giá hài lòng (66,67%)."
    )
    assert "chưa có" in report.satisfaction_line(report.Figures())


def test_an_empty_period_has_no_rows(counter: Counter, clock) -> None:
    clock.set("2026-11-20T09:00")
    result = report.compute(counter, date(2026, 1, 1), date(2026, 1, 31))
    assert result.fields == () and result.total == report.Figures() and result.late == ()
