"""Yes and no as offices write them in a cell, read by the import."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chamberdesk.io import value_words
from chamberdesk.io.normalize import parse_bool


@pytest.mark.parametrize(("cell", "answer"), [
    ("是", True), ("否", False), ("√", True), ("×", False), ("有（租赁）", True), ("无固定场所", False),
    ("已建", True), ("未建", False), ("健全", True), ("不健全", False), ("具备", True), ("不具备", False),
    ("齐全", True), ("不齐全", False), ("到位", True), ("未到位", False), ("合格", True), ("不合格", False),
    ("专", True), ("兼", False), ("驻会", True), ("不驻会", False), ("已在民政部门登记", True),
])
def test_office_yes_no_words(cell: str, answer: bool) -> None:
    assert parse_bool(cell) is answer


@given(st.sampled_from(sorted(value_words.TRUE_WORDS | value_words.FALSE_WORDS)), st.sampled_from(["", " ", "　"]))
def test_a_yes_no_word_reads_the_same_with_spaces_around(word: str, pad: str) -> None:
    assert parse_bool(f"{pad}{word}{pad}") is (word in value_words.TRUE_WORDS)


@pytest.mark.parametrize("cell", ["正常", "存续", "80", "2025.3.8"])
def test_a_word_that_answers_no_yes_no_question_is_refused_with_what_to_write(cell: str) -> None:
    with pytest.raises(ValueError, match="应为“是”或“否”"):
        parse_bool(cell)


@pytest.mark.parametrize(("cell", "answer"), [("有，120平方米", True), ("无，租用会员企业场地", False), ("是、已登记", True)])
def test_an_answer_then_what_it_is(cell: str, answer: bool) -> None:
    assert parse_bool(cell) is answer


@pytest.mark.parametrize(("cell", "answer"), [("交了", True), ("登了", True), ("还没交", False), ("尚未登记", False)])
def test_done_or_not_yet_as_people_say_it(cell: str, answer: bool) -> None:
    assert parse_bool(cell) is answer


@pytest.mark.parametrize("cell", ["忘了", "算了", "有、无", "是/否", "有无"])
def test_no_answer_is_read_into_a_word_that_is_none(cell: str) -> None:
    with pytest.raises(ValueError):
        parse_bool(cell)
