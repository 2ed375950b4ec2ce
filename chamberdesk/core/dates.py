"""Dates written the Chinese way (2026年3月5日) without strftime.

Windows' C library cannot take non-ASCII characters in a strftime format (CPython issue 52551:
"Invalid format string" or mojibake under code page 936), so the numbers are formatted here and
年月日 added around them.
"""

from __future__ import annotations

from datetime import date, datetime


def chinese_date(d: date | None) -> str:
    """2026年3月5日; empty for no date."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def chinese_datetime(t: datetime) -> str:
    """2026年3月5日 14:05"""
    return f"{chinese_date(t)} {t.hour:02d}:{t.minute:02d}"
