"""Hostile input through every service entry point: a clear DomainError or success, never a crash,
never anything half-written (hypothesis; long strings, control characters, mixed normal forms,
SQL-looking text, wrong dates, malformed chip-card QR text)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from helpers import BIRTH, QR, receive, table_counts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from counter_app.domain.errors import DomainError
from counter_app.services import actions, queries
from counter_app.services import calendar as calendar_service
from counter_app.services import settings as settings_service
from counter_app.services.context import Counter
from counter_app.services.intake import IntakeRequest, intake

HOSTILE = st.one_of(
    st.text(max_size=50),
    st.text(min_size=500, max_size=3000),
    st.sampled_from(
        [
            "'; DROP TABLE dossiers; --",
            '" OR 1=1 --',
            "Robert'); DELETE FROM events;--",
            "\x00\x01\x02",
            "\u202eCBA",
            unicodedata.normalize("NFD", "Nguyễn Thị Ánh"),
            "NEAR(dang ky)",
            '"unbalanced',
            "* OR *",
            "-" * 20,
            QR.replace("|", ";"),
            QR + "|extra|fields",
            QR[:40],
            "0" * 12 + "|" * 6,
        ]
    ),
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def unchanged(counter: Counter, before: dict[str, int]) -> None:
    assert table_counts(counter) == before


@FUZZ
@given(name=HOSTILE, id_number=HOSTILE, phone=HOSTILE, address=HOSTILE, qr=st.one_of(st.none(), HOSTILE))
def test_intake_with_hostile_fields(
    counter: Counter, name: str, id_number: str, phone: str, address: str, qr: str | None
) -> None:
    before = table_counts(counter)
    try:
        result = intake(
            counter,
            IntakeRequest(
                procedure_code=BIRTH, name=name, id_number=id_number, phone=phone, address=address, cccd_qr=qr
            ),
        )
    except DomainError as exc:
        assert exc.message.strip()
        unchanged(counter, before)
        return
    stored = queries.show(counter, result.dossier.code)
    assert stored is not None and stored.dossier == result.dossier


@FUZZ
@given(
    code=HOSTILE,
    action=st.one_of(HOSTILE, st.sampled_from(["ready", "return", "refuse", "apologize"])),
    reason=HOSTILE,
)
def test_actions_with_hostile_input(counter: Counter, code: str, action: str, reason: str) -> None:
    before = table_counts(counter)
    try:
        actions.perform(counter, actions.ActionRequest(code=code, action=action, reason=reason))
    except DomainError as exc:
        assert exc.message.strip()
        unchanged(counter, before)


@FUZZ
@given(text=HOSTILE)
def test_search_never_fails(counter: Counter, text: str) -> None:
    receive(counter) if table_counts(counter)["dossiers"] == 0 else None
    assert isinstance(queries.search_dossiers(counter, text), list)
    assert isinstance(queries.search_procedures(counter, text), list)
    assert queries.show(counter, text) is None or text.strip()


@FUZZ
@given(
    entries=st.lists(
        st.fixed_dictionaries(
            {"date": st.one_of(st.dates().map(date.isoformat), HOSTILE), "kind": st.sampled_from(["off", "work", "x"]),
             "name": HOSTILE, "source": HOSTILE}
        ),
        max_size=4,
    )
)  # fmt: skip
def test_calendar_notice_with_hostile_entries(counter: Counter, entries: list[dict]) -> None:
    before = counter.store.scalar("SELECT count(*) FROM calendar_adjustments")
    try:
        calendar_service.import_notice(counter, {"version": "fuzz", "adjustments": entries}, "admin")
    except DomainError as exc:
        assert exc.message.strip()
        assert counter.store.scalar("SELECT count(*) FROM calendar_adjustments") == before


@FUZZ
@given(key=st.sampled_from(sorted(settings_service.SETTINGS)), value=HOSTILE)
def test_settings_with_hostile_values(counter: Counter, key: str, value: str) -> None:
    old = counter.store.get_setting(key)
    try:
        settings_service.change(counter, key, value, "admin")
    except DomainError as exc:
        assert exc.message.strip()
        assert counter.store.get_setting(key) == old


@FUZZ
@given(moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
def test_intake_at_any_moment(counter: Counter, moment: datetime) -> None:
    before = table_counts(counter)
    try:
        result = intake(counter, IntakeRequest(procedure_code=BIRTH, name="Lê An", id_number="001090123456",
                                               received_at=moment))  # fmt: skip
    except DomainError:
        unchanged(counter, before)
        return
    assert result.dossier.received_at <= counter.now()
