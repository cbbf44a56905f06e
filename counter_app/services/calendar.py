"""Calendar changes and what they do to open dossiers' due dates.

A changed day off can move due dates. Each move is a ``reschedule`` event, so the history shows why
the date changed; the receipt already printed keeps its date, and a slip gets Mẫu 04 if it is late.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from counter_app.domain.calendar import Adjustment, parse_adjustments
from counter_app.domain.deadlines import Pause, ProcessingTime, compute_due
from counter_app.domain.errors import ValidationError
from counter_app.domain.ids import uuid7
from counter_app.domain.lifecycle import Action, Event
from counter_app.domain.text import nfc
from counter_app.services.changes import CALENDAR, reports
from counter_app.services.context import Counter
from counter_app.services.officers import require
from counter_app.store import calendar as calendar_store
from counter_app.store import dossiers as dossier_store

BATCH = 2000


@dataclass(frozen=True)
class RecomputeResult:
    checked: int
    moved: int


def _pauses(events: list[tuple[str, object]]) -> list[Pause]:
    out: list[Pause] = []
    start = None
    for action, at in events:
        if action == Action.REQUEST_SUPPLEMENT.value:
            start = at
        elif start is not None:
            out.append(Pause(start, at))
            start = None
    return out


@reports(CALENDAR)
def recompute_due_dates(
    counter: Counter, officer: str = "system", progress: Callable[[int, int], None] | None = None
) -> RecomputeResult:
    """Recompute every calendar-dependent due date; store a reschedule event where one moved."""
    inputs = dossier_store.schedule_inputs(counter.store)
    cal, mode = counter.calendar, counter.pause_mode
    fingerprint = cal.fingerprint()
    moves = []
    for dossier, processing, pause_events in inputs:
        due = compute_due(
            cal, dossier.received_at, ProcessingTime.from_dict(processing), _pauses(pause_events), mode
        )
        if due is not None and due != dossier.due_at:
            moves.append((dossier, due))
    now, device = counter.now(), counter.device_id
    # One transaction per batch: an intake waiting behind a big recompute waits for one batch only.
    # Recompute is idempotent, so a batch lost to a power cut is simply done again next time.
    moved = 0
    for start in range(0, len(moves), BATCH):
        with counter.store.atomic() as conn:
            chunk = dossier_store.unchanged_since(conn, moves[start : start + BATCH])
            batch = [
                (
                    dossier,
                    Event(
                        id=uuid7(),
                        dossier_id=dossier.id,
                        seq=dossier.last_seq + 1,
                        action=Action.RESCHEDULE,
                        at=max(now, dossier.updated_at or dossier.received_at),
                        hlc=counter.clock.tick().encode(),
                        officer=officer,
                        device_id=device,
                        payload={"due_at": due.isoformat(timespec="seconds"), "calendar": fingerprint},
                    ),
                )
                for dossier, due in chunk
            ]
            dossier_store.append_many(conn, batch)
            counter.save_clock(conn)
            moved += len(batch)
        if progress:
            progress(start + len(batch), len(moves))
    return RecomputeResult(len(inputs), moved)


@reports(CALENDAR)
def add_adjustment(
    counter: Counter, *, day: date, kind: str, name: str, source: str, officer: str
) -> RecomputeResult:
    """An admin records a notice (next year's swap, a commune closure); due dates follow."""
    require(counter, officer, Action.CANCEL)  # admin/leader rights
    entry = {"date": day.isoformat(), "kind": kind, "name": nfc(name), "source": nfc(source)}
    admin_days = [_entry(a) for a in _admin_adjustments(counter) if a.day != day]
    adjustment = parse_adjustments({"version": "admin", "adjustments": [*admin_days, entry]})
    new = next(a for a in adjustment if a.day == day)
    now = counter.now().isoformat(timespec="seconds")
    with counter.store.atomic() as conn:
        calendar_store.upsert(conn, "admin", new)
        counter.audit(
            conn,
            at=now,
            officer=officer,
            action="calendar.add",
            subject=day.isoformat(),
            detail=entry,
        )
    counter.reload_calendar()
    return recompute_due_dates(counter, officer)


@reports(CALENDAR)
def import_notice(counter: Counter, data: dict, officer: str) -> RecomputeResult:
    """An admin loads a whole notice (e.g. next year's swaps) in the bundled file's JSON shape."""
    require(counter, officer, Action.CANCEL)
    incoming = parse_adjustments(data)
    kept = [a for a in _admin_adjustments(counter) if a.day not in {n.day for n in incoming}]
    merged = parse_adjustments({"version": "admin", "adjustments": [_entry(a) for a in [*kept, *incoming]]})
    with counter.store.atomic() as conn:
        calendar_store.replace_origin(conn, "admin", merged)
        counter.audit(
            conn,
            officer=officer,
            action="calendar.import",
            subject=str(data.get("version", "")),
            detail={"adjustments": len(incoming)},
        )
    counter.reload_calendar()
    return recompute_due_dates(counter, officer)


def _entry(a: Adjustment) -> dict[str, str]:
    return {"date": a.day.isoformat(), "kind": a.kind, "name": a.name, "source": a.source}


@reports(CALENDAR)
def remove_adjustment(counter: Counter, *, day: date, officer: str) -> RecomputeResult:
    require(counter, officer, Action.CANCEL)
    with counter.store.atomic() as conn:
        if not calendar_store.remove(conn, "admin", day):
            raise ValidationError(
                f"Không có điều chỉnh lịch do quản trị thêm cho ngày {day:%d/%m/%Y}.", field="date"
            )
        counter.audit(
            conn,
            officer=officer,
            action="calendar.remove",
            subject=day.isoformat(),
            detail={},
        )
    counter.reload_calendar()
    return recompute_due_dates(counter, officer)


def _admin_adjustments(counter: Counter) -> list[Adjustment]:
    return [
        Adjustment(date.fromisoformat(r["day"]), r["kind"], r["name"], r["source"])
        for r in calendar_store.listing(counter.store)
        if r["origin"] == "admin"
    ]


def listing(counter: Counter) -> list[dict]:
    """Every adjustment in force, with its origin (bundled, server, admin)."""
    return calendar_store.listing(counter.store)
