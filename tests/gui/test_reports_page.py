"""报表与导出 page: the import wizard's main path, an export off the GUI thread, and the 打印 tab."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from sqlmodel import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "io"))
import messy  # noqa: E402

from chamberdesk.core.models import Member  # noqa: E402
from chamberdesk.gui.pages.reports import Page  # noqa: E402
from chamberdesk.io import excel_import as imp  # noqa: E402


def _count(db) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(Member)).one()


def _wait(qtbot, wiz) -> None:
    assert wiz.task is not None
    qtbot.waitUntil(lambda: wiz.task.done, timeout=30000)
    qtbot.wait(50)


def test_import_wizard_main_path(qtbot, ctx, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    exp = messy.messy_members(path)
    page = Page(ctx)
    qtbot.addWidget(page)
    before = _count(ctx.db)
    wiz = page.open_wizard("members")
    qtbot.addWidget(wiz)
    wiz.path.setText(str(path))
    qtbot.mouseClick(wiz.next_btn, Qt.MouseButton.LeftButton)  # one sheet: straight to the mapping
    _wait(qtbot, wiz)
    assert wiz.stack.currentIndex() == 2
    titles = [wiz.mapping_table.item(r, 0).text() for r in range(wiz.mapping_table.rowCount())]
    assert "联系方式/手机" in titles
    # the clerk corrects one column: 法人代表 is imported as 代表人姓名 instead
    r = titles.index("法人代表")
    combo = wiz.mapping_table.cellWidget(r, 2)
    combo.setCurrentIndex(combo.findData("rep_name"))
    qtbot.mouseClick(wiz.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, wiz)
    assert wiz.stack.currentIndex() == 3
    counts = wiz.preview.counts()
    assert counts[imp.REJECTED] == exp.rejected and counts[imp.DUPLICATE] == exp.duplicates
    assert wiz.preview_table.rowCount() == exp.rows
    assert _count(ctx.db) == before  # nothing written before 导入
    qtbot.mouseClick(wiz.next_btn, Qt.MouseButton.LeftButton)
    _wait(qtbot, wiz)
    assert wiz.stack.currentIndex() == 4
    res = wiz.result
    assert res.balanced() and res.imported == exp.imported
    assert _count(ctx.db) == before + exp.imported
    assert wiz.errors_btn.isVisibleTo(wiz)
    with ctx.db.session() as s:
        m = s.exec(select(Member).where(Member.enterprise_name == "清河县第1机械制造有限公司")).one()
    assert m.rep_name == "张1" and m.legal_rep is None


def test_export_runs_off_the_gui_thread(qtbot, ctx, tmp_path: Path) -> None:
    page = Page(ctx)
    qtbot.addWidget(page)
    out = tmp_path / "ys.xlsx"
    task = page.run_export("yearly-stats", str(out), year=date.today().year - 1)
    qtbot.waitUntil(lambda: task.done, timeout=30000)
    assert openpyxl.load_workbook(out).active["A1"].value.endswith("基层商会工作情况统计表")
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs[:3] == ["导入", "导出", "上报数据包"]
    assert page.chamber.count() == 13


def test_ledger_page_hands_its_filter_to_the_print_tab(qtbot, ctx) -> None:
    from chamberdesk.core.members import MemberFilter

    page = Page(ctx)
    qtbot.addWidget(page)
    flt = MemberFilter(search="建", status="left")
    page.show_target({"print": "ledger", "member_filter": flt})
    panel = page.print_panel
    assert page.tabs.currentWidget() is panel and panel.form.currentData() == "ledger"
    assert panel.request().member_filter is flt
    assert "已退会的会员（查找“建”）" in panel.filter_label.text()


def test_a_package_opened_with_the_program_is_summed_up(qtbot, ctx, tmp_path: Path) -> None:
    """Windows' 打开方式 on a county's upward package: `chamberdesk --open-package X.zip` lands here."""
    from chamberdesk.gui.main_window import MainWindow
    from chamberdesk.io.package import build_package

    year = date.today().year - 1
    pkg = tmp_path / "清河县上报数据包.zip"
    build_package(ctx.db, year, pkg)
    window = MainWindow(ctx.db)
    qtbot.addWidget(window)
    window.navigate("reports", {"packages": [pkg]})
    page = window.page("reports")
    assert page.tabs.tabText(page.tabs.currentIndex()) == "上报数据包"
    qtbot.waitUntil(lambda: page.task.done, timeout=30000)
    assert page.cons_table.rowCount() >= 1
    assert "清河" in page.cons_table.item(0, 0).text()
