"""How the CLI prints: JSON with English keys for scripts, Vietnamese lines for people."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from counter_app.domain import vietnamese
from counter_app.domain.lifecycle import STATE_LABELS, Dossier, Event, State


def iso_minutes(value: datetime | None) -> str | None:
    """CLI.md: ISO 8601 local time without offset, to the minute (2025-01-24T10:00)."""
    return None if value is None else value.isoformat(timespec="minutes")


vn_datetime = vietnamese.moment
vn_date = vietnamese.day
money = vietnamese.money


def emit_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def dossier_json(d: Dossier) -> dict[str, Any]:
    return {
        "code": d.code,
        "id": d.id,
        "state": d.state.value,
        "procedure": d.procedure_code,
        "procedure_name": d.procedure_name,
        "field": d.field,
        "name": d.applicant_name,
        "id_number": d.id_number,
        "received": iso_minutes(d.received_at),
        "due": iso_minutes(d.due_at),
        "original_due": iso_minutes(d.original_due_at),
        "finished": iso_minutes(d.finished_at),
        "result": None if d.result_class is None else d.result_class.value,
        "returned": iso_minutes(d.returned_at),
        "rating": d.rating,
        "fee": d.fee,
        "channel": d.channel,
    }


def event_json(e: Event) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "id": e.id,
        "action": e.action.value,
        "at": iso_minutes(e.at),
        "officer": e.officer,
        "device_id": e.device_id,
        "hlc": e.hlc,
        "payload": e.payload,
    }


def state_label(state: State) -> str:
    return STATE_LABELS[state]
