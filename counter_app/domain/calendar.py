"""Working calendar: which days and minutes count toward a legal processing time.

Deadlines for administrative procedures run in working time, not calendar time. The
calendar combines four sources, strongest first:

1. adjustments (data shipped in resources/calendar/adjustments.json or pushed by the
   district server): extra days off and weekend days declared working ("làm bù");
2. Vietnamese public holidays from the `holidays` package (Tết, Giỗ Tổ, 30/4, 1/5, 2/9 and
   its adjacent day, 24/11 from 2026, days in lieu, the swaps the package knows);
3. the weekly rest days (Saturday and Sunday by default);
4. everything else is a working day, open during `WorkingHours`.

Internally every moment is mapped to a *working position*: the number of working minutes
between a fixed origin and that moment. Working days are numbered consecutively, so the
position of minute ``r`` of working day ``k`` is ``k * minutes_per_day + r``. Adding working
time is then integer addition, and the only lookups are two list indexings, which keeps a
million deadline computations within a few seconds. Years are loaded lazily, once, the first
time a date in them is touched; ordinals already handed out never change when the loaded
range grows (earlier years are numbered downward).

Time is counted in whole minutes: seconds of a datetime are ignored (the receipt prints
hours and minutes, and that is what an official checks by hand). All datetimes are naive
Vietnam local time (UTC+7, no daylight saving).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal

from counter_app.domain.errors import CalendarDataError, ValidationError

__all__ = [
    "DEFAULT_HOURS",
    "WEEKDAY_NAMES_VI",
    "Adjustment",
    "DayInfo",
    "WorkingCalendar",
    "WorkingHours",
    "parse_adjustments",
]

WEEKDAY_NAMES_VI: tuple[str, ...] = (
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ nhật",
)

# Years the calendar agrees to load. The lunar tables of the holidays package are reliable
# well inside this range; a date outside it is almost certainly a typing error.
MIN_YEAR = 1950
MAX_YEAR = 2150

_PERIOD_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")
_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MINUTES_IN_DAY = 24 * 60


def _fmt_vi(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def _hhmm(t: time) -> str:
    return f"{t:%H:%M}"


# --------------------------------------------------------------------------- hours


@dataclass(frozen=True)
class WorkingHours:
    """The opening periods of a working day, e.g. 07:30–11:30 and 13:30–17:00.

    Periods are half-open ``[start, end)``, sorted, separated by a break, and in whole minutes,
    so a deadline always lands on a minute the counter can print.
    """

    periods: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))

    def __post_init__(self) -> None:
        if not self.periods:
            raise ValidationError("Giờ làm việc phải có ít nhất một khoảng thời gian.", field="hours")
        previous_end: time | None = None
        for start, end in self.periods:
            for t in (start, end):
                if not isinstance(t, time) or t.tzinfo is not None or t.second or t.microsecond:
                    raise ValidationError(
                        f"Giờ làm việc không hợp lệ: {t!s} (chỉ nhận giờ:phút, không có giây).",
                        field="hours",
                    )
            if end <= start:
                raise ValidationError(
                    f"Giờ làm việc không hợp lệ: khoảng {_hhmm(start)}-{_hhmm(end)} "
                    "có giờ kết thúc không sau giờ bắt đầu.",
                    field="hours",
                )
            if previous_end is not None and start <= previous_end:
                raise ValidationError(
                    f"Giờ làm việc không hợp lệ: khoảng {_hhmm(start)}-{_hhmm(end)} chồng lấn "
                    f"hoặc liền kề khoảng trước (kết thúc {_hhmm(previous_end)}); "
                    "các khoảng phải theo thứ tự và cách nhau.",
                    field="hours",
                )
            previous_end = end

    @classmethod
    def parse(cls, text: str) -> WorkingHours:
        """Read ``"07:30-11:30,13:30-17:00"`` as typed by an admin; periods may come in any order."""
        if not isinstance(text, str) or not text.strip():
            raise ValidationError(
                "Giờ làm việc không được để trống (ví dụ: 07:30-11:30,13:30-17:00).", field="hours"
            )
        periods: list[tuple[time, time]] = []
        for raw in text.split(","):
            piece = raw.strip()
            match = _PERIOD_RE.match(piece)
            if match is None:
                raise ValidationError(
                    f"Giờ làm việc không hợp lệ: “{piece}” (đúng dạng: 07:30-11:30,13:30-17:00).",
                    field="hours",
                )
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
                raise ValidationError(
                    f"Giờ làm việc không hợp lệ: “{piece}” có giờ hoặc phút ngoài phạm vi.",
                    field="hours",
                )
            periods.append((time(h1, m1), time(h2, m2)))
        periods.sort()
        return cls(tuple(periods))

    def __str__(self) -> str:
        return ",".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in self.periods)

    @property
    def minutes_per_day(self) -> int:
        """Working minutes in one working day (450 for the default hours)."""
        return sum(_minute_of(b) - _minute_of(a) for a, b in self.periods)


def _minute_of(t: time) -> int:
    return t.hour * 60 + t.minute


DEFAULT_HOURS = WorkingHours()


# --------------------------------------------------------------------------- adjustments


@dataclass(frozen=True)
class Adjustment:
    """One official change to the normal week: an extra day off, or a weekend day worked."""

    day: date
    kind: Literal["off", "work"]  # "off": extra day off; "work": a weekend day declared working (làm bù)
    name: str  # Vietnamese, shown to the officer as the day's reason
    source: str  # the notice that decided it, e.g. "Thông báo 9441/TB-BNV ngày 16/10/2025"


@dataclass(frozen=True)
class DayInfo:
    """Whether a date is a working day, and why not (or why, for a worked weekend day)."""

    day: date
    working: bool
    reason: str | None


def parse_adjustments(data: Mapping[str, Any], *, weekend: Iterable[int] = (5, 6)) -> list[Adjustment]:
    """Validate adjustment data (the JSON file, or an update from the server) before use.

    A wrong entry silently shifts every appointment date, so anything doubtful is refused
    with a message naming the entry, and nothing is half-applied.
    """
    if not isinstance(data, Mapping):
        raise CalendarDataError("Dữ liệu lịch điều chỉnh phải là một đối tượng JSON có mục “adjustments”.")
    version = data.get("version")
    if version is not None and not isinstance(version, str):
        raise CalendarDataError("Dữ liệu lịch điều chỉnh: “version” phải là chuỗi ký tự.")
    entries = data.get("adjustments")
    if not isinstance(entries, list):
        raise CalendarDataError("Dữ liệu lịch điều chỉnh thiếu danh sách “adjustments”.")
    parsed: list[Adjustment] = []
    for number, entry in enumerate(entries, start=1):
        parsed.append(_parse_entry(number, entry))
    return _check_adjustments(parsed, frozenset(weekend))


def _parse_entry(number: int, entry: Any) -> Adjustment:
    where = f"Lịch điều chỉnh, mục thứ {number}"
    if not isinstance(entry, Mapping):
        raise CalendarDataError(f"{where}: phải là một đối tượng có date, kind, name, source.")
    raw_date = entry.get("date")
    if not isinstance(raw_date, str) or not _ISO_DATE_RE.match(raw_date):
        raise CalendarDataError(f"{where}: ngày “{raw_date}” không đúng dạng YYYY-MM-DD.")
    try:
        day = date.fromisoformat(raw_date)
    except ValueError:
        raise CalendarDataError(
            f"{where}: ngày “{raw_date}” không tồn tại trong lịch dương.", field="date"
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise CalendarDataError(f"{where}: ngày “{raw_date}” nằm ngoài phạm vi {MIN_YEAR}–{MAX_YEAR}.")
    kind = entry.get("kind")
    if kind not in ("off", "work"):
        raise CalendarDataError(
            f"{where} (ngày {raw_date}): loại “{kind}” không hợp lệ; chỉ nhận “off” (ngày nghỉ) "
            "hoặc “work” (ngày làm bù)."
        )
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CalendarDataError(f"{where} (ngày {raw_date}): thiếu tên ngày (name).")
    source = entry.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalendarDataError(
            f"{where} (ngày {raw_date}): thiếu văn bản căn cứ (source), ví dụ số thông báo của Bộ Nội vụ."
        )
    return Adjustment(day=day, kind=kind, name=name.strip(), source=source.strip())


def _check_adjustments(adjustments: Iterable[Adjustment], weekend: frozenset[int] | None) -> list[Adjustment]:
    """Refuse contradictions; drop exact duplicates; return sorted by date.

    With ``weekend`` given, a "work" day must fall on it (data check); without, a "work" day
    on an ordinary working day is accepted and simply stays working (a counter open on
    Saturdays can use the national file as is).
    """
    by_day: dict[date, Adjustment] = {}
    for adj in adjustments:
        if not isinstance(adj, Adjustment):
            raise CalendarDataError("Lịch điều chỉnh chỉ nhận các mục Adjustment.")
        label = f"ngày {_fmt_vi(adj.day)} ({adj.day.isoformat()})"
        if adj.kind not in ("off", "work"):
            raise CalendarDataError(f"Lịch điều chỉnh, {label}: loại “{adj.kind}” không hợp lệ.")
        if not adj.source.strip():
            raise CalendarDataError(f"Lịch điều chỉnh, {label}: thiếu văn bản căn cứ (source).")
        if weekend is not None and adj.kind == "work" and adj.day.weekday() not in weekend:
            raise CalendarDataError(
                f"Lịch điều chỉnh, {label} là {WEEKDAY_NAMES_VI[adj.day.weekday()]}, không phải ngày nghỉ "
                "hằng tuần, nên không thể khai báo là ngày làm bù."
            )
        seen = by_day.get(adj.day)
        if seen is None:
            by_day[adj.day] = adj
        elif seen.kind != adj.kind:
            raise CalendarDataError(
                f"Lịch điều chỉnh, {label} vừa được khai báo là ngày nghỉ vừa là ngày làm bù."
            )
        elif seen != adj:
            raise CalendarDataError(
                f"Lịch điều chỉnh, {label} được khai báo hai lần với tên hoặc văn bản căn cứ khác nhau."
            )
    return [by_day[d] for d in sorted(by_day)]


# --------------------------------------------------------------------------- calendar


class WorkingCalendar:
    """Working days and hours of one counter, with O(1) arithmetic on working time."""

    def __init__(
        self,
        hours: WorkingHours = DEFAULT_HOURS,
        weekend: Iterable[int] = (5, 6),
        adjustments: Iterable[Adjustment] = (),
        *,
        use_public_holidays: bool = True,
    ) -> None:
        weekend_set = frozenset(weekend)
        if any(not isinstance(w, int) or isinstance(w, bool) or not 0 <= w <= 6 for w in weekend_set):
            raise ValidationError(
                "Ngày nghỉ hằng tuần phải là số thứ tự trong tuần từ 0 (Thứ Hai) đến 6 (Chủ nhật).",
                field="weekend",
            )
        if len(weekend_set) == 7:
            raise ValidationError("Không thể nghỉ cả 7 ngày trong tuần.", field="weekend")
        if not isinstance(hours, WorkingHours):
            raise ValidationError("Giờ làm việc không hợp lệ.", field="hours")
        self.hours = hours
        self.weekend = weekend_set
        self.adjustments: tuple[Adjustment, ...] = tuple(_check_adjustments(adjustments, None))
        self.use_public_holidays = use_public_holidays
        self._adj: dict[date, Adjustment] = {a.day: a for a in self.adjustments}
        self._public: dict[int, tuple[dict[date, str], frozenset[date]]] = {}
        self._lock = threading.Lock()

        m = hours.minutes_per_day
        self._m = m
        # Per minute of the day: inside[x] tells whether minute x is worked; elapsed[x] counts
        # the working minutes in [00:00, x), for x in 0..1440.
        spans = [(_minute_of(a), _minute_of(b)) for a, b in hours.periods]
        inside = [any(a <= x < b for a, b in spans) for x in range(_MINUTES_IN_DAY)]
        elapsed = [0]
        for worked in inside:
            elapsed.append(elapsed[-1] + worked)
        self._elapsed = elapsed
        self._inside = inside
        # Clock time of working minute r counted from the day's opening. "Start" form: the
        # moment minute r begins (r in 0..m-1). "End" form: the moment r minutes have been
        # worked (r in 1..m), written as the end of a period rather than the next period's start.
        clock_start: list[time] = []
        clock_end: list[time] = [hours.periods[0][0]]
        for a, b in spans:
            for x in range(a, b):
                clock_start.append(time(x // 60, x % 60))
                clock_end.append(time((x + 1) // 60, (x + 1) % 60))
        self._clock_start = clock_start
        self._clock_end = clock_end
        self._period_ends = frozenset(b for _, b in hours.periods)

        # Loaded day range, replaced atomically (one tuple each) when it grows.
        # _days = (ordinal of first loaded day, working flags, working-day ordinal per day)
        # where the ordinal of a non-working day is that of the next working day.
        # _wd = (ordinal of first loaded working day, working days as dates)
        self._days: tuple[int, list[bool], list[int]] = (0, [], [])
        self._wd: tuple[int, list[date]] = (0, [])
        self._years: tuple[int, int] | None = None

    # ------------------------------------------------------------------ public API

    @property
    def minutes_per_day(self) -> int:
        """Working minutes in one working day of this calendar."""
        return self._m

    def day_info(self, d: date) -> DayInfo:
        """Whether ``d`` is a working day and the Vietnamese reason shown beside it."""
        if isinstance(d, datetime):
            d = d.date()
        working = self.is_working_day(d)
        adj = self._adj.get(d)
        if adj is not None:
            return DayInfo(d, working, f"Làm bù: {adj.name}" if adj.kind == "work" else adj.name)
        names, _ = self._public_days(d.year)
        if d in names:
            return DayInfo(d, working, names[d])
        if d.weekday() in self.weekend:
            if working:
                return DayInfo(d, True, "Làm bù: ngày làm việc hoán đổi theo lịch nghỉ lễ chính thức")
            return DayInfo(d, False, WEEKDAY_NAMES_VI[d.weekday()])
        return DayInfo(d, working, None)

    def is_working_day(self, d: date) -> bool:
        """True when the counter is open on ``d``."""
        start, working, _ = self._days
        o = d.toordinal() - start
        if not 0 <= o < len(working):
            o = self._cover_day(d.toordinal())
            start, working, _ = self._days
        return working[o]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        if isinstance(d, datetime):
            d = d.date()
        start, working, before = self._days
        o = d.toordinal() - start
        if not 0 <= o < len(working):
            o = self._cover_day(d.toordinal())
            start, working, before = self._days
        k = before[o] + (1 if working[o] else 0)
        return self._workday(k)

    def working_start(self, t: datetime) -> datetime:
        """``t`` itself if the counter is working then, else the next moment it opens."""
        start, working, _ = self._days
        o = t.toordinal() - start
        if not 0 <= o < len(working):
            o = self._cover_day(t.toordinal())
            start, working, _ = self._days
        if working[o] and self._inside[t.hour * 60 + t.minute]:
            return t
        return self.moment(self.position(t), at_period_end=False)

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment after ``minutes`` of working time counted from ``start``.

        A result on a period boundary is written as the end of the earlier period
        (17:00 rather than the next day's 07:30, 11:30 rather than 13:30): that is the
        last moment the work is still on time. Zero minutes gives ``start`` back when it is a
        working moment or a period's end on a working day (so adding 0 to a due moment keeps
        it), else ``working_start(start)``.
        """
        if minutes < 0:
            raise ValidationError("Số phút làm việc cộng thêm không được âm.")
        if minutes == 0:
            if start.time() in self._period_ends and self.is_working_day(start):
                return start
            return self.working_start(start)
        return self.moment(self.position(start) + minutes, at_period_end=True)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """``days`` full working days after ``start``: the same clock time ``days`` working days later."""
        if days < 0:
            raise ValidationError("Số ngày làm việc cộng thêm không được âm.")
        return self.add_working_minutes(start, days * self._m)

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Working minutes in ``[a, b)``; 0 when ``b <= a``."""
        if b <= a:
            return 0
        return self.position(b) - self.position(a)

    def fingerprint(self) -> str:
        """Short stable hash of everything that moves a due date.

        Stored beside each computed due date: when the fingerprint of the current calendar
        differs, the due dates are recomputed. Names and sources of adjustments are left out
        (fixing a typo must not trigger a recompute); the holidays package version is in,
        because a new version may change its holiday list.
        """
        payload: dict[str, Any] = {
            "hours": str(self.hours),
            "weekend": sorted(self.weekend),
            "adjustments": [[a.day.isoformat(), a.kind] for a in self.adjustments],
            "public_holidays": None,
        }
        if self.use_public_holidays:
            import holidays

            payload["public_holidays"] = f"holidays-{holidays.__version__}-VN"
        blob = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    # ------------------------------------------------------------------ positions

    def position(self, t: datetime, cutoff: time | None = None) -> int:
        """Working position of ``t``: working minutes from this calendar's origin up to ``t``.

        A moment outside working time has the position of the next working moment. With a
        ``cutoff``, a receipt on a working day later than the cutoff minute counts from the
        next working day's opening. Positions are comparable only within one calendar object.
        """
        start, working, before = self._days
        o = t.toordinal() - start
        if not 0 <= o < len(working):
            o = self._cover_day(t.toordinal())
            start, working, before = self._days
        k = before[o]
        if not working[o]:
            return k * self._m
        minute = t.hour * 60 + t.minute
        if cutoff is not None and minute > cutoff.hour * 60 + cutoff.minute:
            return (k + 1) * self._m
        return k * self._m + self._elapsed[minute]

    def moment(self, pos: int, *, at_period_end: bool) -> datetime:
        """The clock time of working position ``pos`` (inverse of ``position``).

        ``at_period_end`` chooses how a boundary is written: True gives the end of the
        earlier period (for due dates), False the start of the next one (for starts).
        """
        if at_period_end:
            k, r = divmod(pos - 1, self._m)
            clock = self._clock_end[r + 1]
        else:
            k, r = divmod(pos, self._m)
            clock = self._clock_start[r]
        k0, days = self._wd
        i = k - k0
        if not 0 <= i < len(days):
            return datetime.combine(self._workday(k), clock)
        return datetime.combine(days[i], clock)

    def end_of_working_day_position(self, pos: int) -> int:
        """Position of the closing moment of the working day that contains start position ``pos``."""
        return (pos // self._m + 1) * self._m

    # ------------------------------------------------------------------ loading

    def _workday(self, k: int) -> date:
        """The working day with ordinal ``k``, loading years as needed."""
        if self._years is None:
            raise RuntimeError("working position used before any date was loaded into this calendar")
        k0, days = self._wd
        while not 0 <= k - k0 < len(days):
            with self._lock:
                k0, days = self._wd
                if k - k0 >= len(days):
                    self._extend(forward=True)
                elif k < k0:
                    self._extend(forward=False)
            k0, days = self._wd
        return days[k - k0]

    def _cover_day(self, day_ordinal: int) -> int:
        """Load years until the day is in range; return its index in the day lists."""
        year = date.fromordinal(day_ordinal).year
        with self._lock:
            if self._years is None:
                self._load_first(year)
            while self._years is not None and year > self._years[1]:
                self._extend(forward=True)
            while self._years is not None and year < self._years[0]:
                self._extend(forward=False)
        return day_ordinal - self._days[0]

    def _check_year(self, year: int) -> None:
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(
                f"Năm {year} nằm ngoài phạm vi lịch làm việc hỗ trợ ({MIN_YEAR}–{MAX_YEAR}).", field="date"
            )

    def _load_first(self, year: int) -> None:
        self._check_year(year)
        flags = self._year_flags(year)
        before: list[int] = []
        k = 0
        for w in flags:
            before.append(k)
            k += w
        workdays = [date.fromordinal(date(year, 1, 1).toordinal() + i) for i, w in enumerate(flags) if w]
        self._days = (date(year, 1, 1).toordinal(), flags, before)
        self._wd = (0, workdays)
        self._years = (year, year)

    def _extend(self, *, forward: bool) -> None:
        """Load one more year at either end; existing ordinals keep their values."""
        if self._years is None:
            raise RuntimeError("calendar range extended before the first year was loaded")
        lo, hi = self._years
        year = hi + 1 if forward else lo - 1
        self._check_year(year)
        flags = self._year_flags(year)
        first = date(year, 1, 1).toordinal()
        new_days = [date.fromordinal(first + i) for i, w in enumerate(flags) if w]
        start, working, before = self._days
        k0, workdays = self._wd
        if forward:
            k = k0 + len(workdays)
            new_before: list[int] = []
            for w in flags:
                new_before.append(k)
                k += w
            self._days = (start, working + flags, before + new_before)
            self._wd = (k0, workdays + new_days)
            self._years = (lo, year)
        else:
            k = k0 - len(new_days)
            new_k0 = k
            new_before = []
            for w in flags:
                new_before.append(k)
                k += w
            self._days = (first, flags + working, new_before + before)
            self._wd = (new_k0, new_days + workdays)
            self._years = (year, hi)

    def _year_flags(self, year: int) -> list[bool]:
        names, pkg_work = self._public_days(year)
        first = date(year, 1, 1).toordinal()
        n = date(year + 1, 1, 1).toordinal() - first
        flags: list[bool] = []
        for i in range(n):
            d = date.fromordinal(first + i)
            adj = self._adj.get(d)
            if adj is not None:
                flags.append(adj.kind == "work")
            elif d in names:
                flags.append(False)
            elif d.weekday() in self.weekend:
                flags.append(d in pkg_work)
            else:
                flags.append(True)
        return flags

    def _public_days(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        """Holiday names and swapped working weekend days of the holidays package for ``year``."""
        cached = self._public.get(year)
        if cached is not None:
            return cached
        if not self.use_public_holidays:
            result: tuple[dict[date, str], frozenset[date]] = ({}, frozenset())
        else:
            import holidays

            # The year after is populated too: a swap decided in one year's notice may move
            # a working day into the previous year (e.g. 27/12/2014 for 02/01/2015).
            table = holidays.country_holidays("VN", years=(year, year + 1), language="vi")
            names = {d: str(n) for d, n in table.items() if d.year == year}
            work = frozenset(d for d in table.weekend_workdays if d.year == year)
            result = (names, work)
        self._public[year] = result
        return result
