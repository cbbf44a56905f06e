"""Working calendar: days off, swapped Saturdays, working hours and working-time arithmetic."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter_app.domain.calendar import (
    Adjustment,
    DayInfo,
    WorkingCalendar,
    WorkingHours,
    parse_adjustments,
)
from counter_app.domain.errors import CalendarDataError, ValidationError

ADJUSTMENTS_FILE = Path(__file__).resolve().parents[3] / "resources" / "calendar" / "adjustments.json"
SHIPPED = json.loads(ADJUSTMENTS_FILE.read_text(encoding="utf-8"))
CAL = WorkingCalendar(adjustments=parse_adjustments(SHIPPED))
VI_LETTERS = set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùýÁÀĐ")


def is_vietnamese(text: str) -> bool:
    return any(ch in VI_LETTERS for ch in text)


# --------------------------------------------------------------------------- the official years


def weekday_offs_and_weekend_works(cal: WorkingCalendar, year: int) -> tuple[list[str], list[str]]:
    offs, works = [], []
    d = date(year, 1, 1)
    while d.year == year:
        working = cal.is_working_day(d)
        if d.weekday() < 5 and not working:
            offs.append(f"{d:%d/%m}")
        if d.weekday() >= 5 and working:
            works.append(f"{d:%d/%m}")
        d += timedelta(days=1)
    return offs, works


@pytest.mark.parametrize(
    ("year", "offs", "works"),
    [
        # TB 5015/TB-LĐTBXH (Tết 8–14/2, Quốc khánh 2–3/9), CV 2450/VPCP-KGVX (29/4 <-> 4/5).
        (
            2024,
            "01/01 08/02 09/02 12/02 13/02 14/02 18/04 29/04 30/04 01/05 02/09 03/09",
            "04/05",
        ),
        # TB 6150/TB-BLĐTBXH: Tết 27–31/1, 2/5 <-> 26/4, Quốc khánh 1–2/9.
        (
            2025,
            "01/01 27/01 28/01 29/01 30/01 31/01 07/04 30/04 01/05 02/05 01/09 02/09",
            "26/04",
        ),
        # CV 12729/VPCP-KGVX (2/1 <-> 10/1), TB 9441/TB-BNV (Tết 16–20/2, 31/8 <-> 22/8),
        # Giỗ Tổ on Sunday 26/4 made up on 27/4, NQ 28/2026/QH16 (24/11).
        (
            2026,
            "01/01 02/01 16/02 17/02 18/02 19/02 20/02 27/04 30/04 01/05 31/08 01/09 02/09 24/11",
            "10/01 22/08",
        ),
    ],
)
def test_civil_service_year_matches_the_notices(year: int, offs: str, works: str) -> None:
    assert weekday_offs_and_weekend_works(CAL, year) == (offs.split(), works.split())


def test_the_package_alone_misses_the_new_year_2026_swap() -> None:
    bare = WorkingCalendar()
    assert bare.is_working_day(date(2026, 1, 2))
    assert not bare.is_working_day(date(2026, 1, 10))
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.is_working_day(date(2026, 1, 10))


@pytest.mark.parametrize(
    ("day", "working", "reason"),
    [
        (date(2026, 1, 5), True, None),
        (date(2026, 1, 3), False, "Thứ Bảy"),
        (date(2026, 1, 4), False, "Chủ nhật"),
        (date(2026, 1, 1), False, "Tết Dương lịch"),
        (date(2026, 1, 2), False, "Nghỉ Tết Dương lịch (hoán đổi với thứ Bảy 10/01/2026)"),
        (date(2026, 1, 10), True, "Làm bù: thay cho thứ Sáu 02/01/2026 (nghỉ Tết Dương lịch)"),
        (date(2026, 2, 17), False, "Tết Nguyên Đán"),
        (date(2026, 2, 14), False, "Thứ Bảy"),
        (date(2026, 4, 26), False, "Ngày Giỗ Tổ Hùng Vương"),
        (date(2026, 4, 27), False, "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (date(2026, 8, 22), True, "Làm bù: thay cho thứ Hai 31/08/2026 (nghỉ lễ Quốc khánh)"),
        (date(2026, 8, 31), False, "Nghỉ lễ Quốc khánh (hoán đổi với thứ Bảy 22/08/2026)"),
        (date(2026, 11, 24), False, "Ngày Văn hóa Việt Nam"),
        (date(2025, 1, 27), False, "Nghỉ Tết Nguyên đán Ất Tỵ (28 tháng Chạp)"),
        (date(2025, 4, 26), True, "Làm bù: thay cho thứ Sáu 02/05/2025 (nghỉ lễ 30/4 – 1/5)"),
    ],
)
def test_day_info_says_why(day: date, working: bool, reason: str | None) -> None:
    assert CAL.day_info(day) == DayInfo(day, working, reason)


def test_weekend_workday_known_only_to_the_package_still_counts() -> None:
    info = WorkingCalendar().day_info(date(2024, 5, 4))
    assert info.working
    assert info.reason is not None and info.reason.startswith("Làm bù: ")


def test_without_public_holidays_only_weekends_and_adjustments_count() -> None:
    cal = WorkingCalendar(
        adjustments=[Adjustment(date(2026, 3, 9), "off", "Xã nghỉ đột xuất", "Quyết định 12/QĐ-UBND")],
        use_public_holidays=False,
    )
    assert cal.is_working_day(date(2026, 2, 17))
    assert cal.day_info(date(2026, 3, 9)) == DayInfo(date(2026, 3, 9), False, "Xã nghỉ đột xuất")


def test_custom_weekend_names_the_rest_day() -> None:
    cal = WorkingCalendar(weekend=(6,), use_public_holidays=False)
    assert cal.is_working_day(date(2026, 1, 3))
    assert cal.day_info(date(2026, 1, 4)).reason == "Chủ nhật"


@pytest.mark.parametrize("weekend", [(7,), (-1,), (0, 1, 2, 3, 4, 5, 6)])
def test_bad_weekend_is_refused(weekend: tuple[int, ...]) -> None:
    with pytest.raises(ValidationError):
        WorkingCalendar(weekend=weekend)


# --------------------------------------------------------------------------- next working day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 2, 13), date(2026, 2, 23)),  # the whole Tết break
        (date(2025, 12, 31), date(2026, 1, 5)),  # 1/1 and the swapped 2/1, then the weekend
        (date(2026, 1, 9), date(2026, 1, 10)),  # the working Saturday
        (date(2026, 1, 10), date(2026, 1, 12)),
        (date(2026, 8, 21), date(2026, 8, 22)),
        (date(2026, 8, 28), date(2026, 9, 3)),
        (date(2024, 4, 26), date(2024, 5, 2)),
        (date(2026, 1, 3), date(2026, 1, 5)),  # from a day off
    ],
)
def test_next_working_day_is_strictly_after(day: date, expected: date) -> None:
    assert CAL.next_working_day(day) == expected


# --------------------------------------------------------------------------- working hours


def test_default_hours() -> None:
    hours = WorkingHours()
    assert str(hours) == "07:30-11:30,13:30-17:00"
    assert hours.minutes_per_day == 450
    assert WorkingHours.parse("07:30-11:30,13:30-17:00") == hours


def test_hours_parse_sorts_and_round_trips() -> None:
    hours = WorkingHours.parse(" 13:00-17:00 , 8:00-12:00 ")
    assert str(hours) == "08:00-12:00,13:00-17:00"
    assert WorkingHours.parse(str(hours)) == hours
    assert hours.minutes_per_day == 480


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "7h30-11h30",
        "07:30-11:30;13:30-17:00",
        "07:30-11:30,",
        "25:00-26:00",
        "07:61-08:00",
        "11:30-07:30",
        "08:00-08:00",
        "07:30-12:00,11:30-17:00",
        "07:30-11:30,11:30-17:00",
    ],
)
def test_bad_hours_are_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        WorkingHours.parse(text)
    assert is_vietnamese(err.value.message)


def test_hours_with_seconds_are_refused() -> None:
    with pytest.raises(ValidationError):
        WorkingHours(((time(7, 30, 15), time(11, 30)),))


# --------------------------------------------------------------------------- working start


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (datetime(2026, 1, 5, 9, 15, 42), datetime(2026, 1, 5, 9, 15, 42)),  # inside: unchanged
        (datetime(2026, 1, 5, 7, 30), datetime(2026, 1, 5, 7, 30)),
        (datetime(2026, 1, 5, 6, 45), datetime(2026, 1, 5, 7, 30)),
        (datetime(2026, 1, 5, 11, 30), datetime(2026, 1, 5, 13, 30)),  # lunch
        (datetime(2026, 1, 5, 12, 10), datetime(2026, 1, 5, 13, 30)),
        (datetime(2026, 1, 5, 17, 0), datetime(2026, 1, 6, 7, 30)),  # after hours
        (datetime(2026, 1, 9, 20, 0), datetime(2026, 1, 10, 7, 30)),  # to the working Saturday
        (datetime(2026, 2, 14, 9, 0), datetime(2026, 2, 23, 7, 30)),  # Tết
    ],
)
def test_working_start(t: datetime, expected: datetime) -> None:
    assert CAL.working_start(t) == expected


# --------------------------------------------------------------------------- arithmetic


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        (datetime(2026, 1, 5, 7, 30), 240, datetime(2026, 1, 5, 11, 30)),  # end of period, not 13:30
        (datetime(2026, 1, 5, 7, 30), 241, datetime(2026, 1, 5, 13, 31)),
        (datetime(2026, 1, 5, 7, 30), 450, datetime(2026, 1, 5, 17, 0)),  # not next day 07:30
        (datetime(2026, 1, 5, 7, 30), 451, datetime(2026, 1, 6, 7, 31)),
        (datetime(2026, 1, 5, 16, 0), 60, datetime(2026, 1, 5, 17, 0)),
        (datetime(2026, 1, 5, 16, 0), 61, datetime(2026, 1, 6, 7, 31)),
        (datetime(2026, 1, 5, 12, 0), 0, datetime(2026, 1, 5, 13, 30)),  # zero: working start
        (datetime(2026, 1, 5, 17, 0), 0, datetime(2026, 1, 5, 17, 0)),  # zero keeps a due moment
        (datetime(2026, 1, 3, 17, 0), 0, datetime(2026, 1, 5, 7, 30)),  # ...on working days only
    ],
)
def test_add_working_minutes_writes_boundaries_as_period_ends(
    start: datetime, minutes: int, expected: datetime
) -> None:
    assert CAL.add_working_minutes(start, minutes) == expected


def test_add_working_days_keeps_the_clock_time() -> None:
    assert CAL.add_working_days(datetime(2025, 12, 31, 10, 0), 3) == datetime(2026, 1, 7, 10, 0)
    assert CAL.add_working_days(datetime(2026, 1, 5, 18, 0), 1) == datetime(2026, 1, 6, 17, 0)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValidationError):
        CAL.add_working_minutes(datetime(2026, 1, 5, 8, 0), -1)
    with pytest.raises(ValidationError):
        CAL.add_working_days(datetime(2026, 1, 5, 8, 0), -1)


def test_working_minutes_between() -> None:
    monday = datetime(2026, 1, 5, 7, 30)
    assert CAL.working_minutes_between(monday, datetime(2026, 1, 5, 17, 0)) == 450
    assert CAL.working_minutes_between(monday, datetime(2026, 1, 5, 12, 45)) == 240
    assert CAL.working_minutes_between(datetime(2026, 1, 5, 17, 0), monday) == 0
    # Friday 9/1 to Monday 12/1 includes the full working Saturday 10/1.
    assert CAL.working_minutes_between(datetime(2026, 1, 9, 7, 30), datetime(2026, 1, 12, 7, 30)) == 900
    # Across the year end: 31/12/2025 is the only working day before Monday 5/1/2026.
    assert CAL.working_minutes_between(datetime(2025, 12, 31, 7, 30), datetime(2026, 1, 5, 7, 30)) == 450


def test_loading_order_does_not_change_results() -> None:
    adj = parse_adjustments(SHIPPED)
    late_first = WorkingCalendar(adjustments=adj)
    late_first.is_working_day(date(2026, 6, 1))
    early_first = WorkingCalendar(adjustments=adj)
    early_first.is_working_day(date(2024, 1, 1))
    start = datetime(2024, 3, 1, 9, 0)
    for days in (1, 200, 500, 700):
        assert late_first.add_working_days(start, days) == early_first.add_working_days(start, days)
    a, b = datetime(2024, 2, 1, 8, 0), datetime(2026, 11, 30, 15, 0)
    assert late_first.working_minutes_between(a, b) == early_first.working_minutes_between(a, b)


def test_year_outside_the_supported_range_is_refused() -> None:
    with pytest.raises(ValidationError):
        WorkingCalendar().is_working_day(date(1900, 1, 1))


def test_fingerprint_tracks_what_moves_due_dates() -> None:
    adj = parse_adjustments(SHIPPED)
    base = WorkingCalendar(adjustments=adj)
    assert base.fingerprint() == WorkingCalendar(adjustments=list(reversed(adj))).fingerprint()
    assert len(base.fingerprint()) == 16
    renamed = [Adjustment(a.day, a.kind, a.name + " (sửa tên)", a.source) for a in adj]
    assert WorkingCalendar(adjustments=renamed).fingerprint() == base.fingerprint()
    assert WorkingCalendar(adjustments=adj[:-1]).fingerprint() != base.fingerprint()
    assert WorkingCalendar().fingerprint() != base.fingerprint()
    assert WorkingCalendar(WorkingHours.parse("07:00-11:00,13:00-17:00"), adjustments=adj).fingerprint() != (
        base.fingerprint()
    )
    assert WorkingCalendar(adjustments=adj, use_public_holidays=False).fingerprint() != base.fingerprint()


# --------------------------------------------------------------------------- parse_adjustments


def test_shipped_adjustments_parse_and_carry_sources() -> None:
    adj = parse_adjustments(SHIPPED)
    assert len(adj) == len(SHIPPED["adjustments"])
    assert [a.day for a in adj] == sorted(a.day for a in adj)
    assert all(a.source and a.name for a in adj)
    assert {a.day for a in adj if a.kind == "work"} == {
        date(2024, 5, 4),
        date(2025, 4, 26),
        date(2026, 1, 10),
        date(2026, 8, 22),
    }


def test_exact_duplicates_are_merged() -> None:
    entry = SHIPPED["adjustments"][0]
    assert len(parse_adjustments({"adjustments": [entry, dict(entry)]})) == 1


def entry(
    day: str, kind: str = "off", name: str = "Nghỉ", source: str = "Thông báo 1/TB-BNV"
) -> dict[str, str]:
    return {"date": day, "kind": kind, "name": name, "source": source}


@pytest.mark.parametrize(
    ("entries", "named"),
    [
        ([entry("2026-02-30")], "2026-02-30"),
        ([entry("2026-13-01")], "2026-13-01"),
        ([entry("30/04/2026")], "30/04/2026"),
        ([entry("2026-04-30", kind="holiday")], "2026-04-30"),
        ([entry("2026-01-10", kind="work"), entry("2026-01-10", kind="off")], "10/01/2026"),
        ([entry("2026-01-12", kind="work")], "12/01/2026"),  # a Monday cannot be made up
        ([entry("2026-01-02", name="Nghỉ A"), entry("2026-01-02", name="Nghỉ B")], "02/01/2026"),
        ([entry("2026-01-02", source="")], "2026-01-02"),
        ([{"date": "2026-01-02", "kind": "off", "name": "Nghỉ"}], "2026-01-02"),
        ([entry("2026-01-02", name="  ")], "2026-01-02"),
    ],
)
def test_bad_adjustments_are_refused_naming_the_date(entries: list[dict[str, str]], named: str) -> None:
    data = {"version": "test", "adjustments": entries}
    with pytest.raises(CalendarDataError) as err:
        parse_adjustments(data)
    assert named in err.value.message
    assert is_vietnamese(err.value.message)
    assert err.value.code == "invalid_calendar_data"


@pytest.mark.parametrize(
    "data", [[], {"version": "x"}, {"adjustments": {}}, {"version": 3, "adjustments": []}]
)
def test_bad_adjustment_documents_are_refused(data: object) -> None:
    with pytest.raises(CalendarDataError):
        parse_adjustments(data)  # type: ignore[arg-type]


def test_an_update_with_one_bad_entry_is_refused_whole() -> None:
    data = copy.deepcopy(SHIPPED)
    data["adjustments"].append(entry("2026-11-28", kind="work"))  # a Saturday: fine
    data["adjustments"].append(entry("2026-11-31"))
    with pytest.raises(CalendarDataError):
        parse_adjustments(data)


def test_calendar_refuses_contradicting_adjustment_objects() -> None:
    with pytest.raises(CalendarDataError):
        WorkingCalendar(
            adjustments=[
                Adjustment(date(2026, 1, 10), "work", "x", "s"),
                Adjustment(date(2026, 1, 10), "off", "y", "s"),
            ]
        )


def test_national_file_works_for_a_counter_open_on_saturdays() -> None:
    cal = WorkingCalendar(weekend=(6,), adjustments=parse_adjustments(SHIPPED))
    assert cal.is_working_day(date(2026, 1, 10))
    assert cal.is_working_day(date(2026, 1, 17))
    assert not cal.is_working_day(date(2026, 1, 2))


# --------------------------------------------------------------------------- properties

moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31, 23, 59))
CALENDARS = [
    CAL,
    WorkingCalendar(WorkingHours.parse("08:00-12:00,13:00-16:30"), weekend=(6,), use_public_holidays=True),
]
calendars = st.sampled_from(CALENDARS)


def in_working_time(cal: WorkingCalendar, t: datetime, *, end_inclusive: bool) -> bool:
    if not cal.is_working_day(t.date()):
        return False
    clock = t.time()
    if end_inclusive:
        return any(a < clock <= b for a, b in cal.hours.periods)
    return any(a <= clock < b for a, b in cal.hours.periods)


@settings(max_examples=200, deadline=None)
@given(calendars, moments, st.integers(0, 40), st.integers(0, 40))
def test_adding_days_composes(cal: WorkingCalendar, start: datetime, n: int, m: int) -> None:
    assert cal.add_working_days(cal.add_working_days(start, n), m) == cal.add_working_days(start, n + m)


@settings(max_examples=200, deadline=None)
@given(calendars, moments, st.integers(1, 30_000))
def test_added_minutes_land_in_working_time_and_measure_back(
    cal: WorkingCalendar, start: datetime, m: int
) -> None:
    end = cal.add_working_minutes(start, m)
    assert in_working_time(cal, end, end_inclusive=True)
    assert end.second == 0
    assert cal.working_minutes_between(start, end) == m


@settings(max_examples=200, deadline=None)
@given(calendars, moments, moments, st.integers(1, 20_000))
def test_minutes_between_is_additive(cal: WorkingCalendar, a: datetime, b: datetime, m: int) -> None:
    a, b = min(a, b), max(a, b)
    assert (
        cal.working_minutes_between(a, cal.add_working_minutes(b, m)) == cal.working_minutes_between(a, b) + m
    )


@settings(max_examples=200, deadline=None)
@given(calendars, moments)
def test_working_start_is_a_working_moment_not_before_t(cal: WorkingCalendar, t: datetime) -> None:
    s = cal.working_start(t)
    assert s >= t
    assert in_working_time(cal, s, end_inclusive=False)
    assert cal.working_minutes_between(t, s) == 0
