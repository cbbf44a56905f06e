"""Number settings answer any typed text with a Vietnamese message, never a Python error."""

from __future__ import annotations

import pytest

from counter_app.domain.errors import ValidationError
from counter_app.services import settings
from counter_app.services.context import Counter


# "²" and "①" pass str.isdigit() but int() refuses them; "١٢" and "１２" int() would read as 12.
@pytest.mark.parametrize("typed", ["²", "1²", "①", "١٢", "１２", "0", "366", "-3", "3.5", "", "9" * 5000])
def test_a_count_that_is_not_plain_digits_in_range_is_refused_in_vietnamese(
    counter: Counter, typed: str
) -> None:
    with pytest.raises(ValidationError, match="Nhập một số từ 1 đến 365"):
        settings.change(counter, "backup_keep", typed, "admin")
    assert settings.current(counter).get("backup_keep") != typed


def test_plain_digits_in_range_are_stored(counter: Counter) -> None:
    settings.change(counter, "backup_keep", " 30 ", "admin")
    settings.change(counter, "report_cutoff_day", "15", "admin")
    assert settings.current(counter)["backup_keep"] == "30"
    assert settings.current(counter)["report_cutoff_day"] == "15"


@pytest.mark.parametrize("typed", ["²", "①", "١", "１", "10", "-1", "", "9" * 5000])
def test_a_slot_that_is_not_one_plain_digit_is_refused_in_vietnamese(counter: Counter, typed: str) -> None:
    with pytest.raises(ValidationError, match="Số hiệu máy"):
        settings.change(counter, "slot", typed, "admin")
