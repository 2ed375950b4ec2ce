"""Validators: property tests (a right check character passes, any single change fails) and real-format vectors."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chamberdesk.core import validators as v

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

uscc_body = st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17)


@given(uscc_body)
def test_credit_code_with_its_check_char_passes(body: str) -> None:
    code = body + v.credit_code_check_char(body)
    assert v.normalize_credit_code(code) == code


@given(uscc_body, st.integers(0, 17), st.sampled_from(USCC_ALPHABET))
def test_credit_code_any_single_change_fails(body: str, pos: int, ch: str) -> None:
    code = body + v.credit_code_check_char(body)
    changed = code[:pos] + ch + code[pos + 1:]
    if changed == code:
        return
    with pytest.raises(ValueError, match="校验位|不允许"):
        v.normalize_credit_code(changed)


@given(uscc_body)
def test_credit_code_normalises_spaces_case_and_full_width(body: str) -> None:
    code = body + v.credit_code_check_char(body)
    full = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())  # full-width, lower case
    messy = " " + full[:6] + "\u3000" + full[6:] + " "
    assert v.normalize_credit_code(messy) == code


def test_credit_code_real_vectors() -> None:
    assert v.normalize_credit_code("91110000600037341L") == "91110000600037341L"
    assert v.normalize_credit_code("9111 0000 6000 3734 1l") == "91110000600037341L"
    with pytest.raises(ValueError, match="18位"):
        v.normalize_credit_code("9111000060003734")
    with pytest.raises(ValueError, match="不允许"):
        v.normalize_credit_code("91110000600037341I")
    with pytest.raises(ValueError, match="校验位"):
        v.normalize_credit_code("91110000600037341M")


birth = st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31))
region = st.from_regex(r"[1-6][0-9]{5}", fullmatch=True)


@given(region, birth, st.integers(0, 999))
def test_id_number_with_its_check_digit_passes(reg: str, born: date, seq: int) -> None:
    body = reg + born.strftime("%Y%m%d") + f"{seq:03d}"
    num = body + v.id_check_digit(body)
    assert v.normalize_id_number(num) == num
    assert v.birth_date_from_id(num) == born


@settings(max_examples=200)
@given(region, birth, st.integers(0, 999), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_id_number_any_single_change_fails(reg: str, born: date, seq: int, pos: int, ch: str) -> None:
    body = reg + born.strftime("%Y%m%d") + f"{seq:03d}"
    num = body + v.id_check_digit(body)
    changed = num[:pos] + ch + num[pos + 1:]
    if changed == num:
        return
    with pytest.raises(ValueError):
        v.normalize_id_number(changed)


def test_id_number_vectors() -> None:
    # GB 11643-1999's own example; a Henan county region code (which some tables reject) must pass
    assert v.normalize_id_number("11010519491231002X") == "11010519491231002X"
    assert v.normalize_id_number("410184199001010012"[:17] + v.id_check_digit("41018419900101001")) .startswith("410184")
    assert v.normalize_id_number("11010519491231002x") == "11010519491231002X"
    # a 15-digit old number becomes the 18-digit one
    assert v.normalize_id_number("110105491231002") == "11010519491231002X"
    with pytest.raises(ValueError, match="出生日期不存在"):
        v.normalize_id_number("110105194902300028")
    with pytest.raises(ValueError, match="数字形式"):
        v.normalize_id_number(1.10105194912310e17)
    future = "11010520991231002"
    with pytest.raises(ValueError, match="出生日期不合理"):
        v.normalize_id_number(future + v.id_check_digit(future))


@pytest.mark.parametrize(("raw", "expected"), [
    ("13800138000", "13800138000"), ("１３８００１３８０００", "13800138000"), ("+86 138 0013 8000", "13800138000"),
    ("0371-12345678", "0371-12345678"), ("037112345678", "0371-12345678"), ("(010)88886666", "010-88886666"),
    ("0371-1234567-808", "0371-1234567-808"),
])
def test_phone_forms(raw: str, expected: str) -> None:
    assert v.normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345678", "1380013800", "abc", "23800138000"])
def test_phone_rejected(raw: str) -> None:
    with pytest.raises(ValueError):
        v.normalize_phone(raw)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_any_mobile_survives_full_width_and_spaces(num: str) -> None:
    full = "".join(chr(ord(c) + 0xFEE0) for c in num)
    assert v.normalize_phone(full[:3] + " " + full[3:7] + " " + full[7:]) == num


def test_other_scripts_digits_are_not_digits() -> None:
    with pytest.raises(ValueError):
        v.normalize_phone("1380013800\u0660")


@given(st.text(max_size=50))
def test_clean_text_never_keeps_control_chars_or_edge_spaces(s: str) -> None:
    out = v.clean_text(s)
    if out is not None:
        assert out == out.strip()
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in out)


def test_masks() -> None:
    assert v.mask_id_number("41010219800101123X") == "410102********123X"
    assert v.mask_phone("13800138000") == "138****8000"
    assert v.mask_phone("0371-12345678") == "0371-****5678"


def test_leave_before_join() -> None:
    with pytest.raises(ValueError, match="退会日期不能早于入会日期"):
        v.check_leave_after_join(date(2020, 5, 1), date(2020, 4, 30))
    v.check_leave_after_join(date(2020, 5, 1), date(2020, 5, 1))


# --- long texts: line breaks kept ------------------------------------------------------------------

_BREAKS = "\r\n\x0b\x0c\x85\u2028\u2029"
_INVISIBLE = set("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                 "\x1a\x1b\x1c\x1d\x1e\x1f\x7f\u200b\ufeff")
line_chars = st.one_of(st.characters(blacklist_characters=_BREAKS, blacklist_categories=("Cs",)),
                       st.sampled_from(" \t\u3000\u00a0\u200b\x00甲乙，a1"))
lines = st.lists(st.text(line_chars, max_size=12), max_size=8)
line_ends = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x0b"])


def _visible(line: str) -> bool:
    return any(not c.isspace() and c not in _INVISIBLE for c in line)


@given(lines, st.data())
def test_clean_multiline_properties(parts: list[str], data) -> None:
    text = "".join(p + data.draw(line_ends) for p in parts)
    out = v.clean_multiline(text)
    if out is None:
        assert not any(_visible(p) for p in parts)
        return
    assert v.clean_multiline(out) == out  # idempotent
    assert not any(c in out for c in "\r\x0b\x0c\x85\u2028\u2029")
    assert all(line == line.rstrip() for line in out.split("\n"))
    assert "\n\n\n" not in out and out == out.strip("\n")
    assert sum(map(_visible, out.split("\n"))) == sum(map(_visible, parts))


@given(st.text(max_size=80))
def test_clean_multiline_is_idempotent_on_any_text(s: str) -> None:
    out = v.clean_multiline(s)
    assert out is None or v.clean_multiline(out) == out


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40).filter(str.isprintable))
def test_clean_multiline_fast_path_agrees_with_the_rule(s: str) -> None:
    # a printable text takes the fast path; the same text with a line break after it takes the general rule
    assert v.clean_multiline(s) == v.clean_multiline(s + "\n")


def test_clean_multiline_examples() -> None:
    assert v.clean_multiline("第一条\n第二条") == "第一条\n第二条"
    assert v.clean_multiline("\r\n 一、开幕  \r\n\r\n\r\n\r\n二、审议\t\r\r三\x07、散会 \n\n") == " 一、开幕\n\n二、审议\n\n三、散会"
    assert v.clean_multiline("\u3000\u3000会议指出，") == "\u3000\u3000会议指出，"  # indent and full-width punctuation kept
    assert v.clean_multiline(" \n\t\n\u3000") is None
    assert v.clean_multiline(None) is None


# --- organisation names: no space beside a Chinese character ---------------------------------------

def _cjk(c: str) -> bool:
    return unicodedata.name(c, "").startswith(("CJK", "IDEOGRAPHIC")) or c in "（）【】《》〈〉「」、，。：；！？"


name_chars = st.one_of(st.sampled_from("清河县顺风快递服务部有限公司 　 \t（）()ABCab12-·&."),
                       st.characters(blacklist_categories=("Cs",)))


@given(st.text(name_chars, max_size=30))
def test_org_name_properties(s: str) -> None:
    out = v.normalize_org_name(s)
    if out is None:
        assert v.clean_text(s) is None
        return
    assert v.normalize_org_name(out) == out  # idempotent
    assert out == out.strip() and "  " not in out
    for i, c in enumerate(out):
        if c == " ":
            assert not _cjk(out[i - 1]) and not _cjk(out[i + 1]), out
    assert out.replace(" ", "") == v.clean_text(s).replace(" ", "")  # only spaces ever go


ascii_word = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789&.-()", min_size=1, max_size=8)


@given(st.lists(ascii_word, min_size=1, max_size=5))
def test_org_name_leaves_ascii_names_single_spaces_alone(words: list[str]) -> None:
    name = " ".join(words)
    assert v.normalize_org_name(name) == name
    assert v.normalize_org_name("  " + "   ".join(words) + "\t") == name


@pytest.mark.parametrize(("raw", "expected"), [
    ("清河县 顺风 快递服务部", "清河县顺风快递服务部"),
    ("清河县\u3000顺风快递 （ 普通合伙 ）", "清河县顺风快递（普通合伙）"),
    ("清河县 顺风 (普通合伙)", "清河县顺风(普通合伙)"),
    ("清河县 第 2 机械厂", "清河县第2机械厂"),
    ("清河县 ABC 贸易 有限公司", "清河县ABC贸易有限公司"),
    ("ABC  Trading Co., Ltd.", "ABC Trading Co., Ltd."),
    ("  ", None),
])
def test_org_name_examples(raw: str, expected: str | None) -> None:
    assert v.normalize_org_name(raw) == expected


# The validators' fast paths (taken by the cells most sheets hold) must give what the general rule gives.

@given(uscc_body)
def test_credit_code_check_char_agrees_with_python_stdnum(body: str) -> None:
    from stdnum.cn import uscc

    assert v.credit_code_check_char(body) == uscc.calc_check_digit(body)


def test_credit_code_check_char_refuses_another_alphabet() -> None:
    with pytest.raises(ValueError, match="不允许"):
        v.credit_code_check_char("9111000060003734I")


_CONTROL_REF = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
_WS_REF = r"[\s\u3000\u00a0\u200b\ufeff]+"
texts = st.text(st.sampled_from("ab清河 \t\n\r\u3000\u00a0\u200b\ufeff\x01\x7f\x1c\x85-_.·Ａａ１ "), max_size=12)


@given(texts)
def test_clean_text_fast_path_agrees_with_the_rule(s: str) -> None:
    import re

    expected = re.sub(_WS_REF, " ", re.sub(_CONTROL_REF, "", s)).strip() or None
    assert v.clean_text(s) == expected


@given(texts)
def test_compact_code_fast_path_agrees_with_the_rule(s: str) -> None:
    import re

    assert v.compact_code(s) == re.sub(r"[\s\-_.·]+", "", unicodedata.normalize("NFKC", s)).upper()


@given(st.from_regex(r"1[0-9]{10}", fullmatch=True))
def test_phone_fast_path_agrees_with_the_rule(s: str) -> None:
    # an 11-digit number typed plainly may take the fast path; the spaced form takes the general rule
    try:
        expected = v.normalize_phone(" " + s[:3] + " " + s[3:] + " ")
    except ValueError:
        with pytest.raises(ValueError):
            v.normalize_phone(s)
        return
    assert v.normalize_phone(s) == expected == s
