"""A calendar update moves open dossiers' due dates, as events; closed and printed facts stay."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from helpers import MARRIAGE, receive

from counter_app.domain.errors import CalendarDataError
from counter_app.domain.lifecycle import Action
from counter_app.services import calendar as calendar_service
from counter_app.services.context import Counter
from counter_app.store import dossiers as dossier_store


def test_new_day_off_moves_open_due_dates_by_event(counter: Counter) -> None:
    open_one = receive(counter, procedure_code=MARRIAGE).dossier  # due Tue 17/11 09:00
    result = calendar_service.add_adjustment(
        counter,
        day=date(2026, 11, 17),
        kind="off",
        name="Xã nghỉ tổ chức lễ hội",
        source="QĐ 12/QĐ-UBND",
        officer="admin",
    )
    assert (result.checked, result.moved) == (1, 1)
    moved = dossier_store.get_by_code(counter.store, open_one.code)
    assert moved is not None
    assert moved.due_at == datetime(2026, 11, 18, 9, 0)
    assert moved.original_due_at == datetime(2026, 11, 17, 9, 0)  # what the receipt printed
    last = dossier_store.events_of(counter.store, moved)[-1]
    assert last.action == Action.RESCHEDULE and last.payload["due_at"] == "2026-11-18T09:00:00"
    assert counter.calendar.day_info(date(2026, 11, 17)).reason == "Xã nghỉ tổ chức lễ hội"
    # removing it moves the date back, again by an event
    assert calendar_service.remove_adjustment(counter, day=date(2026, 11, 17), officer="admin").moved == 1
    back = dossier_store.get_by_code(counter.store, open_one.code)
    assert back is not None and back.due_at == datetime(2026, 11, 17, 9, 0)


def test_contradictory_adjustment_refused_and_nothing_changes(counter: Counter) -> None:
    before = counter.store.scalar("SELECT count(*) FROM calendar_adjustments")
    with pytest.raises(CalendarDataError):
        calendar_service.add_adjustment(
            counter, day=date(2026, 11, 18), kind="work", name="Làm bù", source="x", officer="admin"
        )  # a Wednesday cannot be a make-up working day
    assert counter.store.scalar("SELECT count(*) FROM calendar_adjustments") == before


def test_bundled_calendar_knows_2026_decisions(counter: Counter) -> None:
    cal = counter.calendar
    assert not cal.is_working_day(date(2026, 1, 2))  # swapped day off (CV 12729/VPCP-KGVX)
    assert cal.is_working_day(date(2026, 1, 10))  # Saturday worked in exchange
    assert not cal.is_working_day(date(2026, 11, 24))  # Ngày Văn hóa Việt Nam
    assert cal.is_working_day(date(2026, 8, 22)) and not cal.is_working_day(date(2026, 8, 31))
