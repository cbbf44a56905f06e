"""Hostile input through every endpoint: random path segments, query strings and JSON bodies, as a
device, as a district officer and anonymously. The answer is a 2xx/3xx or a 4xx with our error
shape, never a 500 (issue 10: fuzzing of every server endpoint)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_harness import District, ServerThread, api

from counter_app.services import sync as sync_service

A = "000.00.21.H40"
ROUTES = [
    ("GET", "/api/v1/pull"),
    ("POST", "/api/v1/enroll"),
    ("GET", "/api/v1/communes"),
    ("POST", "/api/v1/communes"),
    ("POST", "/api/v1/communes/{x}/enrollment-codes"),
    ("GET", "/api/v1/devices"),
    ("POST", "/api/v1/devices/{x}/revoke"),
    ("GET", "/api/v1/dossiers"),
    ("GET", "/api/v1/dossiers/{x}"),
    ("POST", "/api/v1/dossiers/{x}/events"),
    ("GET", "/api/v1/overdue"),
    ("GET", "/api/v1/conflicts"),
    ("GET", "/api/v1/stats"),
    ("PUT", "/api/v1/catalog"),
    ("PUT", "/api/v1/calendar"),
    ("GET", "/s/{x}"),
]
SEGMENT = st.one_of(
    st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and s not in (".", "..")),
    st.sampled_from(
        ["' OR 1=1 --", "%00", "000.00.21.H40-261116-0001", "a" * 500, "../../etc/passwd".replace("/", "_")]
    ),
)
JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=50),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
QUERY = st.dictionaries(
    st.sampled_from(["after", "limit", "q", "commune", "as_of", "t", "from", "to", "state"]),
    st.text(max_size=30),
    max_size=3,
)


@pytest.fixture
def tokens(server: ServerThread, district: District, make_counter) -> dict[str, str | None]:
    counter = make_counter("fuzz")
    sync_service.enroll(counter, server.url, district.enrollment_code(A))
    return {
        "device": counter.store.get_setting("sync_token"),
        "officer": district.officer("fuzz-officer"),
        "anonymous": None,
    }


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    route=st.sampled_from(ROUTES),
    who=st.sampled_from(["device", "officer", "anonymous"]),
    segment=SEGMENT,
    query=QUERY,
    body=JSON,
)
def test_no_request_makes_the_server_fail(server, tokens, route, who, segment, query, body) -> None:
    method, path = route
    with api(server.url, tokens[who]) as http:
        url = path.replace("{x}", quote(segment, safe=""))  # any text, percent-encoded as a browser would
        resp = http.request(method, url, params=query, json=body if method != "GET" else None)
    assert resp.status_code < 500, (method, path, segment, resp.text[:300])
    if resp.status_code >= 400 and resp.headers.get("content-type", "").startswith("application/json"):
        assert set(resp.json()) == {"error", "message"}, resp.text[:300]
