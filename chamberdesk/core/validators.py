"""Normalisers and validators for texts, names, codes, numbers and dates; each failure is a Chinese message.

A validator returns the normalised value or raises `ValueError(message)`; `check_*` wrappers in the
services turn that into a `FieldError` naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum.cn import ric

_WS = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _ascii_digits(s: str) -> bool:
    """True for 0-9 only (str.isdigit also accepts other scripts' digits)."""
    return s.isascii() and s.isdigit()


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and punctuation to their ASCII forms (NFKC keeps CJK as it is)."""
    return unicodedata.normalize("NFKC", text)


def clean_text(value: object) -> str | None:
    """Trim, drop control characters and collapse inner whitespace runs; empty → None."""
    if value is None:
        return None
    s = str(value)
    if s.isprintable() and "  " not in s:
        # the common case, no regex needed: a printable text holds no control character and no
        # whitespace but the ASCII space (\t, \u3000, \u00a0, \u200b and \ufeff are not printable)
        return s.strip() or None
    s = _CONTROL.sub("", s)
    s = _WS.sub(" ", s).strip()
    return s or None


# Line breaks from Windows (\r\n), old Mac (\r), Word's manual break (\v), form feed, NEL and the
# Unicode separators (Qt's rich text gives \u2028) all become \n.
_BREAK = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# Tabs, no-break and zero-width spaces inside a line read as one space, as clean_text treats them;
# the ideographic space (\u3000) is kept: it is how Chinese prose indents a paragraph.
_LINE_SPACE = re.compile(r"[\t\u00a0\u200b\ufeff]")


def clean_multiline(value: object) -> str | None:
    """A long text (备注, 议题, 纪要 …) with its line breaks kept; empty → None.

    Line ends become \n, control characters go, each line loses its trailing spaces, runs of blank
    lines shrink to one and blank lines at either end are dropped. Leading indentation stays.
    Full-width punctuation is left alone: in prose ，；（） are what the clerk meant.
    """
    if value is None:
        return None
    s = str(value)
    if s.isprintable():
        # one line, no control character, tab or odd space (none of them is printable): only the
        # trailing spaces go, as the general rule below would remove them
        return s.rstrip() or None
    s = _BREAK.sub("\n", s)
    s = _CONTROL.sub("", s)
    lines = [_LINE_SPACE.sub(" ", line).rstrip() for line in s.split("\n")]
    s = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return s or None


# Characters that never take a space beside them in a Chinese name: Han characters, CJK punctuation
# and full-width punctuation (（）《》、); full-width letters and digits are not among them.
_CJK = (
    "\u2e80-\u2fdf\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\uffe0-\uffe6"
    "\U00020000-\U0003134f"
)
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}]) | (?=[{_CJK}])")


def normalize_org_name(value: object) -> str | None:
    """An enterprise or chamber name as registered: no space beside a Chinese character.

    "清河县 顺风 快递服务部" → "清河县顺风快递服务部", "顺风 (普通合伙)" → "顺风(普通合伙)", while
    "ABC Trading" keeps its single space. Otherwise as clean_text; empty → None.
    """
    s = clean_text(value)
    if s is None:
        return None
    return (_SPACE_BY_CJK.sub("", s) if " " in s else s) or None


_CODE_SEPARATORS = re.compile(r"[\s\-_.·]+")


def compact_code(value: object) -> str:
    """A code as typed: half-width, no spaces or dashes, upper case."""
    s = str(value)
    if s.isascii() and s.isalnum():  # as most cells hold it: nothing to convert or remove
        return s.upper()
    return _CODE_SEPARATORS.sub("", to_halfwidth(s)).upper()


# GB 32100-2015: the code's alphabet (no I, O, Z, S, V); the first 17 characters' values are weighted
# 1, 3, 9, 27, 19 … (3**i mod 31). python-stdnum's uscc.calc_check_digit does the same sum but cleans the
# number again on every call, which an import of 20,000 members feels; tests check this against it.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# each character → the digit of its value in base 34: as 34 ≡ 3 (mod 31), the weighted sum is, mod 31, the
# reversed body read as one base-34 number (the trick python-stdnum's ric uses for ID numbers, base 13)
_USCC_AS_DIGITS = str.maketrans(_USCC_ALPHABET, "0123456789ABCDEFGHIJKLMNOPQRSTU")
_USCC_BODY = re.compile(r"[0-9A-HJ-NPQRTUWXY]{17}")
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


def credit_code_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters (ValueError for another alphabet)."""
    if len(first17) != 17:
        raise ValueError(f"应为17位，现为{len(first17)}位")
    if not _USCC_BODY.fullmatch(first17):
        raise ValueError("含有不允许的字符")
    total = int(first17.translate(_USCC_AS_DIGITS)[::-1], 34)
    return _USCC_ALPHABET[-total % 31]


def normalize_credit_code(value: object) -> str:
    """统一社会信用代码: 18 characters, GB 32100-2015 alphabet and check character."""
    code = compact_code(value)
    if not code:
        raise ValueError("不能为空")
    if len(code) != 18:
        raise ValueError(f"应为18位，现为{len(code)}位")
    if not _CREDIT_CODE.fullmatch(code):
        raise ValueError("含有不允许的字符（不使用 I、O、Z、S、V）")
    if code[17] != credit_code_check_char(code[:17]):
        raise ValueError("校验位不正确，请核对是否抄错")
    return code


_ID18 = re.compile(r"[0-9]{17}[0-9X]")


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check digit for the first 17 digits."""
    return ric.calc_check_digit(first17 + "0")


def _birth(yyyymmdd: str) -> date:
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError as exc:
        raise ValueError("出生日期不存在") from exc


def normalize_id_number(value: object, *, today: date | None = None) -> str:
    """居民身份证号: 18 characters with a GB 11643-1999 check digit and a real birth date.

    A 15-digit number of the old format is recognised and upgraded to 18 digits (19 + year, check
    digit computed). The region code is not looked up: tables are incomplete and codes change,
    and people keep their old numbers.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A number cell has already lost digits beyond 15 significant ones: never trust it.
        raise ValueError("单元格以数字形式保存，后几位已丢失，请将该列设为文本后重新填写")
    num = compact_code(value)
    today = today or date.today()
    if not num:
        raise ValueError("不能为空")
    if len(num) == 15:
        if not _ascii_digits(num):
            raise ValueError("15位旧号码应全为数字")
        born = _birth("19" + num[6:12])
        num17 = num[:6] + "19" + num[6:]
        num = num17 + id_check_digit(num17)
    elif len(num) == 18:
        if not _ID18.fullmatch(num):
            raise ValueError("前17位应为数字，最后一位为数字或X")
        born = _birth(num[6:14])
        if num[17] != id_check_digit(num[:17]):
            raise ValueError("校验位不正确，请核对是否抄错")
    else:
        raise ValueError(f"应为18位（或15位旧号码），现为{len(num)}位")
    if born > today or born.year < 1900:
        raise ValueError("出生日期不合理")
    return num


def birth_date_from_id(num: str) -> date:
    return _birth(num[6:14])


def gender_from_id(num: str) -> str:
    """'M' or 'F' from the 17th digit."""
    return "M" if int(num[16]) % 2 else "F"


_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"(0[0-9]{2,3})-?([0-9]{7,8})(?:-([0-9]{1,6}))?")


def normalize_phone(value: object) -> str:
    """A mainland mobile (11 digits) or a landline as 0xxx-xxxxxxxx[-ext]; full-width and spaces allowed."""
    if isinstance(value, str) and len(value) == 11 and value.isascii() and value.isdigit() and _MOBILE.fullmatch(value):
        return value  # a mobile number as most cells hold it
    s = to_halfwidth(str(value)).strip()
    s = re.sub(r"[\s()（）]", "", s).replace("—", "-")
    s = re.sub(r"^(\+?86|0086)-?(?=1[0-9]{10}$)", "", s)
    if not s:
        raise ValueError("不能为空")
    digits = s.replace("-", "")
    if _ascii_digits(digits) and _MOBILE.fullmatch(digits):
        return digits
    if "-" in s and (m := _LANDLINE.fullmatch(s)):
        area, number, ext = m.groups()
    elif _ascii_digits(digits) and digits.startswith("0") and 10 <= len(digits) <= 12:
        # no dash: 010 and 02x are 3-digit area codes, the rest 4
        cut = 3 if digits[1] in "12" else 4
        area, number, ext = digits[:cut], digits[cut:], None
    elif _ascii_digits(digits) and 7 <= len(digits) <= 8:
        raise ValueError("固定电话请加区号，如 0371-12345678")
    else:
        raise ValueError("应为11位手机号或带区号的固定电话")
    if not 7 <= len(number) <= 8:
        raise ValueError("固定电话号码应为7或8位")
    return f"{area}-{number}" + (f"-{ext}" if ext else "")


GENDER_WORDS = {"男": "M", "女": "F", "M": "M", "F": "F", "男性": "M", "女性": "F", "1": "M", "2": "F"}


def normalize_gender(value: object) -> str:
    if isinstance(value, str) and value in GENDER_WORDS:  # 男/女 as typed: nothing to convert
        return GENDER_WORDS[value]
    s = to_halfwidth(str(value)).strip().upper()
    if s in GENDER_WORDS:
        return GENDER_WORDS[s]
    raise ValueError("应为“男”或“女”")


def check_not_future(d: date, *, today: date | None = None) -> date:
    if d > (today or date.today()):
        raise ValueError("不能晚于今天")
    return d


def check_leave_after_join(join: date | None, leave: date | None) -> None:
    if join and leave and leave < join:
        raise ValueError("退会日期不能早于入会日期")


def mask_id_number(num: str | None) -> str:
    """410102********1234: region code and last four kept."""
    if not num:
        return ""
    if len(num) <= 10:
        return "*" * len(num)
    return num[:6] + "*" * (len(num) - 10) + num[-4:]


def mask_birth_date(born: date | None) -> str:
    """1975年**月**日: the year only, like the ID number whose birth digits are hidden; the stars mark it
    as masked, so a re-import leaves it out rather than taking it for a date typed to the year."""
    return f"{born.year}年**月**日" if born else ""


def mask_phone(phone: str | None) -> str:
    """138****5678; landlines keep the area code and last four."""
    if not phone:
        return ""
    digits = phone.replace("-", "")
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    if "-" in phone:
        area, rest = phone.split("-", 1)
        return area + "-" + "*" * max(len(rest) - 4, 0) + rest[-4:]
    return "*" * max(len(phone) - 4, 0) + phone[-4:]

