"""Windows rules checked on every platform: what Windows' C library and consoles refuse."""

from __future__ import annotations

import ast
from datetime import date, datetime
from pathlib import Path

import chamberdesk
from chamberdesk.core.dates import chinese_date, chinese_datetime

PACKAGE = Path(chamberdesk.__file__).parent


def _non_ascii_time_formats(tree: ast.AST) -> list[int]:
    """Lines where strftime (a call, or an f-string's `{d:%Y年}`) gets a format with non-ASCII characters."""
    lines = []
    for node in ast.walk(tree):
        fmt = None
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "strftime" and node.args:
            fmt = node.args[0]
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            fmt = node.format_spec
        if fmt is None:
            continue
        text = "".join(str(c.value) for c in ast.walk(fmt) if isinstance(c, ast.Constant))
        if "%" in text and not text.isascii():
            lines.append(node.lineno)
    return lines


def test_no_strftime_with_chinese_characters() -> None:
    """Windows' strftime cannot take 年月日 in its format (ValueError: Invalid format string)."""
    found = {}
    for py in PACKAGE.rglob("*.py"):
        lines = _non_ascii_time_formats(ast.parse(py.read_text(encoding="utf-8")))
        if lines:
            found[str(py.relative_to(PACKAGE))] = lines
    assert not found, f"use chamberdesk.core.dates instead of strftime with Chinese characters: {found}"


def test_the_check_finds_both_forms() -> None:
    tree = ast.parse('a = d.strftime("%Y年%m月")\nb = f"{d:%Y年}"\nc = f"{d:%Y-%m}"\ne = d.strftime("%Y")\n')
    assert _non_ascii_time_formats(tree) == [1, 2]


def test_chinese_dates() -> None:
    assert chinese_date(date(2026, 3, 5)) == "2026年3月5日"
    assert chinese_date(None) == ""
    assert chinese_datetime(datetime(2025, 5, 6, 8, 30, 59)) == "2025年5月6日 08:30"
