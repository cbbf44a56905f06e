"""A calendar update moves open dossiers' due dates, as events; closed and printed facts stay."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from helpers import MARRIAGE, receive

from counter_app import paths
from counter_app.domain.errors import CalendarDataError, ValidationError
from counter_app.domain.lifecycle import Action
from counter_app.services import calendar as calendar_service
from counter_app.services import settings
from counter_app.services.context import Counter
from counter_app.services.setup import import_calendar_file
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


def test_bundled_file_update_moves_open_dossiers(counter: Counter, tmp_path) -> None:
    open_one = receive(counter, procedure_code=MARRIAGE).dossier  # due Tue 17/11 09:00
    data = json.loads(paths.CALENDAR_FILE.read_text(encoding="utf-8"))
    data["version"] = "2026.2"
    data["adjustments"].append(
        {"date": "2026-11-17", "kind": "off", "name": "Nghỉ bù (giả định)", "source": "Thông báo thử nghiệm"}
    )
    newer = tmp_path / "adjustments.json"
    newer.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    import_calendar_file(counter, newer)
    moved = dossier_store.get_by_code(counter.store, open_one.code)
    assert moved is not None and moved.due_at == datetime(2026, 11, 18, 9, 0)
    assert dossier_store.events_of(counter.store, moved)[-1].action == Action.RESCHEDULE
    import_calendar_file(counter, newer)  # same file again: nothing moves, no new event
    assert len(dossier_store.events_of(counter.store, moved)) == 2


def test_admin_notice_for_next_year(counter: Counter) -> None:
    notice = {
        "version": "TB 2027",
        "adjustments": [
            {
                "date": "2027-02-05",
                "kind": "off",
                "name": "Nghỉ Tết Đinh Mùi",
                "source": "Thông báo x/TB-BNV",
            },
            {"date": "2027-02-13", "kind": "work", "name": "Làm bù", "source": "Thông báo x/TB-BNV"},
        ],
    }
    calendar_service.import_notice(counter, notice, "admin")
    assert not counter.calendar.is_working_day(date(2027, 2, 5))
    assert counter.calendar.is_working_day(date(2027, 2, 13))
    with pytest.raises(CalendarDataError):
        calendar_service.import_notice(
            counter, {"version": "x", "adjustments": [{"date": "2027-02-30", "kind": "off", "name": "a", "source": "b"}]},
            "admin",
        )  # fmt: skip
    assert counter.calendar.is_working_day(date(2027, 2, 13))


def test_settings_validated_and_calendar_ones_recompute(counter: Counter, clock) -> None:
    clock.set("2026-11-20T09:00")
    code = receive(counter, procedure_code=MARRIAGE).dossier.code  # Friday: due Mon 23/11 09:00
    with pytest.raises(ValidationError, match="0–6"):
        settings.change(counter, "weekend", "7", "admin")
    with pytest.raises(ValidationError, match="Không có thiết lập"):
        settings.change(counter, "colour", "red", "admin")
    result = settings.change(counter, "weekend", "6", "admin")  # the commune opens on Saturdays
    assert result is not None and result.moved == 1
    moved = dossier_store.get_by_code(counter.store, code)
    assert moved is not None and moved.due_at == datetime(2026, 11, 21, 9, 0)
    assert settings.change(counter, "hotline", "0209 3870 123", "admin") is None
    assert counter.store.get_setting("hotline") == "0209 3870 123"
