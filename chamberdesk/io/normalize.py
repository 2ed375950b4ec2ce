"""Turning the cell values real sheets hold into what the core validators expect (dates, texts, choices)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from chamberdesk.core.choices import Choice
from chamberdesk.core.validators import to_halfwidth

_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug ignored: dates before March 1900 are not ledger dates)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YMD_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YM_SEP = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT_YM = re.compile(r"^(\d{4})(\d{2})$")


def has_control_chars(value: object) -> bool:
    """Control characters other than tab and line breaks: never typed by a person, often a sign of a damaged or hostile file."""
    return isinstance(value, str) and _CONTROL.search(value) is not None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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


def _ymd(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise ValueError(f"日期“{y}年{m}月{d}日”不存在") from exc


def _check_year(y: int) -> None:
    if not 1900 <= y <= 2100:
        raise ValueError(f"年份 {y} 不合理")


def parse_date(value: object) -> date | None:
    """Every form offices type a date in; year-month forms give the 1st of the month.

    Raises ValueError (Chinese) for what cannot be read without guessing: a bare year, or a number
    like 2019.1 that Excel has stored as a number (typed 2019.10, the trailing zero is lost).
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
    if re.fullmatch(r"\d{4}\s*年?", s):
        raise ValueError(f"只有年份“{s}”，请填写到月（如 {s.rstrip('年')}年5月）")
    raise ValueError(f"“{s}”不是可识别的日期（可写作 2019-05-01、2019年5月1日、2019/5/1、20190501、2019.5）")


def parse_int(value: object) -> int | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError("应为整数")
    if isinstance(value, (int, float)):
        if float(value).is_integer():
            return int(value)
        raise ValueError(f"“{cell_text(value)}”应为整数")
    s = to_halfwidth(str(value)).strip().rstrip("人次件个场项篇")
    s = s.replace(",", "")
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
    s = to_halfwidth(str(value)).strip().replace(",", "").rstrip("元万㎡平方米")
    try:
        return float(s)
    except ValueError:
        raise ValueError(f"“{value}”应为数字") from None


TRUE_WORDS = {"是", "有", "√", "✓", "Y", "YES", "TRUE", "1", "合格", "已登记", "专职"}
FALSE_WORDS = {"否", "无", "×", "N", "NO", "FALSE", "0", "不合格", "未登记", "兼职", "没有"}


def parse_bool(value: object) -> bool | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    s = to_halfwidth(cell_text(value)).strip().upper()
    if s in TRUE_WORDS:
        return True
    if s in FALSE_WORDS:
        return False
    raise ValueError(f"“{value}”应为“是”或“否”")


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
    hits = [m for m in enum if compact and (compact in m.label or m.label in compact)]
    if len(hits) == 1:
        return hits[0].value
    return text
