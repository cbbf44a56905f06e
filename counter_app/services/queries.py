"""Read-side use cases: search and the dashboard lists."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from counter_app.domain.deadlines import working_minutes_left
from counter_app.domain.lifecycle import Dossier, Event, State
from counter_app.domain.procedures import Procedure
from counter_app.services.context import Counter
from counter_app.store import dossiers as dossier_store
from counter_app.store import procedures as procedure_store


def search_procedures(counter: Counter, text: str, limit: int = 20) -> list[Procedure]:
    return procedure_store.search(counter.store, text, limit)


SHORT_CODE = re.compile(r"^\d{6}-\d{4}$")


def expand_code(counter: Counter, text: str) -> str:
    """The roll receipt prints a short code ("261116-0001"): typed alone, it means this counter's agency.

    Any other text comes back as typed: a trailing space tells the name search the word is finished."""
    short = text.strip().upper()
    return f"{counter.agency_code}-{short}" if SHORT_CODE.match(short) else text


def search_dossiers(counter: Counter, text: str, limit: int = 50) -> list[Dossier]:
    return dossier_store.search(counter.store, expand_code(counter, text), limit)


@dataclass(frozen=True)
class DossierDetail:
    dossier: Dossier
    events: list[Event]
    minutes_left: int | None


def show(counter: Counter, code: str) -> DossierDetail | None:
    dossier = dossier_store.get_by_code(counter.store, expand_code(counter, code))
    if dossier is None:
        return None
    left = None
    if dossier.due_at is not None and dossier.state in (State.RECEIVED, State.IN_PROGRESS):
        left = working_minutes_left(counter.calendar, dossier.due_at, counter.now())
    return DossierDetail(dossier, dossier_store.events_of(counter.store, dossier), left)


def _day_start(d: datetime) -> datetime:
    return datetime.combine(d.date(), time())


def due_today(counter: Counter) -> list[Dossier]:
    start = _day_start(counter.now())
    return dossier_store.due_between(counter.store, start, start + timedelta(days=1))


def due_within(counter: Counter, working_days: int) -> list[Dossier]:
    """Due from now up to the end of the ``working_days``-th next working day (0 = rest of today)."""
    now = counter.now()
    day = now.date()
    for _ in range(working_days):
        day = counter.calendar.next_working_day(day)
    return dossier_store.due_between(counter.store, now, datetime.combine(day, time()) + timedelta(days=1))


def overdue(counter: Counter) -> list[Dossier]:
    return dossier_store.overdue(counter.store, counter.now().date())


def count_overdue(counter: Counter) -> int:
    return dossier_store.count_overdue(counter.store, counter.now().date())


def waiting_supplement(counter: Counter) -> list[Dossier]:
    return dossier_store.in_state(counter.store, State.SUPPLEMENT)


def ready_to_return(counter: Counter) -> list[Dossier]:
    return dossier_store.in_state(counter.store, State.READY)


@dataclass(frozen=True)
class DashboardCounts:
    due_today: int
    overdue: int
    due_soon: int  # within the next 2 working days, after today
    waiting_supplement: int
    ready_to_return: int


def dashboard(counter: Counter) -> DashboardCounts:
    now = counter.now()
    today = datetime.combine(now.date(), time())
    tomorrow = today + timedelta(days=1)
    day = now.date()
    for _ in range(2):
        day = counter.calendar.next_working_day(day)
    soon_end = datetime.combine(day, time()) + timedelta(days=1)
    store = counter.store
    return DashboardCounts(
        due_today=dossier_store.count_due_between(store, today, tomorrow),
        overdue=dossier_store.count_overdue(store, now.date()),
        due_soon=dossier_store.count_due_between(store, tomorrow, soon_end),
        waiting_supplement=dossier_store.count_in_state(store, State.SUPPLEMENT),
        ready_to_return=dossier_store.count_in_state(store, State.READY),
    )


@dataclass(frozen=True)
class DossierFilter:
    """What the dossier list shows; every field optional."""

    states: tuple[State, ...] = ()
    field: str | None = None
    received_from: date | None = None
    received_to: date | None = None  # inclusive
    officer: str | None = None
    text: str = ""


def list_dossiers(
    counter: Counter, flt: DossierFilter, *, before_num: int | None = None, limit: int = 200
) -> list[tuple[int, Dossier]]:
    """One page of the dossier list, newest first; pass the last row's number to get the next page."""
    return dossier_store.page(counter.store, flt, before_num=before_num, limit=limit)


def fields(counter: Counter) -> list[str]:
    return sorted({p.field for p in procedure_store.list_active(counter.store)})


def active_procedures(counter: Counter) -> list[Procedure]:
    return procedure_store.list_active(counter.store)
