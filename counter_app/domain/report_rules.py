"""The report's replay of one dossier's events up to a period end, shared by the counter's report and
the upper-level server's (which may import only the domain): one rule, so the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from counter_app.domain.calendar import WorkingCalendar

UNCHANGED = object()  # an event that says nothing about the due date


@dataclass
class History:
    """What a dossier's events before the period end say (for dossiers the projection cannot answer)."""

    paused: bool = False
    due: datetime | None = None
    legal_due: datetime | None = None  # the due date before the first apology (Mẫu 04), pauses after it added
    ready_at: datetime | None = None
    apologized: bool = False


class HistoryFold:
    """Feed a dossier's events in order (only those before the period end), then :meth:`close`."""

    def __init__(self) -> None:
        self.history = History()
        self._pause_start: datetime | None = None
        self._extra = 0  # working minutes of pauses closed after the first apology

    def feed(self, cal: WorkingCalendar, action: str, at: datetime, due: object = UNCHANGED) -> None:
        h = self.history
        if action == "request-supplement":
            h.paused, self._pause_start = True, at
        elif action == "receive-supplement":
            h.paused = False
            if h.apologized and self._pause_start is not None:
                self._extra += cal.working_minutes_between(self._pause_start, at)
        elif action == "apologize" and not h.apologized:
            h.apologized, h.legal_due = True, h.due
        elif action == "ready":
            h.ready_at = at
        if due is not UNCHANGED:
            h.due = due  # type: ignore[assignment]

    def close(self, cal: WorkingCalendar) -> History:
        h = self.history
        if not h.apologized:
            h.legal_due = h.due
        elif h.legal_due is not None and self._extra:
            h.legal_due = cal.add_working_minutes(h.legal_due, self._extra)
        return h


def working_days_late(cal: WorkingCalendar, due: date, until: date) -> int:
    """Working days after the due date up to and including ``until`` (at least 1 once late by date)."""
    if until <= due:
        return 0
    m = cal.minutes_per_day

    def index(d: date) -> int:  # working days before d
        return cal.position(datetime.combine(d, time())) // m

    return max(1, index(until + timedelta(days=1)) - index(due + timedelta(days=1)))
