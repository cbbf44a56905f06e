"""The period report (Biểu số 06/VPCP/KSTT) over every commune the caller may see.

The counter computes this report in ``counter_app.services.report`` from its SQLite read model; the
server may import only ``counter_app.domain`` and ``counter_app.wire`` (tests/server/
test_server_layers.py), so the same counting rules (docs/reports.md §2–3) are applied here to the
PostgreSQL projection and event log. Each commune is counted on its own, exactly as one of its
synced counters counts it (tests/server/test_server_report.py compares every figure), then the
communes are added up. The JSON has the shape of ``counter-admin report --json`` plus ``communes``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from fastapi import APIRouter, Header, Query, Request

from counter_app.domain.calendar import Adjustment, WorkingCalendar, parse_adjustments
from counter_app.domain.deadlines import classify_result
from counter_app.domain.errors import DomainError
from counter_app.domain.report_rules import UNCHANGED, History, HistoryFold, working_days_late
from counter_app.domain.text import fold
from district_server import admin
from district_server.auth import Principal, authenticate
from district_server.errors import ApiError, bad_request, forbidden

router = APIRouter()

# The counter's figure keys, in its JSON order (counter_app.services.report.Figures).
FIGURE_KEYS = (
    "received", "carried_over", "online", "direct",
    "resolved", "early", "on_time", "late",
    "in_process", "within", "overdue",
    "paused", "refused", "stopped", "withdrawn", "cancelled",
    "rated", "satisfied",
)  # fmt: skip
_INDEX = {key: i for i, key in enumerate(FIGURE_KEYS)}
_RESULT_STATES = frozenset({"ready", "returned"})
_ENDED_WITHOUT_RESULT = frozenset({"refused", "stopped", "withdrawn", "cancelled"})
_HISTORY_ACTIONS = ["receive", "request-supplement", "receive-supplement", "apologize", "reschedule", "ready"]
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# The population: received before the end and not finished before the start. Unlike the counter
# (docs/reports.md §7) there is no index on finished_at yet: the commune's older rows are scanned.
_POPULATION_SQL = """
SELECT id, code, procedure_name, applicant_name, field, channel, received_at, due_at, state,
       finished_at, result_class, rating, apologies, updated_at
FROM dossiers
WHERE commune_id = %(commune)s AND received_at < %(end)s
  AND (received_at >= %(start)s OR finished_at IS NULL OR finished_at >= %(start)s)
"""
_EVENTS_SQL = """
SELECT dossier_id, action, at, payload FROM events
WHERE dossier_id = ANY(%(ids)s) AND action = ANY(%(actions)s)
ORDER BY dossier_id, seq
"""


# ---------------------------------------------------------------------------------------------
# Input


def parse_day(text: str | None, name: str) -> date:
    """A strict YYYY-MM-DD date; anything else is a 400 with a Vietnamese message."""
    label = "bắt đầu (from)" if name == "from" else "kết thúc (to)"
    if not text:
        raise bad_request(f"Thiếu ngày {label} của kỳ báo cáo, dạng YYYY-MM-DD.", "invalid_date")
    value = text.strip()
    try:
        if not _DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise bad_request(
            f"Ngày {label} «{value[:20]}» không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2026-11-14.",
            "invalid_date",
        ) from None


def check_period(start: date, end: date, now: datetime) -> None:
    """The counter's rules: the end not before the start, and a period that has begun."""
    if end < start:
        raise bad_request(
            f"Ngày kết thúc kỳ báo cáo ({end:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y}).",
            "invalid_period",
        )
    if start > now.date():
        raise bad_request(f"Kỳ báo cáo bắt đầu ngày {start:%d/%m/%Y}, chưa tới.", "invalid_period")


def local_now() -> datetime:
    """Counters record local time without offset; the server's local time is COUNTER_SERVER_TIMEZONE."""
    tz = ZoneInfo(os.environ.get("COUNTER_SERVER_TIMEZONE", "Asia/Ho_Chi_Minh"))
    return datetime.now(tz).replace(tzinfo=None, microsecond=0)


# ---------------------------------------------------------------------------------------------
# The working calendar: the release's adjustments, overridden day by day by the published notice


def _bundled_file() -> Path:
    resources = os.environ.get("COUNTER_RESOURCES") or Path(__file__).resolve().parent.parent / "resources"
    return Path(resources) / "calendar" / "adjustments.json"


@lru_cache(maxsize=1)
def _bundled() -> tuple[Adjustment, ...]:
    path = _bundled_file()
    if not path.exists():
        return ()
    return tuple(parse_adjustments(json.loads(path.read_text(encoding="utf-8"))))


def server_calendar(conn: psycopg.Connection) -> WorkingCalendar:
    """What a counter with default hours and weekend holds after sync (bundled, then the server's)."""
    by_day = {a.day: a for a in _bundled()}
    row = conn.execute("SELECT data FROM published WHERE kind = 'calendar'").fetchone()
    if row is not None:
        # Checked at publication already; a counter would keep its bundled days if it were not.
        with contextlib.suppress(DomainError):
            by_day.update({a.day: a for a in parse_adjustments(row["data"])})
    return WorkingCalendar(adjustments=[by_day[d] for d in sorted(by_day)])


# ---------------------------------------------------------------------------------------------
# Counting one commune


def _histories(
    conn: psycopg.Connection, cal: WorkingCalendar, ids: list[Any], end: datetime
) -> dict[Any, History]:
    """The counter's replay of pauses, due dates and the first apology, up to ``end`` (domain.report_rules)."""
    folds: dict[Any, HistoryFold] = {}
    for r in conn.execute(_EVENTS_SQL, {"ids": ids, "actions": _HISTORY_ACTIONS}).fetchall():
        at = datetime.fromisoformat(r["at"])
        if at >= end:
            continue
        payload = r["payload"] or {}
        due: object = UNCHANGED
        if "due_at" in payload:
            due = datetime.fromisoformat(payload["due_at"]) if payload["due_at"] else None
        folds.setdefault(r["dossier_id"], HistoryFold()).feed(cal, r["action"], at, due)
    return {key: fold.close(cal) for key, fold in folds.items()}


@dataclass(frozen=True)
class CommuneReport:
    code: str
    name: str
    fields: dict[str, list[int]]
    late: list[dict[str, Any]]


def _minutes(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def count_commune(
    conn: psycopg.Connection,
    cal: WorkingCalendar,
    commune: dict[str, Any],
    start: date,
    end: date,
    as_of: datetime,
) -> CommuneReport:
    """One commune's figures by field and its late list, as of the period end (docs/reports.md §2–3)."""
    s = datetime.combine(start, time())
    e = datetime.combine(end + timedelta(days=1), time())
    as_of_day = as_of.date()
    rows = conn.execute(_POPULATION_SQL, {"commune": commune["id"], "start": s, "end": e}).fetchall()
    need = [
        r["id"]
        for r in rows
        if r["apologies"]
        or (r["state"] == "withdrawn" and r["result_class"] is not None)
        or ((r["finished_at"] is None or r["finished_at"] >= e) and r["updated_at"] >= e)
    ]
    histories = _histories(conn, cal, need, e) if need else {}
    by_field: dict[str, list[int]] = {}
    late: list[tuple[dict[str, Any], datetime, datetime | None, int, History | None]] = []

    for r in rows:
        history = histories.get(r["id"])
        state = r["state"]
        exit_at: datetime | None
        if state in _RESULT_STATES:
            exit_at, kind = r["finished_at"], "resolved"
        elif state == "withdrawn" and r["result_class"] is not None:  # withdrawn after the result
            ready = history.ready_at if history else None
            exit_at, kind = (ready, "resolved") if ready else (r["finished_at"], "withdrawn")
        elif state in _ENDED_WITHOUT_RESULT:
            exit_at, kind = r["finished_at"], state
        else:
            exit_at, kind = None, "open"
        if exit_at is not None and exit_at < s:
            continue  # left before the period
        values = by_field.setdefault(r["field"], [0] * len(FIGURE_KEYS))
        values[_INDEX["received"]] += 1
        if r["received_at"] < s:
            values[_INDEX["carried_over"]] += 1
        elif r["channel"] == "online":
            values[_INDEX["online"]] += 1
        else:
            values[_INDEX["direct"]] += 1

        if exit_at is not None and exit_at < e:
            if kind != "resolved":
                values[_INDEX[kind]] += 1
                continue
            due: datetime | None = None
            if history is not None and history.apologized and history.legal_due is not None:
                due = history.legal_due
                result = classify_result(history.legal_due, exit_at).value
            else:
                result = r["result_class"] or "on_time"
            values[_INDEX["resolved"]] += 1
            values[_INDEX[result]] += 1
            if r["rating"]:
                values[_INDEX["rated"]] += 1
                if r["rating"] == "satisfied":
                    values[_INDEX["satisfied"]] += 1
            if result == "late":
                due = due or r["due_at"]
                if due is not None:
                    days = working_days_late(cal, due.date(), exit_at.date())
                    late.append((r, due, exit_at, days, history))
            continue

        # Open at the period end: as the projection says, or as the events up to the end say.
        if history is not None:
            paused, due = history.paused, history.legal_due
        else:
            paused, due = state == "supplement", r["due_at"]
        if paused:
            values[_INDEX["paused"]] += 1
            continue
        values[_INDEX["in_process"]] += 1
        if due is not None and as_of_day > due.date():
            values[_INDEX["overdue"]] += 1
            late.append((r, due, None, working_days_late(cal, due.date(), as_of_day), history))
        else:
            values[_INDEX["within"]] += 1

    return CommuneReport(
        code=commune["code"],
        name=commune["name"],
        fields=by_field,
        late=[
            {
                "code": r["code"],
                "field": r["field"],
                "procedure": r["procedure_name"],
                "applicant": r["applicant_name"],
                "received": _minutes(r["received_at"]),
                "due": _minutes(due),
                "finished": None if finished is None else _minutes(finished),
                "status": "open" if finished is None else "resolved",
                "working_days_late": days,
                "apology": history is not None and history.apologized,
                "commune": commune["code"],
            }
            for r, due, finished, days, history in late
        ],
    )


# ---------------------------------------------------------------------------------------------
# The report


def figures_json(values: list[int]) -> dict[str, Any]:
    out: dict[str, Any] = dict(zip(FIGURE_KEYS, values, strict=True))
    rated, satisfied = out["rated"], out["satisfied"]
    out["satisfied_share"] = round(satisfied / rated, 4) if rated else None
    return out


def _add(rows: list[list[int]]) -> list[int]:
    return [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * len(FIGURE_KEYS)


def _fields_json(by_field: dict[str, list[int]]) -> list[dict[str, Any]]:
    return [
        {"field": name, **figures_json(values)}
        for name, values in sorted(by_field.items(), key=lambda kv: fold(kv[0]))
    ]


def compute(
    conn: psycopg.Connection, commune_ids: list[int] | None, start: date, end: date, now: datetime
) -> dict[str, Any]:
    """The report over ``commune_ids`` (None: every commune), figures as of the end or as of ``now``."""
    check_period(start, end, now)
    e = datetime.combine(end + timedelta(days=1), time())
    provisional = now < e
    as_of = now if provisional else datetime.combine(end, time(23, 59, 59))
    # One snapshot for every query, so a push arriving meanwhile cannot split a dossier across rows.
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        if commune_ids is None:
            communes = conn.execute("SELECT id, code, name FROM communes ORDER BY code").fetchall()
        else:
            communes = conn.execute(
                "SELECT id, code, name FROM communes WHERE id = ANY(%s) ORDER BY code", (commune_ids,)
            ).fetchall()
        cal = server_calendar(conn)
        parts = [count_commune(conn, cal, c, start, end, as_of) for c in communes]

    by_field: dict[str, list[list[int]]] = {}
    for part in parts:
        for name, values in part.fields.items():
            by_field.setdefault(name, []).append(values)
    late = [item for part in parts for item in part.late]
    late.sort(key=lambda i: (-i["working_days_late"], i["received"], i["code"]))
    merged = {name: _add(rows) for name, rows in by_field.items()}
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "period": f"Từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}",
        "as_of": _minutes(as_of),
        "provisional": provisional,
        "fields": _fields_json(merged),
        "total": figures_json(_add(list(merged.values()))),
        "late": late,
        "communes": [
            {"commune": p.code, "name": p.name, **figures_json(_add(list(p.fields.values())))} for p in parts
        ],
    }


def scope(conn: psycopg.Connection, p: Principal, commune: str | None) -> list[int] | None:
    """Officers only; a commune officer sees its own commune, and another code is 403 whether it exists
    or not (the rule of app.area, so an account learns nothing about other communes)."""
    if p.is_device:
        raise forbidden("Báo cáo chỉ dành cho cán bộ, không dành cho máy quầy.")
    if commune:
        try:
            row = admin.commune_by_code(conn, commune)
        except ApiError:
            if p.commune_id is None:
                raise
            raise forbidden() from None
        if not p.may_see(row["id"]):
            raise forbidden()
        return [row["id"]]
    return None if p.commune_id is None else [p.commune_id]


@router.get("/api/v1/report")
def period_report(
    request: Request,
    date_from: str | None = Query(None, alias="from", max_length=40),
    date_to: str | None = Query(None, alias="to", max_length=40),
    commune: str | None = Query(None, max_length=40),
    authorization: str | None = Header(None),
) -> dict[str, Any]:
    """``GET /api/v1/report?from=&to=[&commune=]``: Biểu 06 figures by field, in total and per commune."""
    with request.app.state.pool.connection() as conn:
        p = authenticate(conn, authorization)
        start, end = parse_day(date_from, "from"), parse_day(date_to, "to")
        ids = scope(conn, p, commune)
        return compute(conn, ids, start, end, local_now())
