"""Counts and sums as offices type them in a cell: with their unit, roughly, with a total word or a
currency sign. What the recogniser counts as a number is read as that number on import."""

from __future__ import annotations

import pytest

from chamberdesk.io.normalize import decode, money_parser, parse_float, parse_int, parse_legend


@pytest.mark.parametrize(("cell", "n"), [("25人", 25), ("3次", 3), ("12家", 12), ("300余人", 300), ("50多人", 50),
                                         ("约20人", 20), ("共25人", 25), ("50人左右", 50), ("1,200人", 1200),
                                         ("２５人", 25), ("25 人", 25)])
def test_a_count_with_its_unit_or_roughly_written_reads_as_its_number(cell: str, n: int) -> None:
    assert parse_int(cell) == n


@pytest.mark.parametrize("cell", ["二十人", "25.5人", "若干", "人"])
def test_what_is_no_whole_number_is_refused(cell: str) -> None:
    with pytest.raises(ValueError, match="应为整数"):
        parse_int(cell)


@pytest.mark.parametrize(("cell", "yuan"), [("5万元", 50_000), ("约5万元", 50_000), ("3万余元", 30_000),
                                            ("共计5000元", 5_000), ("0.5亿元", 50_000_000)])
def test_a_sum_with_its_unit_is_read_in_that_unit(cell: str, yuan: float) -> None:
    assert money_parser("元", None)(cell) == yuan
    assert money_parser("万元", "元")(cell) == yuan / 10_000  # the cell's unit wins over the column's


@pytest.mark.parametrize("cell", ["¥5000", "￥5000", "5,000", "RMB5000", "约5000"])
def test_a_sum_with_a_sign_or_separators_takes_the_columns_unit(cell: str) -> None:
    assert money_parser("元", None)(cell) == 5_000
    assert money_parser("元", "万元")(cell) == 50_000_000


def test_a_bare_number_takes_the_columns_unit() -> None:
    assert money_parser("元", "万元")(5) == 50_000
    assert money_parser("元", "万元")("5") == 50_000
    assert parse_float("80㎡") == 80.0


@pytest.mark.parametrize(("cell", "area"), [("约80平", 80.0), ("120平方", 120.0), ("60平米", 60.0), ("45㎡", 45.0)])
def test_an_area_with_its_unit_as_typed_reads_as_its_number(cell: str, area: float) -> None:
    assert parse_float(cell) == area


@pytest.mark.parametrize(("text", "legend"), [
    ("1乡镇 2街道 3行业 4异地", {"1": "乡镇", "2": "街道", "3": "行业", "4": "异地"}),
    ("是=1 否=0", {"1": "是", "0": "否"}), ("（1是，2否）", {"1": "是", "2": "否"}), ("1.男 2.女", {"1": "男", "2": "女"}),
    ("政治面貌 01中共党员 02中共预备党员 13群众", {"1": "中共党员", "2": "中共预备党员", "13": "群众"}),
    ("2025年3月8日", {}), ("会员 25 人", {}), ("第9栏=第10栏+第11栏", {}),
])
def test_a_legend_says_what_each_code_stands_for(text: str, legend: dict[str, str]) -> None:
    assert parse_legend(text) == legend


def test_a_coded_cell_reads_as_its_word_and_anything_else_as_it_is() -> None:
    legend = {"1": "乡镇", "2": "街道"}
    assert [decode(v, legend) for v in (1, "1", "01", 1.0, "乡镇", 7, None)] == ["乡镇", "乡镇", "乡镇", "乡镇", "乡镇", 7, None]
