"""The sync wire format, shared by the counter (counter_app.sync) and the server (district_server).

One module on purpose: both sides validate with the same pydantic models, so a field cannot drift
between them. Bodies are JSON, gzip-compressed in both directions; every request names the format
it speaks in the ``X-Wire-Version`` header and the server answers an unknown version with HTTP 426.
An incompatible change bumps ``WIRE_VERSION``; the server keeps the old number in
``SUPPORTED_VERSIONS`` for as long as counters in the field still speak it.

Events travel exactly as the counter stored them (``at`` as the stored ISO text, ``payload`` as the
stored JSON object), so the body hash of a re-sent event never changes and an identical replay is
recognised as such.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
import zlib
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from counter_app.domain.errors import ValidationError
from counter_app.domain.lifecycle import Action, Event

WIRE_VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})
VERSION_HEADER = "X-Wire-Version"

MAX_BATCH = 1000  # events in one push
MAX_PULL = 1000  # events in one pull page
MAX_BODY_BYTES = 4 * 1024 * 1024  # a request body as sent (compressed)
MAX_INFLATED_BYTES = 32 * 1024 * 1024  # the same body once decompressed: a gzip bomb stops here
MAX_PAYLOAD_DEPTH = 8
MAX_STRING = 10_000

UPGRADE_MESSAGE = (
    "Vui lòng cập nhật phần mềm Quầy một cửa lên phiên bản mới: máy chủ không còn nhận định dạng "
    "đồng bộ của phiên bản này."
)

Uuid = Annotated[
    str, StringConstraints(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]
Hlc = Annotated[str, StringConstraints(pattern=r"^\d{13}-\d{5}$")]
Stamp = Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$")]

# Any action word travels: a side that does not know an action yet (the other runs a newer release)
# defers or reports that event instead of refusing the whole batch. KNOWN_ACTIONS is what this
# release's lifecycle understands.
ActionName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z-]{0,31}$")]
KNOWN_ACTIONS = frozenset(a.value for a in Action)

# Why the server refused an event; the counter shows the Vietnamese message next to the dossier.
CONFLICTS: dict[str, str] = {
    "event_id_reused": "Mã sự kiện đã có trên máy chủ với nội dung khác.",
    "seq_taken": "Hồ sơ đã có thao tác khác ở cùng bước này (một máy khác hoặc cấp trên đã thao tác trước).",
    "transition_not_allowed": "Thao tác không còn hợp lệ với trạng thái hồ sơ trên máy chủ.",
    "predecessor_rejected": "Thao tác trước đó của hồ sơ này đã bị máy chủ từ chối.",
    "dossier_unavailable": "Máy chủ không có hồ sơ này trong đơn vị của máy.",
    "code_taken": "Mã hồ sơ đã được dùng cho một hồ sơ khác trên máy chủ.",
    "wrong_agency": "Mã hồ sơ không thuộc mã cơ quan của xã đã đăng ký.",
    "device_mismatch": "Sự kiện ghi tên một máy khác với máy đang gửi.",
    "invalid_event": "Nội dung sự kiện không hợp lệ.",
}


def _check_json(value: Any, depth: int = 0) -> None:
    """Payloads are free-form JSON; bound them so nothing can upset PostgreSQL's jsonb or the parser.

    Plain values inside a dict (nearly all of a payload) are checked in the loop, not by a call each.
    """
    if depth > MAX_PAYLOAD_DEPTH:
        raise ValueError("payload nested too deeply")
    kind = type(value)
    if kind is dict:
        inner = depth + 1
        if inner > MAX_PAYLOAD_DEPTH and value:
            raise ValueError("payload nested too deeply")
        for key, item in value.items():
            if type(key) is not str or len(key) > MAX_STRING or "\x00" in key:
                _check_json(key, inner)
            t = type(item)
            if t is str:
                if len(item) > MAX_STRING or "\x00" in item:
                    raise ValueError("payload string too long or contains NUL")
            elif item is not None and t is not int and t is not bool:
                _check_json(item, inner)
    elif isinstance(value, str):
        if len(value) > MAX_STRING or "\x00" in value:
            raise ValueError("payload string too long or contains NUL")
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_json(key, depth + 1)
            _check_json(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_json(item, depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):  # NaN and Infinity are not JSON
        raise ValueError("payload holds NaN or Infinity")


class WireModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WireEvent(WireModel):
    """One dossier event as stored on the counter that made it."""

    id: Uuid
    dossier_id: Uuid
    seq: int = Field(ge=1, le=1_000_000)
    action: ActionName
    at: Stamp
    hlc: Hlc
    officer: Name
    device_id: Name
    payload: dict[str, Any] = Field(default_factory=dict)

    @field_validator("at")
    @classmethod
    def _real_moment(cls, value: str) -> str:
        datetime.fromisoformat(value)  # 2026-02-30 passes the pattern, not this
        return value

    @field_validator("payload")
    @classmethod
    def _bounded(cls, value: dict[str, Any]) -> dict[str, Any]:
        _check_json(value)
        return value

    @classmethod
    def from_event(cls, e: Event) -> WireEvent:
        return cls.model_construct(
            id=e.id,
            dossier_id=e.dossier_id,
            seq=e.seq,
            action=str(e.action),
            at=e.at.isoformat(),
            hlc=e.hlc,
            officer=e.officer,
            device_id=e.device_id,
            payload=e.payload,
        )

    def to_event(self) -> Event:
        return Event(
            id=self.id,
            dossier_id=self.dossier_id,
            seq=self.seq,
            action=Action(self.action),
            at=datetime.fromisoformat(self.at),
            hlc=self.hlc,
            officer=self.officer,
            device_id=self.device_id,
            payload=self.payload,
        )

    def body_hash(self) -> str:
        """Identity of the whole body: the same id with another hash is a conflict, never a merge."""
        return self.fingerprint()[0]

    def fingerprint(self) -> tuple[str, str]:
        """``(body_hash, canonical JSON of the payload)`` from one encoding of the payload.

        The hash is SHA-256 of ``canonical(model_dump())``; that text is put together here from the
        payload's canonical JSON and the plain fields in sorted key order, so the server can store
        the same payload text in its jsonb column without encoding it again.
        """
        payload = _encode_payload(self.payload)
        s = _string
        body = (
            f'{{"action":{s(self.action)},"at":{s(self.at)},"device_id":{s(self.device_id)},'
            f'"dossier_id":{s(self.dossier_id)},"hlc":{s(self.hlc)},"id":{s(self.id)},'
            f'"officer":{s(self.officer)},"payload":{payload},"seq":{int(self.seq)}}}'
        )
        return hashlib.sha256(body.encode()).hexdigest(), payload

    @property
    def order_key(self) -> tuple[str, str, str]:
        """The merge order: hybrid logical clock, then device, then event id."""
        return (self.hlc, self.device_id, self.id)


# -- enrollment -----------------------------------------------------------------------------------
class EnrollRequest(WireModel):
    enrollment_code: Annotated[str, StringConstraints(min_length=4, max_length=40)]
    device_id: Name
    label: Annotated[str, StringConstraints(max_length=100)] = ""


class CommuneInfo(WireModel):
    code: str
    name: str


class EnrollResponse(WireModel):
    device_id: str
    commune: CommuneInfo
    slot: int = Field(ge=0, le=9)
    token: str


# -- push -----------------------------------------------------------------------------------------
class PushRequest(WireModel):
    events: list[WireEvent] = Field(max_length=MAX_BATCH)


class EventResult(WireModel):
    """``ok``: stored (now or by an earlier copy of the same request); ``conflict``: refused for good,
    with a code from CONFLICTS; ``deferred``: not stored yet (its predecessor is not on the server),
    send it again later."""

    id: str
    status: Literal["ok", "conflict", "deferred"]
    code: str | None = None
    message: str | None = None


class PushResponse(WireModel):
    results: list[EventResult]


# -- pull -----------------------------------------------------------------------------------------
class CatalogUpdate(WireModel):
    version: str
    data: dict[str, Any]


class CalendarUpdate(WireModel):
    version: str
    data: dict[str, Any]


class PullResponse(WireModel):
    events: list[WireEvent]
    cursor: int = Field(ge=0)
    more: bool
    catalog: CatalogUpdate | None = None
    calendar: CalendarUpdate | None = None


class ErrorBody(WireModel):
    error: str
    message: str


# -- bodies ---------------------------------------------------------------------------------------
_encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_string = json.encoder.encode_basestring  # a JSON string, as _encode writes one (ensure_ascii off)
if json.encoder.c_make_encoder is not None:
    # What _encode runs, built once and without the circular-reference check (a parsed payload
    # cannot refer to itself): the same text, a quarter faster per event. Arguments as in
    # json.JSONEncoder.iterencode.
    _c_payload = json.encoder.c_make_encoder(None, None, _string, None, ":", ",", True, False, True)

    def _encode_payload(payload: dict[str, Any]) -> str:
        return "".join(_c_payload(payload, 0))
else:  # pragma: no cover - CPython always has the C encoder
    _encode_payload = _encode


def canonical(data: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the text an event's body hash is taken over."""
    return _encode(data).encode()


def dumps(model: BaseModel) -> bytes:
    return json.dumps(
        model.model_dump(exclude_none=False), ensure_ascii=False, separators=(",", ":")
    ).encode()


def push_body(events: Iterable[str]) -> bytes:
    """A gzip'd push request from events already written as JSON objects (the outbox's ``wire``
    text): the same body as ``compress(dumps(PushRequest(events=...)))``, without a model per event."""
    return compress(('{"events":[' + ",".join(events) + "]}").encode())


def compress(raw: bytes) -> bytes:
    return gzip.compress(raw, compresslevel=6, mtime=0)


def inflate(body: bytes, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Decompress a gzip body, refusing more than ``limit`` bytes of output (a gzip bomb)."""
    d = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(body, limit + 1)
        if len(out) > limit or d.unconsumed_tail:
            raise ValidationError("Dữ liệu sau khi giải nén quá lớn.", code="too_large")
        out += d.flush()
    except zlib.error:
        raise ValidationError("Dữ liệu nén gzip bị hỏng hoặc không trọn vẹn.", code="bad_encoding") from None
    if not d.eof:
        raise ValidationError("Dữ liệu nén gzip bị hỏng hoặc không trọn vẹn.", code="bad_encoding")
    return out


def conflict_message(code: str, detail: str = "") -> str:
    base = CONFLICTS.get(code, "Máy chủ từ chối sự kiện.")
    return f"{base} {detail}".strip()
