"""Hostile and broken files get one clear Chinese refusal, never a crash or a hang; normalisers hold for any input."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import messy
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chamberdesk.core.validators import normalize_credit_code
from chamberdesk.io import sheet_reader
from chamberdesk.io.excel_import import import_file
from chamberdesk.io.normalize import parse_date
from chamberdesk.io.sheet_reader import SpreadsheetError


def _small(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["企业名称", "统一社会信用代码"])
    wb.active.append(["甲公司", messy.credit_code(1)])
    wb.save(path)
    return path


def _refused(db, path: Path, word: str) -> str:
    t = time.perf_counter()
    with pytest.raises(SpreadsheetError) as ei:
        import_file(db, path, "members")
    assert time.perf_counter() - t < 10
    msg = str(ei.value)
    assert word in msg and "\n" not in msg
    return msg


def test_not_a_spreadsheet(db, tmp_path: Path) -> None:
    p = tmp_path / "名单.xlsx"
    p.write_text("企业名称,信用代码\n甲公司,123\n", encoding="utf-8")
    _refused(db, p, "不是 Excel/WPS 表格文件")
    html = tmp_path / "导出.xls"
    html.write_text("<html><table><tr><td>1</td></tr></table></html>", encoding="utf-8")
    _refused(db, html, "网页")
    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    _refused(db, empty, "空文件")


def test_truncated_workbook(db, tmp_path: Path) -> None:
    src = _small(tmp_path / "a.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(src.read_bytes()[: src.stat().st_size // 2])
    _refused(db, cut, "损坏")


def test_password_protected(db, tmp_path: Path) -> None:
    p = tmp_path / "加密.xlsx"
    messy.encrypted_like(p)
    _refused(db, p, "密码")


def test_zip_bomb_refused_before_inflating(db, tmp_path: Path) -> None:
    p = tmp_path / "bomb.xlsx"
    messy.zip_bomb(p, mb=30)
    assert p.stat().st_size < 200_000
    _refused(db, p, "压缩炸弹")


def test_xml_entity_declaration(db, tmp_path: Path) -> None:
    src = _small(tmp_path / "a.xlsx")
    evil = tmp_path / "evil.xlsx"
    messy.entity_attack(src, evil)
    _refused(db, evil, "实体")


def test_row_limit(db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "big.xlsx"
    messy.big_ledger(p, 120)
    monkeypatch.setattr(sheet_reader, "MAX_ROWS", 50)
    _refused(db, p, "上限")


def test_word_document_is_not_a_workbook(db, tmp_path: Path) -> None:
    import zipfile

    p = tmp_path / "通知.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    _refused(db, p, "不是 Excel 工作簿")


def test_cli_refusal_is_one_line(tmp_path: Path, db) -> None:
    from chamberdesk.cli import main

    p = tmp_path / "x.xlsx"
    p.write_bytes(b"\x00\x01garbage" * 10)
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        rc = main(["import", "members", str(p), "--db", str(db.path), "--json"])
    assert rc != 0
    assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("错误：")


# --- property tests of the normalisers -----------------------------------------------------------------

dates = st.dates(min_value=date(1950, 1, 1), max_value=date(2099, 12, 31))


@given(dates, st.sampled_from(["{y}-{m:02d}-{d:02d}", "{y}/{m}/{d}", "{y}年{m}月{d}日", "{y}{m:02d}{d:02d}",
                               "{y}.{m}.{d}", "{y}-{m}-{d}"]))
def test_parse_date_every_written_form(d: date, fmt: str) -> None:
    assert parse_date(fmt.format(y=d.year, m=d.month, d=d.day)) == d


@given(dates)
def test_parse_date_excel_serials_and_numbers(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(float(serial)) == d
    assert parse_date(float(d.strftime("%Y%m%d"))) == d
    assert parse_date(f"{d.year}年{d.month}月") == d.replace(day=1)


@given(st.integers(1950, 2099), st.integers(1, 12))
def test_year_dot_month_number_never_guesses(y: int, m: int) -> None:
    v = float(f"{y}.{m:02d}") if m >= 10 else float(f"{y}.{m}")
    if m in (1, 10):
        with pytest.raises(ValueError, match="1月与10月"):
            parse_date(v)
    else:
        assert parse_date(v) == date(y, m, 1)


@given(st.text(max_size=12))
def test_parse_date_never_crashes(s: str) -> None:
    try:
        parse_date(s)
    except ValueError as exc:
        msg = str(exc)
        assert msg  # noqa: PT017  (every refusal says why)


@settings(max_examples=60)
@given(st.integers(1, 99999), st.lists(st.sampled_from([" ", "\u3000", "-", ""]), min_size=17, max_size=17),
       st.booleans(), st.booleans())
def test_credit_code_typed_badly_normalises(seq: int, seps: list[str], lower: bool, full: bool) -> None:
    code = messy.credit_code(seq)
    typed = "".join(c + s for c, s in zip(code, seps + [""], strict=True))
    if lower:
        typed = typed.lower()
    if full:
        typed = messy.to_fullwidth(typed)
    assert normalize_credit_code(typed) == code


def test_serial_boundaries() -> None:
    assert parse_date(45000.0) == date(2023, 3, 15)
    with pytest.raises(ValueError, match="年份"):
        parse_date(2019.0)
