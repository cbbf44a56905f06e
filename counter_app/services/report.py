"""The period report by field (Biểu số 06/VPCP/KSTT, Thông tư 01/2020/TT-VPCP): the numbers.

Every figure is the state *as of the period end*, rebuilt from timestamps in the projection and,
where a dossier changed after the end, from its events: a dossier resolved on the 20th was still
"in process" in the report that ends on the 14th, and a supplement received after the end leaves
it "paused" in that report. Consecutive periods therefore chain exactly: what is open at the end
of one period is what the next one carries over. The counting rules, with their sources and what
is inferred, are in docs/reports.md.
"""

from __future__ import annotations

import calendar as month_calendar
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from counter_app.domain.calendar import WorkingCalendar
from counter_app.domain.deadlines import ResultClass, classify_result
from counter_app.domain.errors import ValidationError
from counter_app.domain.report_rules import UNCHANGED, History, HistoryFold, working_days_late
from counter_app.domain.text import fold
from counter_app.domain.vietnamese import number as vn_number
from counter_app.printing import build_pdf
from counter_app.printing.period_report import LateLine, ReportData, ReportLine
from counter_app.services.context import Counter

CUTOFF_SETTING = "report_cutoff_day"
FOLD_SETTING = "report_fold"
RECIPIENT_SETTING = "report_recipient"
DEFAULT_CUTOFF_DAY = 15  # NĐ 09/2019/NĐ-CP Điều 12: from the 15th of the month before to the 14th
MAX_CUTOFF_DAY = 28  # every month has it
PDF_LATE_LIMIT = 300  # late dossiers listed on paper; the XLSX and the JSON list them all
# Dossiers open longer than this many days are found through the partial index of
# db/0003_report_indexes.sql (same literal there); the others by their date of receipt.
LONG_OPEN_DAYS = 90


# ---------------------------------------------------------------------------------------------
# Periods


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"


PERIOD_KIND_LABELS: dict[PeriodKind, str] = {
    PeriodKind.MONTH: "Tháng",
    PeriodKind.QUARTER: "Quý",
    PeriodKind.HALF: "6 tháng",
    PeriodKind.NINE_MONTHS: "9 tháng",
    PeriodKind.YEAR: "Năm",
}
ROMAN = ("I", "II", "III", "IV")


def period_numbers(kind: PeriodKind) -> list[tuple[int, str]]:
    """The choices of "which one" for a kind of period: months 1–12, quarters I–IV, halves."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTH:
        return [(m, f"Tháng {m}") for m in range(1, 13)]
    if kind is PeriodKind.QUARTER:
        return [(q, f"Quý {ROMAN[q - 1]}") for q in range(1, 5)]
    if kind is PeriodKind.HALF:
        return [(1, "6 tháng đầu năm"), (2, "6 tháng cuối năm")]
    return [(1, PERIOD_KIND_LABELS[kind])]


def check_cutoff_day(value: str | int) -> int:
    """The first day of a reporting month: 15 (official default), 1 (calendar months), 26 (…to the 25th)."""
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= MAX_CUTOFF_DAY:
        raise ValidationError(
            f"Ngày bắt đầu kỳ báo cáo phải là số từ 1 đến {MAX_CUTOFF_DAY} "
            "(15: từ ngày 15 tháng trước đến ngày 14; 1: theo tháng dương lịch).",
            field=CUTOFF_SETTING,
        )
    return int(text)


def cutoff_day(counter: Counter) -> int:
    return check_cutoff_day(counter.store.get_setting(CUTOFF_SETTING) or DEFAULT_CUTOFF_DAY)


def _month_range(year: int, month: int, first_day: int) -> tuple[date, date]:
    if first_day == 1:
        return date(year, month, 1), date(year, month, month_calendar.monthrange(year, month)[1])
    before_year, before_month = (year - 1, 12) if month == 1 else (year, month - 1)
    return date(before_year, before_month, first_day), date(year, month, first_day - 1)


def period_range(
    kind: PeriodKind | str, year: int, number: int = 1, first_day: int = DEFAULT_CUTOFF_DAY
) -> tuple[date, date]:
    """First and last day (inclusive) of a reporting period under the cut-off ``first_day``.

    With 15: month 11/2026 = 15/10–14/11/2026; quarter IV = 15/09–14/12; 6 months = 15/12 of the
    year before–14/06; 9 months = 15/12–14/09; year = 15/12–14/12. With 1: calendar periods.
    """
    kind = PeriodKind(kind)
    first_day = check_cutoff_day(first_day)
    valid = [n for n, _ in period_numbers(kind)]
    if number not in valid:
        raise ValidationError(f"Kỳ số {number} không có trong loại kỳ «{PERIOD_KIND_LABELS[kind]}».")
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Năm báo cáo {year} không hợp lệ.", field="year")
    first_month, last_month = {
        PeriodKind.MONTH: (number, number),
        PeriodKind.QUARTER: (3 * number - 2, 3 * number),
        PeriodKind.HALF: (6 * number - 5, 6 * number),
        PeriodKind.NINE_MONTHS: (1, 9),
        PeriodKind.YEAR: (1, 12),
    }[kind]
    return _month_range(year, first_month, first_day)[0], _month_range(year, last_month, first_day)[1]


def month_containing(day: date, first_day: int = DEFAULT_CUTOFF_DAY) -> tuple[int, int]:
    """(year, month) of the reporting month that contains ``day``: with 15, 20/11/2026 is in month 12/2026."""
    if first_day == 1 or day.day < first_day:
        return day.year, day.month
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def period_label(kind: PeriodKind | str, year: int, number: int = 1) -> str:
    """ "Tháng 11 năm 2026", "Quý IV năm 2026", "6 tháng đầu năm 2026", "9 tháng năm 2026", "Năm 2026"."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTH:
        return f"Tháng {number} năm {year}"
    if kind is PeriodKind.QUARTER:
        return f"Quý {ROMAN[number - 1]} năm {year}"
    if kind is PeriodKind.HALF:
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    if kind is PeriodKind.NINE_MONTHS:
        return f"9 tháng năm {year}"
    return f"Năm {year}"


def free_label(start: date, end: date) -> str:
    return f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"


# ---------------------------------------------------------------------------------------------
# Figures


@dataclass(frozen=True)
class Figures:
    """One row of the report. received = carried_over + online + direct
    = resolved + in_process + paused + refused + stopped + withdrawn + cancelled."""

    received: int = 0
    carried_over: int = 0  # open at the period start (received before it)
    online: int = 0  # new in the period, submitted online
    direct: int = 0  # new in the period, at the counter or by post
    resolved: int = 0  # result ready in the period
    early: int = 0
    on_time: int = 0
    late: int = 0
    in_process: int = 0  # open at the period end, clock running
    within: int = 0
    overdue: int = 0
    paused: int = 0  # open at the period end, waiting for the citizen's supplement
    refused: int = 0  # ended in the period without a result
    stopped: int = 0
    withdrawn: int = 0
    cancelled: int = 0
    rated: int = 0  # resolved in the period and rated by the citizen
    satisfied: int = 0

    @property
    def satisfied_share(self) -> float | None:
        return None if not self.rated else self.satisfied / self.rated

    @property
    def open_at_end(self) -> int:
        return self.in_process + self.paused

    def broken_identities(self) -> list[str]:
        """Names of the report identities this row breaks (empty for a correct row)."""
        checks = {
            "received = carried_over + online + direct": self.received
            == self.carried_over + self.online + self.direct,
            "received = resolved + in_process + paused + refused + stopped + withdrawn + cancelled": self.received
            == self.resolved
            + self.in_process
            + self.paused
            + self.refused
            + self.stopped
            + self.withdrawn
            + self.cancelled,
            "resolved = early + on_time + late": self.resolved == self.early + self.on_time + self.late,
            "in_process = within + overdue": self.in_process == self.within + self.overdue,
            "satisfied <= rated <= resolved": self.satisfied <= self.rated <= self.resolved,
        }
        return [name for name, ok in checks.items() if not ok]

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        share = self.satisfied_share
        out["satisfied_share"] = None if share is None else round(share, 4)
        return out


FIGURE_KEYS = tuple(f.name for f in fields(Figures))
_INDEX = {key: i for i, key in enumerate(FIGURE_KEYS)}


def _figures(values: Sequence[int]) -> Figures:
    return Figures(*values)


def add_up(rows: Iterable[Figures]) -> Figures:
    total = [0] * len(FIGURE_KEYS)
    for row in rows:
        for i, key in enumerate(FIGURE_KEYS):
            total[i] += getattr(row, key)
    return _figures(total)


@dataclass(frozen=True)
class FieldFigures:
    field: str
    figures: Figures


@dataclass(frozen=True)
class LateDossier:
    """A dossier resolved late in the period, or still overdue at its end."""

    code: str
    field: str
    procedure_name: str
    applicant_name: str
    received_at: datetime
    due_at: datetime  # the legal due moment (before any apology's new date)
    finished_at: datetime | None  # result ready; None while still open at the period end
    working_days_late: int
    apology: bool  # a Mẫu 04 apology with a new date was issued before the period end

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "field": self.field,
            "procedure": self.procedure_name,
            "applicant": self.applicant_name,
            "received": self.received_at.isoformat(timespec="minutes"),
            "due": self.due_at.isoformat(timespec="minutes"),
            "finished": None if self.finished_at is None else self.finished_at.isoformat(timespec="minutes"),
            "status": "open" if self.is_open else "resolved",
            "working_days_late": self.working_days_late,
            "apology": self.apology,
        }


@dataclass(frozen=True)
class PeriodReport:
    start: date
    end: date  # inclusive
    label: str  # "Tháng 11 năm 2026"
    as_of: datetime  # the moment the open dossiers are classified at
    provisional: bool  # the period has not ended yet: figures as of now
    fields: tuple[FieldFigures, ...]
    total: Figures
    late: tuple[LateDossier, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "period": self.label,
            "as_of": self.as_of.isoformat(timespec="minutes"),
            "provisional": self.provisional,
            "fields": [{"field": f.field, **f.figures.to_json()} for f in self.fields],
            "total": self.total.to_json(),
            "late": [item.to_json() for item in self.late],
        }


# ---------------------------------------------------------------------------------------------
# Reading the database (the report's own read model; indexes in db/0003_report_indexes.sql)

_COLUMNS = (
    "num",
    "field",
    "channel",
    "received_at",
    "due_at",
    "state",
    "finished_at",
    "result_class",
    "rating",
    "apologies",
    "updated_at",
)
NUM, FIELD, CHANNEL, RECEIVED, DUE, STATE, FINISHED, RESULT, RATING, APOLOGIES, UPDATED = range(len(_COLUMNS))
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM dossiers"
_LONG_OPEN = f"(finished_at IS NULL OR finished_at >= date(received_at, '+{LONG_OPEN_DAYS} days'))"
_NEW_SQL = _SELECT + " WHERE received_at >= ? AND received_at < ?"
_CARRIED_RECENT_SQL = (
    _SELECT + " WHERE received_at >= ? AND received_at < ? AND (finished_at IS NULL OR finished_at >= ?)"
)
_CARRIED_LONG_SQL = (
    _SELECT + f" WHERE {_LONG_OPEN} AND received_at < ? AND (finished_at IS NULL OR finished_at >= ?)"
)
_EVENTS_SQL = (
    "SELECT dossier_num, action, at, json_type(payload, '$.due_at'), json_extract(payload, '$.due_at') "
    "FROM events WHERE dossier_num IN ({marks}) AND at < ? AND action IN "
    "('receive', 'request-supplement', 'receive-supplement', 'apologize', 'reschedule', 'ready') "
    "ORDER BY dossier_num, seq"
)
_NAMES_SQL = "SELECT num, code, procedure_name, applicant_name FROM dossiers WHERE num IN ({marks})"
_OPEN_STATES = frozenset({"received", "in_progress", "supplement"})
_RESULT_STATES = frozenset({"ready", "returned"})
_ENDED_WITHOUT_RESULT = frozenset({"refused", "stopped", "withdrawn", "cancelled"})


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _population(conn: sqlite3.Connection, start: datetime, end: datetime) -> list[tuple[Any, ...]]:
    """Dossiers received before ``end`` and not finished before ``start`` (a superset: a dossier
    withdrawn after its result was ready may have left earlier; the caller checks its events)."""
    s, e = _iso(start), _iso(end)
    long_ago = _iso(start - timedelta(days=LONG_OPEN_DAYS))
    rows = conn.execute(_NEW_SQL, (s, e)).fetchall()
    rows += conn.execute(_CARRIED_RECENT_SQL, (long_ago, s, s)).fetchall()
    rows += conn.execute(_CARRIED_LONG_SQL, (long_ago, s)).fetchall()
    return rows


def _histories(
    conn: sqlite3.Connection, cal: WorkingCalendar, nums: list[int], end: datetime
) -> dict[int, History]:
    folds: dict[int, HistoryFold] = {}
    e = _iso(end)
    for first in range(0, len(nums), 500):
        chunk = nums[first : first + 500]
        sql = _EVENTS_SQL.format(marks=",".join("?" * len(chunk)))
        for num, action, at_text, due_type, due_text in conn.execute(sql, [*chunk, e]).fetchall():
            due: object = UNCHANGED
            if due_type is not None:
                due = datetime.fromisoformat(due_text) if due_text else None
            folds.setdefault(num, HistoryFold()).feed(cal, action, datetime.fromisoformat(at_text), due)
    return {num: fold.close(cal) for num, fold in folds.items()}


# ---------------------------------------------------------------------------------------------
# The report


def compute(counter: Counter, start: date, end: date, *, label: str | None = None) -> PeriodReport:
    """The report for ``start``..``end`` (inclusive days); figures as of the end, or as of now if later."""
    if end < start:
        raise ValidationError(
            f"Ngày kết thúc kỳ báo cáo ({end:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y}).", field="to"
        )
    now = counter.now().replace(microsecond=0)
    if start > now.date():
        raise ValidationError(f"Kỳ báo cáo bắt đầu ngày {start:%d/%m/%Y}, chưa tới.", field="from")
    cal = counter.calendar
    s = datetime.combine(start, time())
    e = datetime.combine(end + timedelta(days=1), time())
    provisional = now < e
    as_of = now if provisional else datetime.combine(end, time(23, 59, 59))
    as_of_day = as_of.date()
    s_iso, e_iso = _iso(s), _iso(e)
    conn = counter.store.conn

    rows = _population(conn, s, e)
    need = [
        r[NUM]
        for r in rows
        if r[APOLOGIES]
        or (r[STATE] == "withdrawn" and r[RESULT] is not None)
        or ((r[FINISHED] is None or r[FINISHED] >= e_iso) and r[UPDATED] >= e_iso)
    ]
    histories = _histories(conn, cal, need, e) if need else {}

    by_field: dict[str, list[int]] = {}
    late: list[_Late] = []
    i_carried, i_online, i_direct = _INDEX["carried_over"], _INDEX["online"], _INDEX["direct"]
    i_resolved, i_rated, i_satisfied = _INDEX["resolved"], _INDEX["rated"], _INDEX["satisfied"]
    i_paused, i_in_process, i_within, i_overdue = (
        _INDEX["paused"], _INDEX["in_process"], _INDEX["within"], _INDEX["overdue"],
    )  # fmt: skip
    as_of_iso = as_of_day.isoformat()

    for r in rows:
        history = histories.get(r[NUM])
        state = r[STATE]
        # When and how the dossier left the open set: at its result, or at a refusal, stop, …
        exit_at: str | None
        kind: str
        if state in _RESULT_STATES:
            exit_at, kind = r[FINISHED], "resolved"
        elif state == "withdrawn" and r[RESULT] is not None:  # withdrawn after the result was ready
            ready = history.ready_at if history else None
            exit_at, kind = (_iso(ready), "resolved") if ready else (r[FINISHED], "withdrawn")
        elif state in _ENDED_WITHOUT_RESULT:
            exit_at, kind = r[FINISHED], state
        else:
            exit_at, kind = None, "open"
        if exit_at is not None and exit_at < s_iso:
            continue  # left before the period: not in this report
        values = by_field.get(r[FIELD])
        if values is None:
            values = by_field[r[FIELD]] = [0] * len(FIGURE_KEYS)
        values[0] += 1
        if r[RECEIVED] < s_iso:
            values[i_carried] += 1
        elif r[CHANNEL] == "online":
            values[i_online] += 1
        else:
            values[i_direct] += 1

        if exit_at is not None and exit_at < e_iso:
            if kind != "resolved":
                values[_INDEX[kind]] += 1
                continue
            if history is not None and history.apologized and history.legal_due is not None:
                due: datetime | None = history.legal_due
                result = classify_result(history.legal_due, datetime.fromisoformat(exit_at)).value
            else:
                due = None
                result = r[RESULT] or ResultClass.ON_TIME.value
            values[i_resolved] += 1
            values[_INDEX[result]] += 1
            if r[RATING]:
                values[i_rated] += 1
                if r[RATING] == "satisfied":
                    values[i_satisfied] += 1
            if result == "late":
                due = due or (datetime.fromisoformat(r[DUE]) if r[DUE] else None)
                if due is not None:
                    finished = datetime.fromisoformat(exit_at)
                    days = working_days_late(cal, due.date(), finished.date())
                    late.append(_Late(r[NUM], r[FIELD], r[RECEIVED], due, finished, days, history))
            continue

        # Still open at the period end: as the projection says, or as its events up to the end say.
        if history is not None:
            paused, due = history.paused, history.legal_due
            due_day = due.date().isoformat() if due is not None else None
        else:
            paused, due, due_day = state == "supplement", None, r[DUE][:10] if r[DUE] else None
        if paused:
            values[i_paused] += 1
            continue
        values[i_in_process] += 1
        if due_day is not None and as_of_iso > due_day:
            values[i_overdue] += 1
            due = due or datetime.fromisoformat(r[DUE])
            days = working_days_late(cal, due.date(), as_of_day)
            late.append(_Late(r[NUM], r[FIELD], r[RECEIVED], due, None, days, history))
        else:
            values[i_within] += 1

    field_rows = tuple(
        FieldFigures(name, _figures(values))
        for name, values in sorted(by_field.items(), key=lambda kv: fold(kv[0]))
    )
    return PeriodReport(
        start=start,
        end=end,
        label=label or free_label(start, end),
        as_of=as_of,
        provisional=provisional,
        fields=field_rows,
        total=add_up(f.figures for f in field_rows),
        late=_late_list(conn, late),
    )


@dataclass(frozen=True)
class _Late:
    num: int
    field: str
    received: str
    due: datetime
    finished: datetime | None
    days: int
    history: History | None


def _late_list(conn: sqlite3.Connection, items: list[_Late]) -> tuple[LateDossier, ...]:
    """The late dossiers with their names (read only for them: most rows of a period are not late)."""
    names: dict[int, tuple[str, str, str]] = {}
    nums = [item.num for item in items]
    for first in range(0, len(nums), 500):
        chunk = nums[first : first + 500]
        for num, code, procedure, applicant in conn.execute(
            _NAMES_SQL.format(marks=",".join("?" * len(chunk))), chunk
        ):
            names[num] = (code, procedure, applicant)
    out = [
        LateDossier(
            code=names[item.num][0],
            field=item.field,
            procedure_name=names[item.num][1],
            applicant_name=names[item.num][2],
            received_at=datetime.fromisoformat(item.received),
            due_at=item.due,
            finished_at=item.finished,
            working_days_late=item.days,
            apology=item.history is not None and item.history.apologized,
        )
        for item in items
    ]
    out.sort(key=lambda item: (-item.working_days_late, item.received_at, item.code))
    return tuple(out)


def compute_period(counter: Counter, kind: PeriodKind | str, year: int, number: int = 1) -> PeriodReport:
    """A standard period under the counter's cut-off setting."""
    start, end = period_range(kind, year, number, cutoff_day(counter))
    return compute(counter, start, end, label=period_label(kind, year, number))


# ---------------------------------------------------------------------------------------------
# The official table: columns (3)–(13) of Biểu 06, and how a province folds the other outcomes in

OFFICIAL_KEYS = (
    "received",  # (3)
    "online",  # (4)
    "direct",  # (5)
    "carried_over",  # (6)
    "resolved",  # (7)
    "early",  # (8)
    "on_time",  # (9)
    "late",  # (10)
    "in_process",  # (11)
    "within",  # (12)
    "overdue",  # (13)
)
BUCKETS = ("paused", "refused", "stopped", "withdrawn", "cancelled")
BUCKET_HEADERS = {
    "paused": "Chờ công dân bổ sung",
    "refused": "Từ chối giải quyết",
    "stopped": "Dừng giải quyết",
    "withdrawn": "Công dân rút hồ sơ",
    "cancelled": "Hủy hồ sơ",
}
_COLUMN_NUMBER = {key: i + 3 for i, key in enumerate(OFFICIAL_KEYS)}
_RESOLVED_PARTS = ("early", "on_time", "late")
_IN_PROCESS_PARTS = ("within", "overdue")


@dataclass(frozen=True)
class Fold:
    """Where a province counts the outcomes the 13 columns have no place for; the rest get extra columns."""

    key: str
    label: str
    into: Mapping[str, str] = field(default_factory=dict)  # bucket -> "within" | "on_time" | …


FOLDS: dict[str, Fold] = {
    "separate": Fold("separate", "Tách riêng: thêm cột sau cột (13)"),
    "thanh_hoa": Fold(
        "thanh_hoa",
        "Gộp như Thanh Hóa: chờ bổ sung tính là đang giải quyết trong hạn; từ chối, dừng, rút, hủy tính là "
        "đã giải quyết đúng hạn",
        {
            "paused": "within",
            "refused": "on_time",
            "stopped": "on_time",
            "withdrawn": "on_time",
            "cancelled": "on_time",
        },
    ),
}
DEFAULT_FOLD = "separate"


def check_fold(value: str) -> str:
    key = value.strip().lower()
    if key not in FOLDS:
        raise ValidationError(
            f"Cách tính «{value}» không có; chọn một trong: {', '.join(FOLDS)}.", field=FOLD_SETTING
        )
    return key


def fold_of(counter: Counter) -> Fold:
    return FOLDS[check_fold(counter.store.get_setting(FOLD_SETTING) or DEFAULT_FOLD)]


@dataclass(frozen=True)
class OfficialTable:
    """What is printed: per field the columns (3)–(13), then one column per bucket not folded in."""

    extra_headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    total: tuple[int, ...]
    notes: tuple[str, ...]


def official_values(figures: Figures, fold_rule: Fold) -> tuple[int, ...]:
    values = {key: getattr(figures, key) for key in (*OFFICIAL_KEYS, *BUCKETS)}
    for bucket, target in fold_rule.into.items():
        values[target] += values[bucket]
        if target in _RESOLVED_PARTS:
            values["resolved"] += values[bucket]
        elif target in _IN_PROCESS_PARTS:
            values["in_process"] += values[bucket]
    extras = [values[b] for b in BUCKETS if b not in fold_rule.into]
    return tuple(values[k] for k in OFFICIAL_KEYS) + tuple(extras)


def official_table(report: PeriodReport, fold_rule: Fold) -> OfficialTable:
    extras = [b for b in BUCKETS if b not in fold_rule.into]
    notes: list[str] = []
    if extras:
        first, last = 14, 13 + len(extras)
        span = f"({first})" if first == last else f"({first})–({last})"
        notes.append(
            f"Cột {span}: hồ sơ chờ công dân bổ sung hoặc kết thúc không có kết quả giải quyết, "
            f"không tính vào cột (7) và (11); cột (3) = (7) + (11) + {span.replace('–', ' … ')}."
        )
    targets: dict[str, list[str]] = {}
    for bucket, target in fold_rule.into.items():
        count = getattr(report.total, bucket)
        targets.setdefault(target, []).append(f"{BUCKET_HEADERS[bucket].lower()} ({vn_number(count)})")
    for target, parts in targets.items():
        notes.append(f"Cột ({_COLUMN_NUMBER[target]}) gồm cả hồ sơ {', '.join(parts)}.")
    return OfficialTable(
        extra_headers=tuple(BUCKET_HEADERS[b] for b in extras),
        rows=tuple((f.field, official_values(f.figures, fold_rule)) for f in report.fields),
        total=official_values(report.total, fold_rule),
        notes=tuple(notes),
    )


def satisfaction_line(figures: Figures) -> str:
    """ "Đánh giá của công dân: 120/130 hồ sơ được đánh giá hài lòng (92,31%)."."""
    share = figures.satisfied_share
    if share is None:
        return "Đánh giá của công dân: chưa có hồ sơ giải quyết trong kỳ được đánh giá."
    percent = f"{share * 100:.2f}".replace(".", ",")
    return (
        f"Đánh giá của công dân: {vn_number(figures.satisfied)}/{vn_number(figures.rated)} hồ sơ "
        f"được đánh giá hài lòng ({percent}%)."
    )


def provisional_line(report: PeriodReport) -> str:
    return (
        f"Kỳ báo cáo chưa kết thúc: số liệu tạm tính đến {report.as_of:%H:%M} ngày {report.as_of:%d/%m/%Y}."
        if report.provisional
        else ""
    )


def filename(report: PeriodReport, extension: str) -> str:
    return f"bao-cao-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{extension}"


# ---------------------------------------------------------------------------------------------
# Paper


def print_data(
    counter: Counter, report: PeriodReport, fold_rule: Fold | None = None, *, preparer: str = ""
) -> ReportData:
    """The printing core's plain data: the official table under the counter's fold setting."""
    from counter_app.services import documents  # late: documents pulls in every dossier form

    rule = fold_rule or fold_of(counter)
    table = official_table(report, rule)
    agency = documents.agency(counter)
    notes = [*table.notes, satisfaction_line(report.total)]
    if report.provisional:
        notes.insert(0, provisional_line(report))
    recipient = counter.store.get_setting(RECIPIENT_SETTING) or agency.parent_name
    return ReportData(
        agency=agency,
        period_label=report.label,
        period_from=report.start,
        period_to=report.end,
        lines=tuple(ReportLine(label, values) for label, values in table.rows),
        total=ReportLine("Tổng cộng", table.total),
        extra_columns=table.extra_headers,
        notes=tuple(notes),
        late=tuple(
            LateLine(
                code=item.code,
                field=item.field,
                procedure_name=item.procedure_name,
                applicant_name=item.applicant_name,
                received_at=item.received_at,
                due_at=item.due_at,
                finished_at=item.finished_at,
                working_days_late=item.working_days_late,
                apology=item.apology,
            )
            for item in report.late[:PDF_LATE_LIMIT]
        ),
        late_total=len(report.late),
        recipient=recipient,
        issued_on=counter.now().date(),
        preparer_name=preparer,
        head_name=counter.store.get_setting("leader_name") or "",
    )


def pdf(counter: Counter, report: PeriodReport, *, preparer: str = "") -> bytes:
    """The report as PDF bytes, A4 landscape (what the UI previews, prints and saves)."""
    return build_pdf("report", print_data(counter, report, preparer=preparer), paper="a4")
