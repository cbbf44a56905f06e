"""First start and catalog/calendar loading: what ``counter-admin init`` and the app's first run do."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from counter_app import paths
from counter_app.domain.calendar import parse_adjustments
from counter_app.domain.codes import check_agency_code
from counter_app.domain.ids import uuid7
from counter_app.domain.passwords import one_time_password
from counter_app.domain.procedures import parse_catalog
from counter_app.domain.text import nfc
from counter_app.services import officers
from counter_app.services.calendar import recompute_due_dates
from counter_app.services.context import DEFAULT_AGENCY_CODE, DEFAULT_AGENCY_NAME, Counter
from counter_app.store import calendar as calendar_store
from counter_app.store import procedures as procedure_store
from counter_app.store.database import put_setting
from counter_app.store.officers import first_admin


@dataclass(frozen=True)
class InitResult:
    created_admin: str | None
    admin_password: str | None
    procedures: int
    adjustments: int


def read_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def import_catalog_file(counter: Counter, path: Path = paths.CATALOG_FILE, by: str = "system") -> int:
    version, procs = parse_catalog(read_json(path))
    count = procedure_store.import_catalog(counter.store, version, procs)
    with counter.store.atomic() as conn:
        put_setting(conn, "catalog_version", version)
        counter.audit(
            conn,
            officer=by,
            action="catalog.import",
            subject=version,
            detail={"procedures": count, "file": Path(path).name},
        )
    return count


def import_calendar_file(counter: Counter, path: Path = paths.CALENDAR_FILE, by: str = "system") -> int:
    """Load a release's official adjustments; open dossiers follow if the calendar changed."""
    data = read_json(path)
    adjustments = parse_adjustments(data)
    before = counter.calendar.fingerprint()
    with counter.store.atomic() as conn:
        calendar_store.replace_origin(conn, "bundled", adjustments)
        put_setting(conn, "calendar_version", str(data.get("version", "")))
        counter.audit(
            conn,
            officer=by,
            action="calendar.import",
            subject=str(data.get("version", "")),
            detail={"adjustments": len(adjustments)},
        )
    counter.reload_calendar()
    if counter.calendar.fingerprint() != before:
        recompute_due_dates(counter, by)
    return len(adjustments)


def initialize(
    counter: Counter,
    *,
    agency_code: str | None = None,
    agency_name: str | None = None,
    admin_username: str = "admin",
    admin_name: str = "Quản trị viên",
) -> InitResult:
    """Idempotent: sets identity once, (re)loads the bundled catalog and calendar, creates an admin if none."""
    store = counter.store
    with store.atomic() as conn:
        if not store.get_setting("device_id"):
            put_setting(conn, "device_id", uuid7())
            put_setting(conn, "slot", "0")
        if agency_code is not None:
            put_setting(conn, "agency_code", check_agency_code(agency_code))
        elif not store.get_setting("agency_code"):
            put_setting(conn, "agency_code", DEFAULT_AGENCY_CODE)
        if agency_name is not None and nfc(agency_name):
            put_setting(conn, "agency_name", nfc(agency_name))
        elif not store.get_setting("agency_name"):
            put_setting(conn, "agency_name", DEFAULT_AGENCY_NAME)
    procedures = import_catalog_file(counter)
    adjustments = import_calendar_file(counter)
    created = password = None
    if first_admin(store) is None:
        password = one_time_password()
        officers.add_officer(
            counter,
            username=admin_username,
            password=password,
            role="admin",
            full_name=admin_name,
            must_change_password=True,
        )
        created = admin_username
    return InitResult(created, password, procedures, adjustments)


def is_initialized(counter: Counter) -> bool:
    return bool(counter.store.get_setting("device_id")) and procedure_store.count(counter.store) > 0
