"""Excel date serials, as numbers or as text that lost its date format, read as the dates they are;
spans of days typed in one cell read as their first day."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chamberdesk.io.normalize import parse_date


@pytest.mark.parametrize("cell", [43500, 43500.0, "43500", "４３５００", " 43500 "])
def test_serial_43500_is_4_february_2019(cell) -> None:
    assert parse_date(cell) == date(2019, 2, 4)


@given(st.dates(min_value=date(1927, 5, 19), max_value=date(2100, 12, 31)))
def test_any_serial_as_text_round_trips(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(str(serial)) == d
    assert parse_date(serial) == d


def test_other_five_digit_text_is_not_guessed() -> None:
    with pytest.raises(ValueError, match="不是可识别的日期"):
        parse_date("99999")


@pytest.mark.parametrize("cell", ["2025.3.8-3.9", "2025年3月8日-9日", "2025年3月8日至3月9日", "2025/3/8~3/9",
                                  "2025.3.8—2025.3.10", "2025-3-8至9"])
def test_a_span_of_days_is_dated_by_its_first_day(cell: str) -> None:
    assert parse_date(cell) == date(2025, 3, 8)


@pytest.mark.parametrize("cell", ["3.8-3.9", "2025.3.8-", "2025.3.8-下午"])
def test_a_span_without_a_full_first_day_is_not_guessed(cell: str) -> None:
    with pytest.raises(ValueError, match="不是可识别的日期"):
        parse_date(cell)
