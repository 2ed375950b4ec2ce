"""导入向导: backup before the commit, what the preview shows, the mapping column, a sheet of another kind."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from chamberdesk.core import backup
from chamberdesk.core.errors import DataFileError
from chamberdesk.gui import workers
from chamberdesk.gui.dialogs import import_wizard as iw

HEAD = ["企业名称", "统一社会信用代码", "代表人姓名", "联系电话", "入会日期", "所属商会"]


def _sheet(tmp_path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "会员"
    ws.append(["清河县工商联会员名册"])
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    p = tmp_path / "会员.xlsx"
    wb.save(p)
    return p


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return _sheet(tmp_path, [["清河县试导入甲有限公司", "91130534ma0abcde1w", "王 一", "138 0000 1234", date(2024, 3, 5), ""],
                             ["清河县试导入乙有限公司", "", "李二", "12345", "2024/3/6", ""]])


def _to_preview(wiz, qtbot, path: Path, kind: str = "members") -> None:
    wiz.kind.setCurrentIndex(wiz.kind.findData(kind))
    wiz.path.setText(str(path))
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 2, timeout=10000)


def test_preview_shows_understood_values_and_commit_backs_up_first(ctx, qtbot, sheet: Path) -> None:
    wiz = iw.ImportWizard(ctx, kind="members")
    qtbot.addWidget(wiz)
    wiz.resize(1280, 700)
    wiz.show()
    _to_preview(wiz, qtbot, sheet)
    # the 导入为 column is wide enough for its longest choice
    t = wiz.mapping_table
    row = next(r for r in range(t.rowCount()) if t.item(r, 0).text() == "统一社会信用代码")
    combo = t.cellWidget(row, 2)
    assert combo.currentText() == "统一社会信用代码"
    assert t.columnWidth(2) >= combo.fontMetrics().horizontalAdvance("统一社会信用代码") + 20
    assert t.columnWidth(2) >= combo.sizeHint().width()
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 3, timeout=10000)
    p = wiz.preview_table
    heads = [p.horizontalHeaderItem(c).text() for c in range(p.columnCount())]
    for h in ("企业名称", "统一社会信用代码", "代表人姓名", "联系电话", "入会日期", "说明"):
        assert h in heads
    first = {heads[c]: p.item(0, c).text() for c in range(p.columnCount()) if p.item(0, c)}
    assert first["统一社会信用代码"] == "91130534MA0ABCDE1W"  # normalised, not as typed
    assert first["联系电话"] == "13800001234" and first["入会日期"] == "2024-03-05"
    reason_col = heads.index("说明")
    rejected = next(r for r in range(p.rowCount()) if p.item(r, 1).text() == "拒绝")
    assert p.item(rejected, reason_col).toolTip() == p.item(rejected, reason_col).text() != ""
    assert "联系电话" in p.item(rejected, reason_col).text()

    before = {b.path for b in backup.list_backups(ctx.db.path)}
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 4, timeout=15000)
    made = [b for b in backup.list_backups(ctx.db.path) if b.path not in before]
    assert len(made) == 1 and made[0].reason == "import"
    assert wiz.backup_path == made[0].path
    assert "导入前已自动备份" in wiz.result_label.text() and made[0].path.name in wiz.result_label.text()
    assert wiz.result.imported == 1


def test_failed_backup_stops_the_import(ctx, qtbot, sheet: Path, monkeypatch) -> None:
    def broken(*a, **k):
        raise DataFileError("备份失败：磁盘已满。")

    monkeypatch.setattr(iw.backup, "make_backup", broken)
    shown: list[str] = []
    monkeypatch.setattr(workers.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    wiz = iw.ImportWizard(ctx, kind="members")
    qtbot.addWidget(wiz)
    _to_preview(wiz, qtbot, sheet)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 3, timeout=10000)
    wiz.next()
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    assert "没有导入任何数据" in shown[0] and "磁盘已满" in shown[0]
    assert wiz.stack.currentIndex() == 3 and wiz.result is None
    from sqlmodel import select

    from chamberdesk.core.models import Member

    with ctx.db.session() as s:
        assert not s.exec(select(Member).where(Member.enterprise_name == "清河县试导入甲有限公司")).first()


def test_member_sheet_as_meetings_opens_the_mapping_page(ctx, qtbot, sheet: Path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(workers.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(iw.QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    wiz = iw.ImportWizard(ctx, kind="meetings")
    qtbot.addWidget(wiz)
    _to_preview(wiz, qtbot, sheet, kind="meetings")
    assert not shown
    info = wiz.mapping_info.text()
    assert "没有认出这张表的表头" in info and "映射文件" not in info and "导入为" in info
    titles = [wiz.mapping_table.item(r, 0).text() for r in range(wiz.mapping_table.rowCount())]
    assert titles[:2] == ["企业名称", "统一社会信用代码"]
    # nothing mapped yet: 下一步 names the columns still needed, in the wizard's words
    wiz.next()
    assert shown and "导入为" in shown[-1] and "映射文件" not in shown[-1]


def test_preview_reason_is_readable_on_a_laptop_screen(ctx, qtbot, tmp_path: Path) -> None:
    """At the wizard's own size (it fits 1366×768) 说明 is on screen in full: wide enough, wrapped."""
    with ctx.db.session() as s:
        from sqlmodel import select

        from chamberdesk.core.models import Member

        known = s.exec(select(Member).where(Member.credit_code != None)).first()  # noqa: E711
    long_name = "清河县试导入一个名字相当长的农业科技发展有限责任公司"
    path = _sheet(tmp_path, [[long_name, known.credit_code, "王一", "13800001234", date(2024, 3, 5), ""],
                             ["清河县试导入乙有限公司", "", "李二", "12345", "2024/3/6", ""]])
    wiz = iw.ImportWizard(ctx, kind="members")
    qtbot.addWidget(wiz)
    wiz.show()
    _to_preview(wiz, qtbot, path)
    wiz.next()
    qtbot.waitUntil(lambda: wiz.stack.currentIndex() == 3, timeout=10000)
    qtbot.wait(200)
    p = wiz.preview_table
    heads = [p.horizontalHeaderItem(c).text() for c in range(p.columnCount())]
    col = heads.index("说明")
    hh = p.horizontalHeader()
    assert hh.length() <= p.viewport().width()  # no sideways scrolling to find the reason
    assert p.columnWidth(col) >= iw.REASON_MIN
    fm = p.fontMetrics()
    for r in range(p.rowCount()):
        text = p.item(r, col).text()
        if not text:
            continue
        assert p.item(r, col).toolTip() == text
        lines = -(-fm.horizontalAdvance(text) // (p.columnWidth(col) - 12))
        assert p.rowHeight(r) >= lines * fm.lineSpacing(), (text, p.rowHeight(r))
    assert any("在册会员" in p.item(r, col).text() for r in range(p.rowCount()))
