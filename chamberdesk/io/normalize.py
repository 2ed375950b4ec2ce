"""Turning the cell values real sheets hold into what the core validators expect (dates, texts, choices)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from chamberdesk.core.choices import Choice
from chamberdesk.core.validators import to_halfwidth
from chamberdesk.io import value_words as vocabulary

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug ignored: dates before March 1900 are not ledger dates)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YMD_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YM_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_YM = re.compile(r"^(\d{4})(\d{2})$")


def has_control_chars(value: object) -> bool:
    """Control characters other than tab and line breaks: never typed by a person, often a sign of a damaged or hostile file."""
    return isinstance(value, str) and _CONTROL.search(value) is not None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def filled_count(row: list[object]) -> int:
    """How many cells of a row hold something."""
    return sum(1 for v in row if not is_blank(v))


def cell_text(value: object) -> str:
    """A cell as the text a clerk sees: integral numbers without '.0', dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# a span of days ("2025.3.8-3.9", "2025年3月8日至9日", "2025/3/8~2025/3/10"): a full first day, then the last
_RANGE = re.compile(r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?)\s*(?:[-—–~～]+|至|到)\s*"
                    r"(?:\d{4}\s*[-/.年]\s*)?(?:\d{1,2}\s*[-/.月]\s*)?\d{1,2}\s*[日号]?$")


# a full date followed by its weekday or a time of day ("（周六）", "上午", "14:30", "9:00-11:30", "9时30分"),
# which the ledger does not keep
_TIME_OF_DAY = re.compile(r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?)\s*"
                          r"((?:[(（]?(?:周|星期|礼拜)[一二三四五六日天][)）]?)?\s*(?:上午|下午|中午|晚上|早上|傍晚|全天)?\s*(?:\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\d{2})?"
                          r"(?:\s*[-—–~～至]\s*\d{1,2}\s*[:：]\s*\d{2})?|\d{1,2}\s*[时点](?:\s*\d{1,2}\s*分|半)?)?)$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})$")  # 8/3/2025: day first (Hong Kong) or month first
_YMD_SHORT = re.compile(r"^(\d{2})[-/.](\d{1,2})[-/.](\d{1,2})$")
_PART_OF_YEAR = re.compile(r"^(\d{4})\s*年\s*(第?[1-4一二三四]季度|[上下]半年|\d{1,2}月[上中下]旬)$")
_QUARTERS = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[〇○零一二三四五六七八九十]+(?=[年月日号])")


def _arabic(s: str) -> str:
    """Chinese numerals before 年/月/日 as digits: 二〇二五年三月二十八日 → 2025年3月28日."""
    def one(m: re.Match[str]) -> str:
        w = m.group()
        if "十" not in w:
            return "".join(str(_CN_DIGITS[ch]) for ch in w)
        tens, _, units = w.partition("十")
        if len(tens) > 1 or len(units) > 1:
            return w  # not a day or month number
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0))
    return _CN_NUMBER.sub(one, s)


# a full date, then words of something else ("2025年3月8日 县会堂", "2025.3.8（商会会议室）")
_DAY_THEN_WORDS = re.compile(r"^(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*[日号]?)[\s,，、;；:：(（-]*(.+)$")


def _has_words(s: str) -> bool:
    return re.search(r"[\u3400-\u9fffA-Za-z]", s) is not None


class DateWithWords(ValueError):
    """A cell holding a date and something more ("2025年3月8日 县会堂"): not a date for a check, but the
    import may take the day and keep the whole cell where the clerk can see it."""

    def __init__(self, text: str, day: date, rest: str) -> None:
        super().__init__(f"“{text}”不是可识别的日期：日期后还写了“{rest}”")
        self.day, self.rest = day, rest


def _ymd(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise ValueError(f"日期“{y}年{m}月{d}日”不存在") from exc


def _check_year(y: int) -> None:
    if not 1900 <= y <= 2100:
        raise ValueError(f"年份 {y} 不合理")


def parse_date(value: object, order: str | None = None) -> date | None:
    """Every form offices type a date in; year-month forms give the 1st of the month.

    Raises ValueError (Chinese) for what cannot be read without guessing: a bare year, or a number
    like 2019.1 that Excel has stored as a number (typed 2019.10, the trailing zero is lost). `order`
    ("dmy" or "mdy", from date_order) reads a year-last date like 8/3/2025 the way its column is written.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("不是日期")
    if isinstance(value, (int, float)):
        v = float(value)
        if v.is_integer():
            n = int(v)
            if 19000101 <= n <= 21001231:
                m = _COMPACT.match(str(n))
                assert m
                return _ymd(int(m[1]), int(m[2]), int(m[3]))
            if 190001 <= n <= 210012 and 1 <= n % 100 <= 12:
                return _ymd(n // 100, n % 100, 1)
            if 1900 <= n <= 2100:
                raise ValueError(f"只有年份“{n}”，请填写到月（如 {n}年5月）")
            if 1 <= n <= 73415:  # Excel serial up to 2100-12-31
                return _EXCEL_EPOCH + timedelta(days=n)
            raise ValueError(f"数字 {cell_text(value)} 不是日期")
        if 1900 < v < 2101:
            # 2019.5 typed into a number cell: year.month. 2019.1 may have been typed 2019.10.
            y = int(v)
            frac = round((v - y) * 100)
            if frac == 10:
                raise ValueError(f"“{v:g}”无法区分1月与10月（数字单元格丢掉了末尾的0），请将该列设为文本后填写")
            month = frac if frac <= 12 else (frac // 10 if frac % 10 == 0 else 0)
            if 1 <= month <= 12 and abs(v - y - frac / 100) < 1e-6:
                return _ymd(y, month, 1)
            raise ValueError(f"“{v:g}”不是有效的年月")
        if 1 <= v <= 73415:
            return _EXCEL_EPOCH + timedelta(days=int(v))  # a serial with a time of day
        raise ValueError(f"数字 {cell_text(value)} 不是日期")
    s = to_halfwidth(str(value)).strip()
    if not s:
        return None
    s = s.replace("　", " ")
    if m := _YMD_SEP.match(s):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        _check_year(y)
        return _ymd(y, mo, d)
    if m := _YM_SEP.match(s):
        y, mo = int(m[1]), int(m[2])
        _check_year(y)
        if not 1 <= mo <= 12:
            raise ValueError(f"月份 {mo} 不存在")
        return _ymd(y, mo, 1)
    if m := _COMPACT.match(s):
        y = int(m[1])
        _check_year(y)
        return _ymd(y, int(m[2]), int(m[3]))
    if m := _COMPACT_YM.match(s):
        y, mo = int(m[1]), int(m[2])
        _check_year(y)
        if 1 <= mo <= 12:
            return _ymd(y, mo, 1)
    if re.fullmatch(r"[0-9]{5}", s) and 10000 <= int(s) <= 73415:
        # a date serial whose cell lost its date format and came out as text (WPS, CSV round trips)
        return _EXCEL_EPOCH + timedelta(days=int(s))
    if m := _RANGE.match(s):
        return parse_date(m[1])  # an event over several days is dated by its first day
    if (m := _TIME_OF_DAY.match(s)) and m[2]:
        return parse_date(m[1])  # the ledger keeps the day, not the hour ("2025年3月8日上午9:30")
    if (plain := _arabic(s)) != s:
        return parse_date(plain)  # 二〇二五年三月八日
    if m := _DMY.match(s):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a <= 12 and b <= 12 and a != b and order in ("dmy", "mdy"):
            return _ymd(y, b, a) if order == "dmy" else _ymd(y, a, b)
        if a <= 12 and b <= 12 and a != b:
            raise ValueError(f"“{s}”分不清是{b}月{a}日还是{a}月{b}日，请写成年在前的 {y}-{b:02d}-{a:02d} 或 {y}-{a:02d}-{b:02d}")
        return _ymd(y, b, a) if a > 12 or a == b else _ymd(y, a, b)
    if m := _YMD_SHORT.match(s):
        # "25.3.8", "75.6.12": a two-digit year is of this century unless that would be in the future
        yy = int(m[1])
        y = 2000 + yy if 2000 + yy <= date.today().year + 1 else 1900 + yy
        return _ymd(y, int(m[2]), int(m[3]))
    if m := _PART_OF_YEAR.match(s):
        # a quarter, half year or part of a month as some ledgers date their records: its first day
        y, rest = int(m[1]), m[2]
        _check_year(y)
        if q := _QUARTERS.get(rest.removeprefix("第").removesuffix("季度")):
            return _ymd(y, 3 * q - 2, 1)
        if rest in ("上半年", "下半年"):
            return _ymd(y, 1 if rest == "上半年" else 7, 1)
        if mm := re.fullmatch(r"(\d{1,2})月(上|中|下)旬", rest):
            return _ymd(y, int(mm[1]), {"上": 1, "中": 11, "下": 21}[mm[2]])
    if (m := _DAY_THEN_WORDS.match(s)) and _has_words(m[2]) and (day := parse_date(m[1])):
        raise DateWithWords(s, day, m[2].strip("()（） "))
    if re.fullmatch(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]?", s):
        raise ValueError(f"“{s}”没有年份，请写上年份（如 2025年{s}）")
    if re.fullmatch(r"\d{4}\s*年?", s):
        raise ValueError(f"只有年份“{s}”，请填写到月（如 {s.rstrip('年')}年5月）")
    raise ValueError(f"“{s}”不是可识别的日期（可写作 2019-05-01、2019年5月1日、2019/5/1、20190501、2019.5）")


# the order a title names, with the year last ("日/月/年", "DD/MM/YYYY"; "YYYY/MM/DD" names no day-month order)
_DMY_TITLE = re.compile(r"日\s*[/.\-]\s*月\s*[/.\-]\s*年|DD\s*[/.\-]\s*MM\s*[/.\-]\s*Y", re.I)
_MDY_TITLE = re.compile(r"月\s*[/.\-]\s*日\s*[/.\-]\s*年|MM\s*[/.\-]\s*DD\s*[/.\-]\s*Y", re.I)


def date_order(title: str, cells: Iterable[object]) -> str | None:
    """How a column writes year-last dates: "dmy" (8/3/2025 is 8 March) or "mdy", as its title says
    ("日期（日/月/年）") or as its own cells show (one 25/3/2025 settles the column; cells showing both
    orders, or none, settle nothing and each 8/3/2025 is refused)."""
    t = to_halfwidth(title or "")
    if _DMY_TITLE.search(t):
        return "dmy"
    if _MDY_TITLE.search(t):
        return "mdy"
    seen = set()
    for v in cells:
        if isinstance(v, str) and (m := _DMY.match(to_halfwidth(v).strip())):
            a, b = int(m[1]), int(m[2])
            if a > 12 >= b:
                seen.add("dmy")
            elif b > 12 >= a:
                seen.add("mdy")
    return seen.pop() if len(seen) == 1 else None


def parse_int(value: object) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("应为整数")
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return int(value)
        raise ValueError(f"“{cell_text(value)}”应为整数")
    s = _COUNT_TAIL.sub("", _bare(value))
    if re.fullmatch(r"-?\d+", s):
        return int(s)
    if re.fullmatch(r"-?\d+\.0+", s):
        return int(float(s))
    raise ValueError(f"“{value}”应为整数")


def parse_float(value: object) -> float | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("应为数字")
    if isinstance(value, (int, float)):
        return float(value)
    s = _UNIT_TAIL.sub("", _bare(value))
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"“{value}”应为数字") from None


# a number as offices write it in a cell: "约20人", "共计5000元", "¥5000", "300余人", "3万余元", "50人左右" —
# the same shapes the recogniser counts as numbers, so a column taken for a count is also read as one
_NUMBER_HEAD = re.compile(r"^(?:大约|约|共计|合计|总计|共|计|¥|￥|RMB)+")
_UNIT_TAIL = re.compile(r"(亿元|万元|元|亿|万|㎡|平方米|平米|平方|平|m²|m2|M2|人民币|余|多|左右)+$")
_COUNT_TAIL = re.compile(r"(?:[人次件个场项篇名户家期批位余多]|左右)+$")


def _bare(value: object) -> str:
    """A cell's text without spaces, thousands separators and the words around its number."""
    return _NUMBER_HEAD.sub("", re.sub(r"\s+", "", to_halfwidth(str(value))).replace(",", ""))


# what the codes of a coded column stand for, as forms print it beside the title, under it or in a note:
# "1乡镇 2街道 3行业", "1=是 2=否", "是=1 否=0", "1.男 2.女"
_CODE_WORD = re.compile(r"(\d{1,2})\s*[=＝:：.、]?\s*([^\d\s,，;；、。=＝:：()（）]{1,12})")
_WORD_CODE = re.compile(r"([^\d\s,，;；、。=＝:：()（）]{1,12}?)\s*[=＝]\s*(\d{1,2})(?!\d)")


def parse_legend(text: str) -> dict[str, str]:
    """Code → word from a legend; {} unless at least two codes are explained."""
    s = to_halfwidth(text)
    pairs = [(m[2], m[1]) for m in _WORD_CODE.finditer(s)]
    if len(pairs) < 2:
        pairs = [(m[1], m[2]) for m in _CODE_WORD.finditer(s)]
    legend = {str(int(code)): word for code, word in pairs if _has_words(word)}
    # codes number the choices from 0 or 1 on ("2025年3月8日" explains nothing)
    return legend if len(legend) >= 2 and min(int(c) for c in legend) <= 1 else {}


# Codes fixed by national standards, for a title that says it holds codes ("性别代码", "政治面貌（代码）") and
# explains them nowhere: GB/T 2261.1-2003 (sex) and GB/T 4762-1984 (political status).
STANDARD_LEGENDS: dict[str, dict[str, str]] = {
    "性别": {"1": "男", "2": "女"},
    "政治面貌": {"1": "中共党员", "2": "中共预备党员", "3": "共青团员", "4": "民革党员", "5": "民盟盟员", "6": "民建会员",
             "7": "民进会员", "8": "农工党党员", "9": "致公党党员", "10": "九三学社社员", "11": "台盟盟员",
             "12": "无党派人士", "13": "群众"},
}


def decode(value: object, legend: dict[str, str]) -> object:
    """A coded cell as the word its legend gives (1 → 乡镇); anything else as it is."""
    if value is None or isinstance(value, bool) or not legend:
        return value
    key = cell_text(value).strip()
    return legend.get(str(int(key)) if key.isdigit() else key, value)


def money_unit(title: str) -> str | None:
    """The unit a column title names: "年度经费（万元）" → 万元, "金额(元)" → 元, none → None."""
    t = to_halfwidth(title or "")
    if "万元" in t or re.search(r"[(（\[]\s*万\s*[)）\]]", t):
        return "万元"
    if re.search(r"元", t):
        return "元"
    return None


def money_parser(stored: str, column_unit: str | None):
    """A money cell in the stored unit (元 or 万元): the unit written in the cell wins, then the column's."""
    factor = {"元": 1.0, "万元": 10_000.0, "亿元": 100_000_000.0}

    def parse(value: object) -> float | None:
        v = parse_float(value)
        if v is None:
            return None
        unit = column_unit or stored
        if isinstance(value, str):
            t = to_halfwidth(value)
            if "亿" in t:
                unit = "亿元"
            elif "万" in t:
                unit = "万元"
            elif "元" in t:
                unit = "元"
        return round(v * factor[unit] / factor[stored], 6)

    return parse


TRUE_WORDS = vocabulary.TRUE_WORDS
FALSE_WORDS = vocabulary.FALSE_WORDS


_DONE = "交缴登办建入报签批到参"  # "交了", "登了": what a chamber or member has done, said as done


def parse_bool(value: object) -> bool | None:
    """Yes/no as offices write it: 是/否, 有/无, √/×, 已/未 (also "已登记", "未年检")."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    s = re.sub(r"\s+", "", to_halfwidth(cell_text(value))).upper()
    if s in vocabulary.TRUE_WORDS:
        return True
    if s in vocabulary.FALSE_WORDS:
        return False
    answers = vocabulary.TRUE_WORDS | vocabulary.FALSE_WORDS
    if (m := re.fullmatch(r"(.{1,2}?)[/、,;]?(.{1,2})", s)) and m[1] in answers and m[2] in answers \
            and (m[1] in vocabulary.TRUE_WORDS) != (m[2] in vocabulary.TRUE_WORDS):
        raise ValueError(f"“{value}”是表上的填写提示，请填其中一个（如“{m[1]}”或“{m[2]}”）")
    if len(s) <= 10 and not any(ch.isdigit() for ch in s):  # "已在民政部门登记"
        if s.startswith(vocabulary.PREFIX_FALSE):
            return False
        if s.startswith(vocabulary.PREFIX_TRUE) or len(s) in (2, 3) and s.endswith("了") and s[-2] in _DONE:
            return True  # "交了", "登了": done
    if (m := re.match(r"^([^,;、:]{1,4})[,;、:](.+)$", s)) and (m[1] in vocabulary.TRUE_WORDS or
                                                               m[1] in vocabulary.FALSE_WORDS) \
            and m[2] not in vocabulary.TRUE_WORDS and m[2] not in vocabulary.FALSE_WORDS:
        return m[1] in vocabulary.TRUE_WORDS  # "有，120平方米": the answer, then what it is ("有、无" is no answer)
    raise ValueError(f"“{value}”应为“是”或“否”（也可写 有/无、√/×、已/未）")


def resolve_choice(enum: type[Choice], value: object, aliases: dict[str, str] | None = None) -> str | None:
    """A coded value from what a sheet says: the value, the label, an alias, or a unique partial label.

    Returns the raw text unchanged when nothing matches uniquely, so the core validator names it.
    """
    if is_blank(value):
        return None
    text = to_halfwidth(cell_text(value)).strip()
    if (m := enum.parse(text)) is not None:
        return m.value
    if aliases and text in aliases:
        return aliases[text]
    compact = re.sub(r"\s+", "", text)
    if aliases and compact in aliases:
        return aliases[compact]
    hits = [m for m in enum if compact and (compact in m.label or m.label in compact)]
    if len(hits) == 1:
        return hits[0].value
    return text


def find_word(text: object, words: dict[str, str]) -> str | None:
    """The value of the longest word of `words` found inside the text ("第三届理事会第二次会议" → 理事会)."""
    compact = re.sub(r"\s+", "", to_halfwidth(cell_text(text)))
    best = max((w for w in words if w in compact), key=len, default=None)
    return words[best] if best is not None else None


def resolve_word(enum: type[Choice], value: object, words: dict[str, str]) -> tuple[str | None, bool]:
    """(coded value, understood): the value, its label or an exact alias; else the longest known word
    inside the text. (None, False) when nothing fits — the caller decides what an unknown word becomes."""
    if is_blank(value):
        return None, True
    got = resolve_choice(enum, value, words)
    if enum.parse(got) is not None:
        return got, True
    hit = find_word(value, words)
    return (hit, True) if hit is not None else (None, False)
