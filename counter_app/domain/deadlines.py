"""Appointment (due) dates of dossiers and their early / on-time / late classification.

The rules, with worked examples an official can check by hand, are in docs/deadlines.md.
In short:

* counting starts at the first working moment at or after receipt; with a procedure
  cutoff (e.g. 15:00), a receipt later than the cutoff minute counts from the next working
  day's opening;
* N working days = N × (working minutes per day) of working time; H working hours =
  H × 60 working minutes; a due moment on a period boundary is written as the end of the
  earlier period (17:00, 11:30);
* a same-day procedure is due at the close of the working day on which counting starts;
* while the citizen is asked to supplement the dossier the clock is paused (pause/resume)
  or, for procedures whose rule says so, restarted from the supplement's receipt;
* results and open dossiers are classified by the calendar *date* of the due moment, the
  date printed on the appointment slip.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from counter_app.domain.calendar import WorkingCalendar
from counter_app.domain.errors import ValidationError

__all__ = [
    "MAX_AMOUNT",
    "OpenClass",
    "Pause",
    "PauseMode",
    "ProcessingTime",
    "ResultClass",
    "Unit",
    "classify_open",
    "classify_result",
    "compute_due",
    "half_day",
    "working_minutes_left",
]

# Longest processing time accepted, in days or hours: far above any procedure in the
# catalogue (90 working days is already rare), low enough to catch a typing slip.
MAX_AMOUNT = 999

_CUTOFF_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


class Unit(StrEnum):
    """How a procedure's legal processing time is expressed in the catalogue."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    SAME_DAY = "same_day"


@dataclass(frozen=True)
class ProcessingTime:
    """A procedure's legal processing time, as published with the procedure."""

    unit: Unit
    amount: int  # days or hours; 0 for SAME_DAY
    cutoff: time | None = None  # received later than this -> counts from the next working day

    def __post_init__(self) -> None:
        try:
            unit = Unit(self.unit)
        except ValueError:
            raise ValidationError(
                f"Đơn vị thời hạn giải quyết “{self.unit}” không hợp lệ "
                "(working_days, working_hours hoặc same_day).",
                field="unit",
            ) from None
        object.__setattr__(self, "unit", unit)
        amount = self.amount
        if not isinstance(amount, int) or isinstance(amount, bool):
            raise ValidationError("Thời hạn giải quyết phải là số nguyên.", field="amount")
        if unit is Unit.SAME_DAY:
            if amount != 0:
                raise ValidationError(
                    "Thủ tục giải quyết trong ngày không có số ngày/giờ (amount phải bằng 0).", field="amount"
                )
        elif not 1 <= amount <= MAX_AMOUNT:
            raise ValidationError(
                f"Thời hạn giải quyết phải từ 1 đến {MAX_AMOUNT} {_unit_word(unit)}.", field="amount"
            )
        cutoff = self.cutoff
        if cutoff is not None and (
            not isinstance(cutoff, time) or cutoff.tzinfo is not None or cutoff.second or cutoff.microsecond
        ):
            raise ValidationError("Giờ chốt tiếp nhận phải là giờ:phút (ví dụ 15:00).", field="cutoff")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ProcessingTime:
        """Read the catalogue form ``{"unit": "working_days", "amount": 3, "cutoff": "15:00" | null}``."""
        if not isinstance(d, Mapping):
            raise ValidationError("Thời hạn giải quyết phải là một đối tượng có unit, amount, cutoff.")
        unit = d.get("unit")
        if not isinstance(unit, str):
            raise ValidationError("Thời hạn giải quyết thiếu đơn vị (unit).", field="unit")
        amount = d.get("amount", 0 if unit == Unit.SAME_DAY else None)
        if amount is None:
            raise ValidationError("Thời hạn giải quyết thiếu số ngày/giờ (amount).", field="amount")
        raw_cutoff = d.get("cutoff")
        cutoff: time | None = None
        if raw_cutoff is not None:
            match = _CUTOFF_RE.match(raw_cutoff) if isinstance(raw_cutoff, str) else None
            if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
                raise ValidationError(
                    f"Giờ chốt tiếp nhận “{raw_cutoff}” không hợp lệ (đúng dạng: 15:00).", field="cutoff"
                )
            cutoff = time(int(match.group(1)), int(match.group(2)))
        return cls(unit=unit, amount=amount, cutoff=cutoff)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """The catalogue form; ``from_dict(to_dict())`` gives the same value back."""
        return {
            "unit": self.unit.value,
            "amount": self.amount,
            "cutoff": None if self.cutoff is None else f"{self.cutoff:%H:%M}",
        }

    def describe_vi(self) -> str:
        """The processing time as printed on the receipt, e.g. "03 ngày làm việc"."""
        cutoff = self.cutoff
        cut = "" if cutoff is None else f"{cutoff.hour} giờ {cutoff.minute:02d}"
        if self.unit is Unit.SAME_DAY:
            text = "Trong ngày làm việc"
            if cutoff is not None:
                text += f" (tiếp nhận sau {cut} trả trong ngày làm việc tiếp theo)"
            return text
        if self.unit is Unit.WORKING_DAYS:
            text = f"{self.amount:02d} ngày làm việc"
        else:
            text = f"{self.amount} giờ làm việc"
        if cutoff is not None:
            text += f" (tiếp nhận sau {cut} tính từ ngày làm việc tiếp theo)"
        return text


def _unit_word(unit: Unit) -> str:
    return "ngày làm việc" if unit is Unit.WORKING_DAYS else "giờ làm việc"


class PauseMode(StrEnum):
    """What a supplement request does to the clock."""

    PAUSE_RESUME = "pause_resume"  # time already used stays used; the clock resumes on receipt
    RESTART = "restart"  # the full processing time starts again from the supplement's receipt


@dataclass(frozen=True)
class Pause:
    """The clock stopped from a supplement request until the supplement was received."""

    start: datetime
    end: datetime | None  # None: still waiting for the citizen

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValidationError(
                f"Thời điểm nhận hồ sơ bổ sung ({self.end:%H:%M %d/%m/%Y}) không thể trước thời điểm "
                f"yêu cầu bổ sung ({self.start:%H:%M %d/%m/%Y}).",
                field="pause",
            )


def _due_position(cal: WorkingCalendar, start: int, processing: ProcessingTime) -> int:
    unit = processing.unit
    if unit is Unit.WORKING_DAYS:
        return start + processing.amount * cal.minutes_per_day
    if unit is Unit.WORKING_HOURS:
        return start + processing.amount * 60
    return cal.end_of_working_day_position(start)


def _check_pauses(received_at: datetime, pauses: Sequence[Pause]) -> None:
    previous_end: datetime | None = received_at
    for number, pause in enumerate(pauses, start=1):
        if previous_end is None:
            raise ValidationError(
                f"Lần tạm dừng thứ {number - 1} chưa kết thúc (chưa nhận hồ sơ bổ sung) "
                "nên không thể có lần tạm dừng sau.",
                field="pause",
            )
        if pause.start < previous_end:
            what = "thời điểm tiếp nhận" if number == 1 else f"lúc kết thúc lần tạm dừng thứ {number - 1}"
            raise ValidationError(
                f"Lần tạm dừng thứ {number} bắt đầu ({pause.start:%H:%M %d/%m/%Y}) trước {what}.",
                field="pause",
            )
        previous_end = pause.end


def compute_due(
    cal: WorkingCalendar,
    received_at: datetime,
    processing: ProcessingTime,
    pauses: Sequence[Pause] = (),
    mode: PauseMode = PauseMode.PAUSE_RESUME,
) -> datetime | None:
    """The appointment moment for a dossier; None while the clock is stopped (pause open).

    Pauses must be in order, start at or after receipt and not overlap; only the last may be
    open. Under PAUSE_RESUME each closed pause that starts while the clock is still running
    moves the due moment by the working minutes it lasted (minutes before counting started do
    not count); a pause that starts after the due moment has passed changes nothing — the
    dossier was already late. Under RESTART the full time is counted again from the end of the
    last pause, applying the cutoff to that receipt like to a new one.
    """
    if not pauses:
        start = cal.position(received_at, processing.cutoff)
        return cal.moment(_due_position(cal, start, processing), at_period_end=True)
    _check_pauses(received_at, pauses)
    if pauses[-1].end is None:
        return None
    if mode is PauseMode.RESTART:
        start = cal.position(pauses[-1].end, processing.cutoff)
        return cal.moment(_due_position(cal, start, processing), at_period_end=True)
    start = cal.position(received_at, processing.cutoff)
    due = _due_position(cal, start, processing)
    for pause in pauses:
        assert pause.end is not None  # checked above: only the last pause may be open
        stopped = max(cal.position(pause.start), start)
        if stopped >= due:
            break
        resumed = cal.position(pause.end)
        if resumed > stopped:
            due += resumed - stopped
    return cal.moment(due, at_period_end=True)


def half_day(cal: WorkingCalendar, due: datetime) -> str:
    """ "sáng" or "chiều" for the appointment slip: morning up to the end of the first period."""
    return "sáng" if due.time() <= cal.hours.periods[0][1] else "chiều"


class ResultClass(StrEnum):
    """Classification of a returned result in the period report."""

    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # quá hạn


def classify_result(due: datetime, finished_at: datetime) -> ResultClass:
    """By calendar date, as printed on the appointment slip: before / on / after the due date."""
    finished, due_date = finished_at.date(), due.date()
    if finished < due_date:
        return ResultClass.EARLY
    if finished == due_date:
        return ResultClass.ON_TIME
    return ResultClass.LATE


class OpenClass(StrEnum):
    """Classification of a dossier still being processed."""

    WITHIN = "within"  # trong hạn
    OVERDUE = "overdue"  # quá hạn


def classify_open(due: datetime, now: datetime) -> OpenClass:
    """Overdue only once the due date has passed (from 00:00 of the next calendar day)."""
    return OpenClass.OVERDUE if now.date() > due.date() else OpenClass.WITHIN


def working_minutes_left(cal: WorkingCalendar, due: datetime, now: datetime) -> int:
    """Working minutes from ``now`` to ``due``; negative by the working minutes overdue."""
    return cal.position(due) - cal.position(now)
