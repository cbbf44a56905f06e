"""The wire format both sides share: lossless for events, strict on input, safe to inflate."""

from __future__ import annotations

import gzip
import hashlib

import pydantic
import pytest
from helpers import receive
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.errors import ValidationError
from counter_app.store import dossiers as dossier_store
from counter_app.wire import (
    CONFLICTS,
    UPGRADE_MESSAGE,
    PullResponse,
    PushRequest,
    WireEvent,
    canonical,
    compress,
    conflict_message,
    dumps,
    inflate,
)


def test_an_event_travels_losslessly(counter) -> None:
    d = receive(counter).dossier
    [event] = dossier_store.events_of(counter.store, d)
    wire = WireEvent.from_event(event)
    back = WireEvent.model_validate_json(dumps(wire)).to_event()
    assert back == event
    assert PushRequest.model_validate_json(inflate(compress(dumps(PushRequest(events=[wire]))))).events == [
        wire
    ]


def test_body_hash_ignores_key_order_but_not_content(counter) -> None:
    [event] = dossier_store.events_of(counter.store, receive(counter).dossier)
    wire = WireEvent.from_event(event)
    reordered = WireEvent.model_validate({k: wire.model_dump()[k] for k in reversed(list(wire.model_dump()))})
    assert reordered.body_hash() == wire.body_hash()
    changed = wire.model_copy(update={"payload": {**wire.payload, "fee": 1}})
    assert changed.body_hash() != wire.body_hash()
    assert wire.order_key == (wire.hlc, wire.device_id, wire.id)


@pytest.mark.parametrize(
    "change",
    [{"seq": 0}, {"action": "Fly away"}, {"at": "2026-11-31T09:00:00"}, {"hlc": "1-2"}, {"id": "X"},
     {"officer": ""}, {"payload": {"a": "\x00"}}, {"payload": {"a": float("nan")}}, {"extra": 1}],
)  # fmt: skip
def test_strict_validation(counter, change) -> None:
    [event] = dossier_store.events_of(counter.store, receive(counter).dossier)
    data = {**WireEvent.from_event(event).model_dump(), **change}
    with pytest.raises(pydantic.ValidationError):
        WireEvent.model_validate(data)


def test_pull_response_defaults() -> None:
    page = PullResponse.model_validate_json(b'{"events": [], "cursor": 0, "more": false}')
    assert page.catalog is None and page.calendar is None


def test_inflate_refuses_bombs_and_broken_streams() -> None:
    assert inflate(gzip.compress(b"x" * 1000), limit=1000) == b"x" * 1000
    with pytest.raises(ValidationError) as bomb:
        inflate(gzip.compress(b"x" * 1001), limit=1000)
    assert bomb.value.code == "too_large"
    for broken in (b"plain", gzip.compress(b"abc")[:-4], b""):
        with pytest.raises(ValidationError) as info:
            inflate(broken)
        assert info.value.code == "bad_encoding"


def test_messages_are_vietnamese() -> None:
    assert UPGRADE_MESSAGE.startswith("Vui lòng cập nhật phần mềm")
    assert all(any(ch in m for ch in "ãáàảạâăêôơưđ") for m in CONFLICTS.values())
    assert conflict_message("seq_taken", "(x)").endswith("(x)")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=15,
)


@given(payload=st.dictionaries(st.text(max_size=8), json_values, max_size=6), seq=st.integers(1, 10**6))
def test_fingerprint_is_the_hash_of_the_canonical_body(payload, seq) -> None:
    """One encoding of the payload gives both the body hash and the jsonb text: the same hash as
    hashing the whole canonical body, so events stored before keep answering replays with ``ok``."""
    e = WireEvent.model_construct(
        id="01a20000-0000-7000-8000-000000000001", dossier_id="01a20000-0000-7000-8000-000000000002",
        seq=seq, action="receive", at="2026-11-16T09:00:00", hlc="1763280000000-00000",
        officer="Cán bộ \"một\" cửa", device_id="máy-1", payload=payload,
    )  # fmt: skip
    digest, payload_json = e.fingerprint()
    assert digest == hashlib.sha256(canonical(e.model_dump())).hexdigest() == e.body_hash()
    assert payload_json.encode() == canonical(payload)
