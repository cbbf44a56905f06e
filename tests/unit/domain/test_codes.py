from __future__ import annotations

from datetime import date

import pytest

from counter_app.domain.codes import check_agency_code, format_code, parse_code
from counter_app.domain.errors import ValidationError


def test_format_matches_circular_example() -> None:
    assert format_code("000.00.21.H40", date(2024, 11, 23), 0, 1) == "000.00.21.H40-241123-0001"


def test_slot_is_first_digit_so_two_counters_never_collide() -> None:
    day = date(2026, 11, 16)
    first = {format_code("000.00.21.H40", day, 0, n) for n in range(1, 1000)}
    second = {format_code("000.00.21.H40", day, 1, n) for n in range(1, 1000)}
    assert len(first) == len(second) == 999
    assert not first & second


def test_sequence_exhausted_is_a_clear_error() -> None:
    with pytest.raises(ValidationError, match="hết 999 số thứ tự"):
        format_code("000.00.21.H40", date(2026, 11, 16), 0, 1000)


def test_parse_round_trip_and_rejects() -> None:
    parsed = parse_code(" 000.17.22.h56-210531-3042 ")
    assert parsed is not None
    assert (parsed.agency, parsed.day, parsed.slot, parsed.number) == (
        "000.17.22.H56",
        date(2021, 5, 31),
        3,
        42,
    )
    assert parse_code("000.17.22.H56-211331-0001") is None  # month 13
    assert parse_code("khai sinh") is None


@pytest.mark.parametrize("bad", ["", "000.00.21", "000-00-21-H40", "000.00.21.40H"])
def test_agency_code_shape(bad: str) -> None:
    with pytest.raises(ValidationError, match="Mã cơ quan"):
        check_agency_code(bad)
