"""Excel date serials, as numbers or as text that lost its date format, read as the dates they are;
spans of days typed in one cell read as their first day; dates with a time of day, in Chinese numerals,
with a two-digit year, or as a quarter or part of a month, as some ledgers write them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chamberdesk.io.normalize import DateWithWords, date_order, parse_date


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


@pytest.mark.parametrize("cell", ["2025年3月8日上午", "2025年3月8日 上午9:30", "2025/3/8 9:00-11:00", "2025.3.8 9时30分",
                                  "2025-03-08 14:30", "2025年3月8日 下午2点半"])
def test_a_time_of_day_after_the_date_is_left_out(cell: str) -> None:
    assert parse_date(cell) == date(2025, 3, 8)


_CN = "〇一二三四五六七八九"


def _in_chinese(d: date) -> str:
    def small(n: int) -> str:
        return ("" if n < 20 else _CN[n // 10]) + ("十" if n >= 10 else "") + (_CN[n % 10] if n % 10 else "")
    return "".join(_CN[int(ch)] for ch in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31)))
def test_a_date_in_chinese_numerals_reads_as_itself(d: date) -> None:
    assert parse_date(_in_chinese(d)) == d
    assert parse_date(_in_chinese(d).replace("〇", "○")) == d


@pytest.mark.parametrize(("cell", "day"), [("25.3.8", date(2025, 3, 8)), ("75.6.12", date(1975, 6, 12)),
                                           ("99/1/2", date(1999, 1, 2))])
def test_a_two_digit_year_is_the_latest_that_is_not_in_the_future(cell: str, day: date) -> None:
    assert parse_date(cell) == day


@pytest.mark.parametrize(("cell", "day"), [("2025年第三季度", date(2025, 7, 1)), ("2025年4季度", date(2025, 10, 1)),
                                           ("2025年上半年", date(2025, 1, 1)), ("2025年下半年", date(2025, 7, 1)),
                                           ("2025年3月中旬", date(2025, 3, 11)), ("2025年3月下旬", date(2025, 3, 21))])
def test_a_quarter_or_part_of_a_month_is_dated_by_its_first_day(cell: str, day: date) -> None:
    assert parse_date(cell) == day


def test_a_day_without_its_year_asks_for_the_year() -> None:
    with pytest.raises(ValueError, match="没有年份"):
        parse_date("3月8日")


@pytest.mark.parametrize(("cell", "rest"), [("2025年3月8日 县会堂", "县会堂"), ("2025.3.8（商会会议室）", "商会会议室"),
                                           ("2025/3/8 14:00 会议室", "14:00 会议室")])
def test_a_date_with_other_words_is_no_date_but_says_its_day_and_the_rest(cell: str, rest: str) -> None:
    # a place written after the date would be lost if the date alone were taken for the date: a check
    # refuses the cell; the import takes the day and keeps the whole cell (see test_import_flow)
    with pytest.raises(DateWithWords, match="不是可识别的日期") as caught:
        parse_date(cell)
    assert (caught.value.day, caught.value.rest) == (date(2025, 3, 8), rest)


@pytest.mark.parametrize(("cell", "day"), [("25/03/2025", date(2025, 3, 25)), ("03/25/2025", date(2025, 3, 25)),
                                           ("3/3/2025", date(2025, 3, 3)), ("2025年3月8号", date(2025, 3, 8)),
                                           ("2025年3月8日(周六)", date(2025, 3, 8)),
                                           ("2025年3月8日 星期六 上午", date(2025, 3, 8))])
def test_a_year_last_date_is_read_when_it_can_only_be_one_day(cell: str, day: date) -> None:
    assert parse_date(cell) == day


def test_a_year_last_date_that_could_be_two_days_asks_for_the_year_first() -> None:
    # 8/3/2025 is 8 March in Hong Kong and 3 August in an American export: never guessed
    with pytest.raises(ValueError, match="分不清是3月8日还是8月3日"):
        parse_date("8/3/2025")


@pytest.mark.parametrize(("title", "cells", "order"), [
    ("开会日期（日/月/年）", [], "dmy"), ("Date (DD/MM/YYYY)", [], "dmy"), ("日期(月/日/年)", [], "mdy"),
    ("日期", ["8/3/2025", "25/3/2025"], "dmy"),  # one day past the 12th settles the column
    ("日期", ["8/3/2025", "3/25/2025"], "mdy"),
    ("日期", ["8/3/2025", "3/25/2025", "25/3/2025"], None),  # both orders: nothing is settled
    ("日期", ["8/3/2025", "2025-03-09", 45123], None),
    ("日期（YYYY/MM/DD）", [], None),  # year first: no day-month order
])
def test_a_column_says_how_its_year_last_dates_read(title: str, cells: list, order: str | None) -> None:
    assert date_order(title, cells) == order


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31)))
def test_a_year_last_date_reads_as_its_column_writes_it(d: date) -> None:
    assert parse_date(f"{d.day}/{d.month}/{d.year}", order="dmy") == d
    assert parse_date(f"{d.month}-{d.day}-{d.year}", order="mdy") == d
    assert parse_date(d.isoformat(), order="mdy") == d  # year-first dates need no order
