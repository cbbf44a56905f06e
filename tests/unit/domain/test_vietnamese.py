"""Dates as officers type them."""

from __future__ import annotations

from datetime import date

import pytest

from counter_app.domain import vietnamese


@pytest.mark.parametrize(
    "typed", ["12/03/1985", "12031985", "12-3-1985", "12.03.1985", " 12 / 03 / 1985 ", "12 3 1985"]
)
def test_a_birth_date_is_read_as_officers_type_it(typed: str) -> None:
    assert vietnamese.parse_day(typed) == date(1985, 3, 12)


@pytest.mark.parametrize(("typed", "says"), [("12/03/85", "ngày/tháng/năm"), ("31022000", "không có thật"),
                                             ("1203198", "ngày/tháng/năm"), ("hôm qua", "ngày/tháng/năm")])  # fmt: skip
def test_a_date_that_cannot_be_read_says_why(typed: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        vietnamese.parse_day(typed)
