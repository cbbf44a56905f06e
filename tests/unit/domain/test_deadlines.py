"""Due dates, pauses and classification, checked against dates worked out by hand."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from counter_app.domain.calendar import WorkingCalendar, WorkingHours, parse_adjustments
from counter_app.domain.deadlines import (
    OpenClass,
    Pause,
    PauseMode,
    ProcessingTime,
    ResultClass,
    Unit,
    classify_open,
    classify_result,
    compute_due,
    half_day,
    working_minutes_left,
)
from counter_app.domain.errors import ValidationError

ADJUSTMENTS_FILE = Path(__file__).resolve().parents[3] / "resources" / "calendar" / "adjustments.json"
CAL = WorkingCalendar(adjustments=parse_adjustments(json.loads(ADJUSTMENTS_FILE.read_text(encoding="utf-8"))))
DT = datetime
FIFTEEN = time(15, 0)


def days(n: int, cutoff: time | None = None) -> ProcessingTime:
    return ProcessingTime(Unit.WORKING_DAYS, n, cutoff)


def hours(n: int, cutoff: time | None = None) -> ProcessingTime:
    return ProcessingTime(Unit.WORKING_HOURS, n, cutoff)


def same_day(cutoff: time | None = None) -> ProcessingTime:
    return ProcessingTime(Unit.SAME_DAY, 0, cutoff)


# --------------------------------------------------------------------------- holiday tables


@pytest.mark.parametrize(
    ("received", "processing", "due"),
    [
        # 2024 — Tết 8–14/2 (Thu–Wed): Wed 7/2 then Thu 15/2, Fri 16/2, Mon 19/2.
        (DT(2024, 2, 7, 9, 0), days(3), DT(2024, 2, 19, 9, 0)),
        # 2024 — 27/4–1/5 off (29/4 swapped for Sat 4/5): Thu 2/5, Fri 3/5.
        (DT(2024, 4, 26, 10, 0), days(2), DT(2024, 5, 3, 10, 0)),
        (DT(2024, 5, 3, 10, 0), days(1), DT(2024, 5, 4, 10, 0)),  # working Saturday 4/5
        (DT(2024, 4, 29, 9, 0), same_day(), DT(2024, 5, 2, 17, 0)),  # received on the swapped day off
        # 2024 — Quốc khánh 31/8–3/9.
        (DT(2024, 8, 30, 16, 0), days(1), DT(2024, 9, 4, 16, 0)),
        # 2025 — Tết 25/1–2/2.
        (DT(2025, 1, 24, 14, 0), days(1), DT(2025, 2, 3, 14, 0)),
        # 2025 — Sat 26/4 worked for Fri 2/5; 30/4–4/5 off.
        (DT(2025, 4, 25, 9, 0), days(1), DT(2025, 4, 26, 9, 0)),
        (DT(2025, 4, 29, 15, 30), days(1), DT(2025, 5, 5, 15, 30)),
        # 2025 — Quốc khánh 30/8–2/9: 60 minutes on Fri 29/8, 180 from Wed 3/9 07:30.
        (DT(2025, 8, 29, 16, 0), hours(4), DT(2025, 9, 3, 10, 30)),
        # 2026 — Tết 14–22/2: Mon 23, Tue 24, Wed 25/2.
        (DT(2026, 2, 13, 9, 0), days(3), DT(2026, 2, 25, 9, 0)),
        # 2026 — received Thu 12/2 after hours: 5 full days = 13/2, 23/2, 24/2, 25/2, 26/2.
        (DT(2026, 2, 12, 17, 30), days(5), DT(2026, 2, 26, 17, 0)),
        # Year end 2025 -> 2026: 1/1 and 2/1 off, then Mon 5/1, Tue 6/1, Wed 7/1.
        (DT(2025, 12, 31, 10, 0), days(3), DT(2026, 1, 7, 10, 0)),
        (DT(2025, 12, 31, 16, 30), hours(1), DT(2026, 1, 5, 8, 0)),
        # 2026 — Sat 10/1 worked for Fri 2/1.
        (DT(2026, 1, 9, 10, 0), days(1), DT(2026, 1, 10, 10, 0)),
        (DT(2026, 1, 10, 8, 0), same_day(), DT(2026, 1, 10, 17, 0)),
        (DT(2026, 1, 9, 15, 1), same_day(FIFTEEN), DT(2026, 1, 10, 17, 0)),
        # 2026 — Giỗ Tổ on Sun 26/4, made up Mon 27/4; then 30/4–3/5 with no swap.
        (DT(2026, 4, 24, 11, 0), days(1), DT(2026, 4, 28, 11, 0)),
        (DT(2026, 4, 29, 9, 0), days(1), DT(2026, 5, 4, 9, 0)),
        # 2026 — Sat 22/8 worked for Mon 31/8; 29/8–2/9 off.
        (DT(2026, 8, 21, 14, 0), days(1), DT(2026, 8, 22, 14, 0)),
        (DT(2026, 8, 28, 10, 0), days(2), DT(2026, 9, 4, 10, 0)),
        # 2026 — Ngày Văn hóa Việt Nam, Tue 24/11.
        (DT(2026, 11, 23, 16, 0), hours(8), DT(2026, 11, 25, 16, 30)),
    ],
)
def test_due_dates_across_the_official_calendar(
    received: datetime, processing: ProcessingTime, due: datetime
) -> None:
    assert compute_due(CAL, received, processing) == due


def test_dossier_straddling_the_year_end_needs_the_adjustment_file() -> None:
    # The holidays package alone has Friday 2/1/2026 as a working day.
    assert compute_due(WorkingCalendar(), DT(2025, 12, 31, 10, 0), days(3)) == DT(2026, 1, 6, 10, 0)
    assert compute_due(CAL, DT(2025, 12, 31, 10, 0), days(3)) == DT(2026, 1, 7, 10, 0)


# --------------------------------------------------------------------------- receipt moment


@pytest.mark.parametrize(
    ("received", "processing", "due"),
    [
        # Lunch break: counting starts at 13:30; a boundary due is written as 11:30.
        (DT(2026, 1, 5, 12, 0), days(1), DT(2026, 1, 6, 11, 30)),
        (DT(2026, 1, 5, 11, 30), days(1), DT(2026, 1, 6, 11, 30)),
        (DT(2026, 1, 5, 12, 0), hours(2), DT(2026, 1, 5, 15, 30)),
        # After hours: from the next working day's opening; due at 17:00, not 07:30 the day after.
        (DT(2026, 1, 5, 17, 30), days(1), DT(2026, 1, 6, 17, 0)),
        (DT(2026, 1, 5, 17, 0), days(1), DT(2026, 1, 6, 17, 0)),
        (DT(2026, 1, 4, 10, 0), days(1), DT(2026, 1, 5, 17, 0)),  # Sunday
        # Before opening: the day itself is the first working day.
        (DT(2026, 1, 5, 6, 45), days(1), DT(2026, 1, 5, 17, 0)),
        (DT(2026, 1, 5, 7, 30), days(1), DT(2026, 1, 5, 17, 0)),
        (DT(2026, 1, 5, 7, 31), days(1), DT(2026, 1, 6, 7, 31)),
        # Seconds are ignored: the receipt shows 09:15.
        (DT(2026, 1, 5, 9, 15, 59), days(2), DT(2026, 1, 7, 9, 15)),
        (DT(2026, 1, 5, 9, 0), hours(4), DT(2026, 1, 5, 15, 0)),  # 150 before lunch, 90 after
    ],
)
def test_counting_starts_at_the_next_working_moment(
    received: datetime, processing: ProcessingTime, due: datetime
) -> None:
    assert compute_due(CAL, received, processing) == due


@pytest.mark.parametrize(
    ("clock", "due"),
    [
        # 15:00 itself is not "sau 15 giờ": received up to 15:00:59 is returned the same day.
        (time(14, 59), DT(2026, 1, 5, 17, 0)),
        (time(15, 0), DT(2026, 1, 5, 17, 0)),
        (time(15, 0, 59), DT(2026, 1, 5, 17, 0)),
        (time(15, 1), DT(2026, 1, 6, 17, 0)),
        (time(16, 59), DT(2026, 1, 6, 17, 0)),
        (time(12, 0), DT(2026, 1, 5, 17, 0)),
        (time(6, 0), DT(2026, 1, 5, 17, 0)),
    ],
)
def test_same_day_cutoff_15h(clock: time, due: datetime) -> None:
    assert compute_due(CAL, datetime.combine(DT(2026, 1, 5).date(), clock), same_day(FIFTEEN)) == due


def test_same_day_without_cutoff_rolls_over_only_after_closing() -> None:
    assert compute_due(CAL, DT(2026, 1, 5, 16, 59), same_day()) == DT(2026, 1, 5, 17, 0)
    assert compute_due(CAL, DT(2026, 1, 5, 17, 0), same_day()) == DT(2026, 1, 6, 17, 0)
    assert compute_due(CAL, DT(2026, 1, 3, 9, 0), same_day()) == DT(2026, 1, 5, 17, 0)


def test_cutoff_on_working_day_procedures() -> None:
    # Liên thông khai sinh style: 3 working days, received after 15:00 counts from the next day.
    assert compute_due(CAL, DT(2026, 1, 5, 14, 0), days(3, FIFTEEN)) == DT(2026, 1, 8, 14, 0)
    assert compute_due(CAL, DT(2026, 1, 5, 15, 30), days(3, FIFTEEN)) == DT(2026, 1, 8, 17, 0)
    # A cutoff never matters on a day off.
    assert compute_due(CAL, DT(2026, 1, 4, 16, 0), days(1, FIFTEEN)) == DT(2026, 1, 5, 17, 0)


# --------------------------------------------------------------------------- pauses


def test_pause_resume_extends_by_the_paused_working_minutes() -> None:
    received = DT(2026, 1, 5, 8, 0)
    assert compute_due(CAL, received, days(3)) == DT(2026, 1, 8, 8, 0)
    one = [Pause(DT(2026, 1, 6, 10, 0), DT(2026, 1, 7, 10, 0))]  # 450 working minutes
    assert compute_due(CAL, received, days(3), one) == DT(2026, 1, 9, 8, 0)
    two = [*one, Pause(DT(2026, 1, 8, 15, 0), DT(2026, 1, 9, 9, 0))]  # + 120 + 90
    assert compute_due(CAL, received, days(3), two) == DT(2026, 1, 9, 11, 30)


def test_open_pause_gives_no_due_date() -> None:
    pauses = [Pause(DT(2026, 1, 6, 10, 0), None)]
    assert compute_due(CAL, DT(2026, 1, 5, 8, 0), days(3), pauses) is None
    assert compute_due(CAL, DT(2026, 1, 5, 8, 0), days(3), pauses, PauseMode.RESTART) is None


def test_pause_after_the_due_moment_changes_nothing() -> None:
    late = [Pause(DT(2026, 1, 7, 9, 0), DT(2026, 1, 8, 10, 0))]
    assert compute_due(CAL, DT(2026, 1, 5, 8, 0), days(1), late) == DT(2026, 1, 6, 8, 0)


def test_pause_before_counting_started_counts_only_from_the_start() -> None:
    # Received 16:00 after the 15:00 cutoff: the clock starts Tue 07:30; a pause 16:10-16:40
    # on Monday lies wholly before it.
    pauses = [Pause(DT(2026, 1, 5, 16, 10), DT(2026, 1, 5, 16, 40))]
    assert compute_due(CAL, DT(2026, 1, 5, 16, 0), days(1, FIFTEEN), pauses) == DT(2026, 1, 6, 17, 0)
    # Until Tue 08:00: only the 30 minutes after 07:30 count.
    pauses = [Pause(DT(2026, 1, 5, 16, 10), DT(2026, 1, 6, 8, 0))]
    assert compute_due(CAL, DT(2026, 1, 5, 16, 0), days(1, FIFTEEN), pauses) == DT(2026, 1, 7, 8, 0)


def test_restart_counts_the_full_time_from_the_supplement() -> None:
    received = DT(2026, 1, 5, 8, 0)
    pauses = [Pause(DT(2026, 1, 6, 10, 0), DT(2026, 1, 9, 14, 0))]
    # Sat 10/1 is a working day: Sat 10/1, Mon 12/1, Tue 13/1.
    assert compute_due(CAL, received, days(3), pauses, PauseMode.RESTART) == DT(2026, 1, 13, 14, 0)
    # Supplement received after the cutoff counts from the next working day (Sat 10/1).
    late = [Pause(DT(2026, 1, 6, 10, 0), DT(2026, 1, 9, 16, 0))]
    assert compute_due(CAL, received, days(3, FIFTEEN), late, PauseMode.RESTART) == DT(2026, 1, 13, 17, 0)
    assert compute_due(CAL, received, same_day(FIFTEEN), late, PauseMode.RESTART) == DT(2026, 1, 10, 17, 0)


@pytest.mark.parametrize(
    "pauses",
    [
        [Pause(DT(2026, 1, 5, 7, 0), DT(2026, 1, 5, 9, 0))],  # before receipt
        [
            Pause(DT(2026, 1, 6, 9, 0), DT(2026, 1, 7, 9, 0)),
            Pause(DT(2026, 1, 6, 15, 0), DT(2026, 1, 8, 9, 0)),
        ],
        [Pause(DT(2026, 1, 6, 9, 0), None), Pause(DT(2026, 1, 7, 9, 0), DT(2026, 1, 8, 9, 0))],
    ],
)
def test_inconsistent_pauses_are_refused(pauses: list[Pause]) -> None:
    with pytest.raises(ValidationError) as err:
        compute_due(CAL, DT(2026, 1, 5, 8, 0), days(3), pauses)
    assert "tạm dừng" in err.value.message


def test_pause_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError):
        Pause(DT(2026, 1, 6, 9, 0), DT(2026, 1, 6, 8, 0))


# --------------------------------------------------------------------------- classification


def test_result_classification_by_due_date() -> None:
    due = DT(2026, 1, 8, 10, 0)
    assert classify_result(due, DT(2026, 1, 7, 16, 59)) is ResultClass.EARLY
    assert classify_result(due, DT(2026, 1, 8, 7, 30)) is ResultClass.ON_TIME
    assert classify_result(due, DT(2026, 1, 8, 16, 59)) is ResultClass.ON_TIME  # after the clock time
    assert classify_result(due, DT(2026, 1, 8, 23, 59)) is ResultClass.ON_TIME
    assert classify_result(due, DT(2026, 1, 9, 7, 30)) is ResultClass.LATE


def test_open_classification_by_due_date() -> None:
    due = DT(2026, 1, 8, 17, 0)
    assert classify_open(due, DT(2026, 1, 8, 16, 59)) is OpenClass.WITHIN
    assert classify_open(due, DT(2026, 1, 8, 23, 59, 59)) is OpenClass.WITHIN
    assert classify_open(due, DT(2026, 1, 9, 0, 0)) is OpenClass.OVERDUE


def test_working_minutes_left() -> None:
    due = DT(2026, 1, 8, 10, 0)
    assert working_minutes_left(CAL, due, DT(2026, 1, 7, 10, 0)) == 450
    assert working_minutes_left(CAL, due, DT(2026, 1, 8, 10, 0)) == 0
    assert working_minutes_left(CAL, due, DT(2026, 1, 8, 11, 0)) == -60
    assert working_minutes_left(CAL, due, DT(2026, 1, 9, 7, 30)) == -300
    assert working_minutes_left(CAL, DT(2026, 1, 10, 17, 0), DT(2026, 1, 9, 17, 0)) == 450  # working Saturday


@pytest.mark.parametrize(
    ("clock", "expected"),
    [(time(7, 31), "sáng"), (time(11, 30), "sáng"), (time(13, 31), "chiều"), (time(17, 0), "chiều")],
)
def test_half_day(clock: time, expected: str) -> None:
    assert half_day(CAL, datetime.combine(DT(2026, 1, 8).date(), clock)) == expected


# --------------------------------------------------------------------------- ProcessingTime


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"unit": "working_days", "amount": 3, "cutoff": None}, "03 ngày làm việc"),
        ({"unit": "working_days", "amount": 15, "cutoff": None}, "15 ngày làm việc"),
        ({"unit": "working_hours", "amount": 4, "cutoff": None}, "4 giờ làm việc"),
        (
            {"unit": "same_day", "amount": 0, "cutoff": "15:00"},
            "Trong ngày làm việc (tiếp nhận sau 15 giờ 00 trả trong ngày làm việc tiếp theo)",
        ),
        ({"unit": "same_day", "amount": 0, "cutoff": None}, "Trong ngày làm việc"),
        (
            {"unit": "working_days", "amount": 3, "cutoff": "15:30"},
            "03 ngày làm việc (tiếp nhận sau 15 giờ 30 tính từ ngày làm việc tiếp theo)",
        ),
    ],
)
def test_processing_time_round_trip_and_wording(data: dict[str, object], text: str) -> None:
    processing = ProcessingTime.from_dict(data)
    assert processing.to_dict() == data
    assert processing.describe_vi() == text


def test_same_day_amount_may_be_omitted() -> None:
    assert ProcessingTime.from_dict({"unit": "same_day"}) == same_day()


@pytest.mark.parametrize(
    "data",
    [
        {"unit": "days", "amount": 3},
        {"amount": 3},
        {"unit": "working_days"},
        {"unit": "working_days", "amount": 0},
        {"unit": "working_days", "amount": -2},
        {"unit": "working_days", "amount": 1000},
        {"unit": "working_days", "amount": "3"},
        {"unit": "working_days", "amount": 2.5},
        {"unit": "working_days", "amount": True},
        {"unit": "same_day", "amount": 1},
        {"unit": "working_days", "amount": 3, "cutoff": "15h"},
        {"unit": "working_days", "amount": 3, "cutoff": "24:00"},
        {"unit": "working_days", "amount": 3, "cutoff": 15},
    ],
)
def test_bad_processing_time_is_refused(data: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        ProcessingTime.from_dict(data)


# --------------------------------------------------------------------------- properties

moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2026, 12, 31, 23, 59))
processings = st.one_of(
    st.builds(days, st.integers(1, 60), st.sampled_from([None, FIFTEEN])),
    st.builds(hours, st.integers(1, 200), st.sampled_from([None, FIFTEEN])),
    st.builds(same_day, st.sampled_from([None, FIFTEEN])),
)
OTHER = WorkingCalendar(WorkingHours.parse("07:00-11:00,13:00-16:30"), weekend=(6,))
calendars = st.sampled_from([CAL, OTHER])


def in_working_time(cal: WorkingCalendar, t: datetime) -> bool:
    return cal.is_working_day(t.date()) and any(a < t.time() <= b for a, b in cal.hours.periods)


@settings(max_examples=300, deadline=None)
@given(calendars, moments, processings)
def test_due_is_always_in_working_time(
    cal: WorkingCalendar, received: datetime, processing: ProcessingTime
) -> None:
    due = compute_due(cal, received, processing)
    assert due is not None
    assert due > received
    assert in_working_time(cal, due)


@settings(max_examples=300, deadline=None)
@given(calendars, moments, st.integers(0, 3 * 24 * 60), processings)
def test_due_is_monotonic_in_receipt_time(
    cal: WorkingCalendar, received: datetime, later_by: int, processing: ProcessingTime
) -> None:
    later = received + timedelta(minutes=later_by)
    first, second = compute_due(cal, received, processing), compute_due(cal, later, processing)
    assert first is not None and second is not None
    assert first <= second


@settings(max_examples=300, deadline=None)
@given(
    calendars,
    moments,
    processings,
    st.integers(0, 20 * 24 * 60),
    st.integers(0, 10 * 24 * 60),
)
def test_a_closed_pause_moves_the_due_by_its_working_minutes(
    cal: WorkingCalendar, received: datetime, processing: ProcessingTime, after: int, length: int
) -> None:
    due0 = compute_due(cal, received, processing)
    assert due0 is not None
    start = received + timedelta(minutes=after)
    end = start + timedelta(minutes=length)
    # The pause must begin while the clock runs: after counting started, before the due moment.
    assume(cal.position(received, processing.cutoff) <= cal.position(start) < cal.position(due0))
    k = cal.working_minutes_between(start, end)
    due1 = compute_due(cal, received, processing, [Pause(start, end)])
    assert due1 is not None
    assert cal.working_minutes_between(due0, due1) == k
    assert in_working_time(cal, due1)
