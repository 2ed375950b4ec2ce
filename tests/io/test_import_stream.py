"""The CLI import streams: same outcome as the wizard's preview-then-commit, without holding the sheet."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import messy
import openpyxl
import pytest
from sqlmodel import select

from chamberdesk.core.db import open_database
from chamberdesk.core.models import Member
from chamberdesk.io import excel_import as imp


def _names(db) -> list[str]:
    with db.session() as s:
        return sorted(s.exec(select(Member.enterprise_name)))


def test_streamed_import_matches_preview_then_commit(db, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    exp = messy.messy_members(path)
    other = open_database(tmp_path / "wizard.db", create=True, user="测试员")
    messy.add_chamber(other)
    try:
        pv = imp.preview_import(other, path, "members")
        wizard = imp.commit_import(other, pv)
        wizard_names = _names(other)
    finally:
        other.close()

    def no_whole_sheet(*_a, **_k):
        raise AssertionError("the CLI import must not load the whole sheet")

    monkeypatch.setattr(imp, "read_sheet", no_whole_sheet)
    streamed = imp.import_file(db, path, "members")
    assert streamed.as_dict() == wizard.as_dict()
    assert streamed.balanced() and streamed.imported == exp.imported and streamed.rejected == exp.rejected
    assert _names(db) == wizard_names == sorted(exp.imported_names)


def test_rows_are_written_in_batches_while_the_sheet_is_still_being_read(db, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["企业名称", "统一社会信用代码"])
    for i in range(1, 61):
        ws.append([f"第{i}号商行", messy.credit_code(i)])
    ws.append(["第1号商行（重复）", messy.credit_code(1)])  # a duplicate of a row already written
    wb.save(path)
    monkeypatch.setattr(imp, "BATCH", 10)
    pulled = [0]
    seen_at_flush: list[int] = []
    real_stream, real_flush = imp.stream_sheet, imp._Writer.flush

    @contextmanager
    def counting(*a, **k):
        with real_stream(*a, **k) as (head, rows):
            def counted():
                for r in rows:
                    pulled[0] += 1
                    yield r
            yield head, counted()

    def flush(self):
        if self.pending:
            seen_at_flush.append(pulled[0])
        real_flush(self)

    monkeypatch.setattr(imp, "stream_sheet", counting)
    monkeypatch.setattr(imp._Writer, "flush", flush)
    res = imp.import_file(db, path, "members", on_duplicate="update")
    assert (res.rows, res.imported, res.updated) == (61, 60, 1)
    assert len(seen_at_flush) >= 6 and seen_at_flush[0] < 20  # the first batch went in after ~10 rows
    assert "第1号商行（重复）" in _names(db) and len(_names(db)) == 60


def test_streamed_dry_run_and_error_workbook(db, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    exp = messy.messy_members(path)
    out = tmp_path / "errors.xlsx"
    res = imp.import_file(db, path, "members", dry_run=True, errors_out=out)
    assert res.balanced() and (res.imported, res.rejected) == (exp.imported, exp.rejected)
    assert _names(db) == []
    ws = openpyxl.load_workbook(out).active
    rows = {int(ws.cell(r, 1).value) for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value}
    assert rows == set(exp.rejected_rows)


def test_bulk_insert_keeps_the_search_trigger_and_fills_what_it_would(db, tmp_path: Path) -> None:
    # the member insert trigger is set aside during the bulk insert: it must be back exactly, and every row's
    # search text must be what the database's own triggers compute
    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    messy.messy_members(path)
    trigger_sql = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'member' ORDER BY name"
    with db.session() as s:
        before = s.connection().exec_driver_sql(trigger_sql).all()
    res = imp.import_file(db, path, "members")
    assert res.imported > 0
    with db.transaction() as s:
        conn = s.connection()
        assert conn.exec_driver_sql(trigger_sql).all() == before
        assert any(name == "member_search_insert" for name, _sql in before)
        ours = dict(conn.exec_driver_sql("SELECT id, search_text FROM member").all())
        conn.exec_driver_sql("UPDATE member SET enterprise_name = enterprise_name")  # the update trigger recomputes
        theirs = dict(conn.exec_driver_sql("SELECT id, search_text FROM member").all())
    assert ours == theirs and all(ours.values())


def test_a_failed_bulk_import_leaves_the_search_trigger_in_place(db, tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "台账.xlsx"
    messy.add_chamber(db)
    messy.messy_members(path)

    def broken(*_a, **_k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(imp, "_insert_many", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        imp.import_file(db, path, "members")
    with db.session() as s:
        names = s.connection().exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'member'").scalars().all()
        assert "member_search_insert" in names and s.exec(select(Member)).first() is None
