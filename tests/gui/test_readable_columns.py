"""Columns a clerk needs are readable on a 1366×768 laptop: the ledger's six first, names sized from the rows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from chamberdesk.gui.main_window import MainWindow
from chamberdesk.gui.qtmodels.member_table import COLUMN_KEYS

LEDGER_FIRST = ["enterprise_name", "credit_code", "rep_name", "rep_phone", "chambers", "join_date"]


def test_ledger_shows_the_six_columns_a_clerk_needs_without_scrolling(qtbot, styled_app, demo_db):
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 728)  # 1366×768 less the taskbar
    win.show()
    qtbot.waitExposed(win)
    win.navigate("members")
    table = win.pages["members"].table
    hh = table.horizontalHeader()
    for key in LEDGER_FIRST:
        col = COLUMN_KEYS.index(key)
        assert not table.isColumnHidden(col)
        right = hh.sectionViewportPosition(col) + hh.sectionSize(col)
        assert hh.sectionViewportPosition(col) >= 0 and right <= table.viewport().width(), key
    assert table.horizontalScrollBar().value() == 0
    assert table.textElideMode() == Qt.TextElideMode.ElideMiddle
    search = win.pages["members"].search
    hint = search.fontMetrics().horizontalAdvance(search.placeholderText())
    assert search.width() >= hint + 40  # the hint is not cut


def test_meeting_and_activity_names_are_sized_from_their_rows(qtbot, styled_app, demo_db):
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1366, 728)
    win.show()
    for page_name, keys in (("meetings", ("owner", "body")), ("activities", ("owner", "category"))):
        win.navigate(page_name)
        page = win.pages[page_name]
        tab = page.activities if page_name == "activities" else page
        table, model = tab.table, tab.model
        fm = table.fontMetrics()
        for key in keys:
            col = [c.key for c in model.columns].index(key)
            texts = [model.index(r, col).data() for r in range(min(model.rowCount(), 200))]
            widest = max(fm.horizontalAdvance(t) for t in texts)
            assert table.columnWidth(col) >= widest, (page_name, key)  # 青年企业家创业商圈商会 whole
        title = [c.key for c in model.columns].index("agenda" if page_name == "meetings" else "title")
        long_row = next(r for r in range(model.rowCount()) if len(model.index(r, title).data()) > 6)
        assert model.index(long_row, title).data(Qt.ItemDataRole.ToolTipRole)  # the whole text on hover


def test_chamber_detail_is_never_cut_off_at_the_right(qtbot, styled_app, demo_db):
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.resize(1280, 672)  # 1920×1080 at 150 %, less the taskbar
    win.show()
    win.navigate("chambers")
    page = win.pages["chambers"]
    qtbot.waitUntil(lambda: page.detail.width() <= page.detail_scroll.viewport().width(), timeout=3000)
    cov = page.detail.coverage
    assert cov.fontMetrics().horizontalAdvance("（目标 ≥20%）") < cov.width()  # the target fits on its line
